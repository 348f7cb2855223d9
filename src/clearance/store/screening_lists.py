"""Imported screening lists: immutable list versions by content hash, each import audited, and the lists the
service screens against: the newest imported version of each list, else the snapshot bundled in the package.

Every screening entry point over the store (``/match``, ``/screening/parties``, the web pages, the catch-all hook
of recorded determinations, ``clearance screen``) takes its index from :meth:`ScreeningLists.index` or its
screener from :meth:`ScreeningLists.screener`; indexes are built once per set of versions and shared.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clearance.errors import StoreError, UnknownListError
from clearance.screening.bundled import bundled_ids, load_bundled
from clearance.screening.hook import ListScreener, screener_for
from clearance.screening.index import ScreeningIndex
from clearance.screening.indexes import INDEXES
from clearance.screening.model import ListDiff, ListVersion, diff_lists, list_from_dict, list_to_dict
from clearance.store.audit_log import AuditLog
from clearance.store.database import Database
from clearance.store.tables import ScreeningListRow

#: What :meth:`ScreeningLists.versions` shows of each stored version.
VERSION_FIELDS = ("list_id", "version", "title", "list_date", "source", "entries", "imported_at", "imported_by")


@dataclass(frozen=True, slots=True)
class Imported:
    """An import: what changed against the list's previous newest version, whether the version was new to the
    store (an exact version already there is not stored again), and its audit record (None when not new)."""

    diff: ListDiff
    stored: bool
    audit_seq: int | None


def _payload(version: ListVersion) -> bytes:
    return gzip.compress(orjson.dumps(list_to_dict(version), option=orjson.OPT_SORT_KEYS), mtime=0)


def _list(row_version: str, payload: bytes) -> ListVersion:
    try:
        return list_from_dict(orjson.loads(gzip.decompress(payload)))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise StoreError(f"stored list version {row_version} is unreadable: {exc}") from exc


def _metadata(row: ScreeningListRow) -> dict[str, Any]:
    return {field: getattr(row, field) for field in VERSION_FIELDS}


class ScreeningLists:
    """Imported list versions in the database, and the lists in use (imported, else bundled)."""

    def __init__(
        self, db: Database, audit: AuditLog, bundled: Sequence[str] | None = None, cache_dir: Path | None = None
    ) -> None:
        self.db = db
        self.audit = audit
        #: The bundled snapshots screening falls back to for lists not imported.
        self.bundled = tuple(bundled_ids() if bundled is None else bundled)
        #: Where built indexes are pickled (None: kept in memory only).
        self.cache_dir = cache_dir

    # --- importing --------------------------------------------------------------------------------------------

    def save(self, version: ListVersion, actor: str) -> Imported:
        """Store a list version (unless that exact version is stored) and diff it against the list's newest
        version; a new version is audited as a ``list.imported`` record and becomes the one screening uses."""
        try:
            return self._save(version, actor)
        except IntegrityError:
            return self._save(version, actor)  # the same version was stored meanwhile: it is found now

    def _save(self, version: ListVersion, actor: str) -> Imported:
        with self.db.write() as session:
            newest = self._newest_row(session, version.list_id)
            previous = _list(newest.version, newest.payload) if newest is not None else None
            change = diff_lists(previous, version)
            stored = session.execute(select(ScreeningListRow.id).where(ScreeningListRow.version == version.version))
            if stored.first() is not None:
                return Imported(change, False, None)
            row = ScreeningListRow(
                version=version.version,
                list_id=version.list_id,
                title=version.title,
                list_date=version.list_date.isoformat() if version.list_date else None,
                source=version.source,
                entries=len(version.parties),
                imported_at=self.db.now(),
                imported_by=actor,
                audit_seq=0,
                payload=_payload(version),
            )
            session.add(row)
            session.flush()
            entry = self.audit.append(
                session,
                kind="list.imported",
                actor=actor,
                subject=f"list:{version.list_id}",
                inputs={
                    "list_id": row.list_id,
                    "version": row.version,
                    "title": row.title,
                    "list_date": row.list_date,
                    "source": row.source,
                    "entries": row.entries,
                },
                outputs={
                    "previous": change.old_version,
                    "added": len(change.added),
                    "removed": len(change.removed),
                    "changed": len(change.changed),
                },
                list_versions={version.list_id: version.version},
            )
            row.audit_seq = entry.seq
            return Imported(change, True, entry.seq)

    # --- reading stored versions ------------------------------------------------------------------------------

    @staticmethod
    def _newest_row(session: Session, list_id: str) -> ScreeningListRow | None:
        stmt = select(ScreeningListRow).where(ScreeningListRow.list_id == list_id)
        return session.execute(stmt.order_by(ScreeningListRow.id.desc()).limit(1)).scalar_one_or_none()

    def imported(self) -> dict[str, str]:
        """The newest imported version of each list (list id → version)."""
        newest = select(func.max(ScreeningListRow.id)).group_by(ScreeningListRow.list_id)
        stmt = select(ScreeningListRow.list_id, ScreeningListRow.version).where(ScreeningListRow.id.in_(newest))
        with self.db.read() as session:
            return {str(list_id): str(version) for list_id, version in session.execute(stmt)}

    def versions(self, list_id: str | None = None) -> list[dict[str, Any]]:
        """Stored versions in import order (newest last), optionally of one list, without their entries."""
        stmt = select(ScreeningListRow)
        if list_id:
            stmt = stmt.where(ScreeningListRow.list_id == list_id)
        with self.db.read() as session:
            return [_metadata(row) for row in session.execute(stmt.order_by(ScreeningListRow.id)).scalars()]

    def latest(self, list_id: str) -> ListVersion | None:
        """The newest imported version of a list, or None."""
        with self.db.read() as session:
            row = self._newest_row(session, list_id)
            return None if row is None else _list(row.version, row.payload)

    def get(self, version: str) -> ListVersion:
        """One stored version by its content hash (a unique prefix is enough)."""
        stmt = select(ScreeningListRow.version, ScreeningListRow.payload).where(
            ScreeningListRow.version.startswith(version, autoescape=True)
        )
        with self.db.read() as session:
            rows = session.execute(stmt.limit(2)).all()
        if len(rows) != 1:
            raise UnknownListError(f"{'no' if not rows else 'more than one'} stored list version matches {version!r}")
        return _list(rows[0][0], rows[0][1])

    def previous(self, list_id: str, version: str) -> ListVersion | None:
        """The version of the list imported just before ``version``."""
        at = select(ScreeningListRow.id).where(ScreeningListRow.version == version).scalar_subquery()
        stmt = select(ScreeningListRow).where(ScreeningListRow.list_id == list_id, ScreeningListRow.id < at)
        with self.db.read() as session:
            row = session.execute(stmt.order_by(ScreeningListRow.id.desc()).limit(1)).scalar_one_or_none()
            return None if row is None else _list(row.version, row.payload)

    # --- the lists in use -------------------------------------------------------------------------------------

    def in_use(self, list_ids: Iterable[str] = ()) -> dict[str, str]:
        """The version screening uses of each list (every imported or bundled list, or the named ones): the newest
        imported version, else the bundled snapshot's; :class:`UnknownListError` for a list that is neither."""
        imported = self.imported()
        available = sorted(set(imported) | set(self.bundled))
        wanted = list(dict.fromkeys(list_ids)) or available
        unknown = [list_id for list_id in wanted if list_id not in available]
        if unknown:
            raise UnknownListError(
                f"no screening list {', '.join(unknown)} (imported: {', '.join(sorted(imported)) or 'none'}; "
                f"bundled: {', '.join(self.bundled) or 'none'})"
            )
        return {i: imported[i] if i in imported else load_bundled(i).version for i in wanted}

    def load(self, versions: Mapping[str, str]) -> list[ListVersion]:
        """The list versions named (list id → version): imported ones from the database, others bundled."""
        stmt = select(ScreeningListRow.version, ScreeningListRow.payload).where(
            ScreeningListRow.version.in_(list(versions.values()))
        )
        with self.db.read() as session:
            stored = {str(v): _list(v, payload) for v, payload in session.execute(stmt)}
        out = []
        for list_id, version in sorted(versions.items()):
            found = stored.get(version)
            if found is None and list_id in self.bundled and load_bundled(list_id).version == version:
                found = load_bundled(list_id)
            if found is None:
                raise UnknownListError(f"version {version} of list {list_id} is neither imported nor bundled")
            out.append(found)
        return out

    def describe(self, list_ids: Iterable[str] = ()) -> list[dict[str, Any]]:
        """A summary of each list in use (as :meth:`ListVersion.summary`) with its ``origin``: imported or bundled."""
        imported = set(self.imported().values())
        return [
            {**v.summary(), "origin": "imported" if v.version in imported else "bundled"}
            for v in self.load(self.in_use(list_ids))
        ]

    def index_of(self, versions: Mapping[str, str]) -> ScreeningIndex:
        """The index over these list versions (built once per process, pickled in :attr:`cache_dir`)."""
        return INDEXES.get(versions, lambda: self.load(versions), self.cache_dir)

    def index(self, list_ids: Iterable[str] = ()) -> ScreeningIndex:
        """The index over the lists in use (all, or the named ones)."""
        return self.index_of(self.in_use(list_ids))

    def screener(self) -> ListScreener:
        """The catch-all hook's screener over the lists in use now (see :func:`clearance.checks.check_shipment`), its
        results kept in :attr:`cache_dir` across processes."""
        return screener_for(self.in_use(), self.index_of, self.cache_dir)
