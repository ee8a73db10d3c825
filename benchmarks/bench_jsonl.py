"""`make bench BENCH=jsonl`: a generated JSONL corpus cleaned on one machine and on a Dask LocalCluster.

The corpus (default 1024 MB; CLEANER_BENCH_JSONL_MB=N for another size) is
generated once into a temporary folder and both runs read it:

- ``cleaner clean corpus.jsonl --output-dir ... --jobs 2`` (a process pool);
- ``cleaner clean corpus.jsonl --output-dir ... --dask local --jobs 2`` (a
  2-worker LocalCluster, one thread each).

Each run is a separate ``cleaner`` process; its whole process tree (pool
workers, or Dask scheduler, nannies and workers) is sampled every 0.2 s for the
peak of the summed RSS. RSS counts pages shared after fork in every process,
so the sum is an upper bound. Both outputs must be byte-identical.

Disk: the corpus plus two cleaned copies, about 2.9x the size, removed at the
end (CLEANER_BENCH_KEEP=1 keeps them). The machine is shared: timings are noisy.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.jsonl_corpus import jsonl_lines  # noqa: E402

MB = 1024 * 1024
SAMPLE_SECONDS = 0.2


def generate(path: Path, size: int) -> int:
    """Write records until ``size`` bytes; returns the record count."""
    written = count = 0
    with path.open("w", encoding="utf-8") as handle:
        while written < size:
            for line in jsonl_lines(5000, seed=count):
                handle.write(line)
                written += len(line.encode("utf-8"))
                count += 1
                if written >= size:
                    break
    return count


def _tree_rss(process: psutil.Process) -> tuple[int, int]:
    """(summed RSS of the process and all its descendants, RSS of the process itself)."""
    try:
        own = process.memory_info().rss
        children = process.children(recursive=True)
    except psutil.Error:
        return 0, 0
    total = own
    for child in children:
        with contextlib.suppress(psutil.Error):
            total += child.memory_info().rss
    return total, own


def measure(command: list[str]) -> tuple[float, int, int, int]:
    """Run ``command``; (wall seconds, peak tree RSS, peak main RSS, exit code)."""
    peaks = [0, 0]
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    watched = psutil.Process(proc.pid)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            total, own = _tree_rss(watched)
            peaks[0] = max(peaks[0], total)
            peaks[1] = max(peaks[1], own)
            done.wait(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = proc.communicate()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    if proc.returncode != 0:
        sys.stderr.write(stderr.decode("utf-8", "replace")[-2000:])
    return wall, peaks[0], peaks[1], proc.returncode


def digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(MB), b""):
            sha.update(block)
    return sha.hexdigest()[:16]


def main() -> int:
    size = int(float(os.environ.get("CLEANER_BENCH_JSONL_MB", "1024")) * MB)
    cleaner = str(Path(sys.executable).with_name("cleaner"))
    folder = Path(tempfile.mkdtemp(prefix="cleaner-bench-jsonl-"))
    try:
        (folder / ".cleaner.toml").write_text("")
        corpus = folder / "corpus.jsonl"
        started = time.perf_counter()
        records = generate(corpus, size)
        actual = corpus.stat().st_size
        print(
            f"corpus: {actual / MB:.0f} MB, {records} records, generated in "
            f"{time.perf_counter() - started:.0f} s into {folder} "
            f"(disk: ~{2.9 * actual / MB:.0f} MB with both outputs; removed at the end)",
            flush=True,
        )
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} (shared; noisy)")
        runs = {
            "--jobs 2 (process pool)": ["--jobs", "2"],
            "--dask local --jobs 2 (LocalCluster)": ["--dask", "local", "--jobs", "2"],
        }
        print(f"{'run':40} {'wall s':>8} {'MB/s':>7} {'peak RSS tree MB':>17} {'main MB':>8} {'output':>17}")
        digests = set()
        for label, flags in runs.items():
            out = folder / f"out-{len(digests)}"
            command = [cleaner, "clean", str(corpus), "--output-dir", str(out), "-q", *flags]
            wall, tree, own, code = measure(command)
            result = out / "corpus.jsonl"
            found = digest(result) if result.exists() else f"exit {code}"
            digests.add(found)
            speed = actual / MB / wall
            print(
                f"{label:40} {wall:8.1f} {speed:7.2f} {tree / MB:17.0f} {own / MB:8.0f} {found:>17}",
                flush=True,
            )
            if os.environ.get("CLEANER_BENCH_KEEP") != "1":
                shutil.rmtree(out, ignore_errors=True)
        print("outputs identical" if len(digests) == 1 else "OUTPUTS DIFFER")
    finally:
        if os.environ.get("CLEANER_BENCH_KEEP") != "1":
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
