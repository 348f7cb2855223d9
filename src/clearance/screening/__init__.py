"""Restricted-party screening: real lists, cross-script matching that explains itself, remembered decisions.

The public API:

- :func:`import_list` reads a list file into an immutable, hashed :class:`ListVersion`; :func:`diff_lists`.
- :class:`ScreeningIndex` (``ScreeningIndex.build(lists)``), :func:`screen` (query in, ranked :class:`Candidate` out,
  each with its per-feature breakdown) and :func:`match` (yente's ``/match`` request and response shape).
- :func:`decide`, :func:`review`, :func:`delta`: the good-guy list and delta re-screening (pure); imported lists,
  hits and decisions are stored by :mod:`clearance.store` (this package touches no database).
- :func:`end_user_hits`: the catch-all hook against the bundled METI End User List (the service's screener over
  the lists in use is a :class:`~clearance.screening.hook.ListScreener`).
"""

from __future__ import annotations

from clearance.screening.decisions import Decision, ReviewedHit, decide, delta, review
from clearance.screening.features import ALGORITHM, FEATURES, Feature
from clearance.screening.hook import BundledScreener, Hit, end_user_hits
from clearance.screening.importers import FORMATS, import_list
from clearance.screening.index import ScreeningIndex
from clearance.screening.matcher import Candidate, FeatureScore, Query, ScreenConfig, match, screen
from clearance.screening.model import ListDiff, ListVersion, Party, diff_lists

__all__ = [
    "ALGORITHM",
    "FEATURES",
    "FORMATS",
    "BundledScreener",
    "Candidate",
    "Decision",
    "Feature",
    "FeatureScore",
    "Hit",
    "ListDiff",
    "ListVersion",
    "Party",
    "Query",
    "ReviewedHit",
    "ScreenConfig",
    "ScreeningIndex",
    "decide",
    "delta",
    "diff_lists",
    "end_user_hits",
    "import_list",
    "match",
    "review",
    "screen",
]
