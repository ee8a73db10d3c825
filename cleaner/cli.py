"""The command line: flags become a Config and a Mode here; the only module that prints or exits."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from cleaner.config import Config, find_config_file, load_config
from cleaner.errors import CleanerError, ConfigError
from cleaner.files import decode, discover
from cleaner.pipeline import clean_text
from cleaner.report import EXIT_USAGE, Report, describe
from cleaner.runner import FileOutcome, Mode, process_file, unified_diff

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


def _resolve_config(config_file: Path | None, paths: list[str], overrides: dict[str, Any]) -> Config:
    if config_file is None:
        start = Path(paths[0]) if paths and paths[0] != "-" else Path.cwd()
        config_file = find_config_file(start if start.exists() else Path.cwd())
    config = load_config(config_file)
    changes = {k: v for k, v in overrides.items() if v is not None}
    return config.replace(**changes) if changes else config


def _write_report(report: Report, destination: str) -> None:
    text = json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n"
    if destination == "-":
        sys.stdout.write(text)
    else:
        Path(destination).write_text(text, encoding="utf-8")


def _clean_stdin(config: Config, mode: Mode, report: Report) -> None:
    data = sys.stdin.buffer.read()
    try:
        source = decode(data, "<stdin>")
    except CleanerError as exc:
        report.add(FileOutcome("<stdin>", error=str(exc)))
        _say(str(exc))
        return
    result = clean_text(source.text, config)
    outcome = FileOutcome("<stdin>", result, source.encoding)
    report.add(outcome)
    if mode is Mode.FIX:
        sys.stdout.buffer.write(source.encode(result.text))
    elif mode is Mode.DIFF:
        sys.stdout.write(unified_diff("<stdin>", result.original, result.text))
    sys.stdout.flush()


def _announce(outcome: FileOutcome, mode: Mode, quiet: bool) -> None:
    if outcome.error is not None:
        _say(f"cleaner: error: {outcome.error}")
        return
    if quiet or outcome.result is None or not outcome.changed:
        return
    verb = "cleaned" if mode is Mode.FIX else "would clean"
    _say(f"{verb} {outcome.name}")
    for decision in outcome.result.decisions:
        _say(f"  {describe(decision)}")


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
        from cleaner.jsonl import JsonlOptions, OnError

        self.format = input_format
        self.options = JsonlOptions(
            text_field=text_field, keep_removed=keep_removed, on_error=OnError(on_error)
        )
        self.jobs = jobs if jobs is not None else (os.cpu_count() or 1)
        self.scheduler = scheduler
        self.dask_local = dask == "local"
        self.quiet = quiet
        self._stack = contextlib.ExitStack()
        self._runner: Any = None

    def include(self, patterns: tuple[str, ...]) -> tuple[str, ...]:
        """With --format jsonl, folders are searched for JSONL files unless --include says otherwise."""
        from cleaner.jsonl import JSONL_PATTERNS

        return JSONL_PATTERNS if self.format == "jsonl" and patterns == Config().include else patterns

    def wants(self, path: Path) -> bool:
        from cleaner.jsonl import is_jsonl

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
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")] = False,
    input_format: Annotated[
        str,
        typer.Option("--format", metavar="auto|text|jsonl", help="Input format (auto: by file name)."),
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
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="JSONL: worker processes (default: all cores).")
    ] = None,
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
    if input_format not in ("auto", "text", "jsonl"):
        raise _fail_usage(f"--format must be auto, text or jsonl, not {input_format!r}")
    if on_error not in ("skip", "stop"):
        raise _fail_usage(f"--on-error must be skip or stop, not {on_error!r}")
    if dask not in (None, "local"):
        raise _fail_usage(f"--dask takes 'local' (for a real cluster use --scheduler), not {dask!r}")
    if dask and scheduler:
        raise _fail_usage("--dask local and --scheduler exclude each other")
    use_stdin = paths == ["-"]
    if "-" in paths and not use_stdin:
        raise _fail_usage("'-' (stdin) cannot be mixed with other paths")
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
            },
        )
    except ConfigError as exc:
        raise _fail_usage(str(exc)) from None

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
        include_patterns = jsonl.include(config.include)
        for item in discover([Path(p) for p in paths], include_patterns, config.exclude):
            if isinstance(item, CleanerError):
                _say(f"cleaner: error: {item}")
                report.fail(str(item))
                continue
            if jsonl.wants(item.path):
                if not jsonl.clean_file(item, config, mode, output_dir, stdout, report):
                    break  # --on-error stop
                continue
            outcome = process_file(item, config, write_mode, output_dir)
            report.add(outcome)
            _announce(outcome, mode, quiet or stdout)
            if stdout and outcome.result is not None:
                sys.stdout.write(outcome.result.text)
            if outcome.diff:
                sys.stdout.write(outcome.diff)
        if not quiet:
            _say(report.summary())
    jsonl.close()
    if report_to is not None:
        _write_report(report, report_to)
    raise typer.Exit(report.exit_code)


def main() -> None:
    app()


__all__ = ["app", "main"]
