"""The three kinds of impact run, each a pair of law versions: between two dates, against a scenario, and
pending changes (decided but not yet in force on a day); :func:`run` picks the one an :class:`ImpactRequest` asks
for (the API, the web pages and ``clearance impact`` all call it)."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from clearance.errors import InputError, PackError
from clearance.impact.analysis import ImpactReport, LawVersion, assess
from clearance.impact.portfolio import Portfolio
from clearance.law import BUNDLED, load_regulations
from clearance.law.loader import load_pack
from clearance.law.regulations import Regulations
from clearance.law.scenario import Scenario, read_scenario


class ImpactRequest(BaseModel):
    """What to compare: the law on ``before`` and ``after``; or a ``scenario`` (YAML in the packs' own format,
    see docs/impact.md) laid over the law known on ``before``; or changes pending on ``known_on``."""

    model_config = ConfigDict(extra="forbid")

    regime: str = Field(default="jp", pattern=r"^[a-z]{1,16}$")
    before: dt.date | None = None
    after: dt.date | None = None
    scenario: str | None = Field(default=None, min_length=1, max_length=200_000)
    known_on: dt.date | None = None
    acting_on: dt.date | None = None


def scenario_of(text: str) -> Scenario:
    """A scenario from YAML text, checked like a scenario file (errors name the key path)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scenario.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            return read_scenario(path)
        except PackError as exc:
            raise InputError("scenario", str(exc)) from None


#: Called after each order line is assessed (progress).
Advance = Callable[[], None] | None


def run(
    portfolio: Portfolio, request: ImpactRequest, scenario: Scenario | None = None, advance: Advance = None
) -> ImpactReport:
    """The impact run ``request`` asks for (``scenario``: one already read, in place of ``request.scenario``;
    ``advance`` called after each order line)."""
    try:
        if request.known_on is not None:
            return pending(portfolio, request.regime, request.known_on, advance)
        if scenario is None and request.scenario is not None:
            scenario = scenario_of(request.scenario)
        if scenario is not None:
            if request.before is None:
                raise InputError("before", "a scenario is laid over the law known on `before`: give it")
            return against_scenario(
                portfolio, scenario, request.before, request.after, request.acting_on, advance=advance
            )
    except PackError as exc:
        raise InputError("scenario", str(exc)) from None
    if request.before is None or request.after is None:
        field = "before" if request.before is None else "after"
        raise InputError(field, "give before and after, a scenario, or known_on")
    return between_dates(portfolio, request.regime, request.before, request.after, request.acting_on, advance)


def between_dates(
    portfolio: Portfolio,
    regime: str,
    before: dt.date,
    after: dt.date,
    acting_on: dt.date | None = None,
    advance: Advance = None,
) -> ImpactReport:
    """Every line under the law in force on ``before`` and on ``after``."""
    return assess(regime, portfolio, *in_force(load_regulations()[regime], before, after), acting_on or before, advance)


def in_force(pack: Regulations, before: dt.date, after: dt.date) -> tuple[LawVersion, LawVersion]:
    """The law of ``pack`` in force on ``before`` and on ``after``."""
    return LawVersion(f"in force {before}", pack, before), LawVersion(f"in force {after}", pack, after)


def against_scenario(
    portfolio: Portfolio,
    scenario: Scenario,
    before: dt.date,
    after: dt.date | None = None,
    acting_on: dt.date | None = None,
    root: Path = BUNDLED,
    advance: Advance = None,
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
        advance,
    )


def pending(portfolio: Portfolio, regime: str, known_on: dt.date, advance: Advance = None) -> ImpactReport:
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
        advance,
    )
