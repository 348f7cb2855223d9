"""The Spark jobs in local mode (local[2], a few thousand lines, small splits so the input has several
partitions), compared line for line with the single-process commands. Skipped only where Java is absent."""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from typer.testing import CliRunner

from clearance.cli import app
from support import ROOT, load_script

pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java 17: no java on PATH")

ITEMS: list[dict[str, Any]] = [
    {"control_code": "1C350", "cas": "7664-39-3", "kind": "goods"},
    {"control_code": "1C009.b", "kind": "goods"},
    {"control_code": "3C002.a.2", "kind": "technology"},
    {"control_code": None, "hs_code": "8479.89", "kind": "goods"},
    {"control_code": None, "hs_code": "0302.11", "kind": "goods"},
]
DESTINATIONS = ["KR", "CN", "US", "DE", "TW", "IR", "KP", "RU", "SG"]
END_USERS = [None, {"name": "Beihang University", "country": "CN"}, {"name": "Hanbit Semiconductor", "country": "KR"}]


def shipment_lines(count: int, seed: int = 13) -> Iterator[bytes]:
    """Seeded shipments over the packs' span with listed and unlisted items, values around the thresholds, named
    end users (one on the End User List), and lines no shipment can be read from (blank, not JSON, bad values)."""
    rng = random.Random(seed)
    for i in range(count):
        if i % 500 == 7:
            yield rng.choice([b"", b"{not json", b'{"regime": "xx"}', b'{"regime": "jp", "date": "2019-13-01"}'])
            continue
        shipment: dict[str, Any] = {
            "ref": f"S-{i}",
            "regime": "jp",
            "date": (dt.date(2004, 1, 20) + dt.timedelta(days=rng.randrange(8000))).isoformat(),
            "destination": rng.choice(DESTINATIONS),
            "item": {**rng.choice(ITEMS), "value": rng.choice([50_000, 1_000_000, 5_000_000]), "currency": "JPY"},
            "end_use": rng.choice(["civil", "civil", "wmd", "unknown"]),
        }
        if end_user := rng.choice(END_USERS):
            shipment["end_user"] = end_user
        yield orjson.dumps(shipment)


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    from clearance.spark.session import spark_session

    session = spark_session("local[2]", "clearance-tests")
    session.conf.set("spark.sql.files.maxPartitionBytes", str(128 * 1024))  # several partitions of a small file
    yield session
    session.stop()


@pytest.fixture(scope="session")
def shipments(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("spark") / "shipments.jsonl"
    path.write_bytes(b"\n".join(shipment_lines(3000)) + b"\n")
    return path


@pytest.fixture(scope="session")
def cli_records(shipments: Path) -> list[bytes]:
    result = CliRunner().invoke(app, ["determine", "--batch", "--json", str(shipments)])
    assert result.exit_code == 2, result.output  # the batch has bad lines
    return result.stdout_bytes.splitlines()


def _parts(folder: Path, suffix: str) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.startswith("part-") and p.name.endswith(suffix))


def test_determine_writes_the_clis_records_line_for_line(spark: Any, shipments: Path, cli_records: list[bytes]) -> None:
    from clearance.law import load_regulations
    from clearance.spark import jobs

    out = shipments.parent / "answers"
    summary = jobs.determine(spark, str(shipments), str(out), load_regulations())
    records = [line for part in _parts(out, ".txt") for line in part.read_bytes().splitlines()]
    assert summary.partitions > 1
    assert records == cli_records
    assert summary.records == len(cli_records)
    assert summary.errors == sum(1 for r in cli_records if b'"data_version"' not in r) > 0
    assert summary.required + summary.not_required + summary.undecided + summary.errors == summary.records


def test_determine_to_parquet_has_the_clis_answers_as_columns(
    spark: Any, shipments: Path, cli_records: list[bytes]
) -> None:
    out = shipments.parent / "answers.parquet"
    result = CliRunner().invoke(app, ["spark", "determine", str(shipments), str(out), "--master", "local[2]", "--json"])
    assert result.exit_code == 2, result.output  # error records, as the CLI's batch
    assert orjson.loads(result.stdout)["records"] == len(cli_records)
    rows = spark.read.parquet(str(out)).orderBy("position").collect()
    expected = [orjson.loads(r) for r in cli_records]
    assert [row.position for row in rows] == [r["position"] for r in expected]
    for row, want in zip(rows, expected, strict=True):
        assert row.record.encode() == orjson.dumps(want)
        if "data_version" in want:
            assert (row.licence_required, row.basis, row.licence_options) == (
                want["licence_required"],
                want["basis"],
                want["licence_options"],
            )
        else:
            assert row.error == want["message"]


