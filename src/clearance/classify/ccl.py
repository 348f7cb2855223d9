"""The US Commerce Control List extract as documents: each ECCN's heading, item paragraphs and notes.

The extract interleaves notes with the List of Items Controlled, and notes reuse paragraph letters (1C350
has a note with its own a-e before the real 1C350.a). The item paragraphs of an ECCN are therefore taken
as the longest run of paragraphs in strictly increasing list order (a < a.1 < a.2 < b < b.1 …), preferring
later occurrences; every other text of the entry (notes, note sub-items) is kept as the entry's notes.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import orjson

_CAS = re.compile(r"C\.A\.S\.\s*#?\s*(\d{2,7}-\d{2}-\d)|CAS\s+(\d{2,7}-\d{2}-\d)")


@dataclass(frozen=True, slots=True)
class CclEntry:
    """One ECCN: heading, US reasons for control, item paragraphs in order, and the text of its notes."""

    eccn: str
    heading: str
    reasons: str | None
    paragraphs: tuple[tuple[str, str], ...]
    notes: str


@dataclass(frozen=True, slots=True)
class CclExtract:
    """The extract: entries by ECCN, its citation and the eCFR issue date."""

    entries: dict[str, CclEntry]
    citation: str
    issue: str
    url: str | None


def cas_numbers(text: str) -> list[str]:
    """CAS registry numbers written in a text (``C.A.S. #7664-39-3`` or ``CAS 25497-30-7``)."""
    return [a or b for a, b in _CAS.findall(text)]


def _key(path: str) -> tuple[tuple[int, int, str], ...]:
    return tuple((0, int(p), "") if p.isdigit() else (1, len(p), p) for p in path.split("."))


def item_run(items: list[tuple[str, str]]) -> list[int]:
    """Positions of the longest strictly increasing run of paragraph paths (later occurrences win ties)."""
    keys = [_key(p) for p, _ in items]
    tails: list[tuple[tuple[int, int, str], ...]] = []
    tail_at: list[int] = []
    back: list[int] = [-1] * len(items)
    for i, key in enumerate(keys):
        k = bisect_left(tails, key)
        if k == len(tails):
            tails.append(key)
            tail_at.append(i)
        else:
            tails[k] = key
            tail_at[k] = i
        back[i] = tail_at[k - 1] if k else -1
    run: list[int] = []
    i = tail_at[-1] if tail_at else -1
    while i >= 0:
        run.append(i)
        i = back[i]
    return run[::-1]


def _entry(raw: dict[str, Any]) -> CclEntry:
    records = raw.get("items") or []
    items = [(r["paragraph"], r["text"]) for r in records if r.get("kind") == "item" and r.get("paragraph")]
    kept = set(item_run(items))
    paragraphs: dict[str, str] = {}
    notes: list[str] = []
    for i, (path, text) in enumerate(items):
        if i in kept:
            paragraphs[path] = text
    seen = 0
    for r in records:
        if r.get("kind") == "item" and r.get("paragraph"):
            if seen not in kept:
                notes.append(f"{r['paragraph']}. {r['text']}")
            seen += 1
        elif r.get("text"):
            notes.append(r["text"])
    return CclEntry(
        raw["eccn"], raw["heading"], raw.get("reasonForControl"), tuple(paragraphs.items()), "\n".join(notes)
    )


@cache
def ccl_extract() -> CclExtract:
    """The bundled CCL extract (read once)."""
    raw = orjson.loads(resources.files("clearance.data.us_ccl").joinpath("ccl.json").read_bytes())
    entries = {e["eccn"]: _entry(e) for e in raw["entries"]}
    return CclExtract(entries, raw.get("citation", ""), raw.get("ecfrIssueDate", ""), raw.get("source", {}).get("url"))
