"""Orders over the store: each line checked against the lists in use (every party screened), the licence register
as it stands and the good-guy list; lines that are held or blocked are filed with their reasons for review.

The four-eyes workflow: a reviewer (an officer) resolves each reason that holds a line (a hit cleared as a false
positive, which the good-guy list remembers; a judgement accepted with a written note; a licence registered or
facts supplied, after which the line is checked again); a held line is released only by an officer who did not
request it, once nothing holds it; a block is lifted only by an admin, with a written reason, and the line is
then held for release like any other. Every step is an audit record under the subject ``order:<ref>``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import orjson
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clearance.audit.chain import Entry
from clearance.errors import ClearanceError, ConflictError, InputError, NotFoundError, PermissionDeniedError
from clearance.law.regulations import Regulations
from clearance.orders import OrderDecision, OrderLine, Policy, check_order
from clearance.orders.read import Read
from clearance.orders.screening import party_query
from clearance.problems import first_problem
from clearance.store.audit_log import AuditLog, Query, record_dict
from clearance.store.database import Database
from clearance.store.keys import ROLES, Role
from clearance.store.register import LicenceRegister
from clearance.store.screening_lists import ScreeningLists
from clearance.store.screening_queue import ScreeningQueue
from clearance.store.tables import OrderResolutionRow, OrderRow

State = Literal["released", "held", "blocked", "shipped"]
STATES: tuple[str, ...] = ("held", "blocked", "released", "shipped")
#: How a reviewer resolves a reason, and the kinds of reason each action resolves.
ACTIONS: dict[str, frozenset[str]] = {
    "false_positive": frozenset({"possible_hit", "list_entry", "end_user_list"}),
    "confirmed_match": frozenset({"possible_hit"}),
    "accepted": frozenset({"list_entry", "end_user_list", "licence_nearly_exhausted"}),
    "recheck": frozenset({"licence_needed", "licence_exhausted", "undecided", "licence_nearly_exhausted"}),
}


@dataclass(frozen=True, slots=True)
class StoredOrder:
    """A filed order: its line, state, the latest check, who requested it, the resolutions and what is open."""

    id: int
    ref: str
    state: State
    line: dict[str, Any]
    checked: dict[str, Any]
    requested_by: str
    submitted_by: str
    created_at: str
    updated_at: str
    resolutions: tuple[dict[str, Any], ...]

    @property
    def open_reasons(self) -> list[dict[str, Any]]:
        """The reasons of the latest check that hold or block the line and are not resolved."""
        done = {r["reason_key"] for r in self.resolutions}
        return [r for r in self.checked["reasons"] if r["effect"] in ("hold", "block") and r["key"] not in done]

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "id": self.id,
            "ref": self.ref,
            "state": self.state,
            "decision": self.checked["decision"],
            "open_reasons": self.open_reasons,
            "resolutions": list(self.resolutions),
            "requested_by": self.requested_by,
            "submitted_by": self.submitted_by,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "line": self.line,
            "check": self.checked,
        }


def _resolution(row: OrderResolutionRow) -> dict[str, Any]:
    return {
        "reason_key": row.reason_key,
        "action": row.action,
        "note": row.note,
        "actor": row.actor,
        "at": row.at,
        "audit_seq": row.audit_seq,
    }


def _state(decision: OrderDecision | Mapping[str, Any], resolved: Iterable[str], held_before: bool) -> State:
    """The state a check leaves a line in: blocked or held while a reason is open; a line once held stays held
    until an officer releases it (four eyes); a line that was never held is released when nothing holds it."""
    reasons = decision.to_dict(False)["reasons"] if isinstance(decision, OrderDecision) else decision["reasons"]
    done = set(resolved)
    effects = {r["effect"] for r in reasons if r["key"] not in done}
    if "block" in effects:
        return "blocked"
    if "hold" in effects or held_before:
        return "held"
    return "released"


def _open_keys(checked: Mapping[str, Any]) -> set[str]:
    return {r["key"] for r in checked["reasons"] if r["effect"] in ("hold", "block")}


def _pack_version(regulations: Mapping[str, Regulations], line: OrderLine) -> str | None:
    regs = regulations.get(line.regime)
    return None if regs is None else regs.data_version


@dataclass(frozen=True, slots=True)
class Recheck:
    """One open order checked again: its state and decision before and after, and the reasons that are new."""

    id: int
    ref: str
    state_before: State
    state: State
    decision_before: str
    decision: str
    new_reasons: tuple[dict[str, Any], ...]
    error: str | None = None

    @property
    def changed(self) -> bool:
        """Whether the decision or the open reasons changed."""
        return self.decision != self.decision_before or bool(self.new_reasons) or self.state != self.state_before

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "id": self.id,
            "ref": self.ref,
            "changed": self.changed,
            "state_before": self.state_before,
            "state": self.state,
            "decision_before": self.decision_before,
            "decision": self.decision,
            "new_reasons": list(self.new_reasons),
            "error": self.error,
        }


def _allow(role: Role, needed: Role, what: str) -> None:
    if ROLES.index(role) < ROLES.index(needed):
        raise PermissionDeniedError(f"{what} needs the {needed} role (this is {role})")


class OrderBook:
    """Order checks and the filed orders (see the module docstring for the workflow)."""

    def __init__(
        self,
        db: Database,
        audit: AuditLog,
        licences: LicenceRegister,
        lists: ScreeningLists,
        screening: ScreeningQueue,
    ) -> None:
        self.db = db
        self.audit = audit
        self.licences = licences
        self.lists = lists
        self.screening = screening

    # --- checking --------------------------------------------------------------------------------------------

    def check(
        self, line: OrderLine, regulations: Mapping[str, Regulations], policy: Policy | None = None
    ) -> OrderDecision:
        """The decision on ``line`` against the lists in use, the licences in force on its date and the decisions
        on file; nothing is recorded."""
        with self.db.read() as session:
            held = self.licences.in_force(session, line.regime, line.date)
        return check_order(
            line,
            regulations,
            index=self.lists.index(),
            screener=self.lists.screener(),
            licences=held,
            policy=policy,
            decisions=self.screening.decisions_for,
        )

    def check_all(
        self, reads: Iterable[Read], regulations: Mapping[str, Regulations], policy: Policy | None = None
    ) -> Iterator[tuple[int, OrderDecision | InputError]]:
        """Each line read (position, line or its read error) checked in turn: a line that cannot be checked (bad
        input, a date the pack does not cover) yields its error and the others are still answered."""
        for position, line in reads:
            if isinstance(line, InputError):
                yield position, line
                continue
            try:
                yield position, self.check(line, regulations, policy)
            except InputError as exc:
                yield position, exc
            except ClearanceError as exc:
                yield position, InputError("input", str(exc))

    # --- filing and the workflow -----------------------------------------------------------------------------

    def submit(
        self, line: OrderLine, regulations: Mapping[str, Regulations], actor: str, policy: Policy | None = None
    ) -> StoredOrder:
        """Check ``line`` and file it under its ``ref`` (released, held or blocked); a ref filed before is checked
        again with the line as now given (a resubmission; its resolutions stay). A shipped order cannot change."""
        decision = self.check(line, regulations, policy)
        body = line.model_dump(mode="json", exclude_none=True)
        try:
            with self.db.write() as session:
                row = self._by_ref(session, line.ref)
                now = self.db.now()
                if row is None:
                    row = OrderRow(
                        ref=line.ref,
                        requested_by=actor,
                        created_at=now,
                        state="held",
                        audit_seq=0,
                        regime=line.regime,
                        ship_date=line.date,
                        line="",
                        decision="",
                        checked="",
                        submitted_by=actor,
                        updated_at=now,
                    )
                    session.add(row)
                    held_before = False
                else:
                    if row.state == "shipped":
                        raise ConflictError(f"order {line.ref!r} has shipped: it cannot be submitted again")
                    held_before = row.state in ("held", "blocked")
                resolved = self._resolved_keys(session, row.id) if row.id else set()
                self._apply(row, line, decision, _state(decision, resolved, held_before), actor, now)
                session.flush()
                self._audited(session, row, "order.checked", actor, {"line": body}, decision)
                return self.get_in(session, row.id)
        except IntegrityError:
            raise ConflictError(f"order {line.ref!r} was filed meanwhile; submit it again") from None

    def resolve(
        self,
        order_id: int,
        reason_key: str,
        action: str,
        note: str,
        *,
        actor: str,
        role: Role,
        regulations: Mapping[str, Regulations],
        facts: Mapping[str, Any] | None = None,
        policy: Policy | None = None,
    ) -> StoredOrder:
        """Resolve an open reason of a held order. ``false_positive`` clears a hit (filed in the good-guy list, so
        the party is not held for that entry again) and ``confirmed_match`` confirms one; ``accepted`` records a
        reviewer's judgement (e.g. an Entity List entry whose items carry no US content); these need an officer
        and a written ``note``. ``recheck`` checks the line again after a licence was registered, or with
        ``facts`` supplied (fields of the line, e.g. ``{"end_use": "civil"}``): the reason goes if it no longer
        applies. A block is lifted only with :meth:`lift_block`."""
        stored = self.get(order_id)
        if stored.state not in ("held", "blocked"):
            raise ConflictError(f"order {stored.ref!r} is {stored.state}: only a held order's reasons are resolved")
        reason = next((r for r in stored.open_reasons if r["key"] == reason_key), None)
        if reason is None:
            open_keys = ", ".join(r["key"] for r in stored.open_reasons) or "none"
            raise InputError(
                "reason", f"{reason_key!r} is not an open reason of order {stored.ref!r} (open: {open_keys})"
            )
        if reason["effect"] == "block":
            raise PermissionDeniedError("a block is lifted only by an admin with a written reason (lift the block)")
        kinds = ACTIONS.get(action)
        if kinds is None:
            raise InputError("action", f"{action!r} is not one of {', '.join(ACTIONS)}")
        if reason["kind"] not in kinds:
            allowed = ", ".join(a for a, k in ACTIONS.items() if reason["kind"] in k)
            raise InputError("action", f"a {reason['kind']} reason is resolved by {allowed}, not {action}")
        if action != "recheck":
            _allow(role, "officer", f"resolving a reason as {action}")
            if not note.strip():
                raise InputError("note", f"{action} needs a written note")
        line = self._line(stored, facts)
        if action in ("false_positive", "confirmed_match"):
            party = self._party(line, reason["party"])
            verdict = "false_positive" if action == "false_positive" else "match"
            self.screening.decide_entry(
                party_query(party["name"], party.get("country")),
                reason["details"]["entry_id"],
                verdict,
                note,
                actor=actor,
            )
        decision = self.check(line, regulations, policy)
        with self.db.write() as session:
            row = self._row(session, order_id, lock=True)
            now = self.db.now()
            resolved = self._resolved_keys(session, order_id)
            inputs: dict[str, Any] = {"reason": reason_key, "action": action, "note": note}
            if facts:
                inputs["facts"] = dict(facts)
            if action == "accepted":
                resolved.add(reason_key)
            self._apply(row, line, decision, _state(decision, resolved, True), actor, now, resubmitted=False)
            session.flush()
            entry = self._audited(session, row, "order.resolved", actor, inputs, decision)
            if action == "accepted":
                self._add_resolution(session, order_id, reason_key, action, note, actor, now, entry.seq)
            return self.get_in(session, order_id)

    def release(
        self,
        order_id: int,
        *,
        actor: str,
        role: Role,
        regulations: Mapping[str, Regulations],
        note: str = "",
        policy: Policy | None = None,
    ) -> StoredOrder:
        """Release a held order: by an officer who neither requested nor submitted it, once a fresh check leaves
        no open reason (:class:`ConflictError` naming them otherwise)."""
        _allow(role, "officer", "releasing an order")
        stored = self.get(order_id)
        if actor in (stored.requested_by, stored.submitted_by):
            raise PermissionDeniedError(
                f"four eyes: order {stored.ref!r} was requested by {actor}; another officer must release it"
            )
        if stored.state != "held":
            why = "an admin must lift the block first" if stored.state == "blocked" else "nothing to release"
            raise ConflictError(f"order {stored.ref!r} is {stored.state}: {why}")
        decision = self.check(OrderLine.model_validate(stored.line), regulations, policy)
        with self.db.write() as session:
            row = self._row(session, order_id, lock=True)
            resolved = self._resolved_keys(session, order_id)
            still = [r for r in decision.open_reasons if r.key not in resolved]
            now = self.db.now()
            if still:
                raise ConflictError(
                    f"order {stored.ref!r} cannot be released: " + "; ".join(f"{r.key}: {r.message}" for r in still)
                )
            self._apply(row, OrderLine.model_validate(stored.line), decision, "released", actor, now, resubmitted=False)
            session.flush()
            self._audited(session, row, "order.released", actor, {"note": note}, decision)
            return self.get_in(session, order_id)

    def lift_block(self, order_id: int, reason: str, *, actor: str, role: Role) -> StoredOrder:
        """Lift the block of an order (an admin, with a written reason): every blocking reason is marked lifted and
        the order is held, to be released by an officer like any other."""
        _allow(role, "admin", "lifting a block")
        if not reason.strip():
            raise InputError("reason", "lifting a block needs a written reason")
        with self.db.write() as session:
            row = self._row(session, order_id, lock=True)
            if row.state != "blocked":
                raise ConflictError(f"order {row.ref!r} is {row.state}, not blocked")
            checked = orjson.loads(row.checked)
            resolved = self._resolved_keys(session, order_id)
            blocks = [r["key"] for r in checked["reasons"] if r["effect"] == "block" and r["key"] not in resolved]
            row.state = _state(checked, resolved | set(blocks), True)
            row.updated_at = now = self.db.now()
            session.flush()
            entry = self.audit.append(
                session,
                kind="order.block_lifted",
                actor=actor,
                subject=f"order:{row.ref}",
                inputs={"order": row.id, "reason": reason, "lifted": blocks},
                outputs={"state": row.state},
            )
            for key in blocks:
                self._add_resolution(session, order_id, key, "block_lifted", reason, actor, now, entry.seq)
            return self.get_in(session, order_id)

    def ship(self, order_id: int, *, actor: str) -> StoredOrder:
        """Record that a released order has shipped (it is no longer re-checked)."""
        with self.db.write() as session:
            row = self._row(session, order_id, lock=True)
            if row.state != "released":
                raise ConflictError(f"order {row.ref!r} is {row.state}: only a released order ships")
            row.state = "shipped"
            row.updated_at = self.db.now()
            session.flush()
            self.audit.append(
                session,
                kind="order.shipped",
                actor=actor,
                subject=f"order:{row.ref}",
                inputs={"order": row.id},
                outputs={"state": "shipped"},
            )
            return self.get_in(session, order_id)

    def recheck(
        self,
        regulations: Mapping[str, Regulations],
        *,
        actor: str,
        stale_only: bool = False,
        policy: Policy | None = None,
    ) -> list[Recheck]:
        """Check every open order again (held, blocked, and released but not shipped), after a list version was
        imported or a pack changed; with ``stale_only``, only those checked against other law or list versions
        than now. An order whose decision or open reasons change is updated and audited (``order.rechecked``);
        a released order that now hits is put on hold (or blocked). Returns one :class:`Recheck` per order
        checked, changed or not; an order that can no longer be checked (e.g. its line is refused by a changed
        pack) is left as it is and reported with the ``error``."""
        versions = self.lists.in_use()
        out: list[Recheck] = []
        with self.db.read() as session:
            ids = list(
                session.execute(
                    select(OrderRow.id).where(OrderRow.state.in_(("held", "blocked", "released"))).order_by(OrderRow.id)
                ).scalars()
            )
        for order_id in ids:
            stored = self.get(order_id)
            line = OrderLine.model_validate(stored.line)
            before = stored.checked
            if (
                stale_only
                and before["data_version"] == _pack_version(regulations, line)
                and all(before["list_versions"].get(k) == v for k, v in versions.items())
            ):
                continue
            try:
                decision = self.check(line, regulations, policy)
            except ClearanceError as exc:
                out.append(
                    Recheck(stored.id, stored.ref, stored.state, stored.state, before["decision"], "", (), str(exc))
                )
                continue
            after = decision.to_dict(with_determination=False)
            changed = _open_keys(before) != _open_keys(after) or before["decision"] != after["decision"]
            if not changed:
                out.append(
                    Recheck(
                        stored.id, stored.ref, stored.state, stored.state, before["decision"], after["decision"], ()
                    )
                )
                continue
            with self.db.write() as session:
                row = self._row(session, order_id, lock=True)
                resolved = self._resolved_keys(session, order_id)
                state = _state(decision, resolved, row.state != "released")
                old_state: Any = row.state
                self._apply(row, line, decision, state, actor, self.db.now(), resubmitted=False)
                session.flush()
                self._audited(session, row, "order.rechecked", actor, {"before": before["decision"]}, decision)
            new = tuple(
                r for r in after["reasons"] if r["key"] not in _open_keys(before) and r["effect"] in ("hold", "block")
            )
            out.append(Recheck(stored.id, stored.ref, old_state, state, before["decision"], after["decision"], new))
        return out

    # --- reading ---------------------------------------------------------------------------------------------

    def get(self, order_id: int) -> StoredOrder:
        """Order ``order_id``, or :class:`NotFoundError`."""
        with self.db.read() as session:
            return self.get_in(session, order_id)

    def get_in(self, session: Session, order_id: int) -> StoredOrder:
        """Order ``order_id`` read inside the caller's transaction."""
        row = self._row(session, order_id)
        stmt = select(OrderResolutionRow).where(OrderResolutionRow.order_id == order_id).order_by(OrderResolutionRow.id)
        resolutions = tuple(_resolution(r) for r in session.execute(stmt).scalars())
        state: Any = row.state
        return StoredOrder(
            row.id,
            row.ref,
            state,
            orjson.loads(row.line),
            orjson.loads(row.checked),
            row.requested_by,
            row.submitted_by,
            row.created_at,
            row.updated_at,
            resolutions,
        )

    def by_ref(self, ref: str) -> StoredOrder:
        """The order filed under ``ref``, or :class:`NotFoundError`."""
        with self.db.read() as session:
            row = self._by_ref(session, ref)
            if row is None:
                raise NotFoundError(f"no order {ref!r}")
            return self.get_in(session, row.id)

    def page(self, state: str | None = None, after: int = 0, limit: int = 50) -> tuple[list[StoredOrder], int | None]:
        """Orders after id ``after`` (optionally in one state), oldest first, and the next cursor."""
        if state is not None and state not in STATES:
            raise InputError("state", f"{state!r} is not one of {', '.join(STATES)}")
        stmt = select(OrderRow.id).where(OrderRow.id > after)
        if state:
            stmt = stmt.where(OrderRow.state == state)
        with self.db.read() as session:
            ids = list(session.execute(stmt.order_by(OrderRow.id).limit(limit + 1)).scalars())
            found = [self.get_in(session, i) for i in ids[:limit]]
        return found, (found[-1].id if len(ids) > limit else None)

    def history(self, order_id: int) -> list[dict[str, Any]]:
        """Every audit record of the order, oldest first (checks, resolutions, release, block lifted, shipment)."""
        ref = self.get(order_id).ref
        entries, after = self.audit.page(Query(subject=f"order:{ref}"), limit=500)
        out = [record_dict(e) for e in entries]
        while after is not None:
            more, after = self.audit.page(Query(subject=f"order:{ref}"), after=after, limit=500)
            out += [record_dict(e) for e in more]
        return out

    # --- helpers ---------------------------------------------------------------------------------------------

    @staticmethod
    def _by_ref(session: Session, ref: str) -> OrderRow | None:
        return session.execute(select(OrderRow).where(OrderRow.ref == ref).with_for_update()).scalar_one_or_none()

    @staticmethod
    def _row(session: Session, order_id: int, lock: bool = False) -> OrderRow:
        stmt = select(OrderRow).where(OrderRow.id == order_id)
        row = session.execute(stmt.with_for_update() if lock else stmt).scalar_one_or_none()
        if row is None:
            raise NotFoundError(f"order {order_id} does not exist")
        return row

    @staticmethod
    def _resolved_keys(session: Session, order_id: int) -> set[str]:
        stmt = select(OrderResolutionRow.reason_key).where(OrderResolutionRow.order_id == order_id)
        return set(session.execute(stmt).scalars())

    @staticmethod
    def _add_resolution(
        session: Session, order_id: int, key: str, action: str, note: str, actor: str, at: str, seq: int
    ) -> None:
        session.add(
            OrderResolutionRow(
                order_id=order_id, reason_key=key, action=action, note=note, actor=actor, at=at, audit_seq=seq
            )
        )
        session.flush()

    @staticmethod
    def _line(stored: StoredOrder, facts: Mapping[str, Any] | None) -> OrderLine:
        data = {**stored.line, **(facts or {})}
        if "ref" in (facts or {}) and facts and facts["ref"] != stored.ref:
            raise InputError("facts.ref", "an order's ref cannot change")
        try:
            return OrderLine.model_validate(data)
        except ValidationError as exc:
            err = first_problem(exc).error()
            raise InputError(f"facts.{err.field}", err.message) from None

    @staticmethod
    def _party(line: OrderLine, role: str | None) -> dict[str, Any]:
        for name, party in line.parties():
            if name == role:
                return party.model_dump(mode="json")
        raise InputError("reason", f"the reason names no party of the line ({role!r})")

    @staticmethod
    def _apply(
        row: OrderRow,
        line: OrderLine,
        decision: OrderDecision,
        state: State,
        actor: str,
        now: str,
        resubmitted: bool = True,
    ) -> None:
        row.line = orjson.dumps(line.model_dump(mode="json", exclude_none=True)).decode()
        row.regime, row.ship_date = line.regime, line.date
        row.decision = decision.decision
        row.checked = orjson.dumps(decision.to_dict(), default=str).decode()
        row.state = state
        row.updated_at = now
        if resubmitted:
            row.submitted_by = actor

    def _audited(
        self, session: Session, row: OrderRow, kind: str, actor: str, inputs: dict[str, Any], decision: OrderDecision
    ) -> Entry:
        entry = self.audit.append(
            session,
            kind=kind,
            actor=actor,
            subject=f"order:{row.ref}",
            inputs={"order": row.id, **inputs},
            outputs={"state": row.state, **decision.to_dict(with_determination=False)},
            data_version=decision.determination.data_version,
            list_versions=decision.list_versions,
        )
        row.audit_seq = entry.seq
        return entry
