"""How two blocks repeat each other (near, contained, abridged), scored with RapidFuzz."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from cleaner.detectors.duplicates.document import RULE_CONTAINED, RULE_NEAR, Document

# Two blocks are "of similar length" (and so compared as near repeats) above this ratio.
NEAR_LENGTH_RATIO = 0.8
# A fragment is a "contained" copy only when it is clearly shorter than its
# twin; two blocks of about the same length are compared as near repeats, with
# the stricter both-ways fact check.
CONTAINED_LENGTH_RATIO = 0.95
# An abridged copy (words dropped, nothing else changed) has at least this many
# words and keeps at least this share of the original's.
MIN_ABRIDGED_WORDS = 8
ABRIDGED_COVER = 0.7
# A fragment counts as the beginning (end) of a paragraph when it is found
# within this share of the paragraph's length from its start (end).
EDGE_SLACK = 0.03
# A cut or abridged copy keeps its words in their order, so it shares most of
# its shingles with the original; below this share (of the shorter block's
# index terms) the costlier containment and abridgement checks are skipped.
MIN_CONTAINED_SHARE = 0.4
# A cut copy keeps a good part of its paragraph (a scraper cuts after a few
# sentences, or at a length): at least this share of it, or a paragraph's length
# of its own. A heading, a caption or a quoted line that a paragraph happens to
# open or close with is shorter than that, and is a real line of the page.
MIN_CUT_COVER = 0.3
MIN_CUT_CHARS = 200
# Decoration (rules of underscores, dashes, bullets) is not text: two lines that
# share a long rule and differ in every word are not near repeats.
_DECORATION = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Relation:
    small: int  # the shorter block (the copy, if one of the two goes)
    large: int
    rule: str  # RULE_NEAR (either may go) or RULE_CONTAINED (only ``small`` may go)
    score: float
    # For RULE_CONTAINED: ``small`` is the beginning or the end of ``large`` (a cut
    # copy). A passage from the middle (a pull quote) is only ever a split piece.
    at_edge: bool = True


def abridged_score(short: str, long: str) -> float:
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


def _same_words(a: str, b: str, threshold: float) -> bool:
    """``a`` and ``b`` are still alike once their decoration is set aside."""
    words_a, words_b = _DECORATION.sub(" ", a).strip(), _DECORATION.sub(" ", b).strip()
    if words_a == a and words_b == b:
        return True  # nothing was set aside: the ratio already measured the words
    return bool(fuzz.ratio(words_a, words_b, score_cutoff=threshold))


def relate_pair(doc: Document, a: int, b: int, share: float = 1.0) -> Relation | None:
    """How blocks ``a`` and ``b`` repeat each other, if they do.

    ``share``: of the shorter block's index terms, the share the two have in
    common (1.0 when not measured).
    """
    ka, kb = doc.keys[a], doc.keys[b]
    small, large = (a, b) if (len(ka), a) <= (len(kb), b) else (b, a)
    ks, kl = doc.keys[small], doc.keys[large]
    config = doc.config
    if len(ks) >= NEAR_LENGTH_RATIO * len(kl):
        score = fuzz.ratio(ks, kl, score_cutoff=config.near_threshold)
        if score and not _same_words(ks, kl, config.near_threshold):
            score = 0.0
        if score and doc.same_facts(small, large, both_ways=True):
            return Relation(small, large, RULE_NEAR, score)
    contained = None
    if share < MIN_CONTAINED_SHARE:
        return None
    if len(ks) <= CONTAINED_LENGTH_RATIO * len(kl):
        found = fuzz.partial_ratio_alignment(ks, kl, score_cutoff=config.containment_threshold)
        if found and doc.same_facts(small, large, both_ways=False):
            slack = EDGE_SLACK * len(kl)
            at_edge = (found.dest_start <= slack or found.dest_end >= len(kl) - slack) and (
                len(ks) >= MIN_CUT_COVER * len(kl) or len(ks) >= MIN_CUT_CHARS
            )
            contained = Relation(small, large, RULE_CONTAINED, found.score, at_edge)
            if at_edge:
                return contained
    abridged = abridged_score(ks, kl)
    if abridged and doc.same_facts(small, large, both_ways=False):
        return Relation(small, large, RULE_NEAR, abridged)
    return contained
