"""Rich renderings for people: determinations, batches, law snapshots, diffs and timelines."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

from rich.console import Console, Group
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from clearance.engine.result import Determination
from clearance.law.countries import country_name


def open_questions(d: Determination) -> str:
    """The facts the open questions of a determination need, e.g. "give end_use and end_user"."""
    fields = list(dict.fromkeys(f for question in d.undecided for f in question.missing))
    if not fields:
        return ""
    return "give " + (", ".join(fields[:-1]) + " and " + fields[-1] if len(fields) > 1 else fields[0])


def answer_line(d: Determination) -> str:
    """The answer in words: licence needed, not needed or undecided (and what to give), which licences, how
    long."""
    if d.licence_required is None:
        rules = "; ".join(q.label for q in d.undecided)
        return f"Undecided: {open_questions(d)} ({rules})."
    if not d.licence_required:
        if d.exemptions:
            return f"No licence needed: exempt ({', '.join(d.exemptions)})."
        return "No licence needed."
    options = (
        ", ".join(
            o.label.lower() + (f" (if {', '.join(o.requires)} qualifies)" if o.requires else "")
            for o in d.licence_option_details
        )
        or "none available"
    )
    days = f"; an individual licence takes about {d.processing_days} days" if d.processing_days else ""
    still_open = f" Still open (cannot change this): {open_questions(d)}." if d.undecided else ""
    return f"Licence required ({', '.join(d.basis)}). Options: {options}{days}.{still_open}"


#: How a step's three-valued ``applies`` is marked in tables.
STEP_MARKS = {True: "✔ ", False: "✘ ", None: "? "}


def determination(d: Determination) -> Group:
    """One determination: the answer, its steps, citations and warnings."""
    entry = d.control_entry
    head = Text.assemble(
        (answer_line(d), "bold"),
        f"\n{d.regime} · {d.date} · {d.destination} ({country_name(d.destination)}) · group {d.destination_group}"
        f" · item {entry.get('code') or '-'} → row {entry.get('row') or '-'}"
        + (f" / {entry['entry']}" if entry.get("entry") else ""),
    )
    steps = Table("#", "rule", "outcome", "cites", title="Steps", title_justify="left", expand=True)
    for i, step in enumerate(d.steps, start=1):
        steps.add_row(str(i), step.rule, STEP_MARKS[step.applies] + step.outcome, ", ".join(step.citations))
    cites = Table("id", "source", "provision", "url", title="Citations", title_justify="left", expand=True)
    for c in d.citations:
        cites.add_row(c.id, c.title, c.provision or "", c.url or "")
    parts: list[Panel | Table | Text] = [Panel(head, title="Determination"), steps, cites]
    if d.warnings:
        parts.append(Text("Warnings:\n" + "\n".join(f"  ! {w}" for w in d.warnings), style="yellow"))
    parts.append(Text(f"data_version {d.data_version}", style="dim"))
    return Group(*parts)


def batch_table(rows: Sequence[tuple[int, Determination | str]]) -> Table:
    """One line per shipment of a batch: reference, answer, options (``?``: depends on a fact not given), days."""
    table = Table(
        "line",
        "ref",
        "date",
        "dest",
        "group",
        "item",
        "licence",
        "basis",
        "options",
        "days",
        caption="options marked ? depend on exporter or item facts not given (see --json: requires)",
    )
    for line, result in rows:
        if isinstance(result, str):
            table.add_row(str(line), "", "", "", "", "", Text("error", style="red"), result, "", "")
            continue
        d = result
        needed = LICENCE_WORDS[d.licence_required]
        table.add_row(
            str(line),
            d.ref or "",
            str(d.date),
            d.destination,
            d.destination_group or "",
            d.control_entry.get("code") or f"row {d.control_entry.get('row') or '-'}",
            needed,
            ", ".join(d.basis) or ", ".join(d.exemptions) or open_questions(d),
            ", ".join(o.id + ("?" if o.requires else "") for o in d.licence_option_details),
            str(d.processing_days or ""),
        )
    return table


#: The licence column of batch tables: required, not needed, or undecided (which asks for facts).
LICENCE_WORDS = {
    True: Text("required", style="bold red"),
    False: Text("not needed", style="green"),
    None: Text("undecided", style="bold yellow"),
}


def console(stderr: bool = False) -> Console:
    """A console for output (or for progress on stderr)."""
    probe = Console(stderr=stderr)
    return Console(stderr=stderr, soft_wrap=False, width=None if probe.is_terminal else 160)


def law_snapshot(data: dict[str, Any]) -> Group:
    """The law in force on a date: groups and rules."""
    groups = Table("group", "name", "from", "members", title=f"{data['regime']} as of {data['as_of']}", expand=True)
    for g in data["groups"]:
        members = ", ".join(g["members"]) if g["members"] else f"{g['member_count']} other destinations"
        groups.add_row(g["id"], g["name"], str(g["in_force_from"]), members)
    parts: list[Table | Text] = [groups]
    for kind in ("requirements", "exemptions", "licence_types", "measures"):
        table = Table(
            "id",
            "label",
            "in force from",
            "verified",
            "citations",
            title=kind,
            title_justify="left",
            expand=True,
        )
        for rule in data[kind]:
            table.add_row(
                rule["id"],
                rule["label"],
                str(rule["in_force_from"]),
                "yes" if rule["verified"] else "no",
                ", ".join(rule["citations"]),
            )
        parts.append(table)
    parts.append(Text(f"data_version {data['data_version']}", style="dim"))
    return Group(*parts)


def changes(items: Sequence[Any], title: str, with_regime: bool = False) -> Table:
    """Dated changes with announcement dates and citations (and the regime, when several are shown)."""
    columns = ["regime"] if with_regime else []
    table = Table(
        *columns,
        "in force",
        "announced",
        "change",
        "verified",
        "citations",
        title=title,
        title_justify="left",
        expand=True,
    )
    for c in items:
        cells = [c.regime] if with_regime else []
        cells += [str(c.date), str(c.announced or ""), c.summary, "yes" if c.verified else "no", ", ".join(c.citations)]
        table.add_row(*cells)
    return table


def group_moves(moves: Sequence[dict[str, Any]]) -> Table:
    """Countries whose destination group differs between two dates."""
    table = Table("country", "from", "to", title="Destination-group moves", title_justify="left")
    for m in moves:
        table.add_row(f"{m['country']} ({m['name']})", str(m["from"]), str(m["to"]))
    return table


class _Rate(ProgressColumn):
    """Lines answered per second."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        shown = "?" if speed is None else f"{speed:,.0f}" if speed >= 10 else f"{speed:.1f}"
        return Text(f"{shown}/s", style="progress.data.speed")


