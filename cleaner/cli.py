"""The command line: flags become a Config and a Mode here; the only module that prints or exits."""

from __future__ import annotations

import json
import signal
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from cleaner.config import Config, find_config_file, load_config
from cleaner.errors import CleanerError, ConfigError
from cleaner.files import decode, discover, remove_stale_temps
from cleaner.pipeline import clean_text
from cleaner.report import EXIT_USAGE, Report, describe
from cleaner.runner import FileOutcome, Mode, heavy_loss, process_file, unified_diff, unstable_encoding

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
        source = decode(data, "<stdin>")
    except CleanerError as exc:
        report.add(FileOutcome("<stdin>", error=str(exc)))
        _say(f"cleaner: error: {exc}")
        return
    result = clean_text(source.text, config)
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


def _announce(outcome: FileOutcome, mode: Mode, quiet: bool) -> None:
    if outcome.error is not None:
        _say(f"cleaner: error: {outcome.error}")
        return
    if outcome.held is not None:
        _say(f"cleaner: held back: {outcome.held}")
        return
    if quiet or outcome.result is None or not outcome.changed:
        return
    verb = "cleaned" if mode is Mode.FIX else "would clean"
    encoding = f" ({outcome.encoding})" if outcome.encoding and outcome.encoding != "utf-8" else ""
    _say(f"{verb} {outcome.name}{encoding}")
    for decision in outcome.result.decisions:
        _say(f"  {describe(decision)}")


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
    allow_heavy: Annotated[
        bool | None,
        typer.Option(
            "--allow-heavy",
            help="Write files even when cleaning removes more than max_removed_share (default 90%) of them.",
        ),
    ] = None,
    max_file_bytes: Annotated[
        int | None,
        typer.Option("--max-file-bytes", min=1, help="Refuse files larger than this (default 100000000)."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")] = False,
) -> None:
    mode = Mode.DIFF if diff else Mode.CHECK if check else Mode.FIX
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
                "allow_heavy": allow_heavy,
                "max_file_bytes": max_file_bytes,
            },
        )
    except ConfigError as exc:
        raise _fail_usage(str(exc)) from None

    report = Report(mode, keep_records=report_to is not None)
    if use_stdin:
        _clean_stdin(config, mode, report)
    else:
        write_mode = Mode.CHECK if stdout and mode is Mode.FIX else mode
        folders: set[Path] = set()
        for item in discover([Path(p) for p in paths], config.include, config.exclude):
            if isinstance(item, CleanerError):
                _say(f"cleaner: error: {item}")
                report.fail(str(item))
                continue
            if write_mode is Mode.FIX:
                # Temp files of an earlier, killed run: never read as input, and removed
                # (once the process that made them is gone) from each folder written to.
                folder = item.path.parent if output_dir is None else (output_dir / item.relative).parent
                if folder not in folders:
                    folders.add(folder)
                    for stale in remove_stale_temps(folder):
                        if not quiet:
                            _say(f"removed stale temp file {stale}")
            outcome = process_file(item, config, write_mode, output_dir)
            report.add(outcome)
            _announce(outcome, mode, quiet or stdout)
            if stdout and outcome.result is not None and outcome.source is not None:
                text = outcome.result.text if outcome.held is None else outcome.result.original
                _write_out(outcome.source.encode(text))
            if outcome.diff:
                _write_out(outcome.diff)
        if not quiet:
            _say(report.summary())
    if report_to is not None:
        _write_report(report, report_to)
    raise typer.Exit(report.exit_code)


def _terminate(signum: int, frame: object) -> None:
    # SIGTERM as an exception: a write in progress removes its temp file on the way out.
    raise SystemExit(128 + signum)


def main() -> None:
    signal.signal(signal.SIGTERM, _terminate)
    app()


__all__ = ["app", "main"]
