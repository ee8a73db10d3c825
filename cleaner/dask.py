"""Cleaning and learning on Dask (the ``cleaner[dask]`` extra).

The same rules as a single-process run, spread over a cluster:

- ``clean_bag``: a bag of texts (cleaned texts out) or of records (dicts; the
  text field cleaned, other fields and their order kept);
- ``clean_dataframe``: a dataframe with a text column, cleaned partition by partition;
- ``learn_bag`` / ``learn_dataframe``: site boilerplate learned where the data
  lives, as a Dask reduction built on ``cleaner.detectors.site``: each partition
  counts documents per key (``count_documents``), the counts are summed in a
  tree, and ``select_profile`` keeps the frequent keys;
- ``cluster_runner``: what ``cleaner clean --scheduler``/``--dask local`` use to send
  JSONL chunks to a cluster and take the results back in order.

Every document is cleaned on its own, with one ``Config``, so the result does
not depend on how the data is partitioned or which worker gets what.
"""

from __future__ import annotations

import contextlib
import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from cleaner.config import Config
from cleaner.detectors.site import count_documents, select_profile
from cleaner.engine import Workers
from cleaner.errors import CleanerError
from cleaner.jsonl import (
    DEFAULT_TEXT_FIELD,
    REMOVED_FIELD,
    JsonlOptions,
    clean_record,
    removed_entries,
)
from cleaner.pipeline import clean_text

if TYPE_CHECKING:  # dask.dataframe and pandas cost ~90 MB: only imported where used
    import dask.bag as db
    import dask.dataframe as dd
    import pandas as pd

Counts = tuple[Counter[str], int]
# A reduction tree combines this many partial counts at a time.
SPLIT_EVERY = 8


class ClusterError(CleanerError):
    """The Dask scheduler could not be reached or the cluster could not start."""


# --- cleaning ------------------------------------------------------------------


def _clean_element(element: Any, config: Config, options: JsonlOptions) -> Any:
    if isinstance(element, str):
        return clean_text(element, config).text
    return clean_record(element, config, options)


def clean_bag(
    bag: db.Bag,
    config: Config | None = None,
    *,
    text_field: str = DEFAULT_TEXT_FIELD,
    keep_removed: bool = False,
    removed_field: str = REMOVED_FIELD,
) -> db.Bag:
    """Each element cleaned: a str becomes its cleaned text, a dict a copy with ``text_field`` cleaned.

    With ``keep_removed`` a record that lost blocks gets ``removed_field``: the
    removed blocks with rule, score and twin, as ``--report`` writes them.
    """
    options = JsonlOptions(text_field=text_field, keep_removed=keep_removed, removed_field=removed_field)
    return bag.map(_clean_element, config or Config(), options)


def _clean_partition(frame: pd.DataFrame, config: Config, options: JsonlOptions) -> pd.DataFrame:
    import pandas as pd

    texts = []
    removed: list[list[dict[str, Any]] | None] = []
    for value in frame[options.text_field]:
        if not isinstance(value, str):  # a missing text (None/NaN) stays as it is
            texts.append(value)
            removed.append(None)
            continue
        result = clean_text(value, config)
        texts.append(result.text)
        removed.append(removed_entries(result) if result.decisions else None)
    cleaned = frame.copy()
    cleaned[options.text_field] = pd.Series(texts, index=frame.index, dtype=frame[options.text_field].dtype)
    if options.keep_removed:
        cleaned[options.removed_field] = pd.Series(removed, index=frame.index, dtype=object)
    return cleaned


def clean_dataframe(
    frame: dd.DataFrame,
    config: Config | None = None,
    *,
    text_field: str = DEFAULT_TEXT_FIELD,
    keep_removed: bool = False,
    removed_field: str = REMOVED_FIELD,
) -> dd.DataFrame:
    """``frame`` with its ``text_field`` column cleaned; other columns untouched.

    With ``keep_removed`` a column ``removed_field`` holds, per row, the list of
    removed blocks (None where nothing was removed).
    """
    import pandas as pd

    options = JsonlOptions(text_field=text_field, keep_removed=keep_removed, removed_field=removed_field)
    meta = frame._meta
    if keep_removed:
        meta = meta.assign(**{removed_field: pd.Series([], dtype=object)})
    return frame.map_partitions(_clean_partition, config or Config(), options, meta=meta)


# --- learning --------------------------------------------------------------------


def _count_partition(texts: Iterable[str]) -> Counts:
    return count_documents(texts)


def _add_counts(parts: Iterable[Counts]) -> Counts:
    total: Counter[str] = Counter()
    documents = 0
    for counts, number in parts:
        total.update(counts)
        documents += number
    return total, documents


def count_bag(bag: db.Bag, text_field: str | None = None) -> Any:
    """A lazy (document frequency per key, number of documents) over a bag of texts or records."""
    texts = bag.pluck(text_field) if text_field is not None else bag
    return texts.reduction(_count_partition, _add_counts, split_every=SPLIT_EVERY)


def learn_bag(
    bag: db.Bag, *, text_field: str | None = None, min_docs: int = 3, min_share: float = 0.3
) -> list[str]:
    """The site profile of a corpus: keys found in at least ``min_docs`` and ``min_share`` of documents.

    ``text_field`` None: the bag holds texts; otherwise records with that field.
    Computed on the current Dask scheduler (a ``distributed.Client`` if one is active).
    """
    counts, documents = count_bag(bag, text_field).compute()
    return select_profile(counts, documents, min_docs=min_docs, min_share=min_share)


def learn_dataframe(
    frame: dd.DataFrame, *, text_field: str = DEFAULT_TEXT_FIELD, min_docs: int = 3, min_share: float = 0.3
) -> list[str]:
    """``learn_bag`` over one text column of a dataframe."""
    return learn_bag(frame[text_field].to_bag(), min_docs=min_docs, min_share=min_share)


# --- the CLI's cluster ----------------------------------------------------------------


@contextlib.contextmanager
def cluster_runner(scheduler: str | None = None, n_workers: int | None = None) -> Iterator[Workers]:
    """The run's ``Workers`` on the cluster at ``scheduler`` (``tcp://host:port``), or on a new
    ``LocalCluster`` of ``n_workers`` single-threaded worker processes; closed on exit."""
    from distributed import Client, LocalCluster

    with contextlib.ExitStack() as stack:
        try:
            if scheduler is not None:
                client = stack.enter_context(Client(scheduler, timeout="10s"))
            else:
                cluster = stack.enter_context(
                    LocalCluster(
                        n_workers=n_workers,
                        threads_per_worker=1,
                        processes=True,
                        # No dashboard port of our own to fight over with other clusters on this host.
                        dashboard_address="127.0.0.1:0",
                        silence_logs=logging.ERROR,
                    )
                )
                client = stack.enter_context(Client(cluster))
        except Exception as exc:  # distributed raises OSError, TimeoutError or RuntimeError here
            if scheduler is not None:
                raise ClusterError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
            raise ClusterError(f"cannot start a Dask LocalCluster: {exc}") from exc
        threads = sum(client.nthreads().values()) or 1
        # pure=False: chunks are not hashed for task keys (cost) nor merged if equal.
        yield Workers(executor=client.get_executor(pure=False), window=2 * threads)
