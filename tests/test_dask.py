"""cleaner.dask on a real dask.distributed LocalCluster (2 worker processes): same results as one process."""

from __future__ import annotations

import gzip
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import dask.bag as db
import dask.dataframe as dd
import pandas as pd
import pytest
from distributed import Client, LocalCluster
from typer.testing import CliRunner

from cleaner.cli import app
from cleaner.config import Config
from cleaner.dask import clean_bag, clean_dataframe, cluster_runner, learn_bag, learn_dataframe
from cleaner.detectors.site import count_documents, select_profile
from cleaner.engine import Workers
from cleaner.jsonl import JsonlOptions, clean_file, clean_record
from cleaner.pipeline import clean_text
from cleaner.runner import Mode

from .jsonl_corpus import jsonl_lines, records


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address="127.0.0.1:0",
        silence_logs=logging.ERROR,
    ) as cluster:
        yield cluster


@pytest.fixture
def client(cluster: LocalCluster) -> Iterator[Client]:
    with Client(cluster) as client:
        yield client


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """~1,200 records (~2.5 MB: three CLI chunks), with one malformed line in the middle."""
    folder = tmp_path_factory.mktemp("corpus")
    lines = list(jsonl_lines(1200))
    lines.insert(700, '{"text": "cut short\n')
    (folder / "corpus.jsonl").write_text("".join(lines), encoding="utf-8")
    return folder / "corpus.jsonl"


def test_cli_on_the_cluster_writes_what_one_process_writes(
    corpus: Path, cluster: LocalCluster, tmp_path: Path
) -> None:
    (tmp_path / ".cleaner.toml").write_text("")
    cli = CliRunner()
    base = ["clean", str(corpus), "--config", str(tmp_path / ".cleaner.toml"), "--keep-removed"]
    one = cli.invoke(app, [*base, "--jobs", "1", "--output-dir", str(tmp_path / "one")])
    on_cluster = cli.invoke(
        app, [*base, "--scheduler", cluster.scheduler_address, "--output-dir", str(tmp_path / "dask")]
    )
    assert one.exit_code == on_cluster.exit_code == 123  # the malformed line, reported by both
    assert "corpus.jsonl:701: malformed JSON record" in on_cluster.stderr
    expected = (tmp_path / "one" / "corpus.jsonl").read_bytes()
    assert (tmp_path / "dask" / "corpus.jsonl").read_bytes() == expected
    assert expected != corpus.read_bytes()
    assert one.stderr.splitlines()[-4:] == on_cluster.stderr.splitlines()[-4:]  # same summary


def test_small_chunks_through_the_cluster_executor_keep_order(
    corpus: Path, cluster: LocalCluster, tmp_path: Path
) -> None:
    gz = tmp_path / "corpus.jsonl.gz"
    gz.write_bytes(gzip.compress(corpus.read_bytes()[:400_000], mtime=0))
    options = JsonlOptions(keep_removed=True)
    clean_file(gz, tmp_path / "local.jsonl.gz", Config(), options, Mode.FIX, Workers(), lambda _: None)
    with cluster_runner(cluster.scheduler_address) as on_cluster:
        summary = clean_file(
            gz, tmp_path / "dask.jsonl.gz", Config(), options, Mode.FIX, on_cluster, lambda _: None, 20_000
        )
    assert summary.written and summary.records > 100
    assert (tmp_path / "dask.jsonl.gz").read_bytes() == (tmp_path / "local.jsonl.gz").read_bytes()


def test_cli_dask_local_starts_and_closes_its_own_cluster(tmp_path: Path) -> None:
    (tmp_path / ".cleaner.toml").write_text("")
    source = tmp_path / "c.jsonl"
    source.write_text("".join(jsonl_lines(40)), encoding="utf-8")
    cli = CliRunner()
    base = ["clean", str(source), "--config", str(tmp_path / ".cleaner.toml")]
    assert cli.invoke(app, [*base, "--jobs", "1", "--output-dir", str(tmp_path / "one")]).exit_code == 0
    result = cli.invoke(
        app, [*base, "--dask", "local", "--jobs", "2", "--output-dir", str(tmp_path / "dask")]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "dask" / "c.jsonl").read_bytes() == (tmp_path / "one" / "c.jsonl").read_bytes()


def test_clean_bag_of_records_and_of_texts(client: Client) -> None:
    docs = list(records(120, seed=3))
    expected = [clean_record(r, Config(), JsonlOptions(keep_removed=True)) for r in docs]
    bag = db.from_sequence(docs, npartitions=6)
    assert client.compute(clean_bag(bag, keep_removed=True)).result() == expected
    texts = db.from_sequence([r["text"] for r in docs], npartitions=5)
    assert client.compute(clean_bag(texts)).result() == [r["text"] for r in expected]
    assert sum(r["text"] != d["text"] for r, d in zip(expected, docs, strict=True)) > 30


def test_clean_dataframe_matches_clean_text_row_by_row(client: Client) -> None:
    docs = list(records(90, seed=4))
    frame = pd.DataFrame({"id": [r["id"] for r in docs], "text": [r["text"] for r in docs]})
    frame.loc[5, "text"] = None  # a missing text is left alone
    cleaned = client.compute(
        clean_dataframe(dd.from_pandas(frame, npartitions=4), keep_removed=True)
    ).result()
    assert list(cleaned.columns) == ["id", "text", "cleaner_removed"]
    assert list(cleaned["id"]) == list(frame["id"])
    for original, row in zip(frame["text"], cleaned.itertuples(), strict=True):
        if not isinstance(original, str):
            assert pd.isna(row.text) and row.cleaner_removed is None
            continue
        result = clean_text(original, Config())
        assert row.text == result.text
        assert (row.cleaner_removed is None) == (not result.decisions)


def test_learn_as_a_dask_reduction_equals_learn_in_one_process(client: Client) -> None:
    docs = list(records(300, seed=5))
    counts, documents = count_documents(r["text"] for r in docs)
    expected = select_profile(counts, documents)
    assert "home | news | sport | culture | contact" in expected
    with client.as_current():
        assert learn_bag(db.from_sequence(docs, npartitions=7), text_field="text") == expected
        texts = db.from_sequence([r["text"] for r in docs], npartitions=3)
        assert learn_bag(texts) == expected
        frame = dd.from_pandas(pd.DataFrame({"text": [r["text"] for r in docs]}), npartitions=5)
        assert learn_dataframe(frame) == expected
        assert learn_bag(texts, min_docs=1, min_share=0.0) == select_profile(counts, documents, 1, 0.0)


def test_bag_from_jsonl_files_round_trips(client: Client, tmp_path: Path) -> None:
    source = tmp_path / "c.jsonl"
    source.write_text("".join(jsonl_lines(60)), encoding="utf-8")
    bag = db.read_text(str(source), blocksize=20_000).map(json.loads)
    cleaned = client.compute(clean_bag(bag)).result()
    expected = [clean_record(json.loads(line), Config(), JsonlOptions()) for line in jsonl_lines(60)]
    assert cleaned == expected
