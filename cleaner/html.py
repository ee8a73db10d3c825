"""HTML pages in, article text out: decoding, parsing, and the blocks that carry DOM hints.

``extract_page(data, name)`` decodes the bytes (BOM, then a declared charset,
then UTF-8, then a guess by charset-normalizer), parses them with lxml's HTML
parser (libxml2: fast and tolerant of any tag soup) and hands the tree to
``cleaner.extract`` for the choice of the main content. The result is the
article text, paragraphs separated by blank lines, plus one ``Block`` per
paragraph whose ``hints`` say where in the page it came from; the pipeline then
runs the same detectors on them as on plain text.

libxml2 stops building the tree at 2,048 levels of nesting and silently drops
the rest of the page. When it reports that limit, the page is parsed again by
a tokenizer of the standard library that flattens every element deeper than
``MAX_DEPTH`` into its ancestor at that depth: all text is kept, and no tree
walk anywhere is recursive, so no nesting depth can raise ``RecursionError``.

lxml is imported only here and in ``cleaner.extract``, and this module only
when an HTML file is processed, so plain-text runs (a pre-commit hook) do not
pay for it.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from lxml import etree

from cleaner.blocks import Block
from cleaner.errors import ConfigError, InputError
from cleaner.extract import extract_paragraphs
from cleaner.htmlpatterns import BLOCK_TAGS

# A page larger than this is not an article; refusing it is better than eating the memory.
MAX_HTML_BYTES = 256 * 1024 * 1024
# Elements nested deeper than this are merged into their ancestor at this depth
# (only on the fallback path; libxml2 itself keeps up to 2,048 levels).
MAX_DEPTH = 1024
# How many open elements a stray end tag is matched against (fallback parser).
END_TAG_SEARCH = 64
# A declared (or UTF-8) decoding stands with this many undecodable bytes (plus this share).
MAX_BAD_BYTES = 8
MAX_BAD_SHARE = 0.001
# How much of an undeclared page the encoding is guessed from.
GUESS_BYTES = 100_000
# Where a charset declaration is looked for (HTML says the first 1024 bytes; pages are sloppier).
SNIFF_BYTES = 8192

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)""")
# Single-byte Latin code pages that charset-normalizer confuses with windows-1252.
_LATIN_CODEPAGES = frozenset(
    {"cp1250", "cp1257", "cp775", "cp850", "cp852", "iso8859-2", "iso8859-4", "iso8859-13",
     "iso8859-15", "mac-latin2", "mac-roman"}
)  # fmt: skip
# What browsers actually use for these labels (WHATWG Encoding Standard).
_BROWSER_ALIASES = {"iso8859-1": "cp1252", "ascii": "cp1252", "tis-620": "cp874"}


@dataclass(frozen=True)
class ExtractedPage:
    """The article text of one page, its blocks (with DOM hints), and the page's encoding."""

    text: str
    blocks: list[Block]
    encoding: str
    flattened: bool = False  # nesting deeper than MAX_DEPTH was merged


def _codec(label: bytes | str) -> str | None:
    name = label.decode("ascii", "replace") if isinstance(label, bytes) else label
    try:
        canonical = codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None
    return _BROWSER_ALIASES.get(canonical, canonical)


def declared_encoding(data: bytes) -> str | None:
    head = data[:SNIFF_BYTES]
    found = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return _codec(found.group(1)) if found else None


