"""One `clean` run: find the inputs, route each (text, HTML page, JSONL record) through
cleaning and the safety net to its output, and count everything in one ``Report``.

Nothing here prints: lines to show and bytes for stdout go to the run's ``Output``
(cli.py draws them). Before anything is written, the run checks that no two inputs
map to the same output path and never walks into its own output folder.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from cleaner.batch import Job, clean_batch, count_batch
from cleaner.config import DEFAULT_INCLUDE, Config
from cleaner.engine import Workers
from cleaner.errors import CleanerError, ConfigError, InputError
from cleaner.files import JSONL_PATTERNS, Input, discover, is_jsonl, remove_stale_temps
from cleaner.report import Outcome, Report, summarise
from cleaner.runner import FileOutcome, Mode, is_html, process_data, target_path

QUIET, NORMAL, VERBOSE, DETAILED = -1, 0, 1, 2
# Why an HTML page found in a folder is passed over in place (the run's exit code is then 123).
SKIP_HTML_IN_PLACE = "HTML page(s) not rewritten in place (--output-dir DIR writes their text)"


class OutputClash(ConfigError):
    """Two inputs would be written to the same output file."""


class Output(Protocol):
    """Where a run's messages (stderr) and data (stdout, in order) go."""

    def say(self, message: str) -> None: ...

    def write(self, data: bytes) -> None: ...

    def advance(self) -> None: ...


@dataclass(frozen=True)
class Options:
    """How one `clean` run goes, apart from how documents are cleaned (that is the ``Config``)."""

    mode: Mode = Mode.FIX
    output_dir: Path | None = None
    stdout: bool = False  # print the cleaned text, change no file
    keep_records: bool = False  # a JSON report was asked for
    verbosity: int = NORMAL
    jobs: int = 1
    follow_symlinks: bool = False
    input_format: str = "auto"  # auto | text | html | jsonl
    text_field: str = "text"
    keep_removed: bool = False
    on_error: str = "skip"
    scheduler: str | None = None
    dask_local: bool = False
    fail_on_fix: bool = False  # --exit-non-zero-on-fix


def input_config(config: Config, options: Options) -> Config:
    """Folders hold JSONL too in auto mode, and only JSONL with --format jsonl (unless --include says)."""
    if config.include != DEFAULT_INCLUDE:
        return config
    if options.input_format == "jsonl":
        return config.replace(include=JSONL_PATTERNS)
    if options.input_format == "auto":
        return config.replace(include=DEFAULT_INCLUDE + JSONL_PATTERNS)
    return config


def inputs(
    paths: list[str], config: Config, options: Options, skipped: Counter[str] | None = None
) -> Iterator[Input | InputError]:
    avoid = [options.output_dir] if options.output_dir is not None else []
    return discover(
        [Path(p) for p in paths],
        config.include,
        config.exclude,
        follow_symlinks=options.follow_symlinks,
        skipped=skipped,
        avoid=avoid,
    )


def learn_from_run(config: Config, paths: list[str], options: Options, workers: Workers) -> Config:
    """The cross-file pass: blocks recurring across this run's files join the profile."""
    from cleaner.detectors.site import select_profile

    found = (item for item in inputs(paths, config, options) if not _is_dataset(item, options))
    counts, documents = count_batch(found, workers, config)
    learned = select_profile(counts, documents, config.profile_min_docs, config.profile_min_share)
    return config.replace(profile_keys=config.profile_keys | frozenset(learned)) if learned else config


def _is_dataset(item: Input | InputError, options: Options) -> bool:
    if not isinstance(item, Input):
        return False
    return options.input_format == "jsonl" or (options.input_format == "auto" and is_jsonl(item.path))


def _skipped_in_place(item: Input, config: Config, options: Options) -> bool:
    """An HTML page met in a folder walk, in place: passed over (a page named by itself is an error)."""
    in_place = options.mode is Mode.FIX and options.output_dir is None and not options.stdout
    return in_place and item.root != item.path and is_html(item.path, config)


def check_targets(paths: list[str], config: Config, options: Options) -> None:
    """Two inputs mapping to one output path are an error before anything is written."""
    if options.output_dir is None or options.mode is not Mode.FIX or options.stdout:
        return
    written: dict[Path, Path] = {}
    for item in inputs(paths, config, options):
        if not isinstance(item, Input):
            continue
        html = not _is_dataset(item, options) and is_html(item.path, config)
        target = target_path(item, options.output_dir, html)
        first = written.setdefault(target, item.path)
        if first != item.path:
            raise OutputClash(
                f"{first} and {item.path} would both be written to {target}; "
                "nothing was written: rename one, or clean them in separate runs"
            )


