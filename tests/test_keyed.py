"""Batches answered by distinct keys (clearance.engine.keyed) give every line today's answer, byte for byte."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clearance.engine import keyed as keyed_module
from clearance.engine.batch import determine_lines, record_lines, record_slices
from clearance.engine.determine import Hit, determine
from clearance.engine.encode import line_json
from clearance.engine.io import parse_shipment
from clearance.engine.keyed import Keyed
from clearance.engine.shipment import Shipment
from clearance.errors import ClearanceError
from clearance.screening import BundledScreener

BUNDLED = BundledScreener()

ITEMS = [
    {"control_code": "1C350", "cas": "7664-39-3", "kind": "goods"},
    {"control_code": "1C009.b", "kind": "goods"},  # the low-value exemption turns on the value's band
    {"control_code": "3C002.a.2", "kind": "goods"},
    {"control_code": "3C002.a.2", "kind": "technology"},
    {"control_code": None, "hs_code": "8479.89", "kind": "goods"},
    {"control_code": None, "hs_code": "8458", "kind": "goods"},
    {"control_code": None, "kind": "goods"},
    {"control_code": None, "hs_code": "0302.11", "kind": "goods"},
    {"control_code": "9Z999", "kind": "goods"},  # an unknown code: an error record on either path
]
#: Around each threshold of the packs (jp: 50,000 and 1,000,000 JPY; kr: 3,000 USD).
AMOUNTS = [0, 49_999, 50_000, 50_001, 999_999, 1_000_000, 1_000_001, 2_999, 3_000, 3_001, 8_000_000]
PARTIES = [
    None,
    {"name": "Admiralty Shipyard JSC", "country": "RU"},
    {"name": "Admiralty  Shipyard jsc"},
    {"name": "JSC Integral", "country": "BY"},
    {"name": "Ummah Tameer E-Nau", "country": "AF"},
    {"name": "Acme Trading Co", "country": "KR"},
    {"name": "Acme Trading Co."},
    {"name": "Tokyo Precision Ltd"},
    {"name": " Tokyo Precision Ltd", "country": "jp"},  # spaces the model strips, a country in lower case
    {"name": "Acme Trading Co", "country": "South Korea"},
    {"name": "Acme Trading Co", "country": None},
    {"name": ""},
    {"country": "KR"},
]

#: Dates over the packs' span and before it, a few of them often (lines on one day share the law's checks).
dates = st.sampled_from(
    [
        "2003-06-30",
        "2014-03-01",
        "2019-08-28",
        "2022-03-18",
        "2025-01-10",
        "2019/8/28",
        "令和元年8月28日",
        "",
        " 2020-01-10",
    ]
) | st.dates(min_value=dt.date(1998, 12, 1), max_value=dt.date(2026, 12, 31)).map(dt.date.isoformat)
values = (
    st.none()
    | st.sampled_from(AMOUNTS)
    | st.decimals(min_value=0, max_value=10**7, places=2).map(str)
    | st.sampled_from(["1,000,000", "¥50,000", "0049999", " 3000", "", -5, 1e5, "-1", True])
)
bases = st.fixed_dictionaries(
    {
        "regime": st.sampled_from(["jp", "jp", "kr"]),
        "item": st.builds(
            lambda item, currency: {**item, "currency": currency},
            st.sampled_from(ITEMS),
            st.sampled_from([None, "JPY", "JPY", "USD"]),
        ),
        "end_use": st.sampled_from(["civil", "wmd", "conventional_weapons", "unknown"]),
        "informed": st.booleans(),
        "red_flags": st.sampled_from([[], ["end_use_information_refused"], ["unusual_route"], ["no_such_flag"]]),
        "exporter": st.sampled_from([{}, {"cp_grade": "AA"}, {"cp_grade": "B", "contract_years": 3}]),
    }
)
destinations = st.sampled_from(
    ["KR", "JP", "CN", "US", "DE", "IR", "KP", "RU", "BY", "SG", "TW", "AE", "SY", "cn", "China", "Korea", " US", 7]
)
#: A line's own facts, beside its base: what the keys leave out (reference, date, destination, value, end user).
own = st.tuples(st.none() | st.text(max_size=6), st.integers(0, 3), destinations, values, st.sampled_from(PARTIES))


@st.composite
def batches(draw: Any) -> list[dict[str, Any]]:
    """Lines drawn from a few bases and a few dates, so that many share a key and differ in their own facts."""
    few, days = draw(st.lists(bases, min_size=1, max_size=3)), draw(st.lists(dates, min_size=1, max_size=4))
    lines = []
    for base, (ref, day, destination, value, party) in draw(
        st.lists(st.tuples(st.sampled_from(few), own), min_size=1, max_size=30)
    ):
        item = {**base["item"], "value": value}
        date = days[day % len(days)]
        lines.append({**base, "ref": ref, "date": date, "destination": destination, "item": item, "end_user": party})
    return lines


def _today(shipment: Any, regulations: Any) -> bytes:
    """Today's answer to one line (the engine without keys), or its error."""
    try:
        return line_json(1, determine(shipment, regulations, screener=BUNDLED))
    except ClearanceError as exc:
        return f"error: {exc}".encode()


