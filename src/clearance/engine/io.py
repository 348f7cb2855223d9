"""Shipments in, determinations out: JSON parsing with field-naming errors, and JSON Lines batches."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import orjson
from pydantic import ValidationError

from clearance.engine.determine import determine
from clearance.engine.result import Determination
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


def parse_shipment(data: bytes | str | Mapping[str, Any]) -> Shipment:
    """A shipment from JSON text or a mapping; raises :class:`InputError` naming the bad field."""
    if isinstance(data, bytes | str):
        try:
            data = orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            raise InputError("input", f"not valid JSON: {exc}") from None
    if not isinstance(data, Mapping):
        raise InputError("input", "expected a JSON object describing one shipment")
    try:
        return Shipment.model_validate(data)
    except ValidationError as exc:
        raise input_error(exc) from None


def _default(obj: Any) -> Any:
    if isinstance(obj, Decimal):
        return str(obj)
    raise TypeError(type(obj).__name__)


def to_json(determination: Determination, indent: bool = False) -> bytes:
    """A determination as JSON in the contract's field names."""
    option = orjson.OPT_INDENT_2 if indent else 0
    return orjson.dumps(determination, default=_default, option=option)


@dataclass(frozen=True, slots=True)
class LineError:
    """A batch line that could not be answered, with its 1-based line number."""

    line: int
    field: str | None
    message: str

    def to_json(self) -> bytes:
        """The error record written in place of the line's answer."""
        return orjson.dumps({"line": self.line, "error": {"field": self.field, "message": self.message}})


def determine_lines(
    lines: Iterable[bytes | str], regulations: Mapping[str, Regulations]
) -> Iterator[tuple[int, Determination | LineError]]:
    """Answer each non-blank JSON line; a bad line yields a :class:`LineError` and the rest go on."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield number, determine(parse_shipment(line), regulations)
        except InputError as exc:
            yield number, LineError(number, exc.field, exc.message)
        except ClearanceError as exc:
            yield number, LineError(number, None, str(exc))
