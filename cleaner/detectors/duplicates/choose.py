"""Which copy stays: template text, split pieces, teasers, runs of repeats, and the decisions."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace

from rapidfuzz import fuzz

from cleaner.blocks import Block
from cleaner.detectors import Decision
from cleaner.detectors.duplicates.document import (
    RULE_BLOCK,
    RULE_CONTAINED,
    RULE_EXACT,
    RULE_NEAR,
    RULE_SPLIT,
    RULE_TEASER,
    Document,
    Link,
    block_skeleton,
)
from cleaner.detectors.duplicates.relate import Relation

# Skeleton families are looked for among lines up to this long: template lines
# (labels, questions, calls to action, table rows) are short, and blanking the
# names of every long paragraph would cost more than the whole index.
TEMPLATE_LINE_CHARS = 160
# At most this many adjacent pieces are joined when looking for a split repeat.
MAX_PIECES = 3
# A teaser opens the document and repeats one of the next few substantial
# paragraphs (the article may open with a heading or a standfirst of its own).
TEASER_LEAD = 4


def find_templates(doc: Document, counts: Counter[str]) -> set[int]:
    """Positions of template text: recurring lines and members of a recurring skeleton."""
    threshold = doc.config.template_min_repeats
    if threshold <= 0:
        return set()
    family: dict[str, set[str]] = defaultdict(set)
    skeletons: dict[int, str] = {}
    for position, key in enumerate(doc.keys):
        if key and len(key) <= TEMPLATE_LINE_CHARS:
            skeletons[position] = block_skeleton(doc.blocks[position])
            family[skeletons[position]].add(key)
    recurring = {position for position, key in enumerate(doc.keys) if key and counts[key] >= threshold}
    return recurring | {p for p, skeleton in skeletons.items() if len(family[skeleton]) >= threshold}


def same_slot(doc: Document, templates: set[int], a: int, b: int) -> bool:
    """``a`` and ``b`` sit next to the same template line, on the same side."""
    last = len(doc.keys) - 1
    for step in (-1, 1):
        na, nb = a + step, b + step
        if (
            0 <= na <= last
            and 0 <= nb <= last
            and na != b
            and nb != a
            and na in templates
            and nb in templates
            and doc.keys[na] == doc.keys[nb]
        ):
            return True
    return False


def split_links(doc: Document, contained_in: dict[int, dict[int, float]]) -> dict[int, tuple[int, float]]:
    """Pieces that together repeat one paragraph: piece position -> (whole, score)."""
    pieces: dict[int, tuple[int, float]] = {}
    last = len(doc.keys)
    for start in sorted(contained_in):
        if start in pieces:
            continue
        for whole in sorted(contained_in[start]):
            run = [start]
            while len(run) < MAX_PIECES and run[-1] + 1 < last and whole in contained_in.get(run[-1] + 1, {}):
                run.append(run[-1] + 1)
            if len(run) < 2 or whole in run:
                continue
            joined = " ".join(doc.keys[p] for p in run)
            # Pieces of a split copy are the paragraph's own text, cut and nothing else.
            cutoff = max(doc.config.near_threshold, doc.config.containment_threshold)
            score = fuzz.ratio(joined, doc.keys[whole], score_cutoff=cutoff)
            if score and all(doc.same_facts(p, whole, both_ways=False) for p in run):
                for piece in run:
                    pieces[piece] = (whole, score)
                break
    return pieces


def link_teaser_prefixes(doc: Document, templates: set[int], lead: list[int], links: dict[int, Link]) -> None:
    """A line opening the document that is the exact beginning of the opening paragraph
    (its first sentence as a teaser) goes, even when shorter than min_fuzzy_chars."""
    for position in range(lead[-1] if lead else 0):
        key = doc.keys[position]
        if position in links or position in templates or len(key) < doc.config.min_exact_chars:
            continue
        for whole in lead:
            if (
                whole > position
                and len(doc.keys[whole]) > len(key)
                and doc.keys[whole].startswith(key)
                and not same_slot(doc, templates, position, whole)
            ):
                links[position] = Link(position, whole, RULE_TEASER, 100.0)
                break


def choose_copies(
    doc: Document,
    templates: set[int],
    relations: dict[int, list[Relation]],
    pieces: dict[int, tuple[int, float]],
) -> dict[int, Link]:
    """Most complete first: a block goes only in favour of a related block already kept."""
    config = doc.config
    keys = doc.keys
    first_with_key: dict[str, int] = {}
    for position, key in enumerate(keys):
        first_with_key.setdefault(key, position)
    kept: set[int] = set()
    links: dict[int, Link] = {}
    candidates = (p for p, key in enumerate(keys) if key and p not in templates)
    order = sorted(candidates, key=lambda p: (-len(keys[p]), p))
    for position in order:
        key = keys[position]
        options: list[Link] = []
        first = first_with_key[key]
        if (
            first != position
            and (len(key) >= config.min_exact_chars or config.drop_short_exact)
            and not same_slot(doc, templates, position, first)
        ):
            options.append(Link(position, first, RULE_EXACT, 100.0))
        # An exact copy shares its first occurrence's relations (only that one was indexed).
        for relation in relations.get(first, ()):
            other = relation.large if relation.small == first else relation.small
            if other == position:
                continue
            relation = replace(relation, small=position) if relation.small == first else relation
            if other not in kept or same_slot(doc, templates, position, other):
                continue
            if relation.rule == RULE_CONTAINED and (relation.small != position or not relation.at_edge):
                continue
            if len(key) < config.min_fuzzy_chars:
                continue  # short lines are only ever removed exactly, or as a piece or teaser
            options.append(Link(position, other, relation.rule, relation.score))
        piece = pieces.get(position)
        if piece and piece[0] in kept and not same_slot(doc, templates, position, piece[0]):
            # The more specific explanation: these pieces together are that paragraph.
            options = [Link(position, piece[0], RULE_SPLIT, piece[1])]
        if options:
            links[position] = max(options, key=lambda link: (link.score, -link.twin))
        else:
            kept.add(position)
    return links


def extend_blocks(doc: Document, templates: set[int], links: dict[int, Link]) -> None:
    """Runs of adjacent repeats of an adjacent run are one repeated block; its short lines go too."""
    last = len(doc.keys) - 1
    anchors = [link for link in links.values() if link.rule in (RULE_EXACT, RULE_NEAR)]
    for anchor in anchors:
        for step in (-1, 1):
            copy, twin = anchor.copy + step, anchor.twin + step
            while (
                0 <= copy <= last
                and 0 <= twin <= last
                and copy not in links
                and twin < copy  # of equal copies the first stays
                and copy != anchor.twin
                and twin != anchor.copy
                and copy not in templates
                and doc.keys[copy]
                and doc.keys[copy] == doc.keys[twin]
            ):
                links[copy] = Link(copy, twin, RULE_BLOCK, 100.0)
                copy, twin = copy + step, twin + step
    for position, link in list(links.items()):
        neighbours = (links.get(position - 1), links.get(position + 1))
        in_run = any(
            n is not None and n.rule in (RULE_EXACT, RULE_NEAR, RULE_BLOCK) and abs(n.twin - link.twin) == 1
            for n in neighbours
        )
        if in_run and link.rule in (RULE_EXACT, RULE_NEAR):
            links[position] = Link(position, link.twin, RULE_BLOCK, link.score)


def mark_teasers(doc: Document, lead: list[int], links: dict[int, Link]) -> None:
    """A copy that opens the document and repeats one of the paragraphs right after it is a teaser."""
    for position, link in list(links.items()):
        opens = bool(lead) and position <= lead[0]
        if opens and link.twin in lead and position < link.twin and link.rule in (RULE_NEAR, RULE_CONTAINED):
            links[position] = Link(position, link.twin, RULE_TEASER, link.score)


def opening(doc: Document, links: dict[int, Link]) -> list[int]:
    """The first substantial blocks that stay: what the document opens with once cleaned
    (judged on what stays, so that cleaning the output again finds the same opening)."""
    minimum = doc.config.min_fuzzy_chars
    substantial = (p for p, key in enumerate(doc.keys) if len(key) >= minimum and p not in links)
    return [p for p, _ in zip(substantial, range(TEASER_LEAD), strict=False)]


def decisions_of(blocks: Sequence[Block], links: dict[int, Link]) -> list[Decision]:
    """One decision per removed block, naming the block finally kept (never a removed one)."""
    decisions = []
    for position in sorted(links):
        link = links[position]
        twin = link.twin
        seen = {position}
        while twin in links and twin not in seen:
            seen.add(twin)
            twin = links[twin].twin
        decisions.append(Decision(blocks[position], link.rule, round(link.score, 1), blocks[twin]))
    return decisions
