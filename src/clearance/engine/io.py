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

from clearance.classify.catalogue import Catalogue, apply_product, resolve_product
from clearance.engine.determine import Screener, determine
from clearance.engine.result import Determination, Step
from clearance.engine.shipment import Shipment
from clearance.errors import ClearanceError, InputError
from clearance.law.regulations import Regulations


def _field(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc) or "input"


def input_error(exc: ValidationError) -> InputError:
    """The first problem of a pydantic validation error, as an InputError naming the field and value."""
    err = exc.errors()[0]
    field = _field(err["loc"])
    if err["type"] == "missing":
        return InputError(field, "required field is missing")
    if err["type"] == "extra_forbidden":
        return InputError(field, "unknown field")
    message = err["msg"].removeprefix("Value error, ")
    return InputError(field, f"{message} (got {err.get('input')!r})")


def parse_shipment(data: bytes | str | Mapping[str, Any], catalogue: Catalogue | None = None) -> Shipment:
    """A shipment from JSON text or a mapping; raises :class:`InputError` naming the bad field.

    An item given as ``{"product": PART}`` is resolved from ``catalogue`` for the shipment's regime: a product
    that is unknown or not classified for that regime is an error, never taken as unlisted."""
    if catalogue is not None or _has_product(data):
        return _with_product(data, catalogue)
    if isinstance(data, bytes | str):
        try:
            return Shipment.model_validate_json(data)
        except ValidationError as exc:
            if exc.errors()[0]["type"] == "json_invalid":
                raise InputError("input", f"not valid JSON: {exc.errors()[0]['ctx']['error']}") from None
            if exc.errors()[0]["type"] == "model_type":
                raise InputError("input", "expected a JSON object describing one shipment") from None
            raise input_error(exc) from None
    if not isinstance(data, Mapping):
        raise InputError("input", "expected a JSON object describing one shipment")
    try:
        return Shipment.model_validate(data)
    except ValidationError as exc:
        raise input_error(exc) from None


def _has_product(data: bytes | str | Mapping[str, Any]) -> bool:
    if isinstance(data, bytes):
        return b'"product"' in data
    if isinstance(data, str):
        return '"product"' in data
    item = data.get("item")
    return isinstance(item, Mapping) and "product" in item


def _with_product(data: bytes | str | Mapping[str, Any], catalogue: Catalogue | None) -> Shipment:
    if isinstance(data, bytes | str):
        try:
            data = orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            raise InputError("input", f"not valid JSON: {exc}") from None
    if not isinstance(data, Mapping):
        raise InputError("input", "expected a JSON object describing one shipment")
    item = data.get("item")
    if isinstance(item, Mapping) and item.get("product") is not None:
        regime = data.get("regime")
        if not isinstance(regime, str):
            raise InputError("regime", "required to resolve item.product")
        resolved = apply_product(item, catalogue, regime)
        facts = resolve_product(catalogue, str(item["product"]).strip(), regime).facts()
        data = {**data, "item": {**resolved, "product": facts["item.product"], "classified": _text(facts)}}
    try:
        return Shipment.model_validate(data)
    except ValidationError as exc:
        raise input_error(exc) from None


def _text(facts: Mapping[str, Any]) -> dict[str, str]:
    return {k: str(v) for k, v in facts.items() if v is not None and k != "item.product"}


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


def determine_lines(
    lines: Iterable[bytes | str],
    regulations: Mapping[str, Regulations],
    catalogue: Catalogue | None = None,
    screener: Screener | None = None,
    after: int = 0,
) -> Iterator[tuple[int, Determination | LineError]]:
    """Answer each non-blank JSON line (numbered from 1; only those after line ``after``, when resuming a batch);
    a bad line yields a :class:`LineError` and the rest go on."""
    with _few_collections():
        yield from _answer(lines, regulations, catalogue, screener, after)


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
    catalogue: Catalogue | None,
    screener: Screener | None,
    after: int,
) -> Iterator[tuple[int, Determination | LineError]]:
    for number, line in enumerate(lines, start=1):
        if number <= after or not line.strip():
            continue
        try:
            yield number, determine(parse_shipment(line, catalogue), regulations, screener=screener)
        except InputError as exc:
            yield number, LineError(number, exc.field, exc.message)
        except ClearanceError as exc:
            yield number, LineError(number, None, str(exc))
