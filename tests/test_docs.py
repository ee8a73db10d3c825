"""Every command and every option of the CLI is documented in README.md."""

from __future__ import annotations

import click
import typer.main

from cleaner.cli import app

from .conftest import ROOT


def _commands() -> dict[str, click.Command]:
    group = typer.main.get_command(app)
    assert isinstance(group, click.Group)
    return dict(group.commands)


def test_every_command_is_in_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    for name in _commands():
        assert f"cleaner {name}" in readme, name


def test_every_option_is_in_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    for name, command in _commands().items():
        for param in command.params:
            if isinstance(param, click.Option):
                for opt in param.opts + param.secondary_opts:
                    if opt.startswith("--"):
                        assert opt in readme, f"{name} {opt}"


def test_every_command_help_has_examples() -> None:
    for name, command in _commands().items():
        assert command.help and "Example" in command.help, name
