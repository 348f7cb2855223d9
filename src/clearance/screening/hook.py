"""The hook for the engine's catch-all: does an end user match a bundled, versioned End User List?

:func:`end_user_hits` is what ``determine`` calls. It reads only the list snapshot shipped in the package (loaded
once and cached, like the regulation packs) and returns plain hits with list id, list version, entry id, score and
explanation, so that the determination trace can show them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from clearance.screening.bundled import bundled_ids, load_bundled
from clearance.screening.features import ALGORITHM
from clearance.screening.index import ScreeningIndex
from clearance.screening.matcher import Query, ScreenConfig, screen

END_USER_LIST = "jp-meti-eul"


@dataclass(frozen=True, slots=True)
class Hit:
    """A list entry the end user matches, with everything a trace needs to explain and reproduce it."""

    list_id: str
    list_version: str
    list_date: str | None
    entry_id: str
    entry_name: str
    matched_name: str
    score: float
    explanation: str
    algorithm: str = ALGORITHM

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "list_id": self.list_id,
            "list_version": self.list_version,
            "list_date": self.list_date,
            "entry_id": self.entry_id,
            "entry_name": self.entry_name,
            "matched_name": self.matched_name,
            "score": self.score,
            "explanation": self.explanation,
            "algorithm": self.algorithm,
        }


@cache
def _bundled_index(list_ids: frozenset[str]) -> ScreeningIndex:
    return ScreeningIndex.build(load_bundled(i) for i in sorted(list_ids))


def end_user_hits(
    name: str, country: str | None = None, list_ids: set[str] | frozenset[str] | None = None, threshold: float = 0.8
) -> list[Hit]:
    """Entries of the bundled lists (default: the METI End User List) that ``name`` matches at ``threshold`` or above.

    ``country`` (ISO 3166 alpha-2) raises the score of entries in that country and lowers others. An empty or
    unnameable name raises :class:`~clearance.errors.InputError`; an unknown list id raises
    :class:`~clearance.errors.UnknownListError`.
    """
    wanted = frozenset(list_ids or {END_USER_LIST})
    known = set(bundled_ids())
    for list_id in wanted:
        if list_id not in known:
            load_bundled(list_id)  # raises UnknownListError naming the bundled lists
    index = _bundled_index(wanted)
    candidates = screen(index, Query.of(name, country), ScreenConfig(threshold=threshold, cutoff=threshold))
    return [
        Hit(
            c.party.list_id,
            index.versions[c.party.list_id],
            index.list_dates.get(c.party.list_id),
            c.party.source_id,
            c.party.caption,
            c.matched_name,
            round(c.score, 4),
            c.explanation,
        )
        for c in candidates
        if c.match
    ]
