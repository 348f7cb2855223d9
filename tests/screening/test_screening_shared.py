"""Results shared between spellings of one party (:mod:`clearance.screening.shared`) are those :func:`screen`
gives each spelling: same entries, scores, breakdowns and order, quoting the spelling's own name."""

from __future__ import annotations

import datetime as dt

import pytest

from clearance.screening.index import ScreeningIndex
from clearance.screening.matcher import Query, ScreenConfig, screen
from clearance.screening.shared import SharedScreening, reading_key

ON = dt.date(2026, 6, 1)
#: Spellings of one party, each group read alike or not (the key decides), in several scripts.
SPELLINGS = (
    ("Beihang University", "BEIHANG UNIVERSITY.", "beihang university", "Beihang Univ."),
    ("Rosoboronexport JSC", "ROSOBORONEXPORT, JSC", "Rosoboronexport AO"),
    ("ロスアトム", "ロスアトム ", "ﾛｽｱﾄﾑ"),
    ("北京航空航天大学", "北京 航空航天大学"),
    ("Kim Jong Un", "KIM JONG-UN", "Kim, Jong Un"),
    ("Pacific Golden Trading Co., Ltd.", "PACIFIC GOLDEN TRADING CO LTD"),
)


def dicts(candidates: list) -> list:  # type: ignore[type-arg]
    return [(c.to_dict(), c.explanation, c.summary) for c in candidates]


@pytest.mark.parametrize("spellings", SPELLINGS, ids=lambda s: s[0])
def test_each_spelling_gets_what_screen_gives_it(bundled_index: ScreeningIndex, spellings: tuple[str, ...]) -> None:
    shared = SharedScreening()
    for config in (ScreenConfig(on=ON), ScreenConfig(on=ON, threshold=0.8, cutoff=0.8)):
        for name in spellings:
            for query in (Query.of(name), Query.of(name, "cn"), Query((name, "Acme"), "Organization")):
                assert dicts(shared.screen(bundled_index, query, config)) == dicts(screen(bundled_index, query, config))


def test_spellings_that_read_alike_are_screened_once(bundled_index: ScreeningIndex) -> None:
    shared = SharedScreening()
    first = shared.screen(bundled_index, Query.of("Beihang University", "cn"))
    second = shared.screen(bundled_index, Query.of("BEIHANG UNIVERSITY.", "cn"))
    assert len(shared.found) == 1
    assert first and [c.score for c in first] == [c.score for c in second]
    assert {c.query_name for c in second} == {"BEIHANG UNIVERSITY."}
    assert "'BEIHANG UNIVERSITY.' ~" in second[0].explanation


def test_what_screening_reads_decides_the_key() -> None:
    """Another country, schema, word or the characters of a name in Chinese characters is another party; case,
    punctuation and spaces between Latin words are not."""
    key = reading_key(Query.of("Beihang University", "cn"))
    assert reading_key(Query.of("BEIHANG  University,", "cn")) == key
    assert reading_key(Query.of("Beihang University", "us")) != key
    assert reading_key(Query.of("Beihang University")) != key
    assert reading_key(Query(("Beihang University",), "Person", ("cn",))) != key
    assert reading_key(Query.of("Beihang Universities", "cn")) != key
    assert reading_key(Query.of("高市")) != reading_key(Query.of("高石"))
    assert reading_key(Query(("Acme", "Beihang University"))) != reading_key(Query(("Beihang University", "Acme")))
