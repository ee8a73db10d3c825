"""`cleaner explain`: a document with every removed block marked, and why it went.

Three renderings of one view: plain text (for pipes and logs), the same with
ANSI colour and strike-through (for a terminal), and one self-contained HTML
page (inline CSS, no script, no external asset) with a per-rule summary on top.
Each removed block carries its rule, score and, for a repeat, the line of the
block it repeats. Nothing here prints; the renderers return strings.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cleaner.blocks import Block
from cleaner.config import Config
from cleaner.detectors import Decision
from cleaner.errors import CleanerError, InputError
from cleaner.files import Input
from cleaner.pipeline import CleanResult
from cleaner.runner import read_and_clean

STRIKE = "\x1b[9;31m"
NOTE = "\x1b[33m"
DIM = "\x1b[2m"
RESET = "\x1b[0m"


@dataclass(frozen=True)
class Explained:
    """One cleaned document to show: its name and the full result."""

    name: str
    result: CleanResult

    def decision_of(self) -> dict[int, Decision]:
        return {d.block.index: d for d in self.result.decisions}


def rule_summary(documents: Sequence[Explained]) -> list[tuple[str, int, int]]:
    """(rule, blocks, characters) removed over ``documents``, by rule name."""
    counts: dict[str, list[int]] = {}
    for document in documents:
        for decision in document.result.decisions:
            entry = counts.setdefault(decision.rule, [0, 0])
            entry[0] += 1
            entry[1] += len(decision.block.text)
    return [(rule, blocks, chars) for rule, (blocks, chars) in sorted(counts.items())]


def why(decision: Decision) -> str:
    """The reason for one removal in words: rule, score, and the twin's line and start."""
    text = f"{decision.rule} ({decision.score:g})"
    if decision.twin is not None:
        text += f", repeats line {decision.twin.first_line}: {_preview(decision.twin.text)!r}"
    return text


def _preview(text: str, width: int = 50) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 3] + "..."


def _gap_before(blocks: list[Block], position: int) -> bool:
    return position > 0 and blocks[position].first_line > blocks[position - 1].last_line + 1


def render_text(documents: Sequence[Explained], color: bool = False) -> str:
    """The terminal view (``color``) or the plain one: line numbers, removed lines marked '-'."""
    out: list[str] = []
    for document in documents:
        decisions = document.decision_of()
        blocks = document.result.blocks
        header = f"== {document.name}: {len(decisions)} of {len(blocks)} block(s) removed =="
        out.append(f"{DIM}{header}{RESET}" if color else header)
        width = len(str(blocks[-1].last_line)) if blocks else 1
        for position, block in enumerate(blocks):
            if _gap_before(blocks, position):
                out.append("")
            decision = decisions.get(block.index)
            for offset, line in enumerate(block.text.splitlines()):
                number = str(block.first_line + offset).rjust(width)
                if decision is None:
                    out.append(f"{DIM}  {number} |{RESET} {line}" if color else f"  {number} | {line}")
                elif color:
                    out.append(f"{DIM}- {number} |{RESET} {STRIKE}{line}{RESET}")
                else:
                    out.append(f"- {number} | {line}")
            if decision is not None:
                note = f"{' ' * (width + 3)}^ {why(decision)}"
                out.append(f"{NOTE}{note}{RESET}" if color else note)
        out.append("")
    summary = rule_summary(documents)
    if summary:
        out.append("removed: " + ", ".join(f"{rule} {blocks}" for rule, blocks, _ in summary))
    else:
        out.append("removed: nothing")
    return "\n".join(out) + "\n"


_CSS = """
body{font:15px/1.5 system-ui,sans-serif;margin:2em auto;max-width:60em;padding:0 1em;color:#222}
h1{font-size:1.3em}h2{font-size:1.1em;margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse}td,th{padding:.2em .8em;border-bottom:1px solid #ddd;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.block{display:flex;gap:.8em;white-space:pre-wrap;font-family:ui-monospace,monospace;font-size:13px}
.gap{height:.8em}.ln{color:#999;min-width:3em;text-align:right;user-select:none}
.removed{background:#fff0f0}.removed del{color:#a00}
.why{color:#7a5b00;font-family:system-ui,sans-serif;font-size:12px;margin:0 0 .3em 3.8em}
.why a{color:inherit}
"""


def render_html(documents: Sequence[Explained], title: str = "cleaner explain") -> str:
    """One self-contained page: per-rule summary, then each document with its removals marked."""
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{esc(title)}</h1>",
    ]
    removed = sum(len(d.result.decisions) for d in documents)
    total = sum(len(d.result.blocks) for d in documents)
    parts.append(f"<p>{len(documents)} file(s), {removed} of {total} block(s) removed.</p>")
    summary = rule_summary(documents)
    if summary:
        parts.append('<table class="summary"><tr><th>rule</th><th>blocks</th><th>characters</th></tr>')
        for rule, count, chars in summary:
            parts.append(f'<tr><td>{esc(rule)}</td><td class="n">{count}</td><td class="n">{chars}</td></tr>')
        parts.append("</table>")
    for number, document in enumerate(documents):
        parts.append(f"<h2>{esc(document.name)}</h2>")
        decisions = document.decision_of()
        blocks = document.result.blocks
        for position, block in enumerate(blocks):
            if _gap_before(blocks, position):
                parts.append('<div class="gap"></div>')
            anchor = f"f{number}-L{block.first_line}"
            decision = decisions.get(block.index)
            text = esc(block.text.replace("\r\n", "\n").replace("\r", "\n"))
            lines = (
                str(block.first_line)
                if block.first_line == block.last_line
                else f"{block.first_line}-{block.last_line}"
            )
            if decision is None:
                parts.append(
                    f'<div class="block kept" id="{anchor}">'
                    f'<span class="ln">{lines}</span><span>{text}</span></div>'
                )
                continue
            parts.append(
                f'<div class="block removed" id="{anchor}" data-rule="{esc(decision.rule)}">'
                f'<span class="ln">{lines}</span><del>{text}</del></div>'
            )
            reason = f"{esc(decision.rule)} ({decision.score:g})"
            if decision.twin is not None:
                twin = decision.twin.first_line
                reason += f', repeats <a href="#f{number}-L{twin}">line {twin}</a>'
            parts.append(f'<div class="why">{reason}</div>')
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


__all__ = ["Explained", "render_html", "render_text", "rule_summary", "why"]


def explain_inputs(
    items: Iterable[Input | InputError], config: Config
) -> tuple[list[Explained], list[CleanerError]]:
    """Each input cleaned as `clean` would (an HTML page: its article text), and the problems met."""
    documents: list[Explained] = []
    problems: list[CleanerError] = []
    for item in items:
        try:
            if isinstance(item, InputError):
                raise item
            documents.append(Explained(str(item.path), read_and_clean(item, config)[1]))
        except CleanerError as exc:
            problems.append(exc)
    return documents, problems
