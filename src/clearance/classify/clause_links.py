"""The regime page's table of control-list entries and the Goods Ordinance clauses that specify them.

``scripts/gen_docs.py`` appends it to ``docs/regimes/<pack>.md`` for a pack that bundles the ordinance: one row
per Appended Table 1 row and sub-item, with the clauses to read (linked to the e-Gov text of the version in
force), and whether a parameter sheet decides the entry (``sheet (partial)``: some of its clauses are text only).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from clearance.classify.datafile import validate
from clearance.classify.ordinance import GoodsOrdinance
from clearance.classify.sheets import SHEETS, Sheet
from clearance.classify.subitems import split_row_text
from clearance.law.regulations import Regulations
from clearance.law.yamlio import read_yaml


def clause_links_markdown(regs: Regulations, ordinance: GoodsOrdinance | None = None) -> str:
    """The markdown section, or ``""`` for a pack without the Goods Ordinance (only ``jp`` bundles it)."""
    if regs.id != "jp":
        return ""
    ordinance = ordinance or GoodsOrdinance()
    version = ordinance.versions[-1]
    when = version.in_force
    sheets = dict(_coverage(p, when) for p in SHEETS.glob("*.yaml"))
    out = [
        "",
        "## Control-list entries and their Goods Ordinance clauses",
        "",
        f"The clauses of the Goods Ordinance (貨物等省令) in force {when} that specify each row and sub-item of "
        f'Appended Table 1 ([e-Gov text]({version.url})); `clearance classify show "jp:<entry>"` prints them. '
        "A sub-item mapped only by the curated concordance is marked (concordance). **sheet**: a parameter sheet "
        "decides the entry in `classify assess`; **sheet (partial)**: it encodes some of the clauses, the others are "
        "text only and keep the entry undecided unless an encoded clause catches the product.",
        "",
        "| entry | label | clauses | sheet |",
        "|---|---|---|---|",
    ]
    snap = regs.at(when)
    for rid in regs.objects.get("rows", {}):
        active = snap.active["rows"].get(rid)
        if active is None or not rid[0].isdigit():
            continue
        _, subs = split_row_text(rid, active.obj.model.text_local)
        for ref, label in [(rid, active.obj.model.label), *((s.id, _short(s.text)) for s in subs)]:
            clauses = ordinance.specifying(ref, when)
            if not clauses:
                continue
            cited = ", ".join(c.label + ("" if c.entry_verified else " (concordance)") for c in clauses)
            out.append(f"| `{ref}` | {label} | {cited} | {sheets.get(ref, '')} |")
    return "\n".join(out) + "\n"


def _coverage(path: Path, when: dt.date) -> tuple[str, str]:
    """The sheet's entry and ``sheet``, or ``sheet (partial)`` when the sheet in force on ``when`` leaves clauses
    text only."""
    sheet = validate(Sheet, read_yaml(path, path.name), path.name)
    value = sheet.on(when)
    return sheet.entry, "sheet (partial)" if value and value[1].text_only else "sheet"


def _short(text: str, width: int = 60) -> str:
    """A sub-item's first line, cut to ``width`` characters."""
    line = text.splitlines()[0] if text else ""
    return line if len(line) <= width else line[: width - 1] + "…"
