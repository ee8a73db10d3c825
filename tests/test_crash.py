"""Crash safety: a batch run killed with SIGKILL at random moments never leaves a damaged file.

Each trial puts a random share of the corpus back to its original bytes (so
there is always writing going on), starts ``cleaner clean`` on the whole tree
in a subprocess, kills it at a random moment of its expected run time, and
checks every file: byte-identical to its original or to its fully cleaned
version, nothing else. At the end one run is left to finish: every file must
then be cleaned and no temp file left behind.

CLEANER_CRASH_TRIALS / CLEANER_CRASH_FILES / CLEANER_CRASH_SEED scale it up
for a long local run; the defaults keep it well under a minute. The counts are
printed (``pytest -s``) for the record.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from cleaner import clean_bytes
from cleaner.files import TEMP_SUFFIX

TRIALS = int(os.environ.get("CLEANER_CRASH_TRIALS", "20"))
FILES = int(os.environ.get("CLEANER_CRASH_FILES", "2000"))
SEED = int(os.environ.get("CLEANER_CRASH_SEED", "20261127"))
# Share of the files put back to their original, dirty bytes before each trial.
RESET_SHARE = 0.05

SENTENCES = [
    "The council approved the budget on Monday after a debate that lasted most of the night.",
    "Opposition members said the plan cut too deeply into library funding and youth services.",
    "The harbour authority said on Tuesday that the new terminal would open in the spring.",
    "Größe und Maße der neuen Halle wurden am Dienstag in der Stadthalle vorgestellt.",
    "Le café était plein à craquer ce matin-là, raconte la propriétaire du café du port.",
]
FURNITURE = ["Leave a Reply", "Your email address will not be published.", "Post Comment"]


def make_document(rng: random.Random, number: int) -> bytes:
    """A small scraped page: a title, paragraphs, one repeated, comment-form debris; varied bytes."""
    paragraphs = [f"Report {number}: {rng.choice(SENTENCES)}", *rng.sample(SENTENCES, 3)]
    paragraphs.insert(rng.randrange(2, len(paragraphs) + 1), paragraphs[rng.randrange(1, 4)])
    paragraphs.extend(rng.sample(FURNITURE, rng.randrange(1, 3)))
    newline = rng.choice(["\n", "\n", "\r\n", "\r"])
    text = (newline * 2).join(paragraphs) + rng.choice([newline, ""])
    style = rng.randrange(4)
    if style == 0:
        return text.encode("cp1252")
    if style == 1:
        return b"\xef\xbb\xbf" + text.encode()
    if style == 2:  # a stray byte in a kept paragraph
        return text.encode().replace(b"Report", b"Rep\xffort", 1)
    return text.encode()


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.name.endswith(TEMP_SUFFIX)
    }


def temp_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.endswith(TEMP_SUFFIX)]


def start(root: Path) -> subprocess.Popen[bytes]:
    (root.parent / ".cleaner.toml").write_text("")
    return subprocess.Popen(
        [sys.executable, "-m", "cleaner", "clean", str(root), "--quiet"],
        cwd=root.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def test_sigkill_at_random_moments_never_damages_a_file(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    root = tmp_path / "corpus"
    originals: dict[str, bytes] = {}
    for number in range(FILES):
        relative = f"site{number % 25:02d}/page{number:05d}.txt"
        originals[relative] = make_document(rng, number)
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
    cleaned = {name: clean_bytes(data) for name, data in originals.items()}
    assert sum(cleaned[n] != originals[n] for n in originals) == FILES  # every file has work to do

    def reset_some() -> None:
        for name in rng.sample(sorted(originals), int(FILES * RESET_SHARE)):
            (root / name).write_bytes(originals[name])

    # Start from the cleaned corpus; one uninterrupted run over a reset share
    # checks the command's output and tells how long a trial's run takes.
    for name, data in cleaned.items():
        (root / name).write_bytes(data)
    reset_some()
    started = time.perf_counter()
    process = start(root)
    assert process.wait(timeout=300) == 0, process.stderr.read() if process.stderr else ""
    full_run = time.perf_counter() - started
    assert snapshot(root) == cleaned

    checked = damaged = killed_mid_run = temps_seen = 0
    window = full_run
    for _ in range(TRIALS):
        reset_some()
        delay = rng.uniform(0.0, window)
        process = start(root)
        time.sleep(delay)
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            killed_mid_run += 1
        else:
            window *= 0.8  # runs are quicker than the calibration run was: aim earlier
        process.wait(timeout=300)
        state = snapshot(root)
        assert set(state) == set(originals), "files appeared or vanished"
        for name, data in state.items():
            checked += 1
            if data != originals[name] and data != cleaned[name]:
                damaged += 1
        temps_seen += len(temp_files(root))

    process = start(root)
    assert process.wait(timeout=300) == 0, process.stderr.read() if process.stderr else ""
    print(
        f"\ncrash trials: {TRIALS} ({killed_mid_run} killed mid-run), files checked: {checked}, "
        f"damaged: {damaged}, stale temp files seen after kills: {temps_seen}, "
        f"a run with {int(FILES * RESET_SHARE)} of {FILES} files to clean: {full_run:.1f} s"
    )
    assert damaged == 0
    assert killed_mid_run >= TRIALS // 2
    assert snapshot(root) == cleaned, "a re-run did not complete the job"
    assert temp_files(root) == [], "stale temp files were not cleaned up"


def test_sigterm_mid_run_removes_its_temp_file(tmp_path: Path) -> None:
    rng = random.Random(SEED + 1)
    root = tmp_path / "corpus"
    originals = {f"page{n:04d}.txt": make_document(rng, n) for n in range(300)}
    root.mkdir()
    cleaned = {name: clean_bytes(data) for name, data in originals.items()}
    first = root / "page0000.txt"
    terminated = 0
    for _ in range(5):
        for name, data in originals.items():
            (root / name).write_bytes(data)
        process = start(root)
        # Wait until it is writing (the first file is done), then stop it a moment later.
        deadline = time.monotonic() + 120
        while process.poll() is None and first.read_bytes() != cleaned[first.name]:
            assert time.monotonic() < deadline
            time.sleep(0.002)
        time.sleep(rng.uniform(0.0, 0.1))
        if process.poll() is None:
            os.kill(process.pid, signal.SIGTERM)
        terminated += process.wait(timeout=300) == 128 + signal.SIGTERM
        assert temp_files(root) == []
        for name, data in snapshot(root).items():
            assert data in (originals[name], cleaned[name])
    print(f"\nSIGTERM trials: 5, stopped by the signal mid-run: {terminated}")
    assert terminated >= 1


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found.update(int(child) for child in (task / "children").read_text().split())
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited


def test_workers_leave_when_their_run_is_killed(tmp_path: Path) -> None:
    # A run killed outright cannot stop its pool: the workers notice and exit.
    rng = random.Random(SEED)
    root = tmp_path / "corpus"
    root.mkdir()
    for number in range(400):
        (root / f"page{number:04d}.txt").write_bytes(make_document(rng, number))
    process = start(root)
    workers: set[int] = set()
    deadline = time.monotonic() + 30
    while len(workers) < 2 and process.poll() is None and time.monotonic() < deadline:
        workers |= _children(process.pid)
        time.sleep(0.01)
    assert workers, "no worker was started"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    deadline = time.monotonic() + 10
    while any(map(_alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [pid for pid in workers if _alive(pid)]
    for pid in left:  # do not leave them running if the check fails
        os.kill(pid, signal.SIGKILL)
    assert not left
