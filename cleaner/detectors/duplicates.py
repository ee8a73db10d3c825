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

Scale: candidate pairs come from an inverted index of word 3-gram shingles
with capped posting lists; only candidates are verified with RapidFuzz, so a
long document costs near-linear time.
"""

from __future__ import annotations

import zlib
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from cleaner.blocks import Block
from cleaner.config import Config
from cleaner.detectors import Decision
from cleaner.gcpause import paused_gc
from cleaner.normalize import comparison_key, names_of, numbers_of, skeleton_key

RULE_EXACT = "duplicate:exact"
RULE_NEAR = "duplicate:near"
RULE_CONTAINED = "duplicate:contained"
RULE_SPLIT = "duplicate:split"
RULE_BLOCK = "duplicate:block"
RULE_TEASER = "duplicate:teaser"

# Word n-grams of this size are the index's terms. Pairs of words survive light
# editing: a copy with a typo every few words still shares a third of its word
# pairs with the original, where it shares almost no word triples.
SHINGLE = 2
# A shingle shared by more blocks than this is a stock phrase, not evidence;
# capping the posting lists is what keeps candidate generation near-linear.
MAX_POSTING = 30
# Share of the smaller block's shingles two blocks must share to be verified.
# A copy with a typo every few words still shares about a third of its word
# pairs; the sample below makes the measured share noisier, hence 0.25.
MIN_SHARED = 0.25
# Long blocks are indexed by one shingle in SAMPLE_EVERY (by hash), as long as
# that leaves at least MIN_SAMPLED of them.
SAMPLE_EVERY = 2
MIN_SAMPLED = 6
# Two blocks are "of similar length" (and so compared as near repeats) above this ratio.
NEAR_LENGTH_RATIO = 0.8
# A fragment is a "contained" copy only when it is clearly shorter than its
# twin; two blocks of about the same length are compared as near repeats, with
# the stricter both-ways fact check.
CONTAINED_LENGTH_RATIO = 0.95
# Skeleton families are looked for among lines up to this long: template lines
# (labels, questions, calls to action, table rows) are short, and blanking the
# names of every long paragraph would cost more than the whole index.
TEMPLATE_LINE_CHARS = 160
# An abridged copy (words dropped, nothing else changed) has at least this many
# words and keeps at least this share of the original's.
MIN_ABRIDGED_WORDS = 8
ABRIDGED_COVER = 0.7
# A fragment counts as the beginning (end) of a paragraph when it is found
# within this share of the paragraph's length from its start (end).
EDGE_SLACK = 0.03
# At most this many adjacent pieces are joined when looking for a split repeat.
MAX_PIECES = 3
# A teaser opens the document and repeats one of the next few substantial
# paragraphs (the article may open with a heading or a standfirst of its own).
TEASER_LEAD = 4
# A blank-line paragraph of at most this many lines is one unit: its lines go
# all together or not at all (a list or table sharing rows with another is a
# different list). Longer runs of lines are a layout, not a paragraph.
MAX_UNIT_LINES = 40


# What a run finds out about one block is kept in ``Block.memo`` under these
# slots: ``decide`` runs the detector again on the blocks still kept, and a
# block's key, index terms, skeleton and facts depend on its own text only.
_MEMO_KEY = "duplicates:key"
_MEMO_TERMS = "duplicates:terms"
_MEMO_SKELETON = "duplicates:skeleton"
_MEMO_FACTS = "duplicates:facts"


def _comparison_key(block: Block) -> str:
    key: str | None = block.memo.get(_MEMO_KEY)
    if key is None:
        key = block.memo[_MEMO_KEY] = comparison_key(block.key)
    return key


def _skeleton(block: Block) -> str:
    skeleton: str | None = block.memo.get(_MEMO_SKELETON)
    if skeleton is None:
        skeleton = block.memo[_MEMO_SKELETON] = skeleton_key(block.text)
    return skeleton


@dataclass(frozen=True)
class _Link:
    """Block ``copy`` goes because it repeats block ``twin`` (positions in the sequence)."""

    copy: int
    twin: int
    rule: str
    score: float


@dataclass
class _Document:
    """Per-call working state: keys, facts and template marks of one document's blocks."""

    blocks: Sequence[Block]
    config: Config
    keys: list[str] = field(default_factory=list)  # computed from the blocks unless given

    def __post_init__(self) -> None:
        if not self.keys:
            self.keys = list(map(_comparison_key, self.blocks))

    def facts(self, position: int) -> tuple[Counter[str], Counter[str]]:
        block = self.blocks[position]
        found: tuple[Counter[str], Counter[str]] | None = block.memo.get(_MEMO_FACTS)
        if found is None:
            text = block.text
            found = block.memo[_MEMO_FACTS] = (Counter(numbers_of(text)), Counter(names_of(text)))
        return found

    def same_facts(self, small: int, large: int, *, both_ways: bool) -> bool:
        """Numbers and names of ``small`` all occur in ``large`` (as often), and back if ``both_ways``."""
        numbers_s, names_s = self.facts(small)
        numbers_l, names_l = self.facts(large)
        if numbers_s - numbers_l or names_s - names_l:
            return False
        return not both_ways or not (numbers_l - numbers_s or names_l - names_s)


