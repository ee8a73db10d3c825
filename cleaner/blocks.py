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
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, NamedTuple, TypeVar, overload

from cleaner.normalize import make_key

_LINE = re.compile(r"([^\r\n]*)(?:\r\n|\r|\n|$)")
_FIRST_PIECE = re.compile(r"\S+?(?:-|(?=\s)|$)")
_SENTENCE_END = re.compile(r"[.!?…:;。！？]['\"’”»)\]]*\s*$")

# A wrapped paragraph's lines are at least this long (shorter runs are lists
# and menus, where a break is the author's, not a wrapper's) ...
MIN_WRAP_WIDTH = 30
# ... and no wrapper fills lines longer than this.
MAX_WRAP_WIDTH = 200
# Share of the breaks in a run that must look like a wrapper's.
WRAP_AGREEMENT = 0.9
# Above this share of lines ending a sentence, a run is not one wrapped paragraph.
MAX_SENTENCE_END_SHARE = 0.5


class Line(NamedTuple):
    start: int
    end: int  # end of content, before the line break
    stop: int  # after the line break

    def is_blank(self, text: str) -> bool:
        return not text[self.start : self.end].strip()


_T = TypeVar("_T")


class _Once(Generic[_T]):
    """``functools.cached_property`` without its lock (taken on every first use
    until Python 3.12, which costs more than a block's key): the value is
    worked out on first use and stored in the instance, where later lookups
    find it. Two threads racing on one block would both compute the same value."""

    def __init__(self, compute: Callable[[Any], _T]) -> None:
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> _Once[_T]: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> _T: ...
    def __get__(self, instance: object | None, owner: type | None = None) -> _T | _Once[_T]:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.compute(instance)
        return value


@dataclass(frozen=True)
class Block:
    """One paragraph or line of the input: a span, never a copy that was edited."""

    index: int
    start: int
    end: int
    text: str
    first_line: int  # 1-based
    last_line: int
    hints: Mapping[str, object] = field(default_factory=dict, compare=False)

    @_Once
    def key(self) -> str:
        return make_key(self.text)

    @_Once
    def memo(self) -> dict[Hashable, Any]:
        """Results of pure computations on this block, keyed by everything else they depend on.

        ``decide`` runs a detector again on the blocks still kept; what it
        found out about one block the first time is then looked up here, not
        worked out again. A value, once stored, is never changed.
        """
        return {}


def split_lines(text: str) -> list[Line]:
    lines = []
    for match in _LINE.finditer(text):
        start, stop = match.span()
        if start == stop:
            break
        lines.append(Line(start, match.end(1), stop))  # group 1: the content, without the break
    return lines


def _looks_wrapped(texts: list[str]) -> bool:
    widths = [len(t.rstrip()) for t in texts]
    width = max(widths)
    if width < MIN_WRAP_WIDTH or width > MAX_WRAP_WIDTH:
        return False
    if any(w < width * 0.5 for w in widths[:-1]):
        return False
    # A wrapper breaks lines mid-sentence; lines that mostly end a sentence
    # are paragraphs (or page elements) of their own, one per line.
    ends = sum(1 for t in texts[:-1] if _SENTENCE_END.search(t))
    if ends > MAX_SENTENCE_END_SHARE * (len(texts) - 1):
        return False
    agreeing = 0
    for current, following in zip(widths[:-1], texts[1:], strict=True):
        piece = _FIRST_PIECE.match(following.lstrip())
        if piece and current + 1 + len(piece.group()) > width:
            agreeing += 1
    return agreeing >= WRAP_AGREEMENT * (len(texts) - 1)


def _groups(text: str, lines: list[Line]) -> Iterable[list[Line]]:
    group: list[Line] = []
    for line in lines:
        if line.is_blank(text):
            if group:
                yield group
            group = []
        else:
            group.append(line)
    if group:
        yield group


def _spans(text: str, lines: list[Line]) -> list[tuple[Line, Line]]:
    """(first line, last line) of every block of ``text``."""
    spans: list[tuple[Line, Line]] = []
    for group in _groups(text, lines):
        texts = [text[line.start : line.end] for line in group]
        if len(group) > 1 and _looks_wrapped(texts):
            spans.append((group[0], group[-1]))
        else:
            spans.extend((line, line) for line in group)
    return spans


def split_texts(text: str) -> list[str]:
    """The texts of ``split_blocks(text)``, without making the blocks."""
    return [text[first.start : last.end] for first, last in _spans(text, split_lines(text))]


def split_blocks(text: str) -> list[Block]:
    """Cut ``text`` into blocks: wrapped paragraphs whole, other runs line by line."""
    lines = split_lines(text)
    number = {line.start: n for n, line in enumerate(lines, start=1)}
    spans = _spans(text, lines)
    return [
        Block(
            index=i,
            start=first.start,
            end=last.end,
            text=text[first.start : last.end],
            first_line=number[first.start],
            last_line=number[last.start],
        )
        for i, (first, last) in enumerate(spans)
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
    kept = [b for b in blocks if b.index not in removed]
    if not kept:
        return ""
    # Leading whitespace belongs to the file, not to the first block.
    parts = [text[: blocks[0].start]]
    previous: Block | None = None
    for block in kept:
        if previous is not None:
            parts.append(separator(text, blocks, previous, block))
        parts.append(block.text)
        previous = block
    parts.append(text[blocks[-1].end :])
    return "".join(parts)
