"""The main content of a parsed page: DOM cleaning, paragraphs, and the choice of the article region.

1. **Clean the tree.** Elements that are never text (script, style, form
   controls, media) go; so do hidden elements and page furniture named by its
   tag (nav, aside, header, footer, form, figure), ARIA role or class/id tokens
   (navigation, sidebars, comments, sharing, newsletters, cookie banners,
   related links, ads, captions, pop-ups) - unless the element holds the
   article itself: it contains ``<main>``/``role=main``/``itemprop=articleBody``,
   or is named like content and holds most of the page's prose (measured first).
2. **Cut the text into paragraphs** at block-level elements and ``<br><br>``,
   measuring each one's length, link density and sentence punctuation (as
   jusText does).
3. **Score containers.** A paragraph of prose (long or a sentence, few links)
   counts for every element that contains it; link-dense paragraphs count
   against. The region with the most prose net of debris wins, like
   readability's candidate scoring but over whole subtrees, so an article whose
   paragraphs are split across sibling ``<div>``s is taken whole. List items
   and story-teaser cards (one paragraph per repeated card with a title) do
   not draw the region.
4. **Trim the region**: link-dense paragraphs, the page-title ``<h1>``, the
   short lines before the first paragraph of prose (bylines, dates) and the
   non-sentences after the last one.

Every walk over the tree is iterative (``etree.iterwalk``, ``iter``) and
linear in its size: subtree sums are one pass in reverse document order, never
a walk up the ancestors of every paragraph, so neither depth nor size can make
it recurse or go quadratic.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lxml import etree

from cleaner.htmlpatterns import (
    AD_WORDS,
    BLOCK_TAGS,
    CONTENT_WORDS,
    EMBED_WORDS,
    FURNITURE_PAIRS,
    FURNITURE_ROLES,
    FURNITURE_TAGS,
    FURNITURE_WORDS,
    HEADING_TAGS,
    JUNK_TAGS,
    LAYOUT_WORDS,
    WORD_GROUPS,
    attribute_words,
    is_hidden_style,
)

# A paragraph of prose: at least this long with few links ...
PROSE_MIN_CHARS = 80
# ... or this long and ending like a sentence.
SENTENCE_MIN_CHARS = 40
MAX_PROSE_LINK_DENSITY = 0.3
# Paragraphs with a larger share of link text are navigation or link lists.
MAX_LINK_DENSITY = 0.5
# An element holding this share of the page's prose is the article's, whatever its class says.
# (a wrapper named like the article: "content-with-sidebar"; any wrapper: GUARD_ANY_SHARE).
GUARD_PROSE_SHARE = 0.4
GUARD_ANY_SHARE = 0.75
# How much one character of debris costs a region against one character of prose.
DEBRIS_WEIGHT = 1.0
# List items and definitions are prose inside an article, but a list of story
# teasers beside it is prose too: they do not draw the region to them.
PROSE_WEIGHT = {"li": 0.0, "dd": 0.0, "dt": 0.0}
# How far above a paragraph a repeated card is looked for, and how much more
# text than the paragraph (title, date, links) makes it a teaser card.
TEASER_LEVELS = 4
TEASER_EXTRA_TEXT = 1.15
# Table cells with only inline content are joined into one line per row.
CELL_TAGS = frozenset({"td", "th"})
CELL_BLOCKS = tuple(sorted(BLOCK_TAGS - {"td", "th"}))
CELL_SEPARATOR = " | "
# A <figure> holding one of these is text set as a figure, not a picture.
FIGURE_CONTENT_TAGS = ("table", "pre", "blockquote", "ul", "ol", "code")
# A region named like an article (class/id/tag) gets this bonus on its prose.
CONTENT_BONUS = 0.1
# Fewer words kept than this, and the page's text (less link lists) is returned instead.
FALLBACK_MIN_WORDS = 10
# How many paragraphs either side the window features look at.
WINDOW = 3

_SENTENCE_END = re.compile(r"""[.!?:;"'\u201d\u2019\u2026)\]\u3002\uff01\uff1f\u061f\u0964]\s*$""")
_SPACE = re.compile(r"\s+")
_DIGIT = re.compile(r"\d")
# A sentence's own end (not a colon that announces a list).
_FULL_STOP = re.compile(r"""[.!?"'\u201d\u2019\u2026)\u3002\uff01\uff1f\u061f\u0964]\s*$""")
# Stands for <br> while a paragraph is assembled (lxml text never holds a NUL).
_BR = "\x00"


