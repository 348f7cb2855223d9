"""Each dated value of the Japanese pack from 2017 on, proven from the e-Gov text in force on its date or left
``verified: false`` with its reason (the excerpt store: regulations/jp/excerpts, scripts/jp_excerpts.py)."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from clearance.law.countries import resolve_country
from clearance.law.excerpts import Excerpt, extract, from_xml, load
from support import shared_path

STORE = Path(__file__).resolve().parents[1] / "src" / "clearance" / "regulations" / "jp" / "excerpts"
ORDER, GOODS_ORDINANCE = "324CO0000000378", "403M50000400049"
SINCE = dt.date(2017, 1, 1)
#: The Order's country tables and the pack's lists of them.
TABLES = {"appended_table_3": "別表第三", "appended_table_3_2": "別表第三の二", "appended_table_4": "別表第四"}
EXCERPTS = load(STORE)


def _version(law_id: str, on: dt.date, element: str) -> Excerpt:
    """The stored version that took effect on ``on`` exactly (a proof needs the text of that day)."""
    found = [e for e in EXCERPTS if e.law_id == law_id and e.in_force == on and element in e.texts]
    assert found, f"no excerpt of {law_id} {element} in force from {on}: run scripts/jp_excerpts.py"
    return found[-1]


def _country_list(list_id: str) -> Callable[[Any, dt.date], None]:
    def proof(jp: Any, on: dt.date) -> None:
        text = _version(ORDER, on, TABLES[list_id])
        assert sorted(resolve_country(n) for n in text.countries(TABLES[list_id])) == sorted(
            jp.at(on).list_members(list_id)
        )

    return proof


def _row_16_split(jp: Any, on: dt.date) -> None:
    """The Goods Ordinance in force 2025-10-09 defines goods for row 16 (1): the row is split that day."""
    assert (
        "輸出令別表第一の一六の項（一）の経済産業省令で定めるもの"
        in _version(GOODS_ORDINANCE, on, "第十四条の二").texts["第十四条の二"]
    )
    assert jp.objects["rows"]["16"].timeline.at(on).value is None


def _art_4_items(on: dt.date) -> dict[str, list[str]]:
    """Art. 4(1) of the version in force from ``on``, item by item (``"三"`` -> its lines), and ``"2(iii)"``."""
    lines = _version(ORDER, on, "第四条").texts["第四条"].splitlines()
    items: dict[str, list[str]] = {}
    current = ""
    for line in lines:
        head = line.split("　", 1)[0]
        if head == "２":
            current = "2"
        elif head in {"一", "二", "三", "四", "五"}:
            current = head if current != "2" and not current.startswith("2(") else f"2({head})"
        if current:
            items.setdefault(current, []).append(line)
    return items


#: Art. 4(1)(iii)-(iv) イ-ニ as they read from 2025-10-09: WMD use, WMD notice, conventional use, conventional notice.
_WMD_USE = "イ　その貨物が核兵器等の開発等のために用いられるおそれがある場合として経済産業省令で定めるとき。"
_NOTICE = "として経済産業大臣から許可の申請をすべき旨の通知を受けたとき。"
_ROW_16 = {"三": "別表第一の一六の項（一）", "四": "別表第一の一六の項（二）"}


def _reform_2025(jp: Any, on: dt.date) -> dict[str, list[str]]:
    """Art. 4(1)(iii) governs 16 (1) goods and (iv) 16 (2) goods; Group A (Art. 1(3)) is reached by notice only."""
    items = _art_4_items(on)
    for item, row in _ROW_16.items():
        assert items[item][0].startswith(f"{item}　{row}"), items[item][0]
    assert (
        "別表第一の一六の項の中欄に掲げる貨物を別表第三に掲げる地域を仕向地として"
        in _version(ORDER, on, "第一条").texts["第一条"]
    )
    group_a = items["2(三)"]
    assert group_a[0].startswith("三　前二号に掲げる場合以外の場合") and all(_NOTICE in line for line in group_a[1:])
    return items


def _when(jp: Any, object_id: str, on: dt.date) -> Any:
    """A value's condition and the conditions of its labelled exceptions."""
    kind, oid = object_id.split(".", 1)
    value = jp.objects[kind][oid].timeline.at(on).value
    return value.when, [e.when for e in value.exceptions]


def _wmd_use_2025(jp: Any, on: dt.date) -> None:
    """(iii) イ and (iv) イ for both halves of row 16 outside Group A (Group A only by notice, Art. 4(2)(iii))."""
    items = _reform_2025(jp, on)
    assert _WMD_USE in items["三"] and _WMD_USE in items["四"]
    assert _when(jp, "requirements.catch_all_wmd_use", on) == (
        {"all": [{"item_in_rows": ["16(1)", "16(2)"]}, {"end_use_in": ["wmd"]}]},
        [{"destination_in_group": ["A"]}],
    )


