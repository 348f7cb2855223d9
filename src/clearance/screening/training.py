"""Learning the screening features' weights from the lists themselves, judged out of sample
(``scripts/train_screening_weights.py`` runs it and writes ``data/learned_weights.json``; bench/screening.py reports
its figures beside the baselines).

1. **Entries split, not pairs.** Every entry of the bundled lists (METI End User List, MOF asset-freeze list,
   US CSL; the snapshots of the files in ../shared/data) goes to train (70 %), validation (15 %) or test (15 %) by a
   seeded hash of its id, so no entry has names on two sides.
2. **Pairs from the lists, each drawn from its own entries.** Whatever is drawn for an entry (its split, which of
   its names are paired, whether a pair is kept) or for two entries (whether one is a hard negative of the other's
   positive) comes from a hash of the seed and their ids and names (:func:`share`), never from one random stream
   over all entries: an entry that changes (an importer reads one more spelling) changes its own pairs and no one
   else's, so two branches are judged on the same pairs but for the entries they changed. Positives: two names of
   one entry (a name and an alias, or two aliases), labelled by script pair (ja–Latin, zh–Latin, ru–Latin,
   ar–Latin, Latin–Latin …), at most PER_ENTRY per entry, each kept at its script pair's and split's rate (KEEP);
   two Latin names count only when they are variants of one name (rapidfuzz's token-set ratio ≥ 70), not a former
   or trade name. Hard negatives: for each positive, the names of other entries of the same list and split that
   the screening index's blocking reaches (names sharing tokens, phonetic keys or skeletons), score at least
   HARD with the query and never bear the very same name, each kept at its split's rate by its own hash;
   each is shown with its best-scoring name only, as a positive is shown with one name.
3. **Fit.** A logistic regression (Newton's method, a small L2 penalty, the classes weighted equally) over the
   values of the features of :mod:`clearance.screening.features` on the train split; the threshold is the one with
   the best F1 on the validation split. The test split and nomenklatura's pairs are only scored.
4. **nomenklatura's pairs out of fold.** Its 826 labelled pairs in five seeded folds: each fold is scored by weights
   fitted on the train split and the other four folds, at the threshold chosen on validation; reported overall and
   fold by fold.
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import json
import os
import random
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from anyascii import anyascii
from rapidfuzz import fuzz, utils

from clearance.screening import Query, ScreeningIndex, screen
from clearance.screening.bundled import load_bundled
from clearance.screening.evidence import EVIDENCE, evidence
from clearance.screening.features import ALGORITHM, FEATURES
from clearance.screening.learned import LearnedModel, encode
from clearance.screening.matcher import DEFAULT_THRESHOLD, best_pair, score_party
from clearance.screening.model import ORGANISATIONS, ListVersion, Party
from clearance.screening.normalise import NameForm, name_forms
from clearance.screening.transliterate import script_of

SEED = 17
HASH_SEED = "17"
LISTS = ("jp-meti-eul", "jp-mof-asset-freeze", "us-csl")
SPLITS = {"train": 0.70, "validation": 0.85, "test": 1.0}
PER_ENTRY = 2
#: The share of the positives of a script pair kept in each split (others: all), set so that about 900 ja–Latin and
#: Latin–Latin pairs are kept for training and 300 for validation and for test, of the lists of 2026.
KEEP = {
    "Latin–Latin": {"train": 0.095, "validation": 0.15, "test": 0.15},
    "ja–Latin": {"train": 0.38, "validation": 0.6, "test": 0.6},
}
L2 = 1e-3
VARIANT_MIN = 70
ANOTHER_NAME = 50
#: A hard negative scores at least HARD (clearance-name-v1) with the query; each is kept at its split's rate
#: NEGATIVE_SHARE, about two per positive in each split (a split of 15 % of the entries holds fewer names alike than
#: one of 70 %), as hard as the two best-scoring ones were (0.49 against 0.44 on average).
HARD = 0.3
NEGATIVE_SHARE = {"train": 0.3, "validation": 0.6, "test": 0.6}
BASELINE_CUTOFF = 85.0
FOLDS = 5
LANGS = {"kana": "ja", "han": "zh", "hangul": "ko", "arabic": "ar", "hebrew": "he", "latin": "Latin"}
NAMES = tuple(f.name for f in FEATURES) + tuple(e.name for e in EVIDENCE)
UNIT_EDGES = (0.3, 0.5, 0.7, 0.8, 0.9, 0.99)
GRADED = frozenset({"token_alignment", "joined_spelling", "cross_script", "shorter_paired", "weakest_pair"})
EDGES = tuple(UNIT_EDGES if n in GRADED else (0.2, 0.5, 0.8) if n == "longer_unpaired" else (0.5,) for n in NAMES)
#: The side of each feature's evidence: the sign of its hand weight, an evidence feature's own sign.
SIGNS = np.array(
    [
        sign
        for edges, sign in zip(
            EDGES, [float(np.sign(f.weight)) for f in FEATURES] + [e.sign for e in EVIDENCE], strict=True
        )
        for _ in edges
    ]
)


def reproducible() -> None:
    """Re-run this process under one hash seed unless it is already: ties in the index's blocking follow the order
    of sets of strings, so the pairs drawn (and the weights) depend on it."""
    if os.environ.get("PYTHONHASHSEED") != HASH_SEED:
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": HASH_SEED})


def language(name: str) -> str:
    """The script of a name as a language label: ja (kana), zh (Han), ko, ru (Cyrillic), ar, he, Latin, other."""
    script = script_of(name)
    if script == "other":
        first = next((ch for ch in name if ch.isalpha()), "")
        return "ru" if unicodedata.name(first, "").startswith("CYRILLIC") else "other"
    return LANGS.get(script, "other")


def script_pair(a: str, b: str) -> str:
    """'ja–Latin', 'Latin–Latin' …: the non-Latin side first."""
    la, lb = sorted((language(a), language(b)), key=lambda x: (x == "Latin", x))
    return f"{la}–{lb}"


def baseline_key(name: str) -> str:
    """The brute-force baseline's view of a name: rapidfuzz's default processing of its anyascii reading."""
    return str(utils.default_process(anyascii(name)))


def baseline_match(query: str, party: Party) -> bool:
    """The baseline's verdict on a pair: rapidfuzz ``token_sort_ratio`` ≥ BASELINE_CUTOFF against any name."""
    key = baseline_key(query)
    return any(fuzz.token_sort_ratio(key, baseline_key(n)) >= BASELINE_CUTOFF for n in party.all_names)


