"""Segmentation and rendering: kept spans byte for byte, the widest original separator between them."""

from __future__ import annotations

import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.blocks import render, split_blocks, split_texts

PROSE = (
    "The harbour authority said on Monday that the new ferry terminal would open in the spring, two "
    "years later than planned, after the contractor found the old quay walls in worse condition than "
    "the survey had shown, and that the cost would rise by about fourteen million."
)


def test_one_block_per_line_without_blank_lines() -> None:
    text = "Home\nNews\nA paragraph of its own.\n"
    assert [b.text for b in split_blocks(text)] == ["Home", "News", "A paragraph of its own."]


def test_a_hard_wrapped_paragraph_is_one_block() -> None:
    wrapped = textwrap.fill(PROSE, 72)
    blocks = split_blocks(wrapped + "\n\nNext paragraph.\n")
    assert [b.text for b in blocks] == [wrapped, "Next paragraph."]
    assert blocks[0].first_line == 1 and blocks[0].last_line == wrapped.count("\n") + 1


def test_paragraph_per_line_text_is_not_taken_for_wrapped() -> None:
    # Long lines of similar length that each end a sentence are paragraphs of their own.
    lines = [PROSE, PROSE.replace("Monday", "Tuesday"), PROSE.replace("spring", "autumn")]
    assert len(split_blocks("\n".join(lines) + "\n")) == 3


def test_a_list_of_short_lines_is_not_wrapped() -> None:
    text = "Tender for the second phase\nTemporary ferry berth\nPublic consultation\n"
    assert len(split_blocks(text)) == 3


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_render_keeps_spans_and_newline_style(newline: str) -> None:
    text = newline.join(["Title", "", "First.", "Menu", "", "", "Second.", ""])
    blocks = split_blocks(text)
    menu = next(b.index for b in blocks if b.text == "Menu")
    assert render(text, blocks, {menu}) == newline.join(["Title", "", "First.", "", "", "Second.", ""])


def test_render_uses_the_widest_separator_between_kept_blocks() -> None:
    text = "A.\nB\n\n\nC\nD.\n"
    blocks = split_blocks(text)
    assert render(text, blocks, {1, 2}) == "A.\n\n\nD.\n"


def test_render_without_removals_is_the_input() -> None:
    text = "  leading space\n\nbody\n\n"
    assert render(text, split_blocks(text), set()) is text


def test_render_of_everything_removed_is_empty() -> None:
    text = "Home\nNews\n"
    assert render(text, split_blocks(text), {0, 1}) == ""


lines = st.lists(
    st.one_of(st.just(""), st.text(alphabet="ab .\t", min_size=1, max_size=30), st.just(PROSE)), max_size=20
)


@settings(max_examples=200, deadline=None)
@given(lines, st.sampled_from(["\n", "\r\n"]), st.data())
def test_render_output_is_kept_blocks_in_order(parts: list[str], newline: str, data: st.DataObject) -> None:
    text = newline.join(parts) + newline
    blocks = split_blocks(text)
    removed = data.draw(st.sets(st.sampled_from(range(len(blocks))))) if blocks else set()
    output = render(text, blocks, removed)
    kept = [b.text for b in blocks if b.index not in removed]
    position = 0
    for piece in kept:
        found = output.find(piece, position)
        assert found >= 0
        assert not output[position:found].strip()
        position = found + len(piece)
    if kept:
        assert not output[position:].strip()
    # Every block is a span of the input, byte for byte.
    assert all(text[b.start : b.end] == b.text for b in blocks)


PARA = (
    "The harbour authority said on Tuesday that the new container terminal would open in the "
    "spring, two years later than first planned, after a dispute over dredging permits delayed "
    "construction and left the contractors idle for months."
)


