"""JSONL corpora: one JSON object per line; its text field is cleaned, every other byte is kept.

A line is never re-serialised as a whole. The top-level object is scanned for
the span of each value, and only the text field's span is replaced (plus, with
``keep_removed``, one metadata field appended after the last value). So other
fields keep their key order, spacing, escapes and number formatting byte for
byte, and a record whose text loses nothing is written exactly as it was read.

Files are streamed: lines are read one at a time (``.jsonl.gz`` through
gzip), grouped into chunks of about ``CHUNK_BYTES``, cleaned in order on the
run's ``engine.Workers`` (this process, a process pool or a Dask cluster), and
written to a temporary file beside the target that replaces it at the end. At
most ``window`` chunks are in flight, so memory is bounded by the chunk size
(or by the largest single record), never by the file.

A line that is not a JSON object with a string text field is reported with its
file and line number. ``OnError.SKIP`` copies it through unchanged and goes on;
``OnError.STOP`` stops the run and leaves the target untouched. It is never
silently dropped.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path
from typing import IO, Any, Protocol, TypeVar

from cleaner.config import Config
from cleaner.engine import Workers, ordered_map
from cleaner.errors import InputError
from cleaner.files import atomic_writer
from cleaner.pipeline import CleanResult, clean_text
from cleaner.report import decision_record
from cleaner.runner import FileOutcome, Mode, heavy_loss, unified_diff

DEFAULT_TEXT_FIELD = "text"
REMOVED_FIELD = "cleaner_removed"
# Records are sent to workers in chunks of about this many bytes: large enough
# that pickling and scheduling cost little per record, small enough that a few
# chunks in flight per worker keep memory low.
CHUNK_BYTES = 1 << 20
GZIP_LEVEL = 6  # zlib's default; level 9 costs ~3x the time for ~1% smaller files
BOM = "\ufeff"

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
_scanstring = json.decoder.scanstring  # type: ignore[attr-defined]  # public, but not in typeshed

T = TypeVar("T")
R = TypeVar("R")


class Sink(Protocol):
    def write(self, data: bytes, /) -> object: ...


class OnError(Enum):
    SKIP = "skip"  # report the line, copy it through unchanged, go on
    STOP = "stop"  # report the line, stop the run, write nothing for this file


class MalformedRecord(InputError):
    """A line that is not a JSON object with a string text field."""


@dataclass(frozen=True)
class JsonlOptions:
    text_field: str = DEFAULT_TEXT_FIELD
    keep_removed: bool = False
    removed_field: str = REMOVED_FIELD
    on_error: OnError = OnError.SKIP


def is_gzip(path: Path) -> bool:
    return path.name.lower().endswith(".gz")


# --- one line ----------------------------------------------------------------


@dataclass(frozen=True)
class ScannedObject:
    """A parsed top-level object and, for each key, the span of its value in the line."""

    values: dict[str, Any]
    spans: dict[str, tuple[int, int]]


def _skip_space(line: str, pos: int) -> int:
    match = _WHITESPACE.match(line, pos)
    assert match is not None  # the pattern matches the empty string
    return match.end()


def scan_object(line: str) -> ScannedObject:
    """Parse ``line`` as one JSON object, keeping where each value stands; ValueError if it is not."""
    pos = _skip_space(line, 0)
    if line[pos : pos + 1] != "{":
        raise ValueError("not a JSON object")
    pos = _skip_space(line, pos + 1)
    values: dict[str, Any] = {}
    spans: dict[str, tuple[int, int]] = {}
    if line[pos : pos + 1] == "}":
        pos += 1
    else:
        while True:
            if line[pos : pos + 1] != '"':
                raise ValueError(f"expected a key in double quotes at column {pos + 1}")
            key, pos = _scanstring(line, pos + 1)
            pos = _skip_space(line, pos)
            if line[pos : pos + 1] != ":":
                raise ValueError(f"expected ':' at column {pos + 1}")
            start = _skip_space(line, pos + 1)
            try:
                value, end = _DECODER.raw_decode(line, start)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{exc.msg} at column {exc.colno}") from None
            values[key] = value  # a repeated key: the last one wins, as in json.loads
            spans[key] = (start, end)
            pos = _skip_space(line, end)
            separator = line[pos : pos + 1]
            if separator == ",":
                pos = _skip_space(line, pos + 1)
            elif separator == "}":
                pos += 1
                break
            else:
                raise ValueError(f"expected ',' or '}}' at column {pos + 1}")
    if line[_skip_space(line, pos) :]:
        raise ValueError(f"extra data after the object at column {pos + 1}")
    return ScannedObject(values, spans)


def _dump(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate (legal as a \\ud800 escape in JSON) has no UTF-8 form.
        text = json.dumps(value)
    return text


def removed_entries(result: CleanResult) -> list[dict[str, Any]]:
    """What ``keep_removed`` stores: the same records as ``--report`` gives for each removal."""
    return [decision_record(d) for d in result.decisions]


def rewrite_line(line: str, scanned: ScannedObject, result: CleanResult, options: JsonlOptions) -> str:
    """``line`` with the text field's value replaced, and removals recorded if asked."""
    edits: list[tuple[int, int, str]] = []
    start, end = scanned.spans[options.text_field]
    edits.append((start, end, _dump(result.text)))
    if options.keep_removed and result.decisions:
        entries = removed_entries(result)
        field = options.removed_field
        if field in scanned.spans:
            earlier = scanned.values[field]
            merged = [*earlier, *entries] if isinstance(earlier, list) else entries
            edits.append((*scanned.spans[field], _dump(merged)))
        else:
            last = max(stop for _, stop in scanned.spans.values())
            edits.append((last, last, f", {_dump(field)}: {_dump(entries)}"))
    # Right to left, so earlier offsets stay valid; an insertion at the text's end goes first.
    for begin, stop, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        line = line[:begin] + new + line[stop:]
    return line


