"""Score the nomenklatura name-matching pairs with nomenklatura's own matcher (a helper of bench/screening.py).

Runs in an interpreter where ``nomenklatura`` is installed (it is not a clearance dependency), e.g.::

    python3 -m venv /tmp/nkvenv && /tmp/nkvenv/bin/pip install nomenklatura
    /tmp/nkvenv/bin/python bench/nomenklatura_pairs.py ../shared/data/name-matching-eval/nomenklatura/cases.csv

Prints one JSON line per pair: {"row": n, "score": s} (LogicV2 with its default configuration).
"""

from __future__ import annotations

import csv
import json
import sys

from followthemoney import model
from nomenklatura.matching import get_algorithm
from nomenklatura.matching.types import ScoringConfig


def main(path: str, algorithm: str = "logic-v2") -> None:
    matcher = get_algorithm(algorithm)
    if matcher is None:
        raise SystemExit(f"no nomenklatura matcher {algorithm!r}")
    config = ScoringConfig.defaults()
    with open(path, encoding="utf-8") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=1):
            left = model.make_entity(row["schema"])
            left.id = f"l{number}"
            left.add("name", row["name1"])
            right = model.make_entity(row["schema"])
            right.id = f"r{number}"
            right.add("name", row["name2"])
            result = matcher.compare(left, right, config)
            print(json.dumps({"row": number, "score": float(result.score)}))


if __name__ == "__main__":
    main(*sys.argv[1:])