def variants(a: str, b: str) -> bool:
    """Two Latin names are variants of one name, not two different names of one entry (a former name, a trade
    name): rapidfuzz's token-set ratio of their ASCII forms is at least VARIANT_MIN (a judge independent of the
    features being fitted)."""
    return fuzz.token_set_ratio(baseline_key(a), baseline_key(b)) >= VARIANT_MIN


def another_name(pair: Pair) -> bool:
    """The two names of a positive pair are two different names of the entry (a former name, a translation), not
    two spellings of one: rapidfuzz's token-sort ratio of their ASCII forms is below ANOTHER_NAME (a judge
    independent of the features, for refined figures reported beside the raw ones)."""
    key = baseline_key(pair.query)
    return all(fuzz.token_sort_ratio(key, baseline_key(n)) < ANOTHER_NAME for n in pair.party.all_names)


def share(*key: str) -> float:
    """A number in [0, 1) drawn from the seed and ``key`` alone (the first 8 bytes of their SHA-256): what is drawn
    for an entry or a pair of entries depends on them, not on the rest of the lists."""
    digest = hashlib.sha256(":".join((str(SEED), *key)).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def split_of(entry_id: str) -> str:
    """train, validation or test, by a seeded hash of the entry id."""
    return next(name for name, upto in SPLITS.items() if share(entry_id) < upto)


@dataclass(frozen=True, slots=True)
class Pair:
    """One labelled pair: the query name, the entry (with only the compared name for a positive), the label."""

    split: str
    script_pair: str
    query: str
    party: Party
    label: bool


def positives(parties: Sequence[Party]) -> list[Pair]:
    """Two names of one entry (distinct once normalised), at most PER_ENTRY per entry, drawn by a random stream
    seeded with the entry's id, each kept at its script pair's rate (KEEP) by its own hash."""
    out = []
    for party in parties:
        person = party.schema == "Person"
        names = [n for n in party.all_names if name_forms(n, person)]
        pairs = [
            (a, b)
            for a, b in itertools.combinations(names, 2)
            if {f.tokens for f in name_forms(a, person)} != {f.tokens for f in name_forms(b, person)}
            and (script_pair(a, b) != "Latin–Latin" or variants(a, b))
        ]
        split = split_of(party.id)
        rng = random.Random(f"{SEED}:{party.id}")
        for a, b in rng.sample(pairs, min(PER_ENTRY, len(pairs))):
            query, other = (a, b) if rng.random() < 0.5 else (b, a)
            label = script_pair(a, b)
            if share("keep", party.id, query, other) < KEEP.get(label, {}).get(split, 1.0):
                shown = Party.build(party.list_id, party.source_id, party.schema, [other], countries=party.countries)
                out.append(Pair(split, label, query, shown, True))
    return out


def hard_negatives(pairs: Sequence[Pair], indexes: dict[str, ScreeningIndex]) -> list[Pair]:
    """For each positive, other entries of the same list and split that score at least HARD with its query and do
    not bear the very same name (entries of two lists, or one person listed at two addresses, may be the same
    party: not a negative), each kept at its split's rate by a hash of the two entries and the query, not by
    its rank among the others: an entry's negatives stay when other entries change. Candidates come from the
    index's blocking, as in screening, without its floor relative to the best name (which is the entry's own)."""
    out = []
    for pair in pairs:
        index = indexes[pair.split]
        person = pair.party.schema == "Person"
        queries = name_forms(pair.query, person)
        found: dict[int, list[Any]] = defaultdict(list)
        for form_no in index.candidates(queries, 40, frozenset({pair.party.list_id}), 0.0):
            found[index.form_party[form_no]].append(index.forms[form_no])
        context = Query((pair.query,), pair.party.schema).context()
        for party_no, forms in found.items():
            party = index.parties[party_no]
            drawn = share("negative", pair.party.id, pair.query, party.id) < NEGATIVE_SHARE[pair.split]
            if party.source_id == pair.party.source_id or not drawn:
                continue
            candidate = score_party(context, queries, party, forms)
            if candidate.score >= HARD and not next(f.value for f in candidate.features if f.name == "name_literal"):
                # Shown with its best-scoring name only, as a positive is shown with one name: a feature that
                # looked at the whole entry (how many names, in which scripts) would otherwise learn the label.
                shown = Party.build(
                    party.list_id, party.source_id, party.schema, [candidate.matched_name], countries=party.countries
                )
                out.append(Pair(pair.split, pair.script_pair, pair.query, shown, False))
    return out


def draw(parties: Sequence[Party]) -> list[Pair]:
    """The labelled pairs of ``parties``: their positives, then the hard negatives of each among the entries of its
    split."""
    by_split: dict[str, list[Party]] = defaultdict(list)
    for party in parties:
        by_split[split_of(party.id)].append(party)
    indexes = {
        split: ScreeningIndex.build([ListVersion(f"split-{split}", split, None, "training", tuple(found))])
        for split, found in by_split.items()
    }
    found = positives(parties)
    return found + hard_negatives(found, indexes)


def compared_forms(query: str, schema: str, party: Party) -> tuple[tuple[NameForm, ...], list[NameForm]]:
    """The query's and the entry's name forms, read as the index reads the entry's names: a person's by the
    schema Person, an organisation's (whose words may be acronyms and abbreviations) by an organisation's schema
    (Organization, Company, PublicBody), and a LegalEntity's as an organisation's when it has a legal form or an
    organisation word."""
    person, organisation = schema == "Person", schema in ORGANISATIONS
    return name_forms(query, person, organisation), [
        f for name in party.all_names for f in name_forms(name, person, organisation)
    ]


def features(query: str, schema: str, party: Party) -> list[float]:
    """The feature values of the best pair of forms (as the matcher scores it), in FEATURES order, then the
    evidence features of that pair (EVIDENCE order)."""
    q, forms = compared_forms(query, schema, party)
    if not q or not forms:
        return [0.0] * len(NAMES)
    candidate = score_party(Query((query,), schema).context(), q, party, forms)
    by_name = {f.name: f.value for f in candidate.features}
    _, _, best_q, best_c, _ = best_pair(q, forms)
    return [by_name[f.name] for f in FEATURES] + evidence(best_q, best_c)


def v1_score(query: str, schema: str, party: Party) -> float:
    """The hand-weighted score (clearance-name-v1) of the pair."""
    q, forms = compared_forms(query, schema, party)
    if not q or not forms:
        return 0.0
    return score_party(Query((query,), schema).context(), q, party, forms).score


def design(x: np.ndarray) -> np.ndarray:
    """The feature values as the model's inputs: an indicator per bin above each feature's lowest."""
    return np.array([encode(EDGES, list(row)) for row in x])


def fit(x: np.ndarray, y: np.ndarray, signs: np.ndarray | None = None) -> tuple[np.ndarray, float]:
    """Logistic regression by Newton's method with an L2 penalty on the weights (not the intercept), the two
    classes weighted equally (the pairs' share of positives says nothing of how rare matches are in screening).

    ``signs`` (+1, -1 or 0 per column) keeps each weight on the side of its feature's evidence: a weight of the wrong
    sign is held at 0 and the rest refitted, until none is. Without it, a step of "shares one word with the other
    name" learnt a negative weight from the hard negatives (drawn because they share words) and the model learnt
    that names with nothing in common are translations of each other."""
    columns = np.arange(x.shape[1])
    while True:
        beta = _newton(x[:, columns], y)
        wrong = [k for k, c in enumerate(columns) if signs is not None and signs[c] * beta[k + 1] < 0]
        if not wrong:
            break
        columns = np.delete(columns, wrong)
    weights = np.zeros(x.shape[1])
    weights[columns] = beta[1:]
    return weights, float(beta[0])


def _newton(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    matrix = np.hstack([np.ones((len(x), 1)), x])
    beta = np.zeros(matrix.shape[1])
    penalty = np.eye(matrix.shape[1]) * L2 * len(x)
    penalty[0, 0] = 0.0
    positives = max(1.0, float(y.sum()))
    negatives = max(1.0, float(len(y) - y.sum()))
    weight = np.where(y == 1, len(y) / (2 * positives), len(y) / (2 * negatives))
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(matrix @ beta)))
        gradient = matrix.T @ (weight * (p - y)) + penalty @ beta
        hessian = matrix.T @ (matrix * (weight * p * (1 - p))[:, None]) + penalty
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.max(np.abs(step)) < 1e-10:
            break
    return beta


