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
    """

    object_id: str
    effective: dt.date
    value: V | None
    repeal: Any = None


class Timeline(Generic[V]):
    """The versions of one object, oldest first; ``at(date)`` picks the newest on or before ``date``."""

    __slots__ = ("_dates", "object_id", "versions")

    def __init__(self, object_id: str, versions: list[Version[V]]) -> None:
        self.object_id = object_id
        self.versions: tuple[Version[V], ...] = tuple(sorted(versions, key=lambda v: v.effective))
        self._dates = [v.effective for v in self.versions]

    def at(self, when: dt.date) -> Version[V] | None:
        """The version in force on ``when``, or ``None`` before the first one."""
        i = bisect_right(self._dates, when)
        return self.versions[i - 1] if i else None

    def value_at(self, when: dt.date) -> V | None:
        """The value in force on ``when`` (``None`` before the first version or once repealed)."""
        version = self.at(when)
        return version.value if version else None
