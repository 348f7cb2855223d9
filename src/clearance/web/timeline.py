"""The regulations timeline as a picture: rows of dated bars (a destination's group, each rule naming it, in
force from/to) and markers (every other change), laid out on a year axis for an inline SVG. Pure layout over
the model ``GET /law/{regime}/timeline`` returns; labels are text, so it reads without colour."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from clearance.web.i18n import _, local_country, local_date, ngettext
from clearance.web.wording import local_label

WIDTH = 1000.0
LEFT = 10.0
RIGHT = 10.0
ROW = 46.0
TOP = 30.0


@dataclass(frozen=True, slots=True)
class Bar:
    """A span of time on a row: from ``x`` for ``width``, a label, a tooltip, a link and a pattern class."""

    x: float
    width: float
    label: str
    title: str
    href: str | None
    pattern: str
    open_left: bool = False
    open_right: bool = False
    #: Whether the label is a pack's English label (the page marks it so).
    english: bool = False


@dataclass(frozen=True, slots=True)
class Marker:
    """A dated change on a row, linked to its entry in the list of changes."""

    x: float
    label: str
    title: str
    href: str


@dataclass(frozen=True, slots=True)
class Row:
    """One row of the picture."""

    y: float
    title: str
    bars: list[Bar] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    heading: bool = False
    #: Whether the title is the pack's English label (the page marks it so).
    english: bool = False


@dataclass(frozen=True, slots=True)
class Layout:
    """The picture: its size, rows, year ticks and the span shown."""

    width: float
    height: float
    rows: list[Row]
    ticks: list[tuple[float, int]]
    start: dt.date
    end: dt.date


def span(models: Sequence[Mapping[str, Any]], first: int | None = None, last: int | None = None) -> tuple[int, int]:
    """The years shown: by default from the year before the first change after each pack's starting state to the
    year after the last change (a long quiet start is shown as "since …")."""
    dates = [c["date"] for m in models for c in m["changes"] if c["date"] > m["coverage_from"]] or [
        m["coverage_from"] for m in models
    ]
    start = first if first is not None else min(dates).year - 1
    end = last if last is not None else max(dates).year + 1
    return start, max(end, start + 1)


class _Axis:
    def __init__(self, start: dt.date, end: dt.date) -> None:
        self.start, self.end = start, end
        self.days = (end - start).days

    def x(self, when: dt.date) -> float:
        clipped = min(max(when, self.start), self.end)
        return LEFT + (WIDTH - LEFT - RIGHT) * (clipped - self.start).days / self.days


def _anchor(model: Mapping[str, Any], obj: str, when: dt.date) -> str | None:
    found = next((c for c in model["changes"] if c["object"] == obj and c["date"] == when), None)
    return f"#{found['anchor']}" if found else None


def _dates(start: dt.date, until: dt.date | None) -> str:
    """A span in the short form the bars have room for (2019/07/04 – 2023/03/23)."""
    return f"{local_date(start, 'medium')} – {local_date(until, 'medium') if until else _('in force')}"


def _bar(
    axis: _Axis, start: dt.date, until: dt.date | None, label: str, href: str | None, pattern: str, english: bool
) -> Bar:
    end = until or axis.end
    x0, x1 = axis.x(start), axis.x(end)
    title = f"{label}: {_dates(start, until)}"
    opens = (start < axis.start, until is None or until > axis.end)
    return Bar(x0, max(x1 - x0, 2.0), label, title, href, pattern, *opens, english)


def _label(pack: Any, object_id: str, label: str) -> tuple[str, bool]:
    """An object's label for the page (the pack's own where the page speaks its language) and whether it is the
    English one."""
    found = local_label(pack, object_id)
    return (found[1], False) if found and found[0] == label else (label, True)


def _markers(axis: _Axis, changes: Sequence[Mapping[str, Any]]) -> list[Marker]:
    """One marker per date (several changes on one day share it, the tooltip lists them all)."""
    by_date: dict[dt.date, list[Mapping[str, Any]]] = {}
    for change in changes:
        by_date.setdefault(change["date"], []).append(change)
    out = []
    for date, found in sorted(by_date.items()):
        several = ngettext("%(num)s change", "%(num)s changes", len(found)) % {"num": len(found)}
        label = local_date(date) + (f" ({several})" if len(found) > 1 else "")
        title = "\n".join(f"{local_date(date)}: {c['summary']}" for c in found)
        out.append(Marker(axis.x(date), label, title, f"#{found[0]['anchor']}"))
    return out


def rows_for(model: Mapping[str, Any], axis: _Axis, y: float, pack: Any = None) -> list[Row]:
    """The rows of one regime's timeline (``pack`` its regulations, for their own labels): a heading, the
    destination's group, one per rule naming it, the rest."""
    country = model.get("country")
    if country:
        about = _("changes affecting %(country)s") % {"country": f"{local_country(country)} ({country})"}
    else:
        about = _("every change")
    rows = [Row(y, f"{model['regime']}: {about}", heading=True)]
    y += ROW
    groups = model.get("groups") or []
    if groups:
        patterns: dict[str, str] = {}
        bars = []
        for g in groups:
            pattern = patterns.setdefault(g["group"], f"p{len(patterns) % 4}")
            href = _anchor(model, f"destination_groups.{g['group']}", g["from"])
            label, english = _label(pack, f"destination_groups.{g['group']}", g["label"])
            bars.append(_bar(axis, g["from"], g["to"], label, href, pattern, english))
        rows.append(Row(y, _("%(country)s is in") % {"country": country}, bars))
        y += ROW
    in_lanes = {lane["object"] for lane in model.get("lanes") or []}
    for number, lane in enumerate(model.get("lanes") or []):
        bars = [
            _bar(
                axis,
                s["from"],
                s["to"],
                _dates(s["from"], s["to"]),
                _anchor(model, lane["object"], s["from"]),
                f"m{number % 3}",
                False,
            )
            for s in lane["segments"]
        ]
        markers = _markers(axis, [c for c in model["changes"] if c["object"] == lane["object"]])
        title, english = _label(pack, lane["object"], lane["label"])
        rows.append(Row(y, title, bars, markers, english=english))
        y += ROW
    rest = [
        c
        for c in model["changes"]
        if c["object"] not in in_lanes and not c["object"].startswith("destination_groups.") and c["date"] >= axis.start
    ]
    if rest or not groups:
        rows.append(
            Row(y, _("other changes (rules for every destination, licence types)"), markers=_markers(axis, rest))
        )
    return rows


def layout(
    models: Sequence[Mapping[str, Any]], first: int | None = None, last: int | None = None, packs: Any = None
) -> Layout:
    """The picture of one or more regimes' timelines (e.g. both sides of a dispute) on one axis; ``packs`` (by
    regime) give their own labels."""
    start_year, end_year = span(models, first, last)
    axis = _Axis(dt.date(start_year, 1, 1), dt.date(end_year, 12, 31))
    rows: list[Row] = []
    y = TOP
    for model in models:
        found = rows_for(model, axis, y, packs.get(model["regime"]) if packs is not None else None)
        rows += found
        y = found[-1].y + ROW + 8
    ticks = [(axis.x(dt.date(year, 1, 1)), year) for year in range(start_year, end_year + 1)]
    return Layout(WIDTH, y, rows, ticks, axis.start, axis.end)
