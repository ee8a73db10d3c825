"""`cleaner explain`: plain view for pipes, colours on a terminal, a self-contained HTML page."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from typer.testing import CliRunner

from cleaner.blocks import render, split_blocks
from cleaner.cli import app
from cleaner.detectors import Decision
from cleaner.explain import Explained, render_html, render_text
from cleaner.pipeline import CleanResult, clean_text

from .conftest import FIXTURES

CASE = FIXTURES / "explain"


def _fixture_result() -> CleanResult:
    """The fixture with decisions made by hand, so the view is tested apart from the detectors."""
    text = (CASE / "input.txt").read_text(encoding="utf-8")
    blocks = split_blocks(text)
    made = [
        (1, "duplicate:near", 98.6, 3),
        (4, "duplicate:contained", 100.0, 2),
        (5, "boilerplate:comment-form", 100.0, None),
        (6, "boilerplate:comment-form", 100.0, None),
        (7, "boilerplate:footer-zone", 100.0, None),
        (8, "boilerplate:footer-zone", 100.0, None),
    ]
    decisions = [
        Decision(blocks[i], rule, score, None if t is None else blocks[t]) for i, rule, score, t in made
    ]
    return CleanResult(render(text, blocks, {i for i, *_ in made}), text, blocks, decisions)


def test_plain_view_of_the_fixture() -> None:
    view = render_text([Explained("page.txt", _fixture_result())])
    assert view == (CASE / "explain.txt").read_text(encoding="utf-8")


def test_terminal_view_strikes_removed_lines_only() -> None:
    view = render_text([Explained("page.txt", _fixture_result())], color=True)
    struck = re.findall(r"\x1b\[9;31m(.*?)\x1b\[0m", view)
    assert struck == [
        "The harbour festival came back on Saturday, with boats from twelve towns lining the quay "
        "and a brass band playing from the lighthouse steps.",
        "Organisers said more than four thousand people came through the gates",
        "Leave a Reply",
        "Your email address will not be published.",
        "Name *",
        "Email *",
    ]
    assert re.sub(r"\x1b\[[0-9;]*m", "", view).replace("- ", "  ") == (
        (CASE / "explain.txt").read_text(encoding="utf-8").replace("- ", "  ")
    )


def test_html_page_is_self_contained_with_a_rule_summary() -> None:
    page = render_html([Explained("page.txt", _fixture_result())])
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert not re.search(r"<script|<link|\bsrc=|url\(|https?://", page)
    summary = page.split('<table class="summary">')[1].split("</table>")[0]
    rows = re.findall(r"<tr><td>([^<]+)</td><td class=\"n\">(\d+)</td>", summary)
    assert rows == [
        ("boilerplate:comment-form", "2"),
        ("boilerplate:footer-zone", "2"),
        ("duplicate:contained", "1"),
        ("duplicate:near", "1"),
    ]
    assert page.count("<del>") == 6
    assert 'repeats <a href="#f0-L7">line 7</a>' in page and 'id="f0-L7"' in page


def test_cli_explain_marks_every_decision_of_the_pipeline(isolated: Path) -> None:
    shutil.copy(CASE / "input.txt", isolated / "page.txt")
    result = CliRunner().invoke(app, ["explain", "page.txt"])
    assert result.exit_code == 0, result.output
    assert "\x1b[" not in result.stdout  # piped: plain text
    cleaned = clean_text((CASE / "input.txt").read_text(encoding="utf-8"))
    assert cleaned.decisions
    lines = result.stdout.splitlines()
    for decision in cleaned.decisions:
        marked = f"- {decision.block.first_line:>2} | {decision.block.text}"
        position = lines.index(marked)
        assert lines[position + 1].strip().startswith(f"^ {decision.rule} ({decision.score:g})")
    removed = {d.block.index for d in cleaned.decisions}
    for block in cleaned.blocks:
        if block.index not in removed:
            assert f"  {block.first_line:>2} | {block.text}" in lines
    assert (isolated / "page.txt").read_bytes() == (
        CASE / "input.txt"
    ).read_bytes()  # explain changes nothing


def test_cli_explain_html(isolated: Path) -> None:
    shutil.copy(CASE / "input.txt", isolated / "page.txt")
    result = CliRunner().invoke(app, ["explain", ".", "--html", "review.html"])
    assert result.exit_code == 0, result.output
    page = (isolated / "review.html").read_text(encoding="utf-8")
    assert "<h2>page.txt</h2>" in page and page.count("<del>") == len(
        clean_text((CASE / "input.txt").read_text(encoding="utf-8")).decisions
    )
