"""Plain-data views of index records, search results and HS answers: what ``--json`` prints and the tables show."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

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
