"""Impact runs answered by distinct keys (clearance.impact.analysis.Impacts) give every line the impact it has
when each side is determined afresh (line_impact), and so the same summary and totals."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from functools import cache
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clearance.impact.analysis import Impacts, assess, line_impact
from clearance.impact.portfolio import Customer, Order, Portfolio, read_portfolio
from clearance.impact.runs import Comparison, dates_compared, pending_changes, scenario_laid
from clearance.law.scenario import read_scenario
from support import ROOT

PORTFOLIO = ROOT / "examples" / "portfolio"
NAMES = ["Hanbit Semiconductor Co. Ltd.", "Admiralty Shipyard JSC", "JSC Integral", "Acme Trading Co"]
#: Parts whose answers the changes turn on (a general-bulk row, a low-value row, catch-all, technology), one
#: outside the lists and one not in the catalogue (an error line).
PARTS = ["MTK-5AX-650", "SMC-PI-F23V", "MTK-TC-250", "SMC-TECH-EUV", "SMC-HF-G5N", "SMC-TEA-GIFT", "NO-SUCH-PART"]
#: Destinations of several groups, and Japan itself (an error line: no export to the exporter's own country).
COUNTRIES = ["KR", "KR", "DE", "US", "CN", "TW", "IR", "KP", "RU", "BY", "SG", "JP"]
#: Around each threshold of the jp pack (50,000 and 1,000,000 JPY) and far above them.
AMOUNTS = [0, 49_999, 50_000, 50_001, 999_999, 1_000_000, 1_000_001, 9_600_000]
#: Days the law changed on (the white list, Russia's bans) and their eves, often; any day of 2015-2026 too.
days = st.sampled_from(["2019-08-27", "2019-08-28", "2022-03-17", "2022-03-18"]).map(dt.date.fromisoformat) | st.dates(
    min_value=dt.date(2015, 1, 1), max_value=dt.date(2026, 12, 31)
)


@cache
def _book() -> Portfolio:
    return read_portfolio(PORTFOLIO)


@cache
def _comparison(kind: str, when: dt.date) -> Comparison:
    """Pending changes known on ``when``, or the Korean scenario laid over the law known on ``when``."""
    if kind == "pending":
        return pending_changes("jp", when)
    return scenario_laid(read_scenario(ROOT / "examples" / "scenarios" / "kr-leaves-group-a.yaml"), when)


#: The eve and the day of a change of the law (the white list; Russia's and Belarus's bans), or any two days.
changes = st.sampled_from([("2019-08-27", "2019-08-28"), ("2022-03-17", "2022-03-18")]).map(
    lambda pair: tuple(map(dt.date.fromisoformat, pair))
)
comparisons = st.one_of(
    st.builds(lambda pair, acting: dataclasses.replace(dates_compared("jp", *pair), acting_on=acting), changes, days),
    st.builds(lambda b, a, acting: dataclasses.replace(dates_compared("jp", b, a), acting_on=acting), days, days, days),
    st.builds(_comparison, st.just("pending"), st.sampled_from([dt.date(2019, 8, 5), dt.date(2022, 3, 1)])),
    st.builds(_comparison, st.just("scenario"), st.just(dt.date(2019, 8, 1))),
)
customers = st.builds(
    Customer,
    customer_id=st.sampled_from(["C1", "C2", "C3", "C4"]),
    name=st.sampled_from(NAMES),
    country=st.sampled_from(COUNTRIES),
    end_use=st.sampled_from(["civil", "civil", "unknown", "wmd", "conventional_weapons"]),
    informed=st.booleans(),
)


@st.composite
def portfolios(draw: Any) -> Portfolio:
    """A few customers and parts (some unknown: error lines), many order lines sharing them."""
    book = _book()
    parts = draw(st.lists(st.sampled_from(PARTS) | st.sampled_from([*book.catalogue]), min_size=1, max_size=4))
    found = {c.customer_id: c for c in draw(st.lists(customers, max_size=4))}
    orders = st.builds(
        Order,
        order_id=st.text("SO-0123456789", min_size=1, max_size=8),
        part_number=st.sampled_from(parts),
        customer_id=st.sampled_from(["C1", "C2", "C3", "C4"]),
        quantity=st.just(Decimal(1)),
        value=st.sampled_from(AMOUNTS).map(Decimal) | st.decimals(min_value=0, max_value=10**7, places=2),
        currency=st.sampled_from(["JPY", "JPY", "USD"]),
        ship_date=days,
    )
    lines = draw(st.lists(orders, min_size=1, max_size=40))
    return Portfolio(book.catalogue, found, tuple(enumerate(lines, start=2)), (), "orders.csv")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(portfolios(), comparisons)
def test_an_impact_run_by_keys_gives_each_line_its_impact_alone(book: Portfolio, c: Comparison) -> None:
    report = assess(c.regime, book, c.before, c.after, c.acting_on)
    alone = tuple(line_impact(c.regime, n, order, book, c.before, c.after, c.acting_on) for n, order in book.orders)
    assert report.lines == alone
    assert report.summary == dataclasses.replace(report, lines=alone).summary


def test_lines_alike_to_the_law_are_judged_once() -> None:
    book = _book()
    c = dates_compared("jp", dt.date(2019, 8, 1), dt.date(2019, 8, 28))
    affected = assess(c.regime, book, c.before, c.after, c.acting_on).affected[0]  # a Korean line, white list
    order = dict(book.orders)[affected.row]
    impacts = Impacts(c.regime, book, c.before, c.after, c.acting_on)
    for n in range(5):
        line = impacts.line(n, order.model_copy(update={"order_id": f"SO-{n}", "value": Decimal(9_000_000 + n)}))
        assert (line.order_id, line.status, line.value) == (f"SO-{n}", "affected", 9_000_000 + n)
    assert len(impacts.judged) == 1
