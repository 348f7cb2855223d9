"""What pack format 2 asks of a pack beyond the models in ``law.schema``, checked while loading.

Format 2 (``format: 2`` in ``pack.yaml``) has one idiom for each thing a lawyer says:

- an exception is a labelled, cited entry of a value's ``exceptions`` list (requirements, exemptions and
  measures alike), never an unlabelled ``not:``, an ``unless:`` or a measure that ``overrides`` another;
- the provisions an object is cited to are dated ``references``, apart from its dated ``values``, so a
  renumbered article is not an amendment;
- a list of rows used more than once is a named row set (``control_list/row_sets.yaml``), written
  ``{item_in_rows: <set id>}``;
- a repeal is ``{repealed: true, sources: [...], verified: ...}`` (never ``null``);
- every dated value and exception says ``verified`` (never defaulted).

A pack without ``format: 2`` (format 1) is rejected, naming the file; nothing is converted on the fly
(``scripts/pack_v2.py`` converts a pack's files explicitly, for review). The keys of format 1 are rejected
with the format-2 idiom that replaces them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from clearance.errors import PackError
from clearance.law import schema as s
from clearance.law.timeline import Version

#: Keys of format 1 that format 2 writes another way, and how.
_FORMAT_1_ONLY = {
    "unless": "write each exclusion as a labelled, cited entry of `exceptions`",
    "restores": "write the exception as an entry of the measure's `exceptions` with `overrides`",
}


def check_declared(version: int | None, file: str, folder: Path) -> None:
    """Reject a pack that does not declare ``format: 2`` (nothing is read as format 1, nothing converted)."""
    if version != 2:
        raise PackError(
            file,
            "format",
            "the pack does not declare `format: 2` and format 1 is no longer read: convert it with"
            f" `python scripts/pack_v2.py {folder}` (review the diff), or declare `format: 2` if it is format 2",
        )


def row_sets(raw: Any, file: str) -> dict[str, s.RowSet]:
    """The named row sets of ``control_list/row_sets.yaml``."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise PackError(file, "", "expected a mapping of row-set ids to {label, rows}")
    found = {}
    for key, value in raw.items():
        try:
            found[str(key)] = s.RowSet.model_validate(value)
        except ValueError as exc:
            raise PackError(file, str(key), f"expected {{label, rows: [row ids]}} ({exc.__class__.__name__})") from exc
    return found


def expand_row_sets(raw: Any, sets: Mapping[str, s.RowSet], file: str, path: str = "") -> Any:
    """``raw`` with every ``{item_in_rows: <set id>}`` replaced by the set's rows; an unknown set is an error."""
    if isinstance(raw, list):
        return [expand_row_sets(item, sets, file, f"{path}[{i}]") for i, item in enumerate(raw)]
    if not isinstance(raw, dict):
        return raw
    out = {}
    for key, value in raw.items():
        where = f"{path}.{key}" if path else str(key)
        if key == "item_in_rows" and isinstance(value, str):
            if value not in sets:
                raise PackError(file, where, f"unknown row set {value!r} (not in control_list/row_sets.yaml)")
            out[key] = list(sets[value].rows)
        else:
            out[key] = expand_row_sets(value, sets, file, where)
    return out


def check_keys(raw: Any, file: str, path: str) -> None:
    """Reject the keys of format 1 in an object or one of its dated values, naming what replaces them."""
    if not isinstance(raw, dict):
        return
    for key in raw:
        if key in _FORMAT_1_ONLY:
            raise PackError(file, f"{path}.{key}", f"`{key}` is format 1: {_FORMAT_1_ONLY[key]}")
        if key == "overrides":
            raise PackError(file, f"{path}.overrides", "format 2 writes an exception inside the measure it overrides")


def check_value(raw: Any, file: str, path: str) -> None:
    """A dated value is a mapping without format-1 keys (``verified`` is required by ``law.schema``); a repeal
    cites its sources, never ``null``."""
    if raw is None:
        raise PackError(file, path, "a repeal is written {repealed: true, sources: [...], verified: ...}, not null")
    check_keys(raw, file, path)


_NONE = s.References.model_construct(sources=[], verified=False)


def with_references(
    versions: list[Version[Any]],
    references: Mapping[str, s.References],
    parse_date: Callable[[str, str], dt.date],
    path: str,
) -> list[Version[Any]]:
    """The versions of an object with its dated references laid over them: each version carries the references
    in force when it starts, and a change of references alone starts a version with the same value and
    ``effective`` date (``cited_from`` the day the references changed)."""
    if not references:
        return versions
    dated = sorted((parse_date(str(k), f"{path}.references.{k}"), v) for k, v in references.items())

    def cited_on(day: dt.date) -> s.References:
        return next((refs for start, refs in reversed(dated) if start <= day), _NONE)

    out: list[Version[Any]] = []
    ordered = sorted(versions, key=lambda v: v.effective)
    for i, version in enumerate(ordered):
        then = cited_on(version.effective)
        value, repeal = version.value, version.repeal
        out.append(
            Version(version.object_id, version.effective, value, repeal, tuple(then.sources), None, then.verified)
        )
        ends = ordered[i + 1].effective if i + 1 < len(ordered) else dt.date.max
        for start, refs in dated:
            if version.effective < start < ends and value is not None:
                out.append(
                    Version(
                        version.object_id, version.effective, value, None, tuple(refs.sources), start, refs.verified
                    )
                )
    return out
