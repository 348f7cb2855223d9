"""Recorded determinations: answer a shipment (pure engine, its end user screened against the lists in use), find
the held licences that cover it, and append the audit record, in one transaction; batches commit in chunks and
resume without duplicates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy.orm import Session

from clearance.audit.canonical import canonical_text
from clearance.checks import check_shipment, read_shipment
from clearance.engine.determine import Screener
from clearance.engine.encode import to_json
from clearance.engine.result import Determination
from clearance.engine.shipment import Shipment
from clearance.errors import ClearanceError, ConflictError, NotFoundError
from clearance.law.regulations import Regulations
from clearance.licences import rules
from clearance.licences.model import Licence
from clearance.problems import BatchError
from clearance.store.audit_log import AuditLog
from clearance.store.database import Database
from clearance.store.register import LicenceRegister
from clearance.store.screening_lists import ScreeningLists


@dataclass(frozen=True, slots=True)
class Recorded:
    """A determination as recorded: its audit sequence number, the answer and licence coverage, and whether
    it was recorded earlier under the same idempotency key (then nothing new was written)."""

    seq: int
    outputs: dict[str, Any]
    repeated: bool

    def to_dict(self) -> dict[str, Any]:
        """The answer returned to callers: ``id`` (the audit record), ``determination``, ``licences``."""
        return {"id": self.seq, "repeated": self.repeated, **self.outputs}


_Pending = tuple[int, Shipment, Determination] | BatchError


#: How a batch item becomes a shipment (default: :func:`clearance.checks.read_shipment` without a catalogue; the
#: service passes one that resolves products against its catalogue).
Reader = Callable[[Any], Shipment]


def _answer(
    index: int,
    item: bytes | str | Mapping[str, Any],
    regulations: Mapping[str, Regulations],
    screener: Screener,
    read: Reader,
) -> _Pending:
    """Read and determine one batch item (pure), or the error naming its field."""
    try:
        shipment = read(item)
        return index, shipment, check_shipment(shipment, regulations, screener)
    except ClearanceError as exc:
        return BatchError.of(index, exc)


def _inputs(shipment: Shipment) -> dict[str, Any]:
    return shipment.model_dump(mode="json", exclude_defaults=True)


class DeterminationLog:
    """Determinations recorded in the audit trail with the held licences that cover them; end users are screened
    against the lists in use (``lists``)."""

    def __init__(self, db: Database, audit: AuditLog, register: LicenceRegister, lists: ScreeningLists) -> None:
        self.db = db
        self.audit = audit
        self.register = register
        self.lists = lists

    def record(
        self,
        shipment: Shipment,
        regulations: Mapping[str, Regulations],
        actor: str,
        key: str | None = None,
    ) -> Recorded:
        """Determine ``shipment``, measure held licences against it and record it (once per ``key``)."""
        answer = check_shipment(shipment, regulations, self.lists.screener())
        with self.db.write() as session:
            return self._record(session, shipment, answer, actor, key, {})

    def get(self, seq: int) -> Recorded:
        """The determination recorded as audit record ``seq``, or :class:`NotFoundError`."""
        entry = self.audit.get(seq)
        if entry.kind != "determination":
            raise NotFoundError(f"determination {seq} does not exist (audit record {seq} is a {entry.kind})")
        return Recorded(entry.seq, orjson.loads(entry.outputs), False)

    def _record(
        self,
        session: Session,
        shipment: Shipment,
        answer: Determination,
        actor: str,
        key: str | None,
        held: dict[tuple[str, dt.date], list[Licence]],
    ) -> Recorded:
        inputs = _inputs(shipment)
        if key is not None:
            self.audit.lock(session)  # so that a concurrent request with the same key waits, then finds this one
            earlier = self.audit.by_key(session, key)
            if earlier is not None:
                if earlier.inputs != canonical_text(inputs):
                    raise ConflictError(f"idempotency key {key!r} was already used for another shipment")
                return Recorded(earlier.seq, orjson.loads(earlier.outputs), True)
        coverage: list[dict[str, Any]] = []
        if answer.licence_required is not False:  # required, or undecided: which held licences could take it
            when = (shipment.regime, shipment.date)
            licences = held.get(when)
            if licences is None:
                licences = held[when] = self.register.in_force(session, shipment.regime, shipment.date)
            coverage = [rules.coverage_dict(c) for c in rules.cover(licences, shipment, answer)]
        outputs = {"determination": orjson.loads(to_json(answer)), "licences": coverage}
        entry = self.audit.append(
            session,
            kind="determination",
            actor=actor,
            subject=shipment.ref,
            inputs=inputs,
            outputs=outputs,
            data_version=answer.data_version,
            list_versions=answer.list_versions,
            key=key,
        )
        return Recorded(entry.seq, outputs, False)

    def record_batch(
        self,
        items: Iterable[bytes | str | Mapping[str, Any]],
        regulations: Mapping[str, Regulations],
        actor: str,
        batch_id: str | None = None,
        chunk: int = 50,
        read: Reader = read_shipment,
    ) -> Iterator[Recorded | BatchError]:
        """Record each item (read by ``read``), committing every ``chunk`` answers. With a ``batch_id``, the item at
        position *p* (counted from 0) is recorded under the key ``batch:<batch_id>:<p + 1>``: after an interruption,
        running the same batch again returns the committed answers and records only the rest. A bad item yields a
        :class:`~clearance.problems.BatchError` and the rest go on."""
        pending: list[_Pending] = []
        screener = self.lists.screener()
        for index, item in enumerate(items):
            pending.append(_answer(index, item, regulations, screener, read))
            if len(pending) >= chunk:
                yield from self._commit(pending, actor, batch_id)
                pending = []
        if pending:
            yield from self._commit(pending, actor, batch_id)

    def _commit(self, pending: list[_Pending], actor: str, batch_id: str | None) -> list[Recorded | BatchError]:
        out: list[Recorded | BatchError] = []
        held: dict[tuple[str, dt.date], list[Licence]] = {}
        with self.db.write() as session:
            for item in pending:
                if isinstance(item, BatchError):
                    out.append(item)
                    continue
                index, shipment, answer = item
                key = None if batch_id is None else f"batch:{batch_id}:{index + 1}"  # as keys were first written
                try:
                    out.append(self._record(session, shipment, answer, actor, key, held))
                except ConflictError as exc:
                    out.append(BatchError.of(index, exc))
        return out
