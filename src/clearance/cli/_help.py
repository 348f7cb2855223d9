"""Help screens without clutter: a flag (``--json``, ``--batch``, ``--help``) takes no value, so its help line shows
no ``<bool>`` type. Typer offers no setting for this; the one method that renders the type column is wrapped once,
here, when the command line is imported."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from typer.core import TyperOption

_shown: Callable[[TyperOption, Any], str | None] = TyperOption.display_type_rich


def _type_column(option: TyperOption, ctx: Any) -> str | None:
    """The type an option's help line shows: none for a flag, Typer's own otherwise."""
    return None if option.is_flag else _shown(option, ctx)


def hide_flag_types() -> None:
    """Show no type for flags in every command's help."""
    TyperOption.display_type_rich = _type_column  # type: ignore[method-assign,assignment]
