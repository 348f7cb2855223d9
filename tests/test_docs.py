"""Docs that cannot drift: generated references match the code, and every command is documented."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import typer

from clearance.cli import app
from clearance.law.reference import data_format_markdown, regime_markdown

ROOT = Path(__file__).resolve().parent.parent


def _gen_docs() -> object:
    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "scripts" / "gen_docs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_data_format_reference_is_current() -> None:
    assert (ROOT / "docs" / "data-format.md").read_text(encoding="utf-8") == data_format_markdown(), (
        "run .venv/bin/python scripts/gen_docs.py"
    )


def test_regime_pages_are_current(regulations: Any) -> None:
    for regime, regs in regulations.items():
        page = ROOT / "docs" / "regimes" / f"{regime}.md"
        assert page.read_text(encoding="utf-8") == regime_markdown(regs), "run .venv/bin/python scripts/gen_docs.py"


def test_cli_reference_is_current() -> None:
    gen = _gen_docs()
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == gen.cli_markdown(), (  # type: ignore[attr-defined]
        "run .venv/bin/python scripts/gen_docs.py"
    )


def _commands(group: typer.Typer, prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    found = {prefix}
    for command in group.registered_commands:
        found.add((*prefix, command.name or command.callback.__name__))  # type: ignore[union-attr]
    for sub in group.registered_groups:
        found |= _commands(sub.typer_instance, (*prefix, sub.name or ""))  # type: ignore[arg-type]
    return found


def test_every_command_is_in_the_cli_reference() -> None:
    documented = {tuple(c) for c in _gen_docs().COMMANDS}  # type: ignore[attr-defined]
    assert _commands(app) <= documented, f"add to scripts/gen_docs.py COMMANDS: {sorted(_commands(app) - documented)}"


def test_glossary_defines_the_domain_words() -> None:
    glossary = (ROOT / "docs" / "concepts.md").read_text(encoding="utf-8")
    for word in ("country_group", "control_entry", "licence_type", "catch_all", "end_use", "as_of", "data_version"):
        assert f"`{word}`" in glossary, word