def prf(labels: Sequence[bool], predicted: Sequence[bool]) -> dict[str, float]:
    """Precision, recall and F1."""
    tp = sum(1 for y, p in zip(labels, predicted, strict=True) if y and p)
    fp = sum(1 for y, p in zip(labels, predicted, strict=True) if p and not y)
    fn = sum(1 for y, p in zip(labels, predicted, strict=True) if y and not p)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "pairs": len(labels),
    }


def per_fold(labels: Sequence[bool], predicted: Sequence[bool], folds: Sequence[int]) -> list[dict[str, float]]:
    """Precision, recall and F1 of each fold's pairs, in the folds' order (``folds[i]`` is pair i's fold): how far
    the out-of-fold figure moves from one fold to another."""
    return [
        prf(
            [y for y, f in zip(labels, folds, strict=True) if f == k],
            [p for p, f in zip(predicted, folds, strict=True) if f == k],
        )
        for k in sorted(set(folds))
    ]


def folds_text(by_fold: Sequence[Mapping[str, float]]) -> str:
    """:func:`per_fold`'s F1 figures, one per fold, for a report."""
    return "F1 fold by fold " + " / ".join(f"{f['f1']:.3f}" for f in by_fold)


def best_threshold(labels: Sequence[bool], scores: Sequence[float]) -> float:
    """The threshold (0.05 … 0.95) with the best F1 (the lowest of equals)."""
    grid = [t / 100 for t in range(5, 96)]
    return max(grid, key=lambda t: (prf(labels, [s >= t for s in scores])["f1"], -t))


