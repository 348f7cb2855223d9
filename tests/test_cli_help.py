"""Every command's ``--help`` shows how to call it: an example starting with the command's own words."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import typer.main

from clearance.cli import app

ROOT = typer.main.get_command(app)


def _commands(group: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    if getattr(group, "commands", None):
        for name, command in group.commands.items():
            yield from _commands(command, (*path, name))
    else:
        yield path, group


COMMANDS = dict(_commands(ROOT))


@pytest.mark.parametrize("path", sorted(COMMANDS), ids=" ".join)
def test_help_has_an_example(path: tuple[str, ...]) -> None:
    assert f"clearance {' '.join(path)}" in (COMMANDS[path].help or ""), f"add an example to `{' '.join(path)}`"


def test_version() -> None:
    from typer.testing import CliRunner

    import clearance

    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout == f"clearance {clearance.__version__}\n"
