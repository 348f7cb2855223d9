"""Orders in the browser: the review queue as each role sees it, resolving a reason, four eyes on release, a
block lifted by an admin with a written reason, and an order's history."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from webutil import Site

from clearance.law import load_regulations
from clearance.orders import OrderLine

Shot = Callable[[Any, str], None]
SignedIn = Callable[[str], Any]

BASE: dict[str, Any] = {
    "regime": "jp",
    "date": "2019-08-05",
    "destination": "KR",
    "item": {"control_code": "1C350", "cas": "7664-39-3", "kind": "goods", "value": 7200000, "currency": "JPY"},
    "end_use": "civil",
}


def actor(site: Site, role: str) -> str:
    """How the audit trail names the demo key of ``role``."""
    return next(k.actor for k in site.store.keys.list(include_revoked=False) if k.name == f"demo-{role}")


def submit(site: Site, by: str, **line: Any) -> int:
    """File an order line as ``by``; its id."""
    order = OrderLine.model_validate({**BASE, **line})
    return site.store.orders.submit(order, load_regulations(), by).id


def test_the_queue_and_resolving_a_reason(site: Site, signed_in: SignedIn, screenshot: Shot) -> None:
    order_id = submit(
        site, "erp:integration", ref="WEB-HELD-1", end_user={"name": "Orion Display Ltd", "country": "KR"}
    )
    page = signed_in("analyst")
    page.get_by_role("link", name="Orders").click()
    row = page.get_by_role("row").filter(has_text="WEB-HELD-1")
    assert "licence needed" in row.inner_text() and "a reviewer to resolve its reasons" in row.inner_text()
    screenshot(page, "orders-queue-analyst")
    row.get_by_role("link", name="WEB-HELD-1").click()
    assert page.get_by_role("heading", name=re.compile("Order WEB-HELD-1")).is_visible()
    page.get_by_label("Resolve as").select_option("recheck")
    page.get_by_role("button", name="Resolve").click()
    page.wait_for_url(re.compile(rf"/ui/orders/{order_id}\?done=resolved"))
    history = page.locator("table.history").inner_text()
    assert "order checked" in history and "order reason resolved" in history
    assert "licence needed" in page.locator("#open-heading + ul").inner_text()  # still no licence: still open
    screenshot(page, "order-history")


def test_four_eyes_on_release(site: Site, signed_in: SignedIn, screenshot: Shot) -> None:
    officer = actor(site, "officer")
    line = {
        "ref": "WEB-EUL-1",
        "destination": "US",
        "item": {"control_code": None, "hs_code": "2811.11", "kind": "goods", "value": 10000, "currency": "JPY"},
        "end_user": {"name": "Cascade Microfab Inc.", "country": "US"},
        "consignee": {"name": "Safe Technical Supply", "country": "AE"},
    }
    order_id = submit(site, officer, **line)
    page = signed_in("officer")
    page.goto(site.url(f"/ui/orders/{order_id}"))
    assert "end user on the End User List" in page.locator("#open-heading + ul").inner_text()
    page.get_by_label("Resolve as").select_option("accepted")
    page.get_by_label("Note").first.fill("Clearly not for WMD: end-use statement on file")
    page.get_by_role("button", name="Resolve").click()
    page.wait_for_url(re.compile(r"done=resolved"))
    assert "Four eyes: you requested this order" in page.content()
    assert page.get_by_role("button", name="Release the order").count() == 0
    screenshot(page, "order-four-eyes")
    analyst = signed_in("analyst")
    analyst.goto(site.url(f"/ui/orders/{order_id}"))
    assert "needs the <strong>officer</strong> role" in analyst.content()
    admin = signed_in("admin")
    admin.goto(site.url("/ui/orders"))
    assert "WEB-EUL-1" in admin.locator("#mine-heading + table").inner_text()  # waiting for the admin's release
    admin.goto(site.url(f"/ui/orders/{order_id}"))
    admin.get_by_role("button", name="Release the order").click()
    admin.wait_for_url(re.compile(r"done=released"))
    assert "released" in admin.get_by_role("heading", level=1).inner_text()
    assert "order released" in admin.locator("table.history").inner_text()


def test_a_block_is_lifted_by_an_admin_with_a_reason(site: Site, signed_in: SignedIn, screenshot: Shot) -> None:
    order_id = submit(
        site,
        "erp:integration",
        ref="WEB-SDN-1",
        end_user={"name": "Orion Display Ltd", "country": "KR"},
        consignee={"name": "STROYGAZMONTAZH", "country": "RU"},
    )
    officer = signed_in("officer")
    officer.goto(site.url(f"/ui/orders/{order_id}"))
    assert "needs the <strong>admin</strong> role" in officer.content()
    admin = signed_in("admin")
    admin.goto(site.url("/ui/orders?state=blocked"))
    admin.get_by_role("link", name="WEB-SDN-1").first.click()
    admin.get_by_label("Written reason for lifting the block").first.fill("OFAC specific licence 2019-0001 on file")
    admin.get_by_role("button", name="Lift the block").first.click()
    admin.wait_for_url(re.compile(r"done=lifted"))
    assert "held" in admin.get_by_role("heading", level=1).inner_text()
    assert "order block lifted" in admin.locator("table.history").inner_text()
    screenshot(admin, "order-block-lifted")


def test_file_an_order_line_and_recheck_open_orders(site: Site, signed_in: SignedIn, screenshot: Shot) -> None:
    import json

    page = signed_in("officer")
    page.goto(site.url("/ui/orders"))
    line = {**BASE, "ref": "WEB-FORM-1", "end_user": {"name": "Orion Display Ltd", "country": "KR"}}
    page.get_by_label("The order line as JSON").fill(json.dumps({**line, "consignee": {"name": ""}}))
    page.get_by_role("button", name="Check and file").click()
    assert "consignee.name" in page.content()  # a bad line is refused naming the field
    page.goto(site.url("/ui/orders"))
    page.get_by_label("The order line as JSON").fill(json.dumps(line))
    page.get_by_role("button", name="Check and file").click()
    page.wait_for_url(re.compile(r"done=filed"))
    assert "WEB-FORM-1" in page.get_by_role("heading", level=1).inner_text()
    page.goto(site.url("/ui/orders"))
    page.get_by_role("button", name="Re-check every open order").click()
    assert re.search(r"\d+ open orders? checked again", page.content())
    screenshot(page, "orders-rechecked")
