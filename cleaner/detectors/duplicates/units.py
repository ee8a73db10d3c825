"""Multi-line paragraphs (a table, a list, an address) compared and removed whole."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from cleaner.blocks import Block
from cleaner.detectors.duplicates.document import RULE_EXACT, RULE_NEAR, Document, Link
from cleaner.detectors.duplicates.index import Index, unit_pairs
from cleaner.detectors.duplicates.relate import Relation, relate_pair
from cleaner.normalize import comparison_key

# A blank-line paragraph of at most this many lines is one unit: its lines go
# all together or not at all (a list or table sharing rows with another is a
# different list). Longer runs of lines are a layout, not a paragraph.
MAX_UNIT_LINES = 40


def paragraph_units(blocks: Sequence[Block]) -> list[list[int]]:
    """Positions grouped into blank-line paragraphs (blocks on adjacent lines share one).

    Blocks already removed by an earlier detector leave gaps in the indices;
    a gap of as many lines as blocks removed held no blank line, so the blocks
    around it still share a paragraph (as they will once the output is cleaned
    again: grouping must not depend on what an earlier pass removed).
    """
    units: list[list[int]] = []
    for position, block in enumerate(blocks):
        previous = blocks[position - 1] if position else None
        if (
            previous is not None
            and block.first_line - previous.last_line - 1 == block.index - previous.index - 1
        ):
            units[-1].append(position)
        else:
            units.append([position])
    return units


def unit_block(blocks: Sequence[Block], unit: list[int], number: int) -> Block:
    """A stand-in block for a whole multi-line paragraph, to compare it as one text."""
    first, last = blocks[unit[0]], blocks[unit[-1]]
    text = "\n".join(blocks[p].text for p in unit)
    return Block(number, first.start, last.end, text, first.first_line, last.last_line)


def can_spare(doc: Document, templates: set[int], remaining: Counter[str], unit: list[int]) -> bool:
    """Removing ``unit`` leaves each of its template lines a template (so a second pass agrees)."""
    needed = max(1, doc.config.template_min_repeats)
    return all(
        remaining[doc.keys[p]] - 1 >= (needed if remaining[doc.keys[p]] >= needed else 1)
        for p in unit
        if p in templates
    )


def link_units(
    doc: Document, units: list[list[int]], links: dict[int, Link], index: Index, templates: set[int]
) -> None:
    """Multi-line paragraphs compared whole: a repeated table, list or wrapped copy goes whole.

    Line by line such a paragraph looks like a mix of repeated and new lines
    (a shared header row, one changed cell, a wrap at other columns); as one
    text it is plainly the same paragraph, or plainly not.
    """
    if not any(1 < len(unit) <= MAX_UNIT_LINES for unit in units):
        return
    stand_ins = [
        unit_block(doc.blocks, unit, n) if len(unit) > 1 else doc.blocks[unit[0]]
        for n, unit in enumerate(units)
    ]
    keys = [
        comparison_key(block.key) if len(unit) > 1 else doc.keys[unit[0]]
        for block, unit in zip(stand_ins, units, strict=True)
    ]
    whole = Document(stand_ins, doc.config, keys)
    remaining = Counter(doc.keys)
    first_line_with_key: dict[str, int] = {}
    for position, key in enumerate(doc.keys):
        first_line_with_key.setdefault(key, position)
    multi = {n for n, unit in enumerate(units) if 1 < len(unit) <= MAX_UNIT_LINES}
    first_with_key: dict[str, int] = {}
    for number, key in enumerate(whole.keys):
        first_with_key.setdefault(key, number)
    relations: dict[int, list[Relation]] = defaultdict(list)
    for a, b in sorted(unit_pairs(whole, units, multi, index)):
        relation = relate_pair(whole, a, b)
        if relation is not None:
            relations[relation.small].append(relation)
            relations[relation.large].append(relation)
    for number, key in enumerate(whole.keys):
        first = first_with_key[key]
        if first != number and (number in multi or first in multi):
            exact = Relation(number, first, RULE_EXACT, 100.0)
            relations[number].append(exact)
            relations[first].append(exact)
    kept: set[int] = set()
    for number in sorted(relations, key=lambda n: (-len(whole.keys[n]), n)):
        twins = [
            (other, r)
            for r in relations[number]
            if (other := r.large if r.small == number else r.small) in kept
            and ((r.small == number and r.at_edge) or r.rule == RULE_NEAR)
            and (r.rule == RULE_EXACT or len(whole.keys[number]) >= doc.config.min_fuzzy_chars)
        ]
        unit = units[number]
        if all(position in templates for position in unit) or not can_spare(doc, templates, remaining, unit):
            kept.add(number)  # the page's own layout, repeated on purpose
            continue
        if not twins or (len(unit) == 1 and unit[0] in links):
            if len(unit) > 1 or unit[0] not in links:
                kept.add(number)
            continue
        twin, relation = max(twins, key=lambda t: (t[1].score, -t[0]))
        remaining.subtract(doc.keys[p] for p in unit)
        target = units[twin]
        copy_lines = set(unit)
        for line in target:
            link = links.get(line)
            if link is not None and link.twin in copy_lines:
                # It repeated the copy that now goes in its favour; an exact repeat
                # of an earlier line still goes, in favour of that line.
                del links[line]
                first = first_line_with_key[doc.keys[line]]
                long_enough = len(doc.keys[line]) >= doc.config.min_exact_chars or doc.config.drop_short_exact
                if first < line and first not in copy_lines and long_enough and line not in templates:
                    links[line] = Link(line, first, RULE_EXACT, 100.0)
        for offset, position in enumerate(unit):
            links[position] = Link(
                position, target[min(offset, len(target) - 1)], relation.rule, relation.score
            )


def keep_units_whole(blocks: Sequence[Block], links: dict[int, Link]) -> None:
    """A short multi-line paragraph is removed whole or not at all."""
    kept = [block for position, block in enumerate(blocks) if position not in links]
    if len(paragraph_units(kept)) < 2:
        # The text that stays has no blank lines: it is one paragraph per line,
        # and each line is its own unit. (Judged on what stays, so that cleaning
        # the output again sees the same layout.)
        return
    for unit in paragraph_units(blocks):
        if 1 < len(unit) <= MAX_UNIT_LINES:
            removed = [p for p in unit if p in links]
            if removed and len(removed) < len(unit):
                for position in removed:
                    del links[position]
