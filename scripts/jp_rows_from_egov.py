"""Regenerate regulations/jp/control_list/rows.yaml from e-Gov XML plus the hand-kept row metadata.

usage: .venv/bin/python scripts/jp_rows_from_egov.py ../shared/data/jp-egov-fefta-export-trade-control-order/324CO…xml

The official Japanese text of each row comes from the XML; labels, regimes and the concordance with
Wassenaar-style code ranges are kept in ROWS below. tests/test_jp_pack.py checks the file stays in sync.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

from clearance.law.egov import appended_table_1

CATS = [str(n) for n in range(10)]
# row: (English label, Japanese label, regime, covers, hs_chapters, note)
ROWS: dict[str, tuple[str, str, str | None, list[dict[str, list[str]]], list[str]]] = {
    "1": (
        "Arms",
        "武器",
        "WA-ML",
        [{"categories": CATS, "series": ["6"]}, {"categories": ["0"], "series": ["5"]}],
        [],
    ),
    "2": (
        "Nuclear",
        "原子力",
        "NSG",
        [{"categories": ["0"], "series": ["0"]}, {"categories": CATS[1:], "series": ["2"]}],
        [],
    ),
    "3": ("Chemical weapons", "化学兵器", "AG", [{"categories": ["1", "2"], "series": ["3"]}], []),
    "3-2": ("Biological weapons", "生物兵器", "AG", [], []),
    "4": ("Missiles", "ミサイル", "MTCR", [{"categories": CATS[1:], "series": ["1"]}], []),
    "5": ("Advanced materials", "先端材料", "WA", [{"categories": ["1"], "series": ["0"]}], []),
    "6": ("Materials processing", "材料加工", "WA", [{"categories": ["2"], "series": ["0"]}], []),
    "7": ("Electronics", "エレクトロニクス", "WA", [{"categories": ["3"], "series": ["0"]}], []),
    "8": ("Computers", "電子計算機", "WA", [{"categories": ["4"], "series": ["0"]}], []),
    "9": (
        "Telecommunications and information security",
        "通信",
        "WA",
        [{"categories": ["5"], "series": ["0"]}],
        [],
    ),
    "10": ("Sensors and lasers", "センサー・レーザー等", "WA", [{"categories": ["6"], "series": ["0"]}], []),
    "11": ("Navigation and avionics", "航法装置", "WA", [{"categories": ["7"], "series": ["0"]}], []),
    "12": ("Marine", "海洋関連", "WA", [{"categories": ["8"], "series": ["0"]}], []),
    "13": ("Propulsion", "推進装置", "WA", [{"categories": ["9"], "series": ["0"]}], []),
    "14": ("Other", "その他", "WA", [], []),
    "15": ("Sensitive items", "機微品目", "WA-SL/VSL", [], []),
    "16": ("Catch-all", "キャッチオール", None, [], ["25-40", "54-59", "63", "68-93", "95"]),
}

#: Row 16 has been two rows since 2025-10-09 (令和7年政令第175号): 16 (1), the goods the Goods Ordinance Art. 14-2
#: lists by HS heading (令和7年経済産業省令第36号), and 16 (2), the rest of the catch-all chapters.
ROW_16_SPLIT = "2025-10-09"
ROW_16_SPLIT_SOURCES = ["co_2025_175", "eo_table_1_row_16"]
SUB_ROWS: dict[str, tuple[str, str, dict[str, object]]] = {
    "16(1)": (
        "Catch-all (1): goods the Goods Ordinance Art. 14-2 lists by HS heading",
        "キャッチオール（一六の項（一））",
        {
            "sources": ["eo_table_1_row_16", "kamotsu_art_14_2", "meti_ordinance_2025_36"],
            "hs_headings": [
                "84.56",
                "84.57",
                "84.58",
                "84.59",
                "84.60",
                "84.61",
                "85.26",
                "85.42",
                "8802.60",
                "88.06",
                "9014.20",
                "9014.80",
                "9027.50",
                "9030.20",
                "9030.32",
                "9030.39",
            ],
            "hs_except": ["8542.90"],
            "hs_undecided": ["88.07"],
            "hs_undecided_needs": "item: part of 8802.60 or 88.06 goods? (HS 88.07, Goods Ordinance Art. 14-2(iv))",
        },
    ),
    "16(2)": (
        "Catch-all (2): other goods of tariff chapters 25-40, 54-59, 63, 68-93 and 95",
        "キャッチオール（一六の項（二））",
        {"sources": ["eo_table_1_row_16"], "hs_chapters": ["25-40", "54-59", "63", "68-93", "95"]},
    ),
}

HEADER = """\
# Export Trade Control Order, Appended Table 1 (rows 1-16), and the Foreign Exchange Order's Appended Table
# for the technology of each row. text_local is the official text in force 2026-02-14 (e-Gov XML), kept in
# sync by scripts/jp_rows_from_egov.py. `covers` is the concordance with Wassenaar-style codes: category =
# first character, series = third character (0 WA dual-use, 1 MTCR, 2 NSG, 3 AG, 5/6 munitions); explicit
# sub-items in entries.yaml take precedence. Row 16 (catch-all) is defined by HS chapters instead; from
# 2025-10-09 it is two rows, 16(1) (HS headings of the Goods Ordinance Art. 14-2) and 16(2) (the chapters).
"""


#: Why rows 16 (1) and (2) stay unverified (the HS headings of 16 (1) are checked against the Goods Ordinance).
WHY_16_UNVERIFIED = (
    "The Order's row 16 text is read from the version in force 2026-02-14; the version in force 2025-10-09"
    " (令和七年政令第百七十五号) is not in the excerpt store. The HS headings of 16 (1) match the Goods Ordinance"
    " Art. 14-2 as in force 2025-10-09 (excerpt)."
)


def split_row_16(text: str) -> dict[str, str]:
    """Row 16's text cut into its two sub-rows, (一) and (二), as they read in the Order."""
    lines = text.splitlines()
    second = next(i for i, line in enumerate(lines) if line.startswith("（二）"))
    return {"16(1)": "\n".join(lines[:second]), "16(2)": "\n".join(lines[second:])}


