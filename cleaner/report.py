"""Counting outcomes, the exit code, and the text/JSON renderings of decisions."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from cleaner.detectors import Decision
from cleaner.runner import FileOutcome, Mode

EXIT_OK = 0
EXIT_CHANGES = 1
EXIT_USAGE = 2
EXIT_FAILED = 123


def exit_code(mode: Mode, changed: int, failed: int) -> int:
    """123 if any file failed, else 1 if --check/--diff found changes, else 0."""
    if failed:
        return EXIT_FAILED
    if mode is not Mode.FIX and changed:
        return EXIT_CHANGES
    return EXIT_OK


def decision_record(decision: Decision) -> dict[str, Any]:
    block = decision.block
    record: dict[str, Any] = {
        "block": block.index,
        "lines": [block.first_line, block.last_line],
        "rule": decision.rule,
        "score": decision.score,
        "text": block.text,
    }
    if decision.twin is not None:
        twin = decision.twin
        record["twin"] = {"block": twin.index, "lines": [twin.first_line, twin.last_line], "text": twin.text}
    return record


def file_record(outcome: FileOutcome) -> dict[str, Any]:
    record: dict[str, Any] = {"path": outcome.name}
    if outcome.error is not None:
        record["error"] = outcome.error
        return record
    assert outcome.result is not None
    record["encoding"] = outcome.encoding
    record["changed"] = outcome.changed
    if outcome.held is not None:
        # "removed" then lists what would have gone; nothing did.
        record["held"] = outcome.held
    record["removed"] = [decision_record(d) for d in outcome.result.decisions]
    return record


def describe(decision: Decision) -> str:
    """One line a person can read: where, which rule, how sure, what it repeats."""
    block = decision.block
    where = (
        f"line {block.first_line}"
        if block.first_line == block.last_line
        else (f"lines {block.first_line}-{block.last_line}")
    )
    twin = ""
    if decision.twin is not None:
        twin = f" of line {decision.twin.first_line}"
    preview = " ".join(block.text.split())
    if len(preview) > 60:
        preview = preview[:57] + "..."
    return f"{where}: {decision.rule}{twin} ({decision.score:g}) {preview!r}"


@dataclass(frozen=True)
class Tally:
    """What a ``Report`` counts of one file: small, so a worker process can send it back."""

    changed: bool = False
    failed: bool = False
    held: bool = False  # the safety net left the file unchanged (counts as failed)
    # (rule, blocks, chars, bytes) removed, one entry per rule
    removed: tuple[tuple[str, int, int, int], ...] = ()
    record: dict[str, Any] | None = None


def tally(outcome: FileOutcome, keep_record: bool = False) -> Tally:
    per_rule: dict[str, list[int]] = {}
    held = outcome.held is not None
    if outcome.result is not None and not held:
        encoding = outcome.source.encoding if outcome.source is not None else "utf-8"
        for decision in outcome.result.decisions:
            counts = per_rule.setdefault(decision.rule, [0, 0, 0])
            counts[0] += 1
            counts[1] += len(decision.block.text)
            counts[2] += len(decision.block.text.encode(encoding, errors="replace"))
    return Tally(
        changed=outcome.error is None and not held and outcome.changed,
        failed=outcome.error is not None or held,
        held=held,
        removed=tuple((rule, c[0], c[1], c[2]) for rule, c in sorted(per_rule.items())),
        record=file_record(outcome) if keep_record else None,
    )


@dataclass
class Report:
    """Owns the counters of a run and, from them, its exit code."""

    mode: Mode
    # Per-file records (every decision, with text) are kept only when a JSON
    # report was asked for: a batch of a million files must not hold them all.
    keep_records: bool = False
    seen: int = 0
    changed: int = 0
    failed: int = 0
    # Files the safety net left unchanged (they count as failed for the exit code).
    held: int = 0
    removed_blocks: Counter[str] = field(default_factory=Counter)
    removed_chars: Counter[str] = field(default_factory=Counter)
    removed_bytes: Counter[str] = field(default_factory=Counter)
    records: list[dict[str, Any]] = field(default_factory=list)

    def add(self, outcome: FileOutcome) -> None:
        self.add_tally(tally(outcome, self.keep_records))

    def add_tally(self, counted: Tally) -> None:
        self.seen += 1
        self.failed += counted.failed
        self.held += counted.held
        self.changed += counted.changed and not counted.failed
        for rule, blocks, chars, size in counted.removed:
            self.removed_blocks[rule] += blocks
            self.removed_chars[rule] += chars
            self.removed_bytes[rule] += size
        if self.keep_records and counted.record is not None:
            self.records.append(counted.record)

    def fail(self, message: str) -> None:
        """A problem found before any file could be read (a missing path, an empty folder)."""
        self.seen += 1
        self.failed += 1
        if self.keep_records:
            self.records.append({"error": message})

    @property
    def exit_code(self) -> int:
        return exit_code(self.mode, self.changed, self.failed)

    def summary(self) -> str:
        verb = "changed" if self.mode is Mode.FIX else "would change"
        parts = [f"{self.seen} file(s) seen, {self.changed} {verb}, {self.failed} failed"]
        if self.held:
            parts[0] += f" ({self.held} held back, left unchanged)"
        for rule, count in sorted(self.removed_blocks.items()):
            parts.append(f"  {rule}: {count} block(s), {self.removed_bytes[rule]} bytes")
        return "\n".join(parts)

    def as_json(self) -> dict[str, Any]:
        return {
            "files": self.records,
            "summary": {
                "seen": self.seen,
                "changed": self.changed,
                "failed": self.failed,
                "held": self.held,
                "removed": dict(sorted(self.removed_blocks.items())),
                "removed_bytes": dict(sorted(self.removed_bytes.items())),
            },
        }