@dataclass
class Paragraph:
    """One paragraph of the page's text, and where it was found."""

    text: str
    owner: Any  # the innermost block-level element around the text
    tag: str
    link_chars: int
    depth: int
    context: int = 0  # CONTEXT_FLAGS of the owner and its ancestors (set by ``candidates``)

    @property
    def link_density(self) -> float:
        return self.link_chars / len(self.text) if self.text else 0.0

    @property
    def is_prose(self) -> bool:
        length = len(self.text)
        if self.link_density > MAX_PROSE_LINK_DENSITY:
            return False
        return length >= PROSE_MIN_CHARS or (
            length >= SENTENCE_MIN_CHARS and bool(_SENTENCE_END.search(self.text))
        )

    @property
    def is_sentence(self) -> bool:
        """Ends like a sentence ("Thanks, Junior!"), whatever its length."""
        return self.link_density <= MAX_PROSE_LINK_DENSITY and bool(_FULL_STOP.search(self.text))

    @property
    def is_debris(self) -> bool:
        return self.link_density > MAX_LINK_DENSITY

    def hints(self) -> Mapping[str, object]:
        return {
            "tag": self.tag,
            "link_density": round(self.link_density, 3),
            "words": tuple(_words(self.owner)),
            "depth": self.depth,
        }


def _tag(element: Any) -> str:
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else ""


def _words(element: Any) -> list[str]:
    words: list[str] = []
    for attribute in ("class", "id"):
        value = element.get(attribute)
        if value:
            words.extend(attribute_words(value))
    return words


def _is_main(element: Any) -> bool:
    if _tag(element) == "main" or element.get("role") == "main":
        return True
    prop = element.get("itemprop")
    return bool(prop and "articlebody" in prop.lower())


def _mains(root: Any, order: list[tuple[Any, Any]]) -> dict[Any, float]:
    """For every element, how many main-content markers its subtree holds (one linear pass)."""
    marks: dict[Any, float] = {e: 1.0 for e in root.iter() if _is_main(e)}
    _subtree_sums(order, [marks])
    return marks


def _text_length(element: Any) -> int:
    return sum(len(t) - t.count(" ") for t in element.itertext())


def _furniture_kind(element: Any, tag: str, words: list[str]) -> str | None:
    """ "strong" for furniture by name, "layout" for what may also wrap the article, else None."""
    layout_word = False
    if words:
        present = set(words)
        if not present.isdisjoint(EMBED_WORDS) and present.isdisjoint(AD_WORDS):
            return None
        if not present.isdisjoint(FURNITURE_WORDS) or any(
            pair in FURNITURE_PAIRS for pair in zip(words, words[1:], strict=False)
        ):
            return "strong"
        layout_word = not present.isdisjoint(LAYOUT_WORDS)
    if tag in FURNITURE_TAGS:
        if tag == "figure" and next(element.iter(*FIGURE_CONTENT_TAGS), None) is not None:
            return None  # a table, listing or quote set as a figure (WordPress does): text
        return "layout"
    role = element.get("role")
    if role and role.strip().lower() in FURNITURE_ROLES:
        return "layout"
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return "layout"
    style = element.get("style")
    if style and is_hidden_style(style):
        return "layout"
    return "layout" if layout_word else None


