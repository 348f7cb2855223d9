"""Screening results shared between spellings of one party: within a batch, "ACME Trading Co., Ltd." and "Acme
Trading Co Ltd" read alike (the same name forms, schema, countries and identifiers), so the second is not screened
again. Every score, feature and ranking is the same for both; only the name a result quotes as written differs,
and it is the second spelling's own (:func:`respelt`), so each result is the one :func:`screen` gives.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import replace

from clearance.screening.features import CHARACTER_SCRIPTS
from clearance.screening.index import ScreeningIndex
from clearance.screening.matcher import Candidate, Query, ScreenConfig, readings, screen
from clearance.screening.normalise import NameForm

#: Parties whose results a :class:`SharedScreening` keeps before starting afresh.
SHARED_LIMIT = 100_000


def _as_compared(form: NameForm) -> NameForm:
    """The form without the name as written, which the features read only for names in Chinese characters, kana
    or Hangul (compared character by character, spaces aside: :func:`~clearance.screening.features.name_literal`)."""
    written = "".join(form.original.split()) if form.script in CHARACTER_SCRIPTS else ""
    return replace(form, original=written)


def reading_key(query: Query) -> Hashable:
    """What screening reads of a query: the forms of its names as compared, each with the number of the name it
    reads (so that the same one wins, in the same name), the schema, countries and identifiers as the adjust
    features see them; not the names as written."""
    forms = tuple(
        (label, tuple((_as_compared(f), query.names.index(f.original)) for f in found))
        for label, found in readings(query)
    )
    return forms, query.context()


def respelt(candidates: list[Candidate], was: Query, now: Query) -> list[Candidate]:
    """Candidates found for ``was``, quoting the names of ``now`` (whose :func:`reading_key` is the same) where
    they quoted ``was``'s."""
    return [replace(c, query_name=now.names[was.names.index(c.query_name)]) for c in candidates]


class SharedScreening:
    """:func:`screen` with its results kept by :func:`reading_key` (and index and configuration) for a batch: a
    party that reads like one screened before gets that result, respelt in its own names."""

    def __init__(self) -> None:
        self.found: dict[Hashable, tuple[Query, list[Candidate]]] = {}

    def screen(self, index: ScreeningIndex, query: Query, config: ScreenConfig | None = None) -> list[Candidate]:
        """What :func:`screen` gives for ``query``."""
        config = config or ScreenConfig()
        key = (tuple(sorted(index.versions.items())), reading_key(query), config)
        found = self.found.get(key)
        if found is None:
            if len(self.found) >= SHARED_LIMIT:
                self.found.clear()
            found = self.found[key] = (query, screen(index, query, config))
        was, candidates = found
        return list(candidates) if was.names == query.names else respelt(candidates, was, query)
