"""Site boilerplate: blocks that recur across many documents of one site or corpus.

Learning is a map-reduce so it can run anywhere the data is:
``document_keys`` maps one document to the set of its candidate keys,
the counts are summed (a ``Counter`` per worker, added together), and
``select_profile`` keeps the keys that recur in enough documents.
A profile is a plain text file (``cleaner.profile``), one normalised key per
line, sorted, so a team can commit it and review its diffs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from cleaner.blocks import Block, split_blocks
from cleaner.config import Config
from cleaner.detectors import Decision
from cleaner.normalize import strip_edges
from cleaner.profile import PROFILE_HEADER, format_profile, parse_profile, read_profile

RULE_SITE = "boilerplate:site"
# Blocks longer than this are articles' own sentences even when syndicated.
MAX_PROFILE_CHARS = 200


def document_keys(text: str) -> set[str]:
    """The map step: distinct candidate keys of one document."""
    return {
        key
        for block in split_blocks(text)
        if (key := strip_edges(block.key)) and len(key) <= MAX_PROFILE_CHARS
    }


def count_documents(texts: Iterable[str]) -> tuple[Counter[str], int]:
    """Document frequency of every key over ``texts``, and the number of documents."""
    counts: Counter[str] = Counter()
    documents = 0
    for text in texts:
        counts.update(document_keys(text))
        documents += 1
    return counts, documents


def select_profile(
    counts: Counter[str], documents: int, min_docs: int = 3, min_share: float = 0.3
) -> list[str]:
    """The reduce step's end: keys found in at least ``min_docs`` and ``min_share`` of the documents."""
    needed = max(min_docs, min_share * documents)
    return sorted(key for key, count in counts.items() if count >= needed)


def detect_site(blocks: Sequence[Block], config: Config) -> list[Decision]:
    if not config.profile_keys:
        return []
    return [
        Decision(block, RULE_SITE, 100.0) for block in blocks if strip_edges(block.key) in config.profile_keys
    ]


__all__ = [
    "PROFILE_HEADER",
    "RULE_SITE",
    "count_documents",
    "detect_site",
    "document_keys",
    "format_profile",
    "parse_profile",
    "read_profile",
    "select_profile",
]
