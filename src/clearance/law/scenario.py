"""Scenarios: hypothetical or announced changes of the law, written as an overlay in the packs' own format.

A scenario file names the regime it changes and holds the same collections as a pack (``country_lists``,
``destination_groups``, ``rows``, ``entries``, ``requirements``, ``exemptions``, ``licence_types``,
``measures``, ``party_lists``, ``red_flags``), each a mapping of object id to the keys to change. Dated ``values``
join the pack's by date (a date already in the pack is replaced); other keys replace the pack's; unknown ids add
new objects. New source ids go under ``sources``. The overlaid pack is checked by the same strict loader.

    scenario: Korea removed from Group A
    regime: jp
    sources:
      hypothetical: {title: "Scenario: remove KR from Group A", kind: secondary, class: secondary}
    country_lists:
      appended_table_3:
        values:
          2019-08-28: {members: [AR, AU, ...], sources: [hypothetical], verified: false}
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from clearance.errors import PackError
from clearance.law.yamlio import format_path, read_yaml
from clearance.problems import first_problem


class Scenario(BaseModel):
    """A parsed scenario file (collections kept raw: the pack loader validates them after merging)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    file: str
    scenario: str
    regime: str
    description: str | None = None
    sources: dict[str, Any] = Field(default_factory=dict)
    country_lists: dict[str, Any] = Field(default_factory=dict)
    destination_groups: dict[str, Any] = Field(default_factory=dict)
    rows: dict[str, Any] = Field(default_factory=dict)
    entries: dict[str, Any] = Field(default_factory=dict)
    requirements: dict[str, Any] = Field(default_factory=dict)
    exemptions: dict[str, Any] = Field(default_factory=dict)
    licence_types: dict[str, Any] = Field(default_factory=dict)
    measures: dict[str, Any] = Field(default_factory=dict)
    party_lists: dict[str, Any] = Field(default_factory=dict)
    red_flags: dict[str, Any] = Field(default_factory=dict)
    raw: dict[str, Any] = Field(default_factory=dict)

    def changes(self) -> dict[str, dict[str, Any]]:
        """The collections the scenario changes, by kind (``country_lists``, ``measures`` …)."""
        meta = {"file", "scenario", "regime", "description", "sources", "raw"}
        return {name: getattr(self, name) for name in type(self).model_fields if name not in meta}

    def latest_date(self) -> dt.date | None:
        """The latest effective date the scenario sets, if any."""
        dates = [
            dt.date.fromisoformat(str(key))
            for objects in self.changes().values()
            for raw in objects.values()
            if isinstance(raw, dict)
            for key in (raw.get("values") or {})
        ]
        return max(dates, default=None)


def read_scenario(path: Path) -> Scenario:
    """Read a scenario file strictly; errors name the file and the key path."""
    label = path.name
    data = read_yaml(path, label)
    if not isinstance(data, dict):
        raise PackError(label, "", "a scenario is a mapping with `scenario`, `regime` and the collections to change")
    try:
        return Scenario.model_validate({**data, "file": label, "raw": data})
    except ValidationError as exc:
        problem = first_problem(exc, noun="key")
        raise PackError(label, format_path(problem.loc), problem.message) from None