def tell(done: Outcome, options: Options, out: Output) -> None:
    """What is said about one file: problems always, a changed file with -v, its removals with -vv."""
    if done.error is not None:
        out.say(f"cleaner: error: {done.error}")
    elif done.held is not None:
        out.say(f"cleaner: held back: {done.held}")
    elif done.changed and options.verbosity >= VERBOSE:
        encoding = f" ({done.encoding})" if done.encoding and done.encoding != "utf-8" else ""
        out.say(f"{'cleaned' if options.mode is Mode.FIX else 'would clean'} {done.name}{encoding}")
        for note in done.notes:
            out.say(f"  {note}")


def clean_paths(
    paths: list[str], config: Config, options: Options, report: Report, out: Output, jsonl: Datasets
) -> None:
    """Every file under ``paths``: documents first (on the worker pool), then JSONL datasets."""
    config = input_config(config, options)
    check_targets(paths, config, options)
    if config.cross_file:
        config = learn_from_run(config, paths, options, jsonl.workers)
    write_mode = Mode.CHECK if options.stdout and options.mode is Mode.FIX else options.mode
    job = Job(
        config,
        write_mode,
        options.output_dir,
        options.keep_records,
        notes=options.verbosity >= DETAILED and not options.stdout,
        keep_text=options.stdout,
    )
    datasets: list[Input] = []
    swept: set[Path] = set()
    skipped: Counter[str] = Counter()
    in_place_html: Counter[str] = Counter()

    def documents() -> Iterator[Input | InputError]:
        for item in inputs(paths, config, options, skipped):
            if isinstance(item, Input):
                if _skipped_in_place(item, config, options):
                    in_place_html[SKIP_HTML_IN_PLACE] += 1
                    continue
                if job.mode is Mode.FIX:
                    _sweep_stale_temps(item, options, swept, out)
                if _is_dataset(item, options):
                    datasets.append(item)
                    continue
            yield item

    for done in clean_batch(documents(), job, jsonl.workers):
        out.advance()
        if isinstance(done, InputError):
            out.say(f"cleaner: error: {done}")
            report.fail(str(done))
            continue
        _deliver(done, options, report, out)
    for item in datasets:
        out.advance()
        if not jsonl.clean_file(item, config, report):
            break  # --on-error stop
    report.skip(skipped)
    report.skip(in_place_html, failing=True)


def clean(
    paths: list[str], config: Config, options: Options, report: Report, out: Output, stdin: Any
) -> None:
    """A whole `clean` run: files and folders, or stdin ('-'), on workers started once."""
    with Workers(options.jobs) as workers, Datasets(options, out, workers) as datasets:
        if options.scheduler or options.dask_local:
            datasets.runner()  # a cluster that cannot start is a usage error, before any file is touched
        if paths == ["-"] and options.input_format == "jsonl":
            datasets.clean_stdin(stdin, config, report)
        elif paths == ["-"]:
            clean_stdin(stdin.read(config.max_file_bytes + 1), config, options, report, out)
        else:
            clean_paths(paths, config, options, report, out, datasets)


def learn(folders: list[str], config: Config, options: Options) -> tuple[list[str], int, list[InputError]]:
    """`cleaner learn`: the profile keys of ``folders``, the number of documents counted, and the
    inputs that could not be found."""
    from cleaner.detectors.site import select_profile

    problems: list[InputError] = []

    def files() -> Iterator[Input | InputError]:
        for item in inputs(folders, config, options):
            if isinstance(item, InputError):
                problems.append(item)
            yield item

    with Workers(options.jobs) as workers:
        counts, documents = count_batch(files(), workers, config)
    return (
        select_profile(counts, documents, config.profile_min_docs, config.profile_min_share),
        documents,
        problems,
    )


def explain(paths: list[str], config: Config, options: Options) -> tuple[list[Any], list[CleanerError]]:
    """`cleaner explain`: every input cleaned as `clean` would (with the cross-file pass if asked)."""
    from cleaner.explain import explain_inputs

    if config.cross_file:
        with Workers(options.jobs) as workers:
            config = learn_from_run(config, paths, options, workers)
    return explain_inputs(inputs(paths, config, options), config)


def count_inputs(paths: list[str], config: Config, options: Options) -> int:
    """How many inputs a run will take (for the progress bar)."""
    return sum(1 for _ in inputs(paths, input_config(config, options), options))


def _sweep_stale_temps(item: Input, options: Options, swept: set[Path], out: Output) -> None:
    """Remove temp files a killed run left in a folder we are about to write to (once per folder)."""
    output_dir = options.output_dir
    folder = item.path.parent if output_dir is None else (output_dir / item.relative).parent
    if folder in swept:
        return
    swept.add(folder)
    for stale in remove_stale_temps(folder):
        if options.verbosity >= VERBOSE:
            out.say(f"removed stale temp file {stale}")


