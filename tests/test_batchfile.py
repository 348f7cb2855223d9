"""Batch output files (clearance.batchfile): a run cut off at any byte resumes to exactly the output of a run that
was never interrupted; records that do not belong to the input are refused; a record written before its database
write committed is dropped on resuming unless that write is confirmed."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clearance import batchfile
from clearance.batchfile import SYNC_SECONDS, LineNumbers, open_output
from clearance.errors import InputError


def _record(number: int, text: str = "") -> bytes:
    record: dict[str, Any] = {"line": number, "answer": text or f"answer {number}"}
    if number % 5 == 0:
        record = {"line": number, "field": "x", "value": None, "message": "bad"}
    return json.dumps(record, ensure_ascii=False).encode()


def _run(path: Path, numbers: Sequence[int], *, resume: bool) -> tuple[int, int]:
    """Answer ``numbers`` as a batch does, resuming or not; how many were there before, and the errors."""
    with open_output(path, "line", numbers, resume=resume) as out:
        before = out.done
        for number in numbers[before:]:
            assert number > out.last_line
            out.write(number, _record(number), error=number % 5 == 0)
    return before, out.errors


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_bytes().splitlines()]


NUMBERS = [1, 2, 4, 5, 6, 9, 10, 11]  # lines 3, 7 and 8 are blank


@settings(max_examples=60, deadline=None)
@given(cut=st.integers(min_value=0, max_value=10_000), text=st.text(min_size=1, max_size=30))
def test_a_run_cut_at_any_byte_resumes_to_the_uninterrupted_output(cut: int, text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "out.jsonl"
        with open_output(path, "line", NUMBERS) as out:
            for number in NUMBERS:
                out.write(number, _record(number, text), error=number % 5 == 0)
        full = path.read_bytes()
        path.write_bytes(full[: cut % (len(full) + 1)])
        with open_output(path, "line", NUMBERS, resume=True) as out:
            kept = full[: cut % (len(full) + 1)].count(b"\n")
            assert out.done == kept and out.last_line == (NUMBERS[kept - 1] if kept else 0)
            for number in NUMBERS[out.done :]:
                out.write(number, _record(number, text), error=number % 5 == 0)
        assert path.read_bytes() == full
        assert out.errors == 2


def test_resuming_a_finished_or_missing_output(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    assert _run(path, NUMBERS, resume=True) == (0, 2)  # nothing there yet: a fresh run
    first = path.read_bytes()
    assert _run(path, NUMBERS, resume=True) == (len(NUMBERS), 2)  # all answered: nothing redone
    assert path.read_bytes() == first
    assert _run(path, NUMBERS, resume=False) == (0, 2)  # without --resume: written anew
    assert [r["line"] for r in _lines(path)] == NUMBERS


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"line": 2}\n', "line 1 answers input line 2 where input line 1 was expected"),
        (b'{"line": 1}\n{"line": 2}\n{"line": 5}\n', "line 3 answers input line 5 where input line 4 was expected"),
        (b'{"line": 1}\n{"line": 1}\n', "line 2 answers input line 1 where input line 2 was expected"),
        (b"".join(b'{"line": %d}\n' % n for n in [*NUMBERS, 12]), "where the end of the input was expected"),
        (b"not json\n", "line 1 is not a record of a batch (no 'line' number)"),
        (b'{"row": 1}\n', "line 1 is not a record of a batch"),
        (b'[1]\n{"line": 1}\n', "line 1 is not a record of a batch"),
    ],
)
def test_an_output_of_another_input_is_refused(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "out.jsonl"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        open_output(path, "line", NUMBERS, resume=True)
    assert caught.value.field == "--output" and message in caught.value.message
    assert path.read_bytes() == content, "a refused output is left as it was"


def test_an_unwritable_output_names_the_option(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        open_output(tmp_path / "missing" / "out.jsonl", "line", NUMBERS)
    assert caught.value.field == "--output" and "cannot open" in caught.value.message


def test_a_staged_record_is_kept_only_if_its_write_is_confirmed(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    with open_output(path, "line", NUMBERS) as out:
        out.write(1, _record(1))
        out.stage(b'{"line":2,"audit":"uncommitted"}')  # then killed: the record is on disk
    assert len(_lines(path)) == 2

    asked: list[dict[str, Any]] = []

    def confirm(record: dict[str, Any]) -> bool:
        asked.append(record)
        return record.get("audit") != "uncommitted"

    with open_output(path, "line", NUMBERS, resume=True, confirm=confirm) as out:
        assert (out.done, out.last_line) == (1, 1)
        assert asked == [{"line": 2, "audit": "uncommitted"}], "only the last record is asked about"
        out.stage(b'{"line":2,"audit":"committed"}')
        out.write(2, b'{"line":2,"audit":"committed"}')  # the staged record, kept as written
    with open_output(path, "line", NUMBERS, resume=True, confirm=confirm) as out:
        assert (out.done, out.last_line) == (2, 2)
    assert _lines(path) == [{"line": 1, "answer": "answer 1"}, {"line": 2, "audit": "committed"}]


def test_records_are_synced_by_time_not_by_count(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    now = [0.0]
    syncs: list[int] = []  # how many records were written at each sync
    monkeypatch.setattr(batchfile, "monotonic", lambda: now[0])
    with open_output(tmp_path / "out.jsonl", "line", range(1, 1001)) as out:
        monkeypatch.setattr(batchfile.os, "fsync", lambda fd: syncs.append(out.done))
        for number in range(1, 1001):
            now[0] += SYNC_SECONDS / 4 if number % 100 == 0 else 0.0  # 400 records a sync interval
            out.write(number, _record(number))
        assert syncs == [400, 800], "no sync between two, however many records"
        out.stage(b'{"line":1001}')
        assert syncs[-1] == 1000, "a staged record is synced at once"
    assert syncs == [400, 800, 1000, 1000], "and all on closing"


def test_a_staged_record_replaced_by_another_answer(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    with open_output(path, "line", NUMBERS) as out:
        out.stage(b'{"line":1,"try":1}')
        out.stage(b'{"line":1,"try":2,"audit":"a record longer than the answer kept"}')  # a retry stages again
        out.write(1, b'{"line":1,"error":"conflict"}', error=True)  # and failed after all
        out.write(2, _record(2))
    assert _lines(path) == [{"line": 1, "error": "conflict"}, {"line": 2, "answer": "answer 2"}]
    assert out.errors == 1


@settings(max_examples=200, deadline=None)
@given(lines=st.lists(st.sampled_from([b"{}\n", b"\n", b"  \r\n", b'{"a": 1}']), max_size=40))
def test_line_numbers_are_the_non_blank_lines_numbers(lines: list[bytes]) -> None:
    expected = [number for number, line in enumerate(lines, start=1) if line.strip()]
    numbers = LineNumbers(lines)
    assert len(numbers) == len(expected)
    assert list(numbers) == expected and numbers[1:-1] == expected[1:-1]
    if expected:
        assert numbers[-1] == expected[-1]
    with pytest.raises(IndexError):
        numbers[len(expected)]


def test_resuming_reads_the_line_numbers_without_a_list(tmp_path: Path) -> None:
    lines = [b"{}\n" if number in NUMBERS else b"\n" for number in range(1, NUMBERS[-1] + 1)]
    path = tmp_path / "out.jsonl"
    _run(path, NUMBERS[:3], resume=False)
    assert _run(path, LineNumbers(lines), resume=True) == (3, 2)
    with open_output(path, "line", LineNumbers(lines), resume=True) as out:
        assert (out.done, out.last_line) == (len(NUMBERS), NUMBERS[-1])


@given(numbers=st.sets(st.integers(min_value=1, max_value=60)))
def test_line_numbers_hold_any_increasing_numbers(numbers: set[int]) -> None:
    expected = sorted(numbers)
    held = LineNumbers.of(expected)
    assert len(held) == len(expected) and list(held) == expected