def nomenklatura(
    evaluation_data: Path, model_of: Any, train_x: np.ndarray, train_y: np.ndarray, threshold: float
) -> dict[str, Any]:
    """Out-of-fold P/R/F1 on nomenklatura's pairs (each fold scored by weights that never saw it): at the threshold
    chosen on the list pairs' validation split, overall and fold by fold, and at a threshold chosen per fold on the
    other four folds (the pairs' own base rate and labelling; still no pair decides its own threshold); and the
    hand-weighted v1 score on the same pairs."""
    rows = list(csv.DictReader((evaluation_data / "nomenklatura" / "cases.csv").open(encoding="utf-8")))
    labels = [r["is_match"] == "true" for r in rows]
    x = np.array([features(r["name1"], r["schema"], Party.build("nk", "1", r["schema"], [r["name2"]])) for r in rows])
    order = list(range(len(rows)))
    random.Random(SEED).shuffle(order)
    fold = {i: n % FOLDS for n, i in enumerate(order)}
    scores = [0.0] * len(rows)
    in_fold = [False] * len(rows)
    for k in range(FOLDS):
        inside = [i for i in range(len(rows)) if fold[i] != k]
        weights, intercept = fit(
            design(np.vstack([train_x, x[inside]])),
            np.concatenate([train_y, np.array([labels[i] for i in inside], float)]),
            SIGNS,
        )
        model = model_of(weights, intercept)
        own = best_threshold([labels[i] for i in inside], [model.probability(list(x[i])) for i in inside])
        for i in range(len(rows)):
            if fold[i] == k:
                scores[i] = model.probability(list(x[i]))
                in_fold[i] = scores[i] >= own
    v1 = [v1_score(r["name1"], r["schema"], Party.build("nk", "1", r["schema"], [r["name2"]])) for r in rows]
    matched = [s >= threshold for s in scores]
    return {
        "out_of_fold": prf(labels, matched),
        "by_fold": per_fold(labels, matched, [fold[i] for i in range(len(rows))]),
        "out_of_fold_own_threshold": prf(labels, in_fold),
        "v1": prf(labels, [s >= DEFAULT_THRESHOLD for s in v1]),
    }


