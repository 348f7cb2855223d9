"""No citation points to a forum, an aggregator or a private site: every source's URL is on an allow-list of
official and press hosts (tests/fixtures/source_hosts.yaml), and a press host's sources are classed press."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from clearance.classify.numbering import load_numbering
from clearance.classify.terms import load_terms

HOSTS = yaml.safe_load((Path(__file__).parent / "fixtures" / "source_hosts.yaml").read_text(encoding="utf-8"))
#: host -> the classes a source on it may have.
ALLOWED = {
    **{host: {"primary", "official", "press", "secondary"} for host in HOSTS["official"]},
    **{host: {"press"} for host in HOSTS["press"]},
}


def _cited(regulations: Any) -> list[tuple[str, str | None, str]]:
    """(where, url, class) of every source of the packs and the classification data files."""
    found = [
        (f"{regime}.{sid}", source.url, source.source_class)
        for regime, regs in regulations.items()
        for sid, source in regs.sources.items()
    ]
    for name, data in (("terms", load_terms()), ("numbering", load_numbering())):
        found += [(f"{name}.{sid}", s.url, s.source_class) for sid, s in data.sources.items()]
    return found


def test_every_cited_url_is_on_an_official_or_press_host_of_a_fitting_class(regulations: Any) -> None:
    for where, url, source_class in _cited(regulations):
        if url is None:
            continue
        host = urlsplit(url).hostname or ""
        assert host in ALLOWED, f"{where}: {host} is not an official or press host (tests/fixtures/source_hosts.yaml)"
        assert source_class in ALLOWED[host], f"{where}: class {source_class} does not fit {host}"
