"""Properties of order lines and decisions: any JSON object either reads as an order line or is refused naming a
field (never another error); every decision follows its reasons (block if one blocks, hold if one holds, release
only with a reason that releases), and a line is never released on an undecided determination without a licence."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clearance.errors import InputError
from clearance.orders import check_order
from clearance.orders.read import read_line

from .orderdata import INDEX, LINE, licence, screener

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)
FIELDS = st.sampled_from(sorted({*LINE, "consignee", "purchaser", "intermediaries", "quantity", "unit"}))


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.dictionaries(FIELDS, JSON, max_size=6))
def test_any_object_reads_or_names_a_field(changes: dict[str, Any]) -> None:
    try:
        line = read_line({**LINE, **changes})
    except InputError as exc:
        assert exc.field
    else:
        assert line.ref


PARTIES = st.sampled_from(
    [
        None,
        {"name": "STROYGAZMONTAZH", "country": "RU"},
        {"name": "Stroygasmontazh", "country": "RU"},
        {"name": "Harbin Orient Precision Works", "country": "CN"},
        {"name": "Nordlicht GmbH", "country": "DE"},
    ]
)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    destination=st.sampled_from(["KR", "CN", "US", "DE", "RU"]),
    date=st.sampled_from(["2019-06-20", "2019-08-05", "2019-09-10", "2024-05-01"]),
    end_use=st.sampled_from(["civil", "unknown", "wmd"]),
    listed=st.booleans(),
    consignee=PARTIES,
    with_licence=st.booleans(),
)
def test_the_decision_follows_its_reasons(
    regulations: Any, destination: str, date: str, end_use: str, listed: bool, consignee: Any, with_licence: bool
) -> None:
    item = LINE["item"] if listed else {"control_code": None, "hs_code": "8479.89", "kind": "goods"}
    data = {**LINE, "destination": destination, "date": date, "end_use": end_use, "item": item}
    if consignee:
        data["consignee"] = consignee
    held = [licence(destinations=["*"], counterparties=["*"], control_entries=["*"])] if with_licence else []
    decision = check_order(read_line(data), regulations, index=INDEX, screener=screener, licences=held)
    effects = {r.effect for r in decision.reasons}
    expected = "block" if "block" in effects else "hold" if "hold" in effects else "release"
    assert decision.decision == expected
    if decision.decision == "release":
        assert "release" in effects
        if decision.determination.licence_required is not False:
            assert decision.licence is not None  # required or undecided: released only under a licence
    if decision.determination.licence_required is False:
        assert not any(r.kind in ("licence_needed", "licence_exhausted") for r in decision.reasons)
