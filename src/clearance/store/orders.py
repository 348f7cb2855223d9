"""Order lines checked against everything the service holds: the lists in use (every party screened), the
licence register as it stands, and the good-guy list of reviewer decisions."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from clearance.errors import ClearanceError, InputError
from clearance.law.regulations import Regulations
from clearance.orders import OrderDecision, OrderLine, Policy, check_order
from clearance.orders.read import Read
from clearance.store.database import Database
from clearance.store.register import LicenceRegister
from clearance.store.screening_lists import ScreeningLists
from clearance.store.screening_queue import ScreeningQueue


class OrderBook:
    """Order checks over the store (see :func:`clearance.orders.check_order`)."""

    def __init__(
        self, db: Database, licences: LicenceRegister, lists: ScreeningLists, screening: ScreeningQueue
    ) -> None:
        self.db = db
        self.licences = licences
        self.lists = lists
        self.screening = screening

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
