"""Impact runs over the service's portfolio: between two dates, against a scenario, or pending changes; the
report as JSON, or every line as CSV or XLSX (the same as ``clearance impact``)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from clearance.api.auth import Analyst
from clearance.api.render import json_response
from clearance.api.routing import api_router
from clearance.api.schemas import ErrorOut
from clearance.errors import InputError, PackError
from clearance.impact import report as reports
from clearance.impact.analysis import ImpactReport
from clearance.impact.portfolio import Portfolio, read_portfolio
from clearance.impact.runs import against_scenario, between_dates, pending
from clearance.law import load_regulations
from clearance.law.scenario import Scenario, read_scenario
from clearance.tables import write_rows

router = api_router(tags=["impact"])
Format = Literal["json", "csv", "xlsx"]
MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ImpactIn(BaseModel):
    """What to compare: the law on ``before`` and ``after``; or a ``scenario`` (YAML in the packs' own format,
    see docs/impact.md) laid over the law known on ``before``; or changes pending on ``known_on``."""

    model_config = ConfigDict(extra="forbid")

    regime: str = Field(default="jp", pattern=r"^[a-z]{1,16}$")
    before: dt.date | None = None
    after: dt.date | None = None
    scenario: str | None = Field(default=None, min_length=1, max_length=200_000)
    known_on: dt.date | None = None
    acting_on: dt.date | None = None


class ImpactOut(BaseModel):
    """The report (:func:`clearance.impact.report.model`): the two law versions, ``totals`` (rows read,
    answered, failed; affected, unaffected, undecided, late; affected value), one flat row per line (``lines``,
    the CSV's columns: every order row, and every unreadable row of the portfolio's files as an error line with
    its file, row, field and value), totals by destination, product and customer, and the sources cited."""

    regime: str
    before: str
    after: str
    acting_on: dt.date
    data_versions: list[str]
    totals: dict[str, Any]
    lines: list[dict[str, Any]]
    by_destination: dict[str, Any]
    by_product: dict[str, Any]
    by_customer: dict[str, Any]
    citations: dict[str, Any]


def portfolio_of(request: Request) -> Portfolio:
    """The portfolio the service was started with (``--portfolio``), read afresh."""
    folder = request.app.state.settings.portfolio
    if not folder:
        raise InputError("portfolio", "this server has no portfolio: start it with --portfolio FOLDER (or --demo)")
    return read_portfolio(Path(folder), load_regulations())


def scenario_of(text: str) -> Scenario:
    """A scenario from YAML text, checked like a scenario file (errors name the key path)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scenario.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            return read_scenario(path)
        except PackError as exc:
            raise InputError("scenario", str(exc)) from None


def run(portfolio: Portfolio, body: ImpactIn) -> ImpactReport:
    """The impact run ``body`` asks for."""
    try:
        if body.known_on is not None:
            return pending(portfolio, body.regime, body.known_on)
        if body.scenario is not None:
            if body.before is None:
                raise InputError("before", "a scenario is laid over the law known on `before`: give it")
            scenario = scenario_of(body.scenario)
            return against_scenario(portfolio, scenario, body.before, body.after, body.acting_on)
    except PackError as exc:
        raise InputError("scenario", str(exc)) from None
    if body.before is None or body.after is None:
        raise InputError("before" if body.before is None else "after", "give before and after, a scenario, or known_on")
    return between_dates(portfolio, body.regime, body.before, body.after, body.acting_on)


def table_file(report: ImpactReport, fmt: Literal["csv", "xlsx"]) -> Response:
    """Every line of the report as a CSV or XLSX download."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"impact.{fmt}"
        write_rows(path, reports.COLUMNS, reports.rows(report), sheet="impact")
        content = path.read_bytes()
    name = f"impact-{report.regime}.{fmt}"
    return Response(content, 200, {"Content-Disposition": f'attachment; filename="{name}"'}, media_type=MEDIA[fmt])


@router.post(
    "/impact",
    response_model=ImpactOut,
    responses={422: {"model": ErrorOut}, 200: {"content": {MEDIA["csv"]: {}, MEDIA["xlsx"]: {}}}},
)
def impact(
    body: ImpactIn,
    request: Request,
    _key: Analyst,
    format: Annotated[Format, Query(description="json (the report), csv or xlsx (every line).")] = "json",
) -> Response:
    """Determine every line of the service's portfolio under two versions of the law and report what changed,
    each change with the provisions that caused it."""
    portfolio = portfolio_of(request)
    report = run(portfolio, body)
    if format != "json":
        return table_file(report, format)
    return json_response(reports.model(report))
