"""Worst case of duplicate detection: a long document of similar paragraphs that are not repeats.

Forum threads, product listings, changelogs and legal text with small edits are
made of paragraphs that share most of their words without being copies. The
document built here has that shape: real-looking paragraphs, each re-used many
times with about a third of its words replaced (look-alikes that must stay),
and one paragraph in five a true near-duplicate of an earlier one (exact,
re-formatted or lightly edited: repeats that must go).

The paragraphs are read at run time from the evaluation kit beside the
project (``../shared/eval/truth.json``, only read, never copied) when it is
there, else generated from random words. Each document is written to a file
and cleaned by a fresh process that only reads it, so that its peak memory
(max RSS of ``clean_text``, interpreter and text included) is the cleaner's. Printed
per size: ``clean_text`` CPU seconds, the duplicate detector alone, peak MB,
candidate pairs the detector examined (pairs scored with RapidFuzz, counted in
a separate untimed pass), blocks removed beside the true repeats made, and the wall time of an exact-hash
dedup script (hash of each whitespace-normalised paragraph, first copy kept)
run as its own process on the same file, with the ratio of the two.

Sizes: 1k, 4k, 16k and 64k paragraphs; set ``CLEANER_BENCH_SIZES`` (e.g.
``1000,64000,256000``) for others. Timings on a shared 2-core machine are noisy.
"""

from __future__ import annotations

import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZES = tuple(int(s) for s in os.environ.get("CLEANER_BENCH_SIZES", "1000,4000,16000,64000").split(","))
SEED = 5
# Share of a look-alike's words replaced, and share of paragraphs that are true repeats.
REPLACED = 1 / 3
REPEATS = 0.2
SOURCE = ROOT.parent / "shared" / "eval" / "truth.json"

EXACT_HASH_SCRIPT = r"""
import hashlib, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
seen, kept = set(), []
for paragraph in re.split(r"\n\s*\n", text):
    digest = hashlib.sha1(" ".join(paragraph.split()).encode()).digest()
    if digest not in seen:
        seen.add(digest)
        kept.append(paragraph)
open(sys.argv[2], "w", encoding="utf-8").write("\n\n".join(kept))
"""


def _source_paragraphs(rng: random.Random) -> tuple[list[str], str]:
    """Real paragraphs of 150-800 characters if the evaluation kit is there, else generated ones."""
    if SOURCE.is_file():
        articles = json.loads(SOURCE.read_text(encoding="utf-8"))
        paragraphs = [
            " ".join(p.split())
            for key in sorted(articles)
            for p in re.split(r"\n\s*\n", articles[key]["articleBody"])
            if 150 <= len(" ".join(p.split())) <= 800
        ]
        if len(paragraphs) >= 200:
            return paragraphs, "real paragraphs read from ../shared/eval/truth.json"
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = ["".join(rng.choice(letters) for _ in range(rng.randint(2, 10))) for _ in range(20_000)]
    paragraphs = []
    for _ in range(1500):
        sentences = [" ".join(rng.choices(words, k=rng.randint(7, 16))).capitalize() + "." for _ in range(4)]
        paragraphs.append(" ".join(sentences))
    return paragraphs, "generated paragraphs (../shared/eval is absent)"


def _lookalike(rng: random.Random, text: str, vocabulary: list[str]) -> str:
    words = text.split()
    for i in rng.sample(range(len(words)), round(len(words) * REPLACED)):
        words[i] = rng.choice(vocabulary)
    return " ".join(words)


