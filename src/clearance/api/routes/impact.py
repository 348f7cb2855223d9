"""Impact runs over the service's portfolio: between two dates, against a scenario, or pending changes; the
report as JSON, or every line as CSV or XLSX (the same as ``clearance impact``)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from clearance.api.auth import Analyst
from clearance.api.render import json_response, table_file
from clearance.api.routing import api_router
from clearance.api.schemas import ProblemOut
from clearance.impact import report as reports
from clearance.impact.portfolio import configured_portfolio
from clearance.impact.runs import ImpactRequest, run
from clearance.law import load_regulations

router = api_router(tags=["impact"])
Format = Literal["json", "csv", "xlsx"]


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


@router.post(
    "/impact",
    response_model=ImpactOut,
    responses={422: {"model": ProblemOut}, 200: {"content": {reports.MEDIA["csv"]: {}, reports.MEDIA["xlsx"]: {}}}},
)
def impact(
    body: ImpactRequest,
    request: Request,
    _key: Analyst,
    format: Annotated[Format, Query(description="json (the report), csv or xlsx (every line).")] = "json",
) -> Response:
    """Determine every line of the service's portfolio under two versions of the law and report what changed,
    each change with the provisions that caused it."""
    portfolio = configured_portfolio(request.app.state.settings.portfolio, load_regulations())
    report = run(portfolio, body)
    if format != "json":
        return table_file(report, format)
    return json_response(reports.model(report))
