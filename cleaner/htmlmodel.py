"""The learned block model of HTML extraction: which paragraphs of a page are its article.

The model is a small ensemble of gradient-boosted decision trees over the
features of ``cleaner.extract.FEATURES`` (a paragraph's text, tag and context,
the hand-written region choice, its neighbours and the page), trained by
``training/train_html.py`` (``make train-html``) on labelled pages and shipped
as ``htmlmodel.json`` beside this module. Inference is plain Python: each tree
becomes one nested conditional expression, compiled once per process, so
scoring a paragraph costs a few hundred comparisons and no dependency.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from cleaner.errors import CleanerError

MODEL_PATH = Path(__file__).with_name("htmlmodel.json")
FORMAT = 1


@dataclass(frozen=True)
class BlockModel:
    """A compiled tree ensemble: ``score(row)`` is the log-odds that a paragraph is article text."""

    features: tuple[str, ...]
    threshold: float
    score: Callable[[Sequence[float]], float]
    trees: int

    def keeps(self, row: Sequence[float]) -> bool:
        return self.score(row) >= self.threshold

    def probability(self, row: Sequence[float]) -> float:
        return 1.0 / (1.0 + math.exp(-self.score(row)))


def _tree_expression(tree: dict[str, list[Any]], node: int = 0) -> str:
    feature = int(tree["feature"][node])
    if feature < 0:
        return repr(float(tree["value"][node]))
    threshold = repr(float(tree["threshold"][node]))
    left = _tree_expression(tree, int(tree["left"][node]))
    right = _tree_expression(tree, int(tree["right"][node]))
    return f"({left} if x[{feature}] <= {threshold} else {right})"


def compile_model(spec: dict[str, Any], features: Sequence[str]) -> BlockModel:
    """A ``BlockModel`` from its JSON form, checked against the features the code computes."""
    if spec.get("format") != FORMAT:
        raise CleanerError(f"HTML block model: format {spec.get('format')!r}, expected {FORMAT}")
    names = tuple(spec["features"])
    if names != tuple(features):
        missing = sorted(set(names) ^ set(features))
        raise CleanerError(
            "HTML block model was trained on other features than the code computes "
            f"(differ: {', '.join(missing) or 'order'}); retrain it with `make train-html`"
        )
    terms = [repr(float(spec["base"]))] + [_tree_expression(tree) for tree in spec["trees"]]
    source = "def score(x):\n    return " + " + \\\n        ".join(terms) + "\n"
    namespace: dict[str, Any] = {}
    exec(compile(source, str(MODEL_PATH), "exec"), namespace)  # noqa: S102 - our own numbers, formatted above
    return BlockModel(names, float(spec["threshold"]), namespace["score"], len(spec["trees"]))


@cache
def load_model(path: Path = MODEL_PATH) -> BlockModel:
    """The shipped model (read and compiled once per process; it never changes while running)."""
    from cleaner.extract import FEATURES

    try:
        spec = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CleanerError(f"HTML block model {path} cannot be read ({exc}); reinstall cleaner") from None
    return compile_model(spec, FEATURES)
