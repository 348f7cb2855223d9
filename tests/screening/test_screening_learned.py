"""Learned weights: the model's score decomposes into per-feature contributions, the split is by entry and seeded,
the training script reproduces the shipped weights file byte for byte, and the test split's cross-script name
pairs are found from either side."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from clearance.screening import Query, ScreenConfig, ScreeningIndex, screen
from clearance.screening.bundled import load_bundled
from clearance.screening.evidence import EVIDENCE, PAIRED, evidence, pairs
from clearance.screening.features import FEATURES, reads_across, word_pairs
from clearance.screening.learned import WEIGHTS_FILE, LearnedModel, encode, learned_model
from clearance.screening.model import ListVersion, Party
from clearance.screening.normalise import NameForm, name_forms
from clearance.screening.training import (
    Pair,
    draw,
    either_side,
    either_side_line,
    fit,
    folds_text,
    hard_negatives,
    language,
    per_fold,
    prf,
    script_pair,
    script_pair_table,
    split_of,
)
from support import shared_path

ROOT = Path(__file__).resolve().parents[2]


def test_the_shipped_model_covers_every_feature_in_order() -> None:
    model = learned_model()
    assert model.features == tuple(f.name for f in FEATURES) + tuple(e.name for e in EVIDENCE)
    assert all(len(edges) == len(weights) for edges, weights in zip(model.edges, model.weights, strict=True))
    assert 0.0 < model.threshold < 1.0
    assert LearnedModel.from_dict(model.to_dict()) == model


N_FEATURES = len(FEATURES) + len(EVIDENCE)


@given(st.lists(st.floats(0.0, 1.0), min_size=N_FEATURES, max_size=N_FEATURES))
def test_a_learned_score_is_its_contributions(values: list[float]) -> None:
    model = learned_model()
    logit = model.intercept + sum(model.contributions(values).values())
    assert math.isclose(model.logit(values), logit, abs_tol=1e-9)
    assert math.isclose(model.probability(values), 1 / (1 + math.exp(-logit)), abs_tol=1e-9)


def test_a_feature_contributes_the_weight_of_its_bin() -> None:
    """A step function per feature: below its lowest edge a feature gives 0, each edge reached adds its step."""
    model = LearnedModel(("a", "b"), ((0.5,), (0.3, 0.9)), ((2.0,), (1.0, 3.0)), -1.0, 0.5)
    assert model.contributions([0.2, 0.1]) == {"a": 0.0, "b": 0.0}
    assert model.contributions([0.5, 0.5]) == {"a": 2.0, "b": 1.0}
    assert model.contributions([1.0, 0.95]) == {"a": 2.0, "b": 4.0}
    assert encode(model.edges, [1.0, 0.95]) == [1.0, 1.0, 1.0]
    assert math.isclose(model.logit([1.0, 0.95]), 5.0)


def test_the_fit_keeps_each_feature_on_the_side_of_its_evidence() -> None:
    """A feature of a match never lowers the log-odds, a penalty never raises them, whatever the pairs say."""
    x = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.0, 0.0]] * 5)
    y = np.array([0.0, 1.0, 0.0, 0.0] * 5)  # the first column looks like a penalty, the second like evidence
    weights, _ = fit(x, y, np.array([1.0, -1.0]))
    assert weights[0] == 0.0 and weights[1] == 0.0
    free, _ = fit(x, y, np.array([0.0, 0.0]))
    assert free[0] < 0 < free[1]


def test_evidence_features_describe_the_word_pairs() -> None:
    """Stephen Smith ~ Stephen Edward Smith: every word of the shorter paired, one strong word left over, in order."""
    names = [e.name for e in EVIDENCE]
    values = dict(zip(names, evidence(*pair("Stephen Smith", "Stephen Edward Smith")), strict=True))
    assert values["shorter_paired"] == 1.0 and values["weakest_pair"] == 1.0 and values["order_kept"] == 1.0
    assert math.isclose(values["longer_unpaired"], 1 / 3) and values["people"] == 1.0
    crossed = dict(zip(names, evidence(*pair("Andrea Mills", "Miles Andrew")), strict=True))
    assert crossed["order_kept"] == 0.0 and crossed["weakest_pair"] < 1.0


def test_evidence_pairs_an_arabic_reading_with_a_katakana_one_by_sound() -> None:
    """Both are lossy readings, compared by consonants as cross_script compares them: حسين محمد (hsyn mhmd) and
    ハッサン・モハメド (hassan muhammad) pair word for word, which their spellings do not."""
    q, c = pair("حسين محمد", "ハッサン・モハメド")
    assert reads_across(q, c)
    assert sorted(pairs(q, c)) == [(0, 0, 1.0), (1, 1, 1.0)]
    assert all(v < PAIRED for _, _, v in word_pairs(q, c))


def pair(a: str, b: str) -> tuple[NameForm, NameForm]:
    return name_forms(a, True)[0], name_forms(b, True)[0]


def test_entries_are_split_by_a_seeded_hash_of_their_id() -> None:
    parties = load_bundled("jp-mof-asset-freeze").parties
    shares = Counter(split_of(p.id) for p in parties)
    assert [split_of(p.id) for p in parties[:50]] == [split_of(p.id) for p in parties[:50]]
    assert 0.65 < shares["train"] / len(parties) < 0.75
    assert 0.12 < shares["test"] / len(parties) < 0.18


def test_script_pairs_put_the_non_latin_side_first() -> None:
    assert script_pair("Vladimir Putin", "ウラジーミル・プーチン") == "ja–Latin"
    assert script_pair("北京航空航天大学", "Beihang University") == "zh–Latin"
    assert script_pair("Росатом", "Rosatom") == "ru–Latin"
    assert (language("김정은"), language("عبد الله"), language("Acme")) == ("ko", "ar", "Latin")


def test_the_training_script_reproduces_the_weights_file_byte_for_byte() -> None:
    shared_path("data", "name-matching-eval")  # skips without ../shared
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "train_screening_weights.py"), "--check"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "reproduced byte for byte" in done.stderr
    assert WEIGHTS_FILE.read_text(encoding="utf-8").endswith("\n")


def test_cross_script_name_pairs_of_the_test_split_are_found_from_either_side() -> None:
    """For each test-split entry of the Japanese lists whose first two names are in two scripts (MOF's katakana
    and English, METI's), each name is screened against the entry holding only the other: either side finds it,
    about equally often. (Measured: 88 % and 87 % of 442 ja–Latin pairs; the issue's target, every pair, is not
    met: katakana renderings that change consonants and translated names are the misses.)"""
    pairs = [
        (p.names[0], p.names[1], p)
        for list_id in ("jp-mof-asset-freeze", "jp-meti-eul")
        for p in load_bundled(list_id).parties
        if split_of(p.id) == "test" and len(p.names) >= 2 and script_pair(*p.names[:2]) == "ja–Latin"
    ]
    assert len(pairs) > 400

    def index_of(side: int) -> ScreeningIndex:
        holding = tuple(Party.build("side", str(i), p.schema, [pair[side]]) for i, (*pair, p) in enumerate(pairs))
        return ScreeningIndex.build([ListVersion("side", "one side", None, "test", holding)])

    config = ScreenConfig(limit=10, cutoff=0.5)
    found: list[tuple[bool, bool]] = []
    with_english, with_japanese = index_of(1), index_of(0)
    for i, (japanese, english, p) in enumerate(pairs):
        forward = any(c.party.source_id == str(i) for c in screen(with_english, Query((japanese,), p.schema), config))
        back = any(c.party.source_id == str(i) for c in screen(with_japanese, Query((english,), p.schema), config))
        found.append((forward, back))
    assert sum(f for f, _ in found) / len(found) >= 0.85
    assert sum(b for _, b in found) / len(found) >= 0.85
    assert sum(f != b for f, b in found) / len(found) <= 0.03


def test_either_side_screens_each_name_of_a_positive_against_the_other_names() -> None:
    """The issue's test as a measure: by direction, the share of names that find their entry as a match."""

    def pair(query: str, other: str, label: bool = True) -> Pair:
        return Pair("test", script_pair(query, other), query, Party.build("t", query, "Person", [other]), label)

    figures = either_side(
        [
            pair("セルゲイ・ラヴロフ", "Sergei Lavrov"),
            pair("Vladimir Putin", "ウラジーミル・プーチン"),
            pair("アブ・バクル", "Ayman al-Zawahiri"),  # two names of one entry: no reading finds the other
            pair("Sergei Shoigu", "セルゲイ・ショイグ", label=False),  # negatives are not queried
        ]
    )
    assert figures == {
        "Latin → ja": {"queries": 3, "found": 2 / 3},
        "ja → Latin": {"queries": 3, "found": 2 / 3},
    }
    assert either_side_line(figures).endswith("Latin → ja 66.7% of 3; ja → Latin 66.7% of 3.")


def test_the_figures_by_script_pair_are_one_table_row_each() -> None:
    def figures(p: float, r: float, f1: float, pairs: int = 40) -> dict[str, float]:
        return {"precision": p, "recall": r, "f1": f1, "pairs": pairs}

    scores = {"learned": figures(1, 0.5, 0.6667), "v1": figures(0.9, 0.45, 0.6), "baseline": figures(1, 0.1, 0.1818)}
    table = script_pair_table({"by_script_pair": {"Hani-Latn": scores}})
    assert table[0].startswith("| script pair | pairs | learned weights |") and table[1].startswith("|---|")
    assert table[2:] == ["| Hani-Latn | 40 | 1.000 / 0.500 / 0.667 | 0.900 / 0.450 / 0.600 | 1.000 / 0.100 / 0.182 |"]
    with_nk = script_pair_table({"by_script_pair": {"Hani-Latn": scores}}, {})
    assert with_nk[0].endswith("| nomenklatura logic-v2 (0.7) |") and with_nk[2].endswith("| not run |")


def test_each_fold_is_judged_on_its_own_pairs() -> None:
    labels = [True, True, False, False, True, False]
    predicted = [True, False, True, False, True, False]
    folds = [1, 0, 0, 1, 1, 0]
    by_fold = per_fold(labels, predicted, folds)
    assert [f["pairs"] for f in by_fold] == [3, 3]
    assert by_fold[0] == prf([True, False, False], [False, True, False])  # fold 0: one missed, one false
    assert by_fold[1] == prf([True, False, True], [True, False, True])  # fold 1: no error
    assert (by_fold[0]["f1"], by_fold[1]["f1"]) == (0.0, 1.0)
    assert folds_text(by_fold) == "F1 fold by fold 0.000 / 1.000"


@given(st.lists(st.tuples(st.booleans(), st.booleans(), st.integers(0, 4)), min_size=1, max_size=40))
def test_the_folds_partition_the_pairs(rows: list[tuple[bool, bool, int]]) -> None:
    labels, predicted, folds = (list(column) for column in zip(*rows, strict=True))
    by_fold = per_fold(labels, predicted, folds)
    assert len(by_fold) == len(set(folds)) and sum(f["pairs"] for f in by_fold) == len(rows)
    errors = sum(1 for y, p in zip(labels, predicted, strict=True) if y != p)
    assert errors == 0 or any(f["f1"] < 1.0 for f in by_fold)


def test_a_hard_negative_is_shown_with_one_name_as_a_positive_is() -> None:
    """Otherwise a feature that sees the whole entry (how many names, in which scripts) could learn the label."""
    parties = (
        Party.build("t", "1", "Person", ["Sergei Lavrov"], aliases=["セルゲイ・ラヴロフ"]),
        Party.build("t", "2", "Person", ["Sergei Lavrenko"], aliases=["セルゲイ・ラヴレンコ", "S. Lavrenko"]),
        Party.build("t", "3", "Person", ["Sergei Lavrovsky"], aliases=["Sergey Lavrovskiy"]),
    )
    index = ScreeningIndex.build([ListVersion("t", "t", None, "test", parties)])
    shown = Party.build("t", "1", "Person", ["セルゲイ・ラヴロフ"])
    negatives = hard_negatives([Pair("test", "ja–Latin", "Sergei Lavrov", shown, True)], {"test": index})
    assert negatives and {p.party.source_id for p in negatives} <= {"2", "3"}
    assert all(len(p.party.all_names) == 1 and not p.label for p in negatives)
    assert {p.party.names[0] for p in negatives} <= {n for party in parties[1:] for n in party.all_names}


GIVEN = {
    "Sergei": "Sergey",
    "Dmitri": "Dmitry",
    "Nikolai": "Nikolay",
    "Alexei": "Aleksei",
    "Yuri": "Yury",
    "Andrei": "Andrey",
    "Mikhail": "Michail",
    "Vasili": "Vasily",
}
FAMILY = {
    "Lavrov": "Lavroff",
    "Petrov": "Petroff",
    "Ivanov": "Ivanoff",
    "Sokolov": "Sokoloff",
    "Popov": "Popoff",
    "Volkov": "Volkoff",
    "Orlov": "Orloff",
    "Kozlov": "Kozloff",
}


def people(aliases: int = 3) -> list[Party]:
    """64 people of eight given and eight family names, each with its name and spelling variants as aliases (the
    first ``aliases`` of four)."""
    return [
        Party.build(
            "t", f"{g}-{f}", "Person", [f"{g} {f}"], aliases=[f"{v} {f}", f"{g} {w}", f"{f}, {g}", f"{v} {w}"][:aliases]
        )
        for g, v in GIVEN.items()
        for f, w in FAMILY.items()
    ]


def drawn_without(pairs: list[Pair], entry_id: str) -> set[tuple[object, ...]]:
    """The pairs that neither draw from ``entry_id`` nor show it, each as the plain values it is made of."""
    owner = {n: p.id for p in people(4) for n in p.all_names}
    return {
        (p.split, p.script_pair, p.query, p.party.id, p.party.names, p.label)
        for p in pairs
        if entry_id not in (owner[p.query], p.party.id)
    }


def test_an_entry_that_changes_changes_no_other_entrys_split_or_pairs() -> None:
    """Each entry's split and positives, and each pair of entries' hard negatives, are drawn from them alone: a
    change to one entry (one spelling more) or its removal leaves every other entry's pairs as they were, so two
    branches are judged on the same pairs but for the entries they changed. (With one random stream over all
    entries, and the two best-scoring negatives of each positive, both redrew the pairs of the entries after it.)"""
    parties = people()
    before = draw(parties)
    assert {p.label for p in before} == {True, False}
    for k in (0, 27, 63):
        one_more = [people(4)[k] if i == k else p for i, p in enumerate(parties)]
        removed = parties[:k] + parties[k + 1 :]
        splits = {p.id: split_of(p.id) for p in parties if p.id != parties[k].id}
        assert splits == {p.id: split_of(p.id) for p in removed}
        kept = drawn_without(before, parties[k].id)
        assert kept == drawn_without(draw(one_more), parties[k].id) == drawn_without(draw(removed), parties[k].id)
