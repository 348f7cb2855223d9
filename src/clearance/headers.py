"""Table headers and cell values in English, Japanese and Korean: which of a table's columns a header names, where
the header row is (below title rows), which rows are totals, and which value a cell's word stands for (はい → true,
軍事 → conventional_weapons). The words are data: ``data/headers.yaml`` and ``data/values.yaml``."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files

import yaml

_NOISE = re.compile(r"[\s_\-・.()（）\[\]【】:：]+")
#: How far down a sheet the header row is looked for.
HEADER_SEARCH_ROWS = 30


def header_key(text: str) -> str:
    """A header or cell as it is compared: NFKC (全角 → 半角), case-folded, without spaces, underscores, hyphens,
    dots, brackets and colons."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", text).casefold())


@cache
def _data() -> tuple[dict[str, tuple[str, ...]], frozenset[str]]:
    data = yaml.safe_load(files("clearance.data").joinpath("headers.yaml").read_text(encoding="utf-8"))
    synonyms: dict[str, list[str]] = {}
    for column, aliases in data["columns"].items():
        for alias in [column, *aliases]:
            synonyms.setdefault(header_key(str(alias)), []).append(str(column))
    return {k: tuple(v) for k, v in synonyms.items()}, frozenset(header_key(str(w)) for w in data["totals"])


@cache
def _values() -> dict[str, dict[str, str]]:
    data = yaml.safe_load(files("clearance.data").joinpath("values.yaml").read_text(encoding="utf-8"))
    return {
        str(kind): {header_key(str(word)): str(value) for value, words in values.items() for word in [value, *words]}
        for kind, values in data.items()
    }


def cell_value(kind: str, value: object) -> object:
    """The value a cell's word stands for among the values of ``kind`` (``boolean``: ``はい`` → ``"true"``;
    ``end_use``: ``軍事`` → ``"conventional_weapons"``); anything else unchanged, for the column's own check."""
    if not isinstance(value, str):
        return value
    return _values()[kind].get(header_key(value), value)


def column_for(header: str, columns: Collection[str]) -> str | None:
    """The column among ``columns`` that ``header`` names (``顧客コード`` → ``customer_id``), if any (kept for the
    last :data:`COLUMN_CACHE` headers and columns asked: a JSON Lines file asks it for each key of each row)."""
    return _column_for(header, tuple(columns))


#: How many (header, columns) pairs :func:`column_for` keeps its answer for.
COLUMN_CACHE = 4096


@lru_cache(maxsize=COLUMN_CACHE)
def _column_for(header: str, columns: tuple[str, ...]) -> str | None:
    key = header_key(header)
    if key in {header_key(c) for c in columns}:
        return next(c for c in columns if header_key(c) == key)
    return next((c for c in _data()[0].get(key, ()) if c in columns), None)


def is_totals_row(cells: Sequence[str]) -> bool:
    """Whether a row is a totals row: one of its cells holds nothing but a totals word (合計, 합계, Total …)."""
    words = _data()[1]
    return any(header_key(c) in words for c in cells if c)


@dataclass(frozen=True, slots=True)
class Header:
    """The header row found: its index among the rows read (0 for the first) and each cell's column (the
    table's column it names, or the header as written when it names none)."""

    index: int
    names: tuple[str, ...]
    unknown: tuple[str, ...]


def find_header(rows: Sequence[Sequence[str]], columns: Collection[str]) -> Header | None:
    """The header among the first rows: the first that names the most of ``columns`` (any first non-blank row when
    ``columns`` is empty or none names any); ``None`` when every row is blank."""
    best: tuple[int, int] | None = None
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if not any(c.strip() for c in cells):
            continue
        named = len({column_for(c, columns) for c in cells if c.strip()} - {None}) if columns else 0
        if best is None or named > best[1]:
            best = (index, named)
    if best is None:
        return None
    cells = rows[best[0]]
    names = [(column_for(c, columns) if columns else None) or c.strip() for c in cells]
    while names and not names[-1]:
        names.pop()
    unknown = tuple(n for n in names if n and columns and n not in columns)
    return Header(best[0], tuple(names), unknown)