def _deliver(done: Outcome, options: Options, report: Report, out: Output) -> None:
    """Count one outcome, say what the verbosity asks for, and write its text or diff."""
    report.add(done)
    tell(done, options, out)
    if done.text is not None:
        out.write(done.text)
    if done.diff:
        out.write(done.diff.encode("utf-8", "surrogateescape"))


def clean_stdin(data: bytes, config: Config, options: Options, report: Report, out: Output) -> None:
    """Standard input to standard output: the same route and safety net as a file."""
    outcome = process_data(data, "<stdin>", config, options.mode)
    done = summarise(outcome, options.keep_records, keep_text=options.mode is Mode.FIX)
    _deliver(done, options, report, out)


class Datasets:
    """The JSONL inputs of one run: where they are cleaned (the run's ``workers``, or a Dask
    cluster, started once, on first use), and what is counted and said about each file and record."""

    def __init__(self, options: Options, out: Output, workers: Workers) -> None:
        self.options = options
        self.out = out
        self.workers = workers
        self._stack = contextlib.ExitStack()
        self._runner: Workers | None = None

    def __enter__(self) -> Datasets:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def _jsonl_options(self) -> Any:
        # Built on first use: a plain-text run must not import the JSONL machinery.
        from cleaner.jsonl import JsonlOptions, OnError

        o = self.options
        return JsonlOptions(
            text_field=o.text_field, keep_removed=o.keep_removed, on_error=OnError(o.on_error)
        )

    def runner(self) -> Workers:
        """Where JSONL chunks are cleaned: the run's workers, or a Dask cluster (one that cannot
        start is a usage error, ConfigError)."""
        o = self.options
        if not (o.scheduler or o.dask_local):
            return self.workers
        if self._runner is None:
            try:
                from cleaner.dask import ClusterError, cluster_runner
            except ImportError:
                raise ConfigError(
                    "--scheduler/--dask need the dask extra: pip install 'cleaner[dask]'"
                ) from None
            try:
                self._runner = self._stack.enter_context(
                    cluster_runner(o.scheduler, None if o.scheduler else o.jobs)
                )
            except ClusterError as exc:
                raise ConfigError(str(exc)) from None
        return self._runner

    def _record(self, report: Report) -> Any:
        def handle(outcome: FileOutcome) -> None:
            report.add(summarise(outcome, report.keep_records), record=True)
            if outcome.error is not None:
                self.out.say(f"cleaner: error: {outcome.error}")
            elif outcome.held is not None:
                self.out.say(f"cleaner: held back: {outcome.held}")
            if outcome.diff:
                self.out.write(outcome.diff.encode("utf-8", "surrogateescape"))

        return handle

    def _tell(self, name: str, summary: Any, report: Report) -> bool:
        if summary.error is not None:
            self.out.say(f"cleaner: error: {summary.error}")
        report.add(Outcome(name, changed=bool(summary.changed), error=summary.error))
        if summary.stopped_at is not None:
            self.out.say(f"cleaner: stopped at {summary.stopped_at} (--on-error stop); {name} left as it was")
            return False
        if self.options.verbosity >= VERBOSE and summary.changed:
            verb = "cleaned" if self.options.mode is Mode.FIX else "would clean"
            self.out.say(f"{verb} {name}: {summary.changed} of {summary.records} record(s)")
        return True

    def clean_file(self, item: Input, config: Config, report: Report) -> bool:
        """Clean one JSONL input; False if the run must stop here."""
        from cleaner.jsonl import clean_file, clean_stream, open_lines, output_path

        o = self.options
        handle = self._record(report)
        if o.stdout and o.mode is Mode.FIX:
            with open_lines(item.path) as reader:
                summary = clean_stream(
                    reader,
                    str(item.path),
                    self.out,
                    config,
                    self._jsonl_options(),
                    o.mode,
                    self.runner(),
                    handle,
                )
        else:
            target = output_path(item.path, item.root, o.output_dir)
            summary = clean_file(
                item.path, target, config, self._jsonl_options(), o.mode, self.runner(), handle
            )
        return self._tell(str(item.path), summary, report)

    def clean_stdin(self, stdin: Any, config: Config, report: Report) -> None:
        from cleaner.jsonl import clean_stream

        o = self.options
        sink = self.out if o.mode is Mode.FIX else None
        summary = clean_stream(
            stdin, "<stdin>", sink, config, self._jsonl_options(), o.mode, self.runner(), self._record(report)
        )
        self._tell("<stdin>", summary, report)


__all__ = ["Datasets", "Options", "Output", "OutputClash", "clean", "count_inputs", "explain", "learn"]
