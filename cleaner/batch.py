"""Many files at once: a stream of files cut into chunks for the run's workers
(``engine``), results handed back in input order.

The output of a run never depends on ``jobs``: files are cut into chunks of a
fixed size whatever the pool, each chunk is cleaned by the same function in a
worker or in this process, and results come back in the order the files were
found. Memory stays bounded whatever the folder size: only a window of chunks
is in flight, and a worker sends back a small ``report.Outcome`` (counts, the lines to
show), never the text, unless the caller asked for the text itself.

Nothing here prints; cli.py shows what comes back.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from cleaner.config import Config
from cleaner.engine import Workers, chunks, ordered_map
from cleaner.errors import CleanerError, InputError
from cleaner.files import Input, process_umask
from cleaner.report import Outcome, summarise
from cleaner.runner import Mode, process_file, read_input

# Files per task sent to a worker: large enough that the pickling round trip
# is small against cleaning, small enough that a few slow files balance out.
CHUNK = 16
# Files of a chunk in hand at once when writing: one is written (a wait on the
# disk, with the GIL released) while the other is cleaned. More threads only
# fight over the GIL: measured, 4 cost ~10% more CPU where the disk is quick.
WRITERS = 2
# ... for chunks of files up to this size only (a long document takes ~20 times its size in memory).
WRITER_MAX_BYTES = 1 << 20
# A profile counter past this many distinct keys forgets the keys seen in one
# document only; a key that recurs on many pages is seen again soon enough.
MAX_COUNTED_KEYS = 500_000


@dataclass(frozen=True)
class Job:
    """What every file of a run is cleaned with; sent along with each chunk (no worker globals)."""

    config: Config
    mode: Mode
    output_dir: Path | None = None
    keep_records: bool = False  # a JSON report was asked for
    notes: bool = True  # describe each removal, for the lines printed under "cleaned FILE"
    keep_text: bool = False  # send the cleaned text back (--stdout)


def clean_one(item: Input, job: Job) -> Outcome:
    outcome = process_file(item, job.config, job.mode, job.output_dir)
    return summarise(outcome, job.keep_records, job.notes, job.keep_text)


def _clean_item(job: Job, item: Input | InputError) -> Outcome | InputError:
    return item if isinstance(item, InputError) else clean_one(item, job)


def _small(item: Input | InputError) -> bool:
    """Whether a file is small enough to be one of several in hand at once (memory stays bounded)."""
    if isinstance(item, InputError):
        return True
    try:
        return item.path.stat().st_size <= WRITER_MAX_BYTES
    except OSError:
        return True  # cleaning it reports the problem


def _clean_chunk(job: Job, chunk: list[Input | InputError]) -> list[Outcome | InputError]:
    """Clean a chunk's files; when writing, two at a time, so that one file's
    fsync (a wait on the disk, not work) overlaps the cleaning of the next."""
    if job.mode is not Mode.FIX or len(chunk) < 2 or not all(map(_small, chunk)):
        return [_clean_item(job, item) for item in chunk]
    from concurrent.futures import ThreadPoolExecutor
    from functools import partial

    process_umask()  # read before there are threads (reading it may set it for a moment)
    threads = ThreadPoolExecutor(max_workers=min(WRITERS, len(chunk)))
    try:
        return list(threads.map(partial(_clean_item, job), chunk))
    finally:
        # On an interrupt, the files in hand are finished (each written whole), the rest not started.
        threads.shutdown(wait=True, cancel_futures=True)


def _count_chunk(config: Config, chunk: list[Input]) -> tuple[Counter[str], int]:
    from cleaner.detectors.site import count_documents

    return count_documents(_texts(chunk, config))


def _texts(chunk: list[Input], config: Config) -> Iterator[str]:
    """Each file's text as the run reads it: its format, size limit and extractor."""
    for item in chunk:
        try:
            yield read_input(item, config)[0].text  # an HTML page counts by its article text
        except (CleanerError, OSError):
            continue  # the cleaning pass reports it; a profile just does without the file


def clean_batch(
    items: Iterable[Input | InputError], job: Job, workers: Workers
) -> Iterator[Outcome | InputError]:
    """Clean every file of ``items``; outcomes (and discovery problems) in input order."""
    from functools import partial

    for _, results in ordered_map(partial(_clean_chunk, job), chunks(items, CHUNK), workers):
        yield from results


def count_batch(
    items: Iterable[Input | InputError], workers: Workers, config: Config
) -> tuple[Counter[str], int]:
    """Document frequency of every candidate key over the files (the map-reduce of a site profile).

    Counts are added chunk by chunk in input order, so even the forgetting of
    rare keys past ``MAX_COUNTED_KEYS`` happens at the same points for any ``jobs``.
    """
    total: Counter[str] = Counter()
    documents = 0
    inputs = (item for item in items if isinstance(item, Input))
    from functools import partial

    for _, (counts, count) in ordered_map(partial(_count_chunk, config), chunks(inputs, CHUNK), workers):
        total.update(counts)
        documents += count
        if len(total) > MAX_COUNTED_KEYS:
            total = Counter({key: n for key, n in total.items() if n > 1})
    return total, documents


__all__ = ["Job", "clean_batch", "clean_one", "count_batch"]
