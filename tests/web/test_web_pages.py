"""Walk every page as a user would, in a real browser, and check each shows what the JSON API returns."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx
from openpyxl import load_workbook
from webutil import Site

Shot = Callable[[Any, str], None]
SignedIn = Callable[[str], Any]


def api(site: Site, role: str) -> httpx.Client:
    """An API client with the demo key of ``role``."""
    return httpx.Client(base_url=site.base, headers={"Authorization": f"Bearer {site.token(role)}"}, timeout=60)


def test_sign_in_with_an_api_key_and_out(browser: Any, site: Site, screenshot: Shot) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(site.url("/ui/licences"))
    assert "/ui/login" in page.url
    page.get_by_label("API key").fill("clr_000000000000_wrong")
    page.get_by_role("button", name="Sign in", exact=True).click()
    assert page.get_by_role("alert").inner_text().strip().endswith("unknown API key")
    screenshot(page, "login")
    page.get_by_label("API key").fill(site.token("analyst"))
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(site.url("/ui/licences"))  # back to the page asked for
    assert "demo-analyst" in page.locator("header").inner_text()
    cookie = next(c for c in context.cookies() if c["name"] == "clearance_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert site.token("analyst") not in cookie["value"]  # the session holds the key's id, never the key
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r".*/ui/login$"))
    page.goto(site.url("/ui/"))
    assert "/ui/login" in page.url
    context.close()


def test_an_undecided_answer_is_its_own_state_and_asks_for_the_facts(
    site: Site, signed_in: SignedIn, screenshot: Shot
) -> None:
    page = signed_in("analyst")
    page.get_by_role("link", name="Check a shipment").first.click()
    page.get_by_label("Regime").select_option("jp")
    page.get_by_label("Shipment date").fill("2026-01-15")
    page.get_by_label("Destination").select_option("CN")
    page.get_by_label("HS code", exact=False).fill("8471.30")
    page.get_by_label("End use", exact=True).select_option("unknown")
    page.get_by_role("button", name="Check the shipment").click()
    answer = page.locator("#answer")
    assert answer.get_attribute("data-state") == "undecided"
    assert "UNDECIDED" in answer.inner_text().upper() and "NO LICENCE" not in answer.inner_text().upper()
    questions = page.get_by_role("note").filter(has_text="What is needed to decide").inner_text()
    assert "end_use" in questions and "end_user" in questions
    assert page.locator("ol.steps .badge.open").count() >= 2
    screenshot(page, "check-undecided")


def test_check_the_hf_shipment_to_korea_and_draw_it_down(site: Site, signed_in: SignedIn, screenshot: Shot) -> None:
    page = signed_in("officer")
    page.get_by_role("link", name="Check a shipment").first.click()
    page.get_by_label("Regime").select_option("jp")
    page.get_by_label("Shipment date").fill("2019-07-10")
    page.get_by_label("Destination").select_option("KR")
    page.get_by_label("Your reference").fill("SO-WEB-0710")
    page.get_by_label("Control code").fill("1C350")
    page.get_by_label("CAS number").fill("7664-39-3")
    page.get_by_label("Contract value").fill("8000000")
    page.get_by_label("Currency").fill("JPY")
    page.get_by_label("End user", exact=True).fill("Hanbit Semiconductor Co. Ltd.")
    page.get_by_label("End user’s country").select_option("KR")
    page.get_by_label("End use", exact=True).select_option("civil")
    page.get_by_role("button", name="Check the shipment").click()

    answer = page.locator("#answer").inner_text()
    assert "LICENCE REQUIRED" in answer.upper()
    assert "individual licence" in answer and "90 days" in answer
    options = page.get_by_role("table", name="Licences that can authorise it")
    assert options.get_by_role("row", name=re.compile("Individual licence")).inner_text().count("90 days") == 1
    step = page.locator("ol.steps > li").filter(has_text="falls under entry 3(1)")
    step.locator("summary").click()
    assert step.get_by_text("Appended Table 1", exact=False).first.is_visible()
    assert page.get_by_text("No list entry resembles this party").is_visible()
    screenshot(page, "check-answer")

    # The page shows the recorded answer the API returns for the same shipment.
    recorded = page.get_by_role("link", name=re.compile(r"^#\d+$")).first.inner_text().lstrip("#")
    with api(site, "viewer") as client:
        outputs = client.get(f"/audit/{recorded}").json()["outputs"]
    assert outputs["determination"]["licence_options"] == ["individual"]
    assert outputs["determination"]["processing_days"] == 90

    row = page.get_by_role("row", name=re.compile("METI-2019-IL-0412"))
    assert "Covers it" in row.inner_text()
    with api(site, "viewer") as client:
        licence_id = next(c["licence"] for c in outputs["licences"] if c["number"] == "METI-2019-IL-0412")
        before = Decimal(client.get(f"/licences/{licence_id}").json()["value_left"])
    row.get_by_label("Quantity (cylinder)").fill("5")
    row.get_by_role("button", name="Record against METI-2019-IL-0412").click()
    page.wait_for_url(re.compile(rf".*/ui/licences/{licence_id}\?drawn=\d+$"))
    assert page.get_by_role("status").inner_text().strip().startswith("✔ Shipment recorded")
    assert "SO-WEB-0710" in page.locator("tr.highlight").inner_text()
    with api(site, "viewer") as client:
        after = client.get(f"/licences/{licence_id}").json()
        history = client.get(f"/licences/{licence_id}/drawdowns").json()["items"]
    assert Decimal(after["value_left"]) == before - 8_000_000
    assert f"{Decimal(after['value_left']):,} of 40,000,000 JPY left" in page.locator(".balance").first.inner_text()
    assert history[-1]["shipment_ref"] == "SO-WEB-0710"
    screenshot(page, "licence-drawdown")


def test_review_queue_clear_a_hit_with_a_reason(site: Site, signed_in: SignedIn, screenshot: Shot) -> None:
    page = signed_in("officer")
    page.get_by_role("link", name="Screening review").first.click()
    row = page.get_by_role("row", name=re.compile("Sunrise Trading LLC"))
    assert "Open" in row.inner_text()
    screenshot(page, "review-queue")
    row.get_by_role("link", name=re.compile(r"Review #\d+")).click()
    hit_id = int(page.url.rsplit("/", 1)[1])

    side = page.locator("table.side")
    assert "Sunrise Trading LLC" in side.inner_text() and "SUNRISE X TRADING CO LIMITED" in side.inner_text()
    breakdown = page.locator("table.breakdown").inner_text()
    with api(site, "viewer") as client:
        hit = client.get(f"/screening/hits/{hit_id}").json()
    for feature in hit["entry"]["breakdown"]:
        assert feature["name"] in breakdown
    assert f"{hit['score']:.2f}" in page.locator("h1 + p").inner_text()
    screenshot(page, "review-hit")

    page.get_by_label("No: clear it as a false positive", exact=False).check()
    page.get_by_label("Reason").fill("Different company: SUNRISE X TRADING is in Hong Kong, ours is a Dubai retailer.")
    page.get_by_role("button", name="Record the decision").click()
    assert page.get_by_role("status").inner_text().strip() == "✔ Decision recorded."
    assert "Cleared (false positive)" in page.locator("h1 + p").inner_text()
    assert "Dubai retailer" in page.get_by_role("region", name="Decisions on this hit").inner_text()
    with api(site, "viewer") as client:
        assert client.get(f"/screening/hits/{hit_id}").json()["status"] == "suppressed"
        good = client.get("/screening/good-guys").json()["items"]
    assert hit_id in [h["id"] for h in good]

    page.get_by_role("link", name="Back to the review queue").click()
    page.get_by_role("link", name="The good-guy list").click()
    assert "Dubai retailer" in page.get_by_role("table").inner_text()
    screenshot(page, "good-guys")


def test_licences_show_balances_and_expiry_as_the_api_does(site: Site, signed_in: SignedIn, screenshot: Shot) -> None:
    page = signed_in("viewer")
    page.get_by_role("link", name="Licences").first.click()
    with api(site, "viewer") as client:
        licences = client.get("/licences").json()["items"]
    rows = page.locator("tbody tr")
    assert rows.count() == len(licences)
    for number, licence in enumerate(licences):
        text = rows.nth(number).inner_text()
        assert licence["number"] in text and licence["valid_to"] in text
        if licence["value_limit"]:
            assert f"{Decimal(licence['value_left']):,} of {Decimal(licence['value_limit']):,}" in text
    screenshot(page, "licences")
    page.get_by_role("link", name="METI-2019-IL-0577").click()
    assert page.get_by_role("heading", name="Drawdowns").is_visible()
    assert page.locator("section", has_text="Drawdowns").locator("tbody tr").count() >= 1


def test_timeline_tells_the_korea_story_and_links_its_sources(
    site: Site, signed_in: SignedIn, screenshot: Shot
) -> None:
    page = signed_in("viewer")
    page.get_by_role("link", name="Regulations").first.click()
    page.get_by_label("Regime", exact=True).select_option("jp")
    page.get_by_label("Destination", exact=True).select_option("KR")
    page.get_by_role("button", name="Show", exact=True).click()
    picture = page.locator("figure.timeline svg")
    labels = picture.locator("text").all_text_contents()
    assert any("Group A" in t for t in labels) and any("Group B" in t for t in labels)
    assert "2019-07-04 – 2023-03-23" in " ".join(labels)  # the three-item measure, in force from–to
    description = picture.locator("desc").text_content() or ""
    assert "Group B from 2019-08-28 to 2023-07-21" in description
    with api(site, "viewer") as client:
        model = client.get("/law/jp/timeline", params={"country": "KR"}).json()
    dates = page.locator("#changes tbody tr td:first-child").all_inner_texts()
    assert dates == [c["date"] for c in model["changes"]]
    assert page.get_by_role("heading", name=re.compile("kr: .* affecting Japan")).is_visible()
    screenshot(page, "timeline-korea")

    move = page.locator("tr", has_text="is in group B (was A)")
    move.locator("summary").click()
    link = move.get_by_role("link", name="source").first
    assert link.get_attribute("href", timeout=5000).startswith("http")
    move.get_by_role("link", name="2019-08-28").click()
    page.wait_for_url(re.compile(r".*/ui/law\?regime=jp&as_of=2019-08-28&country=KR$"))
    group_b = page.locator("details.group", has_text="(B)")
    assert "South Korea (KR) is here" in group_b.locator("summary").inner_text()
    screenshot(page, "law-2019-08-28")
    page.get_by_label("Date").fill("2019-08-27")
    page.get_by_role("button", name="Show the law on this date").click()
    assert "is here" in page.locator("details.group", has_text="(A)").locator("summary").inner_text()


def test_impact_of_the_white_list_removal(site: Site, signed_in: SignedIn, screenshot: Shot) -> None:
    page = signed_in("analyst")
    page.get_by_role("link", name="Impact").first.click()
    page.get_by_label("A change of the law").check()
    page.get_by_label("Change", exact=True).select_option("2019-08-28")
    page.get_by_role("button", name="Run the impact analysis").click()
    affected = int(page.locator("#affected-count").inner_text())
    with api(site, "analyst") as client:
        report = client.post("/impact", json={"regime": "jp", "before": "2019-08-27", "after": "2019-08-28"}).json()
    assert affected == report["totals"]["affected"] > 0
    assert page.locator("table.lines tbody tr").count() == affected
    for chart in page.locator(".charts img").all():
        assert chart.evaluate("img => img.complete && img.naturalWidth > 0")
    assert "group_changed: A → B" in page.locator("table.lines").inner_text()
    screenshot(page, "impact-white-list")

    with page.expect_download() as csv_download:
        page.get_by_role("button", name="Download CSV").click()
    assert csv_download.value.suggested_filename == "impact-jp.csv"
    with open(csv_download.value.path(), encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == report["totals"]["read"]
    assert sum(1 for r in rows if r["status"] == "affected") == affected
    with page.expect_download() as xlsx_download:
        page.get_by_role("button", name="Download XLSX").click()
    assert xlsx_download.value.suggested_filename == "impact-jp.xlsx"
    with open(xlsx_download.value.path(), "rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    assert sheet is not None and sheet.max_row == report["totals"]["read"] + 1


def test_impact_of_an_uploaded_scenario(site: Site, signed_in: SignedIn) -> None:
    page = signed_in("analyst")
    page.goto(site.url("/ui/impact"))
    page.get_by_label("A scenario", exact=False).check()
    page.get_by_label("Before (the law on)").fill("2019-08-01")
    page.get_by_label("Scenario file", exact=False).set_input_files(
        str(site.files.root / "scenarios" / "kr-leaves-group-a.yaml")
    )
    page.get_by_role("button", name="Run the impact analysis").click()
    assert "scenario: Korea removed from Group A" in page.get_by_role("heading", level=2).first.inner_text()
    assert int(page.locator("#affected-count").inner_text()) > 0


def test_audit_search_verify_and_replay(site: Site, signed_in: SignedIn, screenshot: Shot) -> None:
    page = signed_in("analyst")
    page.get_by_role("link", name="Audit").first.click()
    page.get_by_label("Kind").select_option("determination")
    page.get_by_role("button", name="Search").click()
    with api(site, "viewer") as client:
        first = client.get("/audit", params={"kind": "determination"}).json()["items"]
    assert page.locator("tbody tr td:first-child").all_inner_texts()[: len(first)] == [str(r["seq"]) for r in first]
    screenshot(page, "audit-search")
    page.get_by_role("link", name="Verify the chain").click()
    assert page.locator("#verdict").inner_text().strip().startswith("✔ Intact")
    screenshot(page, "audit-verify")
    page.goto(site.url(f"/ui/audit/{first[0]['seq']}"))
    page.get_by_role("link", name=f"Replay record {first[0]['seq']}").click()
    assert page.locator("#replay-verdict").inner_text().strip().startswith("✔ Same answer today")
    screenshot(page, "audit-replay")
