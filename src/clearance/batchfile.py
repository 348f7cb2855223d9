"""Batch output that survives a kill: JSON Lines, one record per answered input line, in input order, each record
naming its input line; written a record at a time, and resumed by reading back what an earlier run left.

Each record reaches the operating system in one write as soon as it is answered, or with those answered with it (a
slice of a table's lines, :meth:`BatchOutput.write_many`): a killed process leaves whole records and at most one
partial last line. It is synced to disk at most once every :data:`SYNC_SECONDS`. Resuming
checks that the records answer the first input lines in order, cuts a partial last line off and says where to go on.

A record that reports a database write is written and synced *before* that write commits (:meth:`BatchOutput.stage`):
a kill can then leave a last record whose write never committed, never a committed write without its record.
Resuming asks ``confirm`` about the last record and drops it when its write is not in the database, so that the
line is answered again, once.
"""

from __future__ import annotations

import os
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from time import monotonic
from types import TracebackType
from typing import IO, Any, overload

import orjson

from clearance.errors import InputError
from clearance.problems import is_error_record

#: Seconds after a sync to disk before a record written syncs again (a staged record is synced at once, and all on
#: closing). Each record reaches the operating system when written, which a killed process does not undo; a crash of
#: the machine loses at most the records written since the last sync, about ``SYNC_SECONDS`` of answering (more only
#: while the input pauses), which resuming answers again.
SYNC_SECONDS = 1.0

#: Asked on resuming about the last record: is the database write it reports committed?
Confirm = Callable[[dict[str, Any]], bool]


class BatchOutput:
    """An output file being written: ``done`` records kept (answering the first ``done`` input lines, the last
    of them ``last_line``), ``errors`` of them error records."""

    def __init__(self, path: Path, handle: IO[bytes], done: int, errors: int, last_line: int) -> None:
        self.path = path
        self.done = done
        self.errors = errors
        self.last_line = last_line
        self._handle = handle
        self._end = handle.seek(0, os.SEEK_END)
        self._staged: bytes | None = None
        self._synced = monotonic()

    def stage(self, record: bytes) -> None:
        """Write ``record`` (one line of JSON, without its newline) after the kept records, replacing one staged
        before, and sync it to disk: call it just before the database write it reports commits."""
        self._put(record + b"\n")
        self.sync()
        self._staged = record

    def write(self, number: int, record: bytes, *, error: bool = False) -> None:
        """Keep ``record`` (one line of JSON, without its newline) as the answer to input line ``number``; a record
        staged just before with the same content is kept as written."""
        if record != self._staged:
            self._put(record + b"\n")
        self._staged = None
        self._kept(len(record) + 1, 1, error, number)

    def write_many(self, data: bytes | memoryview, count: int, errors: int, last_line: int) -> None:
        """Keep ``count`` records in one write (``data``: each one line of JSON with its newline), answering the
        next input lines up to ``last_line``, ``errors`` of them error records."""
        self._put(data)
        self._staged = None
        self._kept(len(memoryview(data)), count, errors, last_line)

    def _kept(self, size: int, count: int, errors: int, last_line: int) -> None:
        self._end += size
        self.done += count
        self.errors += errors
        self.last_line = last_line
        if monotonic() - self._synced >= SYNC_SECONDS:
            self.sync()

    def _put(self, lines: bytes | memoryview) -> None:
        if self._staged is not None:  # a staged record not kept follows the kept ones: written over
            self._handle.seek(self._end)
            self._handle.truncate()
        data = memoryview(lines)
        while data:  # one write for a whole record, unless the system writes less
            data = data[self._handle.write(data) :]

    def sync(self) -> None:
        """Sync the kept records to disk."""
        os.fsync(self._handle.fileno())
        self._synced = monotonic()

    def close(self) -> None:
        """Sync and close (a record staged and not kept stays: resuming asks whether its write committed)."""
        self.sync()
        self._handle.close()

    def __enter__(self) -> BatchOutput:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()


def is_parquet(path: Path | str) -> bool:
    """Whether a path names a Parquet file (by its extension): a batch read or written as Parquet
    (:mod:`clearance.columnar`, which loads pyarrow) rather than JSON Lines."""
    return str(path).lower().endswith(".parquet")