def _keyed(keyed: Keyed, shipment: Any) -> bytes:
    try:
        return keyed.record(1, shipment)
    except ClearanceError as exc:
        return f"error: {exc}".encode()


def _line(keyed: Keyed, text: bytes) -> bytes:
    """The record of a JSON line as a batch writes it (a line of a shape read before is not read by the model)."""
    try:
        return keyed.line_record(1, text, parse_shipment)
    except ClearanceError as exc:
        return f"error: {exc}".encode()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches())
def test_a_batch_by_keys_answers_each_line_as_today(regulations: Any, batch: list[dict[str, Any]]) -> None:
    keyed, records = Keyed(regulations, BUNDLED), Keyed(regulations, BUNDLED)  # records only, as batches write
    lines = Keyed(regulations, BUNDLED)  # JSON lines, as batches read them
    for data in batch:
        text = orjson.dumps(data, default=str)
        try:
            shipment = parse_shipment(text)
        except ClearanceError as exc:
            assert _line(lines, text) == f"error: {exc}".encode()
            continue
        expected = _today(Shipment.model_validate_json(text), regulations)
        assert _line(lines, text) == expected
        assert _keyed(keyed, shipment) == expected
        assert _keyed(records, shipment) == expected
        if not expected.startswith(b"error"):
            assert line_json(1, keyed.determination(shipment)) == expected  # after a record: decided afresh


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches())
def test_a_line_answered_without_its_record_gives_the_per_line_answer_and_record(
    regulations: Any, batch: list[dict[str, Any]]
) -> None:
    """``line_key_answer`` refuses the lines the per-line path refuses and finds the key's answer of the others
    (what their records hold); a line's record written after it (from its key's template) is the per-line path's."""
    keys, lines = Keyed(regulations, BUNDLED), Keyed(regulations, BUNDLED)
    for number, data in enumerate(batch, start=1):
        text = orjson.dumps(data, default=str)
        try:
            expected = lines.line_record(number, text, parse_shipment)
        except ClearanceError as exc:
            with pytest.raises(ClearanceError, match=re.escape(str(exc))):
                keys.line_key_answer(text, parse_shipment)
            continue
        answer = keys.line_key_answer(text, parse_shipment)
        record = orjson.loads(expected)
        assert answer.columns == (record["licence_required"], *(tuple(record[n]) for n in ("basis", "licence_options")))
        assert keys.line_record(number, text, parse_shipment) == expected


def test_lines_in_one_band_share_one_answer(regulations: Any) -> None:
    keyed = Keyed(regulations)
    base = {"regime": "jp", "destination": "CN", "end_use": "civil"}
    item = {"control_code": "1C009.b", "kind": "goods", "currency": "JPY"}
    for day, value in (("2020-01-10", 10_000), ("2020-03-02", 49_000)):
        keyed.determination(parse_shipment({**base, "date": day, "item": {**item, "value": value}}))
    assert len(keyed.answers) == 1
    keyed.determination(parse_shipment({**base, "date": "2020-03-02", "item": {**item, "value": 50_001}}))
    assert len(keyed.answers) == 2


def test_a_key_met_on_one_line_has_no_template_until_a_second_line(regulations: Any) -> None:
    keyed = Keyed(regulations)
    line = {"regime": "jp", "date": "2020-03-02", "destination": "CN", "end_use": "civil"}
    item = {"control_code": "1C009.b", "kind": "goods", "currency": "JPY", "value": 10_000}
    first, second = (parse_shipment({**line, "ref": ref, "item": item}) for ref in ("a", "b"))
    assert keyed.record(1, first) == line_json(1, determine(first, regulations))
    (answer,) = keyed.answers.values()
    assert answer.template is None and answer.determination is not None  # its own record, written whole
    assert keyed.record(2, second) == line_json(2, determine(second, regulations))
    assert answer.template is not None and answer.determination is None
    assert keyed.record(3, first) == line_json(3, determine(first, regulations))  # the first line again: filled in


