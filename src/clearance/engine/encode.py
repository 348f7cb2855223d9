"""Determinations as JSON in the contract's field names: the parts shared between answers (citations, the
values a step read, the steps of memoised answers) serialised once and reused, so that batches of similar
shipments spend their time deciding, not encoding."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from decimal import Decimal
from typing import Any

import orjson

from clearance.engine.result import Determination, Step
from clearance.problems import BatchError


def _default(obj: Any) -> Any:
    if isinstance(obj, Decimal):
        return str(obj)
    raise TypeError(type(obj).__name__)


def kept(data: bytes) -> bytes:
    """``data`` in a buffer of its own length, to be kept: orjson's output keeps the capacity its buffer grew to
    (4 kB for a short text, ten times the length of a long one), too much to hold in a cache."""
    return bytes(memoryview(data))


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
            found = self.cache[id(obj)] = (obj, orjson.Fragment(kept(data)))
        return found[1]


_fragment = _Fragments()  # citations and the values steps read: few distinct objects
_answer_citations = _Fragments(limit=2_000)  # an answer's citations (about 5 kB each), shared by many keys' answers
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


def line_json(number: int, result: Determination | BatchError, *, shared: bool = False) -> bytes:
    """The batch record of input line ``number``: its answer with its ``position`` first (the same JSON as
    :func:`to_json`, serialised whole: a batch by distinct keys serialises each key's answer once), or its error
    record (:class:`~clearance.problems.BatchError`). With ``shared``, the same bytes with the parts many answers
    share (the answer's citations, the values each step read) serialised once and reused, not the steps whole
    (a key's record template is made once from its own steps)."""
    if isinstance(result, BatchError):
        return orjson.dumps(result.to_dict(), default=str)
    if shared:
        return record_json(shared_record(number, result))
    return record_json({"position": number, **{name: getattr(result, name) for name in _FIELDS}})


def shared_record(number: int, result: Determination) -> dict[str, Any]:
    """What ``line_json(number, result, shared=True)`` serialises, each step a dict of its own: for a caller that
    changes some of its values first (:func:`record_json` then gives the record)."""
    out = {"position": number, **{name: getattr(result, name) for name in _FIELDS}}
    out["citations"] = _answer_citations(result.citations)
    out["steps"] = _steps(result.steps)
    return out


def record_json(record: dict[str, Any]) -> bytes:
    """A record (:func:`shared_record`) as JSON."""
    return orjson.dumps(record, default=_default)
