"""Shared fixtures: the bundled regulations, and a data folder of the test session's own (helpers live in
support.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="session", autouse=True)
def _session_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Commands run without ``--database`` use a default database and index cache in the data folder: the session
    gets its own, so tests never read or write the user's folder nor another run's (a list imported by a test run
    elsewhere would change what this one screens against)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CLEARANCE_DATA_DIR", str(tmp_path_factory.mktemp("clearance-data")))
        yield


@pytest.fixture(scope="session")
def regulations() -> Any:
    from clearance.law import load_regulations

    return load_regulations()


@pytest.fixture(scope="session")
def jp(regulations: Any) -> Any:
    return regulations["jp"]