def texts(text: str) -> list[str]:
    return [b.text for b in split_blocks(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("one\n\ntwo\n", ["one", "two"]),
        ("one\ntwo\nthree", ["one", "two", "three"]),
        ("Home\nNews\nSport\n\nBody text.\n", ["Home", "News", "Sport", "Body text."]),
        ("one\r\n\r\ntwo\r\n", ["one", "two"]),
        ("one\r\rtwo\r", ["one", "two"]),
        ("\n\n  \n", []),
        ("", []),
    ],
)
def test_split_blocks(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


@pytest.mark.parametrize("width", [60, 72, 80])
def test_hard_wrapped_paragraph_is_one_block(width: int) -> None:
    wrapped = "\n".join(textwrap.wrap(PARA, width))
    assert texts(f"{wrapped}\n\nNext.\n") == [wrapped, "Next."]


def test_paragraph_per_line_is_not_taken_for_wrapping() -> None:
    lines = [PARA, "Short follow-up sentence about the same story.", PARA.upper()[:150]]
    assert texts("\n".join(lines)) == lines


def test_line_numbers() -> None:
    blocks = split_blocks("a\n\nb\nc\n")
    assert [(b.first_line, b.last_line) for b in blocks] == [(1, 1), (3, 3), (4, 4)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Only \r\n, \r and \n break lines, not the other breaks str.splitlines knows.
        ("a\u2028b\vc\fd\x1ce\x85f\u2029g\nh", [("a\u2028b\vc\fd\x1ce\x85f\u2029g", 1, 1), ("h", 2, 2)]),
        ("a\r\nb\rc\nd\n\re", [("a", 1, 1), ("b", 2, 2), ("c", 3, 3), ("d", 4, 4), ("e", 6, 6)]),
        # A line of whitespace (NBSP and other Unicode spaces too) is blank.
        ("a\n \t\n\xa0\u3000\nb", [("a", 1, 1), ("b", 4, 4)]),
        ("a\n\u200b\nb", [("a", 1, 1), ("\u200b", 2, 2), ("b", 3, 3)]),  # not whitespace
        ("\n\n  text  \n", [("  text  ", 3, 3)]),
    ],
)
def test_line_breaks_and_blank_lines(text: str, expected: list[tuple[str, int, int]]) -> None:
    blocks = split_blocks(text)
    assert [(b.text, b.first_line, b.last_line) for b in blocks] == expected
    assert split_texts(text) == [b.text for b in blocks]
    assert all(text[b.start : b.end] == b.text for b in blocks)


def test_a_blank_line_of_spaces_ends_a_wrapped_paragraph() -> None:
    wrapped = textwrap.wrap(PARA, 60)
    text = "\n".join(wrapped[:2]) + "\n\xa0 \n" + "\n".join(wrapped[2:]) + "\n"
    assert texts(text) == ["\n".join(wrapped[:2]), "\n".join(wrapped[2:])]


@pytest.mark.parametrize(
    ("text", "removed", "expected"),
    [
        ("a\n\nb\n\nc\n", {1}, "a\n\nc\n"),
        ("a\n\nb\n\nc\n", {2}, "a\n\nb\n"),
        ("a\n\nb\n\nc", {2}, "a\n\nb"),
        ("a\n\nb\n\nc\n", {0}, "b\n\nc\n"),
        ("a\r\n\r\nb\r\nc\r\n", {1}, "a\r\n\r\nc\r\n"),
        ("a\nb\n\n\nc\n", {1}, "a\n\n\nc\n"),
        ("a\nb\n", {0, 1}, ""),
        ("  a\n\nb\n", set(), "  a\n\nb\n"),
    ],
)
def test_render(text: str, removed: set[int], expected: str) -> None:
    assert render(text, split_blocks(text), removed) == expected


@pytest.mark.parametrize("end", ['."', "!)", "?\u2019 ", ".\u201d\u00a0", "\u3002"])
def test_lines_ending_a_sentence_behind_quotes_or_spaces_are_not_wrapped(end: str) -> None:
    lines = [line + end for line in textwrap.wrap(PARA, 70)]
    assert texts("\n".join(lines)) == lines


def test_trailing_and_leading_spaces_do_not_hide_a_wrapped_paragraph() -> None:
    wrapped = textwrap.wrap(PARA, 70)
    text = "\n".join(("  " if n else "") + line + " \t" for n, line in enumerate(wrapped))
    assert texts(text) == [text]
