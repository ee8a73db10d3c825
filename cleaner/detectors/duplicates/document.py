"""Per-call working state of the duplicate detector: one document's blocks, keys and facts.

What a run finds out about one block is kept in ``Block.memo``: ``decide``
runs the detector again on the blocks still kept, and a block's key, index
terms, skeleton and facts depend on its own text only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from cleaner.blocks import Block
from cleaner.config import Config
from cleaner.normalize import comparison_key, names_of, numbers_of, skeleton_key

RULE_EXACT = "duplicate:exact"
RULE_NEAR = "duplicate:near"
RULE_CONTAINED = "duplicate:contained"
RULE_SPLIT = "duplicate:split"
RULE_BLOCK = "duplicate:block"
RULE_TEASER = "duplicate:teaser"


MEMO_KEY = "duplicates:key"
MEMO_TERMS = "duplicates:terms"
MEMO_SKELETON = "duplicates:skeleton"
MEMO_FACTS = "duplicates:facts"


def block_comparison_key(block: Block) -> str:
    key: str | None = block.memo.get(MEMO_KEY)
    if key is None:
        key = block.memo[MEMO_KEY] = comparison_key(block.key)
    return key


def block_skeleton(block: Block) -> str:
    skeleton: str | None = block.memo.get(MEMO_SKELETON)
    if skeleton is None:
        skeleton = block.memo[MEMO_SKELETON] = skeleton_key(block.text)
    return skeleton


@dataclass(frozen=True)
class Link:
    """Block ``copy`` goes because it repeats block ``twin`` (positions in the sequence)."""

    copy: int
    twin: int
    rule: str
    score: float


@dataclass
class Document:
    """Per-call working state: keys, facts and template marks of one document's blocks."""

    blocks: Sequence[Block]
    config: Config
    keys: list[str] = field(default_factory=list)  # computed from the blocks unless given

    def __post_init__(self) -> None:
        if not self.keys:
            self.keys = list(map(block_comparison_key, self.blocks))

    def facts(self, position: int) -> tuple[Counter[str], Counter[str]]:
        block = self.blocks[position]
        found: tuple[Counter[str], Counter[str]] | None = block.memo.get(MEMO_FACTS)
        if found is None:
            text = block.text
            found = block.memo[MEMO_FACTS] = (Counter(numbers_of(text)), Counter(names_of(text)))
        return found

    def same_facts(self, small: int, large: int, *, both_ways: bool) -> bool:
        """Numbers and names of ``small`` all occur in ``large`` (as often), and back if ``both_ways``."""
        numbers_s, names_s = self.facts(small)
        numbers_l, names_l = self.facts(large)
        if numbers_s - numbers_l or names_s - names_l:
            return False
        return not both_ways or not (numbers_l - numbers_s or names_l - names_s)
