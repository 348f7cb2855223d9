"""Roles in the browser and over the API: only officers clear or confirm hits and change licences; only
analysts and above check shipments; every form needs its session's CSRF token."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from webutil import Site, csrf_of

Shot = Callable[[Any, str], None]
SignedIn = Callable[[str], Any]


def open_hit(site: Site, party: str) -> int:
    """The id of an open hit of ``party`` (its first name)."""
    found, _ = site.store.screening.page(0, 500, status="open")
    return next(h.id for h in found if h.query.names[0] == party)


def licence_id(site: Site, number: str) -> int:
    """The id of a held licence by number."""
    found, _ = site.store.licences.page(0, 500)
    return next(lic.id for lic in found if lic.terms.number == number)


def forge(page: Any, site: Site, path: str, form: dict[str, str]) -> Any:
    """POST a form as the signed-in user would, with a valid CSRF token taken from a page they can open."""
    token = csrf_of(page.content())
    return page.request.post(site.url(path), form={"csrf": token, **form}, max_redirects=0)


@pytest.mark.parametrize("role", ["viewer", "analyst"])
def test_without_the_officer_role_a_hit_cannot_be_cleared(
    site: Site, signed_in: SignedIn, screenshot: Shot, role: str
) -> None:
    hit_id = open_hit(site, "Nova Electronics")
    page = signed_in(role)
    page.goto(site.url(f"/ui/review/{hit_id}"))
    assert page.get_by_role("radio").count() == 0
    assert page.get_by_role("button", name="Record the decision").count() == 0
    assert "cannot clear or confirm a hit: this needs the officer role" in page.get_by_role("note").inner_text()
    if role == "analyst":
        screenshot(page, "review-hit-analyst")
    answer = forge(page, site, f"/ui/review/{hit_id}", {"verdict": "false_positive", "reason": "not them"})
    assert answer.status == 403 and "this needs the officer role" in answer.text()
    assert site.store.screening.get(hit_id).status == "open"
    assert site.store.screening.decisions(hit_id) == []


@pytest.mark.parametrize("role", ["viewer", "analyst"])
def test_without_the_officer_role_a_licence_cannot_be_changed(site: Site, signed_in: SignedIn, role: str) -> None:
    number = "METI-2026-IL-0031"
    ident = licence_id(site, number)
    before = site.store.licences.get(ident)
    page = signed_in(role)
    page.goto(site.url(f"/ui/licences/{ident}"))
    assert page.get_by_role("button", name="Amend the licence").count() == 0
    assert "cannot change a licence: this needs the officer role" in page.get_by_role("note").inner_text()
    amend = forge(page, site, f"/ui/licences/{ident}/amend", {"status": "revoked", "reason": "test"})
    assert amend.status == 403
    shipment = (
        '{"regime": "jp", "date": "2026-07-01", "destination": "KR", "item": {"control_code": "1C350", '
        '"cas": "7664-39-3", "kind": "goods", "value": 1000, "currency": "JPY"}, "end_use": "civil", '
        '"end_user": {"name": "Hanbit Semiconductor Co. Ltd.", "country": "KR"}}'
    )
    draw = forge(page, site, f"/ui/licences/{ident}/draw", {"shipment": shipment, "quantity": "1", "unit": "cylinder"})
    assert draw.status == 403
    assert site.store.licences.get(ident) == before


def test_a_viewer_cannot_check_a_shipment(site: Site, signed_in: SignedIn) -> None:
    page = signed_in("viewer")
    page.goto(site.url("/ui/check"))
    assert page.get_by_role("button", name="Check the shipment").count() == 0
    assert "cannot record determinations" in page.get_by_role("note").inner_text()
    answer = forge(page, site, "/ui/check", {"regime": "jp", "date": "2019-07-10", "destination": "KR"})
    assert answer.status == 403


def test_an_officer_amends_a_licence_and_the_api_agrees(site: Site, signed_in: SignedIn) -> None:
    ident = licence_id(site, "METI-2019-IL-0577")
    page = signed_in("officer")
    page.goto(site.url(f"/ui/licences/{ident}"))
    page.get_by_label("New end of validity").fill("2020-03-31")
    page.get_by_label("Reason").fill("METI extended the licence by letter of 2020-01-15")
    page.get_by_role("button", name="Amend the licence").click()
    assert page.get_by_role("status").inner_text().strip() == "✔ Licence amended."
    assert "2020-03-31" in page.get_by_role("region", name="Terms").inner_text()
    headers = {"Authorization": f"Bearer {site.token('viewer')}"}
    assert httpx.get(site.url(f"/licences/{ident}"), headers=headers).json()["valid_to"] == "2020-03-31"
    amended = httpx.get(site.url("/audit"), params={"kind": "licence.amended"}, headers=headers).json()["items"]
    assert amended[-1]["inputs"]["reason"] == "METI extended the licence by letter of 2020-01-15"


def test_forms_need_the_session_csrf_token(site: Site, signed_in: SignedIn) -> None:
    hit_id = open_hit(site, "Nova Electronics")
    page = signed_in("officer")
    page.goto(site.url(f"/ui/review/{hit_id}"))
    for token in ("", "forged-token"):
        answer = page.request.post(
            site.url(f"/ui/review/{hit_id}"), form={"csrf": token, "verdict": "match", "reason": "x"}, max_redirects=0
        )
        assert answer.status == 403 and "reload the page" in answer.text()
    assert site.store.screening.get(hit_id).status == "open"


def test_signed_out_pages_and_unknown_pages(site: Site, browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(site.url("/ui/review?status=all"))
    assert re.search(r"/ui/login\?next=/ui/review%3Fstatus%3Dall$", page.url)
    answer = page.request.post(site.url("/ui/review/1"), form={"verdict": "match", "reason": "x"}, max_redirects=0)
    assert answer.status in (303, 403)
    page.get_by_label("API key").fill(site.token("viewer"))
    page.keyboard.press("Enter")
    page.wait_for_url(site.url("/ui/review?status=all"))
    missing = page.goto(site.url("/ui/review/999999"))
    assert missing is not None and missing.status == 404
    assert "screening hit 999999 does not exist" in page.get_by_role("alert").inner_text()
    context.close()


@pytest.mark.parametrize(
    ("method", "path", "body", "allowed"),
    [
        ("POST", "/screening/hits/{hit}/decisions", {"verdict": "false_positive", "reason": "x"}, "officer"),
        ("PATCH", "/licences/{licence}", {"status": "suspended", "reason": "x"}, "officer"),
        ("POST", "/screening/parties", {"name": "Acme"}, "analyst"),
    ],
)
def test_the_api_refuses_the_same(site: Site, method: str, path: str, body: dict[str, Any], allowed: str) -> None:
    url = site.url(path.format(hit=open_hit(site, "Nova Electronics"), licence=licence_id(site, "METI-2026-IL-0031")))
    roles = ["viewer", "analyst"] if allowed == "officer" else ["viewer"]
    for role in roles:
        answer = httpx.request(method, url, json=body, headers={"Authorization": f"Bearer {site.token(role)}"})
        assert answer.status_code == 403, (role, answer.text)
        assert f"this needs the {allowed} role" in answer.json()["detail"]