@dataclass(frozen=True)
class RecordOutcome:
    """One line's fate: ``output`` None means the input line is written unchanged."""

    line: int
    output: bytes | None = None
    result: CleanResult | None = None
    error: str | None = None
    held: str | None = None  # why the safety net copied the record unchanged


def _split_ending(raw: bytes) -> tuple[bytes, bytes]:
    if raw.endswith(b"\r\n"):
        return raw[:-2], b"\r\n"
    if raw.endswith(b"\n"):
        return raw[:-1], b"\n"
    return raw, b""


def clean_line(raw: bytes, number: int, name: str, config: Config, options: JsonlOptions) -> RecordOutcome:
    """Clean the record on one raw line (with its line break); never raises for bad input."""
    body, ending = _split_ending(raw)
    where = f"{name}:{number}"
    try:
        line = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return RecordOutcome(number, error=f"{where}: not valid UTF-8 at byte {exc.start + 1}")
    prefix = ""
    if number == 1 and line.startswith(BOM):
        prefix, line = BOM, line[1:]
    if not line.strip(" \t\r\n"):
        return RecordOutcome(number)  # a blank line is kept as it is; it holds no record
    try:
        scanned = scan_object(line)
    except ValueError as exc:
        return RecordOutcome(number, error=f"{where}: malformed JSON record: {exc}")
    text = scanned.values.get(options.text_field)
    if not isinstance(text, str):
        problem = "no" if options.text_field not in scanned.values else "a non-string"
        return RecordOutcome(number, error=f"{where}: {problem} '{options.text_field}' field")
    result = clean_text(text, config)
    # The full block list is only needed to render, which is done; don't ship it back.
    slim = replace(result, blocks=[])
    if not result.changed:
        return RecordOutcome(number, result=slim)
    held = heavy_loss(where, result, config)
    if held is not None:
        # The same safety net as for a file: the record is copied as it was, and said so.
        return RecordOutcome(number, result=slim, held=held)
    output = (prefix + rewrite_line(line, scanned, result, options)).encode("utf-8") + ending
    return RecordOutcome(number, output=output, result=slim)


def clean_record(record: dict[str, Any], config: Config, options: JsonlOptions) -> dict[str, Any]:
    """An in-memory record: a copy with its text cleaned (same key order), for bags and libraries."""
    text = record.get(options.text_field)
    if not isinstance(text, str):
        raise MalformedRecord(f"record has no string '{options.text_field}' field")
    result = clean_text(text, config)
    if not result.changed:
        return record
    cleaned = {**record, options.text_field: result.text}
    if options.keep_removed and result.decisions:
        earlier = record.get(options.removed_field)
        entries = removed_entries(result)
        cleaned[options.removed_field] = [*earlier, *entries] if isinstance(earlier, list) else entries
    return cleaned


# --- chunks (cleaned on the run's workers: cleaner.engine) ---------------------------


@dataclass(frozen=True)
class Chunk:
    first_line: int
    lines: list[bytes]


def chunk_lines(lines: Iterable[bytes], chunk_bytes: int = CHUNK_BYTES) -> Iterator[Chunk]:
    """Consecutive lines grouped into chunks of about ``chunk_bytes`` (a larger line alone)."""
    batch: list[bytes] = []
    size = 0
    first = 1
    for number, raw in enumerate(lines, start=1):
        if not batch:
            first = number
        batch.append(raw)
        size += len(raw)
        if size >= chunk_bytes:
            yield Chunk(first, batch)
            batch, size = [], 0
    if batch:
        yield Chunk(first, batch)


def clean_chunk(chunk: Chunk, name: str, config: Config, options: JsonlOptions) -> list[RecordOutcome]:
    """The unit of work sent to a worker: every line of one chunk, in order."""
    return [
        clean_line(raw, chunk.first_line + offset, name, config, options)
        for offset, raw in enumerate(chunk.lines)
    ]


# --- files -----------------------------------------------------------------------


