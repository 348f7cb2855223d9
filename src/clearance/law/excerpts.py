"""Primary-text excerpts: an article or appended table as it reads in one e-Gov version of a law.

The store is ``regulations/<jurisdiction>/excerpts/<law id>/<in force>_<amending act>.yaml``, written by
``scripts/jp_excerpts.py`` from e-Gov standard law XML (法令標準XML). Tests read the excerpt of the version in
force on a value's date to prove the value (``verified: true``).
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import yaml

#: e-Gov law id -> (title, law number) of the laws whose excerpts are kept.
LAWS = {
    "324CO0000000378": ("輸出貿易管理令", "昭和二十四年政令第三百七十八号"),
    "403M50000400049": (
        "輸出貿易管理令別表第一及び外国為替令別表の規定に基づき貨物又は技術を定める省令",
        "平成三年通商産業省令第四十九号",
    ),
}
#: The elements kept from each version of each law: appended tables and articles, by title.
ELEMENTS = {
    "324CO0000000378": ("第一条", "第四条", "別表第三", "別表第三の二", "別表第三の三", "別表第四"),
    "403M50000400049": ("第十四条の二",),
}
_FILE_NAME = re.compile(r"^(?P<law>[0-9A-Z]+)_(?P<date>\d{8})_(?P<act>.+)\.xml$")
#: Elements that start a new line of an excerpt's text (their title or number leads the line).
_LINE_STARTS = {"Paragraph", "Item", "Subitem1", "Subitem2", "Subitem3", "TableRow"}
_HEADINGS = {"AppdxTable": "AppdxTableTitle", "Article": "ArticleTitle"}
_TITLES = {"ArticleTitle", "ParagraphNum", "ItemTitle", "Subitem1Title", "Subitem2Title", "Subitem3Title"}


@dataclass(frozen=True, slots=True)
class Excerpt:
    """The kept elements of one e-Gov version of a law: ``texts`` maps an element title to its text."""

    law_id: str
    law_number: str
    in_force: dt.date
    amended_by: str
    texts: dict[str, str]

    def countries(self, table: str) -> list[str]:
        """The country names (Japanese) an appended table such as ``別表第三`` lists."""
        return [name for line in self.texts[table].splitlines() for name in line.split("、") if name]


def _plain(element: ET.Element) -> str:
    """An element's text without ruby readings (``<Rt>``) and without the pretty-printer's whitespace."""
    parts = [(element.text or "").strip()]
    for child in element:
        if child.tag != "Rt":
            parts.append(_plain(child))
        parts.append((child.tail or "").strip())
    return "".join(parts)


def _lines(element: ET.Element) -> list[str]:
    lines: list[str] = []
    current: list[str] = []

    def walk(node: ET.Element) -> None:
        if node.tag in _LINE_STARTS and current:
            lines.append("　".join(current))
            current.clear()
        if node.tag in _TITLES or node.tag == "Sentence":
            text = _plain(node)
            if text:
                current.append(text)
            return
        for child in node:
            walk(child)

    for child in element:
        if child.tag not in ("AppdxTableTitle", "RelatedArticleNum"):
            walk(child)
    if current:
        lines.append("　".join(current))
    return lines


def extract(root: ET.Element, wanted: tuple[str, ...]) -> dict[str, str]:
    """The ``wanted`` elements found in a law's XML tree (a whole law or a fragment), main provisions first."""
    found: dict[str, str] = {}
    for element in root.iter():
        heading = element.find(_HEADINGS[element.tag]) if element.tag in _HEADINGS else None
        if heading is None:
            continue
        title = _plain(heading)
        if title in wanted and title not in found:
            found[title] = "\n".join(_lines(element))
    return found


def from_xml(path: Path) -> Excerpt:
    """The excerpt of an e-Gov XML file named ``<law id>_<YYYYMMDD>_<amending act>.xml``."""
    match = _FILE_NAME.match(path.name)
    if match is None or match["law"] not in LAWS:
        raise ValueError(f"{path.name}: expected <law id>_<YYYYMMDD>_<amending act>.xml for {sorted(LAWS)}")
    day = dt.datetime.strptime(match["date"], "%Y%m%d").date()
    texts = extract(ET.parse(path).getroot(), ELEMENTS[match["law"]])
    return Excerpt(match["law"], LAWS[match["law"]][1], day, match["act"], texts)


def file_name(excerpt: Excerpt) -> str:
    """Where an excerpt lives in the store, relative to the store's folder."""
    return f"{excerpt.law_id}/{excerpt.in_force.isoformat()}_{excerpt.amended_by}.yaml"


def dump(excerpt: Excerpt) -> str:
    """The YAML text of an excerpt (block scalars keep the law's lines as they are)."""

    class _Dumper(yaml.SafeDumper):
        pass

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)

    _Dumper.add_representer(str, text)
    data = {
        "law": LAWS[excerpt.law_id][0],
        "law_id": excerpt.law_id,
        "law_number": excerpt.law_number,
        "in_force": excerpt.in_force,
        "amended_by": excerpt.amended_by,
        "texts": {title: excerpt.texts[title] for title in ELEMENTS[excerpt.law_id] if title in excerpt.texts},
    }
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=200)


def load(folder: Path) -> list[Excerpt]:
    """Every excerpt in a store, oldest first."""
    found = []
    for path in sorted(folder.glob("*/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found.append(
            Excerpt(data["law_id"], data["law_number"], data["in_force"], data["amended_by"], dict(data["texts"]))
        )
    return sorted(found, key=lambda e: (e.law_id, e.in_force, e.amended_by))


def in_force(excerpts: list[Excerpt], law_id: str, on: dt.date, element: str) -> Excerpt | None:
    """The newest stored version of ``law_id`` in force on ``on`` that holds ``element``, if one is stored."""
    held = [e for e in excerpts if e.law_id == law_id and e.in_force <= on and element in e.texts]
    return held[-1] if held else None