def _repeat(rng: random.Random, text: str) -> str:
    kind = rng.choice(("exact", "format", "edit"))
    if kind == "exact":
        return text
    if kind == "format":
        return "  " + text.replace(". ", ".  ") + " "
    # Letters of lower-case words only: a light edit leaves numbers and names alone.
    chars = list(text)
    letters = [i for m in re.finditer(r"\b[a-z]{3,}\b", text) for i in range(m.start(), m.end())]
    for i in rng.sample(letters, max(1, len(chars) // 50)):
        chars[i] = rng.choice("aeiou")
    return "".join(chars)


def make_document(paragraphs: int, seed: int = SEED) -> tuple[str, str, int]:
    """The document, where its paragraphs come from, and how many true repeats it holds."""
    rng = random.Random(seed)
    pool, origin = _source_paragraphs(rng)
    vocabulary = sorted({w for p in pool for w in p.split() if w.isalpha() and w.islower()})
    out: list[str] = []
    fresh: list[int] = []  # look-alikes not repeated yet: a scraper repeats a paragraph once
    repeats = 0
    while len(out) < paragraphs:
        if fresh and rng.random() < REPEATS:
            source = fresh.pop(rng.randrange(len(fresh)))
            out.append(_repeat(rng, out[source]))
            repeats += 1
        else:
            fresh.append(len(out))
            out.append(_lookalike(rng, rng.choice(pool), vocabulary))
    return "\n\n".join(out) + "\n", origin, repeats


def _count_pairs() -> list[int]:
    """Count the pairs the detector scores, by wrapping its pair-scoring function."""
    import cleaner.detectors.duplicates as duplicates

    relate_module = getattr(duplicates, "relate", duplicates)  # split layout, else the one module
    name = "relate_pair" if hasattr(relate_module, "relate_pair") else "_relate"
    original = getattr(relate_module, name)
    calls = [0]

    def counted(*args: object, **kwargs: object) -> object:
        calls[0] += 1
        return original(*args, **kwargs)

    setattr(relate_module, name, counted)
    for module in list(sys.modules.values()):  # modules that imported the function by name
        if getattr(module, "__name__", "").startswith("cleaner.") and getattr(module, name, None) is original:
            setattr(module, name, counted)
    return calls


def _one(path: Path) -> None:
    """Measure one document in this process (which only reads it); print one JSON line."""
    from cleaner.blocks import split_blocks
    from cleaner.config import Config
    from cleaner.detectors.duplicates import detect_duplicates
    from cleaner.pipeline import clean_text

    config = Config()
    text = path.read_text(encoding="utf-8")
    size = text.count("\n\n")
    repeat = 3 if size <= 16_000 else 1
    cpu = []
    for _ in range(repeat):
        start = time.process_time()
        removed = len(clean_text(text, config).decisions)
        cpu.append(time.process_time() - start)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    dups = []
    for _ in range(repeat):
        blocks = split_blocks(text)
        start = time.process_time()
        detect_duplicates(blocks, config)
        dups.append(time.process_time() - start)
    calls = _count_pairs()
    detect_duplicates(split_blocks(text), config)
    print(
        json.dumps(
            {"clean": min(cpu), "dups": min(dups), "peak": peak, "pairs": calls[0], "removed": removed}
        )
    )


def _measure(size: int) -> dict[str, object]:
    """Make the document of ``size`` paragraphs, time the exact-hash script and the cleaner on it."""
    text, origin, repeats = make_document(size)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.txt"
        path.write_text(text, encoding="utf-8")
        walls = []
        for _ in range(3 if size <= 16_000 else 1):
            start = time.perf_counter()
            command = [sys.executable, "-c", EXACT_HASH_SCRIPT, str(path), str(path) + ".out"]
            subprocess.run(command, check=True)
            walls.append(time.perf_counter() - start)
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(path)], check=True, capture_output=True, text=True
        )
    row: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    row.update(size=size, mb=len(text.encode()) / 1e6, exact=min(walls), origin=origin, repeats=repeats)
    return row


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        _one(Path(sys.argv[2]))
        return 0
    print("clean = clean_text CPU s (segmentation + all detectors); dups = detect_duplicates alone (CPU s)")
    print("peak = max RSS of the process (MB); pairs = candidate pairs scored with RapidFuzz")
    print("exact = exact-hash dedup script (wall s, its own process, start-up included); x = clean / exact")
    print("and dups / exact. Best of 3 up to 16k paragraphs, else one run.")
    header = (
        f"{'paragraphs':>10} {'MB':>5} {'clean':>7} {'growth':>6} {'dups':>7} {'peak MB':>7} "
        f"{'pairs':>10} {'removed':>7} {'repeats':>7} {'exact':>6} {'x clean':>7} {'x dups':>6}"
    )
    previous = None
    for size in SIZES:
        row: Any = _measure(size)
        if previous is None:
            print(f"document: {row['origin']}; a third of each look-alike's words replaced, 20% true repeats")
            print(header)
        growth = f"{row['clean'] / previous:.2f}x" if previous else "-"
        print(
            f"{size:>10} {row['mb']:>5.1f} {row['clean']:>7.2f} {growth:>6} {row['dups']:>7.2f} "
            f"{row['peak']:>7.0f} {row['pairs']:>10,} {row['removed']:>7} {row['repeats']:>7} "
            f"{row['exact']:>6.2f} {row['clean'] / row['exact']:>6.1f}x {row['dups'] / row['exact']:>5.1f}x",
            flush=True,
        )
        previous = row["clean"]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
