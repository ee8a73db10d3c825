"""Duplicate paragraphs: one line per repeat kind and per look-alike kind.

Each case is a list of paragraphs (joined by blank lines) and the expected
decision for every paragraph: ``None`` = kept, else ``(rule, twin)`` where
``twin`` is the index of the paragraph kept in its place.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.blocks import split_blocks
from cleaner.config import Config
from cleaner.detectors.duplicates import (
    RULE_BLOCK,
    RULE_CONTAINED,
    RULE_EXACT,
    RULE_NEAR,
    RULE_SPLIT,
    RULE_TEASER,
    detect_duplicates,
)
from cleaner.detectors.duplicates.document import Document
from cleaner.detectors.duplicates.index import Index
from cleaner.pipeline import clean_text

LONG_A = (
    "The harbour authority said on Thursday that the northern breakwater would close for repairs "
    "after winter storms loosened several of its concrete blocks."
)
LONG_B = (
    "Fishing crews that moor behind the breakwater have been asked to move their boats to the "
    "inner basin, where temporary berths are being marked out this week."
)
LONG_C = (
    "Engineers expect the work to take most of the spring, weather permitting, and the walkway "
    "along the top of the wall will stay shut until it is finished."
)
LONG_D = (
    "Residents who walk their dogs along the wall every morning said they would miss the view, "
    "but most agreed that the repairs were overdue and welcome."
)
SHORT = "Key dates"

# Repeat kinds ------------------------------------------------------------------------------
FORMATTED_A = (
    "THE harbour authority said on Thursday that the northern\u00a0breakwater would close for repairs  "
    "after winter storms loosened several of its concrete blocks"
)
WRAPPED_A = (
    "The harbour authority said on Thursday that the northern\n"
    "breakwater would close for repairs after winter storms\n"
    "loosened several of its concrete blocks."
)
TYPOS_A = (
    "The harbour authoity said on Thursday that the nothern breakwater would close for repairs "
    "after wintr storms loosened several of its concrete blcks."
)
WORD_EDIT_A = (
    "The harbour authority said on Thursday that the northern breakwater would shut for repairs "
    "after winter storms loosened some of its concrete blocks."
)
FERRY = "The island ferry will now run twice every day from the old stone pier at the harbour."
FERRY_ABRIDGED = "The island ferry will run twice every day from the pier at the harbour."
PREFIX_A = "The harbour authority said on Thursday that the northern breakwater would close for..."
SUFFIX_A = "\u2026would close for repairs after winter storms loosened several of its concrete blocks."
PIECE_1 = "The harbour authority said on Thursday that the northern breakwater would close"
PIECE_2 = "for repairs after winter storms"
PIECE_3 = "loosened several of its concrete blocks."
FIRST_SENTENCE = "Harbour to close its northern breakwater for spring repairs, the authority says"
OPENING = FIRST_SENTENCE + ". " + LONG_A

# Look-alikes -------------------------------------------------------------------------------
TURNOUT_61 = (
    "Turnout in the northern district reached 61 percent on Sunday, the highest figure recorded "
    "there since the commission began publishing results."
)
TURNOUT_64 = TURNOUT_61.replace("61", "64")
CHAIR_ELLISON = (
    "The committee will be chaired by Margaret Ellison, who led the inquiry into the collapse of "
    "the regional bus network last year."
)
CHAIR_OKAFOR = CHAIR_ELLISON.replace("Ellison", "Okafor")
ON_MONDAY = (
    "The council approved the budget on Monday after a debate that lasted most of the night and "
    "ended with a narrow vote."
)
ON_TUESDAY = ON_MONDAY.replace("Monday", "Tuesday")
MARCH_12 = (
    "Tickets for the spring concert go on sale on 12 March at the box office and online, with "
    "a limit of four per household."
)
MARCH_14 = MARCH_12.replace("12 March", "14 March")
COST_42 = (
    "The new roof will cost $4.2 million, paid for out of the reserve fund that the town built "
    "up over the last decade."
)
COST_45 = COST_42.replace("$4.2", "$4.5")
ROOM = "Room {n} sleeps {g} guests and has a balcony facing the sea, a desk and a small kitchen."
QUESTION = "What made you start cooking at home every single day?"
ANSWERS = [
    "I moved out of my parents' flat and realised that takeaway every night was not an option.",
    "My grandmother taught me to make bread when I was seven and I never really stopped since.",
    "Honestly it was the lockdown: there was nothing else to do and the kitchen was always there.",
]
VOTE = "You can vote for {name} on the last page of this gallery!"
BREAKFAST = "Breakfast"
OATS = "Oats cooked in milk with a handful of blueberries, a spoon of honey and some walnuts"
EGGS = "Two poached eggs on rye toast with spinach, a few cherry tomatoes and black pepper"

N = None
CASES: list[tuple[str, list[str], list[tuple[str, int] | None], Config]] = [
    # id, paragraphs, expected decision per paragraph, config
    ("exact", [LONG_A, LONG_B, LONG_A], [N, N, (RULE_EXACT, 0)], Config()),
    ("reformatted", [LONG_A, LONG_B, FORMATTED_A], [N, N, (RULE_EXACT, 0)], Config()),
    ("rewrapped", [LONG_A, LONG_B, WRAPPED_A], [N, N, (RULE_EXACT, 0)], Config()),
    ("edited-characters", [LONG_A, LONG_B, TYPOS_A], [N, N, (RULE_NEAR, 0)], Config()),
    ("edited-words", [LONG_A, LONG_B, WORD_EDIT_A], [N, N, (RULE_NEAR, 0)], Config()),
    ("edited-words-dropped", [FERRY, LONG_B, FERRY_ABRIDGED], [N, N, (RULE_NEAR, 0)], Config()),
    (
        "edited-copy-first-longer-stays",
        [LONG_B, LONG_C, LONG_D, WORD_EDIT_A, LONG_A],
        [N, N, N, (RULE_NEAR, 4), N],
        Config(),
    ),
    ("truncated-prefix", [LONG_A, LONG_B, PREFIX_A], [N, N, (RULE_CONTAINED, 0)], Config()),
    ("truncated-suffix", [LONG_A, LONG_B, SUFFIX_A], [N, N, (RULE_CONTAINED, 0)], Config()),
    (
        "fragment-before-full",
        [LONG_B, LONG_C, LONG_D, PREFIX_A, LONG_A],
        [N, N, N, (RULE_CONTAINED, 4), N],
        Config(),
    ),
    (
        "split-two",
        [LONG_A + " " + LONG_B, LONG_C, LONG_A, LONG_B],
        [N, N, (RULE_SPLIT, 0), (RULE_SPLIT, 0)],
        Config(),
    ),
    (
        "split-three-short-pieces",
        [LONG_A, LONG_B, PIECE_1, PIECE_2, PIECE_3],
        [N, N, (RULE_SPLIT, 0), (RULE_SPLIT, 0), (RULE_SPLIT, 0)],
        Config(),
    ),
    (
        "block-with-short-line",
        [LONG_A, SHORT, LONG_B, LONG_C, LONG_A, SHORT, LONG_B],
        [N, N, N, N, (RULE_BLOCK, 0), (RULE_BLOCK, 1), (RULE_BLOCK, 2)],
        Config(),
    ),
    ("teaser-first-sentence", [FIRST_SENTENCE, OPENING, LONG_B], [(RULE_TEASER, 1), N, N], Config()),
    ("teaser-shortened", [PREFIX_A, LONG_A, LONG_B, LONG_C], [(RULE_TEASER, 1), N, N, N], Config()),
    ("teaser-whole-first-stays", [LONG_A, LONG_A, LONG_B], [N, (RULE_EXACT, 0), N], Config()),
    # look-alikes: kept
    ("number-differs", [TURNOUT_61, LONG_B, TURNOUT_64], [N, N, N], Config()),
    ("name-differs", [CHAIR_ELLISON, CHAIR_OKAFOR], [N, N], Config()),
    ("weekday-differs", [ON_MONDAY, ON_TUESDAY], [N, N], Config()),
    ("date-differs", [MARCH_12, LONG_B, MARCH_14], [N, N, N], Config()),
    ("amount-differs", [COST_42, COST_45], [N, N], Config()),
    (
        "list-items-of-a-template",
        [ROOM.format(n=n, g=g) for n, g in ((1, 2), (2, 4), (3, 3))],
        [N, N, N],
        Config(),
    ),
    ("headings", ["Question 2", LONG_A, "Question 3", LONG_B], [N, N, N, N], Config()),
    ("short-fragment-not-fuzzy", [LONG_A, "The harbour authority said on Thursday"], [N, N], Config()),
    (
        "pull-quote-from-the-middle",
        [LONG_A + " " + LONG_B + " " + LONG_C, LONG_D, LONG_B],
        [N, N, N],
        Config(),
    ),
    (
        "short-near-kept",
        [LONG_A, "Chapter one: the harbour", LONG_B, "Chapter one: the harbor"],
        [N] * 4,
        Config(),
    ),
    (
        "short-near-configured",
        [LONG_A, "Chapter one: the harbour", LONG_B, "Chapter one: the harbor"],
        [N, N, N, (RULE_NEAR, 1)],
        Config(min_fuzzy_chars=10),
    ),
    ("short-exact-kept", ["Buy now", LONG_A, "Buy now", LONG_B], [N, N, N, N], Config()),
    (
        "short-exact-configured",
        ["Buy now", LONG_A, "Buy now"],
        [N, N, (RULE_EXACT, 0)],
        Config(drop_short_exact=True),
    ),
    (
        "recurring-question",
        [QUESTION, ANSWERS[0], QUESTION, ANSWERS[1], QUESTION, ANSWERS[2]],
        [N] * 6,
        Config(),
    ),
    (
        "template-family-repeat",
        [VOTE.format(name=x) for x in ("Anna", "Boris", "Clara", "Anna")],
        [N] * 4,
        Config(),
    ),
    (
        "same-slot-of-a-layout",
        [BREAKFAST, OATS, "Plan A", BREAKFAST, OATS, "Plan B", BREAKFAST, EGGS],
        [N] * 8,
        Config(),
    ),
    (
        "template-guard-off",
        [QUESTION, ANSWERS[0], QUESTION, ANSWERS[1], QUESTION],
        [N, N, (RULE_EXACT, 0), N, (RULE_EXACT, 0)],
        Config(template_min_repeats=0),
    ),
    (
        "table-sharing-a-row",
        ["Name Score\nAnna 12\nBoris 9", LONG_A, "Name Score\nClara 15\nDmitri 7"],
        [N, N, N],
        Config(),
    ),
    (
        "table-repeated",
        ["Name Score\nAnna 12\nBoris 9", LONG_A, "Name Score\nAnna 12\nBoris 9"],
        [N, N, (RULE_EXACT, 0)],
        Config(),
    ),
]


def _decide(paragraphs: list[str], config: Config) -> list[tuple[str, int] | None]:
    """The decision for each paragraph; every block of a paragraph must share it."""
    text = "\n\n".join(paragraphs) + "\n"
    starts = []
    position = 0
    for paragraph in paragraphs:
        starts.append(text.index(paragraph, position))
        position = starts[-1] + len(paragraph)

    def paragraph_of(offset: int) -> int:
        return max(i for i, start in enumerate(starts) if start <= offset)

    blocks = split_blocks(text)
    decisions = {d.block.index: d for d in detect_duplicates(blocks, config)}
    found: dict[int, set[tuple[str, int] | None]] = {i: set() for i in range(len(paragraphs))}
    for block in blocks:
        decision = decisions.get(block.index)
        outcome = None
        if decision is not None:
            assert decision.twin is not None and decision.twin.index not in decisions
            assert 0 < decision.score <= 100
            outcome = (decision.rule, paragraph_of(decision.twin.start))
        found[paragraph_of(block.start)].add(outcome)
    assert all(len(outcomes) == 1 for outcomes in found.values()), found
    return [found[i].pop() for i in range(len(paragraphs))]


@pytest.mark.parametrize(
    ("paragraphs", "expected", "config"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_decision(paragraphs: list[str], expected: list[tuple[str, int] | None], config: Config) -> None:
    assert _decide(paragraphs, config) == expected


@pytest.mark.parametrize("paragraphs", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_cleaning_twice_changes_nothing(paragraphs: list[str]) -> None:
    once = clean_text("\n\n".join(paragraphs) + "\n").text
    assert clean_text(once).text == once


def _random_paragraphs(count: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    words = [f"w{n}" for n in range(5000)] + ["the", "of", "and", "to", "in"] * 400
    return [" ".join(rng.choices(words, k=rng.randint(20, 50))) for _ in range(count)]


def test_index_proposes_few_pairs_not_all() -> None:
    paragraphs = _random_paragraphs(2000)
    blocks = split_blocks("\n\n".join(paragraphs))
    doc = Document(blocks, Config())
    pairs = Index().add(doc, list(range(len(blocks))))
    assert len(pairs) < 2 * len(blocks)  # all pairs would be ~2,000,000


def _lookalike_families(
    families: int, members: int, seed: int = 2
) -> tuple[list[str], list[tuple[int, int]]]:
    """Paragraphs re-used many times with a third of their words replaced, and a lightly
    edited copy of some of them: (paragraphs, pairs (original, copy) by position)."""
    rng = random.Random(seed)
    vocabulary = [f"w{n}" for n in range(20000)]
    bases = [rng.choices(vocabulary[:3000], k=40) for _ in range(families)]
    paragraphs: list[str] = []
    copies: list[tuple[int, int]] = []
    for _ in range(members):
        for base in bases:
            words = list(base)
            for i in rng.sample(range(len(words)), len(words) // 3):
                words[i] = rng.choice(vocabulary)
            paragraphs.append(" ".join(words))
            if rng.random() < 0.05:
                words[rng.randrange(len(words))] += "x"  # a typo
                copies.append((len(paragraphs) - 1, len(paragraphs)))
                paragraphs.append(" ".join(words))
    return paragraphs, copies


def test_index_work_is_bounded_by_the_copies_not_by_shared_vocabulary() -> None:
    # 50 paragraphs in each of 40 families share most of their words: 49,000 pairs of
    # look-alikes (an index capped per shingle only proposes ~21,000 of them). The
    # index proposes the copies, and a few pairs per block at most.
    paragraphs, copies = _lookalike_families(40, 50)
    blocks = split_blocks("\n\n".join(paragraphs))
    doc = Document(blocks, Config())
    pairs = Index().add(doc, list(range(len(blocks))))
    assert set(copies) <= set(pairs)
    assert len(pairs) < 3 * len(blocks)


def test_index_finds_a_copy_far_away() -> None:
    paragraphs = [*_random_paragraphs(3000), LONG_A]
    paragraphs.insert(5, LONG_A)
    blocks = split_blocks("\n\n".join(paragraphs))
    decisions = detect_duplicates(blocks, Config())
    assert [(d.block.index, d.rule, d.twin.index if d.twin else None) for d in decisions] == [
        (3001, RULE_EXACT, 5)
    ]


def test_index_terms_do_not_depend_on_the_hash_seed() -> None:
    code = (
        "from cleaner.detectors.duplicates.index import WordHashes, index_terms\n"
        f"print(sorted(index_terms({LONG_A.lower()!r}, WordHashes())[0]))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1


POOL = [
    LONG_A,
    LONG_B,
    LONG_C,
    FORMATTED_A,
    WRAPPED_A,
    TYPOS_A,
    PREFIX_A,
    SUFFIX_A,
    PIECE_1,
    PIECE_2,
    PIECE_3,
    FIRST_SENTENCE,
    OPENING,
    TURNOUT_61,
    TURNOUT_64,
    QUESTION,
    SHORT,
    BREAKFAST,
    OATS,
    "Buy now",
    "Name Score\nAnna 12\nBoris 9",
    FERRY,
    FERRY_ABRIDGED,
]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(POOL), min_size=1, max_size=14),
    st.sampled_from(["\n\n", "\n", "\r\n\r\n"]),
)
def test_mixed_repeats_clean_once_and_name_kept_twins(paragraphs: list[str], separator: str) -> None:
    # Duplicates alone: boilerplate rules may later remove a block chosen as a twin.
    config = Config(boilerplate=False)
    text = separator.join(paragraphs) + separator
    result = clean_text(text, config)
    removed = {d.block.index for d in result.decisions}
    for decision in result.decisions:
        if decision.twin is not None:
            assert decision.twin.index not in removed
    assert clean_text(result.text, config).text == result.text


# Look-alikes that the page itself holds ---------------------------------------------------
def _removed(paragraphs: list[str]) -> list[int]:
    blocks = split_blocks("\n\n".join(paragraphs) + "\n")
    return [d.block.index for d in detect_duplicates(blocks, Config())]


@pytest.mark.parametrize(
    ("heading", "paragraph"),
    [
        (
            "Saturated vapour pressure and boiling point",
            "This page explains how the equilibrium between a liquid and its vapour sets the "
            "temperature at which it boils, and how that changes with the pressure above it, "
            "which is the link between saturated vapour pressure and boiling point",
        ),
        (
            "Die Geschichte des alten Hafens am Fluss",
            "Die Geschichte des alten Hafens am Fluss beginnt im Mittelalter, als Händler aus dem "
            "Norden hier ihre Waren umschlugen und die ersten Lagerhäuser aus Holz entstanden, "
            "von denen heute nur noch die Fundamente zu sehen sind.",
        ),
    ],
)
def test_a_heading_that_a_long_paragraph_opens_or_closes_with_stays(heading: str, paragraph: str) -> None:
    # (Among the opening paragraphs, a line that begins one of them is a teaser.)
    opening = [LONG_A, LONG_B, LONG_C, LONG_D]
    assert _removed([*opening, heading, paragraph]) == []
    assert _removed([*opening, paragraph, heading]) == []


def test_pieces_that_do_not_rebuild_the_paragraph_exactly_are_not_a_split_copy() -> None:
    # A dish's name, then its two parts as headings of their own recipes.
    assert _removed(["Pumpkin Ravioli with Roasted Broccoli", "Pumpkin Ravioli", "Roasted Broccoli"]) == []
