"""List snapshots shipped inside the package, converted from the official files in ../shared/data.

Each snapshot is the :func:`~clearance.screening.model.list_to_dict` form of one list version (gzip-compressed JSON),
so it loads without the original workbook and keeps its content hash: the same list read from the original file
gives the same version. :func:`write_bundled` regenerates them; a test checks that they have not drifted.
"""

from __future__ import annotations

import gzip
from functools import cache
from pathlib import Path

import orjson

from clearance.errors import UnknownListError
from clearance.screening.importers import import_list
from clearance.screening.model import ListVersion, list_from_dict, list_to_dict

LISTS_DIR = Path(__file__).resolve().parent / "data" / "lists"

# list id → (format, path under ../shared/data) of the snapshot's source.
SOURCES: dict[str, tuple[str, str]] = {
    "jp-meti-eul": ("meti-eul", "jp-meti-end-user-list-2025-09-29/20250929_4.xlsx"),
    "jp-meti-export-ban-belarus": (
        "meti-ban",
        "jp-meti-russia-belarus-third-country-export-ban-2025-09-12/list_belarus_tokutei.pdf.txt",
    ),
    "jp-meti-export-ban-russia": (
        "meti-ban",
        "jp-meti-russia-belarus-third-country-export-ban-2025-09-12/250912_list_russia_tokutei.pdf.txt",
    ),
    "jp-meti-export-ban-third": (
        "meti-ban",
        "jp-meti-russia-belarus-third-country-export-ban-2025-09-12/250912_list_daisangoku_tokutei.pdf.txt",
    ),
    "jp-mof-asset-freeze": ("mof", "jp-mof-asset-freeze-list-2026-03-05/shisantouketsu20260305.xlsx"),
    "us-csl": ("csl", "us-csl-2026-07-31/screening-list.json"),
}


def bundled_ids() -> list[str]:
    """Ids of the lists shipped with clearance."""
    return sorted(p.name.removesuffix(".json.gz") for p in LISTS_DIR.glob("*.json.gz"))


@cache
def load_bundled(list_id: str) -> ListVersion:
    """The shipped snapshot of one list."""
    path = LISTS_DIR / f"{list_id}.json.gz"
    if not path.exists():
        raise UnknownListError(f"no bundled list {list_id!r} (bundled: {', '.join(bundled_ids())})")
    return list_from_dict(orjson.loads(gzip.decompress(path.read_bytes())))


def write_bundled(shared_data: Path, list_ids: list[str] | None = None) -> list[ListVersion]:
    """Convert the official files under ``shared_data`` into the shipped snapshots."""
    written = []
    for list_id in list_ids or sorted(SOURCES):
        fmt, relative = SOURCES[list_id]
        version = import_list(shared_data / relative, fmt)
        payload = orjson.dumps(list_to_dict(version), option=orjson.OPT_SORT_KEYS)
        LISTS_DIR.mkdir(parents=True, exist_ok=True)
        (LISTS_DIR / f"{list_id}.json.gz").write_bytes(gzip.compress(payload, compresslevel=9, mtime=0))
        written.append(version)
    return written
