"""One file through the pipeline: read, clean, then write, diff or only compare.

Nothing here prints; every outcome, good or bad, comes back as a ``FileOutcome``.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from cleaner.config import Config
from cleaner.errors import CleanerError
from cleaner.files import Input, Source, atomic_write, read_source
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

    @property
    def changed(self) -> bool:
        return self.result is not None and self.result.changed


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
    name: str, source: Source, result: CleanResult, mode: Mode, target: Path | None, durable: bool = True
) -> FileOutcome:
    """Act on one cleaned document according to ``mode``; ``target`` None = do not write."""
    diff = unified_diff(name, result.original, result.text) if mode is Mode.DIFF else ""
    written = False
    if mode is Mode.FIX and target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, source.encode(result.text), durable=durable)
        written = True
    return FileOutcome(name, result, source.encoding, diff=diff, written=written)


def process_file(item: Input, config: Config, mode: Mode, output_dir: Path | None) -> FileOutcome:
    name = str(item.path)
    try:
        source = read_source(item.path)
        result = clean_text(source.text, config)
        if output_dir is not None:
            target: Path | None = output_dir / item.relative
        else:
            target = item.path if result.changed else None
        # Copies under --output-dir are synced once at the end of the run (batch.clean_batch).
        return finish(name, source, result, mode, target, durable=output_dir is None)
    except CleanerError as exc:
        return FileOutcome(name, error=str(exc))
    except OSError as exc:
        return FileOutcome(name, error=f"{name}: cannot write: {exc.strerror or exc}")
