"""Fixtures for the screening tests: the shared data folder, an index over the bundled lists, a CLI app."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from clearance.screening.bundled import load_bundled
from clearance.screening.index import ScreeningIndex
from support import shared_path


def data(*parts: str) -> Path:
    """A file under ../shared/data (the test skips with a reason when the shared folder is missing)."""
    return shared_path("data", *parts)


@pytest.fixture(scope="session")
def bundled_index() -> ScreeningIndex:
    """An index over every bundled list (METI End User List, MOF asset-freeze list, US CSL)."""
    return ScreeningIndex.build(load_bundled(i) for i in ("jp-meti-eul", "jp-mof-asset-freeze", "us-csl"))


@pytest.fixture(scope="session")
def eul_index() -> ScreeningIndex:
    """An index over the bundled METI End User List only."""
    return ScreeningIndex.build([load_bundled("jp-meti-eul")])


@pytest.fixture
def cli_app() -> typer.Typer:
    """The screening sub-apps mounted as ``clearance`` will mount them."""
    from clearance.screening.cli import decisions_app, lists_app, screen_app

    app = typer.Typer(pretty_exceptions_enable=False)
    app.add_typer(screen_app, name="screen")
    app.add_typer(lists_app, name="lists")
    app.add_typer(decisions_app, name="decisions")
    return app
