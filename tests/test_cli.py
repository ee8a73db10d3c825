"""The `clean` command end to end, through Typer's CliRunner, on tmp folders with an empty config."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner.cli import app

DIRTY = (
    "A headline about the harbour\n\n"
    "The harbour authority said on Tuesday that the new terminal would open in the spring.\n\n"
    "The harbour authority said on Tuesday that the new terminal would open in the spring.\n\n"
    "Leave a Reply\n"
)
CLEANED = (
    "A headline about the harbour\n\n"
    "The harbour authority said on Tuesday that the new terminal would open in the spring.\n"
)
CLEAN = "Nothing to remove here.\n\nJust two honest paragraphs of text.\n"


def run(*args: str, input: bytes | None = None):  # noqa: A002 - mirrors CliRunner
    return CliRunner().invoke(app, list(args), input=input)


@pytest.fixture
def dirty(isolated: Path) -> Path:
    path = isolated / "page.txt"
    path.write_text(DIRTY)
    return path


def test_fixes_file_in_place_and_exits_0(dirty: Path) -> None:
    result = run("clean", str(dirty), "-vv")
    assert result.exit_code == 0
    assert dirty.read_text() == CLEANED
    assert "duplicate:exact" in result.stderr


def test_second_run_changes_nothing(dirty: Path) -> None:
    run("clean", str(dirty))
    assert run("clean", str(dirty), "--check").exit_code == 0


def test_check_reports_and_changes_nothing(dirty: Path) -> None:
    result = run("clean", str(dirty), "--check")
    assert result.exit_code == 1
    assert dirty.read_text() == DIRTY


def test_check_on_clean_file_exits_0(isolated: Path) -> None:
    path = isolated / "ok.txt"
    path.write_text(CLEAN)
    assert run("clean", str(path), "--check").exit_code == 0


def test_diff_prints_unified_diff(dirty: Path) -> None:
    result = run("clean", str(dirty), "--diff")
    assert result.exit_code == 1
    assert "-Leave a Reply" in result.stdout
    assert result.stdout.startswith("--- a/")
    assert dirty.read_text() == DIRTY


def test_stdin_to_stdout(isolated: Path) -> None:
    result = run("clean", "-", input=DIRTY.encode())
    assert result.exit_code == 0
    assert result.stdout == CLEANED


def test_stdin_keeps_crlf(isolated: Path) -> None:
    result = run("clean", "-", input=DIRTY.replace("\n", "\r\n").encode())
    assert result.stdout_bytes == CLEANED.replace("\n", "\r\n").encode()


def test_stdout_flag_prints_and_changes_nothing(dirty: Path) -> None:
    result = run("clean", str(dirty), "--stdout")
    assert result.exit_code == 0
    assert result.stdout == CLEANED
    assert dirty.read_text() == DIRTY


def test_output_dir_mirrors_tree(isolated: Path) -> None:
    src = isolated / "in"
    (src / "sub").mkdir(parents=True)
    (src / "sub" / "a.txt").write_text(DIRTY)
    (src / "b.md").write_text(CLEAN)
    result = run("clean", str(src), "--output-dir", str(isolated / "out"))
    assert result.exit_code == 0
    assert (isolated / "out" / "sub" / "a.txt").read_text() == CLEANED
    assert (isolated / "out" / "b.md").read_text() == CLEAN
    assert (src / "sub" / "a.txt").read_text() == DIRTY


def test_include_and_exclude_globs(isolated: Path) -> None:
    (isolated / "a.txt").write_text(DIRTY)
    (isolated / "b.log").write_text(DIRTY)
    (isolated / "c.txt").write_text(DIRTY)
    result = run("clean", str(isolated), "--include", "*.log", "--include", "*.txt", "--exclude", "c.*")
    assert result.exit_code == 0
    assert (isolated / "a.txt").read_text() == CLEANED
    assert (isolated / "b.log").read_text() == CLEANED
    assert (isolated / "c.txt").read_text() == DIRTY


def test_report_json_lists_every_decision(dirty: Path, isolated: Path) -> None:
    report = isolated / "report.json"
    assert run("clean", str(dirty), "--check", "--report", str(report)).exit_code == 1
    data = json.loads(report.read_text())
    (entry,) = data["files"]
    rules = [r["rule"] for r in entry["removed"]]
    assert rules == ["duplicate:exact", "boilerplate:comment-form"]
    duplicate = entry["removed"][0]
    assert duplicate["lines"] == [5, 5]
    assert duplicate["twin"]["lines"] == [3, 3]
    assert duplicate["score"] == 100.0
    assert data["summary"]["changed"] == 1


def test_report_to_stdout(dirty: Path) -> None:
    result = run("clean", str(dirty), "--check", "--report", "-")
    assert json.loads(result.stdout)["summary"]["seen"] == 1


def test_report_dash_with_stdin_is_usage_error(isolated: Path) -> None:
    assert run("clean", "-", "--report", "-", input=b"x\n").exit_code == 2


def test_dash_mixed_with_paths_is_usage_error(dirty: Path) -> None:
    assert run("clean", "-", str(dirty)).exit_code == 2


def test_no_duplicates_and_no_boilerplate_flags(dirty: Path) -> None:
    result = run("clean", str(dirty), "--no-duplicates", "--no-boilerplate", "--check")
    assert result.exit_code == 0


def test_thresholds_from_flags_win_over_config(isolated: Path) -> None:
    a = "The harbour authority said on Tuesday that the new terminal would open in the early spring."
    b = "The harbour authority said on Tuesday that the new terminal would open in the late spring."
    path = isolated / "near.txt"
    path.write_text(f"{a}\n\n{b}\n")
    (isolated / ".cleaner.toml").write_text("near-threshold = 99\ncontainment-threshold = 99\n")
    assert run("clean", str(path), "--check").exit_code == 0
    assert run("clean", str(path), "--check", "--near-threshold", "90").exit_code == 1


def test_config_flag_and_pyproject_table(isolated: Path) -> None:
    path = isolated / "page.txt"
    path.write_text(DIRTY)
    (isolated / ".cleaner.toml").unlink()
    (isolated / "pyproject.toml").write_text("[tool.cleaner]\nboilerplate = false\nduplicates = false\n")
    assert run("clean", str(path), "--check").exit_code == 0
    other = isolated / "strict.toml"
    other.write_text("boilerplate = true\n")
    assert run("clean", str(path), "--check", "--config", str(other)).exit_code == 1


def test_unknown_config_key_is_usage_error_naming_it(isolated: Path) -> None:
    (isolated / ".cleaner.toml").write_text("near_treshold = 80\n")
    (isolated / "a.txt").write_text(CLEAN)
    result = run("clean", str(isolated / "a.txt"))
    assert result.exit_code == 2
    assert "near_treshold" in result.stderr


def test_bad_config_value_is_usage_error(isolated: Path) -> None:
    (isolated / ".cleaner.toml").write_text('near-threshold = "high"\n')
    (isolated / "a.txt").write_text(CLEAN)
    assert run("clean", str(isolated / "a.txt")).exit_code == 2


def test_missing_path_is_123_and_others_still_cleaned(dirty: Path, isolated: Path) -> None:
    result = run("clean", str(isolated / "nope.txt"), str(dirty))
    assert result.exit_code == 123
    assert "nope.txt" in result.stderr
    assert dirty.read_text() == CLEANED


def test_folder_without_matching_files_is_123(isolated: Path) -> None:
    empty = isolated / "empty"
    empty.mkdir()
    result = run("clean", str(empty))
    assert result.exit_code == 123
    assert "no files matching" in result.stderr


def test_undeterminable_encoding_is_123_with_one_line_message(dirty: Path, isolated: Path) -> None:
    # (A Latin-1 file is read as such since issue 7; these bytes fit no encoding.)
    garbage = bytes(range(0x80, 0x100)) + b"\n"
    bad = isolated / "latin.txt"
    bad.write_bytes(garbage)
    result = run("clean", str(isolated))
    assert result.exit_code == 123
    assert bad.read_bytes() == garbage
    assert dirty.read_text() == CLEANED
    (line,) = [ln for ln in result.stderr.splitlines() if "latin.txt" in ln]
    assert "latin.txt" in line


def test_binary_file_is_123_and_untouched(isolated: Path) -> None:
    binary = isolated / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02binary")
    result = run("clean", str(binary))
    assert result.exit_code == 123
    assert "binary" in result.stderr
    assert binary.read_bytes() == b"\x00\x01\x02binary"


def test_unreadable_file_is_123(dirty: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = isolated / "locked.txt"
    locked.write_text(DIRTY)
    real_open = os.open

    def fake_open(path: str | os.PathLike[str], flags: int, *args: int, **kwargs: object) -> int:
        if os.fspath(path).endswith("locked.txt"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", fake_open)
    result = run("clean", str(isolated))
    assert result.exit_code == 123
    assert "locked.txt" in result.stderr and "Permission denied" in result.stderr
    assert dirty.read_text() == CLEANED


def test_help_has_examples() -> None:
    result = run("clean", "--help")
    assert result.exit_code == 0
    assert "Examples" in result.stdout
