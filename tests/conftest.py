"""Shared fixtures: the bundled regulations (helpers live in support.py)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, settings

# Tests never assert wall-clock times: a property's example, or drawing its examples, may take long on a loaded
# machine (a table loaded on first use, other jobs on the cores) without failing.
settings.register_profile("clearance", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("clearance")


@pytest.fixture(scope="session")
def regulations() -> Any:
    from clearance.law import load_regulations

    return load_regulations()


@pytest.fixture(scope="session")
def jp(regulations: Any) -> Any:
    return regulations["jp"]
