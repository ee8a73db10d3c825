"""Line features and the context pass: content or page furniture, told by shape and neighbours.

In the spirit of jusText, on text alone. Each block is first classified on its
own (``classify``) as one of:

- GOOD: long, written in sentences, with the stop words of its language;
- NEAR: sentence-like but shorter or thinner in stop words;
- SHORT: too short to tell (a heading, a list item, a byline, a date), or
  long but thin in stop words (a table row, a results line, a row of links);
- MENU: short and link-like (a few words, no sentence punctuation) - a menu
  item, a section name, a share button; or a heading;
- BAD: furniture by its wording (phrase library, patterns, zones), decided
  before this module is asked.

``promote_prose`` turns NEAR blocks that stand together into GOOD ones. Then
the context pass (``revise``) settles SHORT, MENU and NEAR blocks from their
neighbours: a run of short blocks between article paragraphs stays (headings,
lists), a run next to furniture goes, a run of mostly link-like lines before
the article is navigation. Unlike jusText, the document's edges are neutral
rather than bad: an already clean article must come back unchanged, however
short its first or last line. Last, ``prune_islands`` drops kept text far from
the article.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from typing import NamedTuple

from cleaner.lang import words_of

# Blocks shorter than this (characters) are SHORT or MENU.
SHORT_CHARS = 70
# Blocks at least this long, in sentences and with stop words, are GOOD.
LONG_CHARS = 200
# Share of stop words for GOOD (with length) and for NEAR.
STOP_HIGH = 0.30
STOP_LOW = 0.20
# A MENU line has at most this many words.
MENU_MAX_WORDS = 4
# A short block in sentences (terminal punctuation, stop words) with at least
# this many words counts as NEAR.
SENTENCE_MIN_WORDS = 4
# NEAR blocks that stand together (only short blocks between them, no GOOD
# one) with at least this many characters in all are prose: GOOD.
PROSE_RUN_CHARS = 400
# Kept blocks separated by this many removed ones are separate islands; an
# island with less than this share of the main island's GOOD text goes.
ISLAND_GAP = 3
ISLAND_SHARE = 0.5
# ... unless it has this many GOOD blocks with this much text: several
# paragraphs of prose are a part of the article cut off by a widget.
ISLAND_KEEP_BLOCKS = 2
ISLAND_KEEP_CHARS = 400
# Above the first GOOD paragraph, a short run of at most this many blocks
# next to furniture is header matter (byline, date, caption).
HEADER_MAX_BLOCKS = 3
# A run of short lines between the top of the page and the article is navigation when it holds at least
# this many MENU lines making up at least this share of it.
NAV_MIN_ITEMS = 3
NAV_SHARE = 0.5

# Han, kana, Hangul and full-width forms carry a word's worth of meaning in one
# or two characters; counted three times, a Chinese or Japanese paragraph is as
# long as the same paragraph in a spaced script, not "short".
_WIDE = re.compile(r"[\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")
WIDE_WEIGHT = 3
# A block ends a sentence when, closing quotes and brackets aside, its last
# character is one of these (the regex [.!?…:;。！？]['"’”»)\]]*$, without a scan).
_TERMINALS = ".!?…:;。！？"
_CLOSERS = "'\"’”»)]"
# Markdown a person wrote - "# Heading", "- [Install](#install)" - never a scraped menu.
_MARKDOWN = re.compile(r"^\s{0,3}#{1,6}\s|\[[^\]\n]+\]\([^)\s]+\)")


class Kind(enum.Enum):
    GOOD = "good"
    NEAR = "near"
    SHORT = "short"
    MENU = "menu"
    BAD = "bad"


# A named tuple rather than a frozen dataclass: one is made for every block,
# and a tuple is made about three times as fast.
class Features(NamedTuple):
    chars: int
    words: int
    stop_density: float | None  # None: language unknown
    terminal: bool
    markdown: bool = False  # a Markdown heading or link


def measure(
    text: str, stops: frozenset[str], words: list[str] | None = None, key: str | None = None
) -> Features:
    """Features of one block; ``words``: its ``words_of``, ``key``: its ``make_key`` key, if at hand.

    The key of an ASCII text without a backtick (the one character make_key
    changes in ASCII) is the text with its whitespace collapsed, lowered: of
    the same length, ending in the same punctuation, with the same words. It
    then stands in for the collapsed text, which need not be made again.
    """
    stripped = key if key is not None and text.isascii() and "`" not in text else " ".join(text.split())
    words = words_of(stripped) if words is None else words
    density = sum(map(stops.__contains__, words)) / len(words) if stops and words else None
    if stops and not words:
        density = 0.0
    body = stripped.rstrip(_CLOSERS)
    terminal = bool(body) and body[-1] in _TERMINALS
    wide = 0 if stripped.isascii() else len(_WIDE.findall(stripped))
    if wide * 2 > len(stripped):
        density = None  # unspaced script: stop-word lists of spaced languages say nothing here
    chars = len(stripped) + (WIDE_WEIGHT - 1) * wide
    # Either alternative of _MARKDOWN needs a "#" or a "[": most blocks have neither.
    markdown = ("#" in text or "[" in text) and bool(_MARKDOWN.search(text))
    return Features(chars, len(words), density, terminal, markdown)


def classify(f: Features) -> Kind:
    """The context-free class of one block."""
    if f.chars < SHORT_CHARS:
        if f.words <= MENU_MAX_WORDS and not f.terminal and not f.markdown:
            return Kind.MENU
        if f.terminal and f.words >= SENTENCE_MIN_WORDS and (f.stop_density or 0) >= STOP_LOW:
            return Kind.NEAR  # a short sentence: article text when next to article text
        return Kind.SHORT
    if f.stop_density is None:
        if f.terminal:
            return Kind.GOOD if f.chars >= LONG_CHARS else Kind.NEAR
        return Kind.NEAR if f.chars >= LONG_CHARS else Kind.SHORT
    if f.stop_density >= STOP_HIGH:
        if f.chars >= LONG_CHARS:
            return Kind.GOOD
        return Kind.NEAR if f.terminal else Kind.SHORT
    if f.stop_density >= STOP_LOW:
        return Kind.NEAR if f.terminal or f.chars >= LONG_CHARS else Kind.SHORT
    # Long but thin in stop words: a table row, a results line, a list of
    # products - or a row of links. Its neighbours decide.
    return Kind.SHORT


_SHORTS = (Kind.SHORT, Kind.MENU)


class _Neighbours:
    """For every block, the nearest block on each side whose kind is not skipped (None: the edge).

    Computed in one pass each way, so the context pass stays linear however
    long the runs it has to look across.
    """

    def __init__(self, kinds: Sequence[Kind], skip: tuple[Kind, ...]) -> None:
        self.before: list[Kind | None] = []
        last: Kind | None = None
        for kind in kinds:
            self.before.append(last)
            if kind not in skip:
                last = kind
        self.after: list[Kind | None] = []
        last = None
        for kind in reversed(kinds):
            self.after.append(last)
            if kind not in skip:
                last = kind
        self.after.reverse()


def _runs(kinds: Sequence[Kind]) -> list[tuple[int, int]]:
    """Maximal runs [start, stop) of SHORT/MENU blocks."""
    runs = []
    i = 0
    while i < len(kinds):
        if kinds[i] in _SHORTS:
            j = i
            while j < len(kinds) and kinds[j] in _SHORTS:
                j += 1
            runs.append((i, j))
            i = j
        else:
            i += 1
    return runs


def _is_nav(kinds: Sequence[Kind]) -> bool:
    menus = sum(1 for k in kinds if k is Kind.MENU)
    return menus >= NAV_MIN_ITEMS and menus >= NAV_SHARE * len(kinds)


def _settle_run(
    kinds: Sequence[Kind], start: int, stop: int, first_good: int, far: _Neighbours, close: _Neighbours
) -> tuple[bool, str]:
    """(keep, reason) for the short run kinds[start:stop].

    ``far`` skips short and NEAR blocks, ``close`` short ones only;
    ``first_good`` is the index of the first GOOD block.
    """
    before, after = far.before[start], far.after[stop - 1]
    sides = {before, after} - {None}
    run = kinds[start:stop]
    if not sides:
        return True, ""
    if sides == {Kind.GOOD}:
        # Before the article, a run of link-like lines is the site's menu;
        # after it, such a run is as likely the article's own list.
        if before is None and _is_nav(run):
            return False, "nav-run"
        return True, ""
    if sides == {Kind.BAD}:
        return False, "nav-run" if _is_nav(run) else "short-run"
    # Between furniture and article: jusText keeps it only when a NEAR block
    # stands between it and the furniture (text that is still prose-like) -
    # once the article has begun. Above the first paragraph such runs are
    # bylines, datelines and captions - a few lines, not a table.
    near_before = close.before[start] is Kind.NEAR
    near_after = close.after[stop - 1] is Kind.NEAR
    if (first_good < start or stop - start > HEADER_MAX_BLOCKS) and (
        (before is Kind.BAD and near_before) or (after is Kind.BAD and near_after)
    ):
        return True, ""
    return False, "nav-run" if _is_nav(run) else "short-run"


def promote_prose(kinds: Sequence[Kind], sizes: Sequence[int]) -> list[Kind]:
    """NEAR blocks that together make enough prose count as GOOD.

    Articles told in short paragraphs (wire copy, recipes) have no single
    GOOD block; three or four sentence-like paragraphs in a row are prose all
    the same.
    """
    result = list(kinds)
    i = 0
    while i < len(kinds):
        if kinds[i] is not Kind.NEAR:
            i += 1
            continue
        j, total, members = i, 0, []
        while j < len(kinds) and kinds[j] in (Kind.NEAR, *_SHORTS):
            if kinds[j] is Kind.NEAR:
                total += sizes[j]
                members.append(j)
            j += 1
        if total >= PROSE_RUN_CHARS and len(members) >= 2:
            for m in members:
                result[m] = Kind.GOOD
        i = j
    return result


def revise(kinds: Sequence[Kind]) -> list[str | None]:
    """The context pass: for every block, None if it stays, else the reason it goes."""
    reasons: list[str | None] = [None] * len(kinds)
    settled = list(kinds)
    first_good = next((i for i, k in enumerate(kinds) if k is Kind.GOOD), len(kinds))
    far = _Neighbours(kinds, (*_SHORTS, Kind.NEAR))
    close = _Neighbours(kinds, _SHORTS)
    for start, stop in _runs(kinds):
        keep, reason = _settle_run(kinds, start, stop, first_good, far, close)
        for i in range(start, stop):
            settled[i] = Kind.GOOD if keep else Kind.BAD
            reasons[i] = None if keep else reason
    sides_of = _Neighbours(settled, (Kind.NEAR,))
    for i, kind in enumerate(kinds):
        if kind is Kind.BAD:
            reasons[i] = "low-content"
        elif kind is Kind.NEAR and {sides_of.before[i], sides_of.after[i]} - {None} == {Kind.BAD}:
            reasons[i] = "near-run"
    return reasons


def prose_follows(kinds: Sequence[Kind], i: int) -> bool:
    """Whether another sentence-like block follows block i, at most one short block apart.

    Article paragraphs follow one another; in a list of teasers every
    summary is followed by the next item's label and headline first.
    """
    return _prose_near(kinds, range(i + 1, min(i + 3, len(kinds))))


def prose_precedes(kinds: Sequence[Kind], i: int) -> bool:
    """Whether another sentence-like block precedes block i, at most one short block apart."""
    return _prose_near(kinds, range(i - 1, max(i - 3, -1), -1))


def _prose_near(kinds: Sequence[Kind], positions: range) -> bool:
    for j in positions:
        if kinds[j] in (Kind.GOOD, Kind.NEAR):
            return True
        if kinds[j] is Kind.BAD:
            return False
    return False


def prune_islands(
    kinds: Sequence[Kind],
    reasons: Sequence[str | None],
    sizes: Sequence[int],
    weighs: Sequence[bool] | None = None,
) -> list[str | None]:
    """Drop islands of kept text far from the article: teasers, sidebars, widgets.

    Kept blocks form islands separated by at least ``ISLAND_GAP`` removed
    blocks. The island with the most GOOD text is the article; another island
    stays only if it holds at least ``ISLAND_SHARE`` of that much GOOD text
    (an article cut in two by a long ad block keeps both halves). ``weighs``
    says which blocks count as GOOD text here (default: the GOOD ones). When
    nothing is removed there is one island and nothing changes - an already
    clean text, or a second pass over cleaned output.
    """
    result = list(reasons)
    islands: list[list[int]] = []
    gap = ISLAND_GAP
    for i, reason in enumerate(reasons):
        if reason is not None:
            gap += 1
            continue
        if gap >= ISLAND_GAP or not islands:
            islands.append([])
        islands[-1].append(i)
        gap = 0
    if len(islands) < 2:
        return result
    counts = weighs if weighs is not None else [k is Kind.GOOD for k in kinds]
    weights = [sum(sizes[i] for i in island if counts[i]) for island in islands]
    goods = [sum(1 for i in island if counts[i]) for island in islands]
    main = max(weights)
    for island, weight, count in zip(islands, weights, goods, strict=True):
        if weight < ISLAND_SHARE * main and (count < ISLAND_KEEP_BLOCKS or weight < ISLAND_KEEP_CHARS):
            for i in island:
                result[i] = "off-article"
    return result