class _WordHashes(dict[str, int]):
    """Stable word hashes (CRC-32), cached per call: str hashes change from one
    process to the next, and results must not."""

    def __missing__(self, word: str) -> int:
        value = self[word] = zlib.crc32(word.encode("utf-8", "surrogatepass"))
        return value


def _shingles(key: str, words: _WordHashes) -> set[int]:
    hashes = list(map(words.__getitem__, key.split()))
    if len(hashes) < SHINGLE:
        return {hash(tuple(hashes))}  # a tuple of ints hashes the same in every process
    return set(map(hash, zip(*(hashes[i:] for i in range(SHINGLE)), strict=False)))


def _terms(key: str, words: _WordHashes) -> tuple[set[int], int]:
    """Index terms of a key, and the count its share of shared terms is measured against.

    A long block is indexed by a fixed sample of its shingles (those whose hash
    falls in one residue class), which halves the work and keeps containment
    visible: a fragment's sampled shingles are sampled in the whole too. A short
    block keeps all its shingles, so it is never left without terms.
    """
    shingles = _shingles(key, words)
    sampled = {h for h in shingles if not h % SAMPLE_EVERY}
    if len(sampled) >= MIN_SAMPLED:
        return sampled, len(sampled)
    return shingles, max(1, len(sampled))


def _block_terms(block: Block, key: str, words: _WordHashes) -> tuple[tuple[int, ...], int]:
    """``_terms`` of a block's comparison ``key``, remembered on the block (compactly)."""
    found: tuple[tuple[int, ...], int] | None = block.memo.get(_MEMO_TERMS)
    if found is None:
        terms, size = _terms(key, words)
        found = block.memo[_MEMO_TERMS] = (tuple(terms), size)
    return found


@dataclass
class _Index:
    """Inverted index of shingles -> block positions, with capped posting lists.

    Most shingles occur once: those are kept as term -> position in ``first``
    (filled in bulk), and only a term seen again gets a list in ``shared``.
    """

    first: dict[int, int] = field(default_factory=dict)
    shared: dict[int, list[int]] = field(default_factory=dict)
    full: set[int] = field(default_factory=set)  # terms whose posting list is capped
    sizes: dict[int, int] = field(default_factory=dict)
    words: _WordHashes = field(default_factory=_WordHashes)

    def add(self, doc: _Document, positions: list[int]) -> list[tuple[int, int]]:
        """Index ``positions`` in order; return pairs (earlier, later) sharing enough shingles."""
        first, shared, full, sizes, words = self.first, self.shared, self.full, self.sizes, self.words
        pairs: list[tuple[int, int]] = []
        for position in positions:
            terms, size = _block_terms(doc.blocks[position], doc.keys[position], words)
            sizes[position] = size
            seen = first.keys() & terms
            if len(seen) < len(terms):
                first.update(dict.fromkeys(set(terms) - seen if seen else terms, position))
            if not seen:
                continue
            seen -= full
            hits: list[int] = []
            for term in seen:
                posting = shared.get(term)
                if posting is None:
                    posting = shared[term] = [first[term]]
                hits.extend(posting)
                posting.append(position)
                if len(posting) >= MAX_POSTING:
                    full.add(term)
            if hits:
                pairs.extend(
                    (other, position)
                    for other, count in Counter(hits).items()
                    if count >= MIN_SHARED * min(sizes[other], size)
                )
        return sorted(pairs)

    def lookup(self, key: str) -> tuple[Counter[int], int]:
        """Indexed positions sharing shingles with ``key`` (with counts), and the key's size."""
        terms, size = _terms(key, self.words)
        hits: Counter[int] = Counter()
        first, shared = self.first, self.shared
        for term in terms:
            posting = shared.get(term)
            if posting is not None:
                hits.update(posting)
            elif term in first:
                hits[first[term]] += 1
        return hits, size


def _candidate_pairs(doc: _Document, positions: list[int]) -> list[tuple[int, int]]:
    """Pairs (earlier, later) of blocks that share enough shingles to be worth verifying."""
    return _Index().add(doc, positions)


