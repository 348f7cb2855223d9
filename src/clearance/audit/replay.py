"""Replay: re-run a recorded determination under today's regulations and say what changed."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from clearance.checks import SCREENER, check_shipment
from clearance.engine.determine import Screener
from clearance.engine.encode import to_json
from clearance.engine.io import parse_shipment
from clearance.errors import ClearanceError, ReplayError
from clearance.law.regulations import Regulations

#: Record kinds that can be replayed.
REPLAYABLE = frozenset({"determination"})


@dataclass(frozen=True, slots=True)
class Difference:
    """One field whose value differs: a dotted path (list indices in brackets), then and now."""

    path: str
    then: Any
    now: Any


@dataclass(frozen=True, slots=True)
class Replay:
    """A recorded answer beside today's answer to the same input."""

    seq: int
    data_version_then: str | None
    data_version_now: str
    then: dict[str, Any]
    now: dict[str, Any]
    differences: tuple[Difference, ...]

    @property
    def same(self) -> bool:
        """Whether today's answer is the recorded one."""
        return not self.differences

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "seq": self.seq,
            "same": self.same,
            "data_version_then": self.data_version_then,
            "data_version_now": self.data_version_now,
            "differences": [{"path": d.path, "then": d.then, "now": d.now} for d in self.differences],
            "now": self.now,
        }


_MISSING = object()


def diff(then: Any, now: Any, path: str = "") -> Iterator[Difference]:
    """The differences between two JSON values, depth first; lists are compared position by position."""
    if isinstance(then, dict) and isinstance(now, dict):
        for key in sorted(set(then) | set(now)):
            sub = f"{path}.{key}" if path else str(key)
            yield from diff(then.get(key, _MISSING), now.get(key, _MISSING), sub)
    elif isinstance(then, list) and isinstance(now, list) and len(then) == len(now):
        for number, (a, b) in enumerate(zip(then, now, strict=True)):
            yield from diff(a, b, f"{path}[{number}]")
    elif then != now:
        yield Difference(path, None if then is _MISSING else then, None if now is _MISSING else now)


def replay(
    seq: int,
    kind: str,
    inputs: Mapping[str, Any],
    recorded: Mapping[str, Any],
    data_version: str | None,
    regulations: Mapping[str, Regulations],
    screener: Screener = SCREENER,
) -> Replay:
    """Re-run the determination recorded as ``seq`` (its shipment ``inputs`` and ``recorded`` answer) and diff;
    end users are screened with ``screener`` (the service passes the one over its lists in use)."""
    if kind not in REPLAYABLE:
        raise ReplayError(f"record {seq} is a {kind!r} record; only {', '.join(sorted(REPLAYABLE))} records replay")
    try:
        answer = check_shipment(parse_shipment(inputs), regulations, screener)
    except ClearanceError as exc:
        raise ReplayError(f"record {seq} cannot be re-run today: {exc}") from exc
    now = orjson.loads(to_json(answer))
    then = dict(recorded)
    return Replay(seq, data_version, answer.data_version, then, now, tuple(diff(then, now)))


def replay_stored(
    record: Mapping[str, Any], regulations: Mapping[str, Regulations], screener: Screener = SCREENER
) -> Replay:
    """Re-run a stored audit record (as plain data: ``seq``, ``kind``, ``inputs``, ``outputs``, ``data_version``)."""
    outputs = record["outputs"] if isinstance(record["outputs"], Mapping) else {}
    return replay(
        record["seq"],
        record["kind"],
        record["inputs"],
        outputs.get("determination", {}),
        record["data_version"],
        regulations,
        screener,
    )
