"""docs/screening.md cannot drift from the code: every feature is in its table with its weight."""

from __future__ import annotations

from clearance.screening.features import FEATURES
from support import ROOT


def test_every_feature_is_documented_with_its_weight() -> None:
    text = (ROOT / "docs" / "screening.md").read_text(encoding="utf-8")
    for feature in FEATURES:
        row = f"| `{feature.name}` | {feature.kind} | {feature.weight:+g} |"
        assert row in text, f"docs/screening.md lacks the row {row!r}"
