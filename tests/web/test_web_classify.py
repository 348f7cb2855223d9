"""該非判定 in the browser: a product assessed by answering only the open questions, recorded by an analyst,
approved by an officer, its certificate downloaded in Japanese and English; the API returns the same answer."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import httpx
from openpyxl import load_workbook
from webutil import Site

Shot = Callable[[Any, str], None]
SignedIn = Callable[[str], Any]


def api(site: Site, role: str) -> httpx.Client:
    return httpx.Client(base_url=site.base, headers={"Authorization": f"Bearer {site.token(role)}"}, timeout=120)


def test_classify_a_polyimide_answering_the_open_question(site: Site, signed_in: SignedIn, screenshot: Shot) -> None:
    page = signed_in("analyst")
    page.get_by_role("link", name=re.compile("Classify")).first.click()
    page.get_by_label(re.compile("^Name")).fill("Fluorinated polyimide film")
    page.get_by_label(re.compile("^Part number")).fill("FPI-WEB-1")
    page.get_by_label(re.compile("^HS code")).fill("3920.99")
    page.get_by_label(re.compile("^Law in force on")).fill("2026-03-01")
    page.get_by_role("button", name=re.compile("^Assess")).click()

    # Only the open question is asked: the combined fluorine content, with its unit and its Japanese wording.
    assert "Undecided" in page.get_by_test_id("verdict").inner_text()
    questions = page.get_by_role("region", name="Open questions")
    assert questions.get_by_text("結合ふっ素の含有量").is_visible()
    assert questions.locator("input, select").count() == 1
    screenshot(page, "classify-question")

    page.get_by_label(re.compile("combined fluorine content")).fill("10")
    page.get_by_role("button", name=re.compile("^Assess")).click()
    assert "Listed 該当" in page.get_by_test_id("verdict").inner_text()
    assert page.get_by_text("Art. 4(1)(xiv) ロ").first.is_visible()
    assert page.get_by_role("region", name="Open questions").count() == 0
    screenshot(page, "classify-listed")

    page.get_by_role("button", name=re.compile("^Record for approval")).click()
    page.wait_for_url(re.compile(r"/ui/classifications/C\d{8}-"))
    cid = page.url.rsplit("/", 1)[1]
    assert "not approved" in page.get_by_test_id("approved-by").inner_text()
    assert page.get_by_role("button", name=re.compile("^Approve")).count() == 0  # the analyst cannot approve

    officer = signed_in("officer")
    officer.goto(site.url(f"/ui/classifications/{cid}"))
    officer.get_by_role("button", name=re.compile("^Approve")).click()
    assert "demo-officer" in officer.get_by_test_id("approved-by").inner_text()
    screenshot(officer, "classification-approved")

    # The certificate in both languages, looked at in the browser; the workbook downloaded.
    officer.get_by_role("link", name="HTML").first.click()
    assert officer.get_by_role("heading", name="該非判定書").is_visible()
    assert "該当" in officer.get_by_test_id("verdict").inner_text()
    screenshot(officer, "certificate-ja")
    officer.goto(site.url(f"/ui/classifications/{cid}/certificate?lang=en&format=html"))
    assert officer.get_by_role("heading", name="Export control classification certificate").is_visible()
    assert officer.get_by_test_id("draft").count() == 0
    screenshot(officer, "certificate-en")

    with api(site, "viewer") as client:
        stored = client.get(f"/classifications/{cid}").json()
        book = client.get(f"/classifications/{cid}/certificate", params={"lang": "en", "format": "xlsx"})
    assert stored["verdict"] == "listed" and stored["entry"] == "jp:5(17)" and stored["approved_by"]
    sheet = load_workbook(io.BytesIO(book.content)).active
    assert sheet is not None and any(c.value == "○" for row in sheet.iter_rows() for c in row)


def test_api_assess_is_the_contract(site: Site) -> None:
    request = {
        "regime": "jp",
        "date": "2026-03-01",
        "product": {
            "name": "EUV photoresist",
            "kind": "goods",
            "parameters": {"exposure_wavelength_nm": 13.5, "for_semiconductor_lithography": True},
        },
    }
    with api(site, "viewer") as client:
        answer = client.post("/classifications/assess", json=request)
        bad = client.post("/classifications/assess", json={**request, "date": "13/03/2026"})
        own = client.post("/classifications", json={**request, "part_number": "EUV-1"})
    assert answer.status_code == 200 and answer.json()["verdict"] == "listed"
    assert [e["ref"] for e in answer.json()["entries"]] == ["jp:7(19)"]
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "date"
    assert own.status_code == 403  # recording needs the analyst role
