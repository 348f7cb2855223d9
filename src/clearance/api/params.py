"""Parameter types shared by the routers (bounded so that no value can overflow a database column)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query
from pydantic import AfterValidator, BeforeValidator

from clearance.screening import ScreenConfig
from clearance.store.database import moment

MAX_INT = 2**31 - 1
MAX_PAGE = 500

After = Annotated[int, Query(ge=0, le=MAX_INT, description="Cursor: the `next_after` of the previous page.")]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Items per page.")]
#: Free text in a query: no control characters.
TEXT = r"^[^\x00-\x1f\x7f]*$"
Threshold = Annotated[float, Query(ge=0, le=1, description="Score at which a result is a match.")]
Cutoff = Annotated[float, Query(ge=0, le=1, description="Lowest score returned.")]
Results = Annotated[int, Query(ge=1, le=100, description="Results per query.")]


def _screen_config(threshold: Threshold = 0.8, cutoff: Cutoff = 0.5, limit: Results = 10) -> ScreenConfig:
    return ScreenConfig(threshold=threshold, cutoff=cutoff, limit=limit)


#: The screening options of ``/match``, ``/match/{dataset}`` and ``/screening/parties``, one set of query
#: parameters for all three: ``threshold``, ``cutoff`` and ``limit``.
ScreenOptions = Annotated[ScreenConfig, Depends(_screen_config)]


def _blank_is_none(value: Any) -> Any:
    return None if value == "" else value


def _moment(value: str | None) -> str | None:
    return None if value is None else moment(value)


#: An ISO date or time in a query (one without an offset is UTC), as the store compares it; blank means none.
Moment = Annotated[str | None, BeforeValidator(_blank_is_none), AfterValidator(_moment)]
