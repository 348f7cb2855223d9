"""Fixtures of the classification tests: the Japanese pack, the mini fixture pack and indexes over them.

The packs are loaded one by one (not the whole bundled set), so these tests do not depend on packs that are
being written; the mini pack checks that nothing in the index is specific to Japan.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from clearance.classify.index import ControlIndex, build_index
from clearance.law import BUNDLED, load_pack

ROOT = Path(__file__).resolve().parents[2]
#: A date after every version of the Japanese pack.
AS_OF = dt.date(2026, 8, 1)


@pytest.fixture(scope="session")
def as_of() -> dt.date:
    return AS_OF


@pytest.fixture(scope="session")
def jp_pack() -> Any:
    return load_pack(BUNDLED / "jp")


@pytest.fixture(scope="session")
def mini_pack() -> Any:
    return load_pack(ROOT / "tests" / "fixtures" / "mini")


@pytest.fixture(scope="session")
def index(jp_pack: Any) -> ControlIndex:
    return build_index({"jp": jp_pack}, AS_OF)


@pytest.fixture(scope="session")
def two_packs(jp_pack: Any, mini_pack: Any) -> ControlIndex:
    return build_index({"jp": jp_pack, "mini": mini_pack}, AS_OF)
