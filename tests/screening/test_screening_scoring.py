"""Scoring stops early only where the result cannot change: a candidate whose name features' ceilings cannot reach
the cutoff is not scored, one whose name evidence no adjustment can lift to the cutoff is not adjusted, and no
pair of forms is compared after one reached the largest weight. They rest on every feature's value being in [0, 1]
and on each ceiling being at least its feature's value."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from clearance.screening import features, matcher
from clearance.screening.features import ADJUST_FEATURES, NAME_FEATURES
from clearance.screening.index import ScreeningIndex
from clearance.screening.matcher import Query, ScreenConfig, readings, screen
from clearance.screening.normalise import NameForm, name_forms

ON = dt.date(2026, 6, 1)
QUERIES = (
    Query.of("Beihang University", "cn"),
    Query.of("Rosoboronexport"),
    Query.of("Golden Star Trading Co., Ltd.", "ru"),
    Query.of("Ivan Petrov"),
    Query(("Kim Jong Un",), "Person", ("kp",)),
    Query.of("ロスアトム"),
    Query.of("北京航空航天大学"),
    Query.of("Hassan al-Wardian", "ir"),
    Query(("Huawei Technologies Co Ltd", "華為技術"), "Company", ("cn",), ("91440300",)),
)


def results(index: ScreeningIndex, cutoff: float) -> list[list[tuple[object, str]]]:
    config = ScreenConfig(on=ON, threshold=0.8, cutoff=cutoff, limit=20)
    return [[(c.to_dict(), c.explanation) for c in screen(index, q, config)] for q in QUERIES]


@pytest.mark.parametrize("cutoff", [0.0, 0.5, 0.8])
def test_early_exits_change_no_result(
    bundled_index: ScreeningIndex, cutoff: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = results(bundled_index, cutoff)
    monkeypatch.setattr(matcher, "_MOST_NAMED", float("inf"))
    monkeypatch.setattr(matcher, "most_added", lambda context: float("inf"))
    assert fast == results(bundled_index, cutoff)


def test_ceilings_bound_their_features(bundled_index: ScreeningIndex) -> None:
    """Each name feature's ceiling is at least its value, whatever floor it is given, and :func:`most_added` at
    least what the adjust features add, over the queries' forms and the list names blocking finds for them, and
    over those list names compared with one another (names alike in part: where ceilings are tight)."""
    checked = skipped = 0
    for query in QUERIES:
        context = query.context()
        for _, forms in readings(query):
            numbers = bundled_index.candidates(forms, 30)
            found = [(bundled_index.forms[n], bundled_index.parties[bundled_index.form_party[n]]) for n in numbers]
            pairs = [(q, c, p) for q in forms for c, p in found] + [(a, c, p) for a, _ in found for c, p in found]
            for q, c, party in pairs:
                added = sum(f.weight * f.func(context, party, q, c) for f in ADJUST_FEATURES if f.weight > 0)
                assert added <= matcher.most_added(context)
                for f in NAME_FEATURES:
                    if f.ceiling is None:
                        continue
                    value = f.func(q, c)
                    for floor in (0.0, 0.5, 0.9, 1.0):
                        assert f.ceiling(q, c, floor) >= value - 1e-12, (f.name, q.original, c.original, floor)
                    skipped += f.ceiling(q, c) < 0.5
                    checked += 1
    assert checked > 1000
    assert skipped > 100  # the ceilings are not all 1


def test_feature_values_are_in_the_unit_interval(bundled_index: ScreeningIndex) -> None:
    """What the early exits rely on, over the queries' forms and those of the list names blocking finds."""
    checked = 0
    for query in QUERIES:
        context = query.context()
        for _, forms in readings(query):
            for form_no in bundled_index.candidates(forms, 30):
                c = bundled_index.forms[form_no]
                party = bundled_index.parties[bundled_index.form_party[form_no]]
                for q in forms:
                    assert all(0.0 <= f.func(q, c) <= 1.0 for f in NAME_FEATURES)
                    assert all(0.0 <= f.func(context, party, q, c) <= 1.0 for f in ADJUST_FEATURES)
                    checked += 1
    assert checked > 100


def _every_pair_paired(q: NameForm, c: NameForm) -> tuple[tuple[int, int, float], ...]:
    """:func:`features.word_pairs` with every pair of words scored (no word taken as its equal's only partner)."""
    strict, organisations, person = features._spelling_terms(q, c)
    pairs = features._scored_pairs(q, c, {}, strict, organisations, person)
    if q.person and c.person and (fq := features._father_positions(q)) and (fc := features._father_positions(c)):
        return tuple(features.one_to_one([(v, i, j) for v, i, j in pairs if (i in fq) == (j in fc)]))
    apart = [] if strict else features.written_apart(q, c, organisations, person)
    return tuple(features._one_to_one_apart(pairs, apart) if apart else features.one_to_one(pairs))


@pytest.mark.parametrize(
    ("query", "listed", "person"),
    [
        ("Ivan Petrov", "Petrov Ivan", True),
        ("Ivan Ivan Petrov", "Petrov Ivan", True),  # a word written twice: scored against every word
        ("Abdul Rahman Abdulrahman", "Abdulrahman Abdul", True),  # a run written apart as exactly a word
        ("Muhammad bin Salman", "Salman bin Muhammad", True),  # a father pairs only with a father
        ("Golden Star Trading Co", "Golden Star Tradinq Company", False),
        ("Simbirskoe Konstruktorskoe Byuro Piranya", "SKB Piranya", False),
    ],
)
def test_words_written_once_in_each_name_pair_as_with_every_pair_scored(query: str, listed: str, person: bool) -> None:
    """A word written once in each name is paired with its equal without being scored against the other words:
    the pairing is the one made from every pair of words."""
    for q in name_forms(query, person):
        for c in name_forms(listed, person):
            assert features.word_pairs(q, c) == _every_pair_paired(q, c)


@pytest.mark.parametrize("value", [0.0, 1.0, -0.0, 0.5])
def test_adjust_parts_kept_by_values_are_the_parts_made_afresh(value: float) -> None:
    """The adjust features' parts kept for a candidate's values are those made afresh, to the sign of a zero (a
    negative weight's zero contribution is -0.0, which the JSON shows), the first time and when found again."""
    values = [value, 1.0, 0.0] + [value] * (len(ADJUST_FEATURES) - 3)
    fresh = [matcher._new_adjust_score(k, v) for k, v in enumerate(values)]
    for _ in range(2):
        kept = matcher._adjust_parts(values)
        assert list(kept) == fresh
        signs = [[math.copysign(1.0, x) for x in (p.value, p.contribution)] for p in kept]
        assert signs == [[math.copysign(1.0, x) for x in (p.value, p.contribution)] for p in fresh]