def either_side(pairs: Sequence[Pair]) -> dict[str, dict[str, float]]:
    """The issue's test of cross-script symmetry on the positives of ``pairs`` (two names of one entry): each name is
    screened against an index holding, for every positive, only its other name (one entry each), and found when
    its own entry is a match at the default threshold. By direction ("ja → Latin": a name in kana finds the entry
    by its Latin name), the number of queries and the share found."""
    positives = [p for p in pairs if p.label]
    sides = [(p.query, p.party.names[0], p.party.schema) for p in positives]

    def index_of(side: int) -> ScreeningIndex:
        parties = tuple(Party.build("side", str(i), s[2], [s[side]]) for i, s in enumerate(sides))
        return ScreeningIndex.build([ListVersion("side", "one side", None, "either side", parties)])

    indexes = (index_of(0), index_of(1))
    found: dict[str, list[bool]] = defaultdict(list)
    for i, (a, b, schema) in enumerate(sides):
        for query, other, index in ((a, b, indexes[1]), (b, a, indexes[0])):
            hits = screen(index, Query((query,), schema))
            found[f"{language(query)} → {language(other)}"].append(
                any(c.match and c.party.source_id == str(i) for c in hits)
            )
    return {k: {"queries": len(v), "found": sum(v) / len(v)} for k, v in sorted(found.items())}


def either_side_line(figures: Mapping[str, Mapping[str, float]]) -> str:
    """:func:`either_side`'s figures as one Markdown paragraph."""
    shares = "; ".join(f"{k} {v['found']:.1%} of {v['queries']:.0f}" for k, v in figures.items())
    return (
        "Either side finds the entry (the issue's test: each name of a test-split positive screened against an index"
        f" of the other names, found as a match at the default threshold): {shares}."
    )


