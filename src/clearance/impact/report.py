"""Impact reports for people and spreadsheets: one row per line, totals, and an HTML page with charts.

The same flat rows go to CSV, XLSX, JSON (CLI, API) and the pages: every line, answered or not."""

from __future__ import annotations

import dataclasses
import datetime as dt
import tempfile
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from clearance.charts import pyplot, svg_uri
from clearance.impact.analysis import Answer, ImpactReport, LineImpact
from clearance.tables import write_rows

COLUMNS = (
    "file",
    "position",
    "order_id",
    "status",
    "part_number",
    "customer_id",
    "destination",
    "ship_date",
    "order_value",
    "currency",
    "licence_before",
    "licence_after",
    "options_before",
    "options_after",
    "lead_time_days_before",
    "lead_time_days_after",
    "changes",
    "apply_for",
    "apply_by",
    "late",
    "citations",
    "field",
    "value",
    "message",
)


#: The media types of the spreadsheet formats a report's lines are written in.
MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def table_bytes(report: ImpactReport, fmt: Literal["csv", "xlsx"]) -> bytes:
    """Every line of the report as a CSV or XLSX file's bytes."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"impact.{fmt}"
        write_rows(path, COLUMNS, rows(report), sheet="impact")
        return path.read_bytes()


def line_row(line: LineImpact) -> dict[str, Any]:
    """One line of the report as a flat row (every line: affected, unaffected, undecided or error): its ``file``
    and ``position`` there (counted from 1, a table's header being row 1), the order and its answers, and for an
    error line the batch error record's ``field``, ``value`` and ``message`` (:class:`clearance.problems.BatchError`;
    the order's own value is ``order_value``)."""
    before, after, problem = line.before, line.after, line.problem
    return {
        "file": line.file,
        "position": line.row,
        "order_id": line.order_id,
        "status": line.status,
        "part_number": line.part_number,
        "customer_id": line.customer_id,
        "destination": line.destination,
        "ship_date": line.ship_date or "",
        "order_value": "" if line.value is None else line.value,
        "currency": line.currency,
        "licence_before": licence(before),
        "licence_after": licence(after),
        "options_before": " ".join(before.options) if before else "",
        "options_after": " ".join(after.options) if after else "",
        "lead_time_days_before": _days(before),
        "lead_time_days_after": _days(after),
        "changes": "; ".join(f"{c.kind}: {c.detail}" for c in line.changes),
        "apply_for": " ".join(line.apply_for),
        "apply_by": line.apply_by or "",
        "late": "yes" if line.late else "",
        "citations": " ".join(dict.fromkeys(s for c in line.changes for s in c.citations)),
        "field": (problem.field or "") if problem else "",
        "value": error_value(line),
        "message": problem.message if problem else "",
    }


def error_value(line: LineImpact) -> str:
    """The offending value of an error line, as read ('' when the problem is not one field's value)."""
    problem = line.problem
    if problem is None or problem.field is None:
        return ""
    return str(problem.values.get(problem.field, ""))


def licence(answer: Answer | None) -> str:
    """An answer in words: required (basis), not required, or undecided (with its open questions)."""
    if answer is None:
        return ""
    if answer.licence_required is None:
        return "undecided" + (f": {'; '.join(answer.open_questions)}" if answer.open_questions else "")
    return f"required ({', '.join(answer.basis)})" if answer.licence_required else "not required"


def _days(answer: Answer | None) -> int | str:
    return "" if answer is None or answer.lead_time_days is None else answer.lead_time_days


def rows(report: ImpactReport) -> list[dict[str, Any]]:
    """Every line of the report as a flat row."""
    return [line_row(line) for line in report.lines]


def model(report: ImpactReport) -> dict[str, Any]:
    """The report as plain data: what ``clearance impact --json`` prints, ``POST /impact`` returns and the
    impact page shows. ``totals`` counts the rows read, answered (affected, unaffected, undecided) and failed."""
    affected_value: dict[str, Decimal] = defaultdict(Decimal)
    for line in report.affected:
        if line.value is not None:
            affected_value[line.currency] += line.value
    return {
        "regime": report.regime,
        "before": report.before,
        "after": report.after,
        "acting_on": report.acting_on,
        "data_versions": list(report.data_versions),
        "totals": {**dataclasses.asdict(report.summary), "affected_value": dict(affected_value)},
        "lines": rows(report),
        "by_destination": {k: dataclasses.asdict(v) for k, v in report.by_destination.items()},
        "by_product": {k: dataclasses.asdict(v) for k, v in report.by_product.items()},
        "by_customer": {k: dataclasses.asdict(v) for k, v in report.by_customer.items()},
        "citations": report.citations,
    }


def charts(report: ImpactReport) -> dict[str, str]:
    """The charts that have data, as SVG data URIs: ``value_by_destination`` (affected value by destination and
    ship month) when a line is affected, ``added_lead_time`` (largest added review per destination) when a
    line's review grew. A chart with nothing to show is left out, never drawn empty."""
    by_month: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    added: dict[str, int] = {}
    for line in report.affected:
        destination = line.destination or "?"
        if line.ship_date is not None and line.value is not None:
            by_month[destination][line.ship_date.strftime("%Y-%m")] += line.value
        if line.added_lead_time > 0:
            added[destination] = max(line.added_lead_time, added.get(destination, 0))
    out: dict[str, str] = {}
    if by_month:
        out["value_by_destination"] = _value_chart(by_month)
    if added:
        out["added_lead_time"] = _lead_time_chart(added)
    return out


def _value_chart(by_month: dict[str, dict[str, Decimal]]) -> str:
    months = sorted({m for values in by_month.values() for m in values})
    fig, ax = pyplot().subplots(figsize=(8, 3.6))
    bottom = [0.0] * len(months)
    for destination, values in sorted(by_month.items()):
        heights = [float(values.get(m, 0)) / 1e6 for m in months]
        ax.bar(months, heights, bottom=bottom, label=destination)
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    ax.set_title("Affected order value by destination and ship month")
    ax.set_ylabel("value (millions)")
    ax.legend(title="destination")
    ax.tick_params(axis="x", rotation=45)
    return svg_uri(fig)


def _lead_time_chart(added: dict[str, int]) -> str:
    fig, ax = pyplot().subplots(figsize=(8, 3.2))
    destinations = sorted(added)
    ax.bar(destinations, [added[d] for d in destinations], color="#b5523b")
    ax.set_title("Added lead time before shipping (days of licence review, largest per destination)")
    ax.set_ylabel("days")
    return svg_uri(fig)


def html(report: ImpactReport, generated: dt.datetime | None = None) -> str:
    """A self-contained HTML report (no scripts, charts inline), readable without colour."""
    from jinja2 import Environment, PackageLoader, select_autoescape  # loads only to write a report

    env = Environment(loader=PackageLoader("clearance.impact", "templates"), autoescape=select_autoescape())
    template = env.get_template("report.html")
    return template.render(
        report=report,
        summary=report.summary,
        affected=report.affected,
        undecided=report.with_status("undecided"),
        errors=report.with_status("error"),
        to_apply=sorted(
            (line for line in report.lines if line.apply_for), key=lambda line: line.apply_by or dt.date.max
        ),
        charts=charts(report),
        licence=licence,
        error_value=error_value,
        generated=generated,
    )
