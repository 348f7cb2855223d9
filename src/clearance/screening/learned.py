"""Learned feature weights: a logistic regression over the named features, fitted by
``scripts/train_screening_weights.py`` on name pairs the lists themselves provide (aliases of one entry are
positives, similar names of other entries hard negatives), and kept in ``data/learned_weights.json``.

The model's score decomposes: its log-odds are the intercept plus ``weight × value`` of each feature, so every
result keeps its per-feature contributions. The threshold was chosen on the validation split, never on the pairs
the figures are reported on.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from clearance.screening.resources import DATA

WEIGHTS_FILE = DATA / "learned_weights.json"


@dataclass(frozen=True, slots=True)
class LearnedModel:
    """Logistic regression over named features: ``P(match) = σ(intercept + Σ weight × value)``."""

    features: tuple[str, ...]
    weights: tuple[float, ...]
    intercept: float
    threshold: float

    def logit(self, values: Sequence[float]) -> float:
        """The log-odds of a match for the feature values (in :attr:`features` order)."""
        return self.intercept + sum(w * v for w, v in zip(self.weights, values, strict=True))

    def probability(self, values: Sequence[float]) -> float:
        """The probability of a match."""
        z = self.logit(values)
        return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))

    def contributions(self, values: Sequence[float]) -> dict[str, float]:
        """Each feature's part of the log-odds (``weight × value``)."""
        return {f: w * v for f, w, v in zip(self.features, self.weights, values, strict=True)}

    def to_dict(self) -> dict[str, Any]:
        """Plain data (weights rounded to 6 decimals, so the file is the same on every machine)."""
        return {
            "features": list(self.features),
            "weights": {f: round(w, 6) for f, w in zip(self.features, self.weights, strict=True)},
            "intercept": round(self.intercept, 6),
            "threshold": round(self.threshold, 4),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LearnedModel:
        """The inverse of :meth:`to_dict`."""
        features = tuple(str(f) for f in data["features"])
        weights = data["weights"]
        return cls(
            features, tuple(float(weights[f]) for f in features), float(data["intercept"]), float(data["threshold"])
        )


@cache
def learned_model(path: Path = WEIGHTS_FILE) -> LearnedModel:
    """The shipped model (``data/learned_weights.json``)."""
    return LearnedModel.from_dict(json.loads(path.read_text(encoding="utf-8"))["model"])
