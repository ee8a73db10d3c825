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
class Outcome:
    """What a run shows and counts of one input (a file, a JSONL file, a record): small,
    so a worker process can send it back instead of the text."""

    name: str
    changed: bool = False  # cleaned (or would be), and not held back or failed
    error: str | None = None
    held: str | None = None  # why the safety net left it unchanged (counts as failed)
    encoding: str | None = None  # which encoding the file was read in
    # (rule, blocks, chars, bytes) removed, one entry per rule
    removed: tuple[tuple[str, int, int, int], ...] = ()
    record: dict[str, Any] | None = None  # for the JSON report, when one was asked for
    notes: tuple[str, ...] = ()  # one line per removal (-vv)
    diff: str = ""
    text: bytes | None = None  # --stdout: the cleaned file in its own encoding

    @property
    def failed(self) -> bool:
        return self.error is not None or self.held is not None


def summarise(
    outcome: FileOutcome, keep_record: bool = False, notes: bool = False, keep_text: bool = False
) -> Outcome:
    """``outcome`` reduced to what is shown and counted (the text only with ``keep_text``)."""
    per_rule: dict[str, list[int]] = {}
    held = outcome.held is not None
    result = outcome.result
    if result is not None and not held:
        encoding = outcome.source.encoding if outcome.source is not None else "utf-8"
        for decision in result.decisions:
            counts = per_rule.setdefault(decision.rule, [0, 0, 0])
            counts[0] += 1
            counts[1] += len(decision.block.text)
            counts[2] += len(decision.block.text.encode(encoding, errors="replace"))
    text = None
    if keep_text and result is not None and outcome.source is not None:
        text = outcome.source.encode(result.text if outcome.held is None else result.original)
    described = notes and outcome.changed and result is not None
    return Outcome(
        outcome.name,
        changed=outcome.error is None and not held and outcome.changed,
        error=outcome.error,
        held=outcome.held,
        encoding=outcome.encoding,
        removed=tuple((rule, c[0], c[1], c[2]) for rule, c in sorted(per_rule.items())),
        record=file_record(outcome) if keep_record else None,
        notes=tuple(describe(d) for d in result.decisions) if described and result else (),
        diff=outcome.diff,
        text=text,
    )


@dataclass
class Counts:
    """Seen / changed / failed / held back, for one kind of input (files, or JSONL records)."""

    seen: int = 0
    changed: int = 0
    failed: int = 0
    held: int = 0  # left unchanged by the safety net (also counted as failed)

    def add(self, counted: Outcome) -> None:
        self.seen += 1
        self.failed += counted.failed
        self.held += counted.held is not None
        self.changed += counted.changed and not counted.failed

    def as_json(self) -> dict[str, int]:
        return {"seen": self.seen, "changed": self.changed, "failed": self.failed, "held": self.held}


@dataclass
class Report:
    """Owns the counters of a run and, from them, its exit code and its summary."""

    mode: Mode
    # Per-file records (every decision, with text) are kept only when a JSON
    # report was asked for: a batch of a million files must not hold them all.
    keep_records: bool = False
    # `--exit-non-zero-on-fix` (the pre-commit hook): a run that fixed a file exits 1.
    fail_on_fix: bool = False
    files: Counts = field(default_factory=Counts)
    records: Counts = field(default_factory=Counts)
    # Files passed over, by reason; those in ``failing_skips`` also fail the run.
    skipped: Counter[str] = field(default_factory=Counter)
    failing_skips: set[str] = field(default_factory=set)
    removed_blocks: Counter[str] = field(default_factory=Counter)
    removed_chars: Counter[str] = field(default_factory=Counter)
    removed_bytes: Counter[str] = field(default_factory=Counter)
    entries: list[dict[str, Any]] = field(default_factory=list)

    def add(self, counted: Outcome, record: bool = False) -> None:
        """One input's outcome; a JSONL ``record`` (named ``file:line``) is counted apart from files."""
        (self.records if record else self.files).add(counted)
        for rule, blocks, chars, size in counted.removed:
            self.removed_blocks[rule] += blocks
            self.removed_chars[rule] += chars
            self.removed_bytes[rule] += size
        if self.keep_records and counted.record is not None:
            self.entries.append(counted.record)

    def fail(self, message: str) -> None:
        """A problem found before any file could be read (a missing path, an empty folder)."""
        self.files.seen += 1
        self.files.failed += 1
        if self.keep_records:
            self.entries.append({"error": message})

    def skip(self, counts: Counter[str], failing: bool = False) -> None:
        self.skipped.update(counts)
        if failing:
            self.failing_skips.update(counts)

    @property
    def exit_code(self) -> int:
        failed = self.files.failed + self.records.failed + sum(self.skipped[r] for r in self.failing_skips)
        changed = self.files.changed + self.records.changed
        if failed:
            return EXIT_FAILED
        if changed and (self.mode is not Mode.FIX or self.fail_on_fix):
            return EXIT_CHANGES
        return EXIT_OK

    def summary(self, per_rule: bool = False) -> str:
        """A few lines whatever the run's size: files, records, removals, what was skipped."""
        verb = "changed" if self.mode is Mode.FIX else "would change"
        lines = [_counted(self.files, "file", verb)]
        if self.records.seen or self.records.failed:
            lines.append(_counted(self.records, "JSONL record", verb))
        blocks = sum(self.removed_blocks.values())
        if blocks:
            removed = "removed" if self.mode is Mode.FIX else "would remove"
            lines.append(f"{removed} {blocks} block(s), {sum(self.removed_bytes.values())} bytes")
            if per_rule:
                for rule, count in sorted(self.removed_blocks.items()):
                    lines.append(f"  {rule}: {count} block(s), {self.removed_bytes[rule]} bytes")
        if self.skipped:
            reasons = ", ".join(f"{n} {reason}" for reason, n in sorted(self.skipped.items()))
            lines.append(f"skipped {sum(self.skipped.values())} file(s): {reasons}")
        return "\n".join(lines)

    def json_bytes(self) -> bytes:
        import json  # not needed by a hook run without --report: keep start-up short

        text = json.dumps(self.as_json(), ensure_ascii=False, indent=2) + "\n"
        # Undecodable bytes and odd file names are lone surrogates: written as \udcXX, their JSON escape.
        return text.encode("utf-8", "backslashreplace")

    def as_json(self) -> dict[str, Any]:
        return {
            "files": self.entries,
            "summary": {
                **self.files.as_json(),
                "records": self.records.as_json(),
                "skipped": dict(sorted(self.skipped.items())),
                "removed": dict(sorted(self.removed_blocks.items())),
                "removed_bytes": dict(sorted(self.removed_bytes.items())),
            },
        }


def _counted(counts: Counts, noun: str, verb: str) -> str:
    line = f"{counts.seen} {noun}(s) seen, {counts.changed} {verb}, {counts.failed} failed"
    if counts.held:
        line += f" ({counts.held} held back, left unchanged)"
    return line
