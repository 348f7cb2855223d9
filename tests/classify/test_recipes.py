"""Sheets generated from the clause text: the bundled sheets are their recipes' output, thresholds are read from
the clause's own words, and a sub-item the recipe cannot read stops the generator."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from clearance.classify.ordinance import GoodsOrdinance
from clearance.classify.recipes import RECIPES, build_sheet, dump_sheet, kanji_number, threshold
from clearance.classify.sheets import SHEETS
from clearance.errors import PackError

KANJI = str.maketrans("0123456789.", "〇一二三四五六七八九・")


@pytest.fixture(scope="module")
def ordinance() -> GoodsOrdinance:
    return GoodsOrdinance()


def test_bundled_sheets_are_their_recipes_output(ordinance: GoodsOrdinance) -> None:
    recipes = sorted(RECIPES.glob("*.yaml"))
    row_7 = ["7-18.yaml", "7-20.yaml", "7-22.yaml", "7-23.yaml", "7-24.yaml", "7-25.yaml"]
    assert [p.name for p in recipes] == ["3-2-2.yaml", "3-2.yaml", "3-3.yaml", *row_7]
    for recipe in recipes:
        expected = dump_sheet(recipe, build_sheet(recipe, ordinance))
        assert (SHEETS / recipe.name).read_text(encoding="utf-8") == expected, "run scripts/gen_sheets.py"


@given(st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False))
def test_kanji_numbers_read_back(number: Decimal) -> None:
    written = format(number, "f").translate(KANJI)
    assert kanji_number(written) == number


@pytest.mark.parametrize(
    ("words", "comparison", "number"),
    [
        ("〇・一立方メートル超", "over", Decimal("0.1")),
        ("二〇立方メートル未満", "below", Decimal("20")),
        ("一時間につき〇・六立方メートルを超える", "over", Decimal("0.6")),
        ("一、〇〇〇度を超える", "over", Decimal("1000")),
        ("二五Ａ以上", "at_least", Decimal("25")),
        ("一〇〇Ａ以下", "at_most", Decimal("100")),
        ("ニッケルの含有量が全重量の二五パーセントを超え", "over", Decimal("25")),
        ("一立方メートル当たり〇・三ミリグラム未満", "below", Decimal("0.3")),
    ],
)
def test_threshold_is_read_from_the_words(words: str, comparison: str, number: Decimal) -> None:
    assert threshold(words) == (comparison, number)


@pytest.mark.parametrize("words", ["反応器", "二〇立方メートル", "呼び径が大きいもの以上"])
def test_words_without_a_number_and_comparison_are_refused(words: str) -> None:
    with pytest.raises(ValueError, match="no number with a comparison"):
        threshold(words)


def test_generated_thresholds_are_the_clause_numbers(ordinance: GoodsOrdinance) -> None:
    sheet = build_sheet(RECIPES / "3-2.yaml", ordinance)
    branches = {b["id"]: b for b in sheet["values"]["2025-05-28"]["any"]}
    volume = [t for t in branches["reactor"]["all"] if t["parameter"] == "volume_m3"]
    assert [(next(k for k in ("over", "below") if k in t), t[next(k for k in ("over", "below") if k in t)])
            for t in volume] == [("over", 0.1), ("below", 20)]  # fmt: skip
    assert "ferrosilicon" in branches["sealed_pump"]["all"][-1]["one_of"]
    assert "ferrosilicon" not in branches["reactor"]["all"][-1]["one_of"]
    valve = branches["valve_over_10a_ceramic_4"]["all"]
    assert valve[-1] == {"parameter": "aluminium_oxide_weight_percent", "at_least": 99.9,
                         "clause": "Art. 2(2)(vii) イ (九) 2",
                         "words": "酸化アルミニウムの含有量が全重量の九九・九パーセント以上"}  # fmt: skip


def test_a_reread_date_starts_a_value_read_against_its_own_text(ordinance: GoodsOrdinance) -> None:
    """3(2) is read against the text of 2021-12-15 and again against 2025-05-28, where (xi) イ was reworded: the two
    values encode alike, but each is proven against its own version (the loader cannot carry one past the other)."""
    values = build_sheet(RECIPES / "3-2.yaml", ordinance)["values"]
    assert list(values) == ["2021-12-15", "2025-05-28"]
    assert values["2021-12-15"] == values["2025-05-28"]
    old, new = (ordinance.clause("Art. 2(2)(xi) イ", dt.date.fromisoformat(day)).text for day in values)
    assert old != new and "〇・三ミリグラム未満" in old and "〇・三ミリグラム未満" in new


def test_a_sub_item_the_recipe_cannot_read_stops_the_generator(ordinance: GoodsOrdinance, tmp_path: Path) -> None:
    recipe = yaml.safe_load((RECIPES / "3-2.yaml").read_text(encoding="utf-8"))
    del recipe["materials"]["ガラス"]
    path = tmp_path / "3-2.yaml"
    path.write_text(yaml.safe_dump(recipe, allow_unicode=True), encoding="utf-8")
    with pytest.raises(PackError, match=re.escape("Art. 2(2)(i) ニ: no material for 'ガラス'")):
        build_sheet(path, ordinance)