def test_keys_templates_share_what_their_records_have_in_common(regulations: Any) -> None:
    keyed = Keyed(regulations)
    base = {"regime": "jp", "date": "2020-03-02", "destination": "CN", "end_use": "civil"}
    item = {"control_code": "1C009.b", "kind": "goods", "currency": "JPY"}
    shipments = [
        parse_shipment({**base, "ref": ref, "item": {**item, "value": value}})
        for value in (10_000, 50_001, 2_000_000)
        for ref in ("first", "second")  # a key's template is made on its second line
    ]
    for number, shipment in enumerate(shipments, start=1):
        assert keyed.record(number, shipment) == line_json(number, determine(shipment, regulations))
    pieces = [answer.template[0] for answer in keyed.answers.values() if answer.template is not None]
    assert len(pieces) == 3
    every = [piece for cut in pieces for piece in cut]
    assert all(a is b for a in every for b in every if a == b)  # one copy of each piece in memory
    low, high = ({id(piece): piece for piece in cut} for cut in (pieces[0], pieces[2]))  # beside the band: steps
    assert sum(len(low[i]) for i in low.keys() & high.keys()) > 1_000


def test_a_party_is_screened_once_per_batch(regulations: Any) -> None:
    calls: list[str] = []

    class Counting(BundledScreener):
        def __call__(self, name: str, country: str | None, lists: frozenset[str]) -> Sequence[Hit]:
            calls.append(name)
            return super().__call__(name, country, lists)

    keyed = Keyed(regulations, Counting())
    line = {"regime": "jp", "date": "2024-05-01", "destination": "RU", "item": {"control_code": None, "kind": "goods"}}
    for ref in ("a", "b", "c"):
        keyed.record(1, parse_shipment({**line, "ref": ref, "end_user": {"name": "Admiralty Shipyard JSC"}}))
    assert calls == ["Admiralty Shipyard JSC"]


def test_batches_by_keys_keep_error_records_and_positions(regulations: Any) -> None:
    good = {
        "regime": "jp",
        "date": "2020-01-10",
        "destination": "CN",
        "item": {"control_code": "1C350", "kind": "goods"},
    }
    lines = [orjson.dumps(good), b"", b'{"regime": "jp"}', orjson.dumps({**good, "ref": "x"})]
    records = list(record_lines(lines, regulations))
    assert [(n, error) for n, _, error in records] == [(1, False), (3, True), (4, False)]
    assert [line_json(n, r) for n, r in determine_lines(lines, regulations)] == [r for _, r, _ in records]
    assert orjson.loads(records[2][1])["ref"] == "x"
    for size in (1, 2, 5):  # a few lines' records in one buffer, each with its newline
        slices = list(record_slices(lines * 2, regulations, size=size, after=1))
        expected = list(record_lines(lines * 2, regulations, after=1))
        assert b"".join(s.data for s in slices) == b"".join(r + b"\n" for _, r, _ in expected)
        assert [s.answered for s in slices] == [min(size, len(expected) - n) for n in range(0, len(expected), size)]
        ends = [min(n + size, len(expected)) for n in range(0, len(expected), size)]
        assert [s.last_line for s in slices] == [expected[end - 1][0] for end in ends]
        assert [s.errors for s in slices] == [sum(e for _, _, e in expected[n : n + size]) for n in range(0, 5, size)]


@pytest.mark.parametrize("value", ["100000.00", "100,000", 1e5])
def test_a_value_is_written_as_the_line_gives_it(regulations: Any, value: object) -> None:
    keyed = Keyed(regulations)
    line = {"regime": "jp", "date": "2020-01-10", "destination": "CN", "end_use": "civil"}
    first = parse_shipment(
        {**line, "item": {"control_code": "1C009.b", "kind": "goods", "value": 99_999, "currency": "JPY"}}
    )
    keyed.record(1, first)
    shipment = parse_shipment(
        {**line, "item": {"control_code": "1C009.b", "kind": "goods", "value": value, "currency": "JPY"}}
    )
    assert keyed.record(1, shipment) == line_json(1, determine(shipment, regulations))


def test_destinations_of_one_group_share_an_answer_only_where_the_law_treats_them_alike(regulations: Any) -> None:
    keyed = Keyed(regulations)
    line = {"regime": "jp", "date": "2024-06-01", "end_use": "civil", "item": {"hs_code": "8458.11", "kind": "goods"}}
    shipments = [parse_shipment({**line, "destination": d}) for d in ("CN", "TW", "RU", "BY")]
    for shipment in shipments:
        assert keyed.record(1, shipment) == line_json(1, determine(shipment, regulations))
    assert len(keyed.answers) == 3  # CN and TW alike; Russia and Belarus each under their own bans