@dataclass(frozen=True)
class _Relation:
    small: int  # the shorter block (the copy, if one of the two goes)
    large: int
    rule: str  # RULE_NEAR (either may go) or RULE_CONTAINED (only ``small`` may go)
    score: float
    # For RULE_CONTAINED: ``small`` is the beginning or the end of ``large`` (a cut
    # copy). A passage from the middle (a pull quote) is only ever a split piece.
    at_edge: bool = True


def _abridged_score(short: str, long: str) -> float:
    """Ratio of a copy made by dropping a few words, else 0.

    An abridged copy keeps the original's words in their order (an editor cut
    "sempre" and "atualizada"): its words are a subsequence of the original's
    and cover most of them. Templates differ by substitution, never like this.
    """
    words_s, words_l = short.split(), long.split()
    if len(words_s) < MIN_ABRIDGED_WORDS or len(words_s) < ABRIDGED_COVER * len(words_l):
        return 0.0
    if Indel.distance(words_s, words_l) != len(words_l) - len(words_s):
        return 0.0
    return float(fuzz.ratio(short, long))


def _relate(doc: _Document, a: int, b: int) -> _Relation | None:
    """How blocks ``a`` and ``b`` repeat each other, if they do."""
    ka, kb = doc.keys[a], doc.keys[b]
    small, large = (a, b) if (len(ka), a) <= (len(kb), b) else (b, a)
    ks, kl = doc.keys[small], doc.keys[large]
    config = doc.config
    if len(ks) >= NEAR_LENGTH_RATIO * len(kl):
        score = fuzz.ratio(ks, kl, score_cutoff=config.near_threshold)
        if score and doc.same_facts(small, large, both_ways=True):
            return _Relation(small, large, RULE_NEAR, score)
    contained = None
    if len(ks) <= CONTAINED_LENGTH_RATIO * len(kl):
        found = fuzz.partial_ratio_alignment(ks, kl, score_cutoff=config.containment_threshold)
        if found and doc.same_facts(small, large, both_ways=False):
            slack = EDGE_SLACK * len(kl)
            at_edge = found.dest_start <= slack or found.dest_end >= len(kl) - slack
            contained = _Relation(small, large, RULE_CONTAINED, found.score, at_edge)
            if at_edge:
                return contained
    abridged = _abridged_score(ks, kl)
    if abridged and doc.same_facts(small, large, both_ways=False):
        return _Relation(small, large, RULE_NEAR, abridged)
    return contained


def _templates(doc: _Document, counts: Counter[str]) -> set[int]:
    """Positions of template text: recurring lines and members of a recurring skeleton."""
    threshold = doc.config.template_min_repeats
    if threshold <= 0:
        return set()
    family: dict[str, set[str]] = defaultdict(set)
    skeletons: dict[int, str] = {}
    for position, key in enumerate(doc.keys):
        if key and len(key) <= TEMPLATE_LINE_CHARS:
            skeletons[position] = _skeleton(doc.blocks[position])
            family[skeletons[position]].add(key)
    recurring = {position for position, key in enumerate(doc.keys) if key and counts[key] >= threshold}
    return recurring | {p for p, skeleton in skeletons.items() if len(family[skeleton]) >= threshold}


def _same_slot(doc: _Document, templates: set[int], a: int, b: int) -> bool:
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


def _split_links(doc: _Document, contained_in: dict[int, dict[int, float]]) -> dict[int, tuple[int, float]]:
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
            score = fuzz.ratio(joined, doc.keys[whole], score_cutoff=doc.config.near_threshold)
            if score and all(doc.same_facts(p, whole, both_ways=False) for p in run):
                for piece in run:
                    pieces[piece] = (whole, score)
                break
    return pieces


def _link_teaser_prefixes(
    doc: _Document, templates: set[int], lead: list[int], links: dict[int, _Link]
) -> None:
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
                and not _same_slot(doc, templates, position, whole)
            ):
                links[position] = _Link(position, whole, RULE_TEASER, 100.0)
                break


