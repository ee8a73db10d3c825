"""Train the HTML block model (cleaner/htmlmodel.json) from labelled pages: `make train-html`.

Reads the evaluation pages beside the project (../shared/eval: the dev pages and
web/ pages, each with its true article text) and never copies them anywhere:
the only output is the model file (and, with --cache, a feature cache outside
the repository).

1. Every page is cut into candidate paragraphs by ``cleaner.extract.candidates``
   (the same code the CLI runs), each with its row of ``FEATURES``.
2. A paragraph's label is how much of it the true text holds: the share of its
   4-token shingles found in the truth (for paragraphs of 1-3 tokens: whether
   they occur in it as a phrase). Share >= 0.5 is article.
3. Gradient-boosted trees (scikit-learn) learn the label; each page weighs the
   same in total, split over its paragraphs by their length, as the page-level
   F1 does.
4. The decision threshold is the one with the best mean page F1 on the
   training pages; the report shows held-out and cross-source figures:
   train on dragnet -> score CleanEval, the reverse, and a held-out fifth of
   the pages (by a hash of the page id).

Needs the `train` extra: pip install -e '.[train]'.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib.util
import json
import pickle
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier

from cleaner.extract import FALLBACK_MIN_WORDS, FEATURES, candidates, fallback
from cleaner.html import decode_html, parse_html
from cleaner.htmlmodel import FORMAT, MODEL_PATH, compile_model

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
LABEL_SHARE = 0.5
PAGE_WEIGHT = 100.0


def load_scorer(folder: Path):
    spec = importlib.util.spec_from_file_location("eval_run", folder / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pages(folder: Path):
    """(id, source, html bytes, truth text) of every dev and web page."""
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    for page_id in sorted(truth):
        data = gzip.decompress((folder / "pages" / f"{page_id}.html.gz").read_bytes())
        yield page_id, "dev", data, truth[page_id]["articleBody"]
    web = json.loads(gzip.decompress((folder / "web" / "truth.json.gz").read_bytes()))
    for page_id in sorted(web):
        data = gzip.decompress((folder / "web" / "pages" / f"{page_id}.html.gz").read_bytes())
        yield page_id, web[page_id]["source"], data, web[page_id]["articleBody"]


def label(tokens: list[str], truth_shingles: set, truth_phrases: set) -> float:
    if len(tokens) >= 4:
        grams = [tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3)]
        return sum(1 for g in grams if g in truth_shingles) / len(grams)
    return float(tuple(tokens) in truth_phrases) if tokens else 0.0


def build(folder: Path, scorer) -> list[dict]:
    """One record per page: features, labels, weights, paragraph texts and word counts."""
    records = []
    started = time.time()
    for count, (page_id, source, data, truth) in enumerate(pages(folder), 1):
        text, _ = decode_html(data)
        root, _ = parse_html(text)
        paragraphs, rows = candidates(root)
        truth_tokens = scorer.tokenize(truth)
        shingles = {tuple(truth_tokens[i : i + 4]) for i in range(len(truth_tokens) - 3)}
        phrases = {tuple(truth_tokens[i : i + n]) for n in (1, 2, 3) for i in range(len(truth_tokens) - n + 1)}
        tokens = [scorer.tokenize(p.text) for p in paragraphs]
        labels = [label(t, shingles, phrases) for t in tokens]
        sizes = np.array([max(1, len(t)) for t in tokens], dtype=float)
        records.append(
            {
                "id": page_id,
                "source": source,
                "truth": truth,
                "x": np.array(rows, dtype=np.float32).reshape(len(rows), len(FEATURES)),
                "y": np.array(labels) >= LABEL_SHARE,
                "w": PAGE_WEIGHT * sizes / sizes.sum() if len(sizes) else sizes,
                "texts": [p.text for p in paragraphs],
                "debris": [p.is_debris for p in paragraphs],
            }
        )
        if count % 200 == 0:
            print(f"  {count} pages, {time.time() - started:.0f} s", file=sys.stderr)
    return records


def held_out(page_id: str) -> bool:
    return int(hashlib.sha1(page_id.encode()).hexdigest(), 16) % 5 == 0


def fit(records: list[dict], args) -> HistGradientBoostingClassifier:
    x = np.concatenate([r["x"] for r in records])
    y = np.concatenate([r["y"] for r in records])
    w = np.concatenate([r["w"] * (args.dev_weight if r["source"] == "dev" else 1.0) for r in records])
    model = HistGradientBoostingClassifier(
        max_iter=args.trees,
        max_depth=args.depth,
        max_leaf_nodes=2**args.depth,
        learning_rate=args.rate,
        min_samples_leaf=40,
        l2_regularization=1.0,
        early_stopping=False,
        random_state=13,
    )
    model.fit(x, y, sample_weight=w)
    return model


class _Paragraph:
    """What ``fallback`` looks at, rebuilt from a record."""

    def __init__(self, text: str, debris: bool) -> None:
        self.text, self.is_debris = text, debris


def page_outputs(record: dict, scores: np.ndarray, threshold: float) -> str:
    paragraphs = [_Paragraph(t, d) for t, d in zip(record["texts"], record["debris"], strict=True)]
    kept = [p for p, s in zip(paragraphs, scores, strict=True) if s >= threshold]
    if sum(len(p.text.split()) for p in kept) < FALLBACK_MIN_WORDS:
        kept = fallback(paragraphs, kept)
    return "\n\n".join(p.text for p in kept)


def raw_scores(model: HistGradientBoostingClassifier, records: list[dict]) -> list[np.ndarray]:
    return [model.decision_function(r["x"]) if len(r["x"]) else np.zeros(0) for r in records]


def evaluate(records, scores, threshold, scorer) -> dict[str, tuple[float, float, float, int]]:
    """F1, P, R and empty outputs per source (and "all") at ``threshold``."""
    by_source: dict[str, list] = {}
    empty: dict[str, int] = {}
    for record, s in zip(records, scores, strict=True):
        output = page_outputs(record, s, threshold)
        for key in (record["source"], "all"):
            by_source.setdefault(key, []).append(scorer.tp_fp_fn(record["truth"], output))
            empty[key] = empty.get(key, 0) + (not output.strip())
    return {k: (*scorer.prf(v), empty[k]) for k, v in by_source.items()}


def best_threshold(records, scores, scorer) -> float:
    grid = np.arange(-1.0, 1.01, 0.25)
    results = [(evaluate(records, scores, t, scorer)["all"][0], t) for t in grid]
    return max(results)[1]


def show(name: str, result: dict) -> None:
    parts = [f"{k} F1 {v[0]:.3f} P {v[1]:.3f} R {v[2]:.3f} empty {v[3]}" for k, v in sorted(result.items())]
    print(f"{name}:\n    " + "\n    ".join(parts))


def export(model: HistGradientBoostingClassifier, threshold: float, path: Path) -> dict:
    trees = []
    for (predictor,) in model._predictors:
        nodes = predictor.nodes
        leaf = nodes["is_leaf"].astype(bool)
        trees.append(
            {
                "feature": [-1 if is_leaf else int(f) for f, is_leaf in zip(nodes["feature_idx"], leaf)],
                "threshold": [float(t) for t in nodes["num_threshold"]],
                "left": [int(c) for c in nodes["left"]],
                "right": [int(c) for c in nodes["right"]],
                "value": [round(float(v), 6) for v in nodes["value"]],
            }
        )
    spec = {
        "format": FORMAT,
        "kind": "gradient-boosted decision trees (log-odds); keep a paragraph when score >= threshold",
        "trained_on": "../shared/eval dev + web pages (make train-html)",
        "features": list(FEATURES),
        "base": round(float(np.ravel(model._baseline_prediction)[0]), 6),
        "threshold": float(threshold),
        "trees": trees,
    }
    path.write_text(json.dumps(spec, separators=(",", ":")) + "\n", encoding="utf-8")
    return spec


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--eval", type=Path, default=EVAL, help="the evaluation folder (default ../shared/eval)")
    parser.add_argument("--cache", type=Path, help="feature cache (outside the repo); rebuilt when missing")
    parser.add_argument("--output", type=Path, default=MODEL_PATH)
    parser.add_argument("--trees", type=int, default=120)
    parser.add_argument("--depth", type=int, default=3)
    parser.add_argument("--rate", type=float, default=0.15)
    parser.add_argument("--dev-weight", type=float, default=3.0,
                        help="weight of a dev page against a web page (the dev pages are few, and like the pages"
                        " the tool is mostly run on: news and blog articles of many sites)")
    parser.add_argument("--no-checks", action="store_true", help="skip the cross-source and held-out figures")
    args = parser.parse_args(argv)
    scorer = load_scorer(args.eval)
    if args.cache and args.cache.exists():
        records = pickle.loads(args.cache.read_bytes())
    else:
        records = build(args.eval, scorer)
        if args.cache:
            args.cache.write_bytes(pickle.dumps(records))
    print(f"{len(records)} pages, {sum(len(r['x']) for r in records)} paragraphs, {len(FEATURES)} features")
    if not args.no_checks:
        checks = [
            ("train dragnet -> score cleaneval", lambda r: r["source"] == "dragnet", lambda r: r["source"] == "cleaneval"),
            ("train cleaneval -> score dragnet", lambda r: r["source"] == "cleaneval", lambda r: r["source"] == "dragnet"),
            ("train 4/5 (all sources) -> score held-out 1/5", lambda r: not held_out(r["id"]), lambda r: held_out(r["id"])),
        ]
        for name, train_on, score_on in checks:
            train = [r for r in records if train_on(r)]
            test = [r for r in records if score_on(r)]
            model = fit(train, args)
            threshold = best_threshold(train, raw_scores(model, train), scorer)
            show(f"{name} (threshold {threshold:+.2f})", evaluate(test, raw_scores(model, test), threshold, scorer))
    model = fit(records, args)
    threshold = best_threshold(records, raw_scores(model, records), scorer)
    show(f"shipped model on its own training pages (threshold {threshold:+.2f})",
         evaluate(records, raw_scores(model, records), threshold, scorer))
    spec = export(model, threshold, args.output)
    compiled = compile_model(spec, FEATURES)
    sample = np.concatenate([r["x"] for r in records[:50]])
    gap = max(abs(compiled.score(list(map(float, row))) - raw) for row, raw in zip(sample, model.decision_function(sample)))
    assert gap < 1e-3, f"the exported model scores {gap} away from scikit-learn's"
    print(f"wrote {args.output} ({args.output.stat().st_size / 1024:.0f} KB, {len(spec['trees'])} trees)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
