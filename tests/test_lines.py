"""Line features, the context-free classes and the context pass."""

from __future__ import annotations

import pytest

from cleaner.detectors.lines import (
    Kind,
    classify,
    measure,
    promote_prose,
    prose_follows,
    prose_precedes,
    prune_islands,
    revise,
)
from cleaner.lang import stopwords

EN = stopwords("en")
G, N, S, M, B = Kind.GOOD, Kind.NEAR, Kind.SHORT, Kind.MENU, Kind.BAD
LONG = (
    "The council voted on Tuesday to extend the opening hours of the town's five libraries, after a "
    "petition signed by more than two thousand residents asked for the buildings to stay open later "
    "in the evening."
)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (LONG, G),
        ("Officials said the change would cost about forty thousand a year in all.", N),
        ("Home", M),
        ("Contact Us", M),
        ("The slice of bread trick", S),
        ("By Hannah Price, March 3, 2024", S),
        ("Ten Cookie Recipes for Beginners That Everyone in the Family Will Love", S),
        ("1 Kyle Busch 5040 5 1 17 27 and 2 Martin Truex Jr. 5035 7 0 15 24 then 3 Kevin Harvick", S),
        ("He said it was over.", N),
    ],
)
def test_classify(text: str, kind: Kind) -> None:
    assert classify(measure(text, EN)) is kind


def test_without_a_language_length_and_punctuation_decide() -> None:
    assert classify(measure(LONG, frozenset())) is G
    assert classify(measure("엔터 미디어", frozenset())) is M


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        # A heading between two paragraphs stays.
        ([G, M, G], [None, None, None]),
        # A list between paragraphs stays, however link-like.
        ([G, S, M, M, M, G], [None] * 6),
        # A menu before the article goes.
        ([M, M, M, G], ["nav-run", "nav-run", "nav-run", None]),
        # A short run between furniture and the article goes...
        ([B, S, S, G], ["low-content", "short-run", "short-run", None]),
        # ... unless a sentence-like block stands between it and the furniture, once the article has begun;
        ([G, B, N, S, G], [None, "low-content", None, None, None]),
        # above the first paragraph such blocks are standfirsts, bylines and captions.
        ([B, N, S, G], ["low-content", "near-run", "short-run", None]),
        # ... but a longer run there is a table or list of the article's own.
        ([B, N, S, S, S, S, G], ["low-content", None, None, None, None, None, None]),
        # A list after the last paragraph, at the end of the page, stays (clean input).
        ([G, M, M, M], [None] * 4),
        # A NEAR block between furniture on both sides goes.
        ([B, N, B], ["low-content", "near-run", "low-content"]),
        # Only short blocks: nothing to tell from, keep.
        ([S, M, S], [None] * 3),
    ],
)
def test_revise(kinds: list[Kind], expected: list[str | None]) -> None:
    assert revise(kinds) == expected


def test_promote_prose_makes_runs_of_near_blocks_good() -> None:
    assert promote_prose([B, N, S, N, N, B], [0, 150, 20, 150, 150, 0]) == [B, G, S, G, G, B]
    assert promote_prose([B, N, B, N, B], [0, 150, 0, 150, 0]) == [B, N, B, N, B]


def test_prune_islands_drops_small_islands_far_from_the_article() -> None:
    kinds = [G, G, G, B, B, B, G, S]
    reasons: list[str | None] = [None, None, None, "x", "x", "x", None, None]
    sizes = [300, 300, 300, 10, 10, 10, 250, 20]
    assert prune_islands(kinds, reasons, sizes)[6:] == ["off-article", "off-article"]


def test_prune_islands_keeps_a_second_half_with_several_paragraphs() -> None:
    kinds = [G, G, G, B, B, B, G, G]
    reasons: list[str | None] = [None, None, None, "x", "x", "x", None, None]
    sizes = [400, 400, 400, 10, 10, 10, 250, 250]
    assert prune_islands(kinds, reasons, sizes)[6:] == [None, None]


def test_prune_islands_can_weigh_only_some_good_blocks() -> None:
    # Teaser summaries promoted to GOOD do not outweigh the article when they do not count.
    kinds = [G, G, B, B, B, G, G, G]
    reasons: list[str | None] = [None, None, "x", "x", "x", None, None, None]
    sizes = [300, 300, 10, 10, 10, 250, 250, 250]
    weighs = [True, True, False, False, False, False, False, False]
    assert prune_islands(kinds, reasons, sizes, weighs)[5:] == ["off-article"] * 3
    assert prune_islands(kinds, reasons, sizes)[:2] == [None, None]


def test_prose_neighbours() -> None:
    assert prose_follows([N, S, N], 0) and prose_precedes([N, S, N], 2)
    assert not prose_follows([N, S, M, N], 0)
    assert not prose_follows([N, B, N], 0)


def test_prune_islands_changes_nothing_without_removals() -> None:
    reasons: list[str | None] = [None, None, None]
    assert prune_islands([G, S, N], reasons, [300, 10, 100]) == reasons
