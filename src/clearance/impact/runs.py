"""The three kinds of impact run, each a pair of law versions: between two dates, against a scenario, and
pending changes (decided but not yet in force on a day); :func:`run` picks the one an :class:`ImpactRequest` asks
for (the API, the web pages and ``clearance impact`` all call it)."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from clearance.errors import InputError, PackError
from clearance.impact.analysis import ImpactReport, LawVersion, assess
from clearance.impact.portfolio import Portfolio
from clearance.law import BUNDLED, load_regulations
from clearance.law.loader import load_pack
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


@dataclass(frozen=True, slots=True)
class Comparison:
    """What an impact run compares: two versions of the law of ``regime``, and the day the team acts on."""

    regime: str
    before: LawVersion
    after: LawVersion
    acting_on: dt.date

    def assess(self, portfolio: Portfolio, advance: Advance = None) -> ImpactReport:
        """Every line of ``portfolio`` under both versions (``advance`` called after each order line)."""
        return assess(self.regime, portfolio, self.before, self.after, self.acting_on, advance)

    @property
    def data_versions(self) -> tuple[str, str]:
        """The ``data_version`` of each side."""
        return self.before.regulations.data_version, self.after.regulations.data_version


def run(
    portfolio: Portfolio, request: ImpactRequest, scenario: Scenario | None = None, advance: Advance = None
) -> ImpactReport:
    """The impact run ``request`` asks for (``scenario``: one already read, in place of ``request.scenario``;
    ``advance`` called after each order line)."""
    return comparison(request, scenario).assess(portfolio, advance)


def comparison(request: ImpactRequest, scenario: Scenario | None = None, root: Path | None = None) -> Comparison:
    """The law versions ``request`` compares, read from the packs under ``root`` (default: the bundled ones)."""
    try:
        if request.known_on is not None:
            return pending_changes(request.regime, request.known_on, root)
        if scenario is None and request.scenario is not None:
            scenario = scenario_of(request.scenario)
        if scenario is not None:
            if request.before is None:
                raise InputError("before", "a scenario is laid over the law known on `before`: give it")
            return scenario_laid(scenario, request.before, request.after, request.acting_on, root)
    except PackError as exc:
        raise InputError("scenario", str(exc)) from None
    if request.before is None or request.after is None:
        field = "before" if request.before is None else "after"
        raise InputError(field, "give before and after, a scenario, or known_on")
    return dates_compared(request.regime, request.before, request.after, request.acting_on, root)


def dates_compared(
    regime: str, before: dt.date, after: dt.date, acting_on: dt.date | None = None, root: Path | None = None
) -> Comparison:
    """The law in force on ``before`` and on ``after``."""
    pack = load_regulations(root)[regime]
    return Comparison(
        regime,
        LawVersion(f"in force {before}", pack, before),
        LawVersion(f"in force {after}", pack, after),
        acting_on or before,
    )


def between_dates(
    portfolio: Portfolio,
    regime: str,
    before: dt.date,
    after: dt.date,
    acting_on: dt.date | None = None,
    advance: Advance = None,
) -> ImpactReport:
    """Every line under the law in force on ``before`` and on ``after``."""
    return dates_compared(regime, before, after, acting_on).assess(portfolio, advance)


def scenario_laid(
    scenario: Scenario,
    before: dt.date,
    after: dt.date | None = None,
    acting_on: dt.date | None = None,
    root: Path | None = None,
) -> Comparison:
    """The law known on ``before``, and the same with the scenario laid over it, read on ``after`` (default: the
    latest date the scenario changes)."""
    folder = root or BUNDLED
    load_regulations(root)[scenario.regime]  # an unknown regime is an error naming the field
    known = load_pack(folder / scenario.regime, known_on=before)
    changed = load_pack(folder / scenario.regime, scenario=scenario, known_on=before)
    when = after or scenario.latest_date() or before
    return Comparison(
        scenario.regime,
        LawVersion(f"known on {before}", known, before),
        LawVersion(f"scenario: {scenario.scenario} ({when})", changed, when),
        acting_on or before,
    )


def against_scenario(
    portfolio: Portfolio,
    scenario: Scenario,
    before: dt.date,
    after: dt.date | None = None,
    acting_on: dt.date | None = None,
    root: Path | None = None,
    advance: Advance = None,
) -> ImpactReport:
    """Every line under the law known on ``before``, and with the scenario laid over it (:func:`scenario_laid`)."""
    return scenario_laid(scenario, before, after, acting_on, root).assess(portfolio, advance)


def pending_changes(regime: str, known_on: dt.date, root: Path | None = None) -> Comparison:
    """The law in force on ``known_on`` against the law known on ``known_on`` read on each ship date (not before
    ``known_on``): changes decided but not yet in force then."""
    in_force = load_regulations(root)[regime]
    known = load_pack((root or BUNDLED) / regime, known_on=known_on)
    return Comparison(
        regime,
        LawVersion(f"in force {known_on}", in_force, known_on),
        LawVersion(f"known on {known_on}, on each ship date", known, None, not_before=known_on),
        known_on,
    )


def pending(portfolio: Portfolio, regime: str, known_on: dt.date, advance: Advance = None) -> ImpactReport:
    """Lines shipping after ``known_on`` whose answer changes under law decided but not yet in force then
    (:func:`pending_changes`)."""
    return pending_changes(regime, known_on).assess(portfolio, advance)
