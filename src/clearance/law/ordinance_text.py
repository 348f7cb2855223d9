"""Reading the Goods Ordinance (貨物等省令) from its e-Gov Markdown rendering or from e-Gov standard law XML: every
article, paragraph, item and sub-item as a clause with its text, number path and the Appended Table row it specifies.

The rendering (one ``##`` heading per article, ``２　`` for paragraphs after the first, nested ``- `` lists for
items (一, 十七の二), sub-items (イ), (（一）), (１) and (一)) is turned into :class:`Clause` records. A clause's
id is its number path in the English citation style: ``6(1)(xix)イ(二)`` (shown as ``Art. 6(1)(xix) イ (二)``).
The importer (``scripts/import_goods_ordinance.py``) writes them to the jp pack as data.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

from clearance.law.egov import kanji_number, row_id

_ARTICLE = re.compile(r"^## 第([一二三四五六七八九十]+)条(?:の([一二三四五六七八九十]+))?(?:　(.*))?$")
_APPENDIX = re.compile(r"^## 別表第([一二三四五六七八九十]+)(?:　(.*))?$")
_PARAGRAPH = re.compile(r"^([０-９]+)　(.*)$")
_LIST = re.compile(r"^((?:  )*)- (.*)$")
_LEAD_ROW = re.compile(
    r"(輸出貿易管理令（以下「輸出令」という。）別表第一|輸出令別表第一|外為令別表)の"
    r"([〇一二三四五六七八九十]+(?:の[〇一二三四五六七八九十]+)?)の項(?:（([〇一二三四五六七八九十]+(?:の[〇一二三四五六七八九十]+)?)）)?"
)
_ROMAN = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)  # fmt: skip
_FULL_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def roman(number: int) -> str:
    """``19`` as ``xix`` (item numbers in English citations of Japanese law)."""
    out = []
    for value, letters in _ROMAN:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


def _numbered(label: str) -> str:
    """``十七の二`` as ``17-2``."""
    head, _, tail = label.partition("の")
    return f"{kanji_number(head)}-{kanji_number(tail)}" if tail else str(kanji_number(head))


@dataclass(frozen=True, slots=True)
class Clause:
    """One article, paragraph, item or sub-item of the ordinance.

    ``id`` is the number path (``6(1)(xix)イ(二)``); ``label`` the same for reading (``Art. 6(1)(xix) イ (二)``);
    ``numbers`` the printed numbers from the article down (``("6", "1", "十九", "イ", "（二）")``); ``table`` and
    ``row`` the appended table (``eo``: Export Trade Control Order Appended Table 1, ``feo``: Foreign Exchange
    Order Appended Table) and its row (``7``, or ``3(1)`` where the paragraph names the sub-item).
    """

    id: str
    label: str
    kind: str
    numbers: tuple[str, ...]
    parent: str | None
    text: str
    caption: str | None = None
    table: str | None = None
    row: str | None = None


def _article_id(head: str, tail: str | None) -> str:
    return str(kanji_number(head)) + (f"-{kanji_number(tail)}" if tail else "")


def _lead_row(text: str) -> tuple[str | None, str | None]:
    match = _LEAD_ROW.search(text)
    if not match:
        return None, None
    table = "feo" if match.group(1) == "外為令別表" else "eo"
    row = row_id(match.group(2))
    return table, (f"{row}({_numbered(match.group(3))})" if match.group(3) else row)


def _step(depth: int, label: str) -> tuple[str, str]:
    """The id part and the reading part of one list level's printed number."""
    if depth == 0:
        # deleted runs are printed together: 十二及び十三　削除, 七から十まで　削除
        parts = label.removesuffix("まで").replace("から", "及び").split("及び")
        shown = ("-" if "から" in label else ",").join(_roman_item(part) for part in parts)
        return f"({shown})", f"({shown})"
    if label.startswith("（"):
        return f"({label[1:-1]})", f" ({label[1:-1]})"
    plain = label.translate(_FULL_DIGITS)
    return plain, f" {plain}"


def _roman_item(label: str) -> str:
    """``十七の二`` as ``xvii-2``."""
    head, _, tail = _numbered(label).partition("-")
    return roman(int(head)) + (f"-{tail}" if tail else "")


class _Builder:
    """Accumulates clauses while the Markdown is read line by line."""

    def __init__(self) -> None:
        self.clauses: list[Clause] = []
        self.article: Clause | None = None
        self.paragraph: Clause | None = None
        self.stack: list[Clause] = []
        self.texts: dict[str, list[str]] = {}

    def add(self, clause: Clause, text: str) -> None:
        self.clauses.append(clause)
        self.texts[clause.id] = [text] if text else []

    def append_text(self, clause_id: str, text: str) -> None:
        self.texts[clause_id].append(text)

    def finish(self) -> list[Clause]:
        out = []
        for clause in self.clauses:
            text = "".join(self.texts[clause.id])
            out.append(dataclasses.replace(clause, text=text))
        return out


