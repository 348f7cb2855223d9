"""Recorded classifications: four-eyes approval, the audit trail, the certificate (該非判定書) in Japanese and
English as HTML, PDF and XLSX, the catalogue entry that ``determine`` reads and cites, and ``classify recheck``."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

import clearance.cli.classify as cli
from clearance.classify.certificate import CHROMIUM, certificate_html, certificate_xlsx, html_to_pdf
from clearance.classify.records import catalogue_classification, changed_clauses
from clearance.errors import ConflictError, InputError, PermissionDeniedError
from clearance.law import RegulationSet
from clearance.store import Store

HF49 = {
    "regime": "jp",
    "date": "2026-03-01",
    "product": {
        "name": "Hydrofluoric acid 49 %",
        "description": "49 % hydrofluoric acid for semiconductor etching",
        "kind": "goods",
        "hs_code": "2811.11",
        "composition": [{"cas": "7664-39-3", "weight_percent": 49}, {"cas": "7732-18-5", "weight_percent": 51}],
    },
}


@pytest.fixture(autouse=True)
def only_jp(monkeypatch: pytest.MonkeyPatch, jp_pack: Any, tmp_path: Path) -> None:
    monkeypatch.setattr(cli, "regulations", lambda: RegulationSet({"jp": jp_pack}))
    monkeypatch.setenv("CLEARANCE_DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite'}")


def run(*args: str, stdin: str | None = None) -> Any:
    return CliRunner().invoke(cli.app, list(args), input=stdin)


def record(request: dict[str, Any], part: str, by: str = "tanaka") -> str:
    result = run("assess", "-", "--record", "--part-number", part, "--by", by, "--json", stdin=json.dumps(request))
    assert result.exit_code == 0, result.stderr
    return str(json.loads(result.stdout)["id"])


def test_record_approve_and_audit(tmp_path: Path) -> None:
    cid = record(HF49, "HF-49")
    same = run("approve", cid, "--by", "tanaka")
    assert same.exit_code == 2 and "a second person must approve it" in same.stderr
    catalogue = tmp_path / "catalogue.csv"
    approved = run("approve", cid, "--by", "suzuki", "--catalogue", str(catalogue), "--json")
    assert approved.exit_code == 0, approved.stderr
    again = run("approve", cid, "--by", "sato")
    assert again.exit_code == 2 and "was approved by" in again.stderr
    store = Store(f"sqlite:///{tmp_path / 'db.sqlite'}")
    try:
        kinds = [e.kind for e in store.audit.entries()]
        assert kinds[-2:] == ["classification.recorded", "classification.approved"]
        assert store.audit.verify().ok
        stored = store.classifications.get(cid)
        assert stored.approved_by and stored.approved_by.endswith("as suzuki") and stored.entry == "jp:3(1)"
    finally:
        store.close()
    text = catalogue.read_text(encoding="utf-8")
    assert "HF-49" in text and ",listed,1C350,3(1)," in text and f"該非判定書 {cid}" in text


def test_undecided_cannot_be_approved(tmp_path: Path) -> None:
    request = {**HF49, "product": {"name": "Hydrogen fluoride", "composition": [{"cas": "7664-39-3"}]}}
    cid = record(request, "HF-X")
    result = run("approve", cid, "--by", "suzuki")
    assert result.exit_code == 2 and "undecided" in result.stderr


def test_store_rules(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'other.sqlite'}")
    try:
        view = {
            "regime": "jp",
            "date": "2026-03-01",
            "verdict": "undecided",
            "entries": [],
            "catch_all": None,
            "data_version": "x",
        }
        stored = store.classifications.record(HF49, view, "P-1", "alice")
        with pytest.raises(PermissionDeniedError):
            store.classifications.approve(stored.id, "alice")
        with pytest.raises(ConflictError):
            store.classifications.approve(stored.id, "bob")
        assert store.classifications.current() == []
    finally:
        store.close()


def test_determine_reads_and_cites_the_approved_classification(tmp_path: Path) -> None:
    from clearance.cli import app as main_app

    cid = record(HF49, "HF-49")
    catalogue = tmp_path / "catalogue.csv"
    assert run("approve", cid, "--by", "suzuki", "--catalogue", str(catalogue)).exit_code == 0
    shipment = {
        "regime": "jp",
        "date": "2026-03-01",
        "destination": "KR",
        "item": {"product": "HF-49"},
        "end_use": "civil",
        "end_user": {"name": "Example Semiconductor Co."},
    }
    result = CliRunner().invoke(
        main_app, ["determine", "-", "--catalogue", str(catalogue), "--json"], input=json.dumps(shipment)
    )
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["control_entry"]["entry"] == "3(1)" and out["licence_required"] is True
    step = next(s for s in out["steps"] if s["rule"] == "rows.3")
    assert f"該非判定書 {cid}" in step["facts"]["evidence"]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_certificate_html_and_xlsx(tmp_path: Path, lang: str) -> None:
    cid = record(HF49, "HF-49")
    html_file, xlsx_file = tmp_path / f"c-{lang}.html", tmp_path / f"c-{lang}.xlsx"
    assert run("certificate", cid, "-o", str(html_file), "--lang", lang).exit_code == 0
    assert run("certificate", cid, "-o", str(xlsx_file), "--lang", lang).exit_code == 0
    html = html_file.read_text(encoding="utf-8")
    title, verdict, draft = (
        ("該非判定書", "該当", "草案") if lang == "ja" else ("classification certificate", "Listed", "DRAFT")
    )
    assert title in html and verdict in html and draft in html and cid in html
    assert "フッ化水素" in html and "○" in html and "Art. 2(1)(i)" in html and "2026-02-14" in html
    sheet = load_workbook(io.BytesIO(xlsx_file.read_bytes())).active
    assert sheet is not None
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert any(verdict in c for c in cells) and "○" in cells and cid in cells


def test_certificate_bad_options(tmp_path: Path) -> None:
    cid = record(HF49, "HF-49")
    assert run("certificate", cid, "-o", str(tmp_path / "c.doc")).exit_code == 2
    assert run("certificate", cid, "-o", str(tmp_path / "c.html"), "--lang", "fr").exit_code == 2
    missing = run("certificate", "C-NONE", "-o", str(tmp_path / "c.html"))
    assert missing.exit_code == 2 and "no classification" in missing.stderr


@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} not installed: the PDF is printed by Chromium")
def test_certificate_pdf(tmp_path: Path) -> None:
    cid = record(HF49, "HF-49")
    pdf = tmp_path / "c.pdf"
    result = run("certificate", cid, "-o", str(pdf), "--lang", "ja")
    assert result.exit_code == 0, result.stderr
    assert pdf.read_bytes().startswith(b"%PDF-")


def test_pdf_printer_missing_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="not found"):
        html_to_pdf("<p>x</p>", tmp_path / "no-chromium")


def test_catalogue_classification_refuses_undecided(jp_pack: Any) -> None:
    view = {"verdict": "undecided", "date": "2026-03-01", "entries": []}
    with pytest.raises(InputError):
        catalogue_classification(view, {"id": "C1"}, jp_pack)


def test_recheck_lists_changed_verdicts_with_the_clauses(tmp_path: Path) -> None:
    cid = record(HF49, "HF-49")
    assert run("approve", cid, "--by", "suzuki").exit_code == 0
    same = json.loads(run("recheck", "--as-of", "2026-06-01", "--json").stdout)
    assert same["checked"] == 1 and same["changed"] == []
    before = json.loads(run("recheck", "--as-of", "2018-06-01", "--json").stdout)  # text not bundled
    (change,) = before["changed"]
    assert change["id"] == cid and change["before"] == "listed" and change["after"] == "undecided"
    assert "Art. 2(1)(i) / Art. 2(1)(i) ヘ" in change["clauses"]


def test_changed_clauses_names_the_clause_whose_text_changed() -> None:
    def view(text: str, result: bool) -> dict[str, Any]:
        test = {
            "clause": "Art. 6(1)(xix) イ (一)",
            "parameter": "exposure_wavelength_nm",
            "clause_text": text,
            "result": result,
        }
        return {"entries": [{"ref": "jp:7(19)", "clause": "Art. 6(1)(xix)", "tests": [test]}]}

    assert changed_clauses(view("二四五ナノメートル未満", True), view("一九三ナノメートル未満", False)) == [
        "Art. 6(1)(xix) イ (一)"
    ]
    assert changed_clauses(view("a", True), view("a", True)) == []


def test_certificate_functions_mark_a_draft() -> None:
    assessment = {
        "regime": "jp",
        "date": "2026-03-01",
        "verdict": "not_listed",
        "product": {"name": "Chair"},
        "entries": [],
        "catch_all": None,
        "catch_all_detail": {"reason": "outside"},
        "questions": [],
        "parameters": {},
        "law": {"goods_ordinance_in_force": "2026-02-14"},
        "data_version": "v",
    }
    meta = {"id": "C1", "part_number": "P", "classified_by": "a", "classified_at": "t", "approved_by": None}
    assert "草案" in certificate_html(assessment, meta, "ja") and "非該当" in certificate_html(assessment, meta, "ja")
    assert certificate_xlsx(assessment, {**meta, "approved_by": "b", "approved_at": "t2"}, "en").startswith(b"PK")