def _choose(
    doc: _Document,
    templates: set[int],
    relations: dict[int, list[_Relation]],
    pieces: dict[int, tuple[int, float]],
) -> dict[int, _Link]:
    """Most complete first: a block goes only in favour of a related block already kept."""
    config = doc.config
    keys = doc.keys
    first_with_key: dict[str, int] = {}
    for position, key in enumerate(keys):
        first_with_key.setdefault(key, position)
    kept: set[int] = set()
    links: dict[int, _Link] = {}
    candidates = (p for p, key in enumerate(keys) if key and p not in templates)
    order = sorted(candidates, key=lambda p: (-len(keys[p]), p))
    for position in order:
        key = keys[position]
        options: list[_Link] = []
        first = first_with_key[key]
        if (
            first != position
            and (len(key) >= config.min_exact_chars or config.drop_short_exact)
            and not _same_slot(doc, templates, position, first)
        ):
            options.append(_Link(position, first, RULE_EXACT, 100.0))
        # An exact copy shares its first occurrence's relations (only that one was indexed).
        for relation in relations.get(first, ()):
            other = relation.large if relation.small == first else relation.small
            if other == position:
                continue
            relation = replace(relation, small=position) if relation.small == first else relation
            if other not in kept or _same_slot(doc, templates, position, other):
                continue
            if relation.rule == RULE_CONTAINED and (relation.small != position or not relation.at_edge):
                continue
            if len(key) < config.min_fuzzy_chars:
                continue  # short lines are only ever removed exactly, or as a piece or teaser
            options.append(_Link(position, other, relation.rule, relation.score))
        piece = pieces.get(position)
        if piece and piece[0] in kept and not _same_slot(doc, templates, position, piece[0]):
            # The more specific explanation: these pieces together are that paragraph.
            options = [_Link(position, piece[0], RULE_SPLIT, piece[1])]
        if options:
            links[position] = max(options, key=lambda link: (link.score, -link.twin))
        else:
            kept.add(position)
    return links


def _extend_blocks(doc: _Document, templates: set[int], links: dict[int, _Link]) -> None:
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
                links[copy] = _Link(copy, twin, RULE_BLOCK, 100.0)
                copy, twin = copy + step, twin + step
    for position, link in list(links.items()):
        neighbours = (links.get(position - 1), links.get(position + 1))
        in_run = any(
            n is not None and n.rule in (RULE_EXACT, RULE_NEAR, RULE_BLOCK) and abs(n.twin - link.twin) == 1
            for n in neighbours
        )
        if in_run and link.rule in (RULE_EXACT, RULE_NEAR):
            links[position] = _Link(position, link.twin, RULE_BLOCK, link.score)


def _mark_teasers(doc: _Document, lead: list[int], links: dict[int, _Link]) -> None:
    """A copy that opens the document and repeats one of the paragraphs right after it is a teaser."""
    for position, link in list(links.items()):
        opens = bool(lead) and position <= lead[0]
        if opens and link.twin in lead and position < link.twin and link.rule in (RULE_NEAR, RULE_CONTAINED):
            links[position] = _Link(position, link.twin, RULE_TEASER, link.score)


def _units(blocks: Sequence[Block]) -> list[list[int]]:
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


def _unit_block(blocks: Sequence[Block], unit: list[int], number: int) -> Block:
    """A stand-in block for a whole multi-line paragraph, to compare it as one text."""
    first, last = blocks[unit[0]], blocks[unit[-1]]
    text = "\n".join(blocks[p].text for p in unit)
    return Block(number, first.start, last.end, text, first.first_line, last.last_line)


def _unit_pairs(
    whole: _Document, units: list[list[int]], multi: set[int], index: _Index
) -> set[tuple[int, int]]:
    """Candidate pairs of paragraphs, at least one multi-line, found through the block index."""
    unit_of = {position: number for number, unit in enumerate(units) for position in unit}
    pairs: set[tuple[int, int]] = set()
    for number in sorted(multi):
        hits, size = index.lookup(whole.keys[number])
        shared: Counter[int] = Counter()
        for position, count in hits.items():
            shared[unit_of[position]] += count
        for other, count in shared.items():
            other_size = sum(index.sizes.get(p, 0) for p in units[other])
            if other != number and count >= MIN_SHARED * min(size, max(1, other_size)):
                pairs.add((min(number, other), max(number, other)))
    return pairs


def _can_spare(doc: _Document, templates: set[int], remaining: Counter[str], unit: list[int]) -> bool:
    """Removing ``unit`` leaves each of its template lines a template (so a second pass agrees)."""
    needed = max(1, doc.config.template_min_repeats)
    return all(
        remaining[doc.keys[p]] - 1 >= (needed if remaining[doc.keys[p]] >= needed else 1)
        for p in unit
        if p in templates
    )


