"""A name followed by its spelling in another script in brackets is two names; a name that is one name stays one."""

from __future__ import annotations

import collections
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearance.screening.importers.mof import _person_spellings
from clearance.screening.importers.spellings import split_spellings

BRACKETS = "()（）"


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("ボジゼ・ヤングボンダ（Bozize Yangouvonda）", ["ボジゼ・ヤングボンダ", "Bozize Yangouvonda"]),
        ("ボジゼ・ヤングボンダ（Bozize Yangouvonda", ["ボジゼ・ヤングボンダ", "Bozize Yangouvonda"]),  # unclosed
        ("Jin Tiesan (金铁三)", ["Jin Tiesan", "金铁三"]),
        ("حسن غول (Hassan Ghul", ["حسن غول", "Hassan Ghul"]),
        ("IO ムソニ（IO Musoni）", ["IO ムソニ", "IO Musoni"]),  # Latin in the name before the bracket
        ("アフガン支援委員会（ＡＳＣ）", ["アフガン支援委員会", "ＡＳＣ"]),  # full-width Latin is Latin
        (
            "（シェイク）ムーサ・ヒラール（(Sheikh) Musa Hilal）",
            ["（シェイク）ムーサ・ヒラール", "(Sheikh) Musa Hilal"],
        ),
        (
            "神の抵抗運動（Lord’s Resistance Movement）（LRM",
            ["神の抵抗運動", "Lord’s Resistance Movement", "LRM"],
        ),
    ],
)
def test_a_spelling_in_another_script_is_a_name_of_its_own(text: str, names: list[str]) -> None:
    assert split_spellings(text) == names


@pytest.mark.parametrize(
    "text",
    [
        "アンドリー（アンドレイ）・シェフチク",  # an alternative inside the name, same script
        "アブ・アフマド（戦闘員名",  # a note in the same script
        "Abu Ahmad (nom de guerre)",
        "ウガンダ・コマーシャル・インペックス（UCI）有限会社",  # the bracket does not end the name
        "東南アジアのイラクとレバント地方のイスラム国（ISIL-SEA、ISIL東南アジア）",  # mixed scripts in the bracket
        "アブドラ・ウルド・アフメド（Abdoullah Ould Ahmed）（旅券番号：Ｂ0515260",  # the last bracket is a note
        "ダナ・ホールディングス／ダナ・アストラ",
        "Department 140／14",
        "（ソボル）",  # nothing before the bracket
    ],
)
def test_one_name_stays_one(text: str) -> None:
    assert split_spellings(text) == [text]


def _letters(text: str) -> str:
    return re.sub(r"\s", "", text)


@given(st.text(alphabet=st.sampled_from("abZ ア・金ب(（)）/、")))
def test_splitting_loses_only_the_brackets_it_splits_at(text: str) -> None:
    names = split_spellings(text)
    if len(names) == 1:
        assert names == [text]
        return
    before, after = _letters(text), _letters("".join(names))
    lost = collections.Counter(before) - collections.Counter(after)
    assert not collections.Counter(after) - collections.Counter(before)
    assert set(lost) <= set(BRACKETS) and sum(lost.values()) <= 2 * (len(names) - 1)
    kept = iter(before)
    assert all(ch in kept for ch in after)  # the names are in the cell's order


@given(st.text(alphabet=st.characters(blacklist_characters=BRACKETS)))
def test_a_cell_without_brackets_is_unchanged(text: str) -> None:
    assert split_spellings(text) == [text]


WORDS = st.lists(
    st.sampled_from(["アンドリー", "アンドレイ", "ヴァシーリー", "ケリモヴァ", "セルヒー"]), min_size=1, max_size=3
)


@given(
    st.lists(
        st.tuples(st.sampled_from(["アレクサンドル", "ホダコフスキー", "ニキチン"]), WORDS), min_size=1, max_size=3
    )
)
def test_a_persons_katakana_spellings_give_a_name_each(words: list[tuple[str, list[str]]]) -> None:
    """A person's katakana words with their other spellings in brackets ("アレクサンドル(オレクサンドル)・…"): the name
    with each word first, then one name per spelling, every name of as many words, each word one of its spellings."""
    name = "・".join(f"{word}({'/'.join(others)})" for word, others in words)
    names = _person_spellings(name)
    assert names[0] == "・".join(word for word, _ in words)
    assert len(names) == len(set(names)) <= 1 + max(len(others) for _, others in words)
    for spelt in names:
        assert all(w in (word, *others) for w, (word, others) in zip(spelt.split("・"), words, strict=True))


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Vyacheslav/Vyacheclav PONOMAREV/PONOMAROV", ["Vyacheslav PONOMAREV", "Vyacheclav PONOMAROV"]),
        ("Oleksandr KHODAKOVSKYY/KHODAKOVSKII", ["Oleksandr KHODAKOVSKYY", "Oleksandr KHODAKOVSKII"]),
        ("フィルザ・ケリモヴァ（ハンバラエヴァ）", ["フィルザ・ケリモヴァ", "フィルザ・ハンバラエヴァ"]),
        ("オレナ(エレナ/アリョーナ)", ["オレナ", "エレナ", "アリョーナ"]),
        ("Department 140／14", ["Department 140／14"]),  # a number is no spelling
        (
            "ロム・アリ・ブタエフ（ブタエフ）（1955年出生",
            ["ロム・アリ・ブタエフ（ブタエフ）（1955年出生"],
        ),  # and a note
        (
            "ハマス（ハマス・イッザッディーン・アル・カッサームを含む）",
            ["ハマス（ハマス・イッザッディーン・アル・カッサームを含む）"],
        ),
    ],
)
def test_a_persons_spellings_after_a_slash_or_in_katakana_brackets(text: str, names: list[str]) -> None:
    assert _person_spellings(text) == names
