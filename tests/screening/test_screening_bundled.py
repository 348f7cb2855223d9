"""The data shipped in the package is what the converters make from ../shared/data today (no drift)."""

from __future__ import annotations

import json

import pytest

from clearance.screening.bundled import SOURCES, bundled_ids, load_bundled
from clearance.screening.importers import import_list
from clearance.screening.resources import NAME_DATA, build_name_data
from support import shared_path


def test_name_data_matches_the_rigour_resources() -> None:
    rigour = shared_path("data", "rigour-name-and-territory-resources")
    assert json.loads(NAME_DATA.read_text(encoding="utf-8")) == build_name_data(rigour)


@pytest.mark.parametrize("list_id", sorted(SOURCES))
def test_bundled_snapshot_equals_a_fresh_import(list_id: str) -> None:
    fmt, relative = SOURCES[list_id]
    fresh = import_list(shared_path("data", *relative.split("/")), fmt)
    assert load_bundled(list_id).version == fresh.version


def test_every_bundled_list_loads_with_its_hash() -> None:
    assert bundled_ids() == [
        "jp-meti-eul",
        "jp-meti-export-ban-belarus",
        "jp-meti-export-ban-russia",
        "jp-meti-export-ban-third",
        "jp-mof-asset-freeze",
        "us-csl",
    ]
    for list_id in bundled_ids():
        version = load_bundled(list_id)
        assert version.version.startswith("sha256:") and version.parties
