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

_TEXT = st.sampled_from(["", " ", "x", " x", "x ", "\u00a0x", "x\u2028", "a:b", 'a\\"', "\u3000"])
_COUNTRIES = st.sampled_from(["CN", "cn", "US", " US", "XX", "JP", "China", "韓国", "Korea", "", 5])
_DATES = st.sampled_from(
    ["2019-07-15", "2019/7/5", "R1.7.5", "20190705", "43651", "2019-02-30", " 2019-07-15", "", "x", 43651, None]
)
_VALUES = st.one_of(
    st.none(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from(["1000", "1,000", "¥7,200,000", "-5", "0.5", ".5", "1e3", "", " 12", "１２", "(500)", "NaN"]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
)


def _maybe(draw: Any, data: dict[str, Any], key: str, values: st.SearchStrategy[Any]) -> None:
    if draw(st.booleans()):
        data[key] = draw(values)


@st.composite
def _shipments(draw: st.DrawFn) -> Any:
    item: dict[str, Any] = {"kind": draw(st.sampled_from(["goods", "technology", "Goods", 1]))}
    _maybe(draw, item, "control_code", st.one_of(st.none(), _TEXT, st.sampled_from(["1C350", " 3C002.a.2"])))
    _maybe(draw, item, "cas", st.one_of(st.none(), st.sampled_from(["7664-39-3", "7664-39-4", " 7664-39-3", "x"])))
    _maybe(draw, item, "hs_code", st.one_of(st.none(), st.sampled_from(["8479.89", "8458", "84", "x", 8458])))
    _maybe(draw, item, "value", _VALUES)
    _maybe(draw, item, "currency", st.one_of(st.none(), st.sampled_from(["JPY", "jpy", "JPY ", "JPYX", "USD"])))
    _maybe(draw, item, "product", st.sampled_from(["P-1", None]))
    data: dict[str, Any] = {"regime": draw(st.sampled_from(["jp", "kr", "", " jp", 1]))}
    _maybe(draw, data, "date", _DATES)
    _maybe(draw, data, "destination", _COUNTRIES)
    data["item"] = item
    _maybe(draw, data, "ref", st.one_of(st.none(), _TEXT))
    _maybe(draw, data, "end_use", st.sampled_from(["civil", "wmd", "unknown", "Civil", None]))
    party = st.fixed_dictionaries({"name": _TEXT}, optional={"country": st.one_of(st.none(), _COUNTRIES)})
    _maybe(draw, data, "end_user", st.one_of(st.none(), party, st.just({"name": "A", "x": 1})))
    _maybe(draw, data, "informed", st.sampled_from([True, False, 1, "true", None]))
    _maybe(draw, data, "red_flags", st.one_of(st.lists(_TEXT, max_size=2), st.just("unusual_route")))
    exporter = st.dictionaries(_TEXT, st.one_of(st.integers(), st.booleans(), _TEXT, st.floats(0, 1)), max_size=2)
    _maybe(draw, data, "exporter", exporter)
    _maybe(draw, data, "extra", st.just(1))
    text = json.dumps(data, ensure_ascii=draw(st.booleans()), separators=(",", ":")).encode()
    if draw(st.booleans()):  # written another way: spaced, a key twice, a byte-order mark, as text
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
