"""Screening results kept as expectations: 3,500 queries (a customer master's names, as bench/mix.py draws them, and
list names as written and misspelt, in every script the lists use) against the bundled End User List and export
bans, every candidate down to the cutoff 0.5 with its exact score, breakdown and explanation. Speed-ups of blocking
and scoring must give these to the bit.

Regenerate (only when results are meant to change) with
``PYTHONPATH=src python tests/screening/test_screening_expected.py``.
"""

from __future__ import annotations

import datetime as dt
import gzip
import random
from pathlib import Path
from typing import Any

import orjson

from clearance.screening.hook import _bundled_index
from clearance.screening.matcher import Candidate, Query, ScreenConfig, screen

EXPECTED = Path(__file__).parent / "data" / "expected_results.json.gz"
LISTS = ("jp-meti-eul", "jp-meti-export-ban-belarus", "jp-meti-export-ban-russia")
CONFIG = ScreenConfig(cutoff=0.5, on=dt.date(2026, 12, 1))
_WORDS = ("Pacific", "Northern", "Golden", "Union", "Star", "Ocean", "Bright", "Delta", "Summit", "Prime", "Allied")
_TRADES = ("Trading", "Electronics", "Materials", "Industries", "Semiconductor", "Chemical", "Machinery", "Logistics")
_FORMS = ("Co., Ltd.", "Ltd", "Inc.", "GmbH", "LLC", "Pte. Ltd.", "S.A.", "JSC", "Corporation", "Limited")
_COUNTRIES = ("CN", "RU", "IR", "KP", "US", "DE", "SG", "HK", "AE", "TR", None)


def queries() -> list[tuple[str, str | None, tuple[str, ...]]]:
    """The queries: (name, country, lists)."""
    rng = random.Random(13)
    index = _bundled_index(frozenset(LISTS))
    found: dict[str, str | None] = {}
    while len(found) < 1_500:
        name = f"{rng.choice(_WORDS)} {rng.choice(_WORDS)} {rng.choice(_TRADES)} {rng.choice(_FORMS)}"
        found.setdefault(name, rng.choice(_COUNTRIES))
    for party in rng.sample(index.parties, 700):
        name = rng.choice(party.all_names)
        country = (party.countries or ("",))[0].upper() or None
        cut = rng.randrange(len(name))
        for variant in (name, name[:cut] + name[cut + 1 :], " ".join(reversed(name.split())), name.lower()):
            found.setdefault(variant, country if rng.random() < 0.7 else rng.choice(_COUNTRIES))
    names = sorted(found)[:3_000]
    return [(n, found[n], LISTS) for n in names] + [(n, found[n], LISTS[1:]) for n in rng.sample(names, 500)]


def _plain(candidate: Candidate) -> list[Any]:
    return [
        candidate.party.id,
        candidate.score,
        candidate.match,
        candidate.query_name,
        candidate.matched_name,
        candidate.explanation,
        [[f.name, f.value, f.contribution] for f in candidate.features],
        candidate.read_as,
        candidate.expired_on,
    ]


def results(found: list[tuple[str, str | None, tuple[str, ...]]]) -> list[list[Any]]:
    """Each query with its candidates as plain data."""
    return [
        [
            name,
            country,
            list(lists),
            [_plain(c) for c in screen(_bundled_index(frozenset(lists)), Query.of(name, country), CONFIG)],
        ]
        for name, country, lists in found
    ]


def test_screening_gives_the_expected_results() -> None:
    expected = orjson.loads(gzip.decompress(EXPECTED.read_bytes()))
    assert len(expected) == 3_500 and sum(bool(r[3]) for r in expected) > 1_000
    got = orjson.loads(orjson.dumps(results([(n, c, tuple(lists)) for n, c, lists, _ in expected])))
    assert [r for r, e in zip(got, expected, strict=True) if r != e] == []


if __name__ == "__main__":
    EXPECTED.parent.mkdir(exist_ok=True)
    EXPECTED.write_bytes(gzip.compress(orjson.dumps(results(queries())), mtime=0))
