"""Tables answered as columns (clearance.engine.columns) give every line the per-line path's answer and record."""

from __future__ import annotations

import datetime as dt
import sys
from bisect import bisect_left
from decimal import Decimal
from typing import Any

import numpy as np
import orjson
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clearance.cellvalues import parse_number
from clearance.columnar import as_json
from clearance.engine import columns
from clearance.engine import keyed as keyed_module
from clearance.engine.columns import SPACES, _millionths, answer_table, millionths, table_records
from clearance.engine.encode import line_json
from clearance.engine.io import parse_shipment
from clearance.engine.keyed import Keyed
from clearance.engine.shipment import Shipment
from clearance.errors import ClearanceError
from clearance.problems import BatchError
from test_keyed import AMOUNTS, BUNDLED, DAYS, PARTIES, answered, batches, refs, written_values


def _table(batch: list[dict[str, Any]]) -> pa.Table:
    """The lines as a table (a column of values of several types written as text, as a file would hold them)."""
    try:
        return pa.Table.from_pylist(batch)
    except (pa.ArrowException, TypeError, ValueError):
        return pa.Table.from_pylist([_as_text(line) for line in batch])


def _as_text(line: dict[str, Any]) -> dict[str, Any]:
    def text(value: Any) -> Any:
        return value if value is None or isinstance(value, str) else str(value)

    return {
        **line,
        "destination": text(line["destination"]),
        "item": {**line["item"], "value": text(line["item"]["value"])},
    }


def _per_line(keyed: Keyed, number: int, row: dict[str, Any]) -> tuple[bytes, bool]:
    """The record of a row as `determine --batch` writes it from a Parquet file, and whether it is an error."""
    try:
        return keyed.line_record(number, as_json(row), parse_shipment), False
    except ClearanceError as exc:
        return line_json(number, BatchError.of(number, exc)), True


def _expected(keyed: Keyed, table: pa.Table, first: int) -> list[tuple[bytes, bool]]:
    return [_per_line(keyed, first + n, row) for n, row in enumerate(table.to_pylist())]


def _check(keyed: Keyed, table: pa.Table, expected: list[tuple[bytes, bool]], first: int = 1) -> None:
    """The answer columns and the records of a table are the per-line path's."""
    answers = answer_table(keyed, table, first=first).to_pylist()
    assert [(n, r, e) for n, r, e in table_records(keyed, table, first=first)] == [
        (first + n, r, e) for n, (r, e) in enumerate(expected)
    ]
    assert len(answers) == len(expected)
    for answer, (record, error) in zip(answers, expected, strict=True):
        data = orjson.loads(record)
        assert answer["position"] == data["position"]
        assert answer["error"] == (data["message"] if error else None)
        for name in ("licence_required", "basis", "licence_options"):
            assert answer[name] == data.get(name)
        assert (answer["key"] is None) or not error


@st.composite
def answerable(draw: Any) -> list[dict[str, Any]]:
    """Lines the law mostly answers, a few of their own facts written as the model reads them otherwise."""
    flags = st.sampled_from([[], [], [], ["unusual_route"]])
    few = draw(st.lists(st.builds(lambda b, f: {**b, "red_flags": f}, answered, flags), min_size=1, max_size=3))
    plain = st.sampled_from([None, *AMOUNTS]) | st.decimals(0, 10**7, places=2).map(str)
    own = st.tuples(
        refs,
        st.sampled_from(DAYS) | st.dates(dt.date(2005, 1, 1), dt.date(2026, 11, 30)).map(dt.date.isoformat),
        st.sampled_from(["CN", "US", "RU", "IR", "DE", "SG", "TW"]) | st.sampled_from(["cn", "Korea", " US", "JP"]),
        st.one_of(plain, plain, plain, written_values),
        st.sampled_from(PARTIES[:8]) | st.sampled_from(PARTIES),
    )
    lines = []
    for base, (ref, day, destination, value, party) in draw(
        st.lists(st.tuples(st.sampled_from(few), own), min_size=1, max_size=30)
    ):
        item = {**base["item"], "value": value}
        lines.append({**base, "ref": ref, "date": day, "destination": destination, "item": item, "end_user": party})
    return lines


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches() | answerable(), st.integers(1, 30))
def test_a_table_is_answered_as_its_lines_one_by_one(regulations: Any, batch: list[dict[str, Any]], split: int) -> None:
    table = _table(batch)
    expected = _expected(Keyed(regulations, BUNDLED), table, 1)
    keyed = Keyed(regulations, BUNDLED)
    _check(keyed, table, expected)
    _check(keyed, table, expected)  # every key known: the lookup alone
    halves = Keyed(regulations, BUNDLED)  # a file's row groups, one after the other
    records_first = Keyed(regulations, BUNDLED)
    assert [r for _, r, _ in table_records(records_first, table)] == [r for r, _ in expected]
    _check(halves, table.slice(0, split), expected[:split])
    _check(halves, table.slice(split), expected[split:], first=split + 1)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches() | answerable())
