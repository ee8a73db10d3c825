"""The command line: flags become a Config and a Mode here; the only module that prints or exits."""

from __future__ import annotations

import contextlib
import dataclasses
import importlib.util
import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from cleaner.batch import Done, Job, clean_batch, count_batch, default_jobs
from cleaner.config import EXTRACTORS, Config, find_config_file, load_config, with_profile
from cleaner.errors import CleanerError, ConfigError, InputError
from cleaner.files import JSONL_PATTERNS, Input, decode, discover, is_jsonl, remove_stale_temps
from cleaner.pipeline import clean_text
from cleaner.report import EXIT_FAILED, EXIT_USAGE, Report
from cleaner.runner import FileOutcome, Mode, clean_html, heavy_loss, is_html, unified_diff, unstable_encoding

EXIT_INTERRUPTED = 130  # the shell's convention for SIGINT

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    help="Strip page boilerplate and repeated paragraphs from scraped text.",
)

CLEAN_HELP = """Clean files or folders in place (or stdin to stdout with '-').

Examples:

  cleaner clean scraped/                      # fix every .txt/.md/.text file in place

  cleaner clean page.txt --diff               # show what would go, change nothing

  cleaner clean corpus/ --output-dir clean/   # write cleaned copies, mirroring the tree

  cleaner clean - < in.txt > out.txt          # a pipe

  cleaner clean docs/ --check --report -      # CI: exit 1 and a JSON report if dirty

  cleaner clean pages/ --output-dir text/     # HTML pages -> article text, x.html -> x.txt

  cleaner clean page.html --stdout            # one page's article text

Exit codes: 0 ok (files may have been fixed), 1 --check/--diff found changes,
2 usage or config error, 123 some file could not be processed (the rest were).
"""


@app.callback()
def _root() -> None:
    """Strip page boilerplate and repeated paragraphs from scraped text."""


def _say(message: str) -> None:
    typer.echo(message, err=True)


def _fail_usage(message: str) -> typer.Exit:
    _say(f"cleaner: error: {message}")
    return typer.Exit(EXIT_USAGE)


def _resolve_config(
    config_file: Path | None, paths: list[str], overrides: dict[str, Any], profile: Path | None = None
) -> Config:
    if config_file is None:
        start = Path(paths[0]) if paths and paths[0] != "-" else Path.cwd()
        config_file = find_config_file(start if start.exists() else Path.cwd())
    config = load_config(config_file)
    changes = {k: v for k, v in overrides.items() if v is not None}
    config = config.replace(**changes) if changes else config
    if profile is not None:
        # --profile replaces a profile named in the config file; it is relative to where you are.
        config = with_profile(config.replace(profile_keys=frozenset()), profile)
    return config


def _write_report(report: Report, destination: str) -> None:
    import json  # not needed by a hook run without --report: keep start-up short

    text = json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n"
    # Undecodable bytes and odd file names are lone surrogates here: written as
    # \udcXX, which is the JSON escape for the same code unit.
    data = text.encode("utf-8", "backslashreplace")
    if destination == "-":
        _write_out(data)
    else:
        Path(destination).write_bytes(data)


