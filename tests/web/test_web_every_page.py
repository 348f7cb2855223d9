"""Every page of the web application in Japanese, Korean and English in a real browser (issue 15): each page opens
in the browser's language, and no Japanese or Korean page shows a message of the catalogues left in English.
Screenshots of each page in each language go to test-artifacts/ (checked by eye once)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from test_web_i18n import _visible
from test_web_orders import submit
from webutil import Site

from support import load_script

LOCALES = {"ja": "ja-JP", "ko": "ko-KR", "en": "en-GB"}
#: The pages with a fixed address (the hit, order and audit record pages are found from these).
PAGES = (
    "/ui/",
    "/ui/check",
    "/ui/classify",
    "/ui/review",
    "/ui/review/good-guys",
    "/ui/orders?state=all",
    "/ui/licences",
    "/ui/timeline?regime=jp&country=KR&both=true",
    "/ui/law?regime=jp&as_of=2019-08-28&country=KR",
    "/ui/impact",
    "/ui/audit",
    "/ui/audit/verify",
    "/ui/audit/1",
)


def _english_messages() -> set[str]:
    """The catalogues' messages as a page shows them: placeholders and tags out, long enough to be words."""
    english = {m.id if isinstance(m.id, str) else m.id[0] for m in load_script("i18n").extracted() if m.id}
    plain = {re.sub(r"%\(\w+\)s|<[^>]+>", "", e).strip(" .:") for e in english}
    return {p for p in plain if len(p) > 3 and re.search(r"[a-z]{3}", p)}


@pytest.fixture(scope="module")
def order_id(site: Site) -> int:
    """An order held for a licence, so that the order pages have one with reasons."""
    return submit(site, "erp:integration", ref="WEB-I18N-1", end_user={"name": "Orion Display Ltd", "country": "KR"})


def _first_link(page: Any, pattern: str) -> str:
    links = page.locator("main a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    return next(link for link in links if re.fullmatch(pattern, link or ""))


@pytest.mark.parametrize("language", list(LOCALES))
def test_every_page_in_the_browsers_language(
    browser: Any, site: Site, screenshot: Any, order_id: int, language: str
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=LOCALES[language])
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(site.url("/ui/login"))
    page.locator('form:has(input[name="demo_role"][value="officer"]) button').click()
    page.wait_for_url(site.url("/ui/"))
    page.goto(site.url("/ui/review?status=all"))
    paths = [*PAGES, _first_link(page, r"/ui/review/\d+"), f"/ui/orders/{order_id}"]
    words = _english_messages()
    for path in paths:
        response = page.goto(site.url(path))
        assert response is not None and response.ok, path
        assert page.locator("html").get_attribute("lang") == language, path
        if path == "/ui/classify":  # the assessment too, with its open questions
            page.locator("#name").fill("Fluorinated polyimide film")
            page.locator("#hs_code").fill("3920.99")
            page.locator('button[value="assess"]').click()
            assert page.get_by_test_id("verdict").count() == 1
        name = re.sub(r"\W+", "-", path.removeprefix("/ui/")).strip("-") or "home"
        screenshot(page, f"{language}-{name}")
        if language == "en":
            continue
        text = _visible(page.content(), ours=True)
        left = sorted(w for w in words if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text))
        assert left == [], f"English left on {path} in {language}: {left}"
    context.close()
