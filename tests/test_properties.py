"""Property tests: kept text is the input's, in order; cleaning is idempotent and deterministic."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import clean_text

from .test_fuzz import assert_kept_blocks_in_order

PARAGRAPHS = [
    "The council approved the budget on Monday after a debate that lasted most of the night.",
    "The council approved the budget on Monday after a debate that lasted most of the night",
    "The council approved the budget on Tuesday after a debate that lasted most of the night.",
    "Opposition members said the plan cut too deeply into library funding and youth services.",
    "Opposition members said the plan cut too deeply into library funding",
    "Leave a Reply",
    "Your email address will not be published.",
    "*",
    "Name *",
    "Website",
    "Home",
    "Share this:",
    "Step 1",
    "Step 2",
    "A résumé of the “final” figures — 12.5% lower — was published in the city’s gazette.",
    "  indented line with trailing spaces   ",
]

paragraph = st.one_of(st.sampled_from(PARAGRAPHS), st.text(min_size=1, max_size=40))
separator = st.sampled_from(["\n", "\n\n", "\r\n", "\r\n\r\n", "\n\n\n", "\n \n"])


@st.composite
def documents(draw: st.DrawFn) -> str:
    parts = draw(st.lists(paragraph, min_size=0, max_size=12))
    sep = draw(separator)
    tail = draw(st.sampled_from(["", "\n", sep]))
    return sep.join(parts) + tail


def _assert_kept_blocks_in_order(text: str) -> None:
    assert_kept_blocks_in_order(clean_text(text))


@settings(max_examples=300, deadline=None)
@given(documents())
def test_output_is_kept_blocks_byte_for_byte(text: str) -> None:
    _assert_kept_blocks_in_order(text)


@settings(max_examples=300, deadline=None)
@given(documents())
def test_cleaning_is_idempotent(text: str) -> None:
    once = clean_text(text).text
    assert clean_text(once).text == once


@settings(max_examples=100, deadline=None)
@given(documents())
def test_cleaning_is_deterministic(text: str) -> None:
    first = clean_text(text)
    second = clean_text(text)
    assert first.text == second.text
    assert [(d.block.index, d.rule, d.score) for d in first.decisions] == [
        (d.block.index, d.rule, d.score) for d in second.decisions
    ]


@settings(max_examples=200, deadline=None)
@given(documents())
def test_output_never_longer_than_input(text: str) -> None:
    assert len(clean_text(text).text) <= len(text)


S = "The council approved the budget on Monday after a debate that lasted most of the night."
OPP = "Opposition members said the plan cut too deeply into library funding and youth services."


@pytest.mark.parametrize(
    "text",
    [
        # Removing the two S lines leaves C and P adjacent: re-segmented, they read as one
        # wrapped paragraph, in which the first paragraph is then contained.
        f"{S.replace('debate', 'd-ebate')}\n\n{S.upper()}\n{S}\n{S[:43]}\n{S}\n",
        # Removing the second S turns the run above it into a "wrapped" paragraph.
        f"{S}\n{OPP.replace('O', '0', 1)}\n0\n{S}\n   \n{OPP}\n",
        # Removing a boilerplate line joins the two lines after it.
        "Be the first to cmm\n00:::::00::0::::00::::000000::00::0:::::::::\n0A0A<\n\n"
        "000000;00::00::0::00:::0;00000>00::0:t00000000:;;0",
    ],
)
def test_idempotent_when_removal_changes_segmentation(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once.text).text == once.text
    _assert_kept_blocks_in_order(text)


def test_idempotent_when_a_removal_changes_what_counts_as_a_template() -> None:
    # Shaped like a case the fuzzer found: once the contained first line goes, the two lines left
    # are no longer three of one skeleton, and the duplicate detector sees a near
    # repeat it did not see before. decide() must look again after its own removals.
    a, tab = "\x01", "\t"
    text = (
        f"{a * 30}{tab}{a * 6}{tab}{a * 13}\n\n"
        f"{a * 27}{tab}{a * 2}{tab}{a * 6}{tab}{a * 13}{tab}.\n"
        f"{a * 31}{tab}{a * 2}{tab}{a * 6}{tab}{a * 8}"
    )
    once = clean_text(text).text
    assert clean_text(once).text == once


def test_a_repeat_names_a_kept_block_even_when_its_twin_goes_later() -> None:
    # Found by the fuzzer: the duplicate detector names the first line of the
    # paragraph that holds the repeat ("Step 1"), which the boilerplate rules
    # remove in a later round; the explanation must then name the kept line.
    text = f"Step 1\nStep 1\n\n{S}\n\nStep 1\n{S}\n"
    result = clean_text(text)
    removed = {d.block.index for d in result.decisions}
    twins = [d.twin for d in result.decisions if d.rule.startswith("duplicate:")]
    assert twins and all(t is not None and t.index not in removed and t.text == S for t in twins)
