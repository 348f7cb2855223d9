"""The retrospective audit as a report an internal auditor attaches to a voluntary disclosure (自主申告): an HTML
page (charts inline, no scripts) and an XLSX workbook (findings, by month and by rule, each with a chart)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from clearance.charts import pyplot, svg_uri
from clearance.orders.history import FINDINGS, HistoryAudit
from clearance.problems import BatchError

COLUMNS = (
    "position",
    "ref",
    "date",
    "destination",
    "finding",
    "message",
    "rules",
    "citations",
    "licence",
    "missing",
    "order_value",
    "currency",
    "corrected",
    "notes",
    "data_version",
    "field",
    "value",
)
#: Colours of the findings in the charts (readable in grey too: ok is lightest).
COLOURS = {
    "ok": "#c9dcc0",
    "unlicensed": "#b5523b",
    "exceeded": "#d8a03a",
    "undecided": "#7f8fa6",
    "blocked_party": "#3b1f2b",
}


def rows(audit: HistoryAudit) -> list[dict[str, Any]]:
    """Every finding as a flat row (lists joined; the order's value as ``order_value``), then every unreadable
    line as its batch error record (``position``, ``field``, ``value``, ``message``; finding ``error``)."""
    out = []
    for finding in audit.findings:
        data = finding.to_dict()
        data["rules"] = " ".join(data["rules"])
        data["citations"] = "; ".join(
            " ".join(str(c[k]) for k in ("title", "provision") if c.get(k)) for c in data["citations"]
        )
        data["missing"] = " ".join(data["missing"])
        data["notes"] = "; ".join(data["notes"])
        data["order_value"] = data.pop("value")
        out.append(data)
    out += [{**BatchError.of(position, error).to_dict(), "finding": "error"} for position, error in audit.errors]
    return out


def charts(audit: HistoryAudit) -> dict[str, str]:
    """``by_month`` (lines per ship month, stacked by finding) and ``by_rule`` (lines not ok per rule), as SVG
    data URIs; a chart with nothing to show is left out."""
    out: dict[str, str] = {}
    months = audit.by_month()
    if months:
        fig, ax = pyplot().subplots(figsize=(8, 3.6))
        bottom = [0] * len(months)
        for kind in FINDINGS:
            heights = [counts[kind] for counts in months.values()]
            if any(heights):
                ax.bar(list(months), heights, bottom=bottom, label=kind, color=COLOURS[kind], edgecolor="#333")
                bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
        ax.set_title("Shipped lines by month and finding")
        ax.set_ylabel("lines")
        ax.legend(title="finding")
        ax.tick_params(axis="x", rotation=45)
        out["by_month"] = svg_uri(fig)
    rules = audit.by_rule()
    if rules:
        fig, ax = pyplot().subplots(figsize=(8, 0.6 + 0.4 * len(rules)))
        ax.barh(list(rules)[::-1], list(rules.values())[::-1], color=COLOURS["unlicensed"])
        ax.set_title("Lines not in order, by rule")
        ax.set_xlabel("lines")
        out["by_rule"] = svg_uri(fig)
    return out


def html(
    audit: HistoryAudit, title: str = "Retrospective export-control audit", generated: dt.datetime | None = None
) -> str:
    """A self-contained HTML report: summary line, counts, charts, the lines to disclose and every finding."""
    from jinja2 import Environment, PackageLoader, select_autoescape  # loads only to write a report

    env = Environment(loader=PackageLoader("clearance.orders", "templates"), autoescape=select_autoescape())
    findings = [f.to_dict() for f in audit.findings]
    return env.get_template("history.html").render(
        title=title,
        summary=audit.summary(),
        counts=audit.counts(),
        charts=charts(audit),
        to_disclose=[f for f in findings if f["finding"] in ("unlicensed", "exceeded", "blocked_party")],
        undecided=[f for f in findings if f["finding"] == "undecided"],
        findings=findings,
        errors=[(position, str(error)) for position, error in audit.errors],
        generated=generated,
    )


def xlsx(audit: HistoryAudit, path: Path) -> None:
    """The workbook: ``Summary``, ``Findings`` (every line, filterable), ``By month`` and ``By rule`` with charts."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference

    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = "Summary"
    summary.append([audit.summary()])
    summary.append([])
    summary.append(["finding", "lines"])
    for kind, count in audit.counts().items():
        summary.append([kind, count])

    sheet = book.create_sheet("Findings")
    sheet.append(list(COLUMNS))
    for row in rows(audit):
        sheet.append([_number(row[c]) if c == "order_value" and row.get(c) else row.get(c) for c in COLUMNS])
    sheet.auto_filter.ref = sheet.dimensions
    sheet.freeze_panes = "A2"

    months = book.create_sheet("By month")
    months.append(["month", *FINDINGS])
    for month, counts in audit.by_month().items():
        months.append([month, *(counts[k] for k in FINDINGS)])
    if months.max_row > 1:
        chart = BarChart()
        chart.type, chart.grouping, chart.overlap = "col", "stacked", 100
        chart.title, chart.y_axis.title = "Shipped lines by month and finding", "lines"
        data = Reference(months, min_col=2, max_col=1 + len(FINDINGS), min_row=1, max_row=months.max_row)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(Reference(months, min_col=1, min_row=2, max_row=months.max_row))
        months.add_chart(chart, "H2")

    rules = book.create_sheet("By rule")
    rules.append(["rule", "lines"])
    for rule, count in audit.by_rule().items():
        rules.append([rule, count])
    if rules.max_row > 1:
        chart = BarChart()
        chart.type, chart.title, chart.x_axis.title = "bar", "Lines not in order, by rule", "lines"
        chart.add_data(Reference(rules, min_col=2, min_row=1, max_row=rules.max_row), titles_from_data=True)
        chart.set_categories(Reference(rules, min_col=1, min_row=2, max_row=rules.max_row))
        rules.add_chart(chart, "D2")
    book.save(path)


def _number(text: str) -> float:
    """An amount as a spreadsheet number."""
    return float(text)
