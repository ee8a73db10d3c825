"""Site boilerplate: blocks that recur across many documents of one site or corpus.

Learning is a map-reduce so it can run anywhere the data is:
``document_keys`` maps one document to the set of its candidate keys,
the counts are summed (a ``Counter`` per worker, added together), and
``select_profile`` keeps the keys that recur in enough documents.
A profile is a plain text file, one normalised key per line, sorted, so a
team can commit it and review its diffs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from cleaner.blocks import Block, split_blocks
from cleaner.config import Config
from cleaner.detectors import Decision
from cleaner.errors import ConfigError
from cleaner.normalize import make_key, strip_edges

RULE_SITE = "boilerplate:site"
PROFILE_HEADER = "# cleaner site profile: one normalised block per line; lines starting with # are comments\n"
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


def _escape(key: str) -> str:
    # A key that starts like a comment (or like an escape) gets a backslash in front.
    return "\\" + key if key.startswith(("#", "\\")) else key


def format_profile(keys: Sequence[str], note: str = "") -> str:
    """The profile file's text: the header, an optional ``note`` comment, then the keys sorted."""
    comment = "".join(f"# {line}\n" for line in note.splitlines())
    return PROFILE_HEADER + comment + "".join(f"{_escape(key)}\n" for key in sorted(keys))


def parse_profile(text: str) -> frozenset[str]:
    """The keys of a profile's text: comments and blank lines skipped, escapes undone.

    Each line is normalised again, so a line added by hand ("Share this:") works as written.
    """
    lines = (line for line in text.splitlines() if line.strip() and not line.startswith("#"))
    keys = (strip_edges(make_key(line[1:] if line.startswith("\\") else line)) for line in lines)
    return frozenset(key for key in keys if key)


def read_profile(path: Path) -> frozenset[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read profile: {exc}") from exc
    return parse_profile(text)


def detect_site(blocks: Sequence[Block], config: Config) -> list[Decision]:
    if not config.profile_keys:
        return []
    return [
        Decision(block, RULE_SITE, 100.0) for block in blocks if strip_edges(block.key) in config.profile_keys
    ]
