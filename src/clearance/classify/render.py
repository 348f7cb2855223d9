"""Rich renderings of classification results for people (the JSON views carry the same data)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from clearance.tables import RowProblem

_SYSTEM_LABELS = {"wa": "Wassenaar-style (WA/EU/KR)", "us": "US ECCN"}


def _systems(systems: Sequence[str]) -> str:
    return ", ".join(_SYSTEM_LABELS.get(s, f"{s} pack") for s in systems)


def search(view: dict[str, Any]) -> Group:
    """Search hits as a table, with how each matched."""
    table = Table("#", "ref", "numbering", "title", "match", "score", "equivalents", expand=True, title_justify="left")
    table.title = f"{view['query']!r} (law in force {view['as_of']}; {view['index'] or 'exact'} index)"
    for i, hit in enumerate(view["hits"], start=1):
        title = Text(hit["title"] or hit["title_local"] or "")
        if hit["snippet"] and hit["snippet"] != title.plain:
            title.append(f"\n{hit['snippet']}", style="dim")
        score = "" if hit["score"] is None else f"{hit['score']:.2f}"
        table.add_row(
            str(i), hit["ref"], _systems(hit["systems"]), title, hit["match"], score, ", ".join(hit["equivalents"])
        )
    parts: list[Any] = [table]
    if not view["hits"]:
        parts.append(Text("No entries found.", style="bold"))
    parts += [Text(f"note: {n}", style="yellow") for n in view["notes"]]
    return Group(*parts)


def entry(view: dict[str, Any]) -> Group:
    """A record: its text, equivalents, systems without an equivalent, terms and citations."""
    head = Text.assemble(
        (view["ref"], "bold"),
        f"  {view['kind']} · {_systems(view['systems'])}",
        f" · regime {view['regime']}" if view["regime"] else "",
        f" · US reasons {view['reasons']}" if view["reasons"] else "",
        f" · law in force {view['as_of']}",
    )
    body: list[Any] = [head]
    for label, key in (("Title", "title"), ("Title (local)", "title_local"), ("Text", "text")):
        if view[key]:
            body.append(Text(f"{label}: ", style="bold") + Text(view[key]))
    if view["text_local"]:
        body.append(Panel(view["text_local"], title="Official text", title_align="left"))
    if view["cas"]:
        body.append(Text(f"CAS: {', '.join(view['cas'])}"))
    if view["parent"] or view["children"]:
        kids = ", ".join(view["children"][:20]) + (" …" if len(view["children"]) > 20 else "")
        body.append(Text(f"Parent: {view['parent'] or '-'}   Children: {kids or '-'}"))
    eq = Table("ref", "numbering", "relation", "how", "title", title="Equivalents", title_justify="left", expand=True)
    for e in view["equivalents"]:
        relation = e["relation"] + (f" (via {e['via']})" if e["via"] else "")
        eq.add_row(e["ref"], _systems(e["systems"]), relation, e["how"], e["title"] or e["title_local"])
    body.append(eq)
    for missing in view["no_equivalent"]:
        body.append(Text(f"No {missing['system']} equivalent: {missing['reason']}", style="yellow"))
    for term in view["terms"]:
        body.append(
            Text(f"Search term {term['id']} (not a legal concordance): {', '.join(term['names'])}", style="dim")
        )
    for clause in view.get("ordinance", []):
        body.append(_clause_panel(clause, f"Goods Ordinance {clause['label']} (in force {clause['in_force']})"))
    cites = Table("id", "source", "provision", "url", title="Citations", title_justify="left", expand=True)
    for c in view["citations"]:
        cites.add_row(c["id"], c["title"], c["provision"] or "", c["url"] or "")
    body.append(cites)
    body += [Text(f"note: {n}", style="yellow") for n in view["notes"]]
    return Group(*body)


def _clause_panel(clause: dict[str, Any], title: str) -> Panel:
    lines = Text(clause["text"] or "")
    for sub in clause["clauses"]:
        lines.append("\n" + "  " * (sub["depth"] - 1))
        lines.append(Text(f"{sub['label']}  ", style="bold"))
        lines.append(sub["text"])
    return Panel(lines, title=title, title_align="left")


def clause(view: dict[str, Any]) -> Group:
    """A clause of the Goods Ordinance: the lead texts above it, its text and the clauses under it."""
    head = Text.assemble(
        (view["label"], "bold"),
        f"  {view['kind']} · 貨物等省令 in force {view['in_force']} ({view['amended_by']})",
        f" · specifies {view['entry']}" if view["entry"] else "",
        "" if view["entry_verified"] or not view["entry"] else " (concordance not verified)",
    )
    body: list[Any] = [head]
    if view["earlier_version_missing"]:
        body.append(
            Text(
                f"warning: no version in force on {view['as_of']} is bundled; text as in force {view['in_force']}",
                style="yellow",
            )
        )
    for above in (c for c in view["context"] if c["text"]):
        body.append(Text(f"{above['label']}: ", style="bold") + Text(above["text"] or "", style="dim"))
    body.append(_clause_panel(view, f"{view['label']} 条文"))
    c = view["citation"]
    body.append(Text(f"Citation: 貨物等省令 {c['provision']} (in force {c['in_force']}) {c['url']}"))
    return Group(*body)


def hs(views: Sequence[dict[str, Any]]) -> Group:
    """HS answers, one per regime, with hints labelled as hints."""
    parts: list[Any] = []
    for view in views:
        where = f"row {view['row']} ({view['row_label']})" if view["row"] else "no catch-all row"
        if view["candidates"]:
            where = f"row {' or '.join(view['candidates'])}, depending on: {view['needs']}"
        verdict = "inside" if view["in_catch_all"] else "outside"
        parts.append(
            Text.assemble(
                (f"{view['regime']}: HS {view['hs_code']} (chapter {view['chapter']}) is {verdict}", "bold"),
                f" the catch-all scope on {view['as_of']} ({view['chapters'] or 'none defined'}): {where}",
                "" if view["verified"] else " [unverified]",
            )
        )
        for c in view["citations"]:
            parts.append(Text(f"  cites {c['id']}: {c['title']}, {c['provision'] or ''}", style="dim"))
    hints = views[0]["hints"] if views else []
    if hints:
        table = Table("term", "HS", "codes", "entries", "note", title="Hints", title_justify="left", expand=True)
        for h in hints:
            codes = ", ".join(h["codes"]) or "not listed"
            table.add_row(h["label"], ", ".join(h["hs"]), codes, ", ".join(h["entries"]), h["note"] or "")
        parts += [table, Text(views[0]["notice"], style="yellow")]
    return Group(*parts)


def problems(items: Sequence[RowProblem], title: str) -> Table:
    """Malformed rows with their row numbers."""
    table = Table("row", "column", "problem", title=title, title_justify="left", expand=True)
    for p in items:
        table.add_row(str(p.row), p.field or "", p.message)
    return table


def product(view: dict[str, Any]) -> Group:
    """A product and its classifications."""
    head = Text.assemble(
        (view["part_number"], "bold"),
        f"  {view['description']}",
        f"\nHS {view['hs_code'] or '-'} · CAS {view['cas'] or '-'} · {view['kind']}",
    )
    table = Table(
        "regime", "status", "code", "entry", "by", "on", "evidence", title="Classifications", title_justify="left"
    )
    for c in view["classifications"]:
        table.add_row(
            c["regime"],
            c["status"],
            c["control_code"] or "",
            c["entry"] or "",
            c["classified_by"],
            c["classified_on"],
            c["evidence"],
        )
    return Group(head, table)


_MARK = {True: "○", False: "×", None: "—"}
_VERDICT = {"listed": "listed (該当)", "not_listed": "not listed (非該当)", "undecided": "undecided (判定保留)"}


def _shown(value: Any) -> str:
    return "" if value is None else (", ".join(map(str, value)) if isinstance(value, list) else str(value))


def assessment(view: dict[str, Any]) -> Group:
    """An assessment: the verdict, each entry with its tests (○ holds, × fails, — open), catch-all, questions."""
    product = view["product"]
    body: list[Any] = [
        Text.assemble(
            (f"{product['name']}", "bold"),
            f"  {_VERDICT[view['verdict']]} · {view['regime']} law on {view['date']}",
            f" · catch-all {view['catch_all']}" if view["catch_all"] else "",
        )
    ]
    for entry in view["entries"]:
        table = Table("", "clause", "parameter", "value", "test", "note", expand=True, title_justify="left")
        table.title = f"{entry['ref']} {entry['title'] or entry['title_local']}: {_VERDICT[entry['verdict']]}"
        for t in entry["tests"]:
            test = f"{t['symbol']} {_shown(t['threshold'])} {t['unit'] or ''}".strip()
            table.add_row(_MARK[t["result"]], t["clause"], t["parameter"], _shown(t["value"]), test, t["note"] or "")
        body.append(table)
        body.append(Text(f"found by: {'; '.join(entry['found_by'])}", style="dim"))
        if entry["note"]:
            body.append(Text(entry["note"], style="yellow"))
    detail = view["catch_all_detail"]
    body.append(Text(f"Catch-all: {detail['reason']}"))
    if view["questions"]:
        asks = Table("parameter", "question", "質問", "unit / values", "for", title="Open questions", expand=True)
        for q in view["questions"]:
            values = ", ".join(v["value"] for v in q["values"]) or (q["unit"] or "")
            asks.add_row(q["parameter"], q["question"], q["question_local"], values, ", ".join(q["entries"]))
        body.append(asks)
    body += [Text(f"warning: {w}", style="yellow") for w in view["warnings"]]
    body.append(Text(f"data_version {view['data_version']}", style="dim"))
    return Group(*body)


def assessment_rows(rows: Sequence[dict[str, Any]]) -> Table:
    """A batch of assessments, a line per row (problems included)."""
    table = Table("row", "part", "name", "verdict", "entries", "catch-all", "open questions", expand=True)
    for r in rows:
        if "assessment" not in r:
            table.add_row(
                str(r["position"]),
                r.get("part_number") or "",
                r.get("name") or "",
                "error",
                f"{r['field']}: {r['message']}",
                "",
                "",
            )
            continue
        a = r["assessment"]
        entries = ", ".join(f"{e['ref']} {e['verdict']}" for e in a["entries"])
        questions = ", ".join(q["parameter"] for q in a["questions"])
        table.add_row(
            str(r["position"]),
            r.get("part_number") or "",
            a["product"]["name"],
            a["verdict"],
            entries,
            a["catch_all"] or "",
            questions,
        )
    return table
