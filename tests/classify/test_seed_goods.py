"""The five seed goods of the 2019 measures, assessed from their specifications (examples/classify/), each with
its certificate in both languages (HTML, and PDF where Chromium is installed); and the docs name every
parameter of the vocabulary."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from clearance.classify.assess import Assessor, assessor, parse_request
from clearance.classify.certificate import CHROMIUM, certificate_html, certificate_xlsx, html_to_pdf
from clearance.classify.ordinance import ROOT as ORDINANCE
from clearance.classify.ordinance import GoodsOrdinance
from clearance.classify.sheets import SheetSet, parameters
from clearance.classify.views import assessment_view

ROOT = Path(__file__).resolve().parents[2]
SEEDS = {
    "anhydrous-hf.json": ("listed", "jp:3(1)"),
    "hydrofluoric-acid-49.json": ("listed", "jp:3(1)"),
    "fluorinated-polyimide.json": ("listed", "jp:5(17)"),
    "euv-resist.json": ("listed", "jp:7(19)"),
    "arf-resist.json": ("not_listed", "jp:7(19)"),
}


@pytest.fixture(scope="module")
def worker(jp_pack: Any) -> Assessor:
    return assessor({"jp": jp_pack})


@pytest.mark.parametrize(("name", "expected"), SEEDS.items(), ids=list(SEEDS))
def test_seed_good(worker: Assessor, name: str, expected: tuple[str, str], tmp_path: Path) -> None:
    request = json.loads((ROOT / "examples" / "classify" / name).read_text(encoding="utf-8"))
    view = assessment_view(worker.assess(parse_request(request)))
    verdict, ref = expected
    assert view["verdict"] == verdict
    assert {e["ref"]: e["verdict"] for e in view["entries"]}[ref] == verdict
    record = {
        "id": f"SEED-{name}",
        "part_number": request["product"]["part_number"],
        "classified_by": "tanaka",
        "classified_at": "2026-03-01",
        "approved_by": "suzuki",
        "approved_at": "2026-03-02",
    }
    for lang, word in (("ja", "該非判定書"), ("en", "classification certificate")):
        html = certificate_html(view, record, lang)  # type: ignore[arg-type]
        assert word in html and request["product"]["name"] in html
        assert certificate_xlsx(view, record, lang).startswith(b"PK")  # type: ignore[arg-type]
        if CHROMIUM.exists():
            assert html_to_pdf(html).startswith(b"%PDF-")


def test_docs_name_every_parameter() -> None:
    docs = (ROOT / "docs" / "classification.md").read_text(encoding="utf-8")
    missing = [name for name in parameters().parameters if f"`{name}`" not in docs]
    assert not missing, f"add to the vocabulary table of docs/classification.md: {missing}"


@pytest.mark.parametrize(("name", "expected"), SEEDS.items(), ids=list(SEEDS))
def test_seed_good_in_july_2019(worker: Assessor, name: str, expected: tuple[str, str]) -> None:
    """Assessed on 2019-07-04 (the first shipments under the measures) with the text in force since 2019-07-01."""
    request = json.loads((ROOT / "examples" / "classify" / name).read_text(encoding="utf-8"))
    view = assessment_view(worker.assess(parse_request({**request, "date": "2019-07-04"})))
    verdict, ref = expected
    entry = {e["ref"]: e for e in view["entries"]}[ref]
    assert (view["verdict"], entry["verdict"]) == (verdict, verdict)
    # the sheets start on the earliest bundled version reading their clauses alike (Art. 4(1)(xiv): 2017-01-07)
    assert entry["sheet_in_force"] == ("2017-01-07" if ref == "jp:5(17)" else "2019-01-09")
    assert {c["in_force"] for c in entry["citations"]} == {"2019-07-01"}
    assert not view["warnings"]


def test_hydrofluoric_acid_when_the_text_in_force_is_not_bundled(jp_pack: Any, tmp_path: Path) -> None:
    """With the version of 2020-01-22 not bundled, 2020-01-25 (which falls in it) is undecided, saying why, never
    answered from the text of 2019-07-01. (No sheet starts on 2020-01-22, so the others still load.)"""
    root = tmp_path / "goods_ordinance"
    shutil.copytree(ORDINANCE, root, ignore=shutil.ignore_patterns("2020-01-22"))
    ordinance = GoodsOrdinance(root)
    worker = Assessor(jp_pack, SheetSet(jp_pack.sources, ordinance, root / "sheets"), ordinance)
    request = json.loads((ROOT / "examples" / "classify" / "hydrofluoric-acid-49.json").read_text(encoding="utf-8"))
    view = assessment_view(worker.assess(parse_request({**request, "date": "2020-01-25"})))
    entry = {e["ref"]: e for e in view["entries"]}["jp:3(1)"]
    assert (view["verdict"], entry["verdict"]) == ("undecided", "undecided")
    assert "2020-01-22" in entry["note"] and "not bundled" in entry["note"]
    assert any("2020-01-22" in w for w in view["warnings"])


@pytest.mark.parametrize(("day", "version"), [("2023-03-23", "2022-12-06"), ("2023-08-01", "2023-07-23")])
@pytest.mark.parametrize(("name", "expected"), SEEDS.items(), ids=list(SEEDS))
def test_seed_good_in_2023(worker: Assessor, name: str, expected: tuple[str, str], day: str, version: str) -> None:
    """Assessed with the text in force on the day (2022-12-06 before, 2023-07-23 after Korea's return to Group A)."""
    request = json.loads((ROOT / "examples" / "classify" / name).read_text(encoding="utf-8"))
    view = assessment_view(worker.assess(parse_request({**request, "date": day})))
    verdict, ref = expected
    entry = {e["ref"]: e for e in view["entries"]}[ref]
    assert (view["verdict"], entry["verdict"]) == (verdict, verdict)
    starts = {"jp:3(1)": "2021-12-15", "jp:5(17)": "2017-01-07"}
    assert entry["sheet_in_force"] == starts.get(ref, "2019-01-09")
    assert {c["in_force"] for c in entry["citations"]} == {version}