def _remove(element: Any) -> None:
    """Take ``element`` out of the tree, keeping the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    if tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


_BLOCK_NAMES = tuple(sorted(BLOCK_TAGS))


def strip_page(root: Any) -> dict[Any, tuple[list[str], str | None]]:
    """Remove what is never text, and inline furniture; the class/id words of every element left.

    Never text: scripts, styles, controls, media, comments. Inline furniture
    (a tooltip, a screen-reader label, a hidden span inside a sentence) goes
    too, since its text would sit inside a paragraph's own; furniture that
    holds blocks is only marked later (``mark_furniture``), for the model to weigh.
    """
    junk: list[Any] = []
    inline: list[Any] = []
    words: dict[Any, tuple[list[str], str | None]] = {}
    for element in root.iter():
        tag = _tag(element)
        if not tag or tag in JUNK_TAGS:
            junk.append(element)
            continue
        own = _words(element)
        kind = None if tag in ("html", "body", "main") else _furniture_kind(element, tag, own)
        words[element] = (own, kind)
        if kind is None or tag in BLOCK_TAGS or _is_main(element):
            continue
        if next(element.iterdescendants(*_BLOCK_NAMES), None) is None:
            inline.append(element)
    for element in junk + inline:
        _remove(element)
    return words


# Context flags of an element: what it and its ancestors are named or tagged as.
CONTEXT_FLAGS = (
    "strong", "layout", "guarded", "main", "article", *sorted(WORD_GROUPS),
    "in_nav", "in_aside", "in_header", "in_footer", "in_form", "in_figure",
    "in_li", "in_table", "in_blockquote",
)  # fmt: skip
_FLAG = {name: 1 << bit for bit, name in enumerate(CONTEXT_FLAGS)}
_TAG_FLAGS = {
    "nav": "in_nav", "menu": "in_nav", "aside": "in_aside", "header": "in_header",
    "footer": "in_footer", "form": "in_form", "figure": "in_figure", "figcaption": "in_figure",
    "li": "in_li", "dd": "in_li", "dt": "in_li", "table": "in_table", "blockquote": "in_blockquote",
    "article": "article", "main": "main",
}  # fmt: skip


def _own_flags(element: Any, tag: str, words: list[str]) -> int:
    flags = 0
    name = _TAG_FLAGS.get(tag)
    if name:
        flags |= _FLAG[name]
    if words:
        present = set(words)
        for group, members in WORD_GROUPS.items():
            if not present.isdisjoint(members):
                flags |= _FLAG[group]
    if _is_main(element):
        flags |= _FLAG["main"]
    return flags


def mark_furniture(
    root: Any,
    prose: Mapping[Any, float],
    words: Mapping[Any, tuple[list[str], str | None]],
    order: list[tuple[Any, Any]],
) -> dict[Any, int]:
    """The context flags of every element: what it and its ancestors are named or tagged as.

    Hidden elements and page furniture are named by tag, ARIA role or class/id
    tokens (``strong``: furniture by name; ``layout``: what may also wrap the
    article); those that hold much of the page's prose are ``guarded`` instead:
    a wrapper named "content-with-sidebar" or a Blogger "widget Blog" holds the
    article, a sidebar or a comment list holds little of it. Nothing is
    removed here: the block model weighs the flags.
    """
    total = prose.get(root, 0.0)
    mains = _mains(root, order)
    flags: dict[Any, int] = {}
    stack = [0]
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if event == "end":
            stack.pop()
            continue
        tag = _tag(element)
        own_words, kind = words.get(element) or ([], None)
        own = stack[-1] | _own_flags(element, tag, own_words)
        if kind is not None:
            if _is_hidden(element):
                own |= _FLAG["hidden"]
            share = prose.get(element, 0.0) / total if total else 0.0
            guarded = bool(mains.get(element)) or (share >= GUARD_ANY_SHARE and _content_named(element))
            if kind == "layout" and share >= GUARD_PROSE_SHARE:
                guarded = guarded or _content_named(element) or share >= GUARD_ANY_SHARE
            own |= _FLAG["guarded"] if guarded else _FLAG[kind]
        flags[element] = own
        stack.append(own)
    return flags


def _is_hidden(element: Any) -> bool:
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    style = element.get("style")
    return bool(style and is_hidden_style(style))


def _segments(pieces: list[tuple[str, bool]]) -> list[list[tuple[str, bool]]]:
    """Pieces cut at two or more line breaks in a row (``<br><br>`` is a paragraph break)."""
    segments: list[list[tuple[str, bool]]] = [[]]
    after_break = False
    for text, link in pieces:
        if text == _BR:
            if after_break:
                segments.append([])
                continue
            after_break = True
        elif text.strip():
            after_break = False
        segments[-1].append((text, link))
    return segments


def _normalise(raw: str, in_pre: bool) -> str:
    if in_pre:
        lines = [line.rstrip() for line in raw.replace(_BR, "\n").split("\n")]
    else:
        lines = [_SPACE.sub(" ", line).strip() for line in raw.split(_BR)]
    return "\n".join(line for line in lines if line.strip())


def _is_cell(element: Any) -> bool:
    """A table cell holding only inline content (a layout cell holds paragraphs, lists, tables)."""
    return next(element.iterdescendants(*CELL_BLOCKS), None) is None


def split_paragraphs(root: Any) -> list[Paragraph]:
    """The text of the tree cut at block-level elements and double line breaks, in document order."""
    paragraphs: list[Paragraph] = []
    pieces: list[tuple[str, bool]] = []
    in_link = 0
    in_pre = 0
    owners: list[Any] = []

    def add(text: str) -> None:
        pieces.append((text, in_link > 0))

    def flush() -> None:
        if not pieces or not owners:
            pieces.clear()
            return
        owner = owners[-1]
        for segment in _segments(pieces):
            text = _normalise("".join(t for t, _ in segment), in_pre > 0)
            if not text:
                continue
            link_chars = sum(len(t.strip()) for t, link in segment if link)
            paragraphs.append(
                Paragraph(
                    text=text,
                    owner=owner,
                    tag=_tag(owner),
                    link_chars=min(link_chars, len(text)),
                    depth=len(owners),
                )
            )
        pieces.clear()

    cells: set[Any] = set()
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = _tag(element)
        if event == "start":
            if tag in CELL_TAGS and _is_cell(element):
                # A data cell joins its row: one line per row, not one per cell.
                cells.add(element)
                if any(text.strip() for text, _ in pieces):
                    pieces.append((CELL_SEPARATOR, False))
            elif tag in BLOCK_TAGS:
                flush()
                owners.append(element)
            elif tag == "br":
                pieces.append((_BR, False))
            if tag == "a":
                in_link += 1
            elif tag == "pre":
                in_pre += 1
            if element.text:
                add(element.text)
        else:
            if tag in BLOCK_TAGS and element not in cells:
                flush()
                owners.pop()
            if tag == "a":
                in_link -= 1
            elif tag == "pre":
                in_pre -= 1
            if element.tail:
                add(element.tail)
    flush()
    return paragraphs


def _content_named(element: Any) -> bool:
    if _tag(element) in ("article", "main"):
        return True
    prop = element.get("itemprop")
    if prop and "articlebody" in prop.lower():
        return True
    return any(word in CONTENT_WORDS for word in _words(element))


def _signature(element: Any) -> tuple[str, str]:
    return _tag(element), element.get("class") or ""


def _is_teaser(paragraph: Paragraph, counts: Mapping[Any, float]) -> bool:
    """A paragraph alone in one of a row of look-alike cards that also hold a title: a story teaser.

    Feeds of other stories ("more news", grids of cards) repeat one card
    markup, each card a headline plus one paragraph of prose; an article's own
    paragraphs share containers, and a wrapper around one paragraph holds nothing else.
    """
    element = paragraph.owner.getparent()
    own = len(paragraph.text) - paragraph.text.count(" ")
    for _ in range(TEASER_LEVELS):
        if element is None or _tag(element) in ("body", "html"):
            return False
        signature = _signature(element)
        neighbours = (element.getprevious(), element.getnext())
        if any(n is not None and _signature(n) == signature for n in neighbours):
            # (the count first: measuring a big container for every paragraph would be quadratic)
            return counts.get(element, 0) == 1 and _text_length(element) > TEASER_EXTRA_TEXT * own
        element = element.getparent()
    return False


def bottom_up(root: Any) -> list[tuple[Any, Any]]:
    """(element, parent) of every element below the root, children before their parents."""
    return [(e, e.getparent()) for e in reversed(list(root.iter())) if e is not root]


def _subtree_sums(order: list[tuple[Any, Any]], tables: list[dict[Any, float]]) -> None:
    """Turn each table's per-element amounts into sums over the element's subtree, in place.

    One pass over ``bottom_up`` (children before their parents): linear in the
    tree's size, whatever its depth - summing up each paragraph's ancestors
    instead would cost paragraphs x depth.
    """
    for element, parent in order:
        for table in tables:
            amount = table.get(element)
            if amount:
                table[parent] = table.get(parent, 0.0) + amount


def measure(
    paragraphs: list[Paragraph], order: list[tuple[Any, Any]]
) -> tuple[dict[Any, float], dict[Any, float]]:
    """(prose, debris): characters of each under every element."""
    counts: dict[Any, float] = {}
    for paragraph in paragraphs:
        if paragraph.is_prose:
            counts[paragraph.owner] = counts.get(paragraph.owner, 0.0) + 1
    _subtree_sums(order, [counts])
    prose: dict[Any, float] = {}
    debris: dict[Any, float] = {}
    for paragraph in paragraphs:
        length = len(paragraph.text)
        if paragraph.is_prose:
            weight = PROSE_WEIGHT.get(paragraph.tag, 1.0)
            if weight and _is_teaser(paragraph, counts):
                weight = 0.0
            table, amount = prose, length * weight
        elif paragraph.is_debris:
            table, amount = debris, DEBRIS_WEIGHT * length
        else:
            continue
        table[paragraph.owner] = table.get(paragraph.owner, 0.0) + amount
    _subtree_sums(order, [prose, debris])
    return prose, debris


def _net(element: Any, prose: Mapping[Any, float], debris: Mapping[Any, float]) -> float:
    amount = prose.get(element, 0.0)
    if _content_named(element):
        amount *= 1 + CONTENT_BONUS
    return amount - debris.get(element, 0.0)


def choose_region(paragraphs: list[Paragraph], order: list[tuple[Any, Any]]) -> list[Any]:
    """The elements that hold the article: the best container and the siblings that belong to it."""
    prose, debris = measure(paragraphs, order)
    best, best_score = None, 0.0
    for element in prose:
        score = _net(element, prose, debris)
        if score > best_score:
            best, best_score = element, score
    return [best] if best is not None else []


def _page_titles(root: Any) -> set[str]:
    titles = set()
    for element in root.iter("title"):
        if element.text:
            titles.add(_SPACE.sub(" ", element.text).strip().casefold())
    return {t for t in titles if t}


def _is_title(paragraph: Paragraph, titles: set[str]) -> bool:
    if paragraph.tag != "h1":
        return False
    text = paragraph.text.casefold()
    return not titles or any(text in title or title in text for title in titles)


def _is_lead_in(paragraph: Paragraph) -> bool:
    """A short line ending in a colon: it announces what follows."""
    return len(paragraph.text) < SENTENCE_MIN_CHARS and paragraph.text.rstrip().endswith(":")


def rule_selection(paragraphs: list[Paragraph], order: list[tuple[Any, Any]], titles: set[str]) -> list[bool]:
    """The hand-written choice: the best region, trimmed; one flag per paragraph (a model feature)."""
    region = choose_region(paragraphs, order)
    if not region:
        # No paragraph of prose anywhere (a list, a poem, a product page): when
        # unsure, keep - everything that survived the cleaning except link lists.
        return [not p.is_debris and not _is_title(p, titles) for p in paragraphs]
    inside = {id(element) for top in region for element in top.iter()}
    flags = [False] * len(paragraphs)
    kept: list[int] = []
    seen_prose = False
    for index, paragraph in enumerate(paragraphs):
        if id(paragraph.owner) not in inside:
            continue
        if paragraph.is_debris:
            if kept and _is_lead_in(paragraphs[kept[-1]]):
                kept.pop()  # "More:" / "Related:" goes with the link list it announced
            continue
        if _is_title(paragraph, titles):
            continue
        if paragraph.is_prose:
            seen_prose = True
        elif not seen_prose and paragraph.tag not in HEADING_TAGS:
            continue
        kept.append(index)
    while kept and not paragraphs[kept[-1]].is_prose and not paragraphs[kept[-1]].is_sentence:
        kept.pop()
    for index in kept:
        flags[index] = True
    return flags


def candidates(root: Any) -> tuple[list[Paragraph], list[list[float]]]:
    """Every paragraph of the cleaned page, and its features for the block model."""
    titles = _page_titles(root)
    words = strip_page(root)
    paragraphs = split_paragraphs(root)
    order = bottom_up(root)
    prose, _ = measure(paragraphs, order)
    flags = mark_furniture(root, prose, words, order)
    for paragraph in paragraphs:
        paragraph.context = flags.get(paragraph.owner, 0)
    furniture = _FLAG["strong"] | _FLAG["layout"]
    outside = [p for p in paragraphs if not p.context & furniture]
    picked = dict(zip(map(id, outside), rule_selection(outside, order, titles), strict=True))
    rule_kept = [picked.get(id(p), False) for p in paragraphs]
    return paragraphs, block_features(paragraphs, rule_kept, order, titles)


def extract_paragraphs(root: Any, learned: bool = False) -> list[Paragraph]:
    """The paragraphs of the page's main content, in document order."""
    from cleaner.htmlmodel import load_model

    paragraphs, features = candidates(root)
    if not learned:
        rule = FEATURES.index("rule_kept")
        kept = [p for p, x in zip(paragraphs, features, strict=True) if x[rule]]
        return kept if _words_in(kept) >= FALLBACK_MIN_WORDS else fallback(paragraphs, kept)
    model = load_model()
    kept = [p for p, x in zip(paragraphs, features, strict=True) if model.keeps(x)]
    return kept if _words_in(kept) >= FALLBACK_MIN_WORDS else fallback(paragraphs, kept)


