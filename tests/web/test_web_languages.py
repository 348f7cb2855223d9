"""The web application used in Japanese, Korean and English in a real browser (issue 15): the browser's language
picks the pages' language, the switcher changes it for good, and a shipment is checked from the form in each
language with the answer, its dates and its legal terms in that language. Screenshots go to test-artifacts/."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from webutil import Site

Shot = Callable[[Any, str], None]

#: Per language: the browser locale, and what a user reads and clicks.
WORDS = {
    "ja": {
        "locale": "ja-JP",
        "sign_in_as": "担当者 としてサインイン",
        "check": "輸出の判定",
        "regime": "法令（どの国の輸出管理か）",
        "date": "出荷日",
        "destination": "仕向地",
        "code": "規制番号（項番）",
        "value": "契約金額",
        "submit": "判定する",
        "required": "許可が必要",
        "law_on": "2019年7月10日",
        "licence": "個別許可",
        "steps": "判定の経過",
    },
    "ko": {
        "locale": "ko-KR",
        "sign_in_as": "담당자(으)로 로그인",
        "check": "수출 판정",
        "regime": "법령(어느 나라의 수출 통제)",
        "date": "선적일",
        "destination": "도착국",
        "code": "통제번호",
        "value": "계약 금액",
        "submit": "판정하기",
        "required": "허가 필요",
        "law_on": "2019년 7월 10일",
        "licence": "Individual licence",
        "steps": "판정 과정",
    },
    "en": {
        "locale": "en-GB",
        "sign_in_as": "Sign in as analyst",
        "check": "Check a shipment",
        "regime": "Regime (export controls of)",
        "date": "Shipment date",
        "destination": "Destination",
        "code": "Control code",
        "value": "Contract value",
        "submit": "Check the shipment",
        "required": "Licence required",
        "law_on": "2019-07-10",
        "licence": "Individual licence",
        "steps": "How it was decided",
    },
}


@pytest.mark.parametrize("language", list(WORDS))
def test_a_shipment_is_checked_in_the_browsers_language(
    browser: Any, site: Site, screenshot: Shot, language: str
) -> None:
    words = WORDS[language]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=words["locale"])
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(site.url("/"))
    assert page.locator("html").get_attribute("lang") == language
    page.get_by_role("button", name=words["sign_in_as"]).click()
    page.wait_for_url(site.url("/ui/"))
    page.get_by_role("navigation").get_by_role("link", name=words["check"]).click()
    page.get_by_label(words["regime"]).select_option("jp")
    page.get_by_label(words["date"]).fill("2019-07-10")
    page.get_by_label(words["destination"]).select_option("KR")
    page.get_by_label(words["code"], exact=False).fill("3C002.a.2")
    page.get_by_label(words["value"]).fill("8,000,000")  # as people write it
    page.get_by_role("button", name=words["submit"]).click()
    answer = page.locator("#answer")
    assert answer.get_attribute("data-state") == "required"
    assert words["required"] in answer.inner_text()
    result = page.locator("section.result").inner_text()
    assert words["law_on"] in result and words["licence"] in result
    assert page.get_by_role("heading", name=words["steps"]).count() == 1
    screenshot(page, f"check-{language}")
    context.close()


def test_the_switcher_changes_the_language_and_it_stays(browser: Any, site: Site, screenshot: Shot) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(site.url("/ui/login"))
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in"
    page.get_by_role("button", name="日本語").click()
    page.wait_for_url(re.compile(r".*/ui/login$"))
    assert page.locator("html").get_attribute("lang") == "ja"
    assert page.get_by_role("heading", level=1).inner_text() == "サインイン"
    page.get_by_role("button", name="閲覧者 としてサインイン").click()
    page.wait_for_url(site.url("/ui/"))
    assert page.get_by_role("heading", level=1).inner_text() == "概要", "the choice outlives the page it was made on"
    page.get_by_role("button", name="한국어").click()
    assert page.get_by_role("heading", level=1).inner_text() == "개요"
    assert page.get_by_role("button", name="한국어").get_attribute("aria-current") == "true"
    screenshot(page, "overview-ko")
    context.close()


def test_a_licence_has_one_status_in_japanese(browser: Any, site: Site, screenshot: Shot) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(site.url("/"))
    page.get_by_role("button", name="閲覧者 としてサインイン").click()
    page.wait_for_url(site.url("/ui/"))
    page.get_by_role("navigation").get_by_role("link", name="許可").click()
    expired = page.get_by_role("row", name=re.compile("METI-2019-IL-0412")).inner_text()
    assert "期限切れ" in expired and "有効" not in expired.replace("有効期間", ""), "expired, not 'active · expired'"
    assert "2019年7月10日〜2020年1月9日" in expired and "個別許可" in expired
    screenshot(page, "licences-ja")
    context.close()
