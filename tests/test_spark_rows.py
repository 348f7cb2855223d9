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


@pytest.fixture
def decided(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The calls of the engine's ``decide`` made while the test runs."""
    calls: list[Any] = []
    decide = keyed_module.decide

    def counted(*args: Any) -> Any:
        calls.append(args)
        return decide(*args)

    monkeypatch.setattr(keyed_module, "decide", counted)
    return calls


def test_lines_of_one_key_are_decided_once_and_give_the_records_columns(decided: list[Any]) -> None:
    keyed = Keyed(load_regulations())
    rows = [_row(keyed, number, line) for number, line in enumerate(LINES, start=1)]
    assert len(decided) == 1
    for number, (line, row) in enumerate(zip(LINES, rows, strict=True), start=1):
        expected = Keyed(load_regulations()).record(number, read_shipment(line))
        assert row[-1] == expected  # as bytes: Arrow takes them as text
        record = orjson.loads(expected)
        position, ref, required, basis, options, group = row[:6]
        assert (position, ref, required, list(basis), list(options), group) == (
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


def test_partitions_of_one_worker_share_its_keyed(decided: list[Any]) -> None:
    """A worker answers every partition with one Keyed (as the CLI answers its whole batch): a key decided in one
    partition is not decided again in the next, and the records are still each line's own."""
    import pyarrow as pa

    from clearance.spark.determine import _answer_partition
    from clearance.spark.files import Numbering
    from clearance.spark.session import Given, Shared

    shared = Shared(None, Given(Keyed(load_regulations())))
    numbering = Numbering({0: 0}, len(LINES))  # outside Spark each part is partition 0: numbered from 1
    reference = Keyed(load_regulations())
    for part in (LINES[:2], LINES[2:]):
        batch = pa.record_batch([pa.array([line.decode() for line in part])], names=["line"])
        records = [r for out in _answer_partition(shared, numbering, iter([batch])) for r in out["record"].to_pylist()]
        expected = [reference.record(number, read_shipment(line)) for number, line in enumerate(part, start=1)]
        assert [r.encode() for r in records] == expected
    assert len(decided) == 2  # once for the test's Keyed, once for the reference


def test_a_worker_keeps_only_the_values_of_the_jobs_used_last() -> None:
    """A Python worker of a long-lived session keeps the values of the few jobs used last, not every job's."""
    from clearance.spark import session
    from clearance.spark.session import Given, Shared

    built: list[int] = []

    class Counted(Given[int]):
        def build(self) -> int:
            built.append(self.value)
            return self.value

    jobs = [Shared(None, Counted(number)) for number in range(session.BUILT_LIMIT + 2)]
    assert [job.value for job in jobs] == list(range(session.BUILT_LIMIT + 2))
    assert len(session._BUILT) <= session.BUILT_LIMIT
    assert jobs[-1].value == session.BUILT_LIMIT + 1  # used last: kept, not built again
    assert jobs[0].value == 0  # let go: built again
    assert built == [*range(session.BUILT_LIMIT + 2), 0]