def _write_out(data: bytes | str) -> None:
    """To stdout as bytes: text keeps undecodable bytes as they were (never a UnicodeEncodeError)."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogateescape")
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def _clean_stdin(config: Config, mode: Mode, report: Report) -> None:
    data = sys.stdin.buffer.read(config.max_file_bytes + 1)
    try:
        if len(data) > config.max_file_bytes:
            raise CleanerError(
                f"<stdin>: more than max_file_bytes ({config.max_file_bytes} bytes); raise --max-file-bytes"
            )
        if config.format == "html":
            source, result = clean_html(data, "<stdin>", config)
        else:
            source = decode(data, "<stdin>")
            result = clean_text(source.text, config)
    except CleanerError as exc:
        report.add(FileOutcome("<stdin>", error=str(exc)))
        _say(f"cleaner: error: {exc}")
        return
    held = heavy_loss("<stdin>", result, config) or unstable_encoding("<stdin>", source, result)
    outcome = FileOutcome("<stdin>", result, source.label, held=held, source=source)
    report.add(outcome)
    if held is not None:
        _say(f"cleaner: held back: {held}")
    text = result.text if held is None else result.original
    if mode is Mode.FIX:
        _write_out(source.encode(text))
    elif mode is Mode.DIFF:
        _write_out(unified_diff("<stdin>", result.original, text))


def _announce(done: Done, mode: Mode, say: Callable[[str], None]) -> None:
    if done.error is not None:
        say(f"cleaner: error: {done.error}")
        return
    if done.held is not None:
        say(f"cleaner: held back: {done.held}")
        return
    if not done.notes:
        return
    encoding = f" ({done.encoding})" if done.encoding and done.encoding != "utf-8" else ""
    say(f"{'cleaned' if mode is Mode.FIX else 'would clean'} {done.name}{encoding}")
    for note in done.notes:
        say(f"  {note}")


def _show_progress(quiet: bool) -> bool:
    return not quiet and sys.stderr.isatty()


@contextmanager
def _progress(total: int | None, enabled: bool) -> Iterator[tuple[Callable[[], None], Callable[[str], None]]]:
    """(advance, say): a bar on stderr when ``enabled``, and a way to print above it."""
    if not enabled:
        yield (lambda: None), _say
        return
    import time

    from rich.console import Console  # a terminal-only nicety: never imported by a hook or a pipe
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = Console(stderr=True, highlight=False)
    columns = [TextColumn("cleaning"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn()]
    with Progress(*columns, console=console, transient=True, auto_refresh=False) as bar:
        task = bar.add_task("clean", total=total)
        last = [0.0]

        def advance() -> None:
            bar.advance(task)
            now = time.monotonic()
            if now - last[0] > 0.1:  # a redraw per file would cost more than the cleaning
                last[0] = now
                bar.refresh()

        def say(message: str) -> None:
            console.print(message, markup=False, soft_wrap=True)

        yield advance, say


def _inputs(paths: list[str], config: Config, follow_symlinks: bool) -> Iterator[Input | InputError]:
    return discover([Path(p) for p in paths], config.include, config.exclude, follow_symlinks=follow_symlinks)


def _learn_from_run(config: Config, paths: list[str], jobs: int, follow_symlinks: bool) -> Config:
    """The cross-file pass: blocks recurring across this run's files join the profile."""
    from cleaner.detectors.site import select_profile

    counts, documents = count_batch(_inputs(paths, config, follow_symlinks), jobs)
    learned = select_profile(counts, documents, config.profile_min_docs, config.profile_min_share)
    return config.replace(profile_keys=config.profile_keys | frozenset(learned)) if learned else config


def _sweep_stale_temps(item: Input, output_dir: Path | None, swept: set[Path], quiet: bool) -> None:
    """Remove temp files a killed run left in a folder we are about to write to (once per folder)."""
    folder = item.path.parent if output_dir is None else (output_dir / item.relative).parent
    if folder in swept:
        return
    swept.add(folder)
    for stale in remove_stale_temps(folder):
        if not quiet:
            _say(f"removed stale temp file {stale}")


def _clean_paths(
    paths: list[str],
    job: Job,
    jobs: int,
    report: Report,
    mode: Mode,
    follow: bool,
    quiet: bool,
    jsonl: _JsonlRun,
) -> None:
    config = job.config.replace(include=jsonl.include(job.config.include))
    job = dataclasses.replace(job, config=config)
    if config.cross_file:
        job = dataclasses.replace(job, config=_learn_from_run(config, paths, jobs, follow))
    # JSONL files are streamed record by record on their own pool, after the
    # document files; each is one ordered stream, so the run stays deterministic.
    datasets: list[Input] = []
    swept: set[Path] = set()

    def documents() -> Iterator[Input | InputError]:
        for item in _inputs(paths, config, follow):
            if isinstance(item, Input) and job.mode is Mode.FIX:
                _sweep_stale_temps(item, job.output_dir, swept, quiet)
            if isinstance(item, Input) and jsonl.wants(item.path):
                datasets.append(item)
            else:
                yield item

    show = _show_progress(quiet)
    total = sum(1 for _ in _inputs(paths, config, follow)) if show else None
    with _progress(total, show) as (advance, say):
        for done in clean_batch(documents(), job, jobs):
            advance()
            if isinstance(done, InputError):
                say(f"cleaner: error: {done}")
                report.fail(str(done))
                continue
            report.add_tally(done.tally)
            _announce(done, mode, say)
            if done.text is not None:
                _write_out(done.text)
            if done.diff:
                _write_out(done.diff)
        for item in datasets:
            advance()
            if not jsonl.clean_file(item, job.config, mode, job.output_dir, job.keep_text, report):
                break  # --on-error stop


