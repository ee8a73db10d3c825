"""Comparison keys: two blocks that a reader would call the same text get the same key.

Keys are only ever compared, never written out, so they may be as lossy as
comparison needs (case, quotes, dashes, spacing, invisible characters).
"""

from __future__ import annotations

import re
import unicodedata

_QUOTES = "\u2018\u2019\u201a\u201b\u2032\u00b4\u0060"
_DQUOTES = "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"

_TABLE = str.maketrans(
    {
        **{c: "'" for c in _QUOTES},
        **{c: '"' for c in _DQUOTES},
        **{c: "-" for c in _DASHES},
        **{c: None for c in _INVISIBLE},
        "\u2026": "...",
    }
)
# The entries of _TABLE for ASCII characters, as (old, new) pairs for str.replace.
_ASCII_TABLE = tuple((chr(code), value or "") for code, value in _TABLE.items() if code < 128)
# Stripped from the edges of a key (besides whitespace). A loop, not a regex:
# "[...]+$" rescans a long run of punctuation from every position (quadratic).
_LEADING = frozenset("\"'([")
_TRAILING = frozenset(".,;:!?\"')]")
# The same with the plain space, as strings for str.strip: on a key (single
# spaces only) str.strip with them does the same job as a loop.
_LEAD_EDGE = " \"'(["
_TRAIL_EDGE = " .,;:!?\"')]"


def make_key(text: str) -> str:
    """NFKC, casefold, one kind of quote and dash, single spaces, no invisible marks."""
    if text.isascii():
        # NFKC leaves ASCII as it is, casefold() of ASCII is lower(), and of the
        # table only its few ASCII entries (the backtick) can apply.
        for old, new in _ASCII_TABLE:
            if old in text:
                text = text.replace(old, new)
        return " ".join(text.lower().split())
    folded = unicodedata.normalize("NFKC", text).translate(_TABLE).casefold()
    return " ".join(folded.split())


def strip_edges(key: str) -> str:
    """A key without leading/trailing punctuation ("Leave a reply:" == "leave a reply")."""
    # str.strip with the edge characters and the plain space does it all, unless
    # what it leaves starts or ends with another kind of whitespace.
    stripped = key.lstrip(_LEAD_EDGE).rstrip(_TRAIL_EDGE)
    if stripped and (stripped[0].isspace() or stripped[-1].isspace()):
        return _strip_edges_and_spaces(key)
    return stripped


def _strip_edges_and_spaces(key: str) -> str:
    start, end = 0, len(key)
    while start < end and (key[start] in _LEADING or key[start].isspace()):
        start += 1
    while end > start and (key[end - 1] in _TRAILING or key[end - 1].isspace()):
        end -= 1
    return key[start:end]


def comparison_key(key: str) -> str:
    """``strip_edges`` of a ``make_key`` key, also without an ellipsis marking a cut.

    "...the rest of it" and "the start of it..." (make_key has turned "…"
    into "...") compare as the words they kept.
    """
    stripped = key.lstrip(_LEAD_EDGE).rstrip(_TRAIL_EDGE)
    if stripped.startswith("..."):
        stripped = stripped.lstrip(". ").lstrip(_LEAD_EDGE)
    return stripped


_UPPER = "".join(c for c in map(chr, range(0x3000)) if c.isupper())
_NUMBER = re.compile(r"[\d\u00bc-\u00be\u2150-\u215e]+(?:[.,:/][\d\u00bc-\u00be\u2150-\u215e]+)*")
# A capitalised word that does not open a sentence: a name (Margaret, Moscow,
# NASA, Олесю). Sentence openers are skipped because a lightly edited copy may
# start its sentences differently; text is space-normalised first so that
# "end.  Next" and "end. Next" agree.
_NAME = re.compile(rf"(?<![.!?:;]\s)(?<!^)(?<![\w'’-])[{re.escape(_UPPER)}][\w'’-]*")


def _spaced(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def numbers_of(text: str) -> list[str]:
    """The numbers of a text as written ("6:38", "40-50" -> "40", "50", "½")."""
    return _NUMBER.findall(unicodedata.normalize("NFKC", text))


def names_of(text: str) -> list[str]:
    """Capitalised words that do not open a sentence, casefolded."""
    return [name.casefold() for name in _NAME.findall(_spaced(text))]


def skeleton_key(text: str) -> str:
    """The key of a text with every number and name blanked: "Step 2" and "Step 3" share one.

    Items of one template (a label per product, a question per interviewee, a
    line per list entry) share a skeleton and differ only in what it blanks.
    """
    blanked = _NAME.sub("N", _NUMBER.sub("#", _spaced(text)))
    return strip_edges(make_key(blanked))