def _words_in(paragraphs: list[Paragraph]) -> int:
    return sum(len(p.text.split()) for p in paragraphs)


def fallback(paragraphs: list[Paragraph], kept: list[Paragraph]) -> list[Paragraph]:
    """What to return when the model keeps (almost) nothing: the page's text rather than nothing.

    A page whose article the model misses entirely (an odd layout, a page in a
    script it has never seen) would otherwise come out empty; its whole text
    (less link lists) is the better answer for a reader, and what jusText and
    readability do too. A page that really is only links keeps what the model chose.
    """
    text = [p for p in paragraphs if not p.is_debris]
    return text if _words_in(text) > _words_in(kept) else kept


_TAG_GROUPS = {
    "p": "tag_p", "div": "tag_div", "li": "tag_li", "dd": "tag_li", "dt": "tag_li", "h1": "tag_h1",
    "h2": "tag_h", "h3": "tag_h", "h4": "tag_h", "h5": "tag_h", "h6": "tag_h", "td": "tag_cell",
    "th": "tag_cell", "tr": "tag_cell", "table": "tag_cell", "tbody": "tag_cell", "pre": "tag_pre",
    "blockquote": "tag_quote", "body": "tag_body", "center": "tag_div", "section": "tag_div",
    "article": "tag_div", "span": "tag_div",
}  # fmt: skip
_NEIGHBOUR = ("words", "links", "prose", "rule", "kin")
_TAG_NAMES = (
    "tag_p", "tag_div", "tag_li", "tag_h1", "tag_h", "tag_cell", "tag_pre", "tag_quote", "tag_body",
    "tag_other",
)  # fmt: skip
# The block model's inputs, in order; the model file names them and must match.
FEATURES: tuple[str, ...] = (
    "log_chars", "log_words", "link_density", "sentence_end", "full_stop", "commas", "stops",
    "word_length", "digits", "capitalised", "prose", "debris", "title", "lead_in", "teaser",
    *_TAG_NAMES, "depth", "position", "text_position",
    *(f"ctx_{name}" for name in CONTEXT_FLAGS),
    "rule_kept", "rule_before", "rule_after", "rule_distance",
    "parent_prose", "parent_debris", "parent_log_chars", "grand_prose", "grand_debris",
    *(f"prev_{name}" for name in _NEIGHBOUR), *(f"next_{name}" for name in _NEIGHBOUR),
    "window_prose", "window_rule", "page_log_words", "page_log_paragraphs", "page_rule_share",
    "page_furniture_share",
)  # fmt: skip