class _JsonlRun:
    """JSONL inputs of one `clean` run: options, the worker pool or cluster (started once, on
    first use), and what is said about each file."""

    def __init__(
        self,
        input_format: str,
        text_field: str,
        keep_removed: bool,
        on_error: str,
        jobs: int | None,
        scheduler: str | None,
        dask: str | None,
        quiet: bool,
    ) -> None:
        self.format = input_format
        self._option_values = (text_field, keep_removed, on_error)
        self.jobs = jobs if jobs is not None else (os.cpu_count() or 1)
        self.scheduler = scheduler
        self.dask_local = dask == "local"
        self.quiet = quiet
        self._stack = contextlib.ExitStack()
        self._runner: Any = None

    @property
    def options(self) -> Any:
        # Built on first use: a plain-text run must not import the JSONL machinery.
        from cleaner.jsonl import JsonlOptions, OnError

        text_field, keep_removed, on_error = self._option_values
        return JsonlOptions(text_field=text_field, keep_removed=keep_removed, on_error=OnError(on_error))

    def include(self, patterns: tuple[str, ...]) -> tuple[str, ...]:
        """With --format jsonl, folders are searched for JSONL files unless --include says otherwise."""
        return JSONL_PATTERNS if self.format == "jsonl" and patterns == Config().include else patterns

    def wants(self, path: Path) -> bool:
        return self.format == "jsonl" or (self.format == "auto" and is_jsonl(path))

    def runner(self) -> Any:
        if self._runner is None:
            if self.scheduler or self.dask_local:
                try:
                    from cleaner.dask import cluster_runner
                except ImportError:
                    hint = "pip install 'cleaner[dask]'"
                    raise _fail_usage(f"--scheduler/--dask need the dask extra: {hint}") from None
                try:
                    self._runner = self._stack.enter_context(
                        cluster_runner(self.scheduler, None if self.scheduler else self.jobs)
                    )
                except CleanerError as exc:
                    raise _fail_usage(str(exc)) from None
            else:
                from cleaner.jsonl import local_runner

                self._runner = self._stack.enter_context(local_runner(self.jobs))
        return self._runner

    def close(self) -> None:
        self._stack.close()

    def _outcome_handler(self, report: Report, mode: Mode) -> Any:
        def handle(outcome: FileOutcome) -> None:
            report.add(outcome)
            if outcome.error is not None:
                _say(f"cleaner: error: {outcome.error}")
            if outcome.diff:
                sys.stdout.write(outcome.diff)

        return handle

    def _tell(self, name: str, summary: Any, mode: Mode) -> bool:
        if summary.error is not None:
            _say(f"cleaner: error: {summary.error}")
        if summary.stopped_at is not None:
            _say(f"cleaner: stopped at {summary.stopped_at} (--on-error stop); {name} left as it was")
            return False
        if not self.quiet and summary.changed:
            verb = "cleaned" if mode is Mode.FIX else "would clean"
            _say(f"{verb} {name}: {summary.changed} of {summary.records} record(s)")
        return True

    def clean_file(
        self, item: Any, config: Config, mode: Mode, output_dir: Path | None, stdout: bool, report: Report
    ) -> bool:
        """Clean one JSONL input; False if the run must stop here."""
        from cleaner.jsonl import clean_file, clean_stream, open_lines, output_path

        handle = self._outcome_handler(report, mode)
        if stdout and mode is Mode.FIX:
            sys.stdout.flush()  # text already printed for earlier files goes first
            with open_lines(item.path) as reader:
                sink = sys.stdout.buffer
                summary = clean_stream(
                    reader, str(item.path), sink, config, self.options, mode, self.runner(), handle
                )
                sink.flush()
        else:
            target = output_path(item.path, item.root, output_dir)
            summary = clean_file(item.path, target, config, self.options, mode, self.runner(), handle)
        if summary.error is not None:
            report.add(FileOutcome(str(item.path), error=summary.error))
        return self._tell(str(item.path), summary, mode)

    def clean_stdin(self, config: Config, mode: Mode, report: Report) -> None:
        from cleaner.jsonl import clean_stream

        sink = sys.stdout.buffer if mode is Mode.FIX else None
        handle = self._outcome_handler(report, mode)
        summary = clean_stream(
            sys.stdin.buffer, "<stdin>", sink, config, self.options, mode, self.runner(), handle
        )
        if sink is not None:
            sink.flush()
        self._tell("<stdin>", summary, mode)


