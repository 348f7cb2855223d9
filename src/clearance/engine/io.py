"""Shipments in, determinations out: JSON parsing with field-naming errors, and JSON Lines batches."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

import orjson
from pydantic import ValidationError

from clearance.decoding import decode_text, without_bom
from clearance.engine.determine import Screener, determine
from clearance.engine.result import Determination, Step
from clearance.engine.shipment import Shipment
from clearance.errors import ClearanceError, InputError
from clearance.inputs import input_error, json_object
from clearance.law.regulations import Regulations


def parse_shipment(data: bytes | str | Mapping[str, Any]) -> Shipment:
    """A shipment from JSON text or a mapping; raises :class:`InputError` naming the bad field.

    Its item is taken as given: a ``product`` reference must already be resolved (see
    :func:`clearance.checks.read_shipment`), as it is in the shipments the audit trail records."""
    if isinstance(data, bytes | str):
        try:
            text = without_bom(data) if isinstance(data, bytes) else decode_text(data, "input")
            return Shipment.model_validate_json(text)
        except ValidationError as exc:
            first = exc.errors()[0]
            if first["type"] == "json_invalid":
                decode_text(data, "input")  # says so when the bytes are not UTF-8
                raise InputError("input", f"not valid JSON: {first['ctx']['error']}") from None
            if first["type"] == "model_type":
                raise InputError("input", "expected a JSON object") from None
            raise input_error(exc) from None
    try:
        return Shipment.model_validate(json_object(data))
    except ValidationError as exc:
        raise input_error(exc) from None


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


@dataclass(frozen=True, slots=True)
class LineError:
    """A batch line that could not be answered, with its 1-based line number."""

    line: int
    field: str | None
    message: str

    def to_json(self) -> bytes:
        """The error record written in place of the line's answer."""
        return orjson.dumps({"line": self.line, "error": {"field": self.field, "message": self.message}})


def batch_lines(lines: Sequence[bytes | str]) -> list[int]:
    """The numbers (from 1) of the lines a batch answers: the non-blank ones."""
    return [number for number, line in enumerate(lines, start=1) if line.strip()]


def line_json(number: int, result: Determination | LineError) -> bytes:
    """The batch record of input line ``number``: its answer with ``line`` first, or its error record."""
    if isinstance(result, LineError):
        return result.to_json()
    return orjson.dumps({"line": number, **_plain(result)}, default=_default)


#: How a batch line becomes a shipment (the CLI resolves products with :func:`clearance.checks.read_shipment`).
Reader = Callable[[bytes | str], Shipment]


def determine_lines(
    lines: Iterable[bytes | str],
    regulations: Mapping[str, Regulations],
    read: Reader = parse_shipment,
    screener: Screener | None = None,
    after: int = 0,
) -> Iterator[tuple[int, Determination | LineError]]:
    """Answer each non-blank JSON line (numbered from 1, read by ``read``; only those after line ``after`` when
    resuming a batch); a bad line yields a :class:`LineError` and the rest go on."""
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
) -> Iterator[tuple[int, Determination | LineError]]:
    for number, line in enumerate(lines, start=1):
        if number <= after or not line.strip():
            continue
        try:
            yield number, determine(read(line), regulations, screener=screener)
        except InputError as exc:
            yield number, LineError(number, exc.field, exc.message)
        except ClearanceError as exc:
            yield number, LineError(number, None, str(exc))
