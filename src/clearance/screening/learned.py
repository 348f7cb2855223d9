"""Learned feature weights: an additive logistic model over the named features and the evidence features
(:mod:`clearance.screening.evidence`), fitted by ``scripts/train_screening_weights.py`` on name pairs the lists
themselves provide (aliases of one entry are positives, similar names of other entries hard negatives), and kept in
``data/learned_weights.json``.

The model's score decomposes: its log-odds are the intercept plus one contribution per feature (the weight of the
bin the feature's value falls in), so every result keeps its per-feature contributions. The threshold was chosen
on the validation split, never on the pairs the figures are reported on.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from clearance.screening.resources import DATA

WEIGHTS_FILE = DATA / "learned_weights.json"


@dataclass(frozen=True, slots=True)
class LearnedModel:
    """An additive model over named features (a generalised additive model with a step function per feature):
    ``P(match) = σ(intercept + Σ contribution)``, where a feature's contribution is the sum of the steps of the
    :attr:`edges` its value reaches (below the lowest edge it contributes 0). A binary feature has one edge (0.5)
    and one step; a graded one a step per edge, so the model learns its shape (how much 0.85 is worth against
    0.95). Steps are fitted with the sign of the feature's evidence, so each shape is monotone."""

    features: tuple[str, ...]
    edges: tuple[tuple[float, ...], ...]
    weights: tuple[tuple[float, ...], ...]
    intercept: float
    threshold: float

    def contributions(self, values: Sequence[float]) -> dict[str, float]:
        """Each feature's part of the log-odds: the sum of the steps of the edges its value reaches."""
        return {
            name: sum(weights[: bisect_right(edges, value)])
            for name, edges, weights, value in zip(self.features, self.edges, self.weights, values, strict=True)
        }

    def logit(self, values: Sequence[float]) -> float:
        """The log-odds of a match for the feature values (in :attr:`features` order)."""
        return self.intercept + sum(self.contributions(values).values())

    def probability(self, values: Sequence[float]) -> float:
        """The probability of a match."""
        z = self.logit(values)
        return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))

    def to_dict(self) -> dict[str, Any]:
        """Plain data (weights rounded to 6 decimals, so the file is the same on every machine)."""
        return {
            "features": list(self.features),
            "edges": {f: list(e) for f, e in zip(self.features, self.edges, strict=True)},
            "weights": {f: [round(w, 6) for w in ws] for f, ws in zip(self.features, self.weights, strict=True)},
            "intercept": round(self.intercept, 6),
            "threshold": round(self.threshold, 4),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LearnedModel:
        """The inverse of :meth:`to_dict`."""
        features = tuple(str(f) for f in data["features"])
        return cls(
            features,
            tuple(tuple(float(e) for e in data["edges"][f]) for f in features),
            tuple(tuple(float(w) for w in data["weights"][f]) for f in features),
            float(data["intercept"]),
            float(data["threshold"]),
        )


def encode(edges: Sequence[Sequence[float]], values: Sequence[float]) -> list[float]:
    """The model's inputs for fitting: per feature, whether its value reaches each of its edges."""
    row: list[float] = []
    for cuts, value in zip(edges, values, strict=True):
        reached = bisect_right(cuts, value)
        row += [1.0 if k < reached else 0.0 for k in range(len(cuts))]
    return row


@cache
def learned_model(path: Path = WEIGHTS_FILE) -> LearnedModel:
    """The shipped model (``data/learned_weights.json``)."""
    return LearnedModel.from_dict(json.loads(path.read_text(encoding="utf-8"))["model"])