@app.command(help=CLEAN_HELP, no_args_is_help=True)
def clean(
    paths: Annotated[list[str], typer.Argument(help="Files or folders to clean; '-' reads stdin.")],
    output_dir: Annotated[
        Path | None, typer.Option("--output-dir", "-o", help="Write cleaned copies here, mirroring the tree.")
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Change nothing; exit 1 if anything would change.")
    ] = False,
    diff: Annotated[
        bool, typer.Option("--diff", help="Change nothing; print a unified diff; exit 1 if any.")
    ] = False,
    stdout: Annotated[
        bool, typer.Option("--stdout", help="Print cleaned text to stdout, change no file.")
    ] = False,
    report_to: Annotated[
        str | None, typer.Option("--report", metavar="FILE|-", help="Write a JSON report of every decision.")
    ] = None,
    config_file: Annotated[
        Path | None,
        typer.Option("--config", help="Config file (default: nearest .cleaner.toml/pyproject.toml)."),
    ] = None,
    include: Annotated[
        list[str] | None,
        typer.Option("--include", help="Glob of file names to clean in folders (repeatable)."),
    ] = None,
    exclude: Annotated[
        list[str] | None, typer.Option("--exclude", help="Glob of files to skip (repeatable).")
    ] = None,
    near_threshold: Annotated[
        float | None, typer.Option(help="Ratio (0-100) for near-duplicate paragraphs.")
    ] = None,
    containment_threshold: Annotated[
        float | None, typer.Option(help="partial_ratio (0-100) for truncated/split repeats.")
    ] = None,
    duplicates: Annotated[
        bool | None, typer.Option("--duplicates/--no-duplicates", help="Remove repeated paragraphs.")
    ] = None,
    boilerplate: Annotated[
        bool | None, typer.Option("--boilerplate/--no-boilerplate", help="Remove page boilerplate.")
    ] = None,
    extractor: Annotated[
        str | None,
        typer.Option(
            "--extractor",
            metavar="builtin|trafilatura",
            help="Who finds the article in HTML pages (trafilatura needs the cleaner[trafilatura] extra).",
        ),
    ] = None,
    allow_heavy: Annotated[
        bool | None,
        typer.Option(
            "--allow-heavy",
            help="Write files even when cleaning removes more than max_removed_share (default 97%) of them.",
        ),
    ] = None,
    max_file_bytes: Annotated[
        int | None,
        typer.Option("--max-file-bytes", min=1, help="Refuse files larger than this (default 100000000)."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")] = False,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="Worker processes (default: all cores).")
    ] = None,
    profile: Annotated[
        Path | None,
        typer.Option("--profile", help="Also remove the site boilerplate listed in this profile."),
    ] = None,
    cross_file: Annotated[
        bool | None,
        typer.Option(
            "--cross-file/--no-cross-file",
            help="Count blocks across the files of this run first; remove those recurring on many.",
        ),
    ] = None,
    follow_symlinks: Annotated[
        bool, typer.Option("--follow-symlinks", help="Follow symbolic links inside folders.")
    ] = False,
    input_format: Annotated[
        str,
        typer.Option(
            "--format",
            metavar="auto|text|html|jsonl",
            help="Input format (auto: by file name; .html/.htm are HTML pages, .jsonl JSONL).",
        ),
    ] = "auto",
    text_field: Annotated[
        str, typer.Option("--text-field", help="JSONL: the field holding each document's text.")
    ] = "text",
    keep_removed: Annotated[
        bool,
        typer.Option("--keep-removed", help="JSONL: store removed blocks and why in 'cleaner_removed'."),
    ] = False,
    on_error: Annotated[
        str,
        typer.Option(
            "--on-error",
            metavar="skip|stop",
            help="JSONL: a malformed line is copied and reported (skip) or ends the run (stop).",
        ),
    ] = "skip",
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", metavar="tcp://HOST:PORT", help="JSONL: clean on this Dask cluster."),
    ] = None,
    dask: Annotated[
        str | None,
        typer.Option("--dask", metavar="local", help="JSONL: clean on a new Dask LocalCluster."),
    ] = None,
) -> None:
    mode = Mode.DIFF if diff else Mode.CHECK if check else Mode.FIX
    if input_format not in ("auto", "text", "html", "jsonl"):
        raise _fail_usage(f"--format must be auto, text, html or jsonl, not {input_format!r}")
    if on_error not in ("skip", "stop"):
        raise _fail_usage(f"--on-error must be skip or stop, not {on_error!r}")
    if dask not in (None, "local"):
        raise _fail_usage(f"--dask takes 'local' (for a real cluster use --scheduler), not {dask!r}")
    if dask and scheduler:
        raise _fail_usage("--dask local and --scheduler exclude each other")
    use_stdin = paths == ["-"]
    if "-" in paths and not use_stdin:
        raise _fail_usage("'-' (stdin) cannot be mixed with other paths")
    if extractor is not None and extractor not in EXTRACTORS:
        raise _fail_usage(f"--extractor must be one of {', '.join(EXTRACTORS)}, got {extractor!r}")
    if report_to == "-" and (use_stdin or stdout or mode is Mode.DIFF):
        raise _fail_usage("--report - needs stdout for itself; give it a file name")
    try:
        config = _resolve_config(
            config_file,
            paths,
            {
                "include": tuple(include) if include else None,
                "exclude": tuple(exclude) if exclude else None,
                "near_threshold": near_threshold,
                "containment_threshold": containment_threshold,
                "duplicates": duplicates,
                "boilerplate": boilerplate,
                "format": input_format if input_format in ("text", "html") else None,
                "extractor": extractor,
                "cross_file": cross_file,
                "allow_heavy": allow_heavy,
                "max_file_bytes": max_file_bytes,
            },
            profile,
        )
    except ConfigError as exc:
        raise _fail_usage(str(exc)) from None
    if config.extractor == "trafilatura" and importlib.util.find_spec("trafilatura") is None:
        raise _fail_usage("--extractor trafilatura needs trafilatura: pip install 'cleaner[trafilatura]'")

    report = Report(mode, keep_records=report_to is not None)
    jsonl = _JsonlRun(input_format, text_field, keep_removed, on_error, jobs, scheduler, dask, quiet)
    if scheduler or dask:
        jsonl.runner()  # a cluster that cannot start is a usage error, before any file is touched
    if use_stdin and input_format == "jsonl":
        jsonl.clean_stdin(config, mode, report)
    elif use_stdin:
        _clean_stdin(config, mode, report)
    else:
        write_mode = Mode.CHECK if stdout and mode is Mode.FIX else mode
        job = Job(config, write_mode, output_dir, report_to is not None, not (quiet or stdout), stdout)
        try:
            _clean_paths(paths, job, jobs or default_jobs(), report, mode, follow_symlinks, quiet, jsonl)
        except KeyboardInterrupt:
            _say("cleaner: interrupted; every file is either untouched or fully cleaned")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        if not quiet:
            _say(report.summary())
    jsonl.close()
    if report_to is not None:
        _write_report(report, report_to)
    raise typer.Exit(report.exit_code)


