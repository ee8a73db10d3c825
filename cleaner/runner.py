"""One input through the pipeline: routed by what it is (text, HTML page, bytes from stdin),
cleaned, held back by the safety net if cleaning would gut it, then written, diffed or only compared.

Nothing here prints; every outcome, good or bad, comes back as a ``FileOutcome``.
(A JSONL record takes the same safety net in jsonl.py, record by record.)
"""

from __future__ import annotations

import codecs
import difflib
import sys
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path

from cleaner.blocks import Block
from cleaner.config import Config
from cleaner.encoding import encode_stable
from cleaner.errors import CleanerError, InputError
from cleaner.files import Input, Snapshot, Source, atomic_write, decode, read_bytes, read_source
from cleaner.pipeline import CleanResult, clean_text


class Mode(Enum):
    """What to do with a cleaned file; decided once, at the command line."""

    FIX = "fix"  # write the cleaned text (in place, or under --output-dir)
    CHECK = "check"  # change nothing; report whether anything would change
    DIFF = "diff"  # change nothing; show a unified diff


@dataclass(frozen=True)
class FileOutcome:
    name: str
    result: CleanResult | None = None
    encoding: str | None = None
    error: str | None = None
    diff: str = ""
    written: bool = False
    # Why the cleaned text was held back (the safety net); the file is left as it was.
    held: str | None = None
    # How to encode text back into the file's own bytes (for --stdout and friends).
    source: Source | None = field(default=None, repr=False, compare=False)

    @property
    def changed(self) -> bool:
        return self.result is not None and self.result.changed and self.held is None


def removed_share(result: CleanResult) -> float:
    """Share of the document's non-space characters that cleaning would remove."""
    before = _visible_chars(result.original)
    if not before:
        return 0.0
    return 1 - _visible_chars(result.text) / before


def _visible_chars(text: str) -> int:
    return sum(map(len, text.split()))


def unstable_encoding(name: str, source: Source, result: CleanResult) -> str | None:
    """A message if the cleaned file would not read back as the cleaned text (encoding evidence lost)."""
    if not result.changed or encode_stable(source, result.text, name) is not None:
        return None
    return (
        f"{name}: once cleaned, its encoding ({source.label}) could no longer be told from its bytes; "
        "left unchanged. Convert it to UTF-8 to have it cleaned"
    )


def heavy_loss(name: str, result: CleanResult, config: Config) -> str | None:
    """A message if cleaning would remove more than ``config.max_removed_share`` (safety net)."""
    if config.allow_heavy or not result.changed:
        return None
    share = removed_share(result)
    if share <= config.max_removed_share:
        return None
    return (
        f"{name}: would lose {share:.0%} of its text (limit {config.max_removed_share:.0%}); "
        "left unchanged as suspicious. Check with --diff; use --allow-heavy if it is right"
    )


def hold_back(name: str, source: Source, result: CleanResult, config: Config) -> str | None:
    """Why the safety net keeps this document as it was (None: the cleaned text may be written)."""
    return heavy_loss(name, result, config) or unstable_encoding(name, source, result)


def unified_diff(name: str, before: str, after: str) -> str:
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=f"a/{name}",
            tofile=f"b/{name}",
        )
    )


def finish(
    name: str,
    source: Source,
    result: CleanResult,
    mode: Mode,
    target: Path | None,
    source_path: Path | None = None,
) -> FileOutcome:
    """Act on one cleaned document according to ``mode``; ``target`` None = do not write."""
    diff = unified_diff(name, result.original, result.text) if mode is Mode.DIFF else ""
    written = False
    if mode is Mode.FIX and target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        # In place, the file must still be the one that was read; a new copy has nothing to compare.
        origin = source.origin if isinstance(source.origin, Snapshot) and target == source_path else None
        atomic_write(target, source.encode(result.text), expect=origin)
        written = True
    return FileOutcome(name, result, source.label, diff=diff, written=written, source=source)


HTML_SUFFIXES = frozenset({".html", ".htm"})


def is_html(path: Path, config: Config) -> bool:
    """Whether ``path`` is read as an HTML page (``format`` "auto": by its suffix)."""
    if config.format == "auto":
        return path.suffix.lower() in HTML_SUFFIXES
    return config.format == "html"


def read_html(data: bytes, name: str, config: Config) -> tuple[Source, list[Block]]:
    """An HTML page's article text (output is UTF-8) and its blocks, with DOM hints."""
    from cleaner.html import extract_page  # lxml is imported only when a page comes

    page = extract_page(data, name, config.extractor)
    return Source(page.text, "utf-8"), page.blocks


