"""Strict reading of the classification data files (YAML, unknown keys rejected, errors name file and key)."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from clearance.errors import PackError
from clearance.law.schema import SourceClass
from clearance.law.yamlio import format_path, read_yaml
from clearance.problems import first_problem

M = TypeVar("M", bound=BaseModel)

#: Where the bundled data files live.
DATA = Path(str(resources.files("clearance.classify").joinpath("data")))


class Strict(BaseModel):
    """Base of the data-file models: unknown keys are errors and loaded values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class DataSource(Strict):
    """A citable source of a data file."""

    title: str
    kind: Literal["statute", "cabinet_order", "ordinance", "notice", "official_release", "secondary", "press"]
    source_class: SourceClass = Field(alias="class")
    provision: str | None = None
    url: str | None = None
    date: dt.date | None = None
    note: str | None = None


def validate(model: type[M], raw: Any, file: str) -> M:
    """``raw`` as ``model``; the first problem becomes a :class:`PackError` naming the file and key path."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problem = first_problem(exc, noun="key")
        raise PackError(file, format_path(problem.loc), problem.message) from exc


def read(path: Path, model: type[M]) -> M:
    """Read and validate one data file."""
    label = f"classify/data/{path.name}" if path.parent == DATA else str(path)
    return validate(model, read_yaml(path, label), label)


def check_sources(used: list[str], known: dict[str, DataSource], file: str, path: str) -> None:
    """Every cited source id must be defined in the file's ``sources``."""
    if not used:
        raise PackError(file, f"{path}.sources", "at least one source is required")
    for i, sid in enumerate(used):
        if sid not in known:
            raise PackError(file, f"{path}.sources[{i}]", f"unknown source id {sid!r} (not in sources)")
