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

_SENTENCE_END = re.compile(r"""[.!?:;"'\u201d\u2019\u2026)\]\u3002\uff01\uff1f\u061f\u0964]\s*$""")
_SPACE = re.compile(r"\s+")
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


def _mains(root: Any) -> dict[Any, float]:
    """For every element, how many main-content markers its subtree holds (one linear pass)."""
    marks: dict[Any, float] = {e: 1.0 for e in root.iter() if _is_main(e)}
    _subtree_sums(root, [marks])
    return marks


def _text_length(element: Any) -> int:
    return sum(len(t) - t.count(" ") for t in element.itertext())


def _furniture_kind(element: Any, tag: str) -> str | None:
    """ "strong" for furniture by name, "layout" for what may also wrap the article, else None."""
    words = _words(element)
    if any(word in EMBED_WORDS for word in words) and not any(word in AD_WORDS for word in words):
        return None
    if any(word in FURNITURE_WORDS for word in words) or any(
        pair in FURNITURE_PAIRS for pair in zip(words, words[1:], strict=False)
    ):
        return "strong"
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
    if any(word in LAYOUT_WORDS for word in words):
        return "layout"
    return None


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


def remove_junk(root: Any) -> None:
    """Remove elements that are never text (scripts, styles, controls, media, comments)."""
    junk = [e for e in root.iter() if not isinstance(e.tag, str) or e.tag.lower() in JUNK_TAGS]
    for element in junk:
        _remove(element)


def remove_furniture(root: Any, prose: Mapping[Any, float]) -> None:
    """Remove hidden elements and page furniture, except those that hold much of the page's prose.

    ``prose`` is the prose length under each element: a wrapper named
    "content-with-sidebar" or a Blogger "widget Blog" holds the article and stays;
    a sidebar or a comment list holds little of it and goes.
    """
    total = prose.get(root, 0.0)
    mains = _mains(root)
    furniture: list[Any] = []
    walker = etree.iterwalk(root, events=("start",))
    for _, element in walker:
        tag = _tag(element)
        if tag in ("html", "body", "main"):
            continue
        kind = _furniture_kind(element, tag)
        if kind is None:
            continue
        share = prose.get(element, 0.0) / total if total else 0.0
        if share >= GUARD_ANY_SHARE and _content_named(element):
            continue
        if (
            kind == "layout"
            and share >= GUARD_PROSE_SHARE
            and (_content_named(element) or share >= GUARD_ANY_SHARE)
        ):
            continue
        if mains.get(element):
            continue
        furniture.append(element)
        walker.skip_subtree()
    for element in furniture:
        _remove(element)


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


def _subtree_sums(root: Any, tables: list[dict[Any, float]]) -> None:
    """Turn each table's per-element amounts into sums over the element's subtree, in place.

    One pass in reverse document order (children before their parents): linear in
    the tree's size, whatever its depth - summing up each paragraph's ancestors
    instead would cost paragraphs x depth.
    """
    for element in reversed(list(root.iter())):
        parent = element.getparent()
        if parent is None:
            continue
        for table in tables:
            amount = table.get(element)
            if amount:
                table[parent] = table.get(parent, 0.0) + amount


def measure(paragraphs: list[Paragraph], root: Any) -> tuple[dict[Any, float], dict[Any, float]]:
    """(prose, debris): characters of each under every element."""
    counts: dict[Any, float] = {}
    for paragraph in paragraphs:
        if paragraph.is_prose:
            counts[paragraph.owner] = counts.get(paragraph.owner, 0.0) + 1
    _subtree_sums(root, [counts])
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
    _subtree_sums(root, [prose, debris])
    return prose, debris


def _net(element: Any, prose: Mapping[Any, float], debris: Mapping[Any, float]) -> float:
    amount = prose.get(element, 0.0)
    if _content_named(element):
        amount *= 1 + CONTENT_BONUS
    return amount - debris.get(element, 0.0)


def choose_region(paragraphs: list[Paragraph], root: Any) -> list[Any]:
    """The elements that hold the article: the best container and the siblings that belong to it."""
    prose, debris = measure(paragraphs, root)
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


def extract_paragraphs(root: Any) -> list[Paragraph]:
    """The paragraphs of the page's main content, in document order."""
    titles = _page_titles(root)
    remove_junk(root)
    prose, _ = measure(split_paragraphs(root), root)
    remove_furniture(root, prose)
    paragraphs = split_paragraphs(root)
    region = choose_region(paragraphs, root)
    if not region:
        # No paragraph of prose anywhere (a list, a poem, a product page): when
        # unsure, keep - everything that survived the cleaning except link lists.
        return [p for p in paragraphs if not p.is_debris and not _is_title(p, titles)]
    inside = {id(element) for top in region for element in top.iter()}
    chosen = [p for p in paragraphs if id(p.owner) in inside]
    kept: list[Paragraph] = []
    seen_prose = False
    for paragraph in chosen:
        if paragraph.is_debris:
            if kept and _is_lead_in(kept[-1]):
                kept.pop()  # "More:" / "Related:" goes with the link list it announced
            continue
        if _is_title(paragraph, titles):
            continue
        if paragraph.is_prose:
            seen_prose = True
        elif not seen_prose and paragraph.tag not in HEADING_TAGS:
            continue
        kept.append(paragraph)
    while kept and not kept[-1].is_prose and not kept[-1].is_sentence:
        kept.pop()
    return kept