def _link_units(
    doc: _Document, units: list[list[int]], links: dict[int, _Link], index: _Index, templates: set[int]
) -> None:
    """Multi-line paragraphs compared whole: a repeated table, list or wrapped copy goes whole.

    Line by line such a paragraph looks like a mix of repeated and new lines
    (a shared header row, one changed cell, a wrap at other columns); as one
    text it is plainly the same paragraph, or plainly not.
    """
    if not any(1 < len(unit) <= MAX_UNIT_LINES for unit in units):
        return
    stand_ins = [
        _unit_block(doc.blocks, unit, n) if len(unit) > 1 else doc.blocks[unit[0]]
        for n, unit in enumerate(units)
    ]
    keys = [
        comparison_key(block.key) if len(unit) > 1 else doc.keys[unit[0]]
        for block, unit in zip(stand_ins, units, strict=True)
    ]
    whole = _Document(stand_ins, doc.config, keys)
    remaining = Counter(doc.keys)
    first_line_with_key: dict[str, int] = {}
    for position, key in enumerate(doc.keys):
        first_line_with_key.setdefault(key, position)
    multi = {n for n, unit in enumerate(units) if 1 < len(unit) <= MAX_UNIT_LINES}
    first_with_key: dict[str, int] = {}
    for number, key in enumerate(whole.keys):
        first_with_key.setdefault(key, number)
    relations: dict[int, list[_Relation]] = defaultdict(list)
    for a, b in sorted(_unit_pairs(whole, units, multi, index)):
        relation = _relate(whole, a, b)
        if relation is not None:
            relations[relation.small].append(relation)
            relations[relation.large].append(relation)
    for number, key in enumerate(whole.keys):
        first = first_with_key[key]
        if first != number and (number in multi or first in multi):
            exact = _Relation(number, first, RULE_EXACT, 100.0)
            relations[number].append(exact)
            relations[first].append(exact)
    kept: set[int] = set()
    for number in sorted(relations, key=lambda n: (-len(whole.keys[n]), n)):
        twins = [
            (other, r)
            for r in relations[number]
            if (other := r.large if r.small == number else r.small) in kept
            and (r.small == number or r.rule == RULE_NEAR)
        ]
        unit = units[number]
        if all(position in templates for position in unit) or not _can_spare(doc, templates, remaining, unit):
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
                    links[line] = _Link(line, first, RULE_EXACT, 100.0)
        for offset, position in enumerate(unit):
            links[position] = _Link(
                position, target[min(offset, len(target) - 1)], relation.rule, relation.score
            )


def _keep_units_whole(blocks: Sequence[Block], links: dict[int, _Link]) -> None:
    """A short multi-line paragraph is removed whole or not at all."""
    kept = [block for position, block in enumerate(blocks) if position not in links]
    if len(_units(kept)) < 2:
        # The text that stays has no blank lines: it is one paragraph per line,
        # and each line is its own unit. (Judged on what stays, so that cleaning
        # the output again sees the same layout.)
        return
    for unit in _units(blocks):
        if 1 < len(unit) <= MAX_UNIT_LINES:
            removed = [p for p in unit if p in links]
            if removed and len(removed) < len(unit):
                for position in removed:
                    del links[position]


def _lead(doc: _Document, links: dict[int, _Link]) -> list[int]:
    """The first substantial blocks that stay: what the document opens with once cleaned
    (judged on what stays, so that cleaning the output again finds the same opening)."""
    minimum = doc.config.min_fuzzy_chars
    substantial = (p for p, key in enumerate(doc.keys) if len(key) >= minimum and p not in links)
    return [p for p, _ in zip(substantial, range(TEASER_LEAD), strict=False)]


def detect_duplicates(blocks: Sequence[Block], config: Config) -> list[Decision]:
    with paused_gc():
        doc = _Document(blocks, config)
        counts = Counter(doc.keys)
        templates = _templates(doc, counts)
        first_with_key: dict[str, int] = {}
        for position, key in enumerate(doc.keys):
            first_with_key.setdefault(key, position)
        # One copy of each text is enough: later exact copies follow their first.
        indexed = [
            position
            for key, position in first_with_key.items()
            if len(key) >= config.min_piece_chars and len(key.split()) >= SHINGLE
        ]
        relations: dict[int, list[_Relation]] = defaultdict(list)
        contained_in: dict[int, dict[int, float]] = defaultdict(dict)
        index = _Index()
        for a, b in index.add(doc, indexed):
            relation = _relate(doc, a, b)
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
        links = _choose(doc, templates, relations, _split_links(doc, contained_in))
        _extend_blocks(doc, templates, links)
        lead = _lead(doc, links)
        _link_teaser_prefixes(doc, templates, lead, links)
        _mark_teasers(doc, lead, links)
        _link_units(doc, _units(blocks), links, index, templates)
        _keep_units_whole(blocks, links)
        return _decisions(blocks, links)


def _decisions(blocks: Sequence[Block], links: dict[int, _Link]) -> list[Decision]:
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