LEARN_HELP = """Learn a folder's site boilerplate into a profile file.

Counts, for every short block (a line or paragraph of at most 200 characters,
normalised), how many files contain it, and writes those found in at least
--min-docs files and --min-share of them, one per line, sorted: review it,
commit it, and use it with 'cleaner clean --profile PROFILE' or
'profile = "PROFILE"' in the config file.

Example:

  cleaner learn scraped/example.com/ -o example.profile
"""


@app.command(help=LEARN_HELP, no_args_is_help=True)
def learn(
    folders: Annotated[list[str], typer.Argument(help="Folders (or files) of one site's pages.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Profile file to write ('-': stdout).")],
    min_docs: Annotated[
        int | None, typer.Option(min=1, help="A block must be in at least this many files (default 3).")
    ] = None,
    min_share: Annotated[
        float | None,
        typer.Option(min=0.0, max=1.0, help="... and in at least this share of them (default 0.3)."),
    ] = None,
    config_file: Annotated[Path | None, typer.Option("--config", help="Config file.")] = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, help="Worker processes.")] = None,
    follow_symlinks: Annotated[bool, typer.Option("--follow-symlinks")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")] = False,
) -> None:
    from cleaner.detectors.site import format_profile, select_profile

    try:
        config = _resolve_config(
            config_file, folders, {"profile_min_docs": min_docs, "profile_min_share": min_share}
        )
    except ConfigError as exc:
        raise _fail_usage(str(exc)) from None
    problems: list[InputError] = []

    def files() -> Iterator[Input | InputError]:
        for item in _inputs(folders, config, follow_symlinks):
            if isinstance(item, InputError):
                _say(f"cleaner: error: {item}")
                problems.append(item)
            yield item

    counts, documents = count_batch(files(), jobs or default_jobs())
    keys = select_profile(counts, documents, config.profile_min_docs, config.profile_min_share)
    note = (
        f"learned by `cleaner learn` from {documents} file(s): blocks found in at least "
        f"{config.profile_min_docs} files and {config.profile_min_share:.0%} of them"
    )
    text = format_profile(keys, note)
    if str(output) == "-":
        sys.stdout.write(text)
    else:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise _fail_usage(f"{output}: cannot write profile: {exc.strerror or exc}") from None
    if not quiet:
        _say(
            f"{len(keys)} block(s) found in at least {config.profile_min_docs} and "
            f"{config.profile_min_share:.0%} of {documents} file(s) -> {output}"
        )
    raise typer.Exit(EXIT_FAILED if problems else 0)


