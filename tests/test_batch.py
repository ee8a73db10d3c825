"""Batch runs: any --jobs gives the same files, report and messages; progress only on a terminal."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner.batch import CHUNK, Job, clean_batch, count_batch
from cleaner.cli import app
from cleaner.config import Config
from cleaner.engine import WINDOW, Workers
from cleaner.files import Input, discover
from cleaner.runner import Mode

FOOTER = "Leave a Reply\n\nYour email address will not be published.\n\n*\n"


def _page(n: int) -> str:
    facts = [
        f"Page {n} opens with its own account of event number {n}, told in a sentence long enough to count.",
        f"A second paragraph of page {n} adds detail {n * 7} that no other page of the batch repeats.",
    ]
    repeat = facts[0] if n % 3 == 0 else f"A closing thought, different on page {n}, of {n * 11} words or so."
    return "\n\n".join([f"Title {n}", *facts, repeat]) + "\n\n" + (FOOTER if n % 2 else "")


def make_corpus(root: Path, count: int) -> Path:
    corpus = root / "corpus"
    for n in range(count):
        folder = corpus / f"part{n % 4}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"page{n:03d}.txt").write_text(_page(n), encoding="utf-8")
    # Bytes no encoding reads (a legacy code page would be detected and kept).
    (corpus / "part0" / "broken.txt").write_bytes(bytes(range(0x80, 0x100)) + b"\n")
    return corpus


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_jobs_1_and_2_write_the_same_files_report_and_messages(isolated: Path) -> None:
    corpus = make_corpus(isolated, 3 * CHUNK + 5)  # several chunks, so the pool really runs
    runner = CliRunner()
    runs = {}
    for jobs in (1, 2):
        out = isolated / f"out{jobs}"
        report = isolated / f"report{jobs}.json"
        result = runner.invoke(
            app,
            ["clean", str(corpus), "--output-dir", str(out), "--jobs", str(jobs), "--report", str(report)],
        )
        assert result.exit_code == 123, result.output  # broken.txt failed, the rest were cleaned
        runs[jobs] = (_tree(out), json.loads(report.read_text()), result.stderr)
    assert runs[1] == runs[2]
    tree, report_json, stderr = runs[1]
    assert len(tree) == 3 * CHUNK + 5
    assert report_json["summary"]["failed"] == 1
    assert report_json["summary"]["removed"]["boilerplate:comment-form"] > 0
    assert "duplicate:exact" in report_json["summary"]["removed"]
    assert "cannot tell which encoding" in stderr


def test_summary_counts_files_blocks_and_bytes_per_rule(isolated: Path) -> None:
    corpus = make_corpus(isolated, 4)
    result = CliRunner().invoke(app, ["clean", str(corpus), "--check", "--jobs", "1", "-v"])
    assert result.exit_code == 123
    lines = result.stderr.splitlines()
    assert "5 file(s) seen, 3 would change, 1 failed" in lines
    assert "would remove 8 block(s), 296 bytes" in lines
    # page000 and page003 repeat a paragraph; page001 and page003 each lose
    # "Leave a Reply" (13 bytes) and the 41-byte notice
    assert "  boilerplate:comment-form: 4 block(s), 108 bytes" in lines


@pytest.mark.parametrize("mode", [Mode.CHECK, Mode.FIX])  # FIX cleans a chunk's files two at a time
def test_clean_batch_results_keep_input_order(mode: Mode) -> None:
    config = Config()
    items = [Input(Path(f"/nonexistent/{n}.txt"), Path("/nonexistent")) for n in range(2 * CHUNK + 3)]
    with Workers(2) as workers:
        names = [done.name for done in clean_batch(items, Job(config, mode), workers)]
    assert names == [str(item.path) for item in items]


def test_count_batch_is_the_same_for_any_jobs(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path, 2 * CHUNK + 1)
    found = list(discover([corpus], ("*.txt",), ()))
    with Workers(1) as one_job, Workers(2) as two_jobs:
        one, two = count_batch(found, one_job, Config()), count_batch(found, two_jobs, Config())
    assert one == two
    counts, documents = one
    assert documents == 2 * CHUNK + 1  # the undecodable file is not a document
    assert counts["leave a reply"] == CHUNK  # the odd pages


def _stderr_on_a_terminal(args: list[str], cwd: Path) -> str:
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "cleaner", *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=follower,
        env={**os.environ, "COLUMNS": "100", "TERM": "xterm"},
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # EIO: the child closed its end
            break
        if not data:
            break
        chunks.append(data)
    process.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.parametrize("quiet", [False, True])
def test_progress_bar_only_on_a_terminal_and_not_quiet(isolated: Path, quiet: bool) -> None:
    corpus = make_corpus(isolated, 6)
    args = ["clean", str(corpus), "--check", "--jobs", "1", *(["--quiet"] if quiet else [])]
    on_terminal = _stderr_on_a_terminal(args, isolated)
    assert ("cleaning" in on_terminal) is not quiet
    piped = subprocess.run([sys.executable, "-m", "cleaner", *args], cwd=isolated, capture_output=True)
    assert b"cleaning" not in piped.stderr
    assert b"\x1b[" not in piped.stderr and b"\r" not in piped.stderr


def test_files_are_streamed_not_collected_first() -> None:
    # Bounded memory: the pool only ever holds a window of chunks, whatever the folder size.
    consumed = 0

    def endless() -> Iterator[Input]:
        nonlocal consumed
        while True:
            consumed += 1
            yield Input(Path(f"/nonexistent/{consumed}.txt"), Path("/nonexistent"))

    with Workers(2) as workers:
        results = clean_batch(endless(), Job(Config(), Mode.CHECK), workers)
        first = [next(results) for _ in range(5)]
        results.close()  # cancels the chunks in flight
    assert [done.name for done in first] == [f"/nonexistent/{n}.txt" for n in range(1, 6)]
    assert consumed <= (2 * WINDOW + 1) * CHUNK
