"""Impact analysis on the sample portfolio, checked against answers derived independently from the pack data."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from clearance.impact.portfolio import read_portfolio
from clearance.impact.runs import against_scenario, between_dates, pending
from clearance.law.codes import code_within, normalise_code
from clearance.law.scenario import read_scenario
from support import ROOT, run_cli

PORTFOLIO = ROOT / "examples" / "portfolio"
JP = ROOT / "src" / "clearance" / "regulations" / "jp"


def _yaml(relative: str) -> Any:
    return yaml.safe_load((JP / relative).read_text(encoding="utf-8"))


def _lines() -> list[dict[str, Any]]:
    """Order lines joined with their customer's country and the product's jp classification, read as plain CSV."""
    customers = {r["customer_id"]: r for r in csv.DictReader((PORTFOLIO / "customers.csv").open(encoding="utf-8"))}
    products = {
        r["part_number"]: r
        for r in csv.DictReader((PORTFOLIO / "catalogue.csv").open(encoding="utf-8"))
        if r["regime"] == "jp"
    }
    out = []
    for order in csv.DictReader((PORTFOLIO / "orders.csv").open(encoding="utf-8")):
        product = products[order["part_number"]]
        out.append({**order, "country": customers[order["customer_id"]]["country"], **product})
    return out


def _row_of(code: str) -> str | None:
    """Row of a code from entries.yaml (longest prefix) or the category/series ranges in rows.yaml."""
    entries = _yaml("control_list/entries.yaml")
    best = None
    for entry in entries.values():
        for prefix in next(iter(entry["values"].values()))["codes"]:
            if code_within(code, normalise_code(prefix)) and (best is None or len(prefix) > len(best[0])):
                best = (prefix, entry["row"])
    if best:
        return str(best[1])
    for rid, row in _yaml("control_list/rows.yaml").items():
        for rng in next(iter(row["values"].values())).get("covers", []):
            if code[0] in rng["categories"] and code[2] in rng["series"]:
                return str(rid)
    return None


def _general_bulk_rows() -> set[str]:
    when = next(iter(_yaml("licence_types.yaml")["general_bulk"]["values"].values()))["when"]
    return {str(r) for r in when["all"][1]["item_in_rows"]}


def _low_value(line: dict[str, Any], row: str) -> bool:
    return row in {str(n) for n in range(5, 14)} and Decimal(line["value"]) <= 1_000_000 and line["currency"] == "JPY"


def _three_items(code: str, cas: str) -> bool:
    return code.startswith(("1C009.b", "3C002")) or (code.startswith("1C350") and cas == "7664-39-3")


def test_white_list_removal_hits_exactly_the_korean_lines_that_relied_on_general_bulk() -> None:
    expected = set()
    for line in _lines():
        if line["country"] != "KR" or line["status"] != "listed":
            continue
        code = normalise_code(line["control_code"])
        row = _row_of(code)
        if row in _general_bulk_rows() and not _three_items(code, line["cas"]) and not _low_value(line, row):
            expected.add(line["order_id"])
    report = between_dates(read_portfolio(PORTFOLIO), "jp", dt.date(2019, 8, 1), dt.date(2019, 8, 28))
    assert {line.order_id for line in report.affected} == expected
    assert expected, "the sample portfolio should show the change"
    for line in report.affected:
        assert [c.kind for c in line.changes] == ["options_lost", "group_changed"]
        assert "co_2019_71" in line.changes[0].citations
        assert "general_bulk" not in line.apply_for and "special_general_bulk" in line.apply_for


def test_three_item_measure_hits_exactly_the_korean_lines_of_the_three_items() -> None:
    expected = set()
    for line in _lines():
        if line["country"] == "KR" and line["status"] == "listed" and line["kind"] == "goods":
            code = normalise_code(line["control_code"])
            if _three_items(code, line["cas"]) and not _low_value(line, _row_of(code) or ""):
                expected.add(line["order_id"])
    report = between_dates(read_portfolio(PORTFOLIO), "jp", dt.date(2019, 7, 1), dt.date(2019, 7, 10))
    assert {line.order_id for line in report.affected} == expected
    for line in report.affected:
        assert line.after is not None and line.after.options == ("individual",)
        kinds = {c.kind for c in line.changes}
        assert {"options_lost", "lead_time_added"} <= kinds
        assert "meti_2019_07_01" in line.changes[0].citations
        assert line.apply_by == line.ship_date - dt.timedelta(days=90)
        assert line.late == (line.apply_by < dt.date(2019, 7, 1))


def test_a_scenario_reproduces_the_real_white_list_change() -> None:
    book = read_portfolio(PORTFOLIO)
    real = between_dates(book, "jp", dt.date(2019, 8, 1), dt.date(2019, 8, 28))
    scenario = against_scenario(
        book, read_scenario(ROOT / "examples" / "scenarios" / "kr-leaves-group-a.yaml"), dt.date(2019, 8, 1)
    )
    assert [(x.order_id, x.after) for x in scenario.affected] == [(x.order_id, x.after) for x in real.affected]
    assert "scenario_kr_group_a" in scenario.affected[0].changes[0].citations


def test_pending_changes_known_on_5_august_2019() -> None:
    report = pending(read_portfolio(PORTFOLIO), "jp", dt.date(2019, 8, 5))
    real = between_dates(read_portfolio(PORTFOLIO), "jp", dt.date(2019, 8, 5), dt.date(2019, 8, 28))
    expected = {line.order_id for line in real.affected if line.ship_date >= dt.date(2019, 8, 28)}
    assert {line.order_id for line in report.affected} == expected
    before = pending(read_portfolio(PORTFOLIO), "jp", dt.date(2019, 8, 1))
    assert not before.affected, "nothing was decided on 1 August yet"


def test_no_line_is_dropped(tmp_path: Path) -> None:
    folder = tmp_path / "book"
    shutil.copytree(PORTFOLIO, folder, symlinks=False)
    with (folder / "orders.csv").open("a", encoding="utf-8") as handle:
        handle.write("SO-X-1,NO-SUCH-PART,C-KR-01,1,pcs,100,JPY,2019-09-01\n")
        handle.write("SO-X-2,SMC-HF-G5N,C-NOBODY,1,pcs,100,JPY,2019-09-01\n")
        handle.write("SO-X-3,SMC-HF-G5N,C-KR-01,-1,pcs,100,JPY,2019-09-01\n")
    book = read_portfolio(folder)
    report = between_dates(book, "jp", dt.date(2019, 8, 1), dt.date(2019, 8, 28))
    orders = sum(1 for _ in (folder / "orders.csv").open(encoding="utf-8")) - 1
    assert len(report.lines) + len(book.problems) == orders
    errors = {line.order_id: line.error for line in report.lines if line.status == "error"}
    assert "unknown product" in (errors["SO-X-1"] or "") and "unknown customer" in (errors["SO-X-2"] or "")
    assert [(p.file, p.row, p.field) for p in book.problems] == [("orders.csv", orders + 1, "quantity")]


def test_cli_writes_every_line_and_an_html_report(tmp_path: Path) -> None:
    out, page = tmp_path / "lines.xlsx", tmp_path / "report.html"
    result = run_cli(
        "impact",
        "--portfolio",
        str(PORTFOLIO),
        "--before",
        "2019-07-01",
        "--after",
        "2019-07-10",
        "-o",
        str(out),
        "--html",
        str(page),
        "--json",
    )
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["affected"] == len([x for x in payload["report"]["lines"] if x["status"] == "affected"]) > 0
    from openpyxl import load_workbook

    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert len(rows) - 1 == len(payload["report"]["lines"])
    html = page.read_text(encoding="utf-8")
    assert "Licences to apply for" in html and "data:image/svg+xml;base64," in html and "meti_2019_07_01" in html


def test_html_report_renders_in_a_real_browser(tmp_path: Path) -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("Debian's chromium is not installed (make install installs it where apt is available)")
    sync_api = pytest.importorskip("playwright.sync_api")
    from clearance.impact.report import html

    report = between_dates(read_portfolio(PORTFOLIO), "jp", dt.date(2019, 7, 1), dt.date(2019, 7, 10))
    page_path = tmp_path / "report.html"
    page_path.write_text(html(report), encoding="utf-8")
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(page_path.as_uri())
        assert page.get_by_role("heading", name="Licences to apply for").is_visible()
        images = page.locator("img")
        assert images.count() == 2
        for i in range(2):
            assert images.nth(i).evaluate("img => img.complete && img.naturalWidth > 0")
        page.screenshot(path=str(artifacts / "impact-report.png"), full_page=True)
        browser.close()
    assert (artifacts / "impact-report.png").stat().st_size > 10_000