EXPLAIN_HELP = """Show each file with its removed blocks marked, and why each went.

On a terminal removed lines are struck through in colour; piped, they are
marked '-' and followed by a '^ rule (score), repeats line N' note.
--html writes the same view as one self-contained page with a per-rule summary.

Examples:

  cleaner explain page.txt

  cleaner explain scraped/ --html review.html
"""


@app.command(help=EXPLAIN_HELP, no_args_is_help=True)
def explain(
    paths: Annotated[list[str], typer.Argument(help="Files or folders to explain.")],
    html_out: Annotated[
        Path | None, typer.Option("--html", metavar="OUT.html", help="Write a self-contained HTML page.")
    ] = None,
    config_file: Annotated[Path | None, typer.Option("--config", help="Config file.")] = None,
    profile: Annotated[Path | None, typer.Option("--profile", help="Site profile to apply too.")] = None,
    color: Annotated[
        bool | None, typer.Option("--color/--no-color", help="Colour (default: on a terminal).")
    ] = None,
    cross_file: Annotated[
        bool | None,
        typer.Option("--cross-file/--no-cross-file", help="Learn from the files given, as clean does."),
    ] = None,
) -> None:
    from cleaner.explain import Explained, render_html, render_text
    from cleaner.files import read_source

    try:
        config = _resolve_config(config_file, paths, {"cross_file": cross_file}, profile)
    except ConfigError as exc:
        raise _fail_usage(str(exc)) from None
    if config.cross_file:
        config = _learn_from_run(config, paths, default_jobs(), follow_symlinks=False)
    documents = []
    failed = 0
    for item in _inputs(paths, config, follow_symlinks=False):
        try:
            if isinstance(item, InputError):
                raise item
            if is_html(item.path, config):  # explain what the article text went through
                try:
                    data = item.path.read_bytes()
                except OSError as exc:
                    raise InputError(f"{item.path}: cannot read: {exc.strerror or exc}") from exc
                result = clean_html(data, str(item.path), config)[1]
            else:
                result = clean_text(read_source(item.path).text, config)
            documents.append(Explained(str(item.path), result))
        except CleanerError as exc:
            _say(f"cleaner: error: {exc}")
            failed += 1
    if html_out is not None:
        try:
            html_out.write_text(render_html(documents), encoding="utf-8")
        except OSError as exc:
            raise _fail_usage(f"{html_out}: cannot write: {exc.strerror or exc}") from None
        _say(f"wrote {html_out}")
    else:
        use_color = sys.stdout.isatty() and "NO_COLOR" not in os.environ if color is None else color
        sys.stdout.write(render_text(documents, color=use_color))
    raise typer.Exit(EXIT_FAILED if failed else 0)


def _terminate(signum: int, frame: object) -> None:
    # SIGTERM as an exception: a write in progress removes its temp file on the way out.
    raise SystemExit(128 + signum)


def main() -> None:
    signal.signal(signal.SIGTERM, _terminate)
    app()


__all__ = ["app", "main"]
