"""Batches of parties to screen (clearance.screening.service.PartyBatch) read as they are screened: the same rows
and error records as a whole read, their positions from a first pass, in memory that does not grow with the file."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from clearance.errors import ListFormatError
from clearance.screening.service import BatchRow, PartyBatch
from clearance.tables import read_table, stream_csv

BOM = b"\xef\xbb\xbf"
#: A CSV as an ERP exports it: BOM, CRLF, a title and a blank row above the header, Japanese headers, a cell with
#: a line break, a blank row, a totals row, a row with more cells than the header and a row without a name.
MESSY_CSV = (
    BOM
    + (
        "Customer list 2026\r\n\r\n名称,国,別名\r\n北京航空航天大学,CN,BUAA;Beihang\r\n"
        '"Multi\r\nline Co",JP,\r\n,,\r\n合計,,\r\nAcme,KR,,extra\r\n,CN,\r\nToyota,JP,\r\n'
    ).encode()
)


def _rows(rows: list[BatchRow]) -> list[tuple[int, str | None, object, str | None]]:
    return [(r.row, r.party_id, r.query, str(r.error) if r.error else None) for r in rows]


def test_a_csv_streamed_reads_as_the_whole_table(tmp_path: Path) -> None:
    path = tmp_path / "parties.csv"
    path.write_bytes(MESSY_CSV)
    streamed = stream_csv(path, "file", ("name", "country", "aliases"))
    assert streamed is not None
    whole = read_table(path, "file", ("name", "country", "aliases"))
    assert (streamed.header_row, streamed.header) == (whole.header_row, whole.header)
    assert [s.row for s in streamed.skipped] == [1, 2], "rows below the header are known as they are read"
    assert tuple(streamed.rows) == whole.rows
    assert tuple(streamed.skipped) == whole.skipped and streamed.notes(whole.file) == whole.notes()
    batch = PartyBatch(path)
    rows = list(batch.rows())
    # a row is a CSV record (a cell may hold a line break)
    assert list(batch.positions()) == [r.row for r in rows] == [4, 5, 8, 9, 10]
    assert [(r.row, str(r.error)) for r in rows if r.error] == [
        (8, "input: more cells than header columns"),
        (9, "name: is empty"),
    ]


def test_every_row_of_a_streamed_csv_is_read_or_skipped_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "parties.csv"
    path.write_bytes(MESSY_CSV + b",,\r\n\r\n")  # blank rows at the end (not worth a note)
    batch = PartyBatch(path)
    rows = list(batch.rows())
    assert [(s.row, s.kind, s.text) for s in batch.skipped()] == [
        (1, "title", "Customer list 2026"),
        (2, "blank", ""),
        (6, "blank", ""),
        (7, "totals", "合計"),
    ]
    # every record but the header (row 3) and the blank ones at the end
    assert sorted([r.row for r in rows] + [s.row for s in batch.skipped()]) == [1, 2, *range(4, 11)]
    assert batch.notes() == [
        "parties.csv: read as UTF-8 with BOM",
        "parties.csv: header found in row 3; title rows above it skipped (row 1)",
        "parties.csv: row 7 is a totals row, not an order or record: skipped (合計)",
        "parties.csv: blank rows skipped (rows 2, 6)",
    ]


def test_every_row_of_a_workbook_is_read_or_skipped_with_a_note(tmp_path: Path) -> None:
    from openpyxl import Workbook

    path = tmp_path / "parties.xlsx"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "取引先"
    for row in (["名称", "国"], ["Beihang", "CN"], [None, None], ["Toyota", "JP"], ["合計", 2], [None, None]):
        sheet.append(row)
    book.save(path)
    batch = PartyBatch(path)
    assert [r.row for r in batch.rows()] == [2, 4]
    assert [(s.row, s.kind) for s in batch.skipped()] == [(3, "blank"), (5, "totals")]
    assert batch.notes() == [
        "parties.xlsx [取引先]: row 5 is a totals row, not an order or record: skipped (合計 2)",
        "parties.xlsx [取引先]: blank rows skipped (row 3)",
    ]


def test_a_csv_in_a_legacy_encoding_is_read_whole_as_before(tmp_path: Path) -> None:
    path = tmp_path / "parties.csv"
    path.write_bytes("名称,国\r\n株式会社テスト,JP\r\n".encode("cp932"))
    assert stream_csv(path, "file", ("name",)) is None
    assert [(r.row, r.query and r.query.names) for r in PartyBatch(path).rows()] == [(2, ("株式会社テスト",))]


def test_json_lines_keep_their_line_numbers_and_error_records(tmp_path: Path) -> None:
    path = tmp_path / "parties.jsonl"
    path.write_bytes(BOM + b'{"name": "Beihang", "country": "CN"}\r\n\n  \n[1]\n{bad\n{"name": ""}\n{"name": "Z"}\n\n')
    batch = PartyBatch(path)
    rows = list(batch.rows())
    assert list(batch.positions()) == [r.row for r in rows] == [1, 4, 5, 6, 7]
    # the blank lines among the rows are noted; the one at the end is not
    assert [(s.row, s.kind) for s in batch.skipped()] == [(2, "blank"), (3, "blank")]
    assert batch.notes() == ["parties.jsonl: blank rows skipped (rows 2, 3)"]
    assert [str(r.error) if r.error else None for r in rows] == [
        None,
        "row: is not a JSON object",
        "input: not valid JSON: unexpected character, expected a string key: line 1 column 2 (char 1)",
        "name: is empty",
        None,
    ]


def test_json_lines_not_utf8_are_refused_before_any_row_is_screened(tmp_path: Path) -> None:
    path = tmp_path / "parties.jsonl"
    path.write_bytes(BOM + b'{"name": "A"}\n{"name": "\xff"}\n')
    with pytest.raises(ListFormatError, match=r"not UTF-8 text \(byte 24 cannot be read\)"):
        PartyBatch(path).positions()


def test_parquet_positions_come_from_its_footer(tmp_path: Path) -> None:
    path = tmp_path / "parties.parquet"
    parties = [{"name": "Admiralty", "country": "RU"}, {"name": None, "country": "KR"}]
    pq.write_table(pa.Table.from_pylist(parties), path)
    batch = PartyBatch(path)
    assert batch.positions() == range(1, 3)
    assert [(r.row, str(r.error) if r.error else None) for r in batch.rows()] == [(1, None), (2, "name: is empty")]


def _peak(path: Path) -> int:
    """Peak memory (bytes traced) of reading every row of a batch once, keeping none."""
    batch = PartyBatch(path)
    tracemalloc.start()
    try:
        for _ in batch.rows():
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_memory_does_not_grow_with_the_batch(tmp_path: Path, suffix: str) -> None:
    paths = []
    for rows in (2_000, 20_000):
        path = tmp_path / f"{rows}{suffix}"
        parties = [{"name": f"Trading Company {n}", "country": "JP", "id": f"c{n}"} for n in range(rows)]
        if suffix == ".csv":
            path.write_text("name,country,id\n" + "".join(f"{p['name']},JP,{p['id']}\n" for p in parties))
        else:
            path.write_bytes(b"".join(orjson.dumps(p) + b"\n" for p in parties))
        paths.append(path)
    _peak(paths[0])  # the readers' first use (imports, caches) not counted
    small, large = (_peak(path) for path in paths)
    # read whole, 10x the rows take about 10x the memory (some 8 MB for 20,000 rows)
    assert large < 2 * small + 100_000, f"10x the rows took {large} bytes at the peak, against {small}"
