"""The hook for the engine's catch-all: does an end user match a versioned End User List?

A screener is what ``determine`` calls. :func:`end_user_hits` reads only the list snapshots shipped in the package
(loaded once and cached, like the regulation packs); a :class:`ListScreener` screens against given list versions
(the service's: the latest imported version of each list, else the bundled one). Both return plain hits with list
id, list version, entry id, score and explanation, so that the determination trace can show them.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Any

from clearance.digests import files_digest
from clearance.errors import UnknownListError
from clearance.screening.bundled import LISTS_DIR, bundled_ids, load_bundled
from clearance.screening.features import ALGORITHM
from clearance.screening.index import ScreeningIndex
from clearance.screening.indexes import stored_index
from clearance.screening.matcher import DEFAULT_THRESHOLD, Query, ScreenConfig, screen
from clearance.screening.model import Party
from clearance.screening.results import Listed, ResultCache
from clearance.screening.shared import SharedScreening

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
def _bundled_index(list_ids: frozenset[str], cache_dir: Path | None = None) -> ScreeningIndex:
    """The index over the bundled lists ``list_ids``, kept for the process (the packs refer to a few sets of lists)
    and pickled in ``cache_dir`` when given, for the next process."""
    lists = [load_bundled(i) for i in sorted(list_ids)]  # an unknown id raises UnknownListError
    return stored_index({v.list_id: v.version for v in lists}, lambda: lists, cache_dir)


@cache
def _bundled_digest() -> str:
    """A digest of the bundled lists' files."""
    return files_digest(LISTS_DIR, LISTS_DIR.glob("*.json.gz"))


def hits_in(
    index: ScreeningIndex,
    name: str,
    country: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    shared: SharedScreening | None = None,
    on: dt.date | None = None,
) -> list[Hit]:
    """Entries of ``index`` that ``name`` matches at ``threshold`` or above on the day ``on`` (None: today; pure
    when given); ``shared`` keeps the results for other spellings of the party."""
    query, config = Query.of(name, country), ScreenConfig(threshold=threshold, cutoff=threshold, on=on)
    candidates = shared.screen(index, query, config) if shared else screen(index, query, config)
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


def end_user_hits(
    name: str,
    country: str | None = None,
    list_ids: set[str] | frozenset[str] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    cache_dir: Path | None = None,
    shared: SharedScreening | None = None,
) -> list[Hit]:
    """Entries of the bundled lists (default: the METI End User List) that ``name`` matches at ``threshold`` or above.

    ``country`` (ISO 3166 alpha-2) raises the score of entries in that country and lowers others. An empty or
    unnameable name raises :class:`~clearance.errors.InputError`; an unknown list id raises
    :class:`~clearance.errors.UnknownListError`. The index over the lists is kept in ``cache_dir`` when given
    (:func:`~clearance.screening.indexes.stored_index`); ``shared`` keeps the results for other spellings of the
    party (:class:`SharedScreening`).
    """
    lists = _bundled_index(frozenset(list_ids or {END_USER_LIST}), cache_dir)
    return hits_in(lists, name, country, threshold, shared)


