"""Where lists are fetched from for ``clearance lists refresh``: a sources file naming each list's URL(s) or
file, and fetching a source into a folder so that the importers read it as they read any file.

A sources file (YAML)::

    sources:
      - url: https://example.org/consolidated.json          # the format is told from the content
      - url: [https://example.org/SDN.CSV, https://example.org/ALT.CSV, https://example.org/ADD.CSV]
      - path: /srv/lists/dpl.txt
        format: dpl                                            # optional: one of the importers' formats
        date: 2026-07-31                                       # optional: the list's date when the file has none

Several URLs of one source (OFAC's CSV files) are fetched into one folder, read as one list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

from clearance.errors import ListFormatError
from clearance.law.yamlio import read_yaml

if TYPE_CHECKING:  # httpx loads only to fetch (every command imports this module through the CLI)
    import httpx

TIMEOUT = 120.0


@dataclass(frozen=True, slots=True)
class ListSource:
    """One list to refresh: its URLs (or one file path), and optionally its format and date."""

    locations: tuple[str, ...]
    format: str | None = None
    list_date: dt.date | None = None

    @property
    def remote(self) -> bool:
        """The source is fetched over HTTP(S)."""
        return urlparse(self.locations[0]).scheme in ("http", "https")

    @property
    def label(self) -> str:
        """How reports name the source."""
        return " + ".join(self.locations)


def source_of(location: str, fmt: str | None = None, list_date: dt.date | None = None) -> ListSource:
    """A source from one URL or path."""
    return ListSource((location,), fmt or None, list_date)


def _entry(raw: Any, where: str) -> ListSource:
    if not isinstance(raw, dict):
        raise ListFormatError(where, None, "each source is a mapping with 'url' or 'path'")
    unknown = set(raw) - {"url", "path", "format", "date"}
    if unknown:
        raise ListFormatError(where, None, f"unknown key(s) {', '.join(sorted(unknown))}")
    if ("url" in raw) == ("path" in raw):
        raise ListFormatError(where, None, "give 'url' (one or a list) or 'path', not both")
    value = raw.get("url", raw.get("path"))
    locations = tuple(str(v) for v in (value if isinstance(value, list) else [value]))
    if not locations or not all(locations):
        raise ListFormatError(where, None, "an empty 'url' or 'path'")
    if "url" in raw and not all(urlparse(u).scheme in ("http", "https") for u in locations):
        raise ListFormatError(where, None, "'url' must be http:// or https:// (use 'path' for a file)")
    when = raw.get("date")
    if when is not None and not isinstance(when, dt.date):
        try:
            when = dt.date.fromisoformat(str(when))
        except ValueError:
            raise ListFormatError(where, None, f"date: {when!r} is not a date (YYYY-MM-DD)") from None
    return ListSource(locations, str(raw["format"]) if raw.get("format") else None, when)


def read_sources(path: Path) -> list[ListSource]:
    """The sources of a sources file; a :class:`ListFormatError` names the file and the source at fault."""
    data = read_yaml(path)
    sources = data.get("sources") if isinstance(data, dict) else None
    if not isinstance(sources, list) or not sources:
        raise ListFormatError(str(path), None, "expected 'sources:' with a list of sources")
    return [_entry(raw, f"{path}: sources[{number}]") for number, raw in enumerate(sources)]


def _file_name(url: str, taken: Sequence[str]) -> str:
    name = Path(unquote(urlparse(url).path)).name or "download"
    return name if name not in taken else f"{len(taken)}-{name}"


def fetch(source: ListSource, folder: Path, client: httpx.Client) -> Path:
    """The file (or, for several URLs, the folder) to import: a path as given, URLs downloaded into ``folder``."""
    import httpx

    if not source.remote:
        return Path(source.locations[0])
    folder.mkdir(parents=True, exist_ok=True)
    names: list[str] = []
    for url in source.locations:
        try:
            response = client.get(url)
        except httpx.HTTPError as exc:
            raise ListFormatError(url, None, f"cannot fetch: {exc}") from exc
        if response.status_code != 200:
            raise ListFormatError(url, None, f"cannot fetch: HTTP {response.status_code}")
        names.append(_file_name(url, names))
        (folder / names[-1]).write_bytes(response.content)
    return folder if len(names) > 1 else folder / names[0]


def http_client() -> httpx.Client:
    """The client sources are fetched with (redirects followed, a generous timeout)."""
    import httpx

    return httpx.Client(follow_redirects=True, timeout=TIMEOUT, headers={"User-Agent": "clearance list refresh"})
