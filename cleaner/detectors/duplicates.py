"""Repeated paragraphs within one document: exact, near and contained repeats.

Candidate pairs come from an inverted index of word shingles, so a long
document costs near-linear time; each candidate is verified with RapidFuzz.
Two guards keep look-alikes: blocks shorter than ``min_fuzzy_chars`` are only
ever matched exactly, and two blocks whose numbers or capitalised names differ
state different facts and are never repeats of each other.

Of a group of repeats the most complete version stays (the longest; the first
of equal ones), at its own position.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from rapidfuzz import fuzz

from cleaner.blocks import Block
from cleaner.config import Config
from cleaner.detectors import Decision
from cleaner.normalize import strip_edges

RULE_EXACT = "duplicate:exact"
RULE_NEAR = "duplicate:near"
RULE_CONTAINED = "duplicate:contained"

_WORD = re.compile(r"\w+")
_NUMBER = re.compile(r"\d+(?:[.,:/]\d+)*")
_CAPITALISED = re.compile(r"(?<![.!?:]\s)(?<!^)\b[A-Z][\w'-]*")

SHINGLE = 3
# A shingle shared by more blocks than this is a stock phrase, not evidence;
# capping the posting lists is what keeps candidate generation near-linear.
MAX_POSTING = 30
# Share of the smaller block's shingles two blocks must share to be compared.
MIN_SHARED = 0.3
# Two blocks are "of similar length" (and so compared as near repeats) above this ratio.
NEAR_LENGTH_RATIO = 0.8


def _facts(text: str) -> tuple[Counter[str], set[str]]:
    return Counter(_NUMBER.findall(text)), {m.casefold() for m in _CAPITALISED.findall(text)}


def _same_facts(small: Block, large: Block, *, both_ways: bool) -> bool:
    """Numbers and names of ``small`` all appear in ``large`` (and back, if both_ways)."""
    numbers_s, names_s = _facts(small.text)
    numbers_l, names_l = _facts(large.text)
    words_s = set(_WORD.findall(small.key))
    words_l = set(_WORD.findall(large.key))
    if numbers_s - numbers_l or not all(n in words_l for n in _words_of(names_s)):
        return False
    if both_ways:
        return not (numbers_l - numbers_s) and all(n in words_s for n in _words_of(names_l))
    return True


def _words_of(names: set[str]) -> set[str]:
    return {w for name in names for w in _WORD.findall(name)}


def _shingles(key: str) -> set[int]:
    words = _WORD.findall(key)
    if len(words) < SHINGLE:
        return {hash(tuple(words))}
    return {hash(tuple(words[i : i + SHINGLE])) for i in range(len(words) - SHINGLE + 1)}


def _candidate_pairs(blocks: Sequence[Block], keys: dict[int, str]) -> list[tuple[int, int]]:
    postings: dict[int, list[int]] = defaultdict(list)
    shared: Counter[tuple[int, int]] = Counter()
    sizes: dict[int, int] = {}
    for block in blocks:
        shingles = _shingles(keys[block.index])
        sizes[block.index] = len(shingles)
        for shingle in shingles:
            posting = postings[shingle]
            if len(posting) < MAX_POSTING:
                for other in posting:
                    shared[other, block.index] += 1
            posting.append(block.index)
    return sorted(
        pair for pair, count in shared.items() if count >= MIN_SHARED * min(sizes[pair[0]], sizes[pair[1]])
    )


def _match(a: Block, b: Block, ka: str, kb: str, config: Config) -> tuple[str, float] | None:
    """How ``a`` and ``b`` repeat each other, if they do: (rule, score)."""
    small, large = (a, b) if len(ka) <= len(kb) else (b, a)
    ks, kl = (ka, kb) if small is a else (kb, ka)
    if len(ks) >= NEAR_LENGTH_RATIO * len(kl):
        score = fuzz.ratio(ks, kl, score_cutoff=config.near_threshold)
        if score and _same_facts(small, large, both_ways=True):
            return RULE_NEAR, score
    score = fuzz.partial_ratio(ks, kl, score_cutoff=config.containment_threshold)
    if score and _same_facts(small, large, both_ways=False):
        return RULE_CONTAINED, score
    return None


def detect_duplicates(blocks: Sequence[Block], config: Config) -> list[Decision]:
    by_index = {b.index: b for b in blocks}
    keys = {b.index: strip_edges(b.key) for b in blocks}
    decisions: list[Decision] = []

    first_with_key: dict[str, Block] = {}
    unique: list[Block] = []
    for block in blocks:
        key = keys[block.index]
        if not key:
            continue
        if key not in first_with_key:
            first_with_key[key] = block
            unique.append(block)
        elif len(key) >= config.min_exact_chars or config.drop_short_exact:
            decisions.append(Decision(block, RULE_EXACT, 100.0, first_with_key[key]))

    fuzzy = [b for b in unique if len(keys[b.index]) >= config.min_fuzzy_chars]
    relations: dict[int, list[tuple[int, str, float]]] = defaultdict(list)
    for i, j in _candidate_pairs(fuzzy, keys):
        found = _match(by_index[i], by_index[j], keys[i], keys[j], config)
        if found:
            relations[i].append((j, *found))
            relations[j].append((i, *found))

    # Most complete first: each block is dropped in favour of a related block
    # already kept, so a chain of repeats never removes every copy.
    kept: set[int] = set()
    for block in sorted(fuzzy, key=lambda b: (-len(keys[b.index]), b.index)):
        twins = [(other, rule, score) for other, rule, score in relations[block.index] if other in kept]
        if twins:
            other, rule, score = max(twins, key=lambda t: (t[2], -t[0]))
            decisions.append(Decision(block, rule, round(score, 1), by_index[other]))
        else:
            kept.add(block.index)
    return _point_at_kept(decisions)


def _point_at_kept(decisions: list[Decision]) -> list[Decision]:
    """An exact repeat of a block that was itself removed names the block finally kept."""
    twin_of = {d.block.index: d.twin for d in decisions}
    resolved = []
    for decision in decisions:
        twin = decision.twin
        while twin is not None and twin.index in twin_of:
            twin = twin_of[twin.index]
        resolved.append(Decision(decision.block, decision.rule, decision.score, twin))
    return sorted(resolved, key=lambda d: d.block.index)