#: Seconds between two lines of progress written to a pipe or file.
PLAIN_PROGRESS_EVERY = 2.0


class Advance(Protocol):
    """What a batch calls as it answers lines (one by default)."""

    def __call__(self, lines: int = 1) -> None: ...


@contextmanager
def batch_progress(label: str, total: int | None, done: int = 0, show: bool | None = None) -> Iterator[Advance]:
    """Progress of a batch of ``total`` lines (``done`` of them answered before) on stderr: count, rate and time
    left (count and rate when the total is None, unknown: a batch from stdin). Shown when stderr is a terminal
    (``show`` None), always (True) or never (False); into a pipe or file (a ``--json`` batch in a script, a log) as
    plain lines every few seconds and one when the batch ends. Yields the function to call after each line (or with
    the number of lines answered since the last call)."""
    err = Console(stderr=True)
    visible = err.is_terminal if show is None else show
    if visible and not err.is_terminal:
        with _plain_progress(label, total, done) as advance:
            yield advance
        return
    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), _Rate(), TimeRemainingColumn())
    with Progress(*columns, console=err, disable=not visible) as progress:
        task = progress.add_task(label, total=total, completed=done)

        def advance(lines: int = 1) -> None:
            progress.advance(task, lines)

        yield advance


@contextmanager
def _plain_progress(label: str, total: int | None, done: int) -> Iterator[Advance]:
    """Progress as plain lines on stderr: ``Determining: 200/720 lines (250/s, about 2 s left)``, or
    ``Determining: 200 lines (250/s)`` when the total is unknown."""
    start = last = time.monotonic()
    count = done

    def line(final: bool) -> None:
        elapsed = max(time.monotonic() - start, 1e-9)
        rate = (count - done) / elapsed
        if final:
            tail = f", done in {elapsed:.1f} s"
        elif total is None:
            tail = ""
        else:
            tail = f", about {(total - count) / rate:.0f} s left" if rate else ", time left unknown"
        of = "" if total is None else f"/{total}"
        sys.stderr.write(f"{label}: {count}{of} lines ({rate:,.1f}/s{tail})\n")
        sys.stderr.flush()

    def advance(lines: int = 1) -> None:
        nonlocal count, last
        count += lines
        if time.monotonic() - last >= PLAIN_PROGRESS_EVERY:
            last = time.monotonic()
            line(final=False)

    line(final=False)
    yield advance
    line(final=True)
