"""Accessible basics: every field has a label, the pages work from the keyboard, and they read without colour."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from webutil import Site

Shot = Callable[[Any, str], None]
SignedIn = Callable[[str], Any]

PAGES = (
    "/ui/",
    "/ui/check",
    "/ui/review",
    "/ui/review/good-guys",
    "/ui/review/1",
    "/ui/licences",
    "/ui/licences/1",
    "/ui/timeline?regime=jp&country=KR",
    "/ui/law?regime=jp&as_of=2019-09-02&country=KR",
    "/ui/impact",
    "/ui/audit",
    "/ui/audit/verify",
    "/ui/audit/1",
)

#: Form controls a user can reach that have no label (none expected).
UNLABELLED = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter(el => el.type !== 'hidden' && !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
    && !el.getAttribute('aria-labelledby'))
  .map(el => el.outerHTML)"""


def test_every_field_has_a_label_and_every_page_has_landmarks(site: Site, signed_in: SignedIn, browser: Any) -> None:
    page = signed_in("officer")
    for path in PAGES:
        response = page.goto(site.url(path))
        assert response is not None and response.status == 200, path
        assert page.evaluate(UNLABELLED) == [], path
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.get_by_role("main").count() == 1 and page.get_by_role("heading", level=1).count() == 1, path
        assert page.get_by_role("navigation", name="Main").count() == 1, path
    login = browser.new_page()
    login.goto(site.url("/ui/login"))
    assert login.evaluate(UNLABELLED) == []
    login.close()


def test_sign_in_and_decide_a_hit_with_the_keyboard_alone(site: Site, browser: Any, screenshot: Shot) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site.url("/ui/login"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")  # to the content: the key field is the next stop
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "api_key"
    page.keyboard.type(site.token("officer"))
    page.keyboard.press("Enter")
    page.wait_for_url(site.url("/ui/"))

    # Tab from the top: the skip link, then the navigation in order.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    order = []
    for _ in range(10):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.textContent.trim()"))
    assert order[:10] == [
        "clearance",
        "Overview",
        "Check a shipment",
        "Classify 該非判定",
        "Screening review",
        "Orders",
        "Licences",
        "Regulations",
        "Impact",
        "Audit",
    ]
    for _ in range(5):
        page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Screening review"
    page.keyboard.press("Enter")
    page.wait_for_url(site.url("/ui/review"))

    hit = next(h for h in site.store.screening.page(0, 500, status="open")[0] if h.query.names[0].startswith("Asia"))
    page.goto(site.url(f"/ui/review/{hit.id}"))
    page.focus("#v-fp")
    page.keyboard.press("ArrowDown")  # radios move with the arrow keys
    assert page.evaluate("document.activeElement.id") == "v-match"
    page.keyboard.press("ArrowUp")
    assert page.is_checked("#v-fp")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "reason"
    page.keyboard.type("Asia Pacific Trade Hub is a different firm (checked the registry).")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Record the decision"
    page.keyboard.press("Enter")
    page.wait_for_url(site.url(f"/ui/review/{hit.id}?decided=1"))
    assert site.store.screening.get(hit.id).status == "suppressed"
    screenshot(page, "review-hit-decided-by-keyboard")
    context.close()


def test_focus_is_visible(site: Site, signed_in: SignedIn) -> None:
    page = signed_in("viewer")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    style = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]; })()"
    )
    assert style[0] == "solid" and style[1] == "3px"


def test_pages_read_without_colour(site: Site, signed_in: SignedIn, screenshot: Shot) -> None:
    page = signed_in("officer")
    page.emulate_media(forced_colors="active")
    grey = "html { filter: grayscale(100%) !important; }"

    page.goto(site.url("/ui/review?status=all"))
    page.add_style_tag(content=grey)
    for cell in page.locator("tbody tr td:nth-child(5)").all_inner_texts():
        assert any(word in cell for word in ("Open", "Cleared (false positive)", "Confirmed match")), cell
    screenshot(page, "review-queue-no-colour")

    page.goto(site.url("/ui/licences"))
    page.add_style_tag(content=grey)
    for bar in page.locator(".balance").all_inner_texts():
        assert " left (" in bar and "%)" in bar  # the bar's figure is written out, not only drawn
    screenshot(page, "licences-no-colour")

    page.goto(site.url("/ui/timeline?regime=jp&country=KR"))
    page.add_style_tag(content=grey)
    labels = " ".join(page.locator("figure.timeline svg text").all_text_contents())
    assert "Group A" in labels and "Group B" in labels  # groups are named on the bars, not told apart by colour
    screenshot(page, "timeline-no-colour")
