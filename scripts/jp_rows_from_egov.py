"""Regenerate regulations/jp/control_list/rows.yaml from e-Gov XML plus the hand-kept row metadata.

usage: .venv/bin/python scripts/jp_rows_from_egov.py ../shared/data/jp-egov-fefta-export-trade-control-order/324CO…xml

The official Japanese text of each row comes from the XML; labels, regimes and the concordance with
Wassenaar-style code ranges are kept in ROWS below. tests/test_jp_pack.py checks the file stays in sync.
"""

from __future__ import annotations

import sys
from pathlib import Path

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

HEADER = """\
# Export Trade Control Order, Appended Table 1 (rows 1-16), and the Foreign Exchange Order's Appended Table
# for the technology of each row. text_local is the official text in force 2026-02-14 (e-Gov XML), kept in
# sync by scripts/jp_rows_from_egov.py. `covers` is the concordance with Wassenaar-style codes: category =
# first character, series = third character (0 WA dual-use, 1 MTCR, 2 NSG, 3 AG, 5/6 munitions); explicit
# sub-items in entries.yaml take precedence. Row 16 (catch-all) is defined by HS chapters instead.
"""


class _Dumper(yaml.SafeDumper):
    """Writes multi-line text as literal blocks, so the official text reads as it is printed."""


_Dumper.add_representer(
    str,
    lambda dumper, text: dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|" if "\n" in text else None),
)


def build(xml: Path) -> dict[str, object]:
    texts = {row.row: row.text for row in appended_table_1(xml)}
    out: dict[str, object] = {}
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
    return out


if __name__ == "__main__":
    target = Path(__file__).resolve().parent.parent / "src/clearance/regulations/jp/control_list/rows.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    body = yaml.dump(build(Path(sys.argv[1])), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    target.write_text(HEADER + body, encoding="utf-8")
    print(f"wrote {target}")
