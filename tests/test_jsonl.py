"""JSONL: field-preserving cleaning of one line, streamed files (plain and gzip), errors, --jobs."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cleaner.cli import app
from cleaner.config import Config
from cleaner.engine import Workers
from cleaner.jsonl import (
    JsonlOptions,
    MalformedRecord,
    chunk_lines,
    clean_file,
    clean_line,
    clean_record,
    scan_object,
)
from cleaner.runner import FileOutcome, Mode

from .jsonl_corpus import jsonl_lines

PARA = "The council voted on Tuesday to approve the new budget for the library renovation downtown."
DIRTY = f"{PARA}\n\n{PARA}\n\nLeave a Reply\n"
CLEAN = f"{PARA}\n"


def _line(record: dict[str, Any], **dump: Any) -> bytes:
    dump.setdefault("ensure_ascii", False)
    return (json.dumps(record, **dump) + "\n").encode()


def _clean(raw: bytes, options: JsonlOptions | None = None, number: int = 1) -> bytes:
    outcome = clean_line(raw, number, "t.jsonl", Config(), options or JsonlOptions())
    assert outcome.error is None, outcome.error
    return outcome.output if outcome.output is not None else raw


# --- one line -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "spans"),
    [
        ('{"a": 1, "text": "x"}', {"a": (6, 7), "text": (17, 20)}),
        ('  {"text":"x" ,"b":[1,{"c":2}]}  ', {"text": (10, 13), "b": (19, 30)}),
        ("{}", {}),
        ('{"a": 1, "a": 2}', {"a": (14, 15)}),
    ],
)
def test_scan_object_finds_value_spans(line: str, spans: dict[str, tuple[int, int]]) -> None:
    scanned = scan_object(line)
    assert scanned.spans == spans
    assert scanned.values == json.loads(line)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("[1, 2]", "not a JSON object"),
        ('{"text": "x"} {"text": "y"}', "extra data"),
        ('{"text": "x",}', "expected a key"),
        ('{"text" "x"}', "expected ':'"),
        ('{"text": "x" "y": 1}', "expected ','"),
        ('{"text": tru}', "Expecting value"),
        ('{"text": "unterminated}', "Unterminated string"),
    ],
)
def test_scan_object_rejects_what_is_not_one_object(line: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        scan_object(line)


def test_only_the_text_field_changes_and_every_other_byte_is_kept() -> None:
    # Odd spacing, an escaped non-ASCII field, an exponent float, nested values, text in the middle.
    head = b'{ "id" :7,"title":"Caf\\u00e9 \xc3\xa9t\xc3\xa9", "text" : '
    tail = b' ,"n": 1.50e3, "meta": {"k": [1, 2.0, null, true]}, "z": "\xe2\x80\x94"}\r\n'
    raw = head + json.dumps(DIRTY).encode() + tail
    out = _clean(raw)
    assert out.startswith(head) and out.endswith(tail)
    assert json.loads(out)["text"] == CLEAN
    assert list(json.loads(out)) == list(json.loads(raw))


def test_unicode_text_is_written_as_utf8_not_escaped() -> None:
    text = f"Zoë et Ngozi — «citation» 😀 {PARA}\n\n{PARA}\n"
    out = _clean(_line({"text": text, "x": "ü"}, ensure_ascii=True))
    assert "😀".encode() in out and b"\\ud83d" not in out
    assert json.loads(out)["text"] == f"Zoë et Ngozi — «citation» 😀 {PARA}\n"


def test_a_record_with_nothing_to_remove_is_written_as_read() -> None:
    raw = b'{"text":"Just one paragraph.\\n","n":1.0E+2}\n'
    outcome = clean_line(raw, 1, "t.jsonl", Config(), JsonlOptions())
    assert outcome.output is None and outcome.result is not None and not outcome.result.changed


def test_keep_removed_appends_reasons_and_a_second_pass_changes_nothing() -> None:
    options = JsonlOptions(keep_removed=True)
    once = _clean(_line({"id": 1, "text": DIRTY, "lang": "en"}), options)
    record = json.loads(once)
    assert list(record) == ["id", "text", "lang", "cleaner_removed"]
    assert [r["rule"] for r in record["cleaner_removed"]] == ["duplicate:exact", "boilerplate:comment-form"]
    assert record["cleaner_removed"][0]["twin"]["text"] == PARA
    assert _clean(once, options) == once


def test_keep_removed_adds_to_an_existing_list() -> None:
    earlier = [{"rule": "from-an-earlier-tool"}]
    raw = _line({"text": DIRTY, "cleaner_removed": earlier})
    record = json.loads(_clean(raw, JsonlOptions(keep_removed=True)))
    assert record["cleaner_removed"][0] == earlier[0] and len(record["cleaner_removed"]) == 3


def test_a_lone_surrogate_is_written_escaped_so_the_line_stays_utf8() -> None:
    raw = b'{"text": "A \\ud800 mark. ' + json.dumps(DIRTY).encode()[1:-1] + b'"}\n'
    out = _clean(raw)
    assert "\ud800" in json.loads(out.decode("utf-8"))["text"]


def test_bom_and_missing_final_newline_are_kept() -> None:
    raw = "\ufeff".encode() + _line({"text": DIRTY}).rstrip(b"\n")
    out = _clean(raw)
    assert out.startswith("\ufeff".encode()) and not out.endswith(b"\n")
    assert json.loads(out.decode("utf-8-sig"))["text"] == CLEAN


def test_another_text_field_can_be_named() -> None:
    raw = _line({"text": DIRTY, "body": DIRTY})
    record = json.loads(_clean(raw, JsonlOptions(text_field="body")))
    assert record == {"text": DIRTY, "body": CLEAN}


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (b"not json\n", "t.jsonl:4: malformed JSON record: not a JSON object"),
        (b'{"text": "a"\n', "t.jsonl:4: malformed JSON record: expected ','"),
        (b'{"body": "a"}\n', "t.jsonl:4: no 'text' field"),
        (b'{"text": null}\n', "t.jsonl:4: a non-string 'text' field"),
        (b'{"text": "caf\xe9"}\n', "t.jsonl:4: not valid UTF-8 at byte 14"),
    ],
)
def test_a_bad_line_is_an_error_naming_file_and_line(raw: bytes, problem: str) -> None:
    outcome = clean_line(raw, 4, "t.jsonl", Config(), JsonlOptions())
    assert outcome.error is not None and outcome.error.startswith(problem)
    assert outcome.output is None


def test_clean_record_keeps_key_order_and_other_values() -> None:
    record = {"id": 1, "text": DIRTY, "meta": {"a": [1]}}
    assert clean_record(record, Config(), JsonlOptions()) == {"id": 1, "text": CLEAN, "meta": {"a": [1]}}
    assert list(clean_record(record, Config(), JsonlOptions())) == ["id", "text", "meta"]
    with pytest.raises(MalformedRecord):
        clean_record({"id": 1}, Config(), JsonlOptions())


_json_leaf = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8)
_json = st.recursive(
    _json_leaf,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
_paragraphs = st.lists(
    st.sampled_from([PARA, "Leave a Reply", "Zoë — ok.", "", "ünï"]) | st.text(max_size=30), max_size=6
)


@settings(max_examples=150, deadline=None)
@given(
    fields=st.dictionaries(st.text(max_size=6).filter(lambda k: k != "text"), _json, max_size=4),
    paragraphs=_paragraphs,
    position=st.integers(min_value=0, max_value=4),
    ascii_only=st.booleans(),
)
def test_property_other_fields_survive_and_cleaning_is_idempotent(
    fields: dict[str, Any], paragraphs: list[str], position: int, ascii_only: bool
) -> None:
    items = list(fields.items())
    items.insert(min(position, len(items)), ("text", "\n\n".join(paragraphs)))
    raw = _line(dict(items), ensure_ascii=ascii_only)
    out = _clean(raw, JsonlOptions(keep_removed=True))
    before, after = json.loads(raw), json.loads(out)
    assert list(after)[: len(before)] == list(before)
    assert {k: v for k, v in after.items() if k not in ("text", "cleaner_removed")} == {
        k: v for k, v in before.items() if k != "text"
    }
    assert _clean(out, JsonlOptions(keep_removed=True)) == out


# --- streaming, order, bounded memory -------------------------------------------------


def test_chunks_hold_about_the_chunk_size_and_a_big_line_alone() -> None:
    lines = [b"x" * 10 + b"\n"] * 5 + [b"y" * 100 + b"\n"] + [b"z\n"]
    chunks = list(chunk_lines(lines, chunk_bytes=25))
    assert [(c.first_line, len(c.lines)) for c in chunks] == [(1, 3), (4, 3), (7, 1)]
    assert [line for c in chunks for line in c.lines] == lines


def _write_corpus(path: Path, count: int = 60, extra: bytes = b"") -> bytes:
    data = "".join(jsonl_lines(count)).encode() + extra
    if path.name.endswith(".gz"):
        path.write_bytes(gzip.compress(data, mtime=0))
    else:
        path.write_bytes(data)
    return data


def _run(
    source: Path,
    target: Path | None,
    workers: Workers | None = None,
    chunk_bytes: int = 1 << 20,
    **options: Any,
) -> Any:
    outcomes: list[FileOutcome] = []
    summary = clean_file(
        source,
        target,
        Config(),
        JsonlOptions(**options),
        Mode.FIX,
        workers or Workers(),
        outcomes.append,
        chunk_bytes,
    )
    return summary, outcomes


def test_a_process_pool_gives_the_same_bytes_as_one_process(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    _write_corpus(source, 80, extra=b"oops\n")
    one, _ = _run(source, tmp_path / "one.jsonl", chunk_bytes=3000)
    with Workers(2) as workers:
        two, _ = _run(source, tmp_path / "two.jsonl", workers, chunk_bytes=3000)
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "two.jsonl").read_bytes()
    assert one == two and one.changed > 20 and one.failed == 1


def test_in_place_rewrite_that_fails_leaves_the_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "in.jsonl"
    data = _write_corpus(source, 20)

    def refuse(src: Any, dst: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    summary, _ = _run(source, source)
    assert summary.error is not None and "No space left" in summary.error
    assert source.read_bytes() == data
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]  # no temp file left


# --- the command line ------------------------------------------------------------------


@pytest.fixture
def cli() -> CliRunner:
    return CliRunner()


def test_cli_round_trip_keeps_extra_fields_and_unicode(isolated: Path, cli: CliRunner) -> None:
    source = isolated / "corpus.jsonl"
    data = _write_corpus(source, 40)
    result = cli.invoke(app, ["clean", "corpus.jsonl", "--output-dir", "out", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    out = (isolated / "out" / "corpus.jsonl").read_bytes()
    assert source.read_bytes() == data
    before = [json.loads(line) for line in data.splitlines()]
    after = [json.loads(line) for line in out.splitlines()]
    assert len(after) == 40 and sum(a != b for a, b in zip(before, after, strict=True)) > 10
    for b, a in zip(before, after, strict=True):
        assert list(a) == list(b) and {**a, "text": None} == {**b, "text": None}
    assert "ä-ß".encode() in out and b"\\u00e4" not in out
    # cleaning the output again changes nothing
    again = cli.invoke(app, ["clean", "out/corpus.jsonl", "--check"])
    assert again.exit_code == 0, again.output


def test_cli_in_place_gz_in_and_out(isolated: Path, cli: CliRunner) -> None:
    source = isolated / "corpus.jsonl.gz"
    data = _write_corpus(source, 30)
    (isolated / "plain.jsonl").write_bytes(data)
    assert cli.invoke(app, ["clean", "plain.jsonl"]).exit_code == 0
    result = cli.invoke(app, ["clean", "corpus.jsonl.gz"])
    assert result.exit_code == 0, result.output
    cleaned = source.read_bytes()
    assert cleaned[:2] == b"\x1f\x8b" and gzip.decompress(cleaned) == (isolated / "plain.jsonl").read_bytes()
    assert cli.invoke(app, ["clean", "corpus.jsonl.gz"]).exit_code == 0
    assert source.read_bytes() == cleaned  # nothing left to change: untouched


def test_cli_gz_to_output_dir_is_deterministic(isolated: Path, cli: CliRunner) -> None:
    _write_corpus(isolated / "corpus.jsonl.gz", 10)
    for out in ("a", "b"):
        assert cli.invoke(app, ["clean", ".", "--format", "jsonl", "--output-dir", out]).exit_code == 0
    assert (isolated / "a" / "corpus.jsonl.gz").read_bytes() == (
        isolated / "b" / "corpus.jsonl.gz"
    ).read_bytes()


def test_cli_corrupt_gz_is_reported_and_left_alone(isolated: Path, cli: CliRunner) -> None:
    source = isolated / "corpus.jsonl.gz"
    _write_corpus(source, 30)
    broken = source.read_bytes()[:-200]
    source.write_bytes(broken)
    result = cli.invoke(app, ["clean", "corpus.jsonl.gz"])
    assert result.exit_code == 123
    assert "corpus.jsonl.gz: cannot process" in result.stderr
    assert source.read_bytes() == broken


def test_cli_on_error_skip_copies_the_line_and_reports_it(isolated: Path, cli: CliRunner) -> None:
    source = isolated / "corpus.jsonl"
    data = _write_corpus(source, 5, extra=b'{"text": \n' + _line({"text": DIRTY}))
    result = cli.invoke(app, ["clean", "corpus.jsonl", "--on-error", "skip"])
    assert result.exit_code == 123
    assert "corpus.jsonl:6: malformed JSON record" in result.stderr
    lines = source.read_bytes().splitlines(keepends=True)
    assert len(lines) == 7 and lines[5] == b'{"text": \n'
    assert json.loads(lines[6])["text"] == CLEAN
    assert lines != data.splitlines(keepends=True)


def test_cli_on_error_stop_changes_nothing_and_stops_the_run(isolated: Path, cli: CliRunner) -> None:
    first = isolated / "a.jsonl"
    second = isolated / "b.jsonl"
    data = _write_corpus(first, 5, extra=b"garbage\n" + _line({"text": DIRTY}))
    later = _line({"text": DIRTY})
    second.write_bytes(later)
    result = cli.invoke(app, ["clean", "a.jsonl", "b.jsonl", "--on-error", "stop"])
    assert result.exit_code == 123
    assert "a.jsonl:6: malformed JSON record" in result.stderr and "stopped at a.jsonl:6" in result.stderr
    assert first.read_bytes() == data and second.read_bytes() == later
    assert sorted(p.name for p in isolated.iterdir()) == [".cleaner.toml", "a.jsonl", "b.jsonl"]


def test_cli_check_diff_stdout_and_stdin(isolated: Path, cli: CliRunner) -> None:
    raw = _line({"id": 1, "text": DIRTY}) + _line({"id": 2, "text": CLEAN})
    (isolated / "c.jsonl").write_bytes(raw)
    check = cli.invoke(app, ["clean", "c.jsonl", "--check", "-v"])
    assert check.exit_code == 1 and "would clean c.jsonl: 1 of 2 record(s)" in check.stderr
    diff = cli.invoke(app, ["clean", "c.jsonl", "--diff"])
    assert diff.exit_code == 1 and "+++ b/c.jsonl:1" in diff.stdout and "-Leave a Reply" in diff.stdout
    assert (isolated / "c.jsonl").read_bytes() == raw
    expected = _line({"id": 1, "text": CLEAN}) + _line({"id": 2, "text": CLEAN})
    printed = cli.invoke(app, ["clean", "c.jsonl", "--stdout"])
    assert printed.exit_code == 0 and printed.stdout_bytes == expected
    piped = cli.invoke(app, ["clean", "-", "--format", "jsonl"], input=raw)
    assert piped.exit_code == 0 and piped.stdout_bytes == expected
    assert (isolated / "c.jsonl").read_bytes() == raw


def test_cli_keep_removed_and_text_field(isolated: Path, cli: CliRunner) -> None:
    (isolated / "c.jsonl").write_bytes(_line({"body": DIRTY, "text": "other"}))
    result = cli.invoke(app, ["clean", "c.jsonl", "--text-field", "body", "--keep-removed"])
    assert result.exit_code == 0, result.output
    record = json.loads((isolated / "c.jsonl").read_bytes())
    assert record["body"] == CLEAN and record["text"] == "other"
    assert [r["rule"] for r in record["cleaner_removed"]] == ["duplicate:exact", "boilerplate:comment-form"]


def test_cli_jobs_two_equals_jobs_one(isolated: Path, cli: CliRunner) -> None:
    _write_corpus(isolated / "c.jsonl", 400)  # > 1 MB: two chunks, so the pool is used
    for jobs in ("1", "2"):
        result = cli.invoke(app, ["clean", "c.jsonl", "--jobs", jobs, "--output-dir", f"j{jobs}"])
        assert result.exit_code == 0, result.output
    assert (isolated / "j1" / "c.jsonl").read_bytes() == (isolated / "j2" / "c.jsonl").read_bytes()


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--format", "xml"], "Invalid value for '--format'"),
        (["--on-error", "ignore"], "Invalid value for '--on-error'"),
        (["--dask", "remote"], "Invalid value for '--dask'"),
        (["--dask", "local", "--scheduler", "tcp://127.0.0.1:1"], "exclude each other"),
    ],
)
def test_cli_rejects_bad_jsonl_flags(isolated: Path, cli: CliRunner, flags: list[str], message: str) -> None:
    (isolated / "c.jsonl").write_bytes(_line({"text": DIRTY}))
    result = cli.invoke(app, ["clean", "c.jsonl", *flags])
    assert result.exit_code == 2 and message in result.stderr


def test_cli_report_names_each_record_by_file_and_line(isolated: Path, cli: CliRunner) -> None:
    (isolated / "c.jsonl").write_bytes(_line({"text": CLEAN}) + b"[]\n" + _line({"text": DIRTY}))
    result = cli.invoke(app, ["clean", "c.jsonl", "--check", "--report", "r.json"])
    assert result.exit_code == 123
    files = json.loads((isolated / "r.json").read_text())["files"]
    assert [(f["path"], "error" in f, f.get("changed")) for f in files] == [
        ("c.jsonl:1", False, False),
        ("c.jsonl:2", True, None),
        ("c.jsonl:3", False, True),
    ]
    assert [r["rule"] for r in files[2]["removed"]] == ["duplicate:exact", "boilerplate:comment-form"]


def test_cli_in_place_writes_through_a_symlink(isolated: Path, cli: CliRunner) -> None:
    real = isolated / "data" / "c.jsonl"
    real.parent.mkdir()
    real.write_bytes(_line({"text": DIRTY}))
    (isolated / "link.jsonl").symlink_to(real)
    assert cli.invoke(app, ["clean", "link.jsonl"]).exit_code == 0
    assert (isolated / "link.jsonl").is_symlink()
    assert json.loads(real.read_bytes())["text"] == CLEAN
    before = real.stat().st_mtime_ns, real.stat().st_ino
    assert cli.invoke(app, ["clean", "link.jsonl"]).exit_code == 0
    assert (real.stat().st_mtime_ns, real.stat().st_ino) == before  # clean now: not rewritten
