"""Effective-dated values: the one temporal idiom of clearance."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class Version(Generic[V]):
    """One dated value of an object, in force from ``effective`` until the next version.

    ``value`` is ``None`` once repealed; ``repeal`` then holds the cited repeal, if one was given.
    ``references`` are the provisions the object is cited to while this version is in force (format 2's dated
    ``references``); when they change without the value changing, a version starts on ``cited_from`` with the
    same value and ``effective`` date: a renumbered article is not an amendment.
    """

    object_id: str
    effective: dt.date
    value: V | None
    repeal: Any = None
    references: tuple[str, ...] = ()
    cited_from: dt.date | None = None
    references_verified: bool = False

    @property
    def verified(self) -> bool:
        """Whether the value (or repeal) is checked against a primary text: by its own sources or its references."""
        dated = self.value if self.value is not None else self.repeal
        return bool(getattr(dated, "verified", True)) or self.references_verified

    @property
    def starts(self) -> dt.date:
        """The day this version is first in force (its value's date, or the day its references changed)."""
        return self.cited_from or self.effective

    @property
    def sources(self) -> tuple[str, ...]:
        """The value's (or repeal's) sources followed by the references in force."""
        dated = self.value if self.value is not None else self.repeal
        own = tuple(getattr(dated, "sources", ()) or ())
        return tuple(dict.fromkeys((*own, *self.references)))


class Timeline(Generic[V]):
    """The versions of one object, oldest first; ``at(date)`` picks the newest on or before ``date``."""

    __slots__ = ("_dates", "object_id", "versions")

    def __init__(self, object_id: str, versions: list[Version[V]]) -> None:
        self.object_id = object_id
        self.versions: tuple[Version[V], ...] = tuple(sorted(versions, key=lambda v: v.starts))
        self._dates = [v.starts for v in self.versions]

    def at(self, when: dt.date) -> Version[V] | None:
        """The version in force on ``when``, or ``None`` before the first one."""
        i = bisect_right(self._dates, when)
        return self.versions[i - 1] if i else None

    def value_at(self, when: dt.date) -> V | None:
        """The value in force on ``when`` (``None`` before the first version or once repealed)."""
        version = self.at(when)
        return version.value if version else None
