"""The sample catalogue in examples/: clean, classified for jp with reasons, and consistent with the pack."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from clearance.classify.catalogue import Catalogue
from clearance.classify.tabular import read_catalogue

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "catalogue.csv"


@pytest.fixture(scope="module")
def sample(jp_pack: Any) -> Catalogue:
    result = read_catalogue(EXAMPLE, {"jp": jp_pack})
    assert result.problems == (), [str(p) for p in result.problems]
    return result.catalogue


def test_about_fifty_products_all_classified_for_jp(sample: Catalogue) -> None:
    assert 45 <= len(sample) <= 70
    for product in sample.values():
        found = product.classification("jp")
        assert found is not None, product.part_number
        assert len(found.evidence) > 40, product.part_number


def test_the_seeds_goods_are_there(sample: Catalogue) -> None:
    codes = {p.classification("jp").control_code for p in sample.values()}  # type: ignore[union-attr]
    assert {"1C350.d.15", "1C009.b", "3C002.a.2", "1C202.b", "7A002", "2B001"} <= codes
    assert "8705.10" in {p.hs_code for p in sample.values()}
    assert any(p.kind == "technology" for p in sample.values())


def test_entries_match_where_the_pack_puts_each_product(sample: Catalogue, jp_pack: Any, as_of: dt.date) -> None:
    snap = jp_pack.at(as_of)
    catch_all = set(snap.catch_all_rows())
    for product in sample.values():
        c = product.classification("jp")
        assert c is not None
        found = snap.classify(c.control_code, product.hs_code)
        # An entry names a row's sub-item ("5(17)" is in row 5), unless the sub-item is a row of its own ("16(2)").
        row = c.entry if c.entry in snap.active["rows"] else (c.entry or "").split("(")[0] or None
        if c.status == "listed":
            assert found.how in ("entry", "range") and found.row == row, product.part_number
            if found.entry is not None:
                assert c.entry == found.entry, product.part_number
        else:
            assert (found.row in catch_all) == (row in catch_all), product.part_number
            assert found.row == row, product.part_number
