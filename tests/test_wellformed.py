"""The fast path of batches (clearance.engine.wellformed) reads a line to the model's own shipment, or leaves
it to the model."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from clearance.engine.io import parse_shipment
from clearance.engine.shipment import Shipment
from clearance.engine.wellformed import well_formed
from clearance.errors import ClearanceError

_TEXT = st.sampled_from(["", " ", " x", "x ", "\u00a0x", "x\u2028", "a:b", 'a\\"', "\u3000", 5])
_COUNTRIES = st.sampled_from(["cn", " US", "XX", "China", "韓国", "Korea", "", 5])
_DATES = st.sampled_from(["2019/7/5", "R1.7.5", "20190705", "43651", "2019-02-30", " 2019-07-15", "", "x", 43651])
_AMOUNTS = ["1,000", "¥7,200,000", "-5", ".5", "1e3", "", " 12", "１２", "(500)", "NaN", -1, 1.5, True]


def _either(draw: st.DrawFn, plain: st.SearchStrategy[Any], odd: st.SearchStrategy[Any]) -> Any:
    """Mostly a plain value, now and then an odd one (so that many lines are well formed, and not all)."""
    return draw(odd) if draw(st.integers(0, 11)) == 0 else draw(plain)


def _maybe(draw: st.DrawFn, data: dict[str, Any], key: str, plain: Any, odd: st.SearchStrategy[Any]) -> None:
    if draw(st.booleans()):
        data[key] = _either(draw, plain if isinstance(plain, st.SearchStrategy) else st.just(plain), odd)


@st.composite
def _shipments(draw: st.DrawFn) -> Any:
    codes = st.sampled_from([None, "1C350", "3c002.A.2", "9Z999"])
    item: dict[str, Any] = {"kind": _either(draw, st.sampled_from(["goods", "technology"]), st.just("Goods"))}
    _maybe(draw, item, "control_code", codes, _TEXT)
    _maybe(draw, item, "cas", st.sampled_from([None, "7664-39-3"]), st.sampled_from(["7664-39-4", " x"]))
    _maybe(draw, item, "hs_code", st.sampled_from([None, "8479.89", "8458", "84"]), st.sampled_from(["x", 8458]))
    amounts = st.one_of(st.none(), st.integers(0, 2**70), st.integers(0, 10**9).map(str), st.just("10.50"))
    _maybe(draw, item, "value", amounts, st.sampled_from(_AMOUNTS))
    _maybe(draw, item, "currency", st.sampled_from([None, "JPY", "USD"]), st.sampled_from(["jpy", "JPY ", "JPYX"]))
    _maybe(draw, item, "product", st.nothing(), st.sampled_from(["P-1", None]))
    data: dict[str, Any] = {"regime": _either(draw, st.sampled_from(["jp", "kr"]), st.sampled_from(["", " jp"]))}
    _maybe(draw, data, "date", st.dates().map(str), _DATES)
    if draw(st.integers(0, 11)):
        data["date"] = data.get("date", "2020-01-01")
    data["destination"] = _either(draw, st.sampled_from(["CN", "US", "JP", "KP"]), _COUNTRIES)
    data["item"] = item
    _maybe(draw, data, "ref", st.one_of(st.none(), st.text(max_size=8).map(str.strip)), _TEXT)
    _maybe(draw, data, "end_use", st.sampled_from(["civil", "wmd", "unknown"]), st.sampled_from(["Civil", None]))
    party = st.fixed_dictionaries(
        {"name": st.sampled_from(["Acme", "Admiralty Shipyard JSC"])},
        optional={"country": st.sampled_from([None, "RU", "CN"])},
    )
    odd_party = st.one_of(st.just({"name": "A", "x": 1}), st.fixed_dictionaries({"name": _TEXT, "country": _COUNTRIES}))
    _maybe(draw, data, "end_user", st.one_of(st.none(), party), odd_party)
    _maybe(draw, data, "informed", st.booleans(), st.sampled_from([1, "true", None]))
    _maybe(draw, data, "red_flags", st.lists(st.just("unusual_route"), max_size=2), st.just("unusual_route"))
    exporter = st.dictionaries(st.just("cp_grade"), st.one_of(st.integers(), st.booleans(), st.just("AA")))
    odd_exporter = st.dictionaries(_TEXT, st.one_of(_TEXT, st.floats(0, 1)), min_size=1, max_size=2)
    _maybe(draw, data, "exporter", exporter, odd_exporter)
    if not draw(st.integers(0, 11)):
        data["extra"] = 1
    text = json.dumps(data, ensure_ascii=draw(st.booleans()), separators=(",", ":")).encode()
    if not draw(st.integers(0, 5)):  # written another way: spaced, a key twice, a byte-order mark, cut short
        text = draw(
            st.sampled_from(
                [
                    text.replace(b":", b" : "),
                    text.replace(b"{", b'{"regime":"xx",', 1),
                    text.replace(b"{", b'{"destination":"XX",', 1),
                    b"\xef\xbb\xbf" + text,
                    text + b"x",
                    text[:-1],
                ]
            )
        )
    return text.decode("utf-8") if draw(st.booleans()) else text


def _state(model: BaseModel) -> Any:
    """Everything a model holds: values, their types and the fields set, nested models included."""
    return {
        name: (type(value), _state(value) if isinstance(value, BaseModel) else value)
        for name, value in model.__dict__.items()
    } | {"__set__": model.model_fields_set}


@settings(max_examples=600, deadline=None)
@given(_shipments())
def test_a_line_is_read_as_the_model_reads_it(text: bytes | str) -> None:
    found = well_formed(text)
    try:
        expected = Shipment.model_validate_json(text)
    except ValidationError:
        assert found is None
        return
    if found is not None:
        assert _state(found) == _state(expected)
        assert found.model_dump_json() == expected.model_dump_json()
        assert found == expected


def test_a_plain_line_takes_the_fast_path() -> None:
    line = (
        b'{"ref":"SO-1","regime":"jp","date":"2020-01-01","destination":"cn","item":{"control_code":"1C350",'
        b'"kind":"goods","value":"1000","currency":"JPY"},"end_user":{"name":"Acme","country":"CN"}}'
    )
    found = well_formed(line)
    assert found is not None and found.destination == "CN" and found.item.value is not None
    assert _state(found) == _state(Shipment.model_validate_json(line))


@pytest.mark.parametrize(
    "line",
    [
        b'{"regime":"jp","date":"2020-01-01","destination":"CN","destination":"XX","item":{"kind":"goods"}}',
        b'{"regime":"jp","date":"2020-01-01","destination":"CN","item":{"kind":"goods","value":-1}}',
        b'{"regime":"jp","date":"2020-02-30","destination":"CN","item":{"kind":"goods"}}',
    ],
)
def test_a_bad_line_keeps_the_models_error(line: bytes) -> None:
    assert well_formed(line) is None
    with pytest.raises(ClearanceError) as exc:
        parse_shipment(line)
    with pytest.raises(ValidationError):
        Shipment.model_validate_json(line)
    assert exc.value.field in {"destination", "item.value", "date"}
