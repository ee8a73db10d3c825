"""Comparison keys: two blocks that a reader would call the same text get the same key.

Keys are only ever compared, never written out, so they may be as lossy as
comparison needs (case, quotes, dashes, spacing, invisible characters).
"""

from __future__ import annotations

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
# Stripped from the edges of a key (besides whitespace). A loop, not a regex:
# "[...]+$" rescans a long run of punctuation from every position (quadratic).
_LEADING = frozenset("\"'([")
_TRAILING = frozenset(".,;:!?\"')]")


def make_key(text: str) -> str:
    """NFKC, casefold, one kind of quote and dash, single spaces, no invisible marks."""
    folded = unicodedata.normalize("NFKC", text).translate(_TABLE).casefold()
    return " ".join(folded.split())


def strip_edges(key: str) -> str:
    """A key without leading/trailing punctuation ("Leave a reply:" == "leave a reply")."""
    start, end = 0, len(key)
    while start < end and (key[start] in _LEADING or key[start].isspace()):
        start += 1
    while end > start and (key[end - 1] in _TRAILING or key[end - 1].isspace()):
        end -= 1
    return key[start:end]
