"""Language of a document, told by its stop words; the stop-word lists themselves.

Stop-word lists live in ``cleaner/data/<language>/stopwords.txt`` (from the
jusText stoplists, BSD 2-Clause). A language is recognised when its stop words
make up a fair share of the document's words; scripts with no word spacing,
or languages with no list, come back as ``None`` and the line classifier then
goes by length and punctuation alone.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from importlib import resources
from itertools import chain
from types import MappingProxyType

STOPWORDS_FILE = "stopwords.txt"
WORD = re.compile(r"\w+(?:['’]\w+)?")
# Below this share of stop words no language is claimed: a menu or a table
# of figures says nothing about the language.
MIN_STOPWORD_SHARE = 0.12
# Enough words to tell; the rest of a long page adds only time.
SAMPLE_WORDS = 5000
# Lines with at least this many words are read as sentences.
SENTENCE_WORDS = 8


# With every ASCII character that is neither a word character nor an apostrophe
# turned into a space, the words of an ASCII text are what split() leaves
# (pieces with an apostrophe aside): found about twice as fast as by WORD.
_ASCII_SPACES = bytes(b if b < 128 and (chr(b).isalnum() or chr(b) in "_'") else 32 for b in range(256))


def words_of(text: str) -> list[str]:
    if text.isascii():
        # Lowering ASCII keeps every character a word character or not, in place,
        # and casefold() of ASCII is lower().
        words = text.encode("ascii").lower().translate(_ASCII_SPACES).decode("ascii").split()
        if "'" in text:
            words = [word for piece in words for word in (WORD.findall(piece) if "'" in piece else [piece])]
        return words
    return list(map(str.casefold, WORD.findall(text)))


@cache
def shipped_languages() -> tuple[str, ...]:
    """Languages that ship a stop-word list, sorted."""
    data = resources.files("cleaner") / "data"
    return tuple(
        sorted(
            entry.name for entry in data.iterdir() if entry.is_dir() and (entry / STOPWORDS_FILE).is_file()
        )
    )


@cache
def stopwords(language: str) -> frozenset[str]:
    path = resources.files("cleaner") / "data" / language / STOPWORDS_FILE
    if not path.is_file():
        return frozenset()
    text = path.read_text("utf-8")
    lines = text.splitlines()
    if "#" in text:
        lines = [line for line in lines if not line.startswith("#")]
    return frozenset(map(str.casefold, filter(None, map(str.strip, lines))))


@cache
def _stopword_index(languages: tuple[str, ...]) -> Mapping[str, tuple[int, ...]]:
    """For every stop word of ``languages``, the positions of the languages that list it (read-only)."""
    index: dict[str, tuple[int, ...]] = {}
    for n, language in enumerate(languages):
        words = stopwords(language)
        shared = index.keys() & words
        index.update(dict.fromkeys(words - shared, (n,)))  # built in bulk: this is start-up time
        for word in shared:
            index[word] += (n,)
    return MappingProxyType(index)


@cache
def _any_stopword(languages: tuple[str, ...]) -> frozenset[str]:
    return frozenset(_stopword_index(languages))


def detect_language_of_words(
    all_words: list[list[str]], languages: Iterable[str] | None = None
) -> str | None:
    """The language whose stop words cover the largest share of the words (texts cut by ``words_of``)."""
    positions, _ = sample_positions(lambda i: len(all_words[i]), len(all_words))
    return language_of_sample(list(chain.from_iterable(all_words[i] for i in positions)), languages)


def sample_positions(count: Callable[[int], int], size: int) -> tuple[list[int], int]:
    """Which of ``size`` texts (by position) make a document's language sample, and its word count.

    Sentences tell the language; menus (often English on any site) do not. The
    sample is the texts of at least SENTENCE_WORDS words, in order, until it
    holds SAMPLE_WORDS words; all texts, in order, if none is a sentence.
    ``count(i)``, the number of words of text ``i``, is asked only as far as
    the sample needs.
    """
    positions: list[int] = []
    total = 0
    for i in range(size):
        words = count(i)
        if words >= SENTENCE_WORDS:
            positions.append(i)
            total += words
            if total >= SAMPLE_WORDS:
                return positions, total
    if positions:
        return positions, total
    for i in range(size):
        positions.append(i)
        total += count(i)
        if total >= SAMPLE_WORDS:
            break
    return positions, total


def language_of_sample(sample: list[str], languages: Iterable[str] | None = None) -> str | None:
    """The language of ``sample``, the words ``detect_language_of_words`` reads of a document."""
    candidates = tuple(languages) if languages is not None else shipped_languages()
    return language_of_hits(stopword_hits(sample, candidates), len(sample), candidates)


def stopword_hits(words: Iterable[str], languages: tuple[str, ...] | None = None) -> list[int]:
    """For each of ``languages`` (default: all shipped), how many of ``words`` are its stop words."""
    candidates = shipped_languages() if languages is None else languages
    index = _stopword_index(candidates)
    hits = [0] * len(candidates)
    # Most words are no stop word of any language: they are not even counted.
    for word, count in Counter(filter(_any_stopword(candidates).__contains__, words)).items():
        for n in index[word]:
            hits[n] += count
    return hits


def language_of_hits(hits: Sequence[int], words: int, languages: tuple[str, ...] | None = None) -> str | None:
    """The language of a sample of ``words`` words and its ``stopword_hits``, if they tell one."""
    if not words:
        return None
    candidates = shipped_languages() if languages is None else languages
    best, best_hits = None, 0
    for language, language_hits in zip(candidates, hits, strict=True):
        if language_hits > best_hits:
            best, best_hits = language, language_hits
    if best is None or best_hits < MIN_STOPWORD_SHARE * words:
        return None
    return best