def clean_html(data: bytes, name: str, config: Config) -> tuple[Source, CleanResult]:
    """Extract the article text of an HTML page, then clean it like any text."""
    source, blocks = read_html(data, name, config)
    return source, clean_text(source.text, config, blocks)


def page_bytes(page: object) -> bytes:
    """An HTML page as bytes for the extractor: bytes as they are; a str, or a BeautifulSoup
    ``BeautifulSoup``/``Tag`` (its markup), as UTF-8 behind a byte-order mark, which wins over
    the page's own ``<meta charset>``: the text is already decoded."""
    if isinstance(page, bytes | bytearray | memoryview):
        return bytes(page)
    if not isinstance(page, str):
        # No import of bs4 here: an object can only be one of its tags if bs4 is loaded already.
        bs4 = sys.modules.get("bs4")
        if bs4 is None or not isinstance(page, bs4.element.Tag):
            raise TypeError(
                f"clean_html takes str, bytes or a bs4 BeautifulSoup/Tag, not {type(page).__name__}"
            )
        page = str(page)
    return codecs.BOM_UTF8 + page.encode("utf-8", "replace")


def clean_page(page: object, config: Config | None = None) -> CleanResult:
    """The article text of one HTML page, cleaned (``cleaner.clean_html``)."""
    return clean_html(page_bytes(page), "<page>", config or Config())[1]


def target_path(item: Input, output_dir: Path, html: bool) -> Path:
    """Where ``item``'s cleaned copy goes under ``output_dir`` (an HTML page's text: <stem>.txt)."""
    return output_dir / (item.relative.with_suffix(".txt") if html else item.relative)


def read_input(item: Input, config: Config) -> tuple[Source, list[Block] | None]:
    """One input file read as what it is: an HTML page (its article text and blocks), or text.

    The one place a file's kind decides how it is read (cleaning, counting, explaining)."""
    if is_html(item.path, config):
        data, _ = read_bytes(item.path, config.max_file_bytes)
        return read_html(data, str(item.path), config)
    return read_source(item.path, config.max_file_bytes), None


def read_and_clean(item: Input, config: Config) -> tuple[Source, CleanResult]:
    source, blocks = read_input(item, config)
    return source, clean_text(source.text, config) if blocks is None else clean_text(
        source.text, config, blocks
    )


def process_data(data: bytes, name: str, config: Config, mode: Mode) -> FileOutcome:
    """Bytes that are no file (stdin): the same route and safety net; the caller writes the text."""
    try:
        if len(data) > config.max_file_bytes:
            raise CleanerError(
                f"{name}: more than max_file_bytes ({config.max_file_bytes} bytes); raise --max-file-bytes"
            )
        if config.format == "html":
            source, result = clean_html(data, name, config)
        else:
            source = decode(data, name)
            result = clean_text(source.text, config)
    except CleanerError as exc:
        return FileOutcome(name, error=str(exc))
    held = hold_back(name, source, result, config)
    text = result.text if held is None else result.original
    diff = unified_diff(name, result.original, text) if mode is Mode.DIFF else ""
    return FileOutcome(name, result, source.label, diff=diff, held=held, source=source)


def process_file(item: Input, config: Config, mode: Mode, output_dir: Path | None) -> FileOutcome:
    """One file: read, clean, safety net, then write, diff or only compare, as ``mode`` says."""
    name = str(item.path)
    try:
        html = is_html(item.path, config)
        if html and mode is Mode.FIX and output_dir is None:
            # An HTML page is never overwritten with its text: the text goes under
            # --output-dir as <stem>.txt (or to stdout, where the caller prints it).
            raise InputError(
                f"{name}: HTML is extracted to text, never rewritten in place; "
                "use --output-dir DIR (writes <stem>.txt) or --stdout"
            )
        source, result = read_and_clean(item, config)
        if output_dir is not None:
            target: Path | None = target_path(item, output_dir, html)
        else:
            target = item.path if result.changed and not html else None
        held = None if html else hold_back(name, source, result, config)
        if held is not None:
            # The copy of a held file (with --output-dir) is the file as it was.
            kept = CleanResult(result.original, result.original, result.blocks, [])
            outcome = finish(name, source, kept, mode, target if output_dir else None)
            return replace(outcome, result=result, held=held)
        return finish(name, source, result, mode, target, None if html else item.path)
    except CleanerError as exc:
        return FileOutcome(name, error=str(exc))
    except OSError as exc:
        return FileOutcome(name, error=f"{name}: cannot write: {exc.strerror or exc}")
    except Exception as exc:
        # A bug on one odd file must not stop a batch of thousands: that file is
        # left as it was and reported; the others are still cleaned.
        problem = f"{type(exc).__name__}: {exc}"
        return FileOutcome(name, error=f"{name}: internal error ({problem}); left unchanged; please report")