def test_the_laws_checks_kept_per_day_still_refuse_each_line_as_today(regulations: Any) -> None:
    keyed, lines = Keyed(regulations, BUNDLED), Keyed(regulations, BUNDLED)
    line = {
        "regime": "jp",
        "date": "2020-01-10",
        "destination": "CN",
        "item": {"control_code": "1C350", "kind": "goods"},
    }
    others = [
        {"red_flags": ["no_such_flag"]},
        {"destination": "JP"},
        {"destination": "XK"},
        {"item": {"control_code": "9Z999", "kind": "goods"}},
        {"regime": "kr"},
        {"date": "2003-01-10"},
        {},
    ]
    for other in [{}, *others, *reversed(others)]:
        shipment = parse_shipment({**line, **other})
        assert _keyed(keyed, shipment) == _today(shipment, regulations)
        # as JSON lines: a line of a shape read before, on a day or to a destination the law refuses
        assert _line(lines, orjson.dumps({**line, **other})) == _today(shipment, regulations)


#: Own facts as users write them: some the model reads as they stand, some it strips or reads otherwise, some it
#: refuses.
refs = st.none() | st.sampled_from(["", "SO-1", " SO-2", "SO-3\t", "注文-4", "\u3000x"]) | st.text(max_size=4)
written_values = st.none() | st.sampled_from([*AMOUNTS, "50000", "050000", "50,000", "¥50,000", " 1", "", -1, 2.5])
countries = st.sampled_from([None, "KR", "kr", "Korea", "Republic of Korea", "韓国", " CN", "ZZ", "RU"])
#: Bases the law answers (no unknown code or red flag), so that lines of one shape meet often.
answered = bases.filter(lambda b: b["item"]["control_code"] != "9Z999" and b["red_flags"] != ["no_such_flag"])
DAYS = ["2014-03-01", "2019-08-28", "2019/8/28", "令和元年8月28日", "2025-01-10"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    base=answered,
    days=st.lists(st.sampled_from(DAYS), min_size=1, max_size=3),
    lines=st.lists(
        st.tuples(
            refs,
            st.integers(0, 9),
            st.sampled_from(["CN", "cn", "China", " US", "RU", "KR", "Korea"]),
            written_values,
            st.sampled_from(PARTIES),
            countries,
        ),
        min_size=2,
        max_size=40,
    ),
)
def test_lines_of_one_shape_are_answered_as_the_model_reads_them(
    regulations: Any, base: dict[str, Any], days: list[str], lines: list[tuple[Any, ...]]
) -> None:
    quick, model = Keyed(regulations, BUNDLED), Keyed(regulations, BUNDLED)
    for ref, day, destination, value, party, country in lines:
        end_user = party if party is None or country is None else {**party, "country": country}
        data = {**base, "ref": ref, "date": days[day % len(days)], "destination": destination, "end_user": end_user}
        text = orjson.dumps({**data, "item": {**base["item"], "value": value}})
        try:
            expected = _keyed(model, parse_shipment(text))
        except ClearanceError as exc:
            expected = f"error: {exc}".encode()
        assert _line(quick, text) == expected


def test_the_keys_used_most_are_kept_when_a_long_batch_thins_them(regulations: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(keyed_module, "KEY_LIMIT", 4)
    keyed = Keyed(regulations)
    line = {"regime": "jp", "date": "2020-01-10", "end_use": "civil"}
    item = {"control_code": "1C009.b", "kind": "goods", "currency": "JPY"}
    often = parse_shipment({**line, "destination": "CN", "item": {**item, "value": 10}})
    keyed.record(1, often)
    kept = keyed.answers[keyed.key(often)[1]]
    for destination in ("US", "IR", "RU", "BY", "KP", "SG"):
        for value in (20, 60_000, 2_000_000):
            shipment = parse_shipment({**line, "destination": destination, "item": {**item, "value": value}})
            assert keyed.record(2, shipment) == line_json(2, determine(shipment, regulations))
            assert keyed.record(3, often) == line_json(3, determine(often, regulations))
            assert len(keyed.answers) <= 4
    assert keyed.answers[keyed.key(often)[1]] is kept


def test_a_new_day_of_a_known_epoch_is_not_checked_again(regulations: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    checked: list[Any] = []
    real = keyed_module.case_of
    monkeypatch.setattr(keyed_module, "case_of", lambda *a: checked.append(a) or real(*a))
    keyed = Keyed(regulations, BUNDLED)
    line = {"regime": "jp", "destination": "CN", "item": {"control_code": "1C350", "kind": "goods"}}
    days = ["2020-01-10", "2020-01-11", "2020-02-03", "2003-06-30"]  # the last one before the pack's coverage
    records = [_line(keyed, orjson.dumps({**line, "date": day})) for day in days]
    assert records == [_today(parse_shipment({**line, "date": day}), regulations) for day in days]
    assert [a[0].date for a in checked[:2]] == [dt.date(2020, 1, 10), dt.date(2003, 6, 30)]  # case_of names the error
    assert keyed.epoch("jp", dt.date(2003, 6, 30)) is None and keyed.epoch("xx", dt.date(2020, 1, 1)) is None