def open_lines(path: Path) -> IO[bytes] | gzip.GzipFile:
    """A binary reader of ``path`` (decompressed if it is a .gz); iterate it for lines."""
    try:
        if is_gzip(path):
            return gzip.open(path, "rb")
        return path.open("rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc


@dataclass
class JsonlSummary:
    """What happened to one JSONL input."""

    records: int = 0
    changed: int = 0
    failed: int = 0
    held: int = 0  # records the safety net copied unchanged
    written: bool = False
    stopped_at: str | None = None  # "file:line" where --on-error stop ended the run
    error: str | None = None  # the file as a whole could not be processed


@dataclass(frozen=True)
class _ChunkTask:
    """A picklable ``chunk -> outcomes`` function carrying its settings."""

    name: str
    config: Config
    options: JsonlOptions

    def __call__(self, chunk: Chunk) -> list[RecordOutcome]:
        return clean_chunk(chunk, self.name, self.config, self.options)


def clean_stream(
    lines: Iterable[bytes],
    name: str,
    sink: Sink | None,
    config: Config,
    options: JsonlOptions,
    mode: Mode,
    workers: Workers,
    on_outcome: Callable[[FileOutcome], None],
    chunk_bytes: int = CHUNK_BYTES,
) -> JsonlSummary:
    """Clean every line of one input in order, writing to ``sink`` (None: write nothing).

    Each record goes to ``on_outcome`` as a ``FileOutcome`` named ``file:line``
    (with a diff in DIFF mode); the returned summary says whether the run stopped.
    """
    summary = JsonlSummary()
    task = _ChunkTask(name, config, options)
    results = ordered_map(task, chunk_lines(lines, chunk_bytes), workers)
    with contextlib.closing(results):  # a stop cancels the chunks still in flight
        for chunk, outcomes in results:
            if _take_chunk(chunk, outcomes, name, sink, options, mode, summary, on_outcome):
                break
    return summary


def _take_chunk(
    chunk: Chunk,
    outcomes: list[RecordOutcome],
    name: str,
    sink: Sink | None,
    options: JsonlOptions,
    mode: Mode,
    summary: JsonlSummary,
    on_outcome: Callable[[FileOutcome], None],
) -> bool:
    """Report and write one cleaned chunk; True if --on-error stop ends the run here."""
    for raw, outcome in zip(chunk.lines, outcomes, strict=True):
        where = f"{name}:{outcome.line}"
        if outcome.error is not None:
            summary.failed += 1
            on_outcome(FileOutcome(where, error=outcome.error))
            if options.on_error is OnError.STOP:
                summary.stopped_at = where
                return True
        elif outcome.result is not None:
            summary.records += 1
            result = outcome.result
            if outcome.held is not None:
                summary.held += 1
            elif result.changed:
                summary.changed += 1
            diff = (
                unified_diff(where, result.original, result.text)
                if mode is Mode.DIFF and result.changed and outcome.held is None
                else ""
            )
            written = sink is not None and outcome.held is None
            on_outcome(FileOutcome(where, result, "utf-8", diff=diff, written=written, held=outcome.held))
        if sink is not None:
            sink.write(outcome.output if outcome.output is not None else raw)
    return False


def output_path(source: Path, root: Path, output_dir: Path | None) -> Path:
    """Where the cleaned copy of ``source`` goes: beside itself, or mirrored under ``output_dir``."""
    if output_dir is None:
        return source
    relative = source.relative_to(root) if root != source else Path(source.name)
    return output_dir / relative


def clean_file(
    source: Path,
    target: Path | None,
    config: Config,
    options: JsonlOptions,
    mode: Mode,
    workers: Workers,
    on_outcome: Callable[[FileOutcome], None],
    chunk_bytes: int = CHUNK_BYTES,
) -> JsonlSummary:
    """Clean one .jsonl/.jsonl.gz file into ``target`` (None, or CHECK/DIFF mode: write nothing).

    The target is replaced atomically and only when the run was not stopped; a
    file cleaned in place that did not change is left untouched.
    """
    name = str(source)
    write = mode is Mode.FIX and target is not None
    in_place = target == source
    try:
        with open_lines(source) as reader:
            if not write:
                return clean_stream(
                    reader, name, None, config, options, mode, workers, on_outcome, chunk_bytes
                )
            assert target is not None
            target.parent.mkdir(parents=True, exist_ok=True)
            with atomic_writer(target) as pending:
                if is_gzip(target):
                    # mtime 0 and no file name in the header: the same input gives the same bytes.
                    with gzip.GzipFile(
                        filename="", mode="wb", fileobj=pending.handle, compresslevel=GZIP_LEVEL, mtime=0
                    ) as sink:
                        summary = clean_stream(
                            reader, name, sink, config, options, mode, workers, on_outcome, chunk_bytes
                        )
                else:
                    summary = clean_stream(
                        reader, name, pending.handle, config, options, mode, workers, on_outcome, chunk_bytes
                    )
                pending.discard = summary.stopped_at is not None or not (summary.changed or not in_place)
            summary.written = not pending.discard
            return summary
    except InputError as exc:
        return JsonlSummary(error=str(exc))
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        # A truncated or corrupt .gz, or a failed write: the target was not replaced.
        detail = getattr(exc, "strerror", None) or exc
        return JsonlSummary(error=f"{name}: cannot process: {detail}")
