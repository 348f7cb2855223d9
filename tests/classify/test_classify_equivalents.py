"""Equivalents: symmetric, drawn from the packs' own concordance, and explicit about what has none."""

from __future__ import annotations

from typing import Any

import pytest

from clearance.classify.equivalents import INVERSE
from clearance.classify.index import ControlIndex
from clearance.law.codes import normalise_code


@pytest.mark.parametrize("fixture", ["index", "two_packs"])
def test_every_link_has_its_inverse(fixture: str, request: pytest.FixtureRequest) -> None:
    idx: ControlIndex = request.getfixturevalue(fixture)
    links = 0
    for ref in idx.entries:
        for link in idx.equivalence.direct(ref):
            links += 1
            back = [(e.ref, e.relation, e.how) for e in idx.equivalence.direct(link.ref)]
            assert (ref, INVERSE[link.relation], link.how) in back, f"{ref} -> {link}"
    assert links > 100


@pytest.mark.parametrize("pack_id", ["jp", "mini"])
def test_every_mapped_entry_is_equal_to_its_codes_both_ways(
    two_packs: ControlIndex, pack_id: str, jp_pack: Any, mini_pack: Any, as_of: Any
) -> None:
    pack = {"jp": jp_pack, "mini": mini_pack}[pack_id]
    snap = pack.at(as_of)
    assert snap.active["entries"]
    for eid, active in snap.active["entries"].items():
        ref = f"{pack_id}:{eid}"
        codes = {normalise_code(c) for c in active.value.codes}
        equal = {e.ref for e in two_packs.equivalents(ref) if e.relation == "equal"}
        assert codes <= equal, ref
        for code in codes:
            assert ref in {e.ref for e in two_packs.equivalents(code) if e.relation == "equal"}, code


def test_equivalents_agree_with_the_engines_classification(index: ControlIndex, jp_pack: Any, as_of: Any) -> None:
    snap = jp_pack.at(as_of)
    for ref, entry in index.entries.items():
        if entry.pack is not None:
            continue
        found = snap.classify(ref, None)
        want = found.entry or (found.row if found.how == "range" else None)
        linked = [e.ref for e in index.equivalents(ref) if e.ref.startswith("jp:")]
        if want is None:
            assert not linked, ref
        else:
            assert linked[:1] == [f"jp:{want}"], ref


def test_paragraph_inherits_through_its_code(index: ControlIndex) -> None:
    (link,) = index.equivalents("3C002.a.2")
    assert (link.ref, link.relation, link.how, link.via) == ("jp:7(19)", "within", "entry", "3C002")
    (hf,) = index.equivalents("1C350.d.15")
    assert (hf.ref, hf.via) == ("jp:3(1)", "1C350")


def test_row_ranges_link_both_ways(index: ControlIndex) -> None:
    assert [(e.ref, e.relation, e.how) for e in index.equivalents("1C002")] == [("jp:5", "within", "range")]
    contained = {e.ref for e in index.equivalents("jp:5") if e.relation == "contains"}
    assert {"1C002", "1C009", "1A003"} <= contained
    assert not any(r.startswith("1C350") for r in contained)


def test_explicit_entry_overrides_the_range(index: ControlIndex) -> None:
    assert [e.ref for e in index.equivalents("1C009")] == ["jp:5"]
    assert [(e.ref, e.relation) for e in index.equivalents("1C009.b")] == [("jp:5(17)", "equal")]


def test_wassenaar_and_us_numbering_share_multilateral_codes(index: ControlIndex) -> None:
    assert index.entries["3C002.a.2"].systems == ("wa", "us")
    assert index.entries["0A981"].systems == ("us",)
    assert index.entries["2B352"].systems == ("wa",)


def test_missing_equivalents_say_why(index: ControlIndex) -> None:
    us_only = {m.system: m.reason for m in index.missing("0A981")}
    assert set(us_only) == {"wa", "jp"} and "US unilateral" in us_only["wa"]
    assert us_only["jp"] == "no row or entry of the jp pack lists 0A981"
    assert {m.system for m in index.missing("2B352")} == {"us"}
    sub_item = {m.system: m.reason for m in index.missing("jp:5(5)")}
    assert set(sub_item) == {"wa", "us"} and "jp:5 covers codes by range" in sub_item["wa"]
    assert index.missing("3C002.a.2") == []
    assert index.missing("jp:7(19)") == []


def test_a_second_pack_is_indexed_the_same_way(two_packs: ControlIndex) -> None:
    assert "mini:5(17)" in {e.ref for e in two_packs.equivalents("1C009.b")}
    assert ("mini:5", "within") in {(e.ref, e.relation) for e in two_packs.equivalents("1C002")}
    assert {m.system for m in two_packs.missing("3C002.a.2")} == {"mini"}
