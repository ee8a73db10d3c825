"""Segmentation fits scraped text; rendering copies kept spans and original separators."""

from __future__ import annotations

import textwrap

import pytest

from cleaner.blocks import render, split_blocks

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