def _fields(clause: Clause) -> dict[str, object]:
    return {name: getattr(clause, name) for name in Clause.__slots__}


def parse_ordinance(markdown: str) -> list[Clause]:
    """Every clause of the ordinance's Markdown rendering, in order (articles, paragraphs, items, sub-items,
    and the appended tables as one clause each)."""
    b = _Builder()
    last: str | None = None
    for raw in markdown.split("\n"):
        if not raw.strip() or raw.startswith("# ") or raw.startswith("- law_id") or raw.startswith("- source"):
            continue
        article = _ARTICLE.match(raw)
        appendix = _APPENDIX.match(raw)
        if article or appendix:
            if article:
                aid = _article_id(article.group(1), article.group(2))
                caption = article.group(3)
                cid, label, numbers = aid, f"Art. {aid}", (aid,)
            else:
                assert appendix is not None
                n = kanji_number(appendix.group(1))
                caption = appendix.group(2)
                cid, label, numbers = f"AT{n}", f"Appended Table {n}", (f"別表第{appendix.group(1)}",)
            caption = caption.strip("（）") if caption else None
            b.article = Clause(cid, label, "article" if article else "appended_table", numbers, None, "", caption)
            b.add(b.article, "")
            b.paragraph, b.stack, last = None, [], cid
            continue
        if b.article is None:
            continue
        if b.article.kind == "appended_table":
            b.append_text(b.article.id, ("\n" if b.texts[b.article.id] else "") + raw)
            continue
        paragraph = _PARAGRAPH.match(raw)
        listed = _LIST.match(raw)
        if paragraph or (not listed and not raw.startswith(" ")):
            number = paragraph.group(1).translate(_FULL_DIGITS) if paragraph else "1"
            text = paragraph.group(2) if paragraph else raw
            table, row = _lead_row(text)
            a = b.article
            b.paragraph = Clause(
                f"{a.id}({number})", f"{a.label}({number})", "paragraph", (*a.numbers, number), a.id, "",
                table=table, row=row,
            )  # fmt: skip
            b.add(b.paragraph, text)
            b.stack, last = [], b.paragraph.id
            continue
        if listed:
            depth = len(listed.group(1)) // 2
            label, _, text = listed.group(2).partition("　")
            parent = b.paragraph or _implied_paragraph(b)
            b.stack = b.stack[:depth]
            above = b.stack[-1] if b.stack else parent
            id_part, read_part = _step(depth, label)
            clause = Clause(
                above.id + id_part, above.label + read_part, "item" if depth == 0 else "sub_item",
                (*above.numbers, label), above.id, "", table=parent.table, row=parent.row,
            )  # fmt: skip
            b.add(clause, text.strip())
            b.stack.append(clause)
            last = clause.id
            continue
        if last is not None:  # a continuation line (the rendering breaks lines around ruby text)
            b.append_text(last, raw.strip())
    return b.finish()


def _implied_paragraph(b: _Builder) -> Clause:
    """Articles whose first paragraph has no lead sentence of its own (none in the 2026 text; kept total)."""
    assert b.article is not None
    a = b.article
    b.paragraph = Clause(f"{a.id}(1)", f"{a.label}(1)", "paragraph", (*a.numbers, "1"), a.id, "")
    b.add(b.paragraph, "")
    return b.paragraph


_XML_ARTICLE = re.compile(r"^第([一二三四五六七八九十]+)条(?:の([一二三四五六七八九十]+))?$")
_XML_LEVELS = ("Item", *(f"Subitem{n}" for n in range(1, 11)))


def _xml_text(element: ET.Element | None) -> str:
    """The sentences under ``element`` joined, without ruby (``<Ruby>`` and its reading ``<Rt>``: the e-Gov XML in
    the source repository moved ruby bases to the end of their sentence, and the Markdown rendering of the text in
    force 2026-02-14 drops them, so texts from either compare alike) and without the pretty-printer's whitespace."""
    if element is None:
        return ""
    parts: list[str] = []

    def walk(node: ET.Element) -> None:
        parts.append((node.text or "").strip())
        for child in node:
            if child.tag != "Ruby":
                walk(child)
            parts.append((child.tail or "").strip())

    for sentence in element.iter("Sentence"):
        walk(sentence)
    return "".join(parts)


