"""Answering many shipments fast, outside the law's procedure (:mod:`clearance.engine.determine`): single answers
memoised per snapshot of the law, batches answered by distinct keys (:mod:`clearance.engine.keyed`) with the
garbage collector tuned for them, every line answered (a bad one with its error record).

None of this changes an answer: within one snapshot of the law an answer depends only on the facts in
:func:`_memo_key`; a memoised answer is restamped with the shipment's own date and reference.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from dataclasses import replace
from typing import NamedTuple, TypeVar

from clearance.collector import few_collections
from clearance.engine.determine import Screener, case_of, decide
from clearance.engine.encode import line_json
from clearance.engine.io import parse_shipment
from clearance.engine.kept import KeptAnswers
from clearance.engine.keyed import Keyed, facts_key
from clearance.engine.result import Determination
from clearance.engine.shipment import Shipment
from clearance.errors import ClearanceError
from clearance.law.regulations import Regulations
from clearance.problems import BatchError

#: Most memoised answers kept per snapshot before the memo is emptied (bounds memory on long batches).
_MEMO_LIMIT = 50_000


def _memo_key(shipment: Shipment, code: str | None, screener: Screener | None) -> Hashable:
    """Every fact an answer depends on within one snapshot of the law (the date and reference excepted)."""
    party = shipment.end_user
    return (
        "determination",
        shipment.destination,
        *facts_key(shipment, code),
        shipment.item.value,
        (party.name, party.country) if party else None,
        id(screener) if screener else None,
    )


def determine_memoised(
    shipment: Shipment,
    regulations: Mapping[str, Regulations] | Regulations,
    *,
    screener: Screener | None = None,
) -> Determination:
    """:func:`~clearance.engine.determine.determine`, the answer memoised per snapshot of the law (bounded) and
    restamped with the shipment's date and reference."""
    case = case_of(shipment, regulations)
    key = _memo_key(shipment, case.code, screener)
    cached: Determination | None = case.snap.memo.get(key)
    if cached is not None:
        if cached.date == shipment.date and cached.ref == shipment.ref:
            return cached
        return replace(cached, date=shipment.date, ref=shipment.ref)
    result = decide(shipment, case, screener)
    if len(case.snap.memo) >= _MEMO_LIMIT:
        case.snap.memo.clear()
    case.snap.memo[key] = result
    return result


#: How a batch line becomes a shipment (the CLI resolves products with :func:`clearance.checks.read_shipment`).
Reader = Callable[[bytes | str], Shipment]


def determine_lines(
    lines: Iterable[bytes | str],
    regulations: Mapping[str, Regulations],
    read: Reader = parse_shipment,
    screener: Screener | None = None,
    after: int = 0,
) -> Iterator[tuple[int, Determination | BatchError]]:
    """Answer each non-blank JSON line (numbered from 1, read by ``read``; only those after line ``after`` when
    resuming a batch) by distinct keys; a bad line yields a :class:`~clearance.problems.BatchError` and the rest
    go on."""
    keyed = Keyed(regulations, screener)
    with few_collections():
        yield from _each(lines, after, lambda number, line: keyed.determination(read(line)))


def record_lines(
    lines: Iterable[bytes | str],
    regulations: Mapping[str, Regulations],
    read: Reader = parse_shipment,
    screener: Screener | None = None,
    after: int = 0,
    kept: KeptAnswers | None = None,
) -> Iterator[tuple[int, bytes, bool]]:
    """:func:`determine_lines` as batch records: each answered line's number, its JSON record
    (:func:`~clearance.engine.encode.line_json`'s bytes) and whether it is an error record; ``kept``: keys' answers
    kept across runs (:mod:`clearance.engine.kept`), given the keys decided when the batch ends."""
    keyed = Keyed(regulations, screener, kept)
    with few_collections():
        for number, record in _each(lines, after, lambda number, line: keyed.line_record(number, line, read)):
            if isinstance(record, BatchError):
                yield number, line_json(number, record), True
            else:
                yield number, record, False
    if kept is not None:
        kept.save()


#: Records written at a time by :func:`record_slices`: about 8 kB a line, so buffers of about 2 MB.
SLICE = 256


class RecordSlice(NamedTuple):
    """The records of consecutive answered lines in one buffer (each with its newline): how many lines they answer,
    how many of them are error records, and the number of the last line they answer."""

    data: bytes
    answered: int
    errors: int
    last_line: int


def record_slices(
    lines: Iterable[bytes | str],
    regulations: Mapping[str, Regulations],
    read: Reader = parse_shipment,
    screener: Screener | None = None,
    after: int = 0,
    size: int = SLICE,
    kept: KeptAnswers | None = None,
) -> Iterator[RecordSlice]:
    """:func:`record_lines`' records ``size`` lines at a time, joined into one buffer (one write instead of
    ``size``)."""
    records: list[bytes] = []
    errors = last_line = 0
    for number, record, error in record_lines(lines, regulations, read, screener, after, kept):
        records.append(record)
        errors, last_line = errors + error, number
        if len(records) == size:
            yield RecordSlice(b"\n".join([*records, b""]), size, errors, last_line)
            records, errors = [], 0
    if records:
        yield RecordSlice(b"\n".join([*records, b""]), len(records), errors, last_line)


_T = TypeVar("_T")


def _each(
    lines: Iterable[bytes | str], after: int, answer: Callable[[int, bytes | str], _T]
) -> Iterator[tuple[int, _T | BatchError]]:
    for number, line in enumerate(lines, start=1):
        if number <= after or not line.strip():
            continue
        try:
            yield number, answer(number, line)
        except ClearanceError as exc:
            yield number, BatchError.of(number, exc)