#: Lines of the realistic batch compared with `clearance spark determine` (set 100000 for the issue's check; each
#: line costs the CLI and Spark about 0.1-0.3 ms here, so CI keeps it small).
REALISTIC_LINES = int(os.environ.get("CLEARANCE_SPARK_LINES", "2000"))


def test_the_realistic_batch_gets_the_clis_answers_on_every_line(spark: Any, tmp_path: Path) -> None:
    """bench/mix.py's realistic mix (every threshold, thousands of parties, list names among them): each line's
    record, and so its licence_required, basis and licence_options, is the CLI's."""
    from clearance.law import load_regulations
    from clearance.spark import jobs

    source, expected, out = tmp_path / "mix.jsonl", tmp_path / "cli.jsonl", tmp_path / "spark"
    with source.open("wb") as handle:
        handle.writelines(line + b"\n" for line in load_script("mix", "bench").lines(REALISTIC_LINES))
    cli = CliRunner().invoke(app, ["determine", "--batch", str(source), "-o", str(expected)])
    assert cli.exit_code == 0, cli.output
    summary = jobs.determine(spark, str(source), str(out), load_regulations())
    assert summary.records == REALISTIC_LINES and summary.partitions > 1
    assert summary.required > 0 and summary.not_required > 0 and summary.undecided > 0
    with expected.open("rb") as want:
        for part in _parts(out, ".txt"):
            with part.open("rb") as got:
                for line in got:
                    assert line == want.readline(), _answer(line)
        assert want.readline() == b""


def _answer(record: bytes) -> dict[str, Any]:
    data = orjson.loads(record)
    return {k: data.get(k) for k in ("position", "licence_required", "basis", "licence_options")}


def test_a_failed_run_leaves_the_previous_output_and_a_rerun_replaces_it(spark: Any, tmp_path: Path) -> None:
    from clearance.spark.files import write_atomically

    out = tmp_path / "out"
    write_atomically(spark.createDataFrame([("old",)], "record string"), str(out))

    def explode(batches: Iterator[Any]) -> Iterator[Any]:
        raise RuntimeError("the job fails midway")
        yield from batches

    failing = spark.createDataFrame([("new",)], "record string").mapInArrow(explode, "record string")
    with pytest.raises(Exception, match="the job fails midway"):
        write_atomically(failing, str(out))
    assert "".join(p.read_text() for p in _parts(out, ".txt")) == "old\n"
    write_atomically(spark.createDataFrame([("new",)], "record string"), str(out))
    assert "".join(p.read_text() for p in _parts(out, ".txt")) == "new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


PARTIES = ["Beihang University", "Hanbit Semiconductor", "Harbin Institute of Technology", "Sato Trading", "李明"]
REVIEW_KEYS = {"status", "decision", "stale_decision", "change", "hit_id"}


def test_screen_finds_the_candidates_screen_batch_finds(spark: Any, tmp_path: Path) -> None:
    from clearance.spark import jobs

    rng = random.Random(7)
    lines = [orjson.dumps({"name": rng.choice(PARTIES), "country": rng.choice(["CN", "KR", ""])}) for _ in range(120)]
    lines[5], lines[9] = b'{"country": "CN"}', b""
    parties = tmp_path / "parties.jsonl"
    parties.write_bytes(b"\n".join(lines) + b"\n")
    cli = CliRunner().invoke(
        app, ["screen", "--batch", str(parties), "--database", f"sqlite:///{tmp_path / 'db.sqlite'}", "--json"]
    )
    assert cli.exit_code == 2, cli.output  # the nameless row
    expected = {r["position"]: r for r in map(orjson.loads, cli.stdout_bytes.splitlines())}
    out = tmp_path / "screened.parquet"
    summary = jobs.screen(spark, str(parties), str(out))
    rows = spark.read.parquet(str(out)).orderBy("position").collect()
    assert [row.position for row in rows] == sorted(expected)
    assert summary.errors == 1 and 0 < summary.matched < summary.records
    for row in rows:
        got, want = orjson.loads(row.record), expected[row.position]
        if row.error:
            assert got == want
            continue
        assert (got["party_key"], got["matched"], got["lists"]) == (want["party_key"], want["matched"], want["lists"])
        assert got["results"] == [{k: v for k, v in r.items() if k not in REVIEW_KEYS} for r in want["results"]]


