"""Scaling of duplicate detection: one generated document of 1k/4k/16k/64k paragraphs.

Each document is made of distinct paragraphs of random words (so nothing is a
repeat by accident) with about one paragraph in ten repeated later, as the
kinds of repeat the detector knows: exact, re-formatted, edited, truncated,
split in two, and a short template line ("Buy now") that recurs throughout.
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cleaner.blocks import split_blocks  # noqa: E402
from cleaner.config import Config  # noqa: E402
from cleaner.detectors.duplicates import detect_duplicates  # noqa: E402
from cleaner.pipeline import clean_text  # noqa: E402

SIZES = (1_000, 4_000, 16_000, 64_000)
SEED = 3


def _vocabulary(rng: random.Random, size: int = 20_000) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(2, 10))) for _ in range(size)]


def _paragraph(rng: random.Random, words: list[str]) -> str:
    sentences = []
    for _ in range(rng.randint(2, 5)):
        chosen = rng.choices(words, k=rng.randint(6, 14))
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
            out.extend(_repeat(rng, rng.choice(originals[-200:])))
        elif roll < 0.15:
            out.append("Buy now")
        else:
            text = _paragraph(rng, words)
            originals.append(text)
            out.append(text)
    return "\n\n".join(out[:paragraphs]) + "\n"


def main() -> int:
    config = Config()
    print(f"{'paragraphs':>10} {'MB':>6} {'clean s':>8} {'growth':>7} {'dups s':>7} {'growth':>7} "
          f"{'removed':>8} {'peak MB':>8}")
    previous: tuple[float, float] | None = None
    for size in SIZES:
        text = make_document(size)
        started = time.perf_counter()
        result = clean_text(text, config)
        total = time.perf_counter() - started
        blocks = split_blocks(text)
        started = time.perf_counter()
        detect_duplicates(blocks, config)
        dups = time.perf_counter() - started
        tracemalloc.start()
        clean_text(text, config)
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        growth = f"{total / previous[0]:.2f}x" if previous else "-"
        growth_dups = f"{dups / previous[1]:.2f}x" if previous else "-"
        print(f"{size:>10} {len(text.encode()) / 1e6:>6.1f} {total:>8.2f} {growth:>7} {dups:>7.2f} "
              f"{growth_dups:>7} {len(result.decisions):>8} {peak:>8.0f}", flush=True)
        previous = (total, dups)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
