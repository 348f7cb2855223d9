"""US Consolidated Screening List (trade.gov), in the compact JSON of ../shared/data/us-csl-2026-07-31."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from clearance.errors import ListFormatError
from clearance.screening.importers.common import read_text, stable_id
from clearance.screening.model import ListVersion, Party

LIST_ID = "us-csl"
TITLE = "US Consolidated Screening List (Commerce, State, Treasury)"
SCHEMAS = {"Individual": "Person", "Entity": "LegalEntity", "Vessel": "Vessel", "Aircraft": "Airplane"}


def _source_code(name: str) -> str:
    """'Entity List (EL) - Bureau of Industry and Security' → 'EL'."""
    match = re.search(r"\(([A-Z][A-Z-]+)(?: List)?\)", name)
    return match[1] if match else stable_id(name)[:6]


def read(path: Path, list_date: dt.date | None = None) -> ListVersion:
    """Every entry; the id is the source list code and the entry number (or a content hash when there is none)."""
    try:
        data: Any = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise ListFormatError(str(path), exc.lineno, f"invalid JSON: {exc.msg}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list) or "tables" not in data:
        raise ListFormatError(str(path), None, "expected an object with 'entries' and 'tables' (compact CSL JSON)")
    tables = data["tables"]
    sources: list[str] = tables.get("sources", [])
    programmes: list[str] = tables.get("programmes", [])
    parties: list[Party] = []
    seen: dict[str, int] = {}
    for number, entry in enumerate(data["entries"], start=1):
        if not isinstance(entry, dict) or not str(entry.get("n") or "").strip():
            raise ListFormatError(str(path), number, "entry without a name ('n')")
        try:
            source = sources[int(entry["s"])]
            program = programmes[int(entry["pg"])] if "pg" in entry else None
        except (KeyError, IndexError, TypeError, ValueError):
            raise ListFormatError(str(path), number, "source or programme index out of the tables") from None
        code = _source_code(source)
        base = f"{code}-{entry['e']}" if entry.get("e") else f"{code}-{stable_id(entry['n'], *entry.get('c', []))}"
        seen[base] = seen.get(base, 0) + 1
        source_id = base if seen[base] == 1 else f"{base}-{seen[base]}"
        programs = [source] + ([program] if isinstance(program, str) else [])
        parties.append(
            Party.build(
                LIST_ID,
                source_id,
                SCHEMAS.get(str(entry.get("t")), "LegalEntity"),
                [str(entry["n"])],
                aliases=[str(a) for a in entry.get("a", [])],
                countries=[str(c) for c in entry.get("c", [])],
                programs=programs,
                notes=[str(entry["fr"])] if entry.get("fr") else [],
                source_row=f"{path.name}:entries[{number - 1}]",
            )
        )
    generated = str(data.get("sourceGeneratedAt") or "")[:10]
    when = list_date or (dt.date.fromisoformat(generated) if re.fullmatch(r"\d{4}-\d\d-\d\d", generated) else None)
    return ListVersion(LIST_ID, TITLE, when, path.name, tuple(parties))