def file_lines(path: Path) -> Iterator[bytes]:
    """The lines of a batch's input file (with their line ends), read as they are iterated."""
    with path.open("rb") as handle:
        yield from handle


class LineNumbers(Sequence[int]):
    """The numbers (from 1) of the non-blank lines of a batch's input, in order, held as the numbers of its blank
    lines: a few bytes per blank line, not eight per line (a batch of 10 M lines has few or none)."""

    def __init__(self, lines: Iterable[bytes | str]) -> None:
        total = 0
        #: For the j-th line left out (from 0), its number less j: never decreasing, so found by bisection.
        self._shifted = array("q")
        for total, line in enumerate(lines, start=1):
            if not line.strip():
                self._shifted.append(total - len(self._shifted))
        self._len = total - len(self._shifted)

    @classmethod
    def of(cls, numbers: Iterable[int]) -> LineNumbers:
        """Increasing ``numbers`` (from 1, e.g. the data rows of a table) held as the numbers left out between
        them (a table's header, its blank and totals rows)."""
        held = cls(())
        last = 0
        for number in numbers:
            # the numbers left out before ``number``, each less the count of those before it: the same all along
            held._shifted.extend([last + 1 - len(held._shifted)] * (number - last - 1))
            last = number
        held._len = last - len(held._shifted)
        return held

    def __len__(self) -> int:
        return self._len

    @overload
    def __getitem__(self, index: int) -> int: ...

    @overload
    def __getitem__(self, index: slice) -> list[int]: ...

    def __getitem__(self, index: int | slice) -> int | list[int]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._len))]
        if index < 0:
            index += self._len
        if not 0 <= index < self._len:
            raise IndexError(index)
        # the (index+1)-th non-blank line comes after exactly the blank lines j whose number less j is at most index+1
        return index + 1 + bisect_right(self._shifted, index + 1)


def open_output(
    path: Path, field: str, numbers: Sequence[int], *, resume: bool = False, confirm: Confirm | None = None
) -> BatchOutput:
    """The output file of a batch whose answered input lines are ``numbers``, in order; each record names its line
    in ``field``.

    Without ``resume`` the file is written anew. With it, the records already there are kept (a missing file is
    an empty one): they must answer ``numbers[:done]`` one each, in order (else :class:`InputError` naming
    ``--output``); a partial last line is cut off, and the last record is dropped when ``confirm`` says the
    database write it reports did not commit."""
    if not resume or not path.exists():
        return BatchOutput(path, _open(path, "wb"), 0, 0, 0)
    done = errors = end = last_start = 0
    last: dict[str, Any] | None = None
    with _open(path, "rb", buffering=-1) as reader:
        for text in reader:
            if not text.endswith(b"\n"):
                break  # a partial last line: cut off below
            last = _record(path, done + 1, text, field)
            if done >= len(numbers) or last[field] != numbers[done]:
                expected = f"input line {numbers[done]}" if done < len(numbers) else "the end of the input"
                raise InputError(
                    "--output",
                    f"{path}: line {done + 1} answers input line {last[field]} where {expected} was expected: "
                    "is it the output of this input?",
                )
            done += 1
            errors += is_error_record(last)
            last_start, end = end, end + len(text)
    if last is not None and confirm is not None and not confirm(last):
        done, errors, end = done - 1, errors - is_error_record(last), last_start
    handle = _open(path, "r+b")
    handle.truncate(end)
    return BatchOutput(path, handle, done, errors, numbers[done - 1] if done else 0)


def _open(path: Path, mode: str, buffering: int = 0) -> IO[bytes]:
    try:
        return path.open(mode, buffering=buffering)
    except OSError as exc:
        raise InputError("--output", f"cannot open {str(path)!r}: {exc.strerror}") from None


def _record(path: Path, number: int, text: bytes, field: str) -> dict[str, Any]:
    try:
        record = orjson.loads(text)
    except orjson.JSONDecodeError:
        record = None
    if not isinstance(record, dict) or not isinstance(record.get(field), int):
        raise InputError("--output", f"{path}: line {number} is not a record of a batch (no {field!r} number)")
    return record
