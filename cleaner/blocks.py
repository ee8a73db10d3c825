"""Segmentation of a text into blocks, and rendering of the kept ones.

A block is a span of the original text; rendering only ever copies spans and
the original separators between them, so kept text is byte for byte the input.

Segmentation fits what scrapers write:
- paragraphs separated by blank lines;
- one paragraph (or one page element) per line, with no blank lines at all;
- hard-wrapped paragraphs: consecutive lines broken at a fixed width inside one
  paragraph. A run of lines is taken as wrapped when every line break in it is
  one a greedy wrapper would make: the next line's first word would not have
  fitted on the line before (see ``_looks_wrapped``).
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import accumulate, pairwise, repeat
from operator import add
from typing import Any, overload

from cleaner.normalize import make_key

_BREAK = re.compile(r"(\r\n|\r|\n)")
# The first word of a line, up to a hyphen a wrapper could break at; leading spaces skipped.
_FIRST_PIECE = re.compile(r"\s*(\S+?(?:-|(?=\s)|$))")
# A line ends a sentence when it ends with one of these, then maybe closing quotes or brackets.
_SENTENCE_ENDS = ".!?…:;。！？"
_CLOSERS = "'\"’”»)]"

# A wrapped paragraph's lines are at least this long (shorter runs are lists
# and menus, where a break is the author's, not a wrapper's) ...
MIN_WRAP_WIDTH = 30
# ... and no wrapper fills lines longer than this.
MAX_WRAP_WIDTH = 200
# Share of the breaks in a run that must look like a wrapper's.
WRAP_AGREEMENT = 0.9
# Above this share of lines ending a sentence, a run is not one wrapped paragraph.
MAX_SENTENCE_END_SHARE = 0.5


class _Key:
    """``Block.key``, the block's normalised text: made on first use, then kept on the block.

    What ``functools.cached_property`` does, without the lock it takes on
    every first use in Python 3.11; every block of a document gets its key.
    """

    @overload
    def __get__(self, block: None, owner: type[Block]) -> _Key: ...
    @overload
    def __get__(self, block: Block, owner: type[Block]) -> str: ...
    def __get__(self, block: Block | None, owner: type[Block]) -> _Key | str:
        if block is None:
            return self
        key = block.__dict__["key"] = make_key(block.text)
        return key


@dataclass(frozen=True, init=False)
class Block:
    """One paragraph or line of the input: a span, never a copy that was edited."""

    index: int
    start: int
    end: int
    text: str
    first_line: int  # 1-based
    last_line: int
    hints: Mapping[str, object] = field(default_factory=dict, compare=False)
    # Results of pure computations on this block, keyed by everything else they
    # depend on. ``decide`` runs a detector again on the blocks still kept; what
    # it found out about one block the first time is then looked up here, not
    # worked out again. A value, once stored, is never changed.
    memo: dict[Hashable, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __init__(
        self,
        index: int,
        start: int,
        end: int,
        text: str,
        first_line: int,
        last_line: int,
        hints: Mapping[str, object] | None = None,
    ) -> None:
        # The frozen dataclass's own __init__ sets field after field through
        # object.__setattr__; filling the instance dict directly is twice as
        # fast, and a long document makes 100k blocks.
        attributes = self.__dict__
        attributes["index"] = index
        attributes["start"] = start
        attributes["end"] = end
        attributes["text"] = text
        attributes["first_line"] = first_line
        attributes["last_line"] = last_line
        attributes["hints"] = {} if hints is None else hints
        attributes["memo"] = {}

    key = _Key()


def _looks_wrapped(texts: list[str]) -> bool:
    trimmed = [t.rstrip() for t in texts]
    widths = list(map(len, trimmed))
    width = max(widths)
    if width < MIN_WRAP_WIDTH or width > MAX_WRAP_WIDTH:
        return False
    if min(widths[:-1]) < width * 0.5:
        return False
    # A wrapper breaks lines mid-sentence; lines that mostly end a sentence
    # are paragraphs (or page elements) of their own, one per line.
    ends = 0
    for line in trimmed[:-1]:
        line = line.rstrip(_CLOSERS)
        if line and line[-1] in _SENTENCE_ENDS:
            ends += 1
    if ends > MAX_SENTENCE_END_SHARE * (len(texts) - 1):
        return False
    agreeing = 0
    for current, following in zip(widths[:-1], texts[1:], strict=True):
        piece = _FIRST_PIECE.match(following)
        if piece and current + 1 + piece.end() - piece.start(1) > width:
            agreeing += 1
    return agreeing >= WRAP_AGREEMENT * (len(texts) - 1)


def _cut(text: str) -> tuple[list[str], list[int]]:
    r"""The lines of ``text`` without their breaks, and the offset where each one starts.

    Only \r\n, \r and \n break a line (``str.splitlines`` would also break at
    \v, \f, \x1c-\x1e, \x85, \u2028 and \u2029). A text that ends with a break,
    or is empty, gets an empty last line: it is blank, so it never enters a block.
    """
    widths: Iterable[int]
    if "\r" not in text:
        lines = text.split("\n")
        widths = repeat(1)
    elif "\n" not in text:
        lines = text.split("\r")
        widths = repeat(1)
    elif text.count("\r\n") == text.count("\r") == text.count("\n"):
        lines = text.split("\r\n")
        widths = repeat(2)
    else:
        parts = _BREAK.split(text)  # line, break, line, ..., line
        lines = parts[::2]
        widths = map(len, parts[1::2])
    starts = list(accumulate(map(add, map(len, lines), widths), initial=0))
    return lines, starts


def _spans(lines: list[str]) -> list[tuple[int, int]]:
    """(first line, last line), 0-based, of every block of a text cut into ``lines``."""
    spans: list[tuple[int, int]] = []
    # Lines that are not blank (``not line.strip()``, without copying the line);
    # a gap in their numbers ends a run, and -2 ends the last one.
    filled = [n for n, line in enumerate(lines) if line and not line.isspace()]
    filled.append(-2)
    first = filled[0]
    for last, following in pairwise(filled):
        if following == last + 1:
            continue
        if first == last or _looks_wrapped(lines[first : last + 1]):
            spans.append((first, last))
        else:
            spans.extend((n, n) for n in range(first, last + 1))
        first = following
    return spans


def _text(text: str, lines: list[str], starts: list[int], first: int, last: int) -> str:
    return lines[first] if first == last else text[starts[first] : starts[last] + len(lines[last])]


def split_texts(text: str) -> list[str]:
    """The texts of ``split_blocks(text)``, without making the blocks."""
    lines, starts = _cut(text)
    return [_text(text, lines, starts, first, last) for first, last in _spans(lines)]


def split_blocks(text: str) -> list[Block]:
    """Cut ``text`` into blocks: wrapped paragraphs whole, other runs line by line."""
    lines, starts = _cut(text)
    return [
        Block(  # index, start, end, text, first line, last line; keywords would cost a third more
            i,
            starts[first],
            starts[last] + len(lines[last]),
            _text(text, lines, starts, first, last),
            first + 1,
            last + 1,
        )
        for i, (first, last) in enumerate(_spans(lines))
    ]


def newline_count(whitespace: str) -> int:
    """Line breaks in ``whitespace`` (\\r\\n, \\r and \\n each count one)."""
    return whitespace.count("\n") + whitespace.count("\r") - whitespace.count("\r\n")


def separator(text: str, blocks: list[Block], previous: Block, block: Block) -> str:
    """What goes between two kept blocks: the widest original separator that stood between them."""
    between = range(previous.index + 1, block.index + 1)
    return max((text[blocks[i - 1].end : blocks[i].start] for i in between), key=newline_count)


def render(text: str, blocks: list[Block], removed: set[int]) -> str:
    """The input with the removed blocks cut out; everything else copied as is.

    Between two kept blocks goes the widest original separator that stood
    between them, so a paragraph break is never lost and no gap grows wider
    than one the input already had.
    """
    if not removed:
        return text
    kept = [b.index for b in blocks if b.index not in removed]
    if not kept:
        return ""
    # Leading whitespace belongs to the file, not to the first block.
    parts = [text[: blocks[0].start]]
    kept.append(-2)  # ends the last run
    first = kept[0]
    for last, following in pairwise(kept):
        if following == last + 1:
            continue
        # A run of kept blocks, with what stood between them, is one span of the input.
        parts.append(text[blocks[first].start : blocks[last].end])
        if following >= 0:
            parts.append(separator(text, blocks, blocks[last], blocks[following]))
        first = following
    parts.append(text[blocks[-1].end :])
    return "".join(parts)
