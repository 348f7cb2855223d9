"""The order check's policy as data (``policy.yaml``): each list's consequence, the bases that block, thresholds."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from clearance.errors import PackError
from clearance.law.yamlio import format_path, read_yaml
from clearance.problems import first_problem

POLICY_FILE = Path(__file__).resolve().parent / "policy.yaml"
Consequence = Literal["block", "hold", "catch_all"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Screening(_Model):
    """Scores: from ``review_score`` a name is a possible hit; from ``certain_score`` an open hit is the party."""

    review_score: float = Field(gt=0, le=1)
    certain_score: float = Field(gt=0, le=1)

    @model_validator(mode="after")
    def _ordered(self) -> Screening:
        if self.certain_score < self.review_score:
            raise ValueError("certain_score must not be below review_score")
        return self


class Licences(_Model):
    """When a covering licence counts as nearly exhausted, and what that does to the line."""

    nearly_exhausted_share: float = Field(ge=0, lt=1)
    nearly_exhausted: Literal["hold", "note"]


class BasisRule(_Model):
    """A basis of the determination that blocks or holds the line whatever licence is held."""

    consequence: Literal["block", "hold"]
    label: str = Field(min_length=1)


class ListRule(_Model):
    """The consequence of a hit on ``list`` (optionally only entries whose programme contains ``program``)."""

    list: str = Field(min_length=1)
    program: str | None = Field(default=None, min_length=1)
    consequence: Consequence
    label: str = Field(min_length=1)
    why: str | None = None

    def applies(self, list_id: str, programs: tuple[str, ...]) -> bool:
        """Whether this rule governs an entry of ``list_id`` with these programmes."""
        return list_id == self.list and (self.program is None or any(self.program in p for p in programs))


class Policy(_Model):
    """The whole policy; ``digest`` identifies its content in every decision."""

    version: str = Field(min_length=1)
    screening: Screening
    licences: Licences
    bases: dict[str, BasisRule] = Field(default_factory=dict)
    lists: tuple[ListRule, ...]
    default_consequence: Consequence
    digest: str = ""

    def list_rule(self, list_id: str, programs: tuple[str, ...]) -> ListRule:
        """The rule for an entry of ``list_id``: the first that applies, else the default consequence."""
        for rule in self.lists:
            if rule.applies(list_id, programs):
                return rule
        return ListRule(list=list_id, consequence=self.default_consequence, label=list_id, why=None)


def read_policy(path: Path) -> Policy:
    """Read a policy file strictly; :class:`PackError` names the file and the key path of a problem."""
    label = path.name
    data = read_yaml(path, label)
    if not isinstance(data, dict):
        raise PackError(label, "", "a policy is a mapping with version, screening, licences, bases and lists")
    if "digest" in data:
        raise PackError(label, "digest", "unknown key")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    try:
        return Policy.model_validate({**data, "digest": f"{data.get('version')}-{digest}"})
    except ValidationError as exc:
        problem = first_problem(exc, noun="key")
        raise PackError(label, format_path(problem.loc), problem.message) from None


@cache
def default_policy() -> Policy:
    """The policy shipped with clearance (``clearance/orders/policy.yaml``)."""
    return read_policy(POLICY_FILE)
