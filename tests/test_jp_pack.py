"""The Japanese pack checked against the primary text: e-Gov XML of the Export Trade Control Order."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from clearance.law.egov import appended_table_1, country_table
from support import shared_path

XML = ("jp-egov-fefta-export-trade-control-order", "324CO0000000378_20260214_507CO0000000376.xml")
IN_FORCE = dt.date(2026, 2, 14)
#: Short Japanese names missing from rigour's territory names.
EXTRA_NAMES = {"ルクセンブルク": "LU"}


def _codes_by_japanese_name() -> Any:
    path = shared_path("data", "rigour-name-and-territory-resources", "territories", "data.jsonl")
    territories = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]

    def code(name: str) -> str:
        if name in EXTRA_NAMES:
            return EXTRA_NAMES[name]
        names = [(t["code"], [t["name"], *t.get("names_strong", []), *t.get("names_weak", [])]) for t in territories]
        found = {c for c, ns in names if name in ns} or {c for c, ns in names if any(n.startswith(name) for n in ns)}
        assert len(found) == 1, f"{name}: {found}"
        return found.pop().upper()

    return code


@pytest.mark.parametrize(
    ("title", "list_id"),
    [("別表第三", "appended_table_3"), ("別表第三の二", "appended_table_3_2"), ("別表第四", "appended_table_4")],
)
def test_country_lists_match_the_order_in_force_2026_02_14(jp: Any, title: str, list_id: str) -> None:
    xml = shared_path("data", *XML)
    code = _codes_by_japanese_name()
    names = [n for cell in country_table(xml, title) for n in cell.split("、")]
    assert sorted(code(n) for n in names) == sorted(jp.at(IN_FORCE).list_members(list_id))


def test_row_texts_are_the_official_text(jp: Any) -> None:
    rows = {row.row: row for row in appended_table_1(shared_path("data", *XML))}
    pack_rows = jp.objects["rows"]
    assert set(pack_rows) == set(rows) | {"16(1)", "16(2)"}
    for rid, row in rows.items():
        assert pack_rows[rid].model.text_local == row.text, f"row {rid}: run scripts/jp_rows_from_egov.py"
    first, second = (pack_rows[r].model.text_local for r in ("16(1)", "16(2)"))
    assert first + "\n" + second == rows["16"].text
    assert first.startswith("（一）") and second.startswith("（二）")


def test_row_16_1_lists_the_headings_of_goods_ordinance_art_14_2(jp: Any) -> None:
    """The HS headings of row 16 (1) are those the Goods Ordinance Art. 14-2 (in force 2025-10-09) names."""
    import re

    text = shared_path("data", "jp-egov-law-texts", "kamotsu-ordinance-2025-10-09-row16-excerpt.xml").read_text("utf-8")
    kanji = str.maketrans("〇一二三四五六七八九", "0123456789")
    named = {m.translate(kanji).replace("・", "") for m in re.findall(r"第([〇一二三四五六七八九・]+)[項号]", text)}
    value = jp.objects["rows"]["16(1)"].timeline.at(dt.date(2025, 10, 9)).value
    listed = {h.replace(".", "") for h in [*value.hs_headings, *value.hs_except, *value.hs_undecided]}
    assert listed == named
    assert value.hs_except == ["8542.90"] and value.hs_undecided == ["88.07"]


def test_explicit_entries_quote_their_sub_items(jp: Any) -> None:
    rows = {row.row: row for row in appended_table_1(shared_path("data", *XML))}
    assert rows["5"].sub_items["17"] == "ふっ化ポリイミド又はふっ化ホスファゼン"
    assert rows["7"].sub_items["19"] == "レジスト"
    assert jp.objects["entries"]["5(17)"].model.label_local == rows["5"].sub_items["17"]
    assert jp.objects["entries"]["7(19)"].model.label_local == rows["7"].sub_items["19"]


def test_catch_all_row_excludes_group_a_in_the_order(jp: Any) -> None:
    rows = {row.row: row for row in appended_table_1(shared_path("data", *XML))}
    assert rows["16"].region == "全地域（別表第三に掲げる地域を除く。）"
    assert (
        "第二五類から第四〇類まで、第五四類から第五九類まで、第六三類、第六八類から第九三類まで又は第九五類"
        in rows["16"].text
    )
    chapters = jp.hs_chapters("16", dt.date(2004, 1, 20))
    assert {"25", "40", "54", "59", "63", "68", "93", "95"} <= chapters and not {"24", "41", "94", "96"} & chapters
    assert jp.hs_chapters("16(2)", dt.date(2025, 10, 9)) == chapters


def test_korea_moves_on_the_cabinet_order_dates(jp: Any) -> None:
    history = [(d, jp.at(d).group_of("KR")) for d in (dt.date(2019, 8, 27), dt.date(2019, 8, 28))]
    history += [(d, jp.at(d).group_of("KR")) for d in (dt.date(2023, 7, 20), dt.date(2023, 7, 21))]
    assert [g for _, g in history] == ["A", "B", "B", "A"]
