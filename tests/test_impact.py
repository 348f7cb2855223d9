"""Impact analysis on the sample portfolio, checked against answers derived independently from the pack data."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import load_workbook

import clearance.impact.analysis as analysis
from clearance.engine.keyed import Keyed
from clearance.impact.portfolio import read_portfolio
from clearance.impact.report import charts, error_value, html, rows
from clearance.impact.runs import against_scenario, between_dates, pending
from clearance.law.codes import code_within, normalise_code
from clearance.law.scenario import read_scenario
from support import ROOT, portfolio_with_bad_rows, run_cli

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
    rows = when["all"][1]["item_in_rows"]  # a named row set (format 2) or a list
    return {str(r) for r in (_yaml("control_list/row_sets.yaml")[rows]["rows"] if isinstance(rows, str) else rows)}


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
    assert [line.row for line in report.lines] == list(range(2, orders + 2))
    assert [(p.file, p.row, p.field) for p in book.problems] == [("orders.csv", orders + 1, "quantity")]
    errors = {line.order_id: (line.problem, error_value(line)) for line in report.with_status("error")}
    assert set(errors) == {"SO-X-1", "SO-X-2", "SO-X-3"}
    for order, field, value, message in [
        ("SO-X-1", "part_number", "NO-SUCH-PART", "unknown product"),
        ("SO-X-2", "customer_id", "C-NOBODY", "unknown customer"),
        ("SO-X-3", "quantity", "-1", "greater than 0"),
    ]:
        problem, shown = errors[order]
        assert problem is not None and (problem.file, problem.field, shown) == ("orders.csv", field, value)
        assert message in problem.message


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
    totals = payload["totals"]
    assert totals["affected"] == len([x for x in payload["lines"] if x["status"] == "affected"]) > 0
    assert totals["read"] == totals["answered"] == len(payload["lines"]) == 36 and totals["failed"] == 0
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert len(rows) - 1 == len(payload["lines"])
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


def _error_cells(rows: list[dict[str, Any]]) -> dict[tuple[str, int, str], str]:
    return {(r["file"], int(r["position"]), r["field"]): r["value"] for r in rows if r["status"] == "error"}


def test_rows_that_cannot_be_read_are_error_lines_in_every_output(tmp_path: Path) -> None:
    """Issue 11: 5 of 36 orders typed as people type them were left out of every output."""
    folder = tmp_path / "book"
    bad = portfolio_with_bad_rows(folder)
    common = ("impact", "--portfolio", str(folder), "--before", "2019-07-01", "--after", "2019-07-10")
    lines_csv, lines_xlsx, page = tmp_path / "lines.csv", tmp_path / "lines.xlsx", tmp_path / "report.html"
    first = run_cli(*common, "-o", str(lines_csv), "--html", str(page), "--json")
    second = run_cli(*common, "-o", str(lines_xlsx))
    assert first.returncode == second.returncode == 1, first.stderr + second.stderr
    payload = json.loads(first.stdout)
    assert {k: payload["totals"][k] for k in ("read", "answered", "failed")} == {
        "read": 36,
        "answered": 31,
        "failed": 5,
    }
    orders = [r["order_id"] for r in csv.DictReader((folder / "orders.csv").open(encoding="utf-8"))]

    with lines_csv.open(encoding="utf-8-sig") as handle:
        from_csv = list(csv.DictReader(handle))
    sheet = list(load_workbook(lines_xlsx).active.iter_rows(values_only=True))
    from_xlsx = [dict(zip(sheet[0], (str(c) if c is not None else "" for c in r), strict=True)) for r in sheet[1:]]
    for output in (payload["lines"], from_csv, from_xlsx):
        assert len(output) == 36 and [r["order_id"] for r in output] == orders
        assert sum(r["status"] != "error" for r in output) == 31
        assert _error_cells(output) == bad
        assert all(r["message"] for r in output if r["status"] == "error")

    html = page.read_text(encoding="utf-8")
    assert "Rows read: 36" in html and "Answered: 31" in html and "Failed: 5" in html
    for (file, row, field), value in bad.items():
        assert f"<td>{file}</td><td>{row}</td><td>{field}</td><td>{value}</td>" in html
    assert "orders.csv: row 2: value: '9.600.000' is not a number" in second.stdout


def test_an_unreadable_row_of_any_file_is_an_error_line(tmp_path: Path) -> None:
    folder = tmp_path / "book"
    shutil.copytree(PORTFOLIO, folder)
    with (folder / "customers.csv").open("a", encoding="utf-8") as handle:
        handle.write("C-XX-01,Nowhere Ltd.,Korea,civil,false\n")
        handle.write("C-KR-01,Hanbit again,KR,civil,false\n")
    report = between_dates(read_portfolio(folder), "jp", dt.date(2019, 8, 1), dt.date(2019, 8, 28))
    assert report.summary.read == 36 + 2 and report.summary.failed == 2
    tail = [(x.file, x.row, x.problem and x.problem.field, error_value(x)) for x in report.lines[36:]]
    assert tail == [("customers.csv", 9, "country", "Korea"), ("customers.csv", 10, "customer_id", "C-KR-01")]


def test_lines_are_late_only_where_the_review_grew() -> None:
    book = read_portfolio(PORTFOLIO)
    white_list = between_dates(book, "jp", dt.date(2019, 8, 1), dt.date(2019, 8, 28))
    assert [x for x in white_list.affected if x.apply_for], "the change asks for new licences"
    assert all(x.before and x.after and x.after.lead_time_days == x.before.lead_time_days for x in white_list.affected)
    assert [x.order_id for x in white_list.lines if x.late] == [] and white_list.summary.late == 0
    three_items = between_dates(book, "jp", dt.date(2019, 7, 1), dt.date(2019, 7, 10))
    late = [x for x in three_items.lines if x.late]
    assert late and all(x.added_lead_time > 0 for x in late) and three_items.summary.late == len(late)


def test_a_chart_without_data_is_left_out_and_said_so() -> None:
    book = read_portfolio(PORTFOLIO)
    white_list = between_dates(book, "jp", dt.date(2019, 8, 1), dt.date(2019, 8, 28))
    assert set(charts(white_list)) == {"value_by_destination"}
    page = html(white_list)
    assert page.count("<img") == 1 and "No lead-time chart: no line needs more days" in page
    nothing = pending(book, "jp", dt.date(2019, 8, 1))
    assert (
        charts(nothing) == {} and "<img" not in html(nothing) and "No value chart: no line is affected" in html(nothing)
    )
    assert set(charts(between_dates(book, "jp", dt.date(2019, 7, 1), dt.date(2019, 7, 10)))) == {
        "value_by_destination",
        "added_lead_time",
    }


BEFORE, AFTER = dt.date(2019, 8, 1), dt.date(2019, 8, 28)


def _undecided_for(monkeypatch: pytest.MonkeyPatch, cases: dict[str, tuple[dt.date, ...]]) -> None:
    """Make the engine answer "undecided" for the given orders on the given dates (until the three-state
    engine can be driven there by the sample portfolio's facts): those lines get keys of their own."""

    def chosen(shipment: Any) -> bool:
        return shipment.date in cases.get(shipment.ref, ())

    class Undecided(Keyed):
        def key(self, shipment: Any) -> Any:
            case, key = super().key(shipment)
            return case, (key, shipment.ref) if chosen(shipment) else key

        def determination(self, shipment: Any) -> Any:
            answer = super().determination(shipment)
            if chosen(shipment):
                return dataclasses.replace(answer, licence_required=None, basis=(), licence_options=())
            return answer

    monkeypatch.setattr(analysis, "Keyed", Undecided)


def test_undecided_lines_are_counted_and_listed_apart_never_as_unaffected(monkeypatch: pytest.MonkeyPatch) -> None:
    book = read_portfolio(PORTFOLIO)
    plain = between_dates(book, "jp", BEFORE, AFTER)
    # SO-19-0616 (catch-all item) and SO-19-0903 (listed, to the US) are unaffected by the white-list change
    assert {x.order_id: x.status for x in plain.lines if x.order_id in ("SO-19-0616", "SO-19-0903")} == {
        "SO-19-0616": "unaffected",
        "SO-19-0903": "unaffected",
    }
    # SO-19-0704 (a catch-all crane to a Chinese customer of unknown end use) is undecided of itself
    natural = {x.order_id for x in plain.with_status("undecided")}
    assert natural == {"SO-19-0704"}
    _undecided_for(monkeypatch, {"SO-19-0616": (AFTER,), "SO-19-0903": (BEFORE, AFTER), "SO-19-0905": (BEFORE,)})
    report = between_dates(book, "jp", BEFORE, AFTER)
    lines = {x.order_id: x for x in report.lines}
    assert {x.order_id for x in report.with_status("undecided")} == {"SO-19-0616", "SO-19-0903", "SO-19-0905"} | natural
    summary = report.summary
    assert (summary.undecided, summary.unaffected) == (4, plain.summary.unaffected - 2)
    assert summary.answered == summary.affected + summary.unaffected + summary.undecided == 36
    assert [c.kind for c in lines["SO-19-0616"].changes][:1] == ["licence_undecided"]
    assert "no licence required before; now undecided" in lines["SO-19-0616"].changes[0].detail
    assert "licence_undecided" not in {c.kind for c in lines["SO-19-0903"].changes}
    assert [c.kind for c in lines["SO-19-0905"].changes][:1] == ["licence_decided"]
    assert lines["SO-19-0905"].apply_for, "a licence now required after an undecided answer is applied for"

    row = {r["order_id"]: r for r in rows(report)}["SO-19-0616"]
    assert (row["status"], row["licence_before"], row["licence_after"]) == ("undecided", "not required", "undecided")
    assert row["lead_time_days_after"] == ""
    page = html(report)
    section = page[page.index('id="undecided"') : page.index('id="errors"')]
    assert all(order in section for order in ("SO-19-0616", "SO-19-0903", "SO-19-0905"))
    assert "Undecided: 4" in page


def test_an_unlisted_item_of_unknown_end_use_to_china_is_undecided(tmp_path: Path) -> None:
    folder = tmp_path / "book"
    shutil.copytree(PORTFOLIO, folder)
    with (folder / "catalogue.csv").open("a", encoding="utf-8") as handle:
        handle.write("PC-8471,Portable computer,8471.30,,goods,jp,not_listed,,16(2),A. Tanaka,2025-12-01,HS 8471.30\n")
    with (folder / "orders.csv").open("a", encoding="utf-8") as handle:
        handle.write("SO-26-0001,PC-8471,C-CN-02,1,unit,100000,JPY,2026-01-15\n")
    report = between_dates(read_portfolio(folder), "jp", dt.date(2026, 1, 14), dt.date(2026, 1, 15))
    line = next(x for x in report.lines if x.order_id == "SO-26-0001")
    assert line.status == "undecided" and report.summary.undecided >= 1
