"""Stored screening: the hits each screened party has (the review queue), reviewer decisions on them (the
good-guy list), each screening and decision audited in the same transaction.

The review logic is the screening package's own (:func:`~clearance.screening.decide`,
:func:`~clearance.screening.review`): a false positive suppresses its hit until the list entry or the screened
party changes (their fingerprints), then the hit is open again with ``stale_decision``. A party's hits as filed
before a screening are what delta re-screening compares with (:func:`~clearance.screening.decisions.delta`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any, TypeVar

import orjson
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clearance.errors import ConflictError, InputError, NotFoundError
from clearance.screening import ALGORITHM, Candidate, Decision, Query, ReviewedHit, decide, review, screen
from clearance.screening.decisions import SeenHit, party_key, query_fingerprint
from clearance.screening.index import ScreeningIndex
from clearance.screening.matcher import ScreenConfig
from clearance.screening.parties import PartyIn
from clearance.screening.shared import SharedScreening
from clearance.store.audit_log import AuditLog, subject_of
from clearance.store.audit_log import Query as AuditQuery
from clearance.store.database import Database
from clearance.store.screening_lists import ScreeningLists
from clearance.store.screening_records import (
    Filing,
    Screened,
    ScreenedParty,
    StoredDecision,
    StoredHit,
    decision_of,
    hit_of,
)
from clearance.store.tables import ScreeningDecisionRow, ScreeningHitRow

STATUSES = ("open", "suppressed", "confirmed")
_T = TypeVar("_T")


def _reviewed(candidate: Candidate, query: Query, decision: StoredDecision | None) -> ReviewedHit:
    decisions = {candidate.party.id: decision.decision} if decision else {}
    return review([candidate], query, decisions)[0]


class ScreeningQueue:
    """Screening hits and decisions in one database; every screening and decision is audited."""

    def __init__(self, db: Database, audit: AuditLog, lists: ScreeningLists) -> None:
        self.db = db
        self.audit = audit
        self.lists = lists

    def screen(
        self,
        query: Query,
        *,
        actor: str,
        party_id: str | None = None,
        subject: str | None = None,
        config: ScreenConfig | None = None,
        list_ids: Iterable[str] = (),
        index: ScreeningIndex | None = None,
        before_commit: Callable[[Screened], None] | None = None,
        shared: SharedScreening | None = None,
    ) -> Screened:
        """Screen a party against the lists in use (all, or ``list_ids``; or against ``index``, e.g. the same one for
        every party of a batch, with ``shared`` results between spellings of one party) and file its matches (see
        :meth:`record`); decisions are kept per ``party_id``."""
        prepared = self.prepare(
            query, party_id=party_id, subject=subject, config=config, list_ids=list_ids, index=index, shared=shared
        )
        return self.file(prepared, actor, before_commit)

    def screen_party(self, party: PartyIn, actor: str, config: ScreenConfig | None = None) -> Screened:
        """Screen ``party`` (as ``POST /screening/parties`` takes it) against the lists in use and file its matches."""
        return self.screen(party.query(), actor=actor, party_id=party.party_id, subject=party.subject, config=config)

    def prepare(
        self,
        query: Query,
        *,
        party_id: str | None = None,
        subject: str | None = None,
        config: ScreenConfig | None = None,
        list_ids: Iterable[str] = (),
        index: ScreeningIndex | None = None,
        shared: SharedScreening | None = None,
    ) -> Filing:
        """Screen a party as :meth:`screen` does without filing anything yet (:meth:`file` does): a query that
        cannot be screened raises :class:`InputError` before anything is written."""
        index = index or self.lists.index(list_ids)
        config = self._dated(config)
        candidates = tuple(shared.screen(index, query, config) if shared else screen(index, query, config))
        key = party_key(query, party_id)
        return Filing(query, key, candidates, index.versions, index.list_dates, ALGORITHM, config.threshold, subject)

    def record(
        self,
        query: Query,
        party_key: str,
        candidates: Sequence[Candidate],
        *,
        versions: Mapping[str, str],
        list_dates: Mapping[str, str | None],
        algorithm: str,
        threshold: float,
        actor: str,
        subject: str | None = None,
        before_commit: Callable[[Screened], None] | None = None,
    ) -> Screened:
        """File a party's matches in the queue (updating hits it had before) and review every candidate against
        the decisions on file; near misses are returned but not queued. Audited as a ``screening`` record.
        ``before_commit`` is given the screening inside the transaction, just before it commits (a batch writes
        its output line there, see :mod:`clearance.batchfile`; it may be called again if the transaction is retried)."""
        filing = Filing(query, party_key, tuple(candidates), versions, list_dates, algorithm, threshold, subject)
        return self.file(filing, actor, before_commit)

    def file(self, filing: Filing, actor: str, before_commit: Callable[[Screened], None] | None = None) -> Screened:
        """File a screening (see :meth:`record`). Two servers filing the same new hit at once: the second finds the
        first's row on its retry."""

        def run() -> Screened:
            with self.db.write() as session:
                screened = self._file(session, filing, actor)[0]
                if before_commit is not None:
                    before_commit(screened)
                return screened

        return self._retrying(run, filing.party_key)

    def decide_entry(
        self,
        query: Query,
        entry_id: str,
        verdict: str,
        reason: str,
        *,
        actor: str,
        party_id: str | None = None,
        reviewer: str | None = None,
        config: ScreenConfig | None = None,
        list_ids: Iterable[str] = (),
    ) -> tuple[StoredDecision, StoredHit]:
        """Screen a party as :meth:`screen` does and record a verdict on its hit for list entry ``entry_id``, in one
        transaction (a ``screening`` and a ``decision`` record); :class:`InputError` (field ``entry``) when the
        entry is not a match of the party at the threshold."""
        index = self.lists.index(list_ids)
        config = config or ScreenConfig()
        candidates = screen(index, query, config)
        found = next((c for c in candidates if c.party.id == entry_id), None)
        if found is None:
            raise InputError("entry", f"{entry_id!r} is not among the hits for {query.names[0]!r}")
        if not found.match:
            raise InputError(
                "entry",
                f"{entry_id!r} scores {found.score:.2f} for {query.names[0]!r}, below the threshold "
                f"{config.threshold:g}: only matches are reviewed",
            )
        key = party_key(query, party_id)
        filing = Filing(
            query, key, tuple(candidates), index.versions, index.list_dates, ALGORITHM, config.threshold, None
        )

        def run() -> tuple[StoredDecision, StoredHit]:
            with self.db.write() as session:
                _, rows = self._file(session, filing, actor)
                return self._decide(session, rows[entry_id], verdict, reason, actor, reviewer)

        return self._retrying(run, key)

    def _dated(self, config: ScreenConfig | None) -> ScreenConfig:
        """The configuration screening on the store's day (unless it names one): listings past their expiration
        date by the store's clock no longer match."""
        config = config or ScreenConfig()
        return config if config.on else replace(config, on=self.db.clock().date())

    def screened_parties(self) -> dict[str, ScreenedParty]:
        """Every party ever screened, by party key, as last screened: read from the audit trail's screening records,
        so parties screened without a hit are there too."""
        parties: dict[str, ScreenedParty] = {}
        after: int | None = 0
        while after is not None:
            page, after = self.audit.page(AuditQuery(kind="screening"), after, 1000)
            for entry in page:
                inputs = orjson.loads(entry.inputs)
                lists = tuple(sorted(orjson.loads(entry.list_versions)))
                query = Query.from_dict(inputs["party"])
                parties[str(inputs["party_key"])] = ScreenedParty(query, inputs.get("subject"), lists)
        return parties

    def rescreen(self, *, actor: str, config: ScreenConfig | None = None) -> list[Screened]:
        """Delta re-screening: screen every party screened before again, against the newest versions of the lists it
        was screened against (those still imported or bundled), filing each screening as :meth:`screen` does (each
        audited); each :class:`Screened` holds the party's earlier hits, so
        :func:`~clearance.screening.decisions.delta` tells what is new."""
        config = self._dated(config)
        available = set(self.lists.imported()) | set(self.lists.bundled)
        out = []
        for key, party in sorted(self.screened_parties().items()):
            list_ids = [list_id for list_id in party.lists if list_id in available]
            if not list_ids:
                continue
            index = self.lists.index(list_ids)
            query, threshold, subject = party.query, config.threshold, party.subject
            candidates = tuple(screen(index, query, config))
            filing = Filing(query, key, candidates, index.versions, index.list_dates, ALGORITHM, threshold, subject)
            out.append(self.file(filing, actor))
        return out

    @staticmethod
    def _retrying(run: Callable[[], _T], party_key: str) -> _T:
        """Run a filing transaction, once more if another server filed one of the same hits meanwhile."""
        try:
            return run()
        except IntegrityError:
            try:
                return run()
            except IntegrityError:
                raise ConflictError(f"the hits of party {party_key!r} changed meanwhile; screen it again") from None

    def _file(self, session: Session, filing: Filing, actor: str) -> tuple[Screened, dict[str, ScreeningHitRow]]:
        """File the matches inside the caller's write transaction and append the ``screening`` record."""
        query, party_key = filing.query, filing.party_key
        now = self.db.now()
        party_text = orjson.dumps(query.to_dict()).decode()
        previous = self._seen(session, party_key)
        results: list[tuple[ReviewedHit, ScreeningHitRow | None]] = []
        for candidate in filing.candidates:
            if not candidate.match:
                results.append((_reviewed(candidate, query, None), None))
                continue
            row = self._hit_row(session, party_key, candidate.party.id)
            decision = self._current(session, row)
            reviewed = _reviewed(candidate, query, decision)
            if row is None:
                row = ScreeningHitRow(party_key=party_key, entry_id=candidate.party.id, first_seen_at=now)
                session.add(row)
            list_id = candidate.party.list_id
            row.party_name = query.names[0][:512]
            row.party = party_text
            row.party_fingerprint = query_fingerprint(query)
            row.subject = subject_of(filing.subject)
            row.entry_name = candidate.party.caption[:512]
            row.list_id = list_id
            row.list_version = filing.versions.get(list_id, "")
            row.list_date = filing.list_dates.get(list_id)
            row.entry_fingerprint = candidate.party.fingerprint
            row.candidate = orjson.dumps(candidate.to_dict()).decode()
            row.score = candidate.score
            row.algorithm = filing.algorithm
            row.status = reviewed.status
            row.stale_decision = reviewed.stale_decision
            row.last_seen_at = now
            row.screened_by = actor
            row.audit_seq = 0
            results.append((reviewed, row))
        session.flush()
        hits = tuple((reviewed, row.id if row is not None else None) for reviewed, row in results)
        entry = self.audit.append(
            session,
            kind="screening",
            actor=actor,
            subject=filing.subject or party_key,
            inputs={
                "party": query.to_dict(),
                "party_key": party_key,
                "subject": filing.subject,
                "threshold": filing.threshold,
            },
            outputs={
                "algorithm": filing.algorithm,
                "results": [{**reviewed.to_dict(), "hit_id": hit_id} for reviewed, hit_id in hits],
            },
            list_versions=dict(filing.versions),
        )
        rows = {}
        for _, row in results:
            if row is not None:
                row.audit_seq = entry.seq
                rows[row.entry_id] = row
        lists = {
            lid: {"version": version, "list_date": filing.list_dates.get(lid)}
            for lid, version in filing.versions.items()
        }
        screened = Screened(
            entry.seq,
            entry.hash,
            party_key,
            query,
            filing.subject,
            hits,
            filing.algorithm,
            filing.threshold,
            lists,
            previous,
        )
        return screened, rows

    @staticmethod
    def _seen(session: Session, party_key: str) -> dict[str, SeenHit]:
        """The party's hits as filed now, by entry id (locked, so that a concurrent screening of the party waits)."""
        stmt = select(
            ScreeningHitRow.entry_id,
            ScreeningHitRow.entry_fingerprint,
            ScreeningHitRow.list_version,
            ScreeningHitRow.score,
        ).where(ScreeningHitRow.party_key == party_key)
        rows = session.execute(stmt.order_by(ScreeningHitRow.id).with_for_update())
        return {str(e): SeenHit(str(e), str(f), str(v), float(score)) for e, f, v, score in rows}

    def decisions_for(self, query: Query, party_id: str | None = None) -> dict[str, Decision]:
        """The decisions on file for a party (the good-guy list), by list entry id: what :func:`review` applies."""
        key = party_key(query, party_id)
        stmt = (
            select(ScreeningDecisionRow)
            .join(ScreeningHitRow, ScreeningHitRow.decision_id == ScreeningDecisionRow.id)
            .where(ScreeningHitRow.party_key == key)
        )
        with self.db.read() as session:
            return {row.entry_id: decision_of(row).decision for row in session.execute(stmt).scalars()}

    @staticmethod
    def _hit_row(session: Session, party_key: str, entry_id: str) -> ScreeningHitRow | None:
        stmt = select(ScreeningHitRow).where(
            ScreeningHitRow.party_key == party_key, ScreeningHitRow.entry_id == entry_id
        )
        return session.execute(stmt.with_for_update()).scalar_one_or_none()

    @staticmethod
    def _current(session: Session, row: ScreeningHitRow | None) -> StoredDecision | None:
        if row is None or row.decision_id is None:
            return None
        found = session.get(ScreeningDecisionRow, row.decision_id)
        return None if found is None else decision_of(found)

    @staticmethod
    def _row(session: Session, hit_id: int, lock: bool = False) -> ScreeningHitRow:
        stmt = select(ScreeningHitRow).where(ScreeningHitRow.id == hit_id)
        row = session.execute(stmt.with_for_update() if lock else stmt).scalar_one_or_none()
        if row is None:
            raise NotFoundError(f"screening hit {hit_id} does not exist")
        return row

    def get(self, hit_id: int) -> StoredHit:
        """Hit ``hit_id``, or :class:`NotFoundError`."""
        with self.db.read() as session:
            row = self._row(session, hit_id)
            return hit_of(row, self._current(session, row))

    def page(
        self,
        after: int = 0,
        limit: int = 50,
        *,
        status: str | None = None,
        list_id: str | None = None,
        party_key: str | None = None,
    ) -> tuple[list[StoredHit], int | None]:
        """Hits after id ``after``, oldest first (optionally by status, list or party), and the next cursor."""
        stmt = select(ScreeningHitRow).where(ScreeningHitRow.id > after)
        if status:
            stmt = stmt.where(ScreeningHitRow.status == status)
        if list_id:
            stmt = stmt.where(ScreeningHitRow.list_id == list_id)
        if party_key:
            stmt = stmt.where(ScreeningHitRow.party_key == party_key)
        with self.db.read() as session:
            rows = session.execute(stmt.order_by(ScreeningHitRow.id).limit(limit + 1)).scalars().all()
            found = [hit_of(row, self._current(session, row)) for row in rows[:limit]]
        return found, (found[-1].id if len(rows) > limit else None)

    def counts(self) -> dict[str, int]:
        """How many hits have each status."""
        stmt = select(ScreeningHitRow.status, func.count()).group_by(ScreeningHitRow.status)
        with self.db.read() as session:
            found = {str(status): int(n) for status, n in session.execute(stmt)}
        return {status: found.get(status, 0) for status in STATUSES}

    def decisions(self, hit_id: int) -> list[StoredDecision]:
        """Every decision taken on a hit, oldest first."""
        with self.db.read() as session:
            self._row(session, hit_id)
            stmt = select(ScreeningDecisionRow).where(ScreeningDecisionRow.hit_id == hit_id)
            return [decision_of(row) for row in session.execute(stmt.order_by(ScreeningDecisionRow.id)).scalars()]

    def detail(self, hit_id: int) -> dict[str, Any]:
        """Hit ``hit_id`` with every decision taken on it, oldest first (``GET /screening/hits/{hit_id}``)."""
        return {**self.get(hit_id).to_dict(), "decisions": [d.to_dict() for d in self.decisions(hit_id)]}

    def decision_page(
        self, after: int = 0, limit: int = 50, *, party_key: str | None = None
    ) -> tuple[list[StoredDecision], int | None]:
        """Decisions on every hit (or one party's) after id ``after``, oldest first, and the next cursor."""
        stmt = select(ScreeningDecisionRow).where(ScreeningDecisionRow.id > after)
        if party_key:
            stmt = stmt.where(ScreeningDecisionRow.party_key == party_key)
        with self.db.read() as session:
            rows = session.execute(stmt.order_by(ScreeningDecisionRow.id).limit(limit + 1)).scalars().all()
            found = [decision_of(row) for row in rows[:limit]]
        return found, (found[-1].id if len(rows) > limit else None)

    def decide(
        self, hit_id: int, verdict: str, reason: str, actor: str, reviewer: str | None = None
    ) -> tuple[StoredDecision, StoredHit]:
        """Record a reviewer's verdict (``match`` or ``false_positive``, with a reason) on a hit and review it
        again; :class:`~clearance.errors.DecisionError` for an unknown verdict or a false positive without a
        reason. Audited as a ``decision`` record with the list version it was taken against; the ``reviewer`` is
        the ``actor`` unless named."""
        with self.db.write() as session:
            return self._decide(session, self._row(session, hit_id, lock=True), verdict, reason, actor, reviewer)

    def _decide(
        self, session: Session, row: ScreeningHitRow, verdict: str, reason: str, actor: str, reviewer: str | None
    ) -> tuple[StoredDecision, StoredHit]:
        query = Query.from_dict(orjson.loads(row.party))
        candidate = Candidate.from_dict(orjson.loads(row.candidate))
        decision = decide(candidate, query, row.party_key, verdict, reason, reviewer or actor, self.db.now())
        stored = ScreeningDecisionRow(
            hit_id=row.id,
            party_key=decision.party_key,
            entry_id=decision.entry_id,
            list_id=row.list_id,
            list_version=row.list_version,
            verdict=decision.verdict,
            reason=decision.reason,
            reviewer=decision.reviewer,
            party_fingerprint=decision.party_fingerprint,
            entry_fingerprint=decision.entry_fingerprint,
            decided_at=decision.decided_at,
            audit_seq=0,
        )
        session.add(stored)
        session.flush()
        reviewed = _reviewed(candidate, query, decision_of(stored))
        row.decision_id = stored.id
        row.status = reviewed.status
        row.stale_decision = reviewed.stale_decision
        inputs: dict[str, Any] = {"hit_id": row.id, "verdict": verdict, "reason": reason}
        if reviewer:
            inputs["reviewer"] = reviewer
        entry = self.audit.append(
            session,
            kind="decision",
            actor=actor,
            subject=f"screening_hit:{row.id}",
            inputs=inputs,
            outputs={"decision": decision.to_dict(), "status": reviewed.status, "party_key": row.party_key},
            list_versions={row.list_id: row.list_version},
        )
        stored.audit_seq = entry.seq
        session.flush()
        result = decision_of(stored)
        return result, hit_of(row, result)