def weights_text(content: dict[str, Any]) -> str:
    """The weights file's text (sorted keys, so that a run reproduces it byte for byte)."""
    return json.dumps(content, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def run(evaluation_data: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the weights file's content, the evaluation); ``evaluation_data`` is ../shared/data/name-matching-eval."""
    versions = [load_bundled(i) for i in LISTS]
    pairs = draw([p for v in versions for p in v.parties])
    x = {s: np.array([features(p.query, p.party.schema, p.party) for p in pairs if p.split == s]) for s in SPLITS}
    y = {s: np.array([float(p.label) for p in pairs if p.split == s]) for s in SPLITS}
    weights, intercept = fit(design(x["train"]), y["train"], SIGNS)

    def model_of(w: np.ndarray, b: float, threshold: float = 0.5) -> LearnedModel:
        bounds = np.cumsum([0, *(len(e) for e in EDGES)])
        steps = tuple(tuple(float(v) for v in w[lo:hi]) for lo, hi in itertools.pairwise(bounds))
        return LearnedModel(NAMES, EDGES, steps, b, threshold)

    draft = model_of(weights, intercept)
    threshold = best_threshold(list(y["validation"] == 1), [draft.probability(list(v)) for v in x["validation"]])
    model = model_of(weights, intercept, threshold)
    evaluation: dict[str, Any] = {"threshold": threshold, "by_script_pair": {}}
    test = [p for p in pairs if p.split == "test"]
    for label in sorted({p.script_pair for p in test}):
        chosen = [i for i, p in enumerate(test) if p.script_pair == label]
        labels = [test[i].label for i in chosen]
        learned = [model.probability(list(x["test"][i])) >= threshold for i in chosen]
        v1 = [v1_score(test[i].query, test[i].party.schema, test[i].party) >= DEFAULT_THRESHOLD for i in chosen]
        baseline = [baseline_match(test[i].query, test[i].party) for i in chosen]
        evaluation["by_script_pair"][label] = {
            "learned": prf(labels, learned),
            "v1": prf(labels, v1),
            "baseline": prf(labels, baseline),
        }
        if label == "Latin–Latin":  # the same pairs less the positives a judge calls another name, not a spelling
            kept = [k for k, i in enumerate(chosen) if not (test[i].label and another_name(test[i]))]
            evaluation["refined"] = {
                "script_pair": label,
                "removed": len(chosen) - len(kept),
                "positives": sum(labels),
                "learned": prf([labels[k] for k in kept], [learned[k] for k in kept]),
                "v1": prf([labels[k] for k in kept], [v1[k] for k in kept]),
                "baseline": prf([labels[k] for k in kept], [baseline[k] for k in kept]),
            }
    evaluation["either_side"] = either_side(test)
    evaluation["test_pairs"] = [
        {"script_pair": p.script_pair, "schema": p.party.schema, "name1": [p.query], "name2": list(p.party.all_names),
         "label": p.label}
        for p in test
    ]  # fmt: skip
    evaluation["nomenklatura"] = nomenklatura(evaluation_data, model_of, x["train"], y["train"], threshold)
    counts = Counter(f"{p.split}:{p.script_pair}:{'positive' if p.label else 'negative'}" for p in pairs)
    content = {
        "about": "Learned weights of the screening features: scripts/train_screening_weights.py writes this file.",
        "algorithm": ALGORITHM,
        "seed": SEED,
        "lists": {v.list_id: v.version for v in versions},
        "pairs": dict(sorted(counts.items())),
        "model": model.to_dict(),
    }
    return content, evaluation


def script_pair_table(evaluation: Mapping[str, Any], by_nk: Mapping[str, Any] | None = None) -> list[str]:
    """The test split's precision / recall / F1 by script pair (learned weights, clearance-name-v1 at its
    threshold, the rapidfuzz baseline, and nomenklatura's logic-v2 when ``by_nk`` holds its figures) as the lines of
    a Markdown table."""
    columns = ["learned weights", "clearance-name-v1 (0.8)", "rapidfuzz baseline (85)"]
    if by_nk is not None:
        columns.append("nomenklatura logic-v2 (0.7)")
    lines = ["| script pair | pairs | " + " | ".join(columns) + " |", "|---|---:|" + "---|" * len(columns)]
    for label, figures in evaluation["by_script_pair"].items():
        shown = [figures["learned"], figures["v1"], figures["baseline"]]
        if by_nk is not None:
            shown.append(by_nk.get(label))
        cells = [f"{f['precision']:.3f} / {f['recall']:.3f} / {f['f1']:.3f}" if f else "not run" for f in shown]
        lines.append(f"| {label} | {figures['learned']['pairs']} | " + " | ".join(cells) + " |")
    return lines


def refined_line(refined: Mapping[str, Any]) -> str:
    """The refined figures (positives the judge calls another name removed) as one Markdown paragraph."""

    def cell(f: Mapping[str, float]) -> str:
        return f"{f['precision']:.3f} / {f['recall']:.3f} / {f['f1']:.3f}"

    return (
        f"Refined labels, {refined['script_pair']}: less the {refined['removed']} of {refined['positives']} positives"
        f" whose two names a judge independent of the features calls two names, not two spellings (rapidfuzz"
        f" token-sort ratio < {ANOTHER_NAME}), P / R / F1: learned weights {cell(refined['learned'])};"
        f" clearance-name-v1 {cell(refined['v1'])}; rapidfuzz baseline {cell(refined['baseline'])}."
    )
