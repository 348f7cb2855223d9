"""The classification certificate (該非判定書) of a recorded assessment, in Japanese or English: printable HTML (and
PDF printed from it by headless Chromium) and XLSX. Product, each entry checked with its clauses and answers
(○ holds, × does not hold, — open), verdict, catch-all part, the law's version and date, who classified and who
approved (a draft says so on every page)."""

from __future__ import annotations

import io
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from clearance.classify.datafile import DATA, Strict, read
from clearance.errors import ClearanceError

Lang = Literal["ja", "en"]
#: Where the PDF printer looks for Chromium (Debian's package).
CHROMIUM = Path("/usr/bin/chromium")
MARKS = {True: "○", False: "×", None: "—"}


class _Label(Strict):
    """A label in both languages of the certificate."""

    ja: str
    en: str


class _Labels(Strict):
    """The certificate's labels by key (``classify/data/certificate_labels.yaml``)."""

    labels: dict[str, _Label]


LABELS: dict[str, dict[str, str]] = {
    key: label.model_dump() for key, label in read(DATA / "certificate_labels.yaml", _Labels).labels.items()
}


def _label(key: str, lang: Lang) -> str:
    return LABELS[key][lang]


def certificate_data(assessment: Mapping[str, Any], record: Mapping[str, Any], lang: Lang) -> dict[str, Any]:
    """What the certificate shows, in ``lang``: labels, product facts, entries with their tests, signatures."""
    product = assessment["product"]
    verdict = assessment["verdict"]
    entries = []
    for e in assessment["entries"]:
        title = e["title_local"] if lang == "ja" and e["title_local"] else e["title"] or e["title_local"]
        entries.append(
            {
                "ref": e["ref"],
                "title": title,
                "verdict": _label(e["verdict"], lang),
                "clause": e["clause"],
                "note": e["note"],
                "tests": [
                    {
                        "clause": t["clause"],
                        "text": t["clause_text"],
                        "parameter": t["parameter"],
                        "value": _shown(t["value"]),
                        "test": f"{t['symbol']} {_shown(t['threshold'])} {t['unit'] or ''}".strip(),
                        "answer": MARKS[t["result"]],
                    }
                    for t in e["tests"]
                ],
            }
        )
    catch_all = assessment["catch_all"] or _label("none", lang)
    law = _label("law_text", lang).format(
        in_force=assessment["law"]["goods_ordinance_in_force"], date=assessment["date"]
    )
    return {
        "lang": lang,
        "l": {k: v[lang] for k, v in LABELS.items()},
        "id": record["id"],
        "draft": not record.get("approved_by"),
        "product": {
            "name": product["name"],
            "part_number": record.get("part_number") or product.get("part_number") or "",
            "description": product.get("description") or "",
            "hs_code": product.get("hs_code") or "",
            "composition": "; ".join(
                c["cas"] + (f" {c['weight_percent']} %" if c.get("weight_percent") is not None else "")
                for c in product.get("composition") or []
            ),
            "parameters": "; ".join(f"{k} = {_shown(v)}" for k, v in assessment["parameters"].items()),
        },
        "verdict": _label(verdict, lang),
        "verdict_key": verdict,
        "catch_all": catch_all,
        "catch_all_reason": assessment["catch_all_detail"]["reason"],
        "entries": entries,
        "questions": [q["question_local"] if lang == "ja" else q["question"] for q in assessment["questions"]],
        "law": law,
        "data_version": assessment["data_version"],
        "classified_by": f"{record['classified_by']} ({record['classified_at']})",
        "approved_by": (
            f"{record['approved_by']} ({record['approved_at']})"
            if record.get("approved_by")
            else _label("not_approved", lang)
        ),
    }


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def certificate_html(assessment: Mapping[str, Any], record: Mapping[str, Any], lang: Lang) -> str:
    """The certificate as a printable HTML page (A4, fonts for Japanese)."""
    from jinja2 import Environment, PackageLoader, select_autoescape  # loads only to write a page

    env = Environment(loader=PackageLoader("clearance.classify", "templates"), autoescape=select_autoescape())
    return env.get_template("certificate.html").render(**certificate_data(assessment, record, lang))


def certificate_xlsx(assessment: Mapping[str, Any], record: Mapping[str, Any], lang: Lang) -> bytes:
    """The certificate as a workbook: the heading facts, then a row per test of each entry checked."""
    from openpyxl import Workbook  # loads only to write a workbook
    from openpyxl.styles import Alignment, Font

    data = certificate_data(assessment, record, lang)
    labels = data["l"]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = labels["title"][:31]
    sheet.append([labels["title"] + (f"  [{labels['draft']}]" if data["draft"] else "")])
    sheet["A1"].font = Font(bold=True, size=14)
    product = data["product"]
    for key in ("number", "name", "part_number", "description", "hs_code", "composition", "parameters"):
        value = data["id"] if key == "number" else product[key]
        sheet.append([labels[key], value])
    for key, value in (
        ("verdict", data["verdict"]),
        ("catch_all", f"{data['catch_all']} — {data['catch_all_reason']}"),
        ("law", data["law"]),
        ("data_version", data["data_version"]),
        ("classified_by", data["classified_by"]),
        ("approved_by", data["approved_by"]),
    ):
        sheet.append([labels[key], value])
    sheet.append([])
    header = [
        "ref",
        labels["clause"],
        labels["text"],
        labels["parameter"],
        labels["value"],
        labels["test"],
        labels["answer"],
    ]
    sheet.append([labels["entries"]])
    sheet.append(header)
    for entry in data["entries"]:
        sheet.append([entry["ref"], entry["title"], entry["verdict"]])
        for t in entry["tests"]:
            sheet.append([entry["ref"], t["clause"], t["text"], t["parameter"], t["value"], t["test"], t["answer"]])
    if data["questions"]:
        sheet.append([])
        sheet.append([labels["questions"]])
        for question in data["questions"]:
            sheet.append(["", question])
    sheet.append([])
    sheet.append([labels["marks"]])
    sheet.append([labels["notice"]])
    for column, width in zip("ABCDEFG", (22, 30, 60, 26, 14, 16, 8), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def html_to_pdf(html: str, chromium: Path = CHROMIUM) -> bytes:
    """Print HTML to PDF with headless Chromium; :class:`ClearanceError` when Chromium is missing or fails."""
    if not chromium.exists():
        raise ClearanceError(f"{chromium} not found: install Chromium to print PDF (or write --format html)")
    with tempfile.TemporaryDirectory() as folder:
        page, pdf = Path(folder) / "certificate.html", Path(folder) / "certificate.pdf"
        page.write_text(html, encoding="utf-8")
        args = [
            str(chromium),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={folder}/profile",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ]
        done = subprocess.run(args, capture_output=True, timeout=120, check=False)
        if done.returncode != 0 or not pdf.exists():
            raise ClearanceError(
                f"Chromium could not print the certificate: {done.stderr.decode(errors='replace')[-300:]}"
            )
        return pdf.read_bytes()
