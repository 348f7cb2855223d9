"""Plain-data views of index records, search results and HS answers: what ``--json`` prints and the tables show."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

import orjson

from clearance.classify.assess import Assessment, TestResult
from clearance.classify.assess_batch import BatchRow
from clearance.classify.catalogue import Product
from clearance.classify.hs import HsAnswer
from clearance.classify.index import ControlIndex, SearchResult
from clearance.classify.ordinance import GoodsOrdinance, OrdinanceClause
from clearance.errors import InputError

#: Clauses under one shown in full; a larger tree (a whole article) lists its items' labels only.
TREE_LIMIT = 80


def _clause_line(depth: int, item: OrdinanceClause) -> dict[str, Any]:
    return {"depth": depth, "id": item.id, "label": item.label, "text": item.text}


def clause_view(ordinance: GoodsOrdinance, ref: str, when: dt.date) -> dict[str, Any]:
    """A clause of the Goods Ordinance: its text, the lead texts above it, the clauses under it, the version it
    is read from and the pack entry it specifies. :class:`InputError` on ``ref`` when there is no such clause."""
    item = ordinance.clause(ref, when)
    tree = ordinance.tree(item)
    if len(tree) > TREE_LIMIT:
        tree = [(depth, c) for depth, c in tree if depth <= 1]
    return {
        "ref": item.id,
        "label": item.label,
        "kind": item.clause.kind,
        "caption": item.clause.caption,
        "text": item.text,
        "as_of": when.isoformat(),
        "in_force": item.version.in_force.isoformat(),
        "amended_by": item.version.amended_by,
        "earlier_version_missing": item.earlier,
        "table": item.clause.table,
        "row": item.clause.row,
        "entry": f"jp:{item.entry}" if item.entry else None,
        "entry_verified": item.entry_verified,
        "context": [_clause_line(i, c) for i, c in enumerate(ordinance.ancestors(item))],
        "clauses": [_clause_line(depth, c) for depth, c in tree[1:]],
        "citation": item.citation(),
    }


def ordinance_summary(ordinance: GoodsOrdinance, entry: str, when: dt.date) -> list[dict[str, Any]]:
    """The clauses of the Goods Ordinance that specify a jp pack entry (``7(19)``), each with the clauses under
    it (only the first level under a whole article)."""
    out = []
    for item in ordinance.specifying(entry, when):
        tree = ordinance.tree(item)
        if len(tree) > TREE_LIMIT:
            tree = [(depth, c) for depth, c in tree if depth <= 1]
        out.append(
            {
                **_clause_line(0, item),
                "in_force": item.version.in_force.isoformat(),
                "entry_verified": item.entry_verified,
                "clauses": [_clause_line(depth, c) for depth, c in tree[1:]],
            }
        )
    return out


def entry_view(index: ControlIndex, text: str, ordinance: GoodsOrdinance | None = None) -> dict[str, Any]:
    """A record with its text, equivalents in every numbering system, curated terms and citations; for a jp
    record with ``ordinance``, the Goods Ordinance clauses that specify it.

    Raises :class:`InputError` on ``ref`` when nothing in the index matches ``text``.
    """
    ref = index.resolve(text)
    if ref is None:
        raise InputError("ref", f"{text!r} is not a code or pack entry in the index (try: classify search)")
    entry = index.entries[ref]
    equivalents = []
    for link in index.equivalents(ref):
        other = index.entries[link.ref]
        equivalents.append(
            {
                "ref": link.ref,
                "systems": list(other.systems),
                "relation": link.relation,
                "how": link.how,
                "via": link.via,
                "title": other.title,
                "title_local": other.title_local,
            }
        )
    view = dataclasses.asdict(entry)
    view.update(
        {
            "as_of": index.as_of.isoformat(),
            "requested": text,
            "children": index.children(ref),
            "equivalents": equivalents,
            "no_equivalent": [dataclasses.asdict(m) for m in index.missing(ref)],
            "terms": [dataclasses.asdict(t) for t in index.attached(ref).terms],
            "ordinance": (
                ordinance_summary(ordinance, entry.code, index.as_of)
                if ordinance is not None and entry.pack == "jp" and entry.kind in ("row", "sub_item", "entry")
                else []
            ),
        }
    )
    return view


def search_view(result: SearchResult) -> dict[str, Any]:
    """A search result as plain data."""
    return dataclasses.asdict(result)


def hs_view(answer: HsAnswer) -> dict[str, Any]:
    """An HS answer as plain data."""
    return dataclasses.asdict(answer)


def product_view(product: Product) -> dict[str, Any]:
    """A catalogue product as plain data (dates as ISO text)."""
    return product.model_dump(mode="json")


def _plain(value: Any) -> Any:
    """Decimals as JSON numbers (whole numbers as integers); everything else as given."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _test_view(test: TestResult) -> dict[str, Any]:
    view = dataclasses.asdict(test)
    view["value"], view["threshold"] = _plain(test.value), _plain(test.threshold)
    return view


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return _plain(value)
    raise TypeError(type(value).__name__)


