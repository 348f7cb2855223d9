"""Shared fixtures: the bundled regulations (helpers live in support.py)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="session")
def regulations() -> Any:
    from clearance.law import load_regulations

    return load_regulations()


@pytest.fixture(scope="session")
def jp(regulations: Any) -> Any:
    return regulations["jp"]
