"""Score the nomenklatura name-matching pairs with nomenklatura's own matcher (a helper of bench/screening.py).

Runs in an interpreter where ``nomenklatura`` is installed (it is not a clearance dependency), e.g.::

    python3 -m venv /tmp/nkvenv && /tmp/nkvenv/bin/pip install nomenklatura
    /tmp/nkvenv/bin/python bench/nomenklatura_pairs.py ../shared/data/name-matching-eval/nomenklatura/cases.csv

Prints one JSON line per pair: {"row": n, "score": s} (LogicV2 with its default configuration). The pairs are
nomenklatura's CSV (``name1``, ``name2``, ``schema``) or JSON Lines of ``{"schema": …, "name1": [names],
"name2": [names]}`` (bench/screening.py writes the test split of the list pairs so).
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from typing import Any

from followthemoney import model
from nomenklatura.matching import get_algorithm
from nomenklatura.matching.types import ScoringConfig


def main(path: str, algorithm: str = "logic-v2") -> None:
    matcher = get_algorithm(algorithm)
    if matcher is None:
        raise SystemExit(f"no nomenklatura matcher {algorithm!r}")
    config = ScoringConfig.defaults()
    for number, row in enumerate(pairs(path), start=1):
        left = model.make_entity(row["schema"])
        left.id = f"l{number}"
        left.add("name", row["name1"])
        right = model.make_entity(row["schema"])
        right.id = f"r{number}"
        right.add("name", row["name2"])
        result = matcher.compare(left, right, config)
        print(json.dumps({"row": number, "score": float(result.score)}))


def pairs(path: str) -> Iterator[dict[str, Any]]:
    """The rows of a CSV or JSON Lines file of pairs."""
    with open(path, encoding="utf-8") as handle:
        if path.endswith(".jsonl"):
            yield from (json.loads(line) for line in handle if line.strip())
        else:
            yield from csv.DictReader(handle)


if __name__ == "__main__":
    main(*sys.argv[1:])
