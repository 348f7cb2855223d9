"""Fixtures for the screening tests: the shared data folder and indexes over the bundled lists (the screening
commands, which use the store, are tested in tests/service/test_screening_cli.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

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
