"""The order of the steps; the only place detectors are wired together."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from rapidfuzz import fuzz

from cleaner.blocks import Block, newline_count, render, separator, split_blocks, split_texts
from cleaner.config import Config
from cleaner.detectors import Decision, Detector
from cleaner.detectors.boilerplate import detect_boilerplate, phrase_key
from cleaner.detectors.duplicates import detect_duplicates
from cleaner.detectors.site import detect_site
from cleaner.encoding import decode, encode_stable
from cleaner.gcpause import paused_gc


@dataclass(frozen=True)
class CleanResult:
    """The cleaned text, and for every removed block the decision that removed it."""

    text: str
    original: str
    blocks: list[Block]
    decisions: list[Decision]

    @property
    def changed(self) -> bool:
        return self.text != self.original


def active_detectors(config: Config) -> list[Detector]:
    # Boilerplate first: a comment form repeated twice is furniture, not a repeat.
    detectors: list[Detector] = []
    if config.boilerplate:
        detectors.append(detect_boilerplate)
    if config.profile_keys:
        detectors.append(detect_site)
    if config.duplicates:
        detectors.append(detect_duplicates)
    return detectors


def _protected(blocks: list[Block], config: Config) -> set[int]:
    if not config.keep_phrases:
        return set()
    keep = {phrase_key(p) for p in config.keep_phrases}
    return {b.index for b in blocks if phrase_key(b.key) in keep}


# Passes over clean_text's own output (see _decisions_on_output); one is the
# rule, the bound only guards against a pathological document.
MAX_PASSES = 4


# Rounds of decide() before giving up on a fixpoint (each round only removes,
# so this is only a guard; two or three rounds are the rule).
MAX_ROUNDS = 10
# Detectors that judge each block on its own: removing other blocks never
# changes their verdict, so one run is enough. (The duplicate detector is not
# one of them, nor a fixpoint of itself: its template guard counts copies, and
# a removal changes the count.)
CONTEXT_FREE: frozenset[Detector] = frozenset({detect_site})


def decide(blocks: list[Block], config: Config) -> list[Decision]:
    """Run every active detector; each sees only the blocks still kept.

    Detectors that judge a block by its neighbours see new neighbours once
    blocks are removed, so the detectors run again on what is left until they
    remove nothing more: cleaning the output again then changes nothing.
    A detector is only run again when something it could react to was removed.
    """
    protected = _protected(blocks, config)
    decisions: dict[int, Decision] = {}
    detectors = active_detectors(config)
    removals = 0  # removals so far, by any detector
    seen_at: dict[Detector, int] = {}  # the removal count a detector's last verdict accounts for
    for round_number in range(MAX_ROUNDS):
        before_round = removals
        for detector in detectors:
            if round_number and (detector in CONTEXT_FREE or seen_at[detector] == removals):
                continue
            before_run = removals
            remaining = [b for b in blocks if b.index not in decisions]
            for decision in detector(remaining, config):
                if decision.block.index not in protected and decision.block.index not in decisions:
                    decisions[decision.block.index] = decision
                    removals += 1
            # A detector must look again at what its own removals changed.
            seen_at[detector] = removals if removals == before_run else before_run
        if removals == before_round:
            break
    return _name_kept_twins(blocks, sorted(decisions.values(), key=lambda d: d.block.index))


def _name_kept_twins(blocks: list[Block], decisions: list[Decision]) -> list[Decision]:
    """Every repeat names a block that is kept.

    A twin can go after the repeat was decided: as a repeat itself (then the
    chain is followed) or in a later round, to another detector (a duplicate's
    kept line turned out to be menu). Then the kept block that best contains
    the repeat's text is named instead.
    """
    gone = {d.block.index: d for d in decisions}
    if not any(d.twin is not None and d.twin.index in gone for d in decisions):
        return decisions
    kept = [b for b in blocks if b.index not in gone]
    named = []
    for decision in decisions:
        twin = decision.twin
        if twin is not None and twin.index in gone:
            seen: set[int] = set()
            while twin is not None and twin.index in gone and twin.index not in seen:
                seen.add(twin.index)
                twin = gone[twin.index].twin
            if twin is None or twin.index in gone:
                key = decision.block.key
                twin = max(kept, key=lambda b: fuzz.partial_ratio(key, b.key), default=None)
        named.append(Decision(decision.block, decision.rule, decision.score, twin))
    return named


def clean_text(text: str, config: Config | None = None, blocks: list[Block] | None = None) -> CleanResult:
    """Clean one document's text; see ``CleanResult``.

    ``blocks`` are the text's paragraphs when the caller already knows them
    (HTML extraction does, with DOM hints); by default the text is segmented.
    """
    config = config or Config()
    with paused_gc():  # a long document makes millions of objects and no cycles
        # Blocks given by the caller may be cut otherwise than the text would be.
        segmented = blocks is None
        if blocks is None:
            blocks = split_blocks(text)
        decisions = decide(blocks, config)
        output = render(text, blocks, {d.block.index for d in decisions})
        for _ in range(MAX_PASSES):
            later = _decisions_on_output(text if segmented else None, output, blocks, decisions, config)
            if not later:
                break
            decisions = sorted([*decisions, *later], key=lambda d: d.block.index)
            output = render(text, blocks, {d.block.index for d in decisions})
    return CleanResult(output, text, blocks, decisions)


def _decisions_on_output(
    text: str | None, output: str, blocks: list[Block], decisions: list[Decision], config: Config
) -> list[Decision]:
    """What cleaning the output again would remove, as decisions on the original blocks.

    Removing lines can change how the rest is segmented (two lines left of a
    menu now read as one wrapped paragraph), and the detectors then see other
    blocks than the ones ``decide`` settled. Cleaning must be idempotent (a
    pre-commit hook runs it on its own output), so the output is segmented
    again; where that differs, it is cleaned again and what goes is mapped back
    to the original blocks it covers. Kept blocks are original spans, so each
    block of the output lies over whole original blocks.

    ``text`` is the input when ``blocks`` are its own segmentation (then only
    the paragraphs that lost lines need segmenting again), else None.
    """
    removed = {d.block.index for d in decisions}
    kept = [b for b in blocks if b.index not in removed]
    if text is not None:
        unchanged = _segments_kept(text, blocks, removed)
    else:
        unchanged = split_texts(output) == [b.text for b in kept]
    if unchanged:
        return []  # same blocks: decide() has already found its fixpoint on them
    again = split_blocks(output)
    more = decide(again, config)
    if not more:
        return []
    starts: list[int] = []
    position = 0
    for block in kept:
        position = output.index(block.text, position)
        starts.append(position)
        position += len(block.text)

    def covered(start: int, end: int) -> list[Block]:
        first = max(bisect.bisect_right(starts, start) - 1, 0)
        return [
            kept[i]
            for i in range(first, len(kept))
            if starts[i] < end and starts[i] + len(kept[i].text) > start
        ]

    going = {b.index for d in more for b in covered(d.block.start, d.block.end)}
    mapped: dict[int, Decision] = {}
    for decision in more:
        twin = decision.twin
        # A repeat names the kept original block under its twin (the longest, if several).
        twins = [b for b in covered(twin.start, twin.end) if b.index not in going] if twin else []
        named = max(twins, key=lambda b: len(b.text), default=None)
        for block in covered(decision.block.start, decision.block.end):
            mapped.setdefault(block.index, Decision(block, decision.rule, decision.score, named))
    return list(mapped.values())


def _segments_kept(text: str, blocks: list[Block], removed: set[int]) -> bool:
    """Whether the rendered output of ``text`` segments into exactly the kept blocks.

    Segmentation works one blank-line paragraph at a time, and rendering
    keeps a blank line wherever one stood between two kept blocks, so only a
    paragraph that lost some of its lines can segment differently: those are
    segmented again (the rest of a long document is not).
    """
    if not removed:
        return True
    group: list[Block] = []
    for position, block in enumerate(blocks):
        if group and newline_count(text[blocks[position - 1].end : block.start]) > 1:
            if not _group_kept(text, blocks, group, removed):
                return False
            group = []
        group.append(block)
    return _group_kept(text, blocks, group, removed)


def _group_kept(text: str, blocks: list[Block], group: list[Block], removed: set[int]) -> bool:
    """``_segments_kept`` for the blocks of one blank-line paragraph of ``text``."""
    kept = [b for b in group if b.index not in removed]
    if len(kept) == len(group) or not kept:
        return True  # whole, or gone: nothing of it is segmented anew
    parts = [kept[0].text]
    for previous, block in zip(kept, kept[1:], strict=False):
        parts.append(separator(text, blocks, previous, block))
        parts.append(block.text)
    return split_texts("".join(parts)) == [b.text for b in kept]


def clean_bytes(data: bytes, config: Config | None = None) -> bytes:
    """Clean one document given as bytes; the result is in the input's own encoding and newlines.

    Raises BinaryFileError or DecodeError (both InputError) for data that is
    binary or whose encoding cannot be told. If the cleaned bytes would not
    read back as the cleaned text (see ``encode_stable``), ``data`` is returned
    unchanged: when unsure, keep.
    """
    source = decode(data, "<bytes>")
    result = clean_text(source.text, config)
    if not result.changed:
        return data
    cleaned = encode_stable(source, result.text)
    return data if cleaned is None else cleaned