@pytest.fixture(scope="session")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample portfolio with 1,200 seeded order lines in JSON Lines (blank, unreadable and unknown-customer
    lines among them) and one unreadable customer row."""
    folder = tmp_path_factory.mktemp("spark") / "book"
    shutil.copytree(ROOT / "examples" / "portfolio", folder)
    with (folder / "customers.csv").open("a", encoding="utf-8") as handle:
        handle.write("C-XX-01,Nowhere Ltd.,Korea,civil,false\n")
    with (folder / "orders.csv").open(encoding="utf-8") as handle:
        sample = list(csv.DictReader(handle))
    (folder / "orders.csv").unlink()
    rng = random.Random(13)
    lines = [orjson.dumps({**rng.choice(sample), "order_id": f"G-{i}"}) for i in range(1200)]
    lines[3], lines[50], lines[51] = b"", b"{not json", orjson.dumps({**sample[0], "value": "lots"})
    lines[77] = orjson.dumps({**sample[0], "customer_id": "C-NONE"})
    (folder / "orders.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    return folder


COMPARISONS = {
    "dates": ("--before", "2019-08-01", "--after", "2019-08-28"),
    "scenario": (
        "--before",
        "2019-08-01",
        "--scenario",
        str(ROOT / "examples" / "scenarios" / "kr-leaves-group-a.yaml"),
    ),
    "pending": ("--known-on", "2019-08-05"),
}


@pytest.mark.parametrize("compared", COMPARISONS.values(), ids=list(COMPARISONS))
def test_impact_writes_the_clis_rows_and_summary(spark: Any, book: Path, compared: tuple[str, ...]) -> None:
    expected, out = book.parent / "cli.jsonl", book.parent / "impact"
    cli = CliRunner().invoke(app, ["impact", "--portfolio", str(book), *compared, "-o", str(expected), "--json"])
    assert cli.exit_code == 1, cli.output  # error lines
    result = CliRunner().invoke(
        app, ["spark", "impact", str(book), str(out), *compared, "--master", "local[2]", "--json"]
    )
    assert result.exit_code == 1, result.output
    rows = [line for part in _parts(out, ".txt") for line in part.read_bytes().splitlines()]
    assert rows == expected.read_bytes().splitlines()
    summary, report = orjson.loads(result.stdout), orjson.loads(cli.stdout)
    assert summary.pop("partitions") > 1 and summary.pop("lines") == 1200
    assert summary == {k: v for k, v in report.items() if k != "lines"}
    assert report["totals"]["failed"] == 4 and report["totals"]["affected"] > 0 and report["citations"]


def test_impact_to_parquet_has_the_columns_of_impact_to_parquet(spark: Any, book: Path) -> None:
    expected, out = book.parent / "cli.parquet", book.parent / "impact.parquet"
    dates = ("--before", "2019-08-01", "--after", "2019-08-28")
    assert CliRunner().invoke(app, ["impact", "--portfolio", str(book), *dates, "-o", str(expected)]).exit_code == 1
    result = CliRunner().invoke(app, ["spark", "impact", str(book), str(out), *dates, "--master", "local[2]"])
    assert result.exit_code == 1, result.output
    rows = [row.asDict() for row in spark.read.parquet(str(out)).collect()]
    want = spark.read.parquet(str(expected)).collect()
    for r in rows:
        assert orjson.loads(r.pop("record"))["order_id"] == (r["order_id"] or "")
    assert sorted(rows, key=_key) == sorted((row.asDict() for row in want), key=_key)


def _key(row: dict[str, Any]) -> tuple[str, int]:
    return row["file"], row["position"]
