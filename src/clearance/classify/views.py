"""Plain-data views of index records, search results and HS answers: what ``--json`` prints and the tables show."""

from __future__ import annotations

import dataclasses
from typing import Any

from clearance.classify.catalogue import Product
from clearance.classify.hs import HsAnswer
from clearance.classify.index import ControlIndex, SearchResult
from clearance.errors import InputError


def entry_view(index: ControlIndex, text: str) -> dict[str, Any]:
    """A record with its text, equivalents in every numbering system, curated terms and citations.

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