def _page_tables(paragraphs: list[Paragraph], order: list[tuple[Any, Any]]) -> tuple[dict[Any, float], ...]:
    """(prose, debris, chars, prose paragraph counts) under every element, over all paragraphs."""
    counts: dict[Any, float] = {}
    for paragraph in paragraphs:
        if paragraph.is_prose:
            counts[paragraph.owner] = counts.get(paragraph.owner, 0.0) + 1
    _subtree_sums(order, [counts])
    prose: dict[Any, float] = {}
    debris: dict[Any, float] = {}
    chars: dict[Any, float] = {}
    for paragraph in paragraphs:
        owner = paragraph.owner
        length = len(paragraph.text)
        chars[owner] = chars.get(owner, 0.0) + length
        if paragraph.is_prose:
            prose[owner] = prose.get(owner, 0.0) + length
        elif paragraph.is_debris:
            debris[owner] = debris.get(owner, 0.0) + length
    _subtree_sums(order, [prose, debris, chars])
    return prose, debris, chars, counts


def _text_features(paragraph: Paragraph) -> tuple[float, ...]:
    text = paragraph.text
    words = text.split()
    n = max(1, len(words))
    return (
        math.log1p(len(text)),
        math.log1p(len(words)),
        paragraph.link_density,
        float(bool(_SENTENCE_END.search(text))),
        float(bool(_FULL_STOP.search(text))),
        text.count(",") / n,
        (text.count(".") + text.count("!") + text.count("?")) / n,
        len(text) / n,
        len(_DIGIT.findall(text)) / max(1, len(text)),
        sum(1 for w in words if w[:1].isupper()) / n,
        float(paragraph.is_prose),
        float(paragraph.is_debris),
    )


