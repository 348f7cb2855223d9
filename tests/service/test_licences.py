"""The licence register's pure rules: coverage, refusals with reasons, drawdown balances in Decimal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError
from servicedata import HF_KR, terms

from clearance.engine import determine
from clearance.engine.io import parse_shipment
from clearance.errors import LicenceRefusedError
from clearance.licences import Licence, LicenceTerms, cover, draw, expiring, refusals, warnings


def _licence(**changes: Any) -> Licence:
    status = changes.pop("status", "active")
    used = Decimal(changes.pop("value_used", 0))
    return Licence(id=1, terms=LicenceTerms.model_validate(terms(**changes)), status=status, value_used=used)


def _shipment(**changes: Any) -> Any:
    data = {**HF_KR, **changes}
    return parse_shipment(data)


def _reasons(licence: Licence, shipment: Any, regulations: Any = None, **kw: Any) -> list[str]:
    answer = determine(shipment, regulations) if regulations is not None else None
    return [r.reason for r in refusals(licence, shipment, answer, **kw)]


def test_a_matching_licence_covers(regulations: Any) -> None:
    shipment = _shipment()
    answer = determine(shipment, regulations)
    assert answer.licence_required
    (found,) = cover([_licence()], shipment, answer)
    assert found.covers and found.refusals == ()


@pytest.mark.parametrize(
    ("licence", "shipment", "reason"),
    [
        ({"valid_to": "2019-05-31"}, {}, "expired"),
        ({"valid_from": "2019-07-01", "valid_to": "2019-12-31"}, {}, "not_yet_valid"),
        ({"destinations": ["TW"]}, {}, "destination_not_covered"),
        ({"control_entries": ["3C002"]}, {}, "item_not_covered"),
        ({"counterparties": ["Someone Else"]}, {}, "counterparty_not_covered"),
        ({}, {"end_user": None}, "counterparty_not_covered"),
        ({"regime": "kr"}, {}, "regime"),
        ({"status": "revoked"}, {}, "not_active"),
        ({"licence_type": "general_bulk_for_nothing"}, {}, "licence_type_not_eligible"),
        ({"value_limit": "1000", "currency": "JPY"}, {}, "overdraw_value"),
        ({"currency": "USD"}, {}, "currency_mismatch"),
    ],
)
def test_each_refusal_has_its_reason(
    regulations: Any, licence: dict[str, Any], shipment: dict[str, Any], reason: str
) -> None:
    assert reason in _reasons(_licence(**licence), _shipment(**shipment), regulations, quantity=Decimal(1), unit="kg")


def test_wildcards_and_pack_entries_cover(regulations: Any) -> None:
    anything = _licence(destinations=["*"], control_entries=["*"], counterparties=["*"])
    assert _reasons(anything, _shipment(), regulations, quantity=Decimal(1), unit="kg") == []
    by_pack_entry = _licence(control_entries=["3(1)"])
    assert "item_not_covered" not in _reasons(by_pack_entry, _shipment(), regulations)
    by_parent_code = _licence(control_entries=["1C"])  # not a code: only an exact pack entry would match
    assert "item_not_covered" in _reasons(by_parent_code, _shipment(), regulations)


def test_counterparty_names_match_loosely() -> None:
    licence = _licence(counterparties=["EXAMPLE CO LTD"])
    assert "counterparty_not_covered" not in _reasons(licence, _shipment())


def test_quantity_rules() -> None:
    licence = _licence()
    shipment = _shipment()
    assert "quantity_missing" in _reasons(licence, shipment)
    assert "unit_mismatch" in _reasons(licence, shipment, quantity=Decimal(5), unit="t")
    assert "overdraw_quantity" in _reasons(licence, shipment, quantity=Decimal("1000.5"), unit="kg")
    assert _reasons(licence, shipment, quantity=Decimal("1000"), unit="kg") == []


def test_draw_updates_balances_exactly() -> None:
    licence = _licence(value_limit="10000000.10")
    first = draw(licence, _shipment(item={**HF_KR["item"], "value": "0.10"}), quantity=Decimal("0.1"), unit="kg")
    second = draw(first.licence, _shipment(item={**HF_KR["item"], "value": "0.20"}), quantity=Decimal("0.2"), unit="kg")
    assert second.licence.value_used == Decimal("0.30")
    assert second.licence.quantity_used == Decimal("0.3")
    assert second.licence.value_left == Decimal("9999999.80")


def test_draw_refuses_with_the_first_reason() -> None:
    licence = _licence(value_used="5000000")
    with pytest.raises(LicenceRefusedError) as caught:
        draw(licence, _shipment(), quantity=Decimal(1), unit="kg")
    assert caught.value.reason == "overdraw_value"
    assert caught.value.licence == "METI-2019-0001"
    assert "5000000 JPY left" in caught.value.message


def test_expiry_warnings() -> None:
    licence = _licence(valid_to="2019-06-20")
    assert any("expires in 17 days" in w for w in warnings(licence, dt.date(2019, 6, 3)))
    assert expiring([licence], dt.date(2019, 6, 3)) == [licence]
    assert expiring([licence], dt.date(2019, 4, 1)) == []
    assert expiring([licence], dt.date(2019, 7, 1)) == []


def test_low_balance_warning() -> None:
    licence = _licence(value_used="9500000")
    assert any("500000 JPY left" in w for w in warnings(licence, dt.date(2019, 6, 3)))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"valid_to": "2018-12-31"}, "valid_to"),
        ({"destinations": ["XX"]}, "destinations"),
        ({"destinations": []}, "destinations"),
        ({"control_entries": ["no such thing!"]}, "control_entries"),
        ({"currency": None}, "currency"),
        ({"unit": None}, "unit"),
        ({"value_limit": "-5"}, "value_limit"),
        ({"holder": "bad\x00name"}, "holder"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_terms_name_the_field(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        LicenceTerms.model_validate(terms(**changes))
    assert caught.value.errors()[0]["loc"][0] == field
