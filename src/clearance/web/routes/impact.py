"""Impact: pick a change of the law (or give two dates, upload a scenario, or ask what is pending) and see what
it does to the portfolio: totals, charts, the affected lines with their citations, CSV and XLSX downloads."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from clearance.api.render import table_file
from clearance.cellvalues import read_date
from clearance.decoding import decode_text
from clearance.errors import InputError
from clearance.impact import report as reports
from clearance.impact.portfolio import Portfolio, configured_portfolio
from clearance.impact.runs import ImpactRequest, run
from clearance.law import load_regulations
from clearance.law.queries import law_timeline
from clearance.problems import first_problem
from clearance.web.i18n import _
from clearance.web.pages import PREFIX, CheckedForm, SignedIn, render, text

router = APIRouter(prefix=f"{PREFIX}/impact")
MODES = ("change", "dates", "scenario", "pending")
MAX_SCENARIO = 200_000


def changes_by_date(request: Request, regime: str) -> list[tuple[dt.date, list[str]]]:
    """The regime's changes after its starting state, grouped by date (the choices of "pick a change")."""
    model = law_timeline(request.app.state.regulations[regime])
    by_date: dict[dt.date, list[str]] = {}
    for change in model["changes"]:
        if change["date"] > model["coverage_from"]:
            by_date.setdefault(change["date"], []).append(change["summary"])
    return sorted(by_date.items())


def _portfolio(request: Request) -> Portfolio:
    return configured_portfolio(request.app.state.settings.portfolio, load_regulations())


def _date(form: FormData, name: str) -> dt.date | None:
    value = text(form, name)
    if not value:
        return None
    try:
        return read_date(value)
    except ValueError:
        raise InputError(
            name, _("%(value)r is not a date (e.g. 2019-07-15, 2019/7/15, 令和元年7月15日)") % {"value": value}
        ) from None


async def scenario_text(form: FormData) -> str | None:
    """The scenario: an uploaded YAML file, else the text carried over from the previous run."""
    upload = form.get("scenario_file")
    if isinstance(upload, UploadFile) and upload.filename:
        raw = await upload.read(MAX_SCENARIO + 1)
        if len(raw) > MAX_SCENARIO:
            raise InputError("scenario", _("the scenario file is larger than %(size)s bytes") % {"size": MAX_SCENARIO})
        return decode_text(raw, "scenario", upload.filename)
    return text(form, "scenario") or None


async def impact_in(form: FormData) -> tuple[ImpactRequest, dict[str, Any]]:
    """``POST /impact``'s body from the form, and the form's values to carry over."""
    mode = text(form, "mode") or "change"
    if mode not in MODES:
        raise InputError("mode", _("one of %(modes)s") % {"modes": ", ".join(MODES)})
    body: dict[str, Any] = {"regime": text(form, "regime") or "jp", "acting_on": _date(form, "acting_on")}
    if mode == "change":
        changed = _date(form, "change")
        if changed is None:
            raise InputError("change", _("pick a change"))
        body.update(before=changed - dt.timedelta(days=1), after=changed)
    elif mode == "dates":
        body.update(before=_date(form, "before"), after=_date(form, "after"))
    elif mode == "scenario":
        body.update(before=_date(form, "before"), after=_date(form, "after"), scenario=await scenario_text(form))
        if body["scenario"] is None:
            raise InputError("scenario", _("upload a scenario file (YAML)"))
    else:
        body.update(known_on=_date(form, "known_on"))
    try:
        parsed = ImpactRequest.model_validate(body)
    except ValidationError as exc:
        raise first_problem(exc).error() from None
    carried = {"mode": mode, **{k: text(form, k) for k in ("change", "before", "after", "known_on", "acting_on")}}
    return parsed, carried


@router.get("")
def impact_form(request: Request, user: SignedIn, regime: str = "jp") -> Response:
    """The form: pick a change, give dates, upload a scenario, or ask what is pending."""
    changes = changes_by_date(request, regime)
    return render(
        request,
        "impact.html",
        page="impact",
        regime=regime,
        regimes=list(request.app.state.regulations),
        changes=changes,
        fields={"mode": "change", "change": changes[0][0].isoformat() if changes else ""},
    )


@router.post("")
async def impact(request: Request, user: SignedIn, form: CheckedForm) -> Response:
    """Run it (``POST /impact``) and show totals, charts and the affected lines."""
    user.require("analyst")
    body, fields = await impact_in(form)
    portfolio = await run_in_threadpool(_portfolio, request)
    result = await run_in_threadpool(run, portfolio, body)
    charts = await run_in_threadpool(reports.charts, result)
    return render(
        request,
        "impact.html",
        page="impact",
        regime=body.regime,
        regimes=list(request.app.state.regulations),
        changes=changes_by_date(request, body.regime),
        fields=fields,
        body=body,
        report=reports.model(result),
        charts=charts,
    )


@router.post("/download")
async def download(request: Request, user: SignedIn, form: CheckedForm) -> Response:
    """Every line of the run as CSV or XLSX (``POST /impact?format=…``)."""
    user.require("analyst")
    fmt = text(form, "format")
    if fmt not in ("csv", "xlsx"):
        raise InputError("format", _("csv or xlsx"))
    body, _scenario = await impact_in(form)
    portfolio = await run_in_threadpool(_portfolio, request)
    result = await run_in_threadpool(run, portfolio, body)
    return table_file(result, "csv" if fmt == "csv" else "xlsx")
