"""A Spark partition's rows (clearance.spark.determine._row): each distinct key decided once, as the CLI does, and
the answer's columns those of the CLI's record."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from clearance.checks import read_shipment
from clearance.engine import keyed as keyed_module
from clearance.engine.keyed import Keyed
from clearance.law import load_regulations
from clearance.spark.determine import _row

LINES = [
    orjson.dumps(
        {
            "ref": f"PO-{n}",
            "regime": "jp",
            "date": "2019-08-01",
            "destination": "KR",
            "item": {"control_code": "3C002.a.2", "kind": "goods", "value": 5_000_000 + n, "currency": "JPY"},
            "end_use": "civil",
        }
    )
    for n in range(5)
]


def test_lines_of_one_key_are_decided_once_and_give_the_records_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    decided: list[Any] = []
    decide = keyed_module.decide

    def counted(*args: Any) -> Any:
        decided.append(args)
        return decide(*args)

    monkeypatch.setattr(keyed_module, "decide", counted)
    keyed = Keyed(load_regulations())
    rows = [_row(keyed, number, line) for number, line in enumerate(LINES, start=1)]
    assert len(decided) == 1
    for number, (line, row) in enumerate(zip(LINES, rows, strict=True), start=1):
        expected = Keyed(load_regulations()).record(number, read_shipment(line))
        assert row[-1].encode() == expected
        record = orjson.loads(expected)
        assert row[:6] == (
            number,
            record["ref"],
            record["licence_required"],
            record["basis"],
            record["licence_options"],
            record["destination_group"],
        )
        assert row[6] is None


def test_a_line_that_cannot_be_read_is_an_error_row() -> None:
    row = _row(Keyed(load_regulations()), 3, b'{"regime": "jp", "date": "2019-13-01"}')
    assert row[0] == 3 and row[1:6] == (None,) * 5
    assert row[6] and orjson.loads(row[7])["position"] == 3
