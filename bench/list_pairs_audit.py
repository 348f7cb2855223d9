"""Recall of the learned weights and of clearance-name-v1 on the hand-audited test-split positives
(``bench/data/list_pairs_audit.yml``), by script pair and by what the two names are (two readings of one name, an
acronym, a translation, another name). Run from the repository root::

    PYTHONPATH=src .venv/bin/python bench/list_pairs_audit.py
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml

from clearance.screening.learned import learned_model
from clearance.screening.matcher import DEFAULT_THRESHOLD
from clearance.screening.model import Party
from clearance.screening.training import features, v1_score

AUDIT = Path(__file__).resolve().parent / "data" / "list_pairs_audit.yml"
KINDS = ("reading", "acronym", "translation", "other_name")


def main() -> None:
    model = learned_model()
    pairs = yaml.safe_load(AUDIT.read_text(encoding="utf-8"))["pairs"]
    counts: Counter[tuple[str, str, str]] = Counter()
    for pair in pairs:
        schema = pair["schema"]
        party = Party.build("audit", "1", schema, [pair["name2"]])
        key = (pair["script_pair"], pair["kind"])
        counts[(*key, "pairs")] += 1
        counts[(*key, "learned")] += model.probability(features(pair["name1"], schema, party)) >= model.threshold
        counts[(*key, "v1")] += v1_score(pair["name1"], schema, party) >= DEFAULT_THRESHOLD
    print("Positives found (learned weights / clearance-name-v1, of the audited pairs):", end="\n\n")
    print("| script pair | " + " | ".join(KINDS) + " |")
    print("|---|" + "---|" * len(KINDS))
    for script_pair in sorted({p["script_pair"] for p in pairs}):
        cells = []
        for kind in KINDS:
            n = counts[(script_pair, kind, "pairs")]
            found = (counts[(script_pair, kind, "learned")], counts[(script_pair, kind, "v1")])
            cells.append(f"{found[0]} / {found[1]} of {n}" if n else "–")
        print(f"| {script_pair} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
