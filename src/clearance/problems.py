"""Validation problems in one wording: what pydantic reports, as the field's path, the value given and what is
wrong with it. Every reader of input words its problems through here: the packs and scenarios (``noun="key"``),
the catalogue and portfolio tables, shipments, the API's problem details, the web forms and the CLI.

A :class:`Problem` is also the base of the one batch error record, ``{"position", "field", "value", "message"}``
(:meth:`Problem.record`): ``position`` is where the item is in its batch, counted from 1 for the lines and rows of
a file (as editors and spreadsheets number them; a table's header is row 1) and from 0 for the items of a JSON
array (as JSON Pointer counts them).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from clearance.errors import ClearanceError, InputError, InvalidInputError

#: Where FastAPI puts a request's parts: the first element of a request error's location, not a field name.
_REQUEST_PARTS = ("body", "query", "path", "header", "cookie")
#: Error types whose input is the whole object (not worth repeating in the message).
_WHOLE = ("model_type", "model_attributes_type", "dict_type", "json_invalid", "missing")
_SHOWN = 80


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input: where (the path of keys and indexes), what is wrong, and the value given
    (None when there is none, e.g. a missing field)."""

    loc: tuple[str | int, ...]
    message: str
    value: Any = None

    @property
    def field(self) -> str:
        """The path as dotted text (``items.0.value``), or ``input`` for the input as a whole."""
        return ".".join(str(part) for part in self.loc) or "input"

    def error(self) -> InputError:
        """The problem as the :class:`InputError` an edge reports."""
        return InputError(self.field, self.message, self.value)

    def at(self, prefix: str) -> Problem:
        """The same problem, its path under ``prefix`` (``shipment`` + ``date`` is ``shipment.date``)."""
        return Problem((prefix, *self.loc), self.message, self.value)

    def to_dict(self) -> dict[str, Any]:
        """``{"field", "value", "message"}``, the value as JSON can carry it (text for anything else)."""
        return {"field": self.field, "value": _plain(self.value), "message": self.message}

    def record(self, position: int) -> dict[str, Any]:
        """The batch error record of the item at ``position`` (see the module's note on counting)."""
        return {"position": position, **self.to_dict()}


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def shown(value: Any) -> str:
    """A value as a message quotes it: its repr, cut to 80 characters."""
    text = repr(value)
    return text[:_SHOWN] + "…" if len(text) > _SHOWN else text


def _problem(err: Mapping[str, Any], noun: str, request: bool) -> Problem:
    loc = tuple(err.get("loc", ()))
    if request and len(loc) > 1 and loc[0] in _REQUEST_PARTS:
        loc = loc[1:]
    kind = str(err.get("type", ""))
    value = err.get("input")
    if kind == "missing":
        return Problem(loc, f"required {noun} is missing")
    if kind == "extra_forbidden":
        return Problem(loc, f"unknown {noun}", value)
    if kind == "json_invalid":
        return Problem((), f"not valid JSON: {err.get('ctx', {}).get('error', err.get('msg'))}")
    if kind in ("model_type", "dict_type") and (not loc or (request and loc == ("body",))):
        return Problem((), "expected a JSON object")
    message = str(err.get("msg", "invalid")).removeprefix("Value error, ")
    if kind in _WHOLE:
        return Problem(loc, message)
    quoted = shown(value)
    return Problem(loc, message if quoted in message else f"{message} (got {quoted})", value)


def problems(
    errors: ValidationError | Iterable[Mapping[str, Any]], *, noun: str = "field", request: bool = False
) -> list[Problem]:
    """Every problem of a validation, in pydantic's order. ``noun`` names what a location is (``field``, or
    ``key`` in a pack file); ``request``: the locations are a request's (``body.x`` is field ``x``)."""
    found = errors.errors() if isinstance(errors, ValidationError) else errors
    listed = [_problem(err, noun, request) for err in found]
    return listed or [Problem((), "invalid input")]


def first_problem(
    errors: ValidationError | Iterable[Mapping[str, Any]], *, noun: str = "field", request: bool = False
) -> Problem:
    """The first problem of a validation (see :func:`problems`): what one-line errors report."""
    return problems(errors, noun=noun, request=request)[0]


def invalid(
    errors: ValidationError | Iterable[Mapping[str, Any]], *, noun: str = "field", request: bool = False
) -> InvalidInputError:
    """Every problem of a validation as one :class:`InvalidInputError`, named by the first."""
    found = problems(errors, noun=noun, request=request)
    return InvalidInputError(found[0].field, found[0].message, found[0].value, tuple(found))


def problems_of(exc: ClearanceError) -> list[Problem]:
    """Every problem an error reports (one, unless it is an :class:`InvalidInputError`)."""
    if isinstance(exc, InvalidInputError) and exc.problems:
        return [p for p in exc.problems if isinstance(p, Problem)]
    return [problem_of(exc)]


def problem_of(exc: ClearanceError) -> Problem:
    """The problem an error reports: an :class:`InputError`'s field, message and value, else the whole message on
    the input as a whole."""
    if isinstance(exc, InputError):
        return Problem(tuple(exc.field.split(".")), exc.message, exc.value)
    return Problem((), str(exc))


def is_error_record(record: Mapping[str, Any]) -> bool:
    """Whether a batch record is an error record (it has a ``field`` and a ``message``; an answer has neither)."""
    return "field" in record and "message" in record


@dataclass(frozen=True, slots=True)
class BatchError:
    """A batch item that could not be answered: its position in the batch and the problem (the rest of the batch
    goes on; no item is dropped)."""

    position: int
    problem: Problem

    @classmethod
    def of(cls, position: int, exc: ClearanceError) -> BatchError:
        """The error record of the item at ``position`` that raised ``exc``."""
        return cls(position, problem_of(exc))

    def to_dict(self) -> dict[str, Any]:
        """``{"position", "field", "value", "message"}``."""
        return self.problem.record(self.position)
