"""followthemoney entities: JSON Lines (one entity per line, as OpenSanctions exports) or a JSON array."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from clearance.errors import ListFormatError
from clearance.screening.importers.common import read_text
from clearance.screening.model import SCHEMAS, ListVersion, Party


def _entities(path: Path) -> list[tuple[int, Any]]:
    text = read_text(path)
    if text.lstrip().startswith("["):
        try:
            return list(enumerate(json.loads(text), start=1))
        except json.JSONDecodeError as exc:
            raise ListFormatError(str(path), exc.lineno, f"invalid JSON: {exc.msg}") from exc
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.append((number, json.loads(line)))
        except json.JSONDecodeError as exc:
            raise ListFormatError(str(path), number, f"invalid JSON: {exc.msg}") from exc
    return out


def read(path: Path, list_date: dt.date | None = None, list_id: str | None = None) -> ListVersion:
    """Entities of the screenable schemas (Person, Organization, Company …); others (addresses, sanctions) skip."""
    parties = []
    dataset: str | None = list_id
    for number, entity in _entities(path):
        if not isinstance(entity, dict) or "schema" not in entity:
            raise ListFormatError(str(path), number, "not an FtM entity (no 'schema')")
        if entity["schema"] not in SCHEMAS:
            continue
        dataset = dataset or (entity.get("datasets") or [path.stem])[0]
        party = Party.from_ftm(entity, str(dataset), source_row=f"{path.name}:{number}")
        if not party.names:
            raise ListFormatError(str(path), number, "entity without a 'name' property")
        if not party.source_id:
            raise ListFormatError(str(path), number, "entity without an 'id'")
        parties.append(party)
    if not parties:
        raise ListFormatError(str(path), None, "no Person, Organization, Company or LegalEntity entities")
    return ListVersion(str(dataset), f"FtM entities from {path.name}", list_date, path.name, tuple(parties))
