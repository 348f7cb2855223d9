"""A realistic mix of shipments for the benchmarks (bench/determine.py, bench/impact.py), seeded and reproducible.

What an ERP's order book looks like to the law: dates over the packs' whole span, destinations weighted like
Japan's exports (40+ countries, a few sanctioned), listed and unlisted items (with and without HS codes), values
spread over every threshold (and exactly on them), 85 % with a named end user drawn from a few thousand parties
(about 2 % of them names on the bundled restricted-party lists), some unknown end uses, a tenth under Korea's regime.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import orjson

from clearance.law import load_regulations
from clearance.law.regulations import Regulations
from clearance.screening.bundled import load_bundled

#: Japan's exports by destination, roughly (share in per mille, 2019-2024 trade statistics); the rest spread thin.
DESTINATIONS = {
    "CN": 190, "US": 190, "KR": 70, "TW": 70, "HK": 45, "TH": 40, "SG": 30, "DE": 28, "VN": 28, "AU": 22,
    "IN": 20, "MY": 20, "ID": 18, "PH": 16, "MX": 14, "NL": 14, "GB": 13, "CA": 10, "FR": 10, "AE": 8,
    "IT": 6, "BE": 6, "SA": 5, "BR": 6, "TR": 4, "RU": 8, "CH": 4, "ES": 4, "PL": 3, "SE": 3, "NZ": 3,
    "CZ": 2, "HU": 2, "IL": 2, "ZA": 2, "EG": 1, "PK": 2, "BD": 2, "CL": 2, "AR": 1, "IR": 1, "BY": 1,
    "KP": 1, "SY": 1, "IQ": 1, "LK": 1, "KZ": 2, "UA": 2, "NG": 1, "KE": 1,
}  # fmt: skip
ITEMS: list[tuple[int, dict[str, Any]]] = [  # (weight, item)
    (6, {"control_code": "1C350", "cas": "7664-39-3", "kind": "goods"}),  # hydrogen fluoride, row 3
    (4, {"control_code": "1C009.b", "kind": "goods"}),  # fluorinated polyimide, row 5
    (4, {"control_code": "3C002.a.2", "kind": "goods"}),  # resists, row 7
    (2, {"control_code": "3C002.a.2", "kind": "technology"}),
    (3, {"control_code": "2B350", "kind": "goods"}),
    (2, {"control_code": "6A003", "kind": "goods"}),
    (2, {"control_code": "3A001", "kind": "goods"}),
    (2, {"control_code": "2B001", "kind": "goods"}),
    (15, {"control_code": None, "hs_code": "8479.89", "kind": "goods"}),  # catch-all row 16
    (15, {"control_code": None, "hs_code": "8471.50", "kind": "goods"}),
    (10, {"control_code": None, "hs_code": "8458.11", "kind": "goods"}),
    (10, {"control_code": None, "hs_code": "3920.10", "kind": "goods"}),
    (10, {"control_code": None, "hs_code": "0302.11", "kind": "goods"}),  # outside catch-all
    (8, {"control_code": None, "hs_code": "8703.23", "kind": "goods"}),
    (5, {"control_code": None, "kind": "goods"}),  # unlisted, no HS code: catch-all undecided
]
END_USES = {"civil": 80, "unknown": 12, "wmd": 1, "conventional_weapons": 2}
PARTY_LISTS = ("jp-meti-eul", "jp-meti-export-ban-russia", "jp-meti-export-ban-belarus")
_WORDS = ["Pacific", "Northern", "Golden", "Union", "Star", "Ocean", "Bright", "Delta", "Summit", "Prime", "Allied",
          "Crown", "Eagle", "Orient", "Royal", "Phoenix", "Silver", "Harbor", "Sunrise", "Metro", "Global", "Precision",
          "Quantum", "Vertex", "Nova", "Apex", "Horizon", "Evergreen", "Lotus", "Atlas", "Zenith"]  # fmt: skip
_TRADES = ["Trading", "Electronics", "Materials", "Industries", "Semiconductor", "Chemical", "Machinery", "Logistics",
           "Systems", "Devices"]  # fmt: skip
_FORMS = ("Co., Ltd.", "Ltd", "Inc.", "GmbH", "LLC", "Pte. Ltd.", "S.A.", "JSC", "Corporation", "Limited")


def parties(count: int, rng: random.Random) -> list[dict[str, Any]]:
    """``count`` named parties with their countries, about 2 % of them names on the bundled lists."""
    listed = [
        (p.caption, (p.countries or ("",))[0].upper() or None) for i in PARTY_LISTS for p in load_bundled(i).parties
    ]
    countries = list(DESTINATIONS)
    found: dict[str, str | None] = {}
    while len(found) < count:
        if rng.random() < 0.02:
            name, country = rng.choice(listed)
        else:
            name = f"{rng.choice(_WORDS)} {rng.choice(_WORDS)} {rng.choice(_TRADES)} {rng.choice(_FORMS)}"
            country = rng.choice(countries)
        found.setdefault(name, country if country and len(country) == 2 else None)
    return [{"name": n, "country": c} if c else {"name": n} for n, c in found.items()]


def values_around(limits: list[Decimal], rng: random.Random) -> Iterator[Decimal]:
    """Values around every threshold (on it, a yen either side, well below and above) and spread log-uniformly."""
    while True:
        if limits and rng.random() < 0.3:
            limit = rng.choice(limits)
            yield (
                limit + rng.choice((-1, 0, 1))
                if rng.random() < 0.3
                else limit * Decimal(rng.uniform(0.2, 5)).quantize(1)
            )
        else:
            yield Decimal(round(10 ** rng.uniform(3.5, 8.5)))


def thresholds(pack: Regulations) -> list[Decimal]:
    """Every value threshold of ``pack``'s conditions (``value_at_most``), in order."""
    return sorted({n.arg[0] for c in pack.conditions() for n in c.walk() if n.name == "value_at_most"})


