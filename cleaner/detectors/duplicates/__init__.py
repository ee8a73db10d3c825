"""Repeated paragraphs within one document, and which copy stays.

Kinds of repeat, each named in its decision:

- ``duplicate:exact``     the same text after normalisation (case, quotes,
                          dashes, spacing, NBSP, trailing punctuation);
- ``duplicate:near``      a lightly edited copy of a paragraph of similar length;
- ``duplicate:contained`` the beginning or the end of a longer paragraph
                          (truncated, with or without "..."); a passage from
                          its middle (a pull quote) is kept;
- ``duplicate:split``     a paragraph repeated as two or three adjacent pieces,
                          short pieces included: together they are the paragraph;
- ``duplicate:block``     a run of adjacent paragraphs repeating an earlier run;
                          short lines of the run go with it;
- ``duplicate:teaser``    a copy (whole, shortened or the first sentence) placed
                          before the opening paragraph it repeats.

Which copy stays: the most complete one (the longest; of equal ones the first),
at its own position. Every removal names that kept twin.

What is never a repeat (look-alikes):

- blocks whose numbers or names differ: different facts in the same words;
- short lines (below ``min_fuzzy_chars``) are never fuzzy-matched, and their
  exact repeats (below ``min_exact_chars``) are kept unless configured or part
  of a repeated block;
- template text: a line that recurs ``template_min_repeats`` times or more, or
  whose skeleton (numbers and names blanked) is shared by that many different
  lines, is the page's own layout (a question put to every interviewee, a
  "See it now" per product, a "Vote for <name>" per entry) and is kept, with
  its near variants;
- two blocks that fill the same slot of a repeated layout (their neighbours
  are the same template line) are entries of that layout, not copies.

A paragraph of a few lines (a table, a list, an address) is compared as one
text and removed whole or not at all: line by line, two tables sharing a
header row would look like repeats.

Scale: candidate pairs come from an inverted index of word 2-gram shingles
(``index``): each block looks up only its rarest shingles and keeps a few best
partners, so the work follows the copies, not the vocabulary paragraphs share;
only candidates are scored with RapidFuzz (``relate``); ``choose`` decides
which copy stays; ``units`` handles multi-line paragraphs.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from cleaner.blocks import Block
from cleaner.config import Config
from cleaner.detectors import Decision
from cleaner.detectors.duplicates.choose import (
    choose_copies,
    decisions_of,
    extend_blocks,
    find_templates,
    link_teaser_prefixes,
    mark_teasers,
    opening,
    split_links,
)
from cleaner.detectors.duplicates.document import (
    RULE_BLOCK,
    RULE_CONTAINED,
    RULE_EXACT,
    RULE_NEAR,
    RULE_SPLIT,
    RULE_TEASER,
    Document,
)
from cleaner.detectors.duplicates.index import SHINGLE, Index
from cleaner.detectors.duplicates.relate import Relation, relate_pair
from cleaner.detectors.duplicates.units import keep_units_whole, link_units, paragraph_units
from cleaner.gcpause import paused_gc

__all__ = [
    "RULE_BLOCK",
    "RULE_CONTAINED",
    "RULE_EXACT",
    "RULE_NEAR",
    "RULE_SPLIT",
    "RULE_TEASER",
    "detect_duplicates",
]


def detect_duplicates(blocks: Sequence[Block], config: Config) -> list[Decision]:
    with paused_gc():
        doc = Document(blocks, config)
        counts = Counter(doc.keys)
        templates = find_templates(doc, counts)
        first_with_key: dict[str, int] = {}
        for position, key in enumerate(doc.keys):
            first_with_key.setdefault(key, position)
        # One copy of each text is enough: later exact copies follow their first.
        indexed = [
            position
            for key, position in first_with_key.items()
            if len(key) >= config.min_piece_chars and len(key.split()) >= SHINGLE
        ]
        relations: dict[int, list[Relation]] = defaultdict(list)
        contained_in: dict[int, dict[int, float]] = defaultdict(dict)
        index = Index()
        for a, b in index.add(doc, indexed):
            relation = relate_pair(doc, a, b, index.shares[a, b])
            if relation is None:
                continue
            relations[relation.small].append(relation)
            relations[relation.large].append(relation)
            if relation.rule == RULE_CONTAINED:
                contained_in[relation.small][relation.large] = relation.score
        # A near variant of a template line is template text too, and so is every copy of it.
        templates |= {
            r.small if r.large in templates else r.large
            for rs in relations.values()
            for r in rs
            if (r.small in templates) != (r.large in templates)
        }
        template_keys = {doc.keys[p] for p in templates}
        templates |= {p for p, key in enumerate(doc.keys) if key in template_keys}
        links = choose_copies(doc, templates, relations, split_links(doc, contained_in))
        extend_blocks(doc, templates, links)
        lead = opening(doc, links)
        link_teaser_prefixes(doc, templates, lead, links)
        mark_teasers(doc, lead, links)
        link_units(doc, paragraph_units(blocks), links, index, templates)
        keep_units_whole(blocks, links)
        return decisions_of(blocks, links)
