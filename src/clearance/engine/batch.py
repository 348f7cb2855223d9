"""Answering many shipments fast, outside the law's procedure (:mod:`clearance.engine.determine`): answers
memoised per snapshot of the law, JSON fragments shared between answers, the garbage collector tuned for long
batches, and JSON Lines batches that answer every line (a bad one with its error record).

None of this changes an answer: within one snapshot of the law an answer depends only on the facts in
:func:`_memo_key`; a memoised answer is restamped with the shipment's own date and reference.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import fields, replace
from decimal import Decimal
from typing import Any

import orjson

from clearance.engine.determine import Screener, case_of, decide
from clearance.engine.io import parse_shipment
from clearance.engine.result import Determination, Step
from clearance.engine.shipment import Shipment
from clearance.errors import ClearanceError
from clearance.law.regulations import Regulations
from clearance.problems import BatchError

#: Most memoised answers kept per snapshot before the memo is emptied (bounds memory on long batches).
_MEMO_LIMIT = 50_000


def _memo_key(shipment: Shipment, code: str | None, screener: Screener | None) -> Hashable:
    """Every fact an answer depends on within one snapshot of the law (the date and reference excepted)."""
    item = shipment.item
    return (
        "determination",
        shipment.destination,
        code,
        item.cas,
        item.hs_code,
        item.kind,
        item.value,
        item.currency,
        shipment.end_use,
        shipment.informed,
        tuple(sorted(shipment.exporter.items())),
        tuple(shipment.red_flags),
        item.product,
        tuple(sorted((item.classified or {}).items())),
        (shipment.end_user.name, shipment.end_user.country) if shipment.end_user else None,
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


def _default(obj: Any) -> Any:
    if isinstance(obj, Decimal):
        return str(obj)
    raise TypeError(type(obj).__name__)


class _Fragments:
    """Pre-serialised JSON of objects shared between answers (citations, the values a step read).

    Keyed by identity and holding the object, so an id is never reused while its entry lives; bounded."""

    def __init__(self, limit: int = 20_000) -> None:
        self.limit = limit
        self.cache: dict[int, tuple[Any, orjson.Fragment]] = {}

    def __call__(self, obj: Any, plain: Callable[[Any], Any] | None = None) -> orjson.Fragment:
        """The fragment of ``obj`` (serialising ``plain(obj)`` instead when given)."""
        found = self.cache.get(id(obj))
        if found is None or found[0] is not obj:
            if len(self.cache) >= self.limit:
                self.cache.clear()
            data = orjson.dumps(plain(obj) if plain else obj, default=_default)
            found = self.cache[id(obj)] = (obj, orjson.Fragment(data))
        return found[1]


_fragment = _Fragments()  # citations and the values steps read: few distinct objects
_step_fragment = _Fragments(limit=2_000)  # the steps of memoised answers, shared while a batch repeats itself
_FIELDS = tuple(f.name for f in fields(Determination))


def _steps(steps: tuple[Step, ...]) -> list[dict[str, Any]]:
    return [
        {
            "rule": s.rule,
            "outcome": s.outcome,
            "applies": s.applies,
            "facts": s.facts,
            "values": _fragment(s.values),
            "citations": s.citations,
        }
        for s in steps
    ]


def _plain(d: Determination) -> dict[str, Any]:
    """The determination as a dict whose shared parts (citations, steps of memoised answers, the values
    each step read) are pre-serialised fragments."""
    out = {name: getattr(d, name) for name in _FIELDS}
    out["citations"] = _fragment(d.citations)
    out["steps"] = _step_fragment(d.steps, _steps)
    return out


def to_json(determination: Determination, indent: bool = False) -> bytes:
    """A determination as JSON in the contract's field names (citations and step values are serialised
    once and reused: batches of similar shipments spend their time deciding, not encoding)."""
    option = orjson.OPT_INDENT_2 if indent else 0
    return orjson.dumps(_plain(determination), default=_default, option=option)


def batch_lines(lines: Sequence[bytes | str]) -> list[int]:
    """The numbers (from 1) of the lines a batch answers: the non-blank ones."""
    return [number for number, line in enumerate(lines, start=1) if line.strip()]


def line_json(number: int, result: Determination | BatchError) -> bytes:
    """The batch record of input line ``number``: its answer with its ``position`` first, or its error record
    (:class:`~clearance.problems.BatchError`)."""
    if isinstance(result, BatchError):
        return orjson.dumps(result.to_dict(), default=str)
    return orjson.dumps({"position": number, **_plain(result)}, default=_default)


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
    resuming a batch); a bad line yields a :class:`~clearance.problems.BatchError` and the rest go on."""
    with _few_collections():
        yield from _answer(lines, regulations, read, screener, after)


@contextmanager
def _few_collections() -> Iterator[None]:
    """Batches allocate many short-lived objects beside a large long-lived heap (packs, memoised answers):
    freeze what exists and collect less often, then restore the collector's settings."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(50_000, 50, 1_000)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def _answer(
    lines: Iterable[bytes | str],
    regulations: Mapping[str, Regulations],
    read: Reader,
    screener: Screener | None,
    after: int,
) -> Iterator[tuple[int, Determination | BatchError]]:
    for number, line in enumerate(lines, start=1):
        if number <= after or not line.strip():
            continue
        try:
            yield number, determine_memoised(read(line), regulations, screener=screener)
        except ClearanceError as exc:
            yield number, BatchError.of(number, exc)
