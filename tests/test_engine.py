"""The engine as a library: purity, explanations, warnings for unverified values and missing facts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from clearance import Shipment, determine
from clearance.errors import InputError


def _ship(**kw: Any) -> Shipment:
    base: dict[str, Any] = {
        "regime": "jp",
        "date": "2020-06-01",
        "destination": "DE",
        "item": {"control_code": "1C009.b", "kind": "goods", "value": 300000, "currency": "JPY"},
        "end_use": "civil",
    }
    base.update(kw)
    return Shipment.model_validate(base)


def test_determination_is_reproducible(regulations: Any) -> None:
    first = determine(_ship(), regulations)
    assert determine(_ship(), regulations) == first
    assert first.data_version == regulations["jp"].data_version


def _questions(d: Any) -> dict[str, tuple[str, ...]]:
    return {u.rule: u.missing for u in d.undecided}


def test_low_value_exemption_needs_the_value_in_yen(regulations: Any) -> None:
    """A value in another currency cannot settle a yen threshold: undecided, not "required" nor "exempt"."""
    d = determine(
        _ship(item={"control_code": "1C009.b", "kind": "goods", "value": 2000, "currency": "USD"}), regulations
    )
    assert d.licence_required is None and d.exemptions == ()
    assert d.basis == ("listed",)
    assert _questions(d) == {"exemptions.low_value": ("item.value in JPY",)}
    assert any("item.value in JPY" in w for w in d.warnings)


def test_low_value_exemption_without_a_value_is_not_assumed(regulations: Any) -> None:
    d = determine(_ship(item={"control_code": "1C009.b", "kind": "goods"}), regulations)
    assert d.licence_required is None
    assert _questions(d) == {"exemptions.low_value": ("item.value",)}
    assert any(w.startswith("item.value not given") for w in d.warnings)
    assert d.licence_options, "the licences that would authorise it are still listed"


def test_low_value_exemption_does_not_reach_technology(regulations: Any) -> None:
    """Art. 4 of the Export Trade Control Order exempts goods; technology has no value to test."""
    d = determine(_ship(item={"control_code": "1C009.b", "kind": "technology"}), regulations)
    assert d.licence_required is True and d.undecided == ()


def test_low_value_exemption_is_refused_outside_group_a_with_a_wmd_concern(regulations: Any) -> None:
    d = determine(_ship(destination="CN", end_use="wmd"), regulations)
    assert d.licence_required and d.exemptions == ()
    step = next(s for s in d.steps if s.rule == "exemptions.low_value")
    assert "WMD concern" in step.outcome


def test_exemption_step_cites_the_exemption(regulations: Any) -> None:
    d = determine(_ship(), regulations)
    assert d.exemptions == ("low_value",) and not d.licence_required and d.licence_options == ()
    assert {"eo_art_4_low_value", "meti_qa_low_value"} <= {c.id for c in d.citations}
    assert d.processing_days is None


def test_unverified_values_are_flagged(regulations: Any) -> None:
    d = determine(
        _ship(destination="KR", date="2019-07-10", item={"control_code": "1C009.b", "kind": "goods"}), regulations
    )
    assert any("measures.kr_three_items_2019" in w and "not verified" in w for w in d.warnings)
    measure = next(s for s in d.steps if s.rule == "measures.kr_three_items_2019")
    assert measure.values[0].verified is False and measure.values[0].effective == dt.date(2019, 7, 4)


def test_a_code_with_no_japanese_equivalent_is_not_listed_and_says_so(regulations: Any) -> None:
    d = determine(_ship(item={"control_code": "0A999", "kind": "goods", "hs_code": "9018.90"}), regulations)
    assert not d.licence_required
    assert any("0A999 has no equivalent" in w for w in d.warnings)


def test_unlisted_item_without_hs_code_is_undecided_not_assumed(regulations: Any) -> None:
    """Without an HS code an unlisted item may or may not fall in the catch-all row: the HS code decides."""
    d = determine(_ship(destination="CN", end_use="wmd", item={"control_code": None, "kind": "goods"}), regulations)
    assert d.licence_required is None and d.basis == ()
    assert d.control_entry["how"] == "undecided" and d.control_entry["candidates"] == ["16"]
    assert _questions(d)["requirements.catch_all_wmd_use"] == ("item.hs_code",)
    assert any(w.startswith("item.hs_code not given") for w in d.warnings)


def test_unlisted_item_without_hs_code_to_group_a_is_decided(regulations: Any) -> None:
    d = determine(_ship(destination="DE", end_use="wmd", item={"control_code": None, "kind": "goods"}), regulations)
    assert d.licence_required is False and d.undecided == ()


def test_unknown_end_use_is_undecided(regulations: Any) -> None:
    d = determine(
        _ship(destination="CN", end_use="unknown", item={"control_code": None, "hs_code": "8479.89", "kind": "goods"}),
        regulations,
    )
    assert d.licence_required is None and d.basis == ()
    assert set(_questions(d)) == {"requirements.catch_all_wmd_use"}
    assert any(w.startswith("end_use not given") for w in d.warnings)


_COMPUTER = {"control_code": None, "hs_code": "8471.30", "kind": "goods"}


def test_the_issue_example_is_undecided_naming_end_use_and_end_user(regulations: Any) -> None:
    d = determine(
        _ship(date="2026-01-15", destination="CN", end_use="unknown", item=_COMPUTER),
        regulations,
    )
    assert d.licence_required is None
    missing = {f for u in d.undecided for f in u.missing}
    assert {"end_use", "end_user"} <= missing


def test_a_decided_requirement_is_required_whatever_else_is_open(regulations: Any) -> None:
    """A known WMD use in China needs a licence; the end-user question stays listed but cannot change that."""
    d = determine(
        _ship(date="2026-01-15", destination="CN", end_use="wmd", item=_COMPUTER),
        regulations,
    )
    assert d.licence_required is True and "catch_all_wmd" in d.basis
    assert "requirements.catch_all_wmd_end_user" in _questions(d)


def test_technology_of_a_listed_item_is_listed(regulations: Any) -> None:
    d = determine(_ship(item={"control_code": "3C002.a.2", "kind": "technology"}), regulations)
    assert d.licence_required and d.control_entry["entry"] == "7(19)"
    assert "feo_table" in {c.id for c in d.citations}


@pytest.mark.parametrize("code", ["3c002.A.2", " 3C002.a.2 "])
def test_codes_are_normalised(regulations: Any, code: str) -> None:
    d = determine(_ship(item={"control_code": code, "kind": "goods"}), regulations)
    assert d.control_entry["code"] == "3C002.a.2"


def test_errors_name_the_field(regulations: Any) -> None:
    with pytest.raises(InputError) as caught:
        determine(_ship(destination="JP"), regulations)
    assert caught.value.field == "destination"


def test_json_of_memoised_answers_equals_plain_serialisation(regulations: Any) -> None:
    import orjson

    from clearance.engine.encode import line_json, to_json

    for date, ref in (("2019-07-10", "a"), ("2019-07-11", None), ("2019-07-12", 'quote " and 0001-01-01')):
        d = determine(_ship(destination="KR", date=date, ref=ref), regulations)
        assert to_json(d) == orjson.dumps(d, default=str)
        assert line_json(7, d) == b'{"position":7,' + to_json(d)[1:]
        assert line_json(7, d, shared=True) == line_json(7, d)
        assert orjson.loads(to_json(d))["date"] == date and orjson.loads(to_json(d))["ref"] == ref


class _Hit:
    def __init__(self, list_id: str, entry_id: str) -> None:
        self.list_id, self.list_version, self.entry_id = list_id, "2025-09-29", entry_id

    def to_dict(self) -> dict[str, Any]:
        return {"list_id": self.list_id, "list_version": self.list_version, "entry_id": self.entry_id}


class _EndUserList:
    """A screener holding only the End User List: a rule on another list stays undecided."""

    def covers(self, lists: frozenset[str]) -> frozenset[str]:
        return lists & {"jp-meti-eul"}

    def __call__(self, name: str, country: str | None, lists: frozenset[str]) -> list[_Hit]:
        assert lists == {"jp-meti-eul"}, "only the lists it covers are asked for"
        return [_Hit("jp-meti-eul", "EUL-123")] if "beihang" in name.lower() else []


_screener = _EndUserList()


def _computer_to_china(**kw: Any) -> Shipment:
    return _ship(
        date="2026-01-15",
        destination="CN",
        item={"control_code": None, "hs_code": "8471.50", "kind": "goods"},
        end_use="civil",
        **kw,
    )


def test_an_end_user_on_the_end_user_list_brings_catch_all(regulations: Any) -> None:
    d = determine(
        _computer_to_china(end_user={"name": "Beihang University", "country": "CN"}), regulations, screener=_screener
    )
    assert d.licence_required and d.basis == ("catch_all_wmd",)
    step = next(s for s in d.steps if s.rule == "requirements.catch_all_wmd_end_user")
    assert step.applies and step.facts["hits.jp-meti-eul"][0]["entry_id"] == "EUL-123"
    assert d.list_versions == {"jp-meti-eul": "2025-09-29"}
    assert "meti_eul_2025" in {c.id for c in d.citations}


def test_an_unlisted_end_user_is_cleared(regulations: Any) -> None:
    d = determine(
        _computer_to_china(end_user={"name": "Acme Trading", "country": "CN"}), regulations, screener=_screener
    )
    assert not d.licence_required


def test_without_a_screener_the_end_user_requirement_is_undecided(regulations: Any) -> None:
    d = determine(_computer_to_china(end_user={"name": "Beihang University", "country": "CN"}), regulations)
    assert not d.licence_required
    assert any(w.startswith("end_user screening against jp-meti-eul not given") for w in d.warnings)


def test_group_a_destinations_are_not_screened_for_the_end_user_requirement(regulations: Any) -> None:
    shipment = _computer_to_china(end_user={"name": "Beihang University", "country": "DE"})
    d = determine(shipment.model_copy(update={"destination": "DE"}), regulations, screener=_screener)
    assert "catch_all_wmd" not in d.basis