class _Dumper(yaml.SafeDumper):
    """Writes multi-line text as literal blocks, so the official text reads as it is printed."""


_Dumper.add_representer(
    str,
    lambda dumper, text: dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|" if "\n" in text else None),
)


def build(xml: Path) -> dict[str, dict[str, Any]]:
    texts = {row.row: row.text for row in appended_table_1(xml)}
    out: dict[str, dict[str, Any]] = {}
    for rid, (label, label_local, regime, covers, chapters) in ROWS.items():
        value: dict[str, object] = {"sources": ["eo_table_1", "feo_table"]}
        if covers:
            value["covers"] = covers
        if chapters:
            value["hs_chapters"] = chapters
        value["verified"] = False
        value["note"] = (
            "Official text as in force 2026-02-14; earlier texts differ in detail (annual Wassenaar updates)."
            " The code concordance is derived from the regimes' numbering, not read from the Order."
        )
        out[rid] = {
            "label": label,
            "label_local": label_local,
            **({"regime": regime} if regime else {}),
            "text_local": texts[rid],
            "values": {"2004-01-20": value},
        }
    out["16"]["values"][ROW_16_SPLIT] = {
        "repealed": True,
        "sources": ROW_16_SPLIT_SOURCES,
        "note": "Row 16 is split into 16(1) and 16(2) from 2025-10-09.",
    }
    sub_texts = split_row_16(texts["16"])
    for rid, (label, label_local, value) in SUB_ROWS.items():
        out[rid] = {
            "label": label,
            "label_local": label_local,
            "text_local": sub_texts[rid],
            "values": {ROW_16_SPLIT: {**value, "verified": False, "why_unverified": WHY_16_UNVERIFIED}},
        }
    return out


if __name__ == "__main__":
    target = Path(__file__).resolve().parent.parent / "src/clearance/regulations/jp/control_list/rows.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    body = yaml.dump(build(Path(sys.argv[1])), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    target.write_text(HEADER + body, encoding="utf-8")
    print(f"wrote {target}")