def shipments(count: int, seed: int = 2019) -> Iterator[dict[str, Any]]:
    """``count`` shipments as plain data (JSON-ready), seeded."""
    rng = random.Random(seed)
    regs = load_regulations()
    limits = {r: thresholds(regs[r]) for r in regs}
    spans = {r: (regs[r].meta.coverage_from, dt.date(2026, 11, 30)) for r in regs}
    values = {r: values_around(limits[r], rng) for r in regs}
    names = parties(3_000, rng)
    dests, dest_weights = list(DESTINATIONS), list(DESTINATIONS.values())
    items, item_weights = [i for _, i in ITEMS], [w for w, _ in ITEMS]
    uses, use_weights = list(END_USES), list(END_USES.values())
    for i in range(count):
        regime = "kr" if rng.random() < 0.1 else "jp"
        home = regs[regime].meta.country
        destination = rng.choices(dests, dest_weights)[0]
        while destination == home:
            destination = rng.choices(dests, dest_weights)[0]
        start, end = spans[regime]
        item = {**rng.choices(items, item_weights)[0], "value": str(next(values[regime]))}
        item["currency"] = "JPY" if regime == "jp" else "USD"
        shipment: dict[str, Any] = {
            "ref": f"SO-{i:09d}",
            "regime": regime,
            "date": (start + dt.timedelta(days=rng.randrange((end - start).days))).isoformat(),
            "destination": destination,
            "item": item,
            "end_use": rng.choices(uses, use_weights)[0],
            "informed": rng.random() < 0.01,
        }
        if rng.random() < 0.85:
            shipment["end_user"] = rng.choice(names)
        yield shipment


def lines(count: int, seed: int = 2019) -> Iterator[bytes]:
    """:func:`shipments` as JSON Lines (without newlines)."""
    for shipment in shipments(count, seed):
        yield orjson.dumps(shipment)
