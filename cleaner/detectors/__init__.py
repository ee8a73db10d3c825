"""Detectors look at blocks and return decisions; they never edit text.

Every detector has the one signature ``(blocks, config) -> list[Decision]``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from cleaner.blocks import Block
from cleaner.config import Config


@dataclass(frozen=True)
class Decision:
    """Why one block is removed: the rule, its score (0-100), and for a repeat the block kept."""

    block: Block
    rule: str
    score: float
    twin: Block | None = None


Detector = Callable[[Sequence[Block], Config], list[Decision]]