def block_features(
    paragraphs: list[Paragraph], rule_kept: list[bool], order: list[tuple[Any, Any]], titles: set[str]
) -> list[list[float]]:
    """One row of FEATURES per paragraph: its text, tag, context, the rule's choice, neighbours, page."""
    if not paragraphs:
        return []
    prose, debris, chars, counts = _page_tables(paragraphs, order)
    n = len(paragraphs)
    lengths = [len(p.text) for p in paragraphs]
    total = max(1, sum(lengths))
    words = [len(p.text.split()) for p in paragraphs]
    total_words = max(1, sum(words))
    kept_at = [i for i, kept in enumerate(rule_kept) if kept]
    first, last = (kept_at[0], kept_at[-1]) if kept_at else (n, -1)
    rule_words = sum(w for w, kept in zip(words, rule_kept, strict=True) if kept)
    furniture = _FLAG["strong"] | _FLAG["layout"]
    furniture_words = sum(w for w, p in zip(words, paragraphs, strict=True) if p.context & furniture)
    page = (
        math.log1p(total_words),
        math.log1p(n),
        rule_words / total_words,
        furniture_words / total_words,
    )
    # distance to the nearest paragraph the rule kept, both ways (capped)
    distance = [float(WINDOW * 4)] * n
    last_seen = None
    for i in range(n):
        if rule_kept[i]:
            last_seen = i
        if last_seen is not None:
            distance[i] = min(distance[i], float(i - last_seen))
    last_seen = None
    for i in range(n - 1, -1, -1):
        if rule_kept[i]:
            last_seen = i
        if last_seen is not None:
            distance[i] = min(distance[i], float(last_seen - i))
    prose_chars = [length if p.is_prose else 0 for length, p in zip(lengths, paragraphs, strict=True)]
    rows: list[list[float]] = []
    before = 0
    parents = [p.owner.getparent() for p in paragraphs]
    bits = range(len(CONTEXT_FLAGS))
    tags = len(_TAG_NAMES)
    for i, paragraph in enumerate(paragraphs):
        onehot = [0.0] * tags
        onehot[_TAG_NAMES.index(_TAG_GROUPS.get(paragraph.tag, "tag_other"))] = 1.0
        context = paragraph.context
        row = [
            *_text_features(paragraph),
            float(_is_title(paragraph, titles)),
            float(_is_lead_in(paragraph)),
            float(paragraph.is_prose and _is_teaser(paragraph, counts)),
            *onehot,
            float(paragraph.depth),
            i / n,
            before / total,
            *[float(context >> bit & 1) for bit in bits],
            float(rule_kept[i]),
            float(i < first),
            float(i > last),
            distance[i],
        ]
        before += lengths[i]
        parent = parents[i]
        grand = parent.getparent() if parent is not None else None
        for element, with_size in ((parent, True), (grand, False)):
            if element is None:
                row += (0.0, 0.0, 0.0) if with_size else (0.0, 0.0)
                continue
            size = max(1.0, chars.get(element, 0.0))
            row += (prose.get(element, 0.0) / size, debris.get(element, 0.0) / size)
            if with_size:
                row.append(math.log1p(size))
        for j in (i - 1, i + 1):
            if 0 <= j < n:
                other = paragraphs[j]
                row += (
                    math.log1p(words[j]),
                    other.link_density,
                    float(other.is_prose),
                    float(rule_kept[j]),
                    float(parents[j] is parent),
                )
            else:
                row += (0.0, 0.0, 0.0, 0.0, 0.0)
        low, high = max(0, i - WINDOW), min(n, i + WINDOW + 1)
        window = sum(lengths[low:high]) - lengths[i]
        row.append((sum(prose_chars[low:high]) - prose_chars[i]) / window if window else 0.0)
        row.append((sum(rule_kept[low:high]) - rule_kept[i]) / max(1, high - low - 1))
        row += page
        rows.append(row)
    return rows


_TEXT_NAMES = FEATURES[:12]
