"""Candidate pairs: which blocks are worth comparing at all (the index of word shingles)."""

from __future__ import annotations

import zlib
from collections import Counter
from dataclasses import dataclass, field

from cleaner.blocks import Block
from cleaner.detectors.duplicates.document import MEMO_TERMS, Document

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


class WordHashes(dict[str, int]):
    """Stable word hashes (CRC-32), cached per call: str hashes change from one
    process to the next, and results must not."""

    def __missing__(self, word: str) -> int:
        value = self[word] = zlib.crc32(word.encode("utf-8", "surrogatepass"))
        return value


def shingles(key: str, words: WordHashes) -> set[int]:
    hashes = list(map(words.__getitem__, key.split()))
    if len(hashes) < SHINGLE:
        return {hash(tuple(hashes))}  # a tuple of ints hashes the same in every process
    return set(map(hash, zip(*(hashes[i:] for i in range(SHINGLE)), strict=False)))


def index_terms(key: str, words: WordHashes) -> tuple[set[int], int]:
    """Index terms of a key, and the count its share of shared terms is measured against.

    A long block is indexed by a fixed sample of its shingles (those whose hash
    falls in one residue class), which halves the work and keeps containment
    visible: a fragment's sampled shingles are sampled in the whole too. A short
    block keeps all its shingles, so it is never left without terms.
    """
    found = shingles(key, words)
    sampled = {h for h in found if not h % SAMPLE_EVERY}
    if len(sampled) >= MIN_SAMPLED:
        return sampled, len(sampled)
    return found, max(1, len(sampled))


def block_terms(block: Block, key: str, words: WordHashes) -> tuple[tuple[int, ...], int]:
    """``index_terms`` of a block's comparison ``key``, remembered on the block (compactly)."""
    found: tuple[tuple[int, ...], int] | None = block.memo.get(MEMO_TERMS)
    if found is None:
        terms, size = index_terms(key, words)
        found = block.memo[MEMO_TERMS] = (tuple(terms), size)
    return found


@dataclass
class Index:
    """Inverted index of shingles -> block positions, with capped posting lists.

    Most shingles occur once: those are kept as term -> position in ``first``
    (filled in bulk), and only a term seen again gets a list in ``shared``.
    """

    first: dict[int, int] = field(default_factory=dict)
    shared: dict[int, list[int]] = field(default_factory=dict)
    full: set[int] = field(default_factory=set)  # terms whose posting list is capped
    sizes: dict[int, int] = field(default_factory=dict)
    words: WordHashes = field(default_factory=WordHashes)

    def add(self, doc: Document, positions: list[int]) -> list[tuple[int, int]]:
        """Index ``positions`` in order; return pairs (earlier, later) sharing enough shingles."""
        first, shared, full, sizes, words = self.first, self.shared, self.full, self.sizes, self.words
        pairs: list[tuple[int, int]] = []
        for position in positions:
            terms, size = block_terms(doc.blocks[position], doc.keys[position], words)
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
        terms, size = index_terms(key, self.words)
        hits: Counter[int] = Counter()
        first, shared = self.first, self.shared
        for term in terms:
            posting = shared.get(term)
            if posting is not None:
                hits.update(posting)
            elif term in first:
                hits[first[term]] += 1
        return hits, size


def unit_pairs(
    whole: Document, units: list[list[int]], multi: set[int], index: Index
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