def parse_ordinance_xml(root: ET.Element) -> list[Clause]:
    """Every clause of the articles in an e-Gov XML tree (a whole law or an excerpt), as :func:`parse_ordinance`
    reads them from the Markdown rendering: same ids, labels, numbers, texts and rows."""
    clauses: list[Clause] = []
    for article in root.iter("Article"):
        title = _XML_ARTICLE.match(article.findtext("ArticleTitle", "").strip())
        if title is None:
            raise ValueError(f"unexpected article title {article.findtext('ArticleTitle')!r}")
        aid = _article_id(title.group(1), title.group(2))
        caption = (article.findtext("ArticleCaption") or "").strip().strip("（）") or None
        top = Clause(aid, f"Art. {aid}", "article", (aid,), None, "", caption)
        clauses.append(top)
        for paragraph in article.findall("Paragraph"):
            number = paragraph.get("Num", "1")
            text = _xml_text(paragraph.find("ParagraphSentence"))
            table, row = _lead_row(text)
            para = Clause(
                f"{aid}({number})",
                f"{top.label}({number})",
                "paragraph",
                (aid, number),
                aid,
                text,
                table=table,
                row=row,
            )
            clauses.append(para)
            _xml_items(paragraph, para, 0, clauses)
    return clauses


def _xml_items(parent: ET.Element, above: Clause, depth: int, out: list[Clause]) -> None:
    level = _XML_LEVELS[depth]
    for element in parent.findall(level):
        label = element.findtext(f"{level}Title", "").strip()
        id_part, read_part = _step(depth, label)
        clause = Clause(
            above.id + id_part, above.label + read_part, "item" if depth == 0 else "sub_item",
            (*above.numbers, label), above.id, _xml_text(element.find(f"{level}Sentence")),
            table=above.table, row=above.row,
        )  # fmt: skip
        out.append(clause)
        _xml_items(element, clause, depth + 1, out)


_SOURCE = re.compile(r"^- source: `(\w+)_(\d{4})(\d{2})(\d{2})_(.+)\.xml`$", re.M)
_XML_NAME = re.compile(r"^(\w+)_(\d{4})(\d{2})(\d{2})_(.+)\.xml$")


def version_files(markdown: str) -> dict[str, dict[str, Any]]:
    """The data files of one version of the ordinance from its Markdown rendering: ``version.yaml`` (law id,
    in-force date, amending act, source file and its hash) and one ``<article>.yaml`` per article or appended
    table, clauses by id."""
    found = _SOURCE.search(markdown)
    if not found:
        raise ValueError("the source line (- source: `<law id>_<YYYYMMDD>_<amending act>.xml`) is missing")
    law_id, year, month, day, amended_by = found.groups()
    source = {"source_file": found.group(0).split("`")[1], "source_sha256": _sha256(markdown)}
    return _files(parse_ordinance(markdown), law_id, dt.date(int(year), int(month), int(day)), amended_by, source)


def xml_version_files(name: str, text: str) -> dict[str, dict[str, Any]]:
    """The data files of one version from an e-Gov XML excerpt named ``<law id>_<YYYYMMDD>_<amending act>.xml``
    (``version.yaml`` says ``excerpt: true``: only the clauses the excerpt holds are bundled for that version)."""
    found = _XML_NAME.match(name)
    if not found:
        raise ValueError(f"{name}: expected <law id>_<YYYYMMDD>_<amending act>.xml")
    law_id, year, month, day, amended_by = found.groups()
    source = {"source_file": f"sources/{name}", "source_sha256": _sha256(text), "excerpt": True}
    clauses = parse_ordinance_xml(ET.fromstring(text.encode("utf-8")))
    return _files(clauses, law_id, dt.date(int(year), int(month), int(day)), amended_by, source)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _files(
    clauses: list[Clause], law_id: str, in_force: dt.date, amended_by: str, source: dict[str, Any]
) -> dict[str, dict[str, Any]]:
    files: dict[str, dict[str, Any]] = {}
    articles: list[str] = []
    rows: dict[str, list[str]] = {}
    for clause in clauses:
        if clause.kind == "paragraph" and clause.table == "eo" and clause.row:
            held = rows.setdefault(clause.row.split("(")[0], [])
            held.extend([] if clause.numbers[0] in held else [clause.numbers[0]])
        top = clause.numbers[0] if clause.kind in ("article", "appended_table") else None
        if top is not None:
            articles.append(clause.id)
            files[f"{clause.id}.yaml"] = {"article": clause.id, "clauses": {}}
        record = {k: v for k, v in _fields(clause).items() if k != "id" and v is not None and v != ""}
        record["numbers"] = list(clause.numbers)
        files[f"{articles[-1]}.yaml"]["clauses"][clause.id] = record
    files["version.yaml"] = {
        "law": "輸出貿易管理令別表第一及び外国為替令別表の規定に基づき貨物又は技術を定める省令",
        "law_id": law_id,
        "in_force": in_force.isoformat(),
        "amended_by": amended_by,
        **source,
        "articles": articles,
        "eo_rows": rows,
    }
    return files
