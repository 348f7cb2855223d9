"""The three kinds of impact run, each a pair of law versions: between two dates, against a scenario, and
pending changes (decided but not yet in force on a day)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from clearance.impact.analysis import ImpactReport, LawVersion, assess
from clearance.impact.portfolio import Portfolio
from clearance.law import BUNDLED, load_regulations
from clearance.law.loader import load_pack
from clearance.law.scenario import Scenario


def between_dates(
    portfolio: Portfolio, regime: str, before: dt.date, after: dt.date, acting_on: dt.date | None = None
) -> ImpactReport:
    """Every line under the law in force on ``before`` and on ``after``."""
    pack = load_regulations()[regime]
    return assess(
        regime,
        portfolio,
        LawVersion(f"in force {before}", pack, before),
        LawVersion(f"in force {after}", pack, after),
        acting_on or before,
    )


def against_scenario(
    portfolio: Portfolio,
    scenario: Scenario,
    before: dt.date,
    after: dt.date | None = None,
    acting_on: dt.date | None = None,
    root: Path = BUNDLED,
) -> ImpactReport:
    """Every line under the law known on ``before``, and with the scenario laid over that law.

    The scenario is read on ``after`` (default: the latest date it changes)."""
    load_regulations(root)[scenario.regime]  # an unknown regime is an error naming the field
    known = load_pack(root / scenario.regime, known_on=before)
    changed = load_pack(root / scenario.regime, scenario=scenario, known_on=before)
    when = after or scenario.latest_date() or before
    return assess(
        scenario.regime,
        portfolio,
        LawVersion(f"known on {before}", known, before),
        LawVersion(f"scenario: {scenario.scenario} ({when})", changed, when),
        acting_on or before,
    )


def pending(portfolio: Portfolio, regime: str, known_on: dt.date) -> ImpactReport:
    """Lines shipping after ``known_on`` whose answer changes under law decided but not yet in force then:
    the law in force on ``known_on`` against the law known on ``known_on`` read on each ship date."""
    in_force = load_regulations()[regime]
    known = load_pack(BUNDLED / regime, known_on=known_on)
    return assess(
        regime,
        portfolio,
        LawVersion(f"in force {known_on}", in_force, known_on),
        LawVersion(f"known on {known_on}, on each ship date", known, None, not_before=known_on),
        known_on,
    )