def assessment_view(a: Assessment) -> dict[str, Any]:
    """An assessment as plain JSON data: the contract of ``classify assess --json`` (``verdict``, ``entries`` with
    ``ref``, ``verdict``, ``tests`` and ``citations``, ``catch_all``, ``questions``, ``data_version``)."""
    view = {
        "regime": a.regime,
        "date": a.date.isoformat(),
        "product": a.product.model_dump(mode="json", exclude_none=True),
        "verdict": a.verdict,
        "catch_all": a.placement.catch_all,
        "catch_all_detail": dataclasses.asdict(a.placement),
        "entries": [
            {
                "ref": e.ref,
                "title": e.title,
                "title_local": e.title_local,
                "verdict": e.verdict,
                "found_by": list(e.found_by),
                "sheet": e.sheet,
                "clause": e.clause,
                "sheet_in_force": e.sheet_in_force,
                "tests": [_test_view(t) for t in e.tests],
                "branches": [
                    {
                        **{k: v for k, v in dataclasses.asdict(b).items() if k != "tests"},
                        "tests": [_test_view(t) for t in b.tests],
                    }
                    for b in e.branches
                ],
                "questions": [dataclasses.asdict(q) for q in e.questions],
                "citations": list(e.citations),
                "note": e.note,
            }
            for e in a.entries
        ],
        "questions": [dataclasses.asdict(q) for q in a.questions],
        "parameters": {k: _plain(v) for k, v in a.parameters.items()},
        "inferred": dict(a.inferred),
        "data_version": a.data_version,
        "law": {"goods_ordinance_in_force": a.ordinance_in_force.isoformat()},
        "warnings": list(a.warnings),
    }
    data: dict[str, Any] = orjson.loads(orjson.dumps(view, default=_json_default))
    return data


#: The columns of a batch of assessments written as a table.
BATCH_COLUMNS = ("row", "part_number", "name", "verdict", "entries", "catch_all", "questions", "data_version", "error")


def batch_record(row: BatchRow) -> dict[str, Any]:
    """One row of an assessed catalogue: its number as ``position`` (the header is row 1), part and name, and the
    assessment, or the batch error record's ``field``, ``value`` and ``message``."""
    head = {"position": row.row, "part_number": row.values.get("part_number") or None, "name": row.values.get("name")}
    if row.problem is not None:
        return {**row.problem.record(), **head}
    assert row.assessment is not None
    return {**head, "assessment": assessment_view(row.assessment)}


def flat_record(record: dict[str, Any]) -> dict[str, Any]:
    """A batch record as one line of a table (the entries and open questions joined)."""
    out = {"row": record["position"], "part_number": record["part_number"], "name": record["name"]}
    if "assessment" not in record:
        return {**out, "error": f"{record['field']}: {record['message']}"}
    a = record["assessment"]
    return {
        **out,
        "verdict": a["verdict"],
        "entries": "; ".join(f"{e['ref']} {e['verdict']}" for e in a["entries"]),
        "catch_all": a["catch_all"],
        "questions": "; ".join(q["parameter"] for q in a["questions"]),
        "data_version": a["data_version"],
    }
