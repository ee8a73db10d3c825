"""The command line: flags become one ``Options`` and one ``Config`` here; the only module that
prints or exits. What a run does is in run.py."""

from __future__ import annotations

import importlib.util
import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import click
import typer
import typer.core

from cleaner import __version__, run
from cleaner.config import EXTRACTORS, FORMATS, Config, resolve_config
from cleaner.engine import default_jobs
from cleaner.errors import ConfigError
from cleaner.report import EXIT_FAILED, EXIT_USAGE, Report
from cleaner.run import NORMAL, QUIET, Options
from cleaner.runner import Mode

EXIT_INTERRUPTED = 130  # the shell's convention for SIGINT
# Typer escapes "[required]" for rich even when rich markup is off; plain help wants none of it.
typer.core.HAS_RICH = False

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    help="Strip page boilerplate and repeated paragraphs from scraped text.",
)

CLEAN_HELP = """Clean files or folders in place (or stdin to stdout with '-').

Examples:

\b
  cleaner clean scraped/                      # fix every .txt/.md/.text file in place
  cleaner clean page.txt --diff               # show what would go, change nothing
  cleaner clean corpus/ --output-dir clean/   # cleaned copies, mirroring the tree
  cleaner clean - < in.txt > out.txt          # a pipe
  cleaner clean docs/ --check --report -      # CI: exit 1 and a JSON report if dirty
  cleaner clean pages/ --output-dir text/     # HTML pages -> article text, x.html -> x.txt
  cleaner clean page.html --stdout            # one page's article text

Prints a summary; -v adds a line per changed file, -vv every removed block.
Exit codes: 0 ok (files may have been fixed), 1 --check/--diff found changes
(or a fix with --exit-non-zero-on-fix), 2 usage or config error, 123 some input
could not be processed or was skipped as HTML in place (the rest were).
"""


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cleaner {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Strip page boilerplate and repeated paragraphs from scraped text."""


def _say(message: str) -> None:
    typer.echo(message, err=True)


def _fail_usage(message: str) -> typer.Exit:
    _say(f"cleaner: error: {message}")
    return typer.Exit(EXIT_USAGE)


def _config(
    config_file: Path | None, paths: list[str], overrides: dict[str, Any], profile: Path | None = None
) -> Config:
    start = Path(paths[0]) if paths and paths[0] != "-" else None
    try:
        return resolve_config(config_file, start, overrides, profile)
    except ConfigError as exc:
        raise _fail_usage(str(exc)) from None


def _write_out(data: bytes) -> None:
    sys.stdout.flush()  # text already printed goes first
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


class _Terminal:
    """A run's ``Output``: messages on stderr (above the progress bar, if one is drawn), data on stdout."""

    def __init__(self, say: Callable[[str], None] = _say, advance: Callable[[], None] = lambda: None) -> None:
        self.say, self.advance = say, advance

    def write(self, data: bytes) -> None:
        _write_out(data)


@contextmanager
def _progress(total: int | None, enabled: bool) -> Iterator[_Terminal]:
    """A bar on stderr when ``enabled`` (a terminal, not --quiet), with a way to print above it."""
    if not enabled:
        yield _Terminal()
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

        yield _Terminal(lambda message: console.print(message, markup=False, soft_wrap=True), advance)


Opt = typer.Option
ConfigFile = Annotated[
    Path | None, Opt("--config", help="Config file (default: nearest .cleaner.toml/pyproject.toml).")
]
Jobs = Annotated[int | None, Opt("--jobs", "-j", min=1, help="Worker processes (default: all cores).")]
Quiet = Annotated[bool, Opt("--quiet", "-q", help="Print errors only.")]
Follow = Annotated[bool, Opt("--follow-symlinks", help="Follow symbolic links inside folders.")]
CrossFile = Annotated[bool | None, Opt(help="Learn a profile from this run's files first.")]


def _choice(*values: str, help: str) -> Any:  # noqa: A002 - Typer's name
    return Opt(click_type=click.Choice(values), help=help)


@app.command(help=CLEAN_HELP, no_args_is_help=True)
def clean(
    paths: Annotated[list[str], typer.Argument(help="Files or folders to clean; '-' reads stdin.")],
    output_dir: Annotated[Path | None, Opt("--output-dir", "-o", help="Write cleaned copies here.")] = None,
    check: Annotated[bool, Opt("--check", help="Change nothing; exit 1 if anything would change.")] = False,
    diff: Annotated[bool, Opt("--diff", help="Change nothing; print a unified diff; exit 1 if any.")] = False,
    stdout: Annotated[bool, Opt("--stdout", help="Print cleaned text to stdout, change no file.")] = False,
    report_to: Annotated[str | None, Opt("--report", metavar="FILE|-", help="Write a JSON report.")] = None,
    config_file: ConfigFile = None,
    include: Annotated[
        list[str] | None, Opt("--include", help="Glob of file names to clean in folders.")
    ] = None,
    exclude: Annotated[list[str] | None, Opt("--exclude", help="Glob of files to skip (repeatable).")] = None,
    near_threshold: Annotated[float | None, Opt(min=0, max=100, help="Ratio for near repeats.")] = None,
    containment_threshold: Annotated[float | None, Opt(min=0, max=100, help="Ratio for cut repeats.")] = None,
    duplicates: Annotated[bool | None, Opt(help="Remove repeated paragraphs.")] = None,
    boilerplate: Annotated[bool | None, Opt(help="Remove page boilerplate.")] = None,
    extractor: Annotated[str | None, _choice(*EXTRACTORS, help="Who finds an HTML page's article.")] = None,
    allow_heavy: Annotated[bool | None, Opt("--allow-heavy", help="Write even what would lose >97%.")] = None,
    max_file_bytes: Annotated[int | None, Opt(min=1, help="Refuse larger files (default 100000000).")] = None,
    quiet: Quiet = False,
    verbose: Annotated[
        int,
        Opt(
            "--verbose", "-v", count=True, show_default=False, help="-v: each changed file; -vv: each block."
        ),
    ] = 0,
    jobs: Jobs = None,
    profile: Annotated[
        Path | None, Opt(help="Also remove the site boilerplate listed in this profile.")
    ] = None,
    cross_file: CrossFile = None,
    follow_symlinks: Follow = False,
    input_format: Annotated[
        str, Opt("--format", click_type=click.Choice([*FORMATS, "jsonl"]), help="auto: by file name.")
    ] = "auto",
    text_field: Annotated[str, Opt(help="JSONL: the field holding each document's text.")] = "text",
    keep_removed: Annotated[bool, Opt("--keep-removed", help="JSONL: keep removed blocks and why.")] = False,
    on_error: Annotated[str, _choice("skip", "stop", help="JSONL: a bad line is copied, or stops.")] = "skip",
    scheduler: Annotated[
        str | None, Opt(metavar="tcp://HOST:PORT", help="JSONL: on this Dask cluster.")
    ] = None,
    dask: Annotated[str | None, _choice("local", help="JSONL: on a new Dask LocalCluster.")] = None,
    exit_non_zero_on_fix: Annotated[
        bool, Opt("--exit-non-zero-on-fix", help="Exit 1 if a file was fixed.")
    ] = False,
) -> None:
    mode = Mode.DIFF if diff else Mode.CHECK if check else Mode.FIX
    use_stdin = paths == ["-"]
    if dask and scheduler:
        raise _fail_usage("--dask local and --scheduler exclude each other")
    if "-" in paths and not use_stdin:
        raise _fail_usage("'-' (stdin) cannot be mixed with other paths")
    if report_to == "-" and (use_stdin or stdout or mode is Mode.DIFF):
        raise _fail_usage("--report - needs stdout for itself; give it a file name")
    overrides = {
        "include": tuple(include) if include else None,
        "exclude": tuple(exclude) if exclude else None,
        "format": input_format if input_format in ("text", "html") else None,
        **dict(
            near_threshold=near_threshold, containment_threshold=containment_threshold, extractor=extractor
        ),
        **dict(
            duplicates=duplicates, boilerplate=boilerplate, cross_file=cross_file, allow_heavy=allow_heavy
        ),
        "max_file_bytes": max_file_bytes,
    }
    config = _config(config_file, paths, overrides, profile)
    if config.extractor == "trafilatura" and importlib.util.find_spec("trafilatura") is None:
        raise _fail_usage("--extractor trafilatura needs trafilatura: pip install 'cleaner[trafilatura]'")
    options = Options(
        mode, output_dir, stdout, report_to is not None, QUIET if quiet else NORMAL + verbose,
        jobs or default_jobs(), follow_symlinks, input_format, text_field, keep_removed, on_error,
        scheduler, dask == "local", exit_non_zero_on_fix,
    )  # fmt: skip
    report = Report(mode, keep_records=options.keep_records, fail_on_fix=exit_non_zero_on_fix)
    show_bar = not quiet and not use_stdin and sys.stderr.isatty()
    try:
        total = run.count_inputs(paths, config, options) if show_bar else None
        with _progress(total, show_bar) as out:
            run.clean(paths, config, options, report, out, sys.stdin.buffer)
    except ConfigError as exc:
        raise _fail_usage(str(exc)) from None
    except KeyboardInterrupt:
        _say("cleaner: interrupted; every file is either untouched or fully cleaned")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    if not quiet and not use_stdin:
        _say(report.summary(per_rule=verbose > 0))
    if report_to is not None:
        data = report.json_bytes()
        _write_out(data) if report_to == "-" else Path(report_to).write_bytes(data)
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
    output: Annotated[Path, Opt("--output", "-o", help="Profile file to write ('-': stdout).")],
    min_docs: Annotated[
        int | None, Opt(min=1, help="A block must be in at least this many files (3).")
    ] = None,
    min_share: Annotated[
        float | None, Opt(min=0.0, max=1.0, help="... and this share of them (0.3).")
    ] = None,
    config_file: ConfigFile = None,
    jobs: Jobs = None,
    follow_symlinks: Follow = False,
    quiet: Quiet = False,
) -> None:
    from cleaner.detectors.site import format_profile

    config = _config(config_file, folders, {"profile_min_docs": min_docs, "profile_min_share": min_share})
    options = Options(jobs=jobs or default_jobs(), follow_symlinks=follow_symlinks)
    keys, documents, problems = run.learn(folders, config, options)
    for problem in problems:
        _say(f"cleaner: error: {problem}")
    least = f"{config.profile_min_docs} files and {config.profile_min_share:.0%} of them"
    text = format_profile(
        keys, f"learned by `cleaner learn` from {documents} file(s): blocks found in at least {least}"
    )
    if str(output) == "-":
        sys.stdout.write(text)
    else:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise _fail_usage(f"{output}: cannot write profile: {exc.strerror or exc}") from None
    if not quiet:
        least = f"{config.profile_min_docs} and {config.profile_min_share:.0%}"
        _say(f"{len(keys)} block(s) found in at least {least} of {documents} file(s) -> {output}")
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
        Path | None, Opt("--html", metavar="OUT.html", help="Write a self-contained HTML page.")
    ] = None,
    config_file: ConfigFile = None,
    profile: Annotated[Path | None, Opt("--profile", help="Site profile to apply too.")] = None,
    color: Annotated[bool | None, Opt("--color/--no-color", help="Colour (default: on a terminal).")] = None,
    cross_file: CrossFile = None,
) -> None:
    from cleaner.explain import render_html, render_text

    config = _config(config_file, paths, {"cross_file": cross_file}, profile)
    documents, problems = run.explain(paths, config, Options(jobs=default_jobs()))
    for problem in problems:
        _say(f"cleaner: error: {problem}")
    if html_out is not None:
        try:
            html_out.write_text(render_html(documents), encoding="utf-8")
        except OSError as exc:
            raise _fail_usage(f"{html_out}: cannot write: {exc.strerror or exc}") from None
        _say(f"wrote {html_out}")
    else:
        use_color = sys.stdout.isatty() and "NO_COLOR" not in os.environ if color is None else color
        sys.stdout.write(render_text(documents, color=use_color))
    raise typer.Exit(EXIT_FAILED if problems else 0)


def _terminate(signum: int, frame: object) -> None:
    # SIGTERM as an exception: a write in progress removes its temp file on the way out.
    raise SystemExit(128 + signum)


def main() -> None:
    signal.signal(signal.SIGTERM, _terminate)
    app()


__all__ = ["app", "main"]
