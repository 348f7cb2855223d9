"""Impact reports for people and spreadsheets: one row per line, totals, and an HTML page with charts."""

from __future__ import annotations

import base64
import datetime as dt
import io
from collections import defaultdict
from decimal import Decimal
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from clearance.impact.analysis import ImpactReport, LineImpact

COLUMNS = (
    "line",
    "order_id",
    "status",
    "part_number",
    "customer_id",
    "destination",
    "ship_date",
    "value",
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
    "error",
)


def line_row(line: LineImpact) -> dict[str, Any]:
    """One line of the report as a flat row (every line: affected, unaffected or error)."""
    before, after = line.before, line.after
    return {
        "line": line.line,
        "order_id": line.order_id,
        "status": line.status,
        "part_number": line.part_number,
        "customer_id": line.customer_id,
        "destination": line.destination,
        "ship_date": line.ship_date,
        "value": line.value,
        "currency": line.currency,
        "licence_before": _needed(before),
        "licence_after": _needed(after),
        "options_before": " ".join(before.options) if before else "",
        "options_after": " ".join(after.options) if after else "",
        "lead_time_days_before": before.lead_time_days if before else "",
        "lead_time_days_after": after.lead_time_days if after else "",
        "changes": "; ".join(f"{c.kind}: {c.detail}" for c in line.changes),
        "apply_for": " ".join(line.apply_for),
        "apply_by": line.apply_by or "",
        "late": "yes" if line.late else "",
        "citations": " ".join(dict.fromkeys(s for c in line.changes for s in c.citations)),
        "error": line.error or "",
    }


def _needed(answer: Any) -> str:
    if answer is None:
        return ""
    return f"required ({', '.join(answer.basis)})" if answer.licence_required else "not required"


def rows(report: ImpactReport) -> list[dict[str, Any]]:
    """Every line of the report as a flat row."""
    return [line_row(line) for line in report.lines]


def _figure_svg(fig: Any) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def charts(report: ImpactReport) -> dict[str, str]:
    """Two charts as SVG data URIs: affected value by destination and ship month, and added review days."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    by_month: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    added: dict[str, list[int]] = defaultdict(list)
    for line in report.affected:
        by_month[line.destination or "?"][line.ship_date.strftime("%Y-%m")] += line.value
        before = line.before.lead_time_days if line.before else 0
        after = line.after.lead_time_days if line.after else 0
        added[line.destination or "?"].append(after - before)
    months = sorted({m for values in by_month.values() for m in values})
    out: dict[str, str] = {}
    fig, ax = plt.subplots(figsize=(8, 3.6))
    bottom = [0.0] * len(months)
    for destination, values in sorted(by_month.items()):
        heights = [float(values.get(m, 0)) / 1e6 for m in months]
        ax.bar(months, heights, bottom=bottom, label=destination)
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    ax.set_title("Affected order value by destination and ship month")
    ax.set_ylabel("value (millions)")
    if by_month:
        ax.legend(title="destination")
    ax.tick_params(axis="x", rotation=45)
    out["value_by_destination"] = _figure_svg(fig)
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(8, 3.2))
    destinations = sorted(added)
    ax.bar(destinations, [max(added[d]) if added[d] else 0 for d in destinations], color="#b5523b")
    ax.set_title("Added lead time before shipping (days of licence review, largest per destination)")
    ax.set_ylabel("days")
    out["added_lead_time"] = _figure_svg(fig)
    plt.close(fig)
    return out


def html(report: ImpactReport, generated: dt.datetime | None = None) -> str:
    """A self-contained HTML report (no scripts, charts inline), readable without colour."""
    env = Environment(loader=PackageLoader("clearance.impact", "templates"), autoescape=select_autoescape())
    template = env.get_template("report.html")
    return template.render(
        report=report,
        affected=report.affected,
        errors=[line for line in report.lines if line.status == "error"],
        to_apply=sorted(
            (line for line in report.affected if line.apply_for), key=lambda line: line.apply_by or dt.date.max
        ),
        charts=charts(report),
        generated=generated,
    )