def decode_html(data: bytes) -> tuple[str, str]:
    """(text, encoding): BOM, then the page's own declaration, then UTF-8, then a guess."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, "replace"), encoding
    declared = declared_encoding(data)
    # A page that declares UTF-16 but has no BOM is almost always ASCII-compatible bytes.
    if declared is not None and (declared.startswith("utf-16") or declared.startswith("utf-32")):
        declared = None
    for encoding in dict.fromkeys([declared or "utf-8", "utf-8"]):
        text = _decode_mostly(data, encoding)
        if text is not None:
            return text, encoding
    guess = _guess_encoding(data)
    return data.decode(guess, "replace"), guess


def _decode_mostly(data: bytes, encoding: str) -> str | None:
    """``data`` in ``encoding``, tolerating a few bad bytes (a stray byte in a UTF-8 page), else None.

    Guessing another encoding for a whole page because of one bad byte would
    garble every accented letter of it.
    """
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        pass
    text = data.decode(encoding, "replace")
    bad = text.count("\ufffd")
    if bad > MAX_BAD_BYTES + len(text) * MAX_BAD_SHARE:
        return None
    # The rest of the page must show the encoding at work: a windows-1252 page with
    # two accented letters is not a UTF-8 page with two bad bytes.
    good = sum(1 for ch in text if ord(ch) > 127) - bad
    return text if good >= bad else None


def _guess_encoding(data: bytes) -> str:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a declared dependency; stay usable without it
        return "cp1252"
    sample = data[:GUESS_BYTES]
    best = from_bytes(sample).best()
    if best is None:
        return "cp1252"
    guess = _codec(best.encoding) or "cp1252"
    return "cp1252" if guess in _LATIN_CODEPAGES and _cp1252_reads_as_well(sample, guess) else guess


def _letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())


def _cp1252_reads_as_well(data: bytes, guess: str) -> bool:
    """Whether windows-1252 decodes ``data`` into at least as many letters as ``guess``.

    charset-normalizer often names a central-European or Baltic code page for
    short western text (the bytes of ä, ö, ü, ß are the same in all of them);
    windows-1252 is what undeclared pages most often are, and it loses only
    where the guess finds letters that windows-1252 reads as symbols (Polish ł, ą).
    """
    western = data.decode("cp1252", "replace")
    return _letters(western) >= _letters(data.decode(guess, "replace"))


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")


def _parse_lxml(text: str) -> tuple[Any, bool]:
    """The tree, and whether libxml2 gave up on the nesting depth."""
    # lxml refuses a str that still declares a byte encoding; it has been decoded already.
    text = _XML_DECLARATION.sub("", text, count=1)
    # Plain etree elements: lxml.html's element classes cost a Python call per node.
    parser = etree.HTMLParser(huge_tree=True, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(text, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        root = None
    too_deep = any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log)
    return root, too_deep


_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
     "track", "wbr", "keygen"}
)  # fmt: skip


class _FlatteningBuilder(HTMLParser):
    """A tolerant tree builder with a depth cap: deeper elements are merged into their ancestor."""

    def __init__(self, max_depth: int) -> None:
        super().__init__(convert_charrefs=True)
        self.root = etree.Element("html")
        # (tag name, element or None when flattened away); the root is never popped.
        self.stack: list[tuple[str, Any]] = [("html", self.root)]
        self.depth = 1  # real elements on the stack
        self.open = [self.root]  # the real elements on the stack, innermost last
        self.open_names: dict[str, int] = {"html": 1}  # tag name -> entries on the stack
        self.max_depth = max_depth
        self.flattened = False
        self.cursor: tuple[Any, str] = (self.root, "text")
        # Text waits here until the next tag: appending to an lxml .text one piece
        # at a time would copy it every time (quadratic on a flattened page).
        self.pending: list[str] = []

    def _flush(self) -> None:
        if self.pending:
            element, slot = self.cursor
            setattr(element, slot, (getattr(element, slot) or "") + "".join(self.pending))
            self.pending.clear()

    def _paragraph_break(self) -> None:
        """Where a flattened block element began or ended: <br><br>, a paragraph break."""
        parent = self._open_element()
        element, slot = self.cursor
        if slot == "tail" and element.tag == "br" and not (element.tail or "").strip():
            previous = element.getprevious()
            if previous is not None and previous.tag == "br":
                return  # a break is already there
        etree.SubElement(parent, "br")
        self.cursor = (etree.SubElement(parent, "br"), "tail")

    def handle_data(self, data: str) -> None:
        self.pending.append(data)

    def close(self) -> None:
        super().close()
        self._flush()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._flush()
        if tag in ("html", "body") and self.depth <= 2:
            return
        void = tag in _VOID
        if self.depth >= self.max_depth and not void:
            self.flattened = True
            self._push(tag, None)
            if tag in BLOCK_TAGS:
                self._paragraph_break()
            return
        try:
            element = etree.SubElement(self._open_element(), tag)
        except ValueError:  # not a name lxml accepts
            if not void:
                self._push(tag, None)
            return
        for key, value in attrs:
            try:
                element.set(key, value or "")
            except ValueError:
                continue
        if void:
            self.cursor = (element, "tail")
        else:
            self._push(tag, element)
            self.open.append(element)
            self.depth += 1
            self.cursor = (element, "text")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        self._flush()
        if not self.open_names.get(tag):
            return  # nothing of that name is open: a stray end tag
        # A stray end tag is looked for only this far down: tag soup must not cost
        # the depth of the page for every stray tag.
        lowest = max(1, len(self.stack) - END_TAG_SEARCH)
        for position in range(len(self.stack) - 1, lowest - 1, -1):
            if self.stack[position][0] == tag:
                break
        else:
            return
        closed = None
        while len(self.stack) > position:
            name, element = self.stack.pop()
            self.open_names[name] -= 1
            if element is not None:
                closed = element
                self.open.pop()
                self.depth -= 1
        if closed is not None:
            self.cursor = (closed, "tail")
        elif tag in BLOCK_TAGS:
            self._paragraph_break()

    def _push(self, tag: str, element: Any) -> None:
        self.stack.append((tag, element))
        self.open_names[tag] = self.open_names.get(tag, 0) + 1

    def _open_element(self) -> Any:
        return self.open[-1]


def _parse_flattening(text: str) -> tuple[Any, bool]:
    builder = _FlatteningBuilder(MAX_DEPTH)
    builder.feed(text)
    builder.close()
    return builder.root, builder.flattened


# Characters XML (and so lxml) cannot hold; browsers do not show them either.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def parse_html(text: str) -> tuple[Any, bool]:
    """(root element, whether deep nesting was flattened). Never raises on bad markup."""
    text = _NOT_XML.sub("", text)
    root, too_deep = _parse_lxml(text)
    if root is not None and not too_deep:
        return root, False
    return _parse_flattening(text)


def _blocks(paragraphs: list[tuple[str, Mapping[str, object]]]) -> tuple[str, list[Block]]:
    parts: list[str] = []
    blocks: list[Block] = []
    offset = 0
    line = 1
    for index, (text, hints) in enumerate(paragraphs):
        if index:
            parts.append("\n\n")
            offset += 2
            line += 2
        newlines = text.count("\n")
        blocks.append(
            Block(
                index=index,
                start=offset,
                end=offset + len(text),
                text=text,
                first_line=line,
                last_line=line + newlines,
                hints=hints,
            )
        )
        parts.append(text)
        offset += len(text)
        line += newlines
    if parts:
        parts.append("\n")
    return "".join(parts), blocks


def _trafilatura_paragraphs(text: str) -> list[tuple[str, Mapping[str, object]]]:
    try:
        import trafilatura
    except ImportError as exc:
        raise ConfigError(
            f"--extractor trafilatura cannot import trafilatura ({exc}); pip install 'cleaner[trafilatura]'"
        ) from None
    extracted = trafilatura.extract(text, include_comments=False, include_tables=True) or ""
    lines = (" ".join(line.split()) for line in extracted.splitlines())
    return [(line, {"extractor": "trafilatura"}) for line in lines if line]


def extract_page(data: bytes, name: str, extractor: str = "builtin") -> ExtractedPage:
    """The article text of an HTML page, as blocks with DOM hints."""
    if len(data) > MAX_HTML_BYTES:
        raise InputError(
            f"{name}: HTML page of {len(data) / 1e6:.0f} MB is over the limit of "
            f"{MAX_HTML_BYTES / 1e6:.0f} MB, skipped"
        )
    text, encoding = decode_html(data)
    if extractor == "trafilatura":
        article, blocks = _blocks(_trafilatura_paragraphs(text))
        return ExtractedPage(article, blocks, encoding)
    root, flattened = parse_html(text)
    paragraphs = extract_paragraphs(root, learned=extractor == "learned")
    article, blocks = _blocks([(p.text, p.hints()) for p in paragraphs])
    return ExtractedPage(article, blocks, encoding, flattened)
