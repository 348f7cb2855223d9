"""Docs that cannot drift: generated references match the code, and every command is documented."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from typer.core import TyperGroup

from clearance.cli import app
from clearance.law.reference import data_format_markdown
from support import load_script

ROOT = Path(__file__).resolve().parent.parent


def test_data_format_reference_is_current() -> None:
    assert (ROOT / "docs" / "data-format.md").read_text(encoding="utf-8") == data_format_markdown(), (
        "run .venv/bin/python scripts/gen_docs.py"
    )


def test_regime_pages_are_current(regulations: Any) -> None:
    gen = load_script("gen_docs")
    for regime, regs in regulations.items():
        page = ROOT / "docs" / "regimes" / f"{regime}.md"
        expected = gen.regime_page(regs)  # type: ignore[attr-defined]
        assert page.read_text(encoding="utf-8") == expected, "run .venv/bin/python scripts/gen_docs.py"


def test_jp_regime_page_links_entries_to_their_clauses() -> None:
    page = (ROOT / "docs" / "regimes" / "jp.md").read_text(encoding="utf-8")
    assert "## Control-list entries and their Goods Ordinance clauses" in page
    assert "| `7(19)` |" in page and "Art. 6(1)(xix)" in page
    assert "| `3(1)` |" in page and "| Art. 2(1) | sheet |" in page
    assert "| `16(1)` |" in page and "Art. 14-2(1)" in page
    assert "https://laws.e-gov.go.jp/law/403M50000400049/20260214" in page
    assert "Goods Ordinance clauses" not in (ROOT / "docs" / "regimes" / "kr.md").read_text(encoding="utf-8")


def test_cli_reference_is_current() -> None:
    gen = load_script("gen_docs")
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == gen.cli_markdown(), (  # type: ignore[attr-defined]
        "run .venv/bin/python scripts/gen_docs.py"
    )


def _commands(command: Any, prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    """Every command path under ``command`` (the click command Typer builds), as help lists them."""
    found = {prefix}
    if isinstance(command, TyperGroup):
        ctx = typer.Context(command)
        for name in command.list_commands(ctx):
            found |= _commands(command.get_command(ctx, name), (*prefix, name))
    return found


def test_every_command_is_in_the_cli_reference() -> None:
    commands = _commands(typer.main.get_command(app))
    assert ("determine",) in commands and ("regs", "show") in commands and ("audit", "verify") in commands
    documented = {tuple(c) for c in load_script("gen_docs").COMMANDS}  # type: ignore[attr-defined]
    assert commands <= documented, f"add to scripts/gen_docs.py COMMANDS: {sorted(commands - documented)}"


def test_glossary_defines_the_domain_words() -> None:
    glossary = (ROOT / "docs" / "concepts.md").read_text(encoding="utf-8")
    for word in ("country_group", "control_entry", "licence_type", "catch_all", "end_use", "as_of", "data_version"):
        assert f"`{word}`" in glossary, word
