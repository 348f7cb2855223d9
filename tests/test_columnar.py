"""Parquet batches (clearance.columnar): the same answers and error records as JSON Lines, read as answered."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from clearance.cli import app

SHIPMENTS: list[dict[str, Any]] = [
    {
        "ref": "A-1",
        "regime": "jp",
        "date": "2019-08-01",
        "destination": "KR",
        "item": {"control_code": "1C350", "cas": "7664-39-3", "kind": "goods", "value": "900000", "currency": "JPY"},
        "end_use": "civil",
        "end_user": {"name": "Hanbit Semiconductor", "country": "KR"},
    },
    {"ref": "A-2", "regime": "jp", "date": "2019-08-01", "destination": "ZZ", "item": {"kind": "goods"}},
    {
        "ref": "A-3",
        "regime": "jp",
        "date": "2024-06-01",
        "destination": "RU",
        "item": {"hs_code": "8458.11", "kind": "goods"},
        "end_use": "unknown",
    },
]


def _files(tmp_path: Path) -> tuple[Path, Path]:
    jsonl, parquet = tmp_path / "in.jsonl", tmp_path / "in.parquet"
    jsonl.write_bytes(b"".join(orjson.dumps(s) + b"\n" for s in SHIPMENTS))
    pq.write_table(pa.Table.from_pylist(SHIPMENTS), parquet)  # struct columns; a null cell is an absent field
    return jsonl, parquet


def test_a_parquet_batch_gives_the_records_of_its_json_lines(tmp_path: Path) -> None:
    jsonl, parquet = _files(tmp_path)
    runner = CliRunner()
    as_lines = runner.invoke(app, ["determine", "--batch", "--json", str(jsonl)])
    as_parquet = runner.invoke(app, ["determine", "--batch", "--json", str(parquet)])
    assert as_lines.exit_code == as_parquet.exit_code == 2  # line 2 is an error record, the rest answered
    assert as_parquet.stdout == as_lines.stdout
    records = [orjson.loads(line) for line in as_lines.stdout.splitlines()]
    assert [r["position"] for r in records] == [1, 2, 3]
    assert records[1]["field"] == "destination"


def test_records_written_as_parquet_keep_each_record_and_its_columns(tmp_path: Path) -> None:
    jsonl, parquet = _files(tmp_path)
    out = tmp_path / "out.parquet"
    runner = CliRunner()
    expected = runner.invoke(app, ["determine", "--batch", "--json", str(jsonl)]).stdout.splitlines()
    result = runner.invoke(app, ["determine", "--batch", str(parquet), "-o", str(out)])
    assert result.exit_code == 2
    rows = pq.read_table(out).to_pylist()
    assert [row["record"] for row in rows] == expected
    assert [row["position"] for row in rows] == [1, 2, 3]
    assert rows[0]["licence_required"] is True and rows[0]["basis"] == ["listed"]
    assert rows[1]["error"] is not None and rows[1]["licence_required"] is None
    assert rows[2]["destination"] == "RU" and rows[2]["error"] is None


def test_records_written_as_parquet_have_the_columns_of_the_records_parsed(tmp_path: Path, monkeypatch: Any) -> None:
    # the columns are read by arrow's JSON reader (not each record parsed into Python objects): the same rows as
    # the records parsed, in row groups of ROWS_PER_GROUP rows across the writes
    import datetime as dt

    from clearance import columnar

    jsonl, _ = _files(tmp_path)
    shipments = [orjson.loads(line) for line in jsonl.read_bytes().splitlines()]
    shipments[0]["ref"] = 'Réf "1"\n\t한국'  # escaped in JSON, kept in the column and the record
    jsonl.write_bytes(b"".join(orjson.dumps(s) + b"\n" for s in [*shipments, *shipments[:2]]))
    records = CliRunner().invoke(app, ["determine", "--batch", "--json", str(jsonl)]).stdout.encode().splitlines()
    monkeypatch.setattr(columnar, "ROWS_PER_GROUP", 2)
    out = tmp_path / "out.parquet"
    with columnar.RecordWriter(out) as writer:
        writer.write_many(b"".join(r + b"\n" for r in records[:3]), 3, 1, 3)
        writer.write_many(b"", 0, 0, 3)
        writer.write(4, records[3])
        writer.write_many(memoryview(records[4] + b"\n"), 1, 1, 5)
    assert (writer.done, writer.errors, writer.last_line) == (5, 2, 5)
    parsed = [orjson.loads(record) for record in records]
    expected = [
        {
            **{name: found.get(name) for name in columnar.SCHEMA.names[:-2]},
            "date": dt.date.fromisoformat(found["date"]) if "date" in found else None,
            "error": found["message"] if "field" in found else None,
            "record": record.decode(),
        }
        for found, record in zip(parsed, records, strict=True)
    ]
    written = pq.ParquetFile(out)
    assert written.schema_arrow == columnar.SCHEMA
    assert written.read().to_pylist() == expected
    assert [written.metadata.row_group(n).num_rows for n in range(written.num_row_groups)] == [2, 2, 1]
    assert expected[0]["ref"] == 'Réf "1"\n\t한국' and expected[1]["error"] and expected[4]["error"]


def test_records_written_as_parquet_close_a_row_group_at_group_bytes(tmp_path: Path, monkeypatch: Any) -> None:
    # a row group of 65,536 batch records would hold 512 MB: the rows held are written once they reach GROUP_BYTES
    from clearance import columnar

    monkeypatch.setattr(columnar, "GROUP_BYTES", 5_000)  # a row holds the message twice: about 2 kB
    record = orjson.dumps({"ref": "r", "message": "x" * 1_000})
    out = tmp_path / "out.parquet"
    with columnar.RecordWriter(out) as writer:
        for number in range(1, 8):
            writer.write(number, record)
    written = pq.ParquetFile(out)
    assert [written.metadata.row_group(n).num_rows for n in range(written.num_row_groups)] == [3, 3, 1]
    assert written.read().column("ref").to_pylist() == ["r"] * 7


def test_a_parquet_batch_keeps_pyarrow_from_importing_pandas(tmp_path: Path) -> None:
    # pyarrow imported pandas (about 35 MB) on its first conversion of a numpy array or of Python values
    import subprocess
    import sys
    from importlib.util import find_spec

    if find_spec("pandas") is None:
        pytest.skip("pandas is not installed")
    _, parquet = _files(tmp_path)
    run = (
        "import atexit, sys; atexit.register(lambda: print('pandas' in sys.modules)); "
        f"from clearance.cli import app; app(['determine', '--batch', '--json', {str(parquet)!r}])"
    )
    done = subprocess.run([sys.executable, "-c", run], capture_output=True, text=True, check=False)
    assert done.returncode == 2 and done.stdout.count("\n") == 4, done.stderr  # three records (one an error)
    assert done.stdout.splitlines()[-1] == "False"


def _orders(count: int) -> list[dict[str, Any]]:
    """Order lines of a few shapes, most answered, some written as the model reads them otherwise or refuses."""
    dates = ["2019-08-01", "2024-06-01", "2019/8/28", "2003-01-01", "2021-02-30"]
    destinations = ["CN", "US", "RU", "KR", "JP", " US", "cn"]
    values = ["49999", "50000", "50001", "1,000,000", None, "12.5", "1000000", "¥50,000"]
    parties = [None, {"name": "Admiralty Shipyard JSC", "country": "RU"}, {"name": "Acme Trading Co"}, {"name": ""}]
    items = [{"control_code": "1C009.b", "kind": "goods"}, {"hs_code": "8458.11", "kind": "goods"}]
    return [
        {
            "ref": f"SO-{n}",
            "regime": "jp",
            "date": dates[n % 5],
            "destination": destinations[n % 7],
            "item": {**items[n % 2], "value": values[n % 8], "currency": "JPY"},
            "end_use": ("civil", "unknown")[n % 3 // 2],
            "end_user": parties[n % 4],
        }
        for n in range(count)
    ]


def test_a_parquet_batch_answered_as_columns_gives_the_records_of_its_json_lines(tmp_path: Path) -> None:
    orders = _orders(420)
    jsonl, parquet, out = tmp_path / "in.jsonl", tmp_path / "in.parquet", tmp_path / "out.jsonl"
    jsonl.write_bytes(b"".join(orjson.dumps({k: v for k, v in o.items() if v is not None}) + b"\n" for o in orders))
    pq.write_table(pa.Table.from_pylist(orders), parquet)
    runner = CliRunner()
    as_lines = runner.invoke(app, ["determine", "--batch", "--json", str(jsonl)])
    as_columns = runner.invoke(app, ["determine", "--batch", "--json", str(parquet)])
    assert as_lines.exit_code == as_columns.exit_code == 2
    assert as_columns.stdout == as_lines.stdout
    records = as_lines.stdout.splitlines(keepends=True)
    assert sum('"licence_required"' in r for r in records) > 120  # many lines answered, the rest error records
    out.write_text("".join(records[:150]), encoding="utf-8")  # an interrupted run, resumed
    resumed = runner.invoke(app, ["determine", "--batch", str(parquet), "-o", str(out), "--resume"])
    assert resumed.exit_code == 2
    assert out.read_text(encoding="utf-8") == as_lines.stdout


def test_a_parquet_output_cannot_be_resumed(tmp_path: Path) -> None:
    _, parquet = _files(tmp_path)
    result = CliRunner().invoke(
        app, ["determine", "--batch", str(parquet), "-o", str(tmp_path / "o.parquet"), "--resume"]
    )
    assert result.exit_code == 2
    assert "JSON Lines" in result.output


def test_parties_to_screen_read_from_parquet_as_from_csv(tmp_path: Path) -> None:
    parties = [{"name": "Admiralty Shipyard JSC", "country": "RU"}, {"name": "Acme Trading Co", "country": "KR"}]
    csv, parquet = tmp_path / "p.csv", tmp_path / "p.parquet"
    csv.write_text("name,country\n" + "".join(f"{p['name']},{p['country']}\n" for p in parties), encoding="utf-8")
    pq.write_table(pa.Table.from_pylist(parties), parquet)
    runner = CliRunner()
    # each in a database of its own: a party screened again is reported as seen, not new
    from_csv, from_parquet = (
        runner.invoke(app, ["screen", "--batch", str(f), "--json", "--database", f"sqlite:///{tmp_path / f.name}.db"])
        for f in (csv, parquet)
    )
    assert from_csv.exit_code == from_parquet.exit_code == 0
    records = [orjson.loads(line) for line in from_parquet.stdout.splitlines()]
    csv_records = [orjson.loads(line) for line in from_csv.stdout.splitlines()]
    assert [r["results"] for r in records] == [r["results"] for r in csv_records]
    assert records[0]["matched"] and not records[1]["matched"]


def test_a_portfolio_reads_parquet_orders(tmp_path: Path) -> None:
    from clearance.impact.portfolio import read_portfolio
    from clearance.law import load_regulations

    sample = Path(__file__).resolve().parents[1] / "examples" / "portfolio"
    for name in ("catalogue.csv", "customers.csv"):
        (tmp_path / name).write_bytes((sample / name).read_bytes())
    import csv as csvlib

    with (sample / "orders.csv").open(encoding="utf-8") as handle:
        rows = list(csvlib.DictReader(handle))
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "orders.parquet")
    regulations = load_regulations()
    from_parquet, from_csv = read_portfolio(tmp_path, regulations), read_portfolio(sample, regulations)
    assert [o for _, o in from_parquet.orders] == [o for _, o in from_csv.orders] and not from_parquet.problems
    assert from_parquet.orders[0][0] == 1  # rows numbered from 1, as in JSON Lines


def test_parquet_read_a_row_group_at_a_time_holds_about_one_row_group(tmp_path: Path, monkeypatch: Any) -> None:
    # pyarrow's pre-buffering (its default) read the file in chunks of up to 32 MB kept until it was closed: a
    # batch's arrow memory grew with its lines (apache/arrow#39808)
    import random

    from clearance import columnar, tables

    path, rows, groups = tmp_path / "big.parquet", 2_000, 40
    shuffled = random.Random(13)
    with pq.ParquetWriter(path, pa.schema([("ref", pa.string())])) as writer:
        for _ in range(groups):  # 200 kB a row group that does not compress
            writer.write_table(pa.table({"ref": [shuffled.randbytes(50).hex() for _ in range(rows)]}))
    monkeypatch.setattr(columnar, "ROWS_PER_GROUP", rows)
    monkeypatch.setattr(tables, "PARQUET_BATCH_ROWS", rows)

    def held(read: Iterator[Any], every: int) -> int:
        """The most arrow memory held while reading (a look every ``every`` items read), beyond what was before."""
        before = pa.total_allocated_bytes()
        return max(pa.total_allocated_bytes() for n, _ in enumerate(read) if n % every == 0) - before

    row_groups = path.stat().st_size // groups
    assert held(columnar.ParquetRows(path).tables(), 1) < 8 * row_groups
    assert held(tables.stream_parquet(path, "FILE").rows, rows) < 8 * row_groups


def test_a_batch_answered_as_columns_allocates_from_jemalloc_unless_told(monkeypatch: Any) -> None:
    from clearance.columnar import lean_memory_pool

    try:
        pa.jemalloc_memory_pool()
    except NotImplementedError:
        pytest.skip("pyarrow built without jemalloc")
    before = pa.default_memory_pool()
    try:
        monkeypatch.setenv("ARROW_DEFAULT_MEMORY_POOL", "system")
        lean_memory_pool()
        assert pa.default_memory_pool().backend_name == before.backend_name
        monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL")
        lean_memory_pool()
        assert pa.default_memory_pool().backend_name == "jemalloc"
    finally:
        pa.set_memory_pool(before)
