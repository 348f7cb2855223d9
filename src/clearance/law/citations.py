"""Citations: the source records a determination or a change of the law points to."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from clearance.law.schema import Source


@dataclass(frozen=True, slots=True)
class Citation:
    """A source cited by a determination."""

    id: str
    title: str
    provision: str | None
    kind: str
    date: dt.date | None
    url: str | None


def citation(source_id: str, source: Source) -> Citation:
    """The citation record of one source of a pack."""
    return Citation(source_id, source.title, source.provision, source.kind, source.date, source.url)
