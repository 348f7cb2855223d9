"""The ``clearance`` command line: thin commands over the library (parse, call one function, render).

One module per command group; what they share (failing, JSON output, the common options, the store) is in
:mod:`clearance.cli._common`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from importlib import import_module
from typing import Annotated, Any

import typer
from typer.core import TyperGroup
from typer.main import get_command_from_info, get_group_from_info
from typer.models import CommandInfo, TyperInfo

import clearance
from clearance.cli._help import hide_flag_types

#: Each command, in the order help lists them: its module in this package and what it holds there (a function is
#: one command, a ``Typer`` a group of them). A module is imported when its command is run or shown in help, so a
#: command loads only what it uses (``determine --batch`` neither the classifier nor the store).
COMMANDS = {
    "determine": ("determine", "determine"),
    "timeline": ("timeline", "timeline"),
    "impact": ("impact", "impact"),
    "serve": ("serve", "serve"),
    **{group: (group, "app") for group in ("regs", "classify", "screen", "lists", "decisions", "db", "keys")},
    **{group: (group, "app") for group in ("audit", "licences", "orders", "history", "spark")},
}


class _Commands(Mapping[str, Any]):
    """The commands by name, each built (its module imported) when first asked for."""

    def __init__(self) -> None:
        self._built: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            module, attribute = COMMANDS[name]
            target = getattr(import_module(f"clearance.cli.{module}"), attribute)
            short, markup = app.pretty_exceptions_short, app.rich_markup_mode  # as Typer builds them
            self._built[name] = (
                get_group_from_info(
                    TyperInfo(target, name=name),
                    pretty_exceptions_short=short,
                    rich_markup_mode=markup,
                    suggest_commands=app.suggest_commands,
                )
                if isinstance(target, typer.Typer)
                else get_command_from_info(
                    CommandInfo(name=name, callback=target), pretty_exceptions_short=short, rich_markup_mode=markup
                )
            )
        return self._built[name]

    def __iter__(self) -> Iterator[str]:
        return iter(COMMANDS)

    def __len__(self) -> int:
        return len(COMMANDS)


class _LazyGroup(TyperGroup):
    """The ``clearance`` group, its commands from :data:`COMMANDS`."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = _Commands()  # type: ignore[assignment]

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)


hide_flag_types()
app = typer.Typer(
    cls=_LazyGroup,
    help="clearance: export-control determinations from effective-dated, cited law-as-data.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(shown: bool) -> None:
    if shown:
        print(f"clearance {clearance.__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """clearance: export-control determinations from effective-dated, cited law-as-data."""


__all__ = ["COMMANDS", "app"]
