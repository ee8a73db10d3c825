"""A `clean` run as a new user meets it: no input lost or silently skipped, and quiet by default."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from typer.testing import CliRunner

from cleaner import __version__
from cleaner.cli import app

ARTICLE = "The harbour authority said on Tuesday that the new terminal would open in the spring."
DIRTY = f"{ARTICLE}\n\n{ARTICLE}\n\nLeave a Reply\n"
CLEANED = f"{ARTICLE}\n"
# Cleaning would remove all but one word: the safety net must keep it, as a file and as a record.
GUTTED = "Short.\n\nLeave a Reply\n\nYour email address will not be published."


def run(*args: str, input: bytes | None = None):  # noqa: A002 - mirrors CliRunner
    return CliRunner().invoke(app, list(args), input=input)


def _record(text: str, **fields: object) -> bytes:
    return (json.dumps({**fields, "text": text}) + "\n").encode()


def test_two_inputs_for_one_output_path_are_an_error_before_anything_is_written(isolated: Path) -> None:
    coll = isolated / "coll"
    coll.mkdir()
    (coll / "page.html").write_text(f"<html><body><article><p>{ARTICLE}</p></article></body></html>")
    (coll / "page.txt").write_text(DIRTY)
    result = run("clean", "coll", "-o", "collout")
    assert result.exit_code == 2
    assert "coll/page.html and coll/page.txt would both be written to collout/page.txt" in result.stderr
    assert not (isolated / "collout").exists()


def test_two_named_files_with_one_name_clash_too(isolated: Path) -> None:
    for folder in ("a", "b"):
        (isolated / folder).mkdir()
        (isolated / folder / "page.txt").write_text(DIRTY)
    result = run("clean", "a/page.txt", "b/page.txt", "-o", "out")
    assert result.exit_code == 2 and "would both be written to out/page.txt" in result.stderr
    assert not (isolated / "out").exists()


def test_a_jsonl_record_gets_the_same_safety_net_as_a_file(isolated: Path) -> None:
    (isolated / "page.txt").write_text(GUTTED)
    as_file = run("clean", "page.txt")
    assert as_file.exit_code == 123 and (isolated / "page.txt").read_text() == GUTTED
    raw = _record(GUTTED, id=1) + _record(DIRTY, id=2)
    (isolated / "c.jsonl").write_bytes(raw)
    result = run("clean", "c.jsonl", "--report", "r.json")
    assert result.exit_code == 123
    assert "c.jsonl:1: would lose" in result.stderr and "held back" in result.stderr
    first, second = (isolated / "c.jsonl").read_bytes().splitlines(keepends=True)
    assert first == _record(GUTTED, id=1)  # copied unchanged
    assert json.loads(second)["text"] == CLEANED
    summary = json.loads((isolated / "r.json").read_text())["summary"]
    assert summary["records"] == {"seen": 2, "changed": 1, "failed": 1, "held": 1}
    assert "2 JSONL record(s) seen, 1 changed, 1 failed (1 held back, left unchanged)" in result.stderr


def test_a_folder_in_auto_mode_takes_jsonl_and_counts_what_it_skips(isolated: Path) -> None:
    data = isolated / "data"
    data.mkdir()
    (data / "a.txt").write_text(DIRTY)
    (data / "b.jsonl").write_bytes(_record(DIRTY))
    with gzip.open(data / "c.jsonl.gz", "wb") as handle:
        handle.write(_record(DIRTY))
    (data / "d.pdf").write_bytes(b"%PDF-1.4\n")
    (data / "e.json").write_text("{}")
    (data / ".notes.txt").write_text(DIRTY)
    result = run("clean", "data")
    assert result.exit_code == 0, result.output
    assert (data / "a.txt").read_text() == CLEANED
    assert json.loads((data / "b.jsonl").read_bytes())["text"] == CLEANED
    assert json.loads(gzip.decompress((data / "c.jsonl.gz").read_bytes()))["text"] == CLEANED
    assert (data / ".notes.txt").read_text() == DIRTY
    lines = result.stderr.splitlines()
    assert "3 file(s) seen, 3 changed, 0 failed" in lines
    assert "2 JSONL record(s) seen, 2 changed, 0 failed" in lines
    assert "skipped 3 file(s): 1 hidden, 2 name not matched by the include globs" in lines


def test_a_300_file_folder_prints_a_short_summary(isolated: Path) -> None:
    corpus = isolated / "corpus"
    for n in range(300):
        folder = corpus / f"part{n % 7}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"page{n:03}.txt").write_text(f"Page {n} opens with its own words.\n\n" + DIRTY)
    result = run("clean", "corpus", "--jobs", "1")
    assert result.exit_code == 0
    assert len(result.stderr.splitlines()) <= 12, result.stderr
    assert "300 file(s) seen, 300 changed, 0 failed" in result.stderr
    assert result.stdout == ""


def test_verbose_says_each_changed_file_and_very_verbose_each_block(isolated: Path) -> None:
    (isolated / "a.txt").write_text(DIRTY)
    (isolated / "b.txt").write_text(CLEANED)
    once = run("clean", "a.txt", "b.txt", "--check", "-v")
    assert f"would clean {Path('a.txt')}" in once.stderr and "b.txt" not in once.stderr
    assert "duplicate:exact" in once.stderr  # the per-rule counts of the summary
    assert "line 3" not in once.stderr
    twice = run("clean", "a.txt", "b.txt", "--check", "-vv")
    assert "line 3: duplicate:exact of line 1" in twice.stderr
    quiet = run("clean", "a.txt", "--check", "-q")
    assert quiet.stderr == "" and quiet.exit_code == 1


def test_in_place_on_a_folder_html_pages_are_one_summary_line(isolated: Path) -> None:
    site = isolated / "site"
    site.mkdir()
    (site / "a.txt").write_text(DIRTY)
    pages = {}
    for n in range(5):
        page = site / f"p{n}.html"
        page.write_text(f"<html><body><p>{ARTICLE} {n}</p></body></html>")
        pages[page] = page.read_bytes()
    result = run("clean", "site")
    assert result.exit_code == 123  # documented: not every input was processed
    assert "error" not in result.stderr
    assert [ln for ln in result.stderr.splitlines() if "HTML" in ln] == [
        "skipped 5 file(s): 5 HTML page(s) not rewritten in place (--output-dir DIR writes their text)"
    ]
    assert (site / "a.txt").read_text() == CLEANED
    assert all(page.read_bytes() == data for page, data in pages.items())


def test_version_ranges_and_help_without_escapes(isolated: Path) -> None:
    version = run("--version")
    assert version.exit_code == 0 and version.stdout == f"cleaner {__version__}\n"
    (isolated / "a.txt").write_text(DIRTY)
    for flag in ("--near-threshold", "--containment-threshold"):
        result = run("clean", "a.txt", flag, "150")
        assert result.exit_code == 2 and "150" in result.stderr, flag
    assert (isolated / "a.txt").read_text() == DIRTY
    for command in ("clean", "learn", "explain"):
        help_text = run(command, "--help").stdout
        assert "\\[" not in help_text and "[required]" in help_text + "[required]", command
    assert "[x>=1]" in run("learn", "--help").stdout


def test_the_output_folder_is_never_read_as_input(isolated: Path) -> None:
    source = isolated / "in"
    source.mkdir()
    (source / "a.txt").write_text(DIRTY)
    for _ in range(2):
        result = run("clean", "in", "-o", "in/out")
        assert result.exit_code == 0, result.output
    assert sorted(p.relative_to(source).as_posix() for p in source.rglob("*")) == [
        "a.txt",
        "out",
        "out/a.txt",
    ]
    assert "1 the output folder of this run" in result.stderr


def test_learn_reads_files_with_the_run_config(isolated: Path) -> None:
    # Batch counting once read every file with the default Config (here: its size limit).
    (isolated / ".cleaner.toml").write_text("max_file_bytes = 1000\n")
    for n in range(4):
        padding = "" if n < 2 else f"{ARTICLE}\n\n" * 20
        (isolated / f"p{n}.txt").write_text(
            f"Page {n} of the harbour news.\n\nFollow the harbour desk\n\n{padding}"
        )
    result = run("learn", ".", "-o", "-")
    assert result.exit_code == 0, result.output
    assert "from 2 file(s)" in result.stdout  # the two files over the limit are not counted
    assert "follow the harbour desk" not in result.stdout.splitlines()