def test_new_keys_first_lines_taken_a_few_at_a_time_give_the_same_records(
    regulations: Any, batch: list[dict[str, Any]]
) -> None:
    """The first lines of a table's new keys are taken from it in groups (``_FIRST_LINES``): groups of two, the
    same records as the per-line path's."""
    from clearance.engine import columns

    table = _table(batch)
    expected = _expected(Keyed(regulations, BUNDLED), table, 1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(columns, "_FIRST_LINES", 2)
        _check(Keyed(regulations, BUNDLED), table, expected)


def test_date_and_whole_number_columns_are_read_as_their_json(regulations: Any) -> None:
    base = {"regime": "jp", "destination": "CN", "end_use": "civil"}
    lines = [
        {**base, "ref": f"R{n}", "date": day, "item": {"control_code": "1C009.b", "kind": "goods", "value": value}}
        for n, (day, value) in enumerate(
            [(dt.date(2020, 1, 10), 49_999), (dt.date(2020, 1, 10), 50_000), (dt.date(2003, 1, 1), 1), (None, 5)]
        )
    ]
    table = pa.Table.from_pylist(lines)
    assert table.schema.field("date").type == pa.date32()
    _check(Keyed(regulations), table, _expected(Keyed(regulations), table, 1))


def test_lines_of_known_keys_are_answered_without_the_model(regulations: Any) -> None:
    reads: list[bytes | str] = []

    def read(line: bytes | str) -> Shipment:
        reads.append(line)
        return parse_shipment(line)

    base: dict[str, Any] = {"regime": "jp", "end_use": "civil", "item": {"control_code": "1C009.b", "kind": "goods"}}
    lines = [
        {
            **base,
            "ref": f"SO-{n}",
            "date": f"2020-01-{1 + n % 28:02d}",
            "destination": ("CN", "US", "KR")[n % 3],
            "item": {**base["item"], "value": str(10 + 1_000 * n), "currency": "JPY"},
            "end_user": {"name": ("Acme Trading Co", "JSC Integral")[n % 2]},
        }
        for n in range(200)
    ]
    table = pa.Table.from_pylist(lines)
    keyed = Keyed(regulations, BUNDLED)
    answer_table(keyed, table, read)
    first_reads = len(reads)
    again = answer_table(keyed, table, read)
    list(table_records(keyed, table, read))
    assert len(reads) == first_reads < 20  # one read per shape and per new key, then none
    assert again.column("key").null_count == 0
    _check(keyed, table, _expected(Keyed(regulations, BUNDLED), table, 1))

    # a fresh batch: each key's first line is answered without its record, written from the key's template alone
    fresh, expected = Keyed(regulations, BUNDLED), _expected(Keyed(regulations, BUNDLED), table, 1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Keyed, "fill", lambda *_: pytest.fail("a record written by the per-line path"))
        assert list(table_records(fresh, table, read)) == [(1 + n, *e) for n, e in enumerate(expected)]


def test_the_spaces_stripped_are_pythons() -> None:
    assert set(SPACES) == {c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()}


amounts = st.decimals(min_value=0, max_value=10**7, places=6, allow_nan=False, allow_infinity=False)
others = st.decimals(min_value=0, max_value=10**13, places=8).map(str) | st.sampled_from(
    ["0049999", "1.", ".5", "1e3", " 1", "1 ", "1,000", "-1", "", "00.000001", "999999999999.999999", "1000000000000"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(amounts, max_size=6), st.lists(amounts, max_size=10), st.lists(others, max_size=10), st.data())
def test_a_value_falls_in_the_band_bisect_gives_it(
    thresholds: list[Decimal], values: list[Decimal], texts: list[str], data: Any
) -> None:
    limits = sorted(set(thresholds))
    unit = Decimal("0.000001")
    around = [t + d for t in limits for d in (-1, -unit, 0, unit, 1) if t + d >= 0]  # on each and one unit beside
    plain = [str(v) for v in values + data.draw(st.lists(st.sampled_from(around or [unit]), max_size=12))]
    plain = [text for text in plain if "E" not in text]  # at most 6 decimals and 12 digits, written plainly
    taken, minor = millionths(pa.array(plain + texts, pa.string()))
    assert taken[: len(plain)].all()
    scaled = np.array([_millionths(t) for t in limits], np.int64)
    for text, took, value in zip(plain + texts, taken.tolist(), minor.tolist(), strict=True):
        if took:  # read as the model reads it, in the band bisect gives it among the thresholds
            assert parse_number(text) == Decimal(text) == Decimal(value) / 10**6
            assert int(np.searchsorted(scaled, value, side="left")) == bisect_left(limits, Decimal(text))
    assert not any(taken[len(plain) :][[t in ("1.", ".5", "1e3", " 1", "1 ", "1,000", "-1", "") for t in texts]])


@pytest.mark.parametrize("amount", [Decimal("50000"), Decimal("0.000001"), Decimal("1E+3"), Decimal("3000.50")])
def test_thresholds_in_millionths_are_exact(amount: Decimal) -> None:
    assert Decimal(_millionths(amount) or 0) / 10**6 == amount
    assert _millionths(Decimal("0.0000001")) is None


def test_each_line_of_a_key_gets_its_own_facts_in_its_slots(regulations: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Lines of few keys, each with its own reference, date, destination, value and end user (texts JSON escapes,
    values written with leading zeros), between lines the per-line path answers, over slices of a few lines: a fact
    in another slot or another line's record would show."""
    monkeypatch.setattr(columns, "_SLICE", 7)
    base = {"regime": "jp", "end_use": "civil", "item": {"control_code": "1C009.b", "kind": "goods"}}
    refs = ['SO-"{n}"', "SO\\{n}", "注文{n}", "SO-{n}\t", "SO-{n}"]
    values = ["{n}0", "00{n}.50", "{n}.000100", "0.{n}", "{n}"]
    names = ["Tokyo Precision {n}", 'Acme "{n}" Co', "東京精密{n}"]
    lines = [
        {
            **base,
            "ref": refs[n % 5].format(n=n),
            "date": f"2020-0{1 + n % 9}-{1 + n % 28:02d}",
            "destination": ("CN", "KR", "VN", " US")[n % 4],  # " US": the per-line path (the model strips it)
            "item": {**base["item"], "value": values[n % 5].format(n=n), "currency": "JPY"},
            "end_user": {"name": names[n % 3].format(n=n % 11), "country": ("JP", None)[n % 2]},
        }
        for n in range(120)
    ]
    table = pa.Table.from_pylist(lines)
    expected = _expected(Keyed(regulations, BUNDLED), table, 3)
    keyed = Keyed(regulations, BUNDLED)
    for _ in range(2):  # keys met on their first lines, then every key known
        slices = list(columns.table_slices(keyed, table, parse_shipment, 3))
        assert [line for records in slices for line in records] == [(3 + n, *e) for n, e in enumerate(expected)]
        assert b"".join(records.lines for records in slices) == b"".join(r + b"\n" for r, _ in expected)
    assert sum(key is not None for key in answer_table(keyed, table).column("key").to_pylist()) == 72  # as columns


@given(st.lists(st.text() | st.none(), max_size=30))
def test_texts_are_written_as_orjson_writes_them(texts: list[str | None]) -> None:
    assert columns.json_texts(pa.array(texts, pa.string())).to_pylist() == [orjson.dumps(t) for t in texts]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches() | answerable(), st.integers(1, 12), st.integers(0, 12), st.data())
def test_row_groups_answered_in_slices_give_the_per_line_records(
    regulations: Any, batch: list[dict[str, Any]], size: int, after: int, data: Any
) -> None:
    """A file's row groups answered in slices of a few lines, resumed after line ``after``: each line's record is
    the per-line path's, in order (a key's first line too, written from its key's template), and the slices'
    buffers are those records."""
    table = _table(batch)
    expected = _expected(Keyed(regulations, BUNDLED), table, 1)[after:]
    split = data.draw(st.integers(0, table.num_rows))
    groups = [table.slice(0, split), table.slice(split)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(columns, "_SLICE", size)
        slices = list(columns.record_tables(groups, regulations, parse_shipment, BUNDLED, after))
    assert all(0 < len(records) <= size for records in slices)
    assert [line for records in slices for line in records] == [(after + 1 + n, *e) for n, e in enumerate(expected)]
    assert b"".join(records.lines for records in slices) == b"".join(r + b"\n" for r, _ in expected)


def test_the_programs_of_templates_go_with_the_answers_let_go(
    regulations: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch of many keys, a few lines a table, with few answers kept: once the answers are thinned, the
    programs of templates no answer held has are let go (they grew with every template of the batch), and the
    records are still the per-line path's."""
    monkeypatch.setattr(keyed_module, "KEY_LIMIT", 6)
    base = {"regime": "jp", "end_use": "civil"}
    codes = ["1C009.b", "3A001.a", "2B001", "EAR99", None]
    lines = [
        {
            **base,
            "ref": f"SO-{n}",
            "date": f"20{10 + n % 12}-0{1 + n % 9}-15",
            "destination": ("CN", "KR", "VN", "US", "RU", "IR")[n % 6],
            "item": {
                "control_code": codes[n % 5],
                "kind": "goods",
                "value": str(1000 * (n % 7) + 1),
                "currency": "JPY",
            },
        }
        for n in range(90)
    ]
    table = pa.Table.from_pylist(lines)
    expected = _expected(Keyed(regulations, BUNDLED), table, 1)
    keyed, records, programs = Keyed(regulations, BUNDLED), [], []
    for start in range(0, 90, 3):
        for found in columns.table_slices(keyed, table.slice(start, 3), parse_shipment, 1 + start):
            records.extend(found)
            programs.append(len(columns._pieces_of(keyed).programs))
    assert records == [(1 + n, *e) for n, e in enumerate(expected)]
    assert keyed.thinned > 1
    assert max(programs) <= keyed_module.KEY_LIMIT + 3  # the answers held, and a table's (main: 47)
