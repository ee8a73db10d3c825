"""Page furniture: the boilerplate detector.

Three kinds of evidence, in this order:

1. Wording. Phrases live in ``cleaner/data/<language>/<category>.txt``. A
   block is boilerplate when its *whole* normalised text matches a phrase
   (RapidFuzz ratio at or above ``phrase_threshold``), never because a phrase
   occurs inside it: "Leave a reply:" hits, a paragraph about leaving a reply
   does not. Anchored patterns (``patterns.py``) add what lists cannot spell
   out: copyright lines, comment counts, "Related: <headline>".
2. Zones. After a comment section or the site's copyright line, once the
   article has been read, the rest of the page goes (``footer-zone``); under a
   "Related posts" heading, the list up to the next paragraph
   (``related-zone``); under "About the author", the bio (``author-zone``).
   ``comment-debris`` lines ("*", "Name *", "Website") go only right after a
   comment-form marker, because on their own they may be real text.
3. Shape and neighbours (``lines.py``): every other block is classed by
   length, punctuation and stop words of the page's language, then settled by
   its neighbours; islands of text far from the article go.

Every removal names its rule; ``Config.disabled_rules`` switches rules off
and ``Config.keep_phrases`` always wins.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from itertools import chain

from rapidfuzz import fuzz, process

from cleaner.blocks import Block
from cleaner.config import Config
from cleaner.detectors import Decision
from cleaner.detectors.lines import (
    Kind,
    classify,
    measure,
    promote_prose,
    prose_follows,
    prose_precedes,
    prune_islands,
    revise,
)
from cleaner.detectors.patterns import match_pattern
from cleaner.errors import ConfigError
from cleaner.lang import (
    detect_language_of_words,
    language_of_hits,
    sample_positions,
    shipped_languages,
    stopword_hits,
    stopwords,
    words_of,
)
from cleaner.normalize import make_key, strip_edges

DEBRIS = "comment-debris"
# Markers after which, once the article has been read, the rest of the page
# is furniture (comment sections, the site's copyright line).
ZONE_OPENERS = frozenset({"comment-form", "comment-count", "copyright"})
WEAK_ZONE_OPENERS = frozenset({"comments"})
ZONE_MIN_ARTICLE_CHARS = 400
# Categories whose blocks go without weighing on their neighbours' fate.
TRANSPARENT = frozenset({"ads", "related-link"})
RULE_FOOTER = "boilerplate:footer-zone"
RULE_RELATED_ZONE = "boilerplate:related-zone"
RULE_AUTHOR_ZONE = "boilerplate:author-zone"
# The file of a language folder that is not a phrase list.
NOT_PHRASES = frozenset({"stopwords"})
# Phrases this short must match exactly: one changed letter is another word.
EXACT_ONLY_CHARS = 10


def phrase_key(text: str) -> str:
    return strip_edges(make_key(text))


@dataclass(frozen=True)
class PhraseBook:
    """Phrase keys of one kind, with the category each came from."""

    categories: dict[str, str]  # key -> category

    @cached_property
    def longest(self) -> int:
        return max(map(len, self.categories), default=0)

    @cached_property
    def _by_length(self) -> tuple[list[int], list[str]]:
        keys = sorted((k for k in self.categories if len(k) > EXACT_ONLY_CHARS), key=lambda k: (len(k), k))
        return [len(k) for k in keys], keys

    def match(self, key: str, threshold: float) -> tuple[str, float] | None:
        if not key or len(key) > self.longest * 1.25:
            return None
        if key in self.categories:
            return self.categories[key], 100.0
        if len(key) <= EXACT_ONLY_CHARS:
            return None
        # ratio = 2*M/(len_a+len_b) reaches the threshold only for phrases of
        # a similar length; bisect to those instead of scoring every phrase.
        share = threshold / 100
        lengths, keys = self._by_length
        low = bisect_left(lengths, math.floor(len(key) * share / (2 - share)))
        high = bisect_right(lengths, math.ceil(len(key) * (2 - share) / share))
        found = process.extractOne(key, keys[low:high], scorer=fuzz.ratio, score_cutoff=threshold)
        if found is None:
            return None
        return self.categories[found[0]], float(found[1])


def _read_phrases(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def packaged_phrases(language: str) -> tuple[tuple[str, str], ...]:
    """(category, phrase) pairs shipped for ``language``; read once, never mutated."""
    folder = resources.files("cleaner") / "data" / language
    if not folder.is_dir():
        raise ConfigError(f"no phrase lists for language '{language}'")
    pairs: list[tuple[str, str]] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        category = entry.name.removesuffix(".txt")
        if entry.name.endswith(".txt") and category not in NOT_PHRASES:
            pairs.extend((category, p) for p in _read_phrases(entry.read_text("utf-8")))
    return tuple(pairs)


def build_books(config: Config) -> tuple[PhraseBook, PhraseBook]:
    """(markers, debris) for the configured languages and extra phrases."""
    return _books(config.languages, config.extra_phrases)


@cache
def _books(languages: tuple[str, ...], extra: tuple[str, ...]) -> tuple[PhraseBook, PhraseBook]:
    markers: dict[str, str] = {}
    debris: dict[str, str] = {}
    if "all" in languages:
        languages = tuple(dict.fromkeys((*shipped_languages(), *languages)))
    languages = tuple(lang for lang in languages if lang != "all")
    for language in languages:
        for category, phrase in packaged_phrases(language):
            target = debris if category == DEBRIS else markers
            target.setdefault(phrase_key(phrase), category)
    for phrase in extra:
        markers.setdefault(phrase_key(phrase), "custom")
    return PhraseBook(markers), PhraseBook(debris)


def _is_symbols(key: str) -> bool:
    return bool(key) and not any(ch.isalnum() for ch in key)


def _phrase_category(
    key: str, full_key: str, markers: PhraseBook, config: Config
) -> tuple[str, float] | None:
    hit = markers.match(key, config.phrase_threshold)
    if hit:
        return hit
    # Patterns see the key with its edge punctuation too: "(c) 2019", "Comments (3)".
    category = match_pattern(full_key) or (match_pattern(key) if key != full_key else None)
    return (category, 100.0) if category else None


def _footer_zone_start(
    blocks: Sequence[Block], kinds: Sequence[Kind], categories: Sequence[str | None]
) -> int | None:
    """Index of the marker (comment section, copyright line) after which all is page furniture.

    A marker counts only once the article has been read: enough GOOD text
    before it. "3 comments" or "(c) 2019 Reuters" in a byline opens nothing.
    """
    sizes = [len(b.key) if k is Kind.GOOD else 0 for b, k in zip(blocks, kinds, strict=True)]
    total = sum(sizes)
    before = 0
    for i, category in enumerate(categories):
        if before >= ZONE_MIN_ARTICLE_CHARS:
            if category in ZONE_OPENERS:
                return i
            # A bare "Comments" may be a share-bar button: it ends the
            # article only when most of the page's prose is behind it.
            if category in WEAK_ZONE_OPENERS and before >= total - before:
                return i
        before += sizes[i]
    return None


def _author_zone(
    own_kinds: Sequence[Kind], kinds: Sequence[Kind], categories: Sequence[str | None], sizes: Sequence[int]
) -> list[int]:
    """The box under an "About the author" heading after the article, up to its first paragraph.

    ("About <Company>" is not such a heading: in a press release it is part of the release.)
    """
    zone: list[int] = []
    inside = False
    read = 0
    for i, (kind, category) in enumerate(zip(own_kinds, categories, strict=True)):
        if category == "author" and read >= ZONE_MIN_ARTICLE_CHARS:
            inside = True
        elif inside and (category is not None or kind is Kind.BAD):
            inside = False
        elif inside:
            zone.append(i)
            inside = kind not in (Kind.GOOD, Kind.NEAR)
        if kinds[i] is Kind.GOOD and not inside:
            read += sizes[i]
    return zone


def _related_zone(
    own_kinds: Sequence[Kind], kinds: Sequence[Kind], categories: Sequence[str | None], sizes: Sequence[int]
) -> list[int]:
    """Blocks listed under a "Related posts" heading: all up to the next paragraph.

    Headlines and their one-line summaries follow such a heading; a real
    article paragraph (GOOD on its own, or a sentence-like block followed by
    another) ends the list. Only once the article has begun: "Latest news"
    above it heads the site's menus.
    """
    zone: list[int] = []
    inside = False
    read = 0
    for i, (kind, category) in enumerate(zip(own_kinds, categories, strict=True)):
        if category == "related" and read >= ZONE_MIN_ARTICLE_CHARS:
            inside = True
        elif kind is Kind.GOOD or (kind is Kind.NEAR and prose_follows(own_kinds, i)):
            inside = False
        elif inside and category is None:
            zone.append(i)
        if kinds[i] is Kind.GOOD and not inside:
            read += sizes[i]
    return zone


@dataclass
class _Page:
    """What the detector knows about each block of one document, step by step (one call only)."""

    blocks: Sequence[Block]
    categories: list[str | None]  # phrase or pattern category
    own_kinds: list[Kind]  # context-free classes
    kinds: list[Kind]  # classes as revised so far
    rules: list[tuple[str, float] | None]  # (rule, score) of each removal
    sizes: list[int]  # length of each block's key

    def remove(self, i: int, rule: str, score: float = 100.0) -> None:
        if self.rules[i] is None:
            self.rules[i] = (rule, score)
            self.kinds[i] = Kind.BAD


# A sentence this long in another language than the page's is judged by its
# own stop words (a quotation, a bilingual page), not found "thin" in the page's.
OWN_LANGUAGE_MIN_WORDS = 8


def _classify(block: Block, words: list[str] | None, language: str | None, stops: frozenset[str]) -> Kind:
    """The context-free class of a block; ``words``: its ``words_of``, if already cut."""
    text = block.text
    features = measure(text, stops, words, block.key)
    kind = classify(features)
    if kind is Kind.SHORT and features.words >= OWN_LANGUAGE_MIN_WORDS:
        words = words_of(text) if words is None else words
        own = detect_language_of_words([words])
        if own is not None and own != language:
            kind = classify(measure(text, stopwords(own), words))
    return kind


# Keys of what a block's memo (see ``Block.memo``) holds for this detector.
_PHRASE_HIT = "boilerplate:phrase-hit"
_KIND = "boilerplate:kind"
_WORD_COUNT = "boilerplate:word-count"  # len(words_of(block.text))
_SAMPLE = "boilerplate:language-sample"  # (texts, stop-word hits) of the last language sample


def _block_kind(
    block: Block, language: str | None, stops: frozenset[str], words: list[str] | None = None
) -> Kind:
    """``_classify`` of a block; ``stops`` are those of ``language`` (or none), ``words`` its words if cut."""
    slot = (_KIND, language)
    kind: Kind | None = block.memo.get(slot)
    if kind is None:
        kind = block.memo[slot] = _classify(block, words, language, stops)
    return kind


def _page_language(blocks: Sequence[Block], cut: dict[int, list[str]]) -> str | None:
    """``detect_language_of_words`` of the blocks' words, cutting words only where its sample needs them.

    Word counts are remembered on the blocks, so only sentence-like blocks
    are cut, and only until the sample is full; the words cut are left in
    ``cut`` (by position) for the caller. Every block of the sample remembers
    the sample's texts and stop-word hits: when the detector runs again on
    what is left, the hits of a sample that only lost blocks are those minus
    the lost blocks' hits.
    """

    def count(i: int) -> int:
        block = blocks[i]
        words: int | None = block.memo.get(_WORD_COUNT)
        if words is None:
            cut[i] = words_of(block.text)
            words = block.memo[_WORD_COUNT] = len(cut[i])
        return words

    sample, total = sample_positions(count, len(blocks))
    if not total:
        return None
    texts = tuple(blocks[i].text for i in sample)
    hits = _hits_left(blocks[sample[0]].memo.get(_SAMPLE), texts)
    if hits is None:
        hits = tuple(
            stopword_hits(chain.from_iterable(cut.get(i) or words_of(blocks[i].text) for i in sample))
        )
    known = (texts, hits)
    for i in sample:
        blocks[i].memo[_SAMPLE] = known
    return language_of_hits(hits, total)


def _hits_left(
    known: tuple[tuple[str, ...], tuple[int, ...]] | None, texts: tuple[str, ...]
) -> tuple[int, ...] | None:
    """The stop-word hits of a sample of ``texts``, from those of a ``known`` sample they are a part of."""
    if known is None:
        return None
    known_texts, hits = known
    if known_texts == texts:
        return hits
    lost = Counter(known_texts)
    lost.subtract(texts)
    if min(lost.values()) < 0:
        return None  # not a part of the known sample
    left = list(hits)
    for text, times in lost.items():
        if times:
            for n, lost_hits in enumerate(stopword_hits(words_of(text))):
                left[n] -= times * lost_hits
    return tuple(left)


def _read_page(blocks: Sequence[Block], config: Config, keep: set[str]) -> _Page:
    """Phrase and pattern hits, and the context-free class of every block."""
    markers, _ = build_books(config)
    disabled = set(config.disabled_rules)
    cut: dict[int, list[str]] = {}  # words of the blocks cut for the language, by position
    language = _page_language(blocks, cut)
    stops = stopwords(language) if language else frozenset()
    categories: list[str | None] = []
    rules: list[tuple[str, float] | None] = []
    kinds: list[Kind] = []
    seen: dict[str, tuple[str, float] | None] = {}  # pages repeat their menus
    for i, block in enumerate(blocks):
        # A phrase hit depends on the block and the config only (keep and disabled come from it).
        memo = block.memo
        known = memo.get(_PHRASE_HIT)
        if known is not None and known[0] is config:
            hit = known[1]
        else:
            if block.key not in seen:
                key = strip_edges(block.key)  # block.key is already make_key()'d
                hit = None if key in keep else _phrase_category(key, block.key, markers, config)
                seen[block.key] = None if hit and hit[0] in disabled else hit
            hit = seen[block.key]
            memo[_PHRASE_HIT] = (config, hit)
        categories.append(hit[0] if hit else None)
        rules.append((f"boilerplate:{hit[0]}", hit[1]) if hit else None)
        kinds.append(Kind.BAD if hit else _block_kind(block, language, stops, cut.pop(i, None)))
    # A copyright line above any article text heads a licence or a document
    # of its own ("Copyright (c) 2024 …" in LICENSE.txt); web pages put theirs
    # at the foot. There it is text like any other.
    sizes = [len(b.key) for b in blocks]
    promoted = promote_prose(kinds, sizes)
    first_good = next((i for i, k in enumerate(promoted) if k is Kind.GOOD), len(kinds))
    heading = [i for i in range(first_good) if categories[i] == "copyright"]
    for i in heading:
        categories[i], rules[i] = None, None
        kinds[i] = _block_kind(blocks[i], language, stops, cut.pop(i, None))
    if heading:
        promoted = promote_prose(kinds, sizes)
    return _Page(blocks, categories, kinds, promoted, rules, sizes)


def _mark_form_debris(page: _Page, config: Config) -> None:
    """The short remains of a comment form ("Name *", "Website", "*") right after its markers."""
    _, debris = build_books(config)
    in_form = False
    for i, category in enumerate(page.categories):
        if category:
            in_form = in_form or category == "comment-form"
            continue
        if in_form:
            small = debris.match(strip_edges(page.blocks[i].key), config.phrase_threshold)
            if small or _is_symbols(page.blocks[i].key):
                page.remove(i, RULE_FOOTER, small[1] if small else 100.0)
                continue
            in_form = False


def _settle_by_context(page: _Page, disabled: set[str]) -> None:
    """The context pass and island pruning of ``lines.py`` over the blocks not yet removed."""
    # Ad labels stand inside the article ("Advertisement" between two
    # paragraphs): they go, but they are no evidence about their neighbours.
    seen = [i for i, category in enumerate(page.categories) if category not in TRANSPARENT]
    kinds = [page.kinds[i] for i in seen]
    sizes = [page.sizes[i] for i in seen]
    own = [page.own_kinds[i] for i in seen]
    # Islands are weighed by text that stands in prose, not by teaser
    # summaries that were promoted only because they follow one another.
    weighs = [
        k is Kind.GOOD and (o is Kind.GOOD or prose_follows(own, n) or prose_precedes(own, n))
        for n, (k, o) in enumerate(zip(kinds, own, strict=True))
    ]
    reasons = prune_islands(kinds, revise(kinds), sizes, weighs)
    if not any(k is Kind.GOOD and r is None for k, r in zip(kinds, reasons, strict=True)):
        # No article paragraph would survive: rather than empty the page, take
        # its sentence-like blocks for the article (conservative by default).
        kinds = [Kind.GOOD if k is Kind.NEAR else k for k in kinds]
        reasons = prune_islands(kinds, revise(kinds), sizes)
    for i, reason in zip(seen, reasons, strict=True):
        if reason is not None and reason not in disabled:
            page.remove(i, f"boilerplate:{reason}")


def detect_boilerplate(blocks: Sequence[Block], config: Config) -> list[Decision]:
    keep = {phrase_key(p) for p in config.keep_phrases}
    disabled = set(config.disabled_rules)
    page = _read_page(blocks, config, keep)

    if "footer-zone" not in disabled:
        _mark_form_debris(page, config)
        zone = _footer_zone_start(blocks, page.kinds, page.categories)
        if zone is not None:
            for i in range(zone + 1, len(blocks)):
                page.remove(i, RULE_FOOTER)
    if "author-zone" not in disabled:
        for i in _author_zone(page.own_kinds, page.kinds, page.categories, page.sizes):
            page.remove(i, RULE_AUTHOR_ZONE)
    if "related-zone" not in disabled:
        for i in _related_zone(page.own_kinds, page.kinds, page.categories, page.sizes):
            page.remove(i, RULE_RELATED_ZONE)

    _settle_by_context(page, disabled)

    return [
        Decision(block, rule[0], round(rule[1], 1))
        for block, rule in zip(blocks, page.rules, strict=True)
        if rule is not None and (not keep or strip_edges(block.key) not in keep)
    ]
