"""Candidate pairs: which blocks are worth comparing at all (the index of word shingles)."""

from __future__ import annotations

import heapq
import zlib
from collections import Counter
from dataclasses import dataclass, field
from itertools import chain

from cleaner.blocks import Block
from cleaner.detectors.duplicates.document import MEMO_TERMS, Document

# Word n-grams of this size are the index's terms. Pairs of words survive light
# editing: a copy with a typo every few words still shares a third of its word
# pairs with the original, where it shares almost no word triples.
SHINGLE = 2
# A shingle shared by more blocks than this is a stock phrase, not evidence of
# a copy: it is never looked up. (Posting lists are kept to MAX_POSTING blocks.)
MAX_SHARED_BY = 20
MAX_POSTING = 30
# A block looks up at most this many of its rarest shingles (the per-paragraph
# cap that bounds the work), and a partner must hold HIT_SHARE of them.
LOOKUP_TERMS = 8
HIT_SHARE = 0.6
# A block is compared with at most this many partners, those sharing the most:
# a paragraph has one or two copies; a third is a template (template_min_repeats).
MAX_CANDIDATES = 6
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
    """Inverted index of shingles -> block positions, and the candidate pairs it proposes.

    Work is bounded by what a repeat shares, not by what a document's
    paragraphs share. A block looks up only its ``LOOKUP_TERMS`` rarest shingles
    among those that occur in 2 to ``MAX_SHARED_BY`` blocks: a copy shares with
    its original the shingles that occur nowhere else, so those are the rarest
    ones of both, while a paragraph that merely reuses the words of many others
    (a forum post, a product line, a clause with one edit) has only common
    shingles left to look up, and few of them. A pair goes on when most looked-up
    shingles hit, then when the two share ``MIN_SHARED`` of their shingles (a
    set intersection); each block keeps its ``MAX_CANDIDATES`` best partners.
    """

    sizes: dict[int, int] = field(default_factory=dict)
    shares: dict[tuple[int, int], float] = field(default_factory=dict)  # candidate pair -> shared share
    words: WordHashes = field(default_factory=WordHashes)
    terms: dict[int, tuple[int, ...]] = field(default_factory=dict)
    # For ``lookup`` (multi-line paragraphs), built on first use: shingle -> the
    # blocks holding it (capped lists), and the one block of a shingle found once.
    postings: dict[int, list[int]] | None = None
    owner: dict[int, int] = field(default_factory=dict)

    def add(self, doc: Document, positions: list[int]) -> list[tuple[int, int]]:
        """Index ``positions``; return candidate pairs (earlier, later), sorted."""
        sizes, words, all_terms = self.sizes, self.words, self.terms
        for position in positions:
            all_terms[position], sizes[position] = block_terms(
                doc.blocks[position], doc.keys[position], words
            )
        counts = Counter(chain.from_iterable(all_terms.values()))
        evidence = {term for term, count in counts.items() if 1 < count <= MAX_SHARED_BY}
        looked_up: dict[int, list[int]] = {}
        for position in positions:
            rare = sorted(evidence.intersection(all_terms[position]))
            if len(rare) > LOOKUP_TERMS:
                rare.sort(key=counts.__getitem__)  # stable: of equally rare terms, the smallest
                del rare[LOOKUP_TERMS:]
            if rare:
                looked_up[position] = rare
        wanted = set(chain.from_iterable(looked_up.values()))
        postings: dict[int, list[int]] = {term: [] for term in wanted}
        for position in positions:
            for term in wanted.intersection(all_terms[position]):
                postings[term].append(position)
        best: dict[int, list[tuple[float, int]]] = {}
        shares = self.shares
        for position, rare in looked_up.items():
            need = HIT_SHARE * len(rare)
            hits = Counter(chain.from_iterable(map(postings.__getitem__, rare)))
            terms, size = None, sizes[position]
            for other, count in hits.items():
                if count < need or other == position:
                    continue
                pair = (other, position) if other < position else (position, other)
                if pair in shares:
                    continue
                if terms is None:
                    terms = set(all_terms[position])
                share = len(terms.intersection(all_terms[other])) / min(sizes[other], size)
                if share < MIN_SHARED:
                    continue
                shares[pair] = share
                best.setdefault(pair[0], []).append((-share, pair[1]))
                best.setdefault(pair[1], []).append((-share, pair[0]))
        kept = {
            (min(position, other), max(position, other))
            for position, partners in best.items()
            for _, other in heapq.nsmallest(MAX_CANDIDATES, partners)
        }
        return sorted(kept)

    def _build_postings(self) -> dict[int, list[int]]:
        postings: dict[int, list[int]] = {}
        owner = self.owner
        for position, terms in self.terms.items():
            for term in terms:
                posting = postings.get(term)
                if posting is not None:
                    if len(posting) < MAX_POSTING:
                        posting.append(position)
                elif term in owner:
                    postings[term] = [owner.pop(term), position]
                else:
                    owner[term] = position
        return postings

    def lookup(self, key: str) -> tuple[Counter[int], int]:
        """Indexed positions sharing shingles with ``key`` (with counts), and the key's size."""
        if self.postings is None:
            self.postings = self._build_postings()
        terms, size = index_terms(key, self.words)
        hits: Counter[int] = Counter()
        owner, postings = self.owner, self.postings
        for term in terms:
            posting = postings.get(term)
            if posting is not None:
                hits.update(posting)
            elif term in owner:
                hits[owner[term]] += 1
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
