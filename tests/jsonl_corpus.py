"""A generated JSONL corpus of scraped-article-like records, for tests and the JSONL benchmark.

Each record has extra fields (id, url, nested meta, a float written with an
exponent) and a text with what scrapers leave: a paragraph repeated or split
and truncated, a comment-form footer, a site-wide navigation line shared by
many records, and non-ASCII text. Deterministic for a given seed.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from typing import Any

_WORD_LIST = (
    "council budget library river station harvest market school bridge museum festival "
    "engineers residents volunteers weather report season project district museum trains "
    "approved delayed announced repaired opened measured planted reviewed funded restored "
    "north south eastern western quiet busy early late local regional annual weekly "
)
WORDS = _WORD_LIST.split()
NAMES = ["Ólafur", "Zoë", "Ngozi", "Søren", "Chen Wei", "Renée", "Tomás", "Mariam"]
SITE_LINES = [
    "Home | News | Sport | Culture | Contact",
    "Share this article: Facebook · X · Email",
    "© 2024 The Riverside Chronicle — all rights reserved",
]
FOOTER = ["Leave a Reply", "Your email address will not be published.", "*", "Post Comment"]


def _sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(9, 18))
    name = rng.choice(NAMES)
    number = rng.randint(2, 2030)
    return f"{name} said the {' '.join(words)} in {number}."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(2, 5)))


def make_text(rng: random.Random, paragraphs: int = 6) -> str:
    body = [_paragraph(rng) for _ in range(paragraphs)]
    parts = []
    if rng.random() < 0.7:
        parts.append(rng.choice(SITE_LINES[:1]))
    parts.extend(body)
    kind = rng.random()
    if kind < 0.3:
        parts.append(rng.choice(body))  # a verbatim repeat
    elif kind < 0.5:
        victim = rng.choice(body)
        parts.append(victim[: len(victim) * 2 // 3])  # a truncated repeat
    if rng.random() < 0.5:
        parts.append(SITE_LINES[1])
    if rng.random() < 0.4:
        parts.extend(FOOTER)
    if rng.random() < 0.6:
        parts.append(SITE_LINES[2])
    return "\n\n".join(parts) + "\n"


def make_record(rng: random.Random, number: int, paragraphs: int = 6) -> dict[str, Any]:
    return {
        "id": number,
        "url": f"https://example.org/{number}/ä-ß",
        "text": make_text(rng, paragraphs),
        "meta": {"lang": "en", "score": rng.random(), "tags": ["news", "ünïcode"]},
    }


def records(count: int, seed: int = 8, paragraphs: int = 6) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    for number in range(count):
        yield make_record(rng, number, paragraphs)


def jsonl_lines(count: int, seed: int = 8, paragraphs: int = 6) -> Iterator[str]:
    """One JSON line per record, non-ASCII kept, plus an exponent float written by hand."""
    for record in records(count, seed, paragraphs):
        line = json.dumps(record, ensure_ascii=False)
        yield line[:-1] + ', "weight": 1.5e3}\n'