def _conventional_use_2025(jp: Any, on: dt.date) -> None:
    """(iii) ハ for 16 (1) goods outside Group A; (iv) ハ for 16 (2) goods only to Appended Table 3-2 destinations."""
    items = _reform_2025(jp, on)
    assert items["三"][0].endswith("次に掲げるいずれの場合にも該当しないとき。")
    assert (
        "別表第三の二に掲げる地域以外の地域を仕向地として輸出しようとする場合にあつては、イ、ロ及びニ" in items["四"][0]
    )
    assert any(
        line.startswith("ハ　") and "おそれがある場合として経済産業省令で定めるとき" in line for line in items["四"]
    )
    assert _when(jp, "requirements.catch_all_conventional_use", on) == (
        {
            "all": [
                {"end_use_in": ["conventional_weapons"]},
                {
                    "any": [
                        {"item_in_rows": ["16(1)"]},
                        {"all": [{"item_in_rows": ["16(2)"]}, {"destination_in_list": "appended_table_3_2"}]},
                    ]
                },
            ]
        },
        [{"destination_in_group": ["A"]}],
    )


def _informed_2025(jp: Any, on: dt.date) -> None:
    """A notice (ロ, ニ) reaches both halves of row 16 everywhere, Group A included (Art. 1(3), Art. 4(2)(iii))."""
    items = _reform_2025(jp, on)
    for item in _ROW_16:
        assert [line[0] for line in items[item] if _NOTICE in line] == ["ロ", "ニ"]
    assert _when(jp, "requirements.informed", on) == (
        {"all": [{"item_in_rows": ["16(1)", "16(2)"]}, {"informed": True}]},
        [],
    )


#: (object id, date) -> the test that proves that value from the excerpt of the version in force on its date.
PROOFS: dict[tuple[str, dt.date], Callable[[Any, dt.date], None]] = {
    ("country_lists.appended_table_3", dt.date(2019, 8, 28)): _country_list("appended_table_3"),
    ("country_lists.appended_table_3", dt.date(2023, 7, 21)): _country_list("appended_table_3"),
    ("country_lists.appended_table_3_2", dt.date(2018, 12, 19)): _country_list("appended_table_3_2"),
    ("country_lists.appended_table_3_2", dt.date(2019, 4, 12)): _country_list("appended_table_3_2"),
    ("rows.16", dt.date(2025, 10, 9)): _row_16_split,
    ("requirements.catch_all_wmd_use", dt.date(2025, 10, 9)): _wmd_use_2025,
    ("requirements.catch_all_conventional_use", dt.date(2025, 10, 9)): _conventional_use_2025,
    ("requirements.informed", dt.date(2025, 10, 9)): _informed_2025,
}


def _dated(jp: Any) -> list[tuple[str, dt.date, Any]]:
    """Every value (repeals included) of the pack dated 2017 or later, with its raw verification keys."""
    found = []
    for _, version in jp.versions():
        if version.effective >= SINCE:
            found.append((version.object_id, version.effective, version.value or version.repeal))
    return found


@pytest.mark.parametrize(("object_id", "on"), sorted(PROOFS))
def test_value_is_proven_from_the_text_in_force_on_its_date(jp: Any, object_id: str, on: dt.date) -> None:
    PROOFS[object_id, on](jp, on)


def test_verified_only_where_a_test_proves_it_and_every_other_value_says_why(jp: Any) -> None:
    for object_id, on, raw in _dated(jp):
        if raw is None or raw.verified:
            assert (object_id, on) in PROOFS, f"{object_id} {on}: verified: true without a proof in this file"
        else:
            assert raw.why_unverified, f"{object_id} {on}: verified: false needs why_unverified"


@pytest.mark.parametrize("excerpt", [e for e in EXCERPTS if e.law_id == ORDER], ids=lambda e: str(e.in_force))
def test_every_stored_version_agrees_with_the_pack_on_its_date(jp: Any, excerpt: Excerpt) -> None:
    """Both sides of each change: the pack's lists match every stored version of the Order, not only new ones."""
    for list_id, title in TABLES.items():
        if title in excerpt.texts:
            codes = sorted(resolve_country(n) for n in excerpt.countries(title))
            assert codes == sorted(jp.at(excerpt.in_force).list_members(list_id)), f"{title} {excerpt.in_force}"


