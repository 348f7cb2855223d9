"""The stored audit trail: append (chained, under the head lock), look up, page through, verify.

The one-row chain head is where appends continue: never the highest sequence number stored, which a record
inserted into the table directly can take (see :mod:`clearance.audit.chain` for what an append does then)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal, cast, get_args

import orjson
from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from clearance.audit.canonical import canonical_text
from clearance.audit.chain import NOTICE, Entry, Head, Verification, Verifier, notice_content, noticed, seal
from clearance.errors import NotFoundError
from clearance.store.database import Database
from clearance.store.tables import AuditHeadRow, AuditRecordRow

#: Kinds of record the service writes.
AuditKind = Literal[
    "determination",
    "screening",
    "decision",
    "licence.created",
    "licence.amended",
    "drawdown",
    "key.created",
    "key.revoked",
    "list.imported",
    "order.checked",
    "order.resolved",
    "order.released",
    "order.block_lifted",
    "order.rechecked",
    "order.shipped",
    "classification.recorded",
    "classification.approved",
    "audit.inserted",
]
KINDS: tuple[str, ...] = get_args(AuditKind)


@dataclass(frozen=True, slots=True)
class Query:
    """Filters for paging through the trail; all optional and combined with AND."""

    kind: str | None = None
    actor: str | None = None
    subject: str | None = None
    since: str | None = None
    until: str | None = None


_RECORDS = cast(Table, AuditRecordRow.__table__)
_HEAD = cast(Table, AuditHeadRow.__table__)

#: Subjects are an index for queries (the full reference stays in the record's inputs).
SUBJECT_LENGTH = 200


def subject_of(text: str | None) -> str | None:
    """A subject as indexed: control characters dropped, at most :data:`SUBJECT_LENGTH` characters."""
    if text is None:
        return None
    return "".join(ch for ch in text if ch >= " " and ch != "\x7f")[:SUBJECT_LENGTH] or None


def _entry(row: AuditRecordRow) -> Entry:
    return Entry(
        row.seq,
        row.kind,
        row.actor,
        row.at,
        row.subject,
        row.inputs,
        row.outputs,
        row.data_version,
        row.list_versions,
        row.key,
        row.prev_hash,
        row.hash,
    )


def record_dict(entry: Entry) -> dict[str, Any]:
    """A stored record as plain data, its JSON parts parsed."""
    return {
        "seq": entry.seq,
        "kind": entry.kind,
        "actor": entry.actor,
        "at": entry.at,
        "subject": entry.subject,
        "inputs": orjson.loads(entry.inputs),
        "outputs": orjson.loads(entry.outputs),
        "data_version": entry.data_version,
        "list_versions": orjson.loads(entry.list_versions),
        "key": entry.key,
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
    }


def _insert(conn: Connection, entry: Entry) -> None:
    conn.execute(
        insert(_RECORDS).values(
            seq=entry.seq,
            kind=entry.kind,
            actor=entry.actor,
            at=entry.at,
            subject=entry.subject,
            inputs=entry.inputs,
            outputs=entry.outputs,
            data_version=entry.data_version,
            list_versions=entry.list_versions,
            key=entry.key,
            prev_hash=entry.prev_hash,
            hash=entry.hash,
        )
    )


class AuditLog:
    """Append-only, hash-chained records in one database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def append(
        self,
        session: Session,
        *,
        kind: str,
        actor: str,
        inputs: Any,
        outputs: Any,
        subject: str | None = None,
        data_version: str | None = None,
        list_versions: Mapping[str, Any] | None = None,
        key: str | None = None,
    ) -> Entry:
        """Append a record inside the caller's write transaction (so it commits with the change it records).

        Takes the chain-head lock: call it last in a transaction, after any other row lock. Records found past
        the head (inserted outside the log) are listed in a :data:`~clearance.audit.chain.NOTICE` chained first,
        and the record is numbered after them."""
        seq, prev = self.lock(session)
        conn = session.connection()  # plain statements: the ORM's unit of work costs more than the rest
        now = self.db.now()
        past = conn.execute(select(_RECORDS).where(_RECORDS.c.seq > seq).order_by(_RECORDS.c.seq))
        strays = [Entry(**row._mapping) for row in past]
        if strays:
            noted_in, noted_out = notice_content(Head(seq, prev), strays)
            notice = seal(
                strays[-1].seq + 1,
                prev,
                kind=NOTICE,
                actor=actor,
                at=now,
                subject=None,
                inputs=canonical_text(noted_in),
                outputs=canonical_text(noted_out),
                data_version=None,
                list_versions=canonical_text({}),
                key=None,
            )
            _insert(conn, notice)
            seq, prev = notice.seq, notice.hash
        entry = seal(
            seq + 1,
            prev,
            kind=kind,
            actor=actor,
            at=now,
            subject=subject_of(subject),
            inputs=canonical_text(inputs),
            outputs=canonical_text(outputs),
            data_version=data_version,
            list_versions=canonical_text(dict(list_versions or {})),
            key=key,
        )
        _insert(conn, entry)
        conn.execute(update(_HEAD).where(_HEAD.c.id == 1).values(seq=entry.seq, hash=entry.hash))
        return entry

    @staticmethod
    def lock(session: Session) -> tuple[int, str]:
        """Lock the chain head until the transaction ends (appends queue behind it); its sequence number and hash."""
        stmt = select(_HEAD.c.seq, _HEAD.c.hash).where(_HEAD.c.id == 1).with_for_update()
        seq, last = session.connection().execute(stmt).one()
        return int(seq), str(last)

    def by_key(self, session: Session, key: str) -> Entry | None:
        """The record appended with an idempotency ``key``, if any."""
        row = session.execute(select(AuditRecordRow).where(AuditRecordRow.key == key)).scalar_one_or_none()
        return None if row is None else _entry(row)

    def confirms(self, seq: int, hash: str) -> bool:
        """Whether record ``seq`` is stored with ``hash``: a record reported before its transaction committed (see
        :func:`clearance.batchfile.open_output`) is in the trail only then."""
        with self.db.read() as session:
            stored = session.execute(select(_RECORDS.c.hash).where(_RECORDS.c.seq == seq)).scalar_one_or_none()
        return stored == hash

    def get(self, seq: int) -> Entry:
        """Record ``seq``, or :class:`NotFoundError`."""
        with self.db.read() as session:
            row = session.get(AuditRecordRow, seq)
            if row is None:
                raise NotFoundError(f"audit record {seq} does not exist")
            return _entry(row)

    def page(self, query: Query, after: int = 0, limit: int = 50) -> tuple[list[Entry], int | None]:
        """Records after sequence number ``after`` matching ``query``, oldest first, and the next cursor."""
        stmt = select(AuditRecordRow).where(AuditRecordRow.seq > after)
        if query.kind:
            stmt = stmt.where(AuditRecordRow.kind == query.kind)
        if query.actor:
            stmt = stmt.where(AuditRecordRow.actor == query.actor)
        if query.subject:
            stmt = stmt.where(AuditRecordRow.subject == query.subject)
        if query.since:
            stmt = stmt.where(AuditRecordRow.at >= query.since)
        if query.until:
            stmt = stmt.where(AuditRecordRow.at < query.until)
        with self.db.read() as session:
            rows = session.execute(stmt.order_by(AuditRecordRow.seq).limit(limit + 1)).scalars().all()
            entries = [_entry(row) for row in rows[:limit]]
        return entries, (entries[-1].seq if len(rows) > limit else None)

    def head(self) -> Head:
        """The chain head: number of records appended and the last hash."""
        with self.db.read() as session:
            row = session.get(AuditHeadRow, 1)
            if row is None:
                raise NotFoundError("the audit chain head is missing: run `clearance db upgrade`")
            return Head(row.seq, row.hash)

    def entries(self, upto: int | None = None, chunk: int = 1000) -> Iterator[Entry]:
        """Every record (up to sequence number ``upto``) in sequence order, read in chunks of ``chunk``."""
        after = -1
        while True:
            with self.db.read() as session:
                stmt = select(AuditRecordRow).where(AuditRecordRow.seq > after).order_by(AuditRecordRow.seq)
                if upto is not None:
                    stmt = stmt.where(AuditRecordRow.seq <= upto)
                rows = [_entry(row) for row in session.execute(stmt.limit(chunk)).scalars()]
            yield from rows
            if len(rows) < chunk:
                return
            after = rows[-1].seq

    def verify(self) -> Verification:
        """Walk the chain up to its current head and name the first record edited, deleted, out of order or
        inserted outside the log (listed by a notice, or stored past the head).

        The head and the first record past it are read in one statement, so a record appended meanwhile is never
        taken for one inserted past the head; records appended while the walk runs are left for the next walk."""
        past = select(func.min(_RECORDS.c.seq)).where(_RECORDS.c.seq > _HEAD.c.seq).scalar_subquery()
        with self.db.read() as session:
            found = session.connection().execute(select(_HEAD.c.seq, _HEAD.c.hash, past).where(_HEAD.c.id == 1)).first()
            if found is None:
                raise NotFoundError("the audit chain head is missing: run `clearance db upgrade`")
            head, past_head = Head(int(found[0]), str(found[1])), found[2]
            notices = select(AuditRecordRow).where(AuditRecordRow.kind == NOTICE, AuditRecordRow.seq <= head.seq)
            inserted = [seq for row in session.execute(notices).scalars() for seq in noticed(_entry(row))]
        verifier = Verifier(inserted)
        for entry in self.entries(upto=head.seq):
            if not verifier.feed(entry):
                break
        return verifier.finish(head, None if past_head is None else int(past_head))
