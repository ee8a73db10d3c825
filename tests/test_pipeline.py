"""The pipeline's own shortcuts agree with the plain computation they stand for."""

from __future__ import annotations

import textwrap

from hypothesis import given
from hypothesis import strategies as st

from cleaner.blocks import render, split_blocks, split_texts
from cleaner.pipeline import _segments_kept
from tests.test_fuzz import FUZZ, SENTENCES, any_text


@st.composite
def wrapped_pages(draw: st.DrawFn) -> str:
    """Hard-wrapped paragraphs with short lines (menus, labels) dropped between their lines."""
    groups = []
    for _ in range(draw(st.integers(1, 4))):
        prose = " ".join(draw(st.lists(st.sampled_from(SENTENCES[:5]), min_size=1, max_size=4)))
        lines = textwrap.wrap(prose, draw(st.integers(30, 90)))
        for _ in range(draw(st.integers(0, 3))):
            lines.insert(
                draw(st.integers(0, len(lines))), draw(st.sampled_from(["Home", "Share", "*", "Step 1"]))
            )
        groups.append(draw(st.sampled_from(["\n", "\r\n"])).join(lines))
    return "".join(g + draw(st.sampled_from(["\n\n", "\n \n", "\r\n\r\n\r\n", "\n"])) for g in groups)


@FUZZ
@given(st.one_of(any_text(), wrapped_pages()), st.data())
def test_segments_kept_agrees_with_segmenting_the_whole_output(text: str, data: st.DataObject) -> None:
    blocks = split_blocks(text)
    removed = set(data.draw(st.lists(st.sampled_from([b.index for b in blocks]))) if blocks else [])
    output = render(text, blocks, removed)
    kept = [b.text for b in blocks if b.index not in removed]
    assert _segments_kept(text, blocks, removed) == (split_texts(output) == kept)


def test_a_paragraph_that_loses_a_line_is_segmented_again() -> None:
    # Two lines of a menu between two halves of a hard-wrapped paragraph: once
    # the menu goes, the halves read as one wrapped paragraph.
    text = (
        "The council met on Monday evening to\n"
        "discuss the budget for the coming year,\n"
        "Home\n"
        "which includes new money for the\n"
        "libraries and the swimming pool that\n"
        "closed last spring after the storm.\n"
        "\n"
        "A second paragraph stays as it is.\n"
    )
    blocks = split_blocks(text)
    menu = next(b.index for b in blocks if b.text == "Home")
    assert not _segments_kept(text, blocks, {menu})
    last = len(blocks) - 1
    assert _segments_kept(text, blocks, {last})
