"""Scaling of duplicate detection: one generated document of 1k/4k/16k/64k paragraphs.

Each document is made of distinct paragraphs of random words (so nothing is a
repeat by accident) with about one paragraph in ten repeated later, as the
kinds of repeat the detector knows: exact, re-formatted, edited, truncated,
split in two, a short template line ("Buy now") that recurs throughout, and two-line
paragraphs (a price and a stock count) that share a layout.
Prints seconds for the whole ``clean_text`` call (segmentation included) and
for the duplicate detector alone, the growth factor per 4x step, and the peak
memory of the run (tracemalloc, measured in a separate pass so it does not
slow the timed one). Timings on a shared 2-core machine are noisy.
"""

from __future__ import annotations

import random
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cleaner.blocks import split_blocks  # noqa: E402
from cleaner.config import Config  # noqa: E402
from cleaner.detectors.duplicates import detect_duplicates  # noqa: E402
from cleaner.pipeline import clean_text  # noqa: E402

SIZES = (1_000, 4_000, 16_000, 64_000)
REPEAT = 3
SEED = 3


def _vocabulary(rng: random.Random, size: int = 20_000) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(2, 10))) for _ in range(size)]


def _paragraph(rng: random.Random, words: list[str]) -> str:
    sentences = []
    for _ in range(rng.randint(2, 5)):
        chosen = rng.choices(words, k=rng.randint(7, 16))
        sentences.append(" ".join(chosen).capitalize() + ".")
    return " ".join(sentences)


def _repeat(rng: random.Random, text: str) -> list[str]:
    kind = rng.choice(("exact", "format", "edit", "truncated", "split"))
    if kind == "exact":
        return [text]
    if kind == "format":
        return ["  " + text.upper()[:1] + text[1:].replace(". ", ".  ")]
    if kind == "edit":
        chars = list(text)
        for i in rng.sample(range(len(chars)), max(1, len(chars) // 40)):
            chars[i] = rng.choice("aeiou")
        return ["".join(chars)]
    if kind == "truncated":
        return [text[: len(text) * 2 // 3].rsplit(" ", 1)[0] + "..."]
    cut = text.find(". ", len(text) // 3)
    return [text[: cut + 1], text[cut + 2 :]] if cut > 0 else [text]


def make_document(paragraphs: int, seed: int = SEED) -> str:
    rng = random.Random(seed)
    words = _vocabulary(rng)
    out: list[str] = []
    originals: list[str] = []
    while len(out) < paragraphs:
        roll = rng.random()
        if roll < 0.1 and originals:
            out.extend(_repeat(rng, rng.choice(originals)))
        elif roll < 0.15:
            out.append("Buy now")
        elif roll < 0.17:
            out.append(f"Price: {rng.randint(5, 500)} EUR\nIn stock: {rng.randint(0, 40)}")
        else:
            text = _paragraph(rng, words)
            originals.append(text)
            out.append(text)
    return "\n\n".join(out[:paragraphs]) + "\n"


def _timed(call: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    call()
    return time.perf_counter() - wall, time.process_time() - cpu


def _dups_cpu(text: str, config: Config) -> float:
    """CPU seconds of the duplicate detector on fresh blocks (blocks remember what a run found)."""
    blocks = split_blocks(text)
    return _timed(lambda: detect_duplicates(blocks, config))[1]


def main() -> int:
    config = Config()
    print("clean = clean_text (segmentation + all detectors); dups = detect_duplicates alone.")
    print("CPU = process time, the fairer figure when other jobs share the 2 cores; best of 3 runs.")
    print(
        f"{'paragraphs':>10} {'MB':>5} {'clean wall':>10} {'clean CPU':>9} {'growth':>6} "
        f"{'dups CPU':>8} {'growth':>6} {'removed':>7} {'peak MB':>7}"
    )
    previous: tuple[float, float] | None = None
    first: tuple[float, float] | None = None
    for size in SIZES:
        text = make_document(size)
        removed = len(clean_text(text, config).decisions)
        # Best of REPEAT: one run on a shared machine can be slowed by anything.
        wall, cpu = min(_timed(lambda: clean_text(text, config)) for _ in range(REPEAT))  # noqa: B023
        dups = min(_dups_cpu(text, config) for _ in range(REPEAT))
        tracemalloc.start()
        clean_text(text, config)
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        growth = f"{cpu / previous[0]:.2f}x" if previous else "-"
        growth_dups = f"{dups / previous[1]:.2f}x" if previous else "-"
        print(
            f"{size:>10} {len(text.encode()) / 1e6:>5.1f} {wall:>10.2f} {cpu:>9.2f} {growth:>6} "
            f"{dups:>8.2f} {growth_dups:>6} {removed:>7} {peak:>7.0f}",
            flush=True,
        )
        previous = (cpu, dups)
        first = first or (cpu, dups)
    if previous and first:
        steps = len(SIZES) - 1
        clean_step = (previous[0] / first[0]) ** (1 / steps)
        dups_step = (previous[1] / first[1]) ** (1 / steps)
        print(
            "growth per 4x step over the whole range (geometric mean, steadier than one step): "
            f"clean {clean_step:.2f}x, dups {dups_step:.2f}x"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
