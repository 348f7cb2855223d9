"""Search: the seeds' goods by name in English, Japanese and Korean find their entries in the top 3."""

from __future__ import annotations

import pytest

from clearance.classify.index import ControlIndex

HF = {"1C350.d.15", "1C350", "jp:3(1)"}
POLYIMIDE = {"1C009.b", "1C009", "jp:5(17)"}
RESIST = {"3C002", "3C002.a.2", "jp:7(19)"}
TITANIUM = {"1C002.b.3", "1C202.b", "1C202", "1C002", "jp:5(5)", "jp:2(17)"}
GYRO = {"7A002", "7A102", "jp:11(2)", "jp:4(16)"}
CRANE = {"jp:16(2)"}

SEEDS = [
    ("hydrogen fluoride", HF),
    ("hydrofluoric acid", HF),
    ("フッ化水素", HF),
    ("ふっ化水素", HF),
    ("불화수소", HF),
    ("fluorinated polyimide", POLYIMIDE),
    ("fluoridated polyimide", POLYIMIDE),
    ("フッ化ポリイミド", POLYIMIDE),
    ("불화 폴리이미드", POLYIMIDE),
    ("photoresist", RESIST),
    ("EUV photoresist", RESIST),
    ("resist", RESIST),
    ("レジスト", RESIST),
    ("EUVレジスト", RESIST),
    ("포토레지스트", RESIST),
    ("titanium alloys", TITANIUM),
    ("チタン合金", TITANIUM),
    ("티타늄 합금", TITANIUM),
    ("gyroscopes", GYRO),
    ("ジャイロスコープ", GYRO),
    ("자이로스코프", GYRO),
    ("crane truck", CRANE),
    ("クレーン車", CRANE),
    ("크레인 트럭", CRANE),
]


@pytest.mark.parametrize(("query", "expected"), SEEDS, ids=[q for q, _ in SEEDS])
def test_seed_goods_are_in_the_top_three(index: ControlIndex, query: str, expected: set[str]) -> None:
    top = [hit.ref for hit in index.search(query, limit=3).hits]
    assert expected & set(top), f"{query!r}: top 3 {top}"


@pytest.mark.parametrize(
    ("query", "code", "entry"),
    [
        ("hydrogen fluoride", "1C350.d.15", "jp:3(1)"),
        ("fluorinated polyimide", "1C009.b", "jp:5(17)"),
        ("EUV photoresist", "3C002.a.2", "jp:7(19)"),
    ],
)
def test_disputed_items_find_both_numberings(index: ControlIndex, query: str, code: str, entry: str) -> None:
    top = [hit.ref for hit in index.search(query, limit=3).hits]
    assert code in top and entry in top, top


def test_cas_number_finds_the_chemical_first(index: ControlIndex) -> None:
    hits = index.search("7664-39-3").hits
    assert {h.ref for h in hits[:2]} == {"1C350.d.15", "jp:3(1)"}
    assert all(h.match == "cas" and h.score is None for h in hits[:2])


def test_code_is_matched_exactly_whatever_the_case(index: ControlIndex) -> None:
    hit = index.search("3c002.A.2").hits[0]
    assert (hit.ref, hit.match) == ("3C002.a.2", "code")
    assert "jp:7(19)" in hit.equivalents


def test_uncaptured_paragraph_falls_back_to_its_nearest_code(index: ControlIndex) -> None:
    assert index.search("3C002.a").hits[0].ref == "3C002"


def test_pack_reference_is_matched_exactly(index: ControlIndex) -> None:
    for text in ("jp:7(19)", "jp 7(19)"):
        hit = index.search(text).hits[0]
        assert (hit.ref, hit.match) == ("jp:7(19)", "ref")


def test_text_hits_come_in_bm25_order(index: ControlIndex) -> None:
    result = index.search("machine tools", limit=10)
    scores = [h.score for h in result.hits if h.match == "text"]
    assert scores and scores == sorted(scores, reverse=True)
    assert result.index == "latin" and result.expression is not None and "machine" in result.expression


def test_kana_is_folded(index: ControlIndex) -> None:
    assert [h.ref for h in index.search("ふっ化水素").hits] == [h.ref for h in index.search("フッ化水素").hits]


def test_stemming_matches_plural_and_singular(index: ControlIndex) -> None:
    assert index.search("resists").hits[0].ref in RESIST


def test_short_korean_word_is_explained(index: ControlIndex) -> None:
    result = index.search("합금")
    assert not result.hits
    assert any("under 3 characters" in note for note in result.notes)


def test_system_filter(index: ControlIndex) -> None:
    hits = index.search("resist", systems=["jp"]).hits
    assert hits and all(h.systems == ("jp",) for h in hits)
    us_only = index.search("resist", systems=["us"]).hits
    assert us_only and all("us" in h.systems for h in us_only)


def test_nothing_found(index: ControlIndex) -> None:
    result = index.search("zzzqqqxx")
    assert result.hits == ()
    assert index.search("!!!").notes == ("nothing searchable in the query",)


def test_limit(index: ControlIndex) -> None:
    assert len(index.search("fluoride", limit=4).hits) == 4
