"""Classification: find the control-list entries that fit a product across numbering systems, and keep a
product catalogue.

- :func:`build_index` → :class:`ControlIndex` (``search``, ``resolve``, ``equivalents``, ``missing``): every code
  of the bundled US CCL extract and every row, sub-item and entry of the loaded packs, in SQLite FTS5;
- :func:`check_hs`: is an HS code inside a pack's catch-all chapters, with labelled hints;
- :class:`Catalogue` of :class:`Product` with one :class:`ProductClassification` per regime;
  :func:`read_catalogue` / :func:`write_catalogue` (CSV or XLSX); :func:`resolve_shipment` (and
  :func:`resolve_product`) for ``{"product": "PART-123"}`` in a shipment.

This package imports only ``clearance.law``, the table and decoding helpers and the exception tree.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from clearance.classify.catalogue import (
        Catalogue,
        Product,
        ProductClassification,
        ResolvedProduct,
        resolve_product,
        resolve_shipment,
    )
    from clearance.classify.entries import IndexEntry
    from clearance.classify.equivalents import Equivalent, Missing
    from clearance.classify.hs import HsAnswer, check_hs
    from clearance.classify.index import ControlIndex, Hit, SearchResult, build_index
    from clearance.classify.tabular import ReadResult, load_catalogue, read_catalogue, write_catalogue
    from clearance.tables import RowProblem

#: The module of each public name, imported on first use (a shipment resolved against a catalogue loads neither
#: the index nor the table readers).
_MODULES = {
    **dict.fromkeys(
        ("Catalogue", "Product", "ProductClassification", "ResolvedProduct", "resolve_product", "resolve_shipment"),
        "clearance.classify.catalogue",
    ),
    "IndexEntry": "clearance.classify.entries",
    **dict.fromkeys(("Equivalent", "Missing"), "clearance.classify.equivalents"),
    **dict.fromkeys(("HsAnswer", "check_hs"), "clearance.classify.hs"),
    **dict.fromkeys(("ControlIndex", "Hit", "SearchResult", "build_index"), "clearance.classify.index"),
    **dict.fromkeys(
        ("ReadResult", "load_catalogue", "read_catalogue", "write_catalogue"), "clearance.classify.tabular"
    ),
    "RowProblem": "clearance.tables",
}

__all__ = [
    "Catalogue",
    "ControlIndex",
    "Equivalent",
    "Hit",
    "HsAnswer",
    "IndexEntry",
    "Missing",
    "Product",
    "ProductClassification",
    "ReadResult",
    "ResolvedProduct",
    "RowProblem",
    "SearchResult",
    "build_index",
    "check_hs",
    "load_catalogue",
    "read_catalogue",
    "resolve_product",
    "resolve_shipment",
    "write_catalogue",
]


def __getattr__(name: str) -> Any:
    if name not in _MODULES:
        raise AttributeError(f"module 'clearance.classify' has no attribute {name!r}")
    return getattr(import_module(_MODULES[name]), name)
