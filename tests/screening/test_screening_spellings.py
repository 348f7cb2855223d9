"""A name followed by its spelling in another script in brackets is two names; a name that is one name stays one."""

from __future__ import annotations

import collections
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

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