def test_the_store_is_what_the_script_makes_of_the_bundled_xml() -> None:
    """The 2026-02-14 excerpt is regenerated from the e-Gov XML in ../shared/data byte for byte."""
    xml = shared_path(
        "data", "jp-egov-fefta-export-trade-control-order", "324CO0000000378_20260214_507CO0000000376.xml"
    )
    stored = _version(ORDER, dt.date(2026, 2, 14), "別表第三")
    assert extract(ET.parse(xml).getroot(), tuple(stored.texts)) == stored.texts
    assert set(stored.texts) == {"第一条", "第四条", "別表第三", "別表第三の二", "別表第三の三", "別表第四"}


def test_an_excerpt_drops_ruby_readings_and_layout_whitespace(tmp_path: Path) -> None:
    xml = tmp_path / "324CO0000000378_20190828_令和元年政令第七十一号.xml"
    xml.write_text(
        "<Law><AppdxTable><AppdxTableTitle>別表第四</AppdxTableTitle><Item><ItemSentence><Sentence>\n"
        "  イラン、<Ruby>\n  イラク<Rt>いらく</Rt></Ruby>、北朝鮮\n</Sentence>"
        "</ItemSentence></Item></AppdxTable></Law>",
        encoding="utf-8",
    )
    excerpt = from_xml(xml)
    assert (excerpt.in_force, excerpt.amended_by) == (dt.date(2019, 8, 28), "令和元年政令第七十一号")
    assert excerpt.countries("別表第四") == ["イラン", "イラク", "北朝鮮"]
    assert load(tmp_path) == []


def test_appended_table_3_3_gains_7_2_between_the_2019_and_2023_versions() -> None:
    """The ¥50,000 candidates of Appended Table 3-3 as the text says: 7 (2) is absent on 2019-08-28."""
    assert "七の項（十五）" in _version(ORDER, dt.date(2019, 8, 28), "別表第三の三").texts["別表第三の三"]
    assert "七の項（二）若しくは（十五）" in _version(ORDER, dt.date(2023, 4, 10), "別表第三の三").texts["別表第三の三"]


def test_the_regime_page_counts_every_value_proven_here_as_proven_from_the_primary_text(jp: Any) -> None:
    """docs/regimes/jp.md's share from 2017 on counts each proof of this file (repeals included), no fewer."""
    from clearance.law.reference import regime_markdown

    assert f"- Dated values from 2017 on: {len(PROOFS)} of " in regime_markdown(jp)


def test_the_2025_low_value_exclusions_are_those_of_art_4_1_v_as_in_force_on_2025_10_09(jp: Any) -> None:
    """Art. 4(1)(v): never to Appended Table 4; Group A loses it on a notice (ロ, ニ); elsewhere on イ, ロ or ニ;
    Appended Table 3-2 destinations also on ハ. The value stays unverified only for the METI notice on 3-3."""
    on = dt.date(2025, 10, 9)
    text = "".join(_art_4_items(on)["五"])
    for clause in (
        "別表第四に掲げる地域以外の地域を仕向地として",
        "別表第三に掲げる地域を仕向地として輸出しようとする場合にあつては、第三号のロ及びニ",
        "同表に掲げる地域以外の地域を仕向地として輸出しようとする場合にあつては、同号のイ、ロ及びニ",
        "別表第三の二に掲げる地域（イラク及び北朝鮮を除く。）を仕向地として輸出しようとする場合にあつては、同号のイからニ",
    ):
        assert clause in text, clause
    exceptions = jp.objects["exemptions"]["low_value"].timeline.at(on).value.exceptions
    assert [e.when for e in exceptions] == [
        {"destination_in_list": "appended_table_4"},
        {"informed": True},
        {"all": [{"not": {"destination_in_group": ["A"]}}, {"end_use_in": ["wmd"]}]},
        {"all": [{"destination_in_list": "appended_table_3_2"}, {"end_use_in": ["conventional_weapons"]}]},
    ]


@pytest.mark.parametrize(
    "excerpt", [e for e in EXCERPTS if "別表第三の三" in e.texts and e.law_id == ORDER], ids=lambda e: str(e.in_force)
)
def test_the_low_value_caveat_names_7_2_exactly_when_appended_table_3_3_does(jp: Any, excerpt: Excerpt) -> None:
    text_has_7_2 = "七の項（二）" in excerpt.texts["別表第三の三"]
    caveat = jp.objects["exemptions"]["low_value"].timeline.at(excerpt.in_force).value.caveat
    assert ("7(2), " in caveat) == text_has_7_2, excerpt.in_force