class BundledScreener:
    """The screener over the bundled snapshots (the CLI's determinations): :func:`end_user_hits` on each list
    of a rule that is bundled (a rule on another list stays undecided), its indexes kept in ``cache_dir`` when
    given, its results shared between spellings of one party (:class:`SharedScreening`) and, with ``cache_dir``,
    kept there for the next run (:class:`~clearance.screening.results.ResultCache`)."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self.cache_dir = cache_dir
        self.shared = SharedScreening()
        self.results = ResultCache(cache_dir) if cache_dir else None

    def covers(self, list_ids: frozenset[str]) -> frozenset[str]:
        """Those of ``list_ids`` that are bundled."""
        return list_ids & frozenset(bundled_ids())

    @property
    def lists_digest(self) -> str:
        """A digest of the bundled lists' files: answers kept across runs are filed under it
        (:func:`clearance.engine.kept.scope`)."""
        return _bundled_digest()

    def __call__(self, name: str, country: str | None, list_ids: frozenset[str]) -> list[Hit]:
        ids = frozenset(list_ids or {END_USER_LIST})
        index = partial(_bundled_index, ids, self.cache_dir)  # read only to screen: a kept result does not need it
        return kept_hits(self.results, _bundled_lists(ids), index, name, country, self.shared)


@dataclass(frozen=True, eq=False)
class BundledLists:
    """Bundled lists as screening results are filed under them (:class:`~clearance.screening.results.Listed`):
    their versions and parties, without the index over them."""

    versions: dict[str, str]
    parties: tuple[Party, ...]


@cache
def _bundled_lists(list_ids: frozenset[str]) -> BundledLists:
    lists = [load_bundled(i) for i in sorted(list_ids)]  # an unknown id raises UnknownListError
    return BundledLists({v.list_id: v.version for v in lists}, tuple(p for v in lists for p in v.parties))


def kept_hits(
    results: ResultCache | None,
    listed: Listed,
    index: Callable[[], ScreeningIndex],
    name: str,
    country: str | None,
    shared: SharedScreening,
) -> list[Hit]:
    """:func:`hits_in` at the default threshold today, read from ``results`` when kept there in the same scope
    (:func:`~clearance.screening.results.scope` of the lists ``listed``: list versions, code, threshold, listings
    expired), else screened in ``index()`` (the index over those lists) and kept."""
    if results is None:
        return hits_in(index(), name, country, shared=shared)
    on = dt.date.today()
    kept = results.get(listed, name, country, DEFAULT_THRESHOLD, on)
    if kept is not None:
        return [Hit(**hit) for hit in kept]
    hits = hits_in(index(), name, country, shared=shared, on=on)
    results.put(listed, name, country, DEFAULT_THRESHOLD, on, [hit.to_dict() for hit in hits])
    return hits


@cache
def results_in(folder: Path) -> ResultCache:
    """The screening results kept in ``folder``, one :class:`ResultCache` per folder for the process (the
    service's screeners share it)."""
    return ResultCache(folder)


IndexOf = Callable[[Mapping[str, str]], ScreeningIndex]


class ListScreener:
    """A screener over fixed list versions (list id → version): ``screener(name, country, list_ids)`` screens
    against those of ``list_ids`` with an index from ``index_of``, its results shared between spellings of one
    party (:class:`SharedScreening`) and, with ``cache_dir``, kept there across processes as the CLI's are
    (:func:`kept_hits`). Get one with :func:`screener_for`."""

    def __init__(self, versions: Mapping[str, str], index_of: IndexOf, cache_dir: Path | None = None) -> None:
        self.versions = dict(versions)
        self.index_of = index_of
        self.shared = SharedScreening()
        self.results = results_in(cache_dir) if cache_dir else None

    def covers(self, list_ids: frozenset[str]) -> frozenset[str]:
        """Those of ``list_ids`` this screener holds a version of (a rule on another list stays undecided)."""
        return list_ids & self.versions.keys()

    def __call__(self, name: str, country: str | None, list_ids: frozenset[str]) -> list[Hit]:
        held = self.covers(list_ids)
        if not held:
            raise UnknownListError(
                f"no screening list {', '.join(sorted(list_ids))} (available: {', '.join(sorted(self.versions))})"
            )
        index = self.index_of({i: self.versions[i] for i in held})
        return kept_hits(self.results, index, lambda: index, name, country, self.shared)


_SCREENERS: dict[tuple[tuple[str, str], ...], ListScreener] = {}
_SCREENERS_LOCK = threading.Lock()


def screener_for(versions: Mapping[str, str], index_of: IndexOf, cache_dir: Path | None = None) -> ListScreener:
    """The screener over ``versions``: one object per set of versions for the life of the process, since the engine
    memoises answers by screener (a new object for the same versions would only waste the memo; a recycled one
    could return another version's answer). ``index_of`` builds or finds the index over some of the versions, and
    results are kept in ``cache_dir``; the latest caller's are kept (any store holding those versions gives the
    same index, as versions are immutable, and kept results are read back only in their scope)."""
    key = tuple(sorted(versions.items()))
    with _SCREENERS_LOCK:
        found = _SCREENERS.get(key)
        if found is None:
            found = _SCREENERS[key] = ListScreener(versions, index_of, cache_dir)
        else:
            found.index_of = index_of
            found.results = results_in(cache_dir) if cache_dir else None
    return found
