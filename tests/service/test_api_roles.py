"""Every route, for every role: allowed roles get an answer, the others 403, no key 401. The table below is
the specification (docs/service.md shows the same)."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any

import pytest
from apiutil import Service, service
from fastapi.routing import APIRoute
from servicedata import HF_KR, ROOT, terms

from clearance.api import ROUTERS, api_routes, required_role
from clearance.api.routing import CheckedRoute
from clearance.orders import OrderLine
from clearance.store import ROLES
from orders.orderdata import LISTS

#: (method, path) → the least role allowed; None for public routes.
REQUIRED: dict[tuple[str, str], str | None] = {
    ("GET", "/health"): None,
    ("GET", "/me"): "viewer",
    ("POST", "/determinations"): "analyst",
    ("POST", "/determinations/batch"): "analyst",
    ("POST", "/orders/check"): "analyst",
    ("POST", "/orders/check/batch"): "analyst",
    ("POST", "/orders"): "analyst",
    ("GET", "/orders"): "viewer",
    ("GET", "/orders/{order_id}"): "viewer",
    ("POST", "/orders/{order_id}/resolutions"): "analyst",
    ("POST", "/orders/{order_id}/release"): "officer",
    ("POST", "/orders/{order_id}/lift"): "admin",
    ("POST", "/orders/{order_id}/ship"): "analyst",
    ("POST", "/orders/recheck"): "officer",
    ("POST", "/match"): "analyst",
    ("POST", "/match/{dataset}"): "analyst",
    ("GET", "/determinations/{determination_id}"): "viewer",
    ("POST", "/screening/parties"): "analyst",
    ("GET", "/screening/hits"): "viewer",
    ("GET", "/screening/hits/{hit_id}"): "viewer",
    ("POST", "/screening/hits/{hit_id}/decisions"): "officer",
    ("GET", "/screening/good-guys"): "viewer",
    ("GET", "/licences"): "viewer",
    ("POST", "/licences"): "officer",
    ("GET", "/licences/expiring"): "viewer",
    ("GET", "/licences/{licence_id}"): "viewer",
    ("PATCH", "/licences/{licence_id}"): "officer",
    ("GET", "/licences/{licence_id}/drawdowns"): "viewer",
    ("POST", "/licences/{licence_id}/drawdowns"): "officer",
    ("GET", "/law/{regime}"): "viewer",
    ("GET", "/law/{regime}/timeline"): "viewer",
    ("POST", "/impact"): "analyst",
    ("GET", "/audit"): "viewer",
    ("GET", "/audit/verify"): "viewer",
    ("GET", "/audit/{seq}"): "viewer",
    ("GET", "/audit/{seq}/replay"): "analyst",
    ("GET", "/keys"): "admin",
    ("POST", "/keys"): "admin",
    ("DELETE", "/keys/{key_id}"): "admin",
    ("POST", "/classifications/assess"): "viewer",
    ("POST", "/classifications"): "analyst",
    ("GET", "/classifications/{cid}"): "viewer",
    ("POST", "/classifications/{cid}/approve"): "officer",
    ("GET", "/classifications/{cid}/certificate"): "viewer",
}
#: A product the 該非判定 routes assess (anhydrous hydrogen fluoride: listed, so decided and approvable).
HF_PRODUCT = json.loads((ROOT / "examples" / "classify" / "anhydrous-hf.json").read_text(encoding="utf-8"))

_counter = itertools.count(1)


def _request(svc: Service, method: str, path: str) -> tuple[str, dict[str, Any] | None]:
    """A valid request for a route (fresh data where the route consumes it)."""
    n = next(_counter)
    bodies: dict[tuple[str, str], Any] = {
        ("POST", "/determinations"): HF_KR,
        ("POST", "/determinations/batch"): {"shipments": [HF_KR, HF_KR]},
        ("POST", "/orders/check"): {**HF_KR, "ref": f"SO-{n}"},
        ("POST", "/orders/check/batch"): {"lines": [{**HF_KR, "ref": f"SO-{n}"}]},
        ("POST", "/orders"): {**HF_KR, "ref": f"SO-R-{n}"},
        ("POST", "/orders/{order_id}/resolutions"): {"reason": "licence_needed::", "action": "recheck"},
        ("POST", "/orders/{order_id}/release"): {"note": "checked"},
        ("POST", "/orders/{order_id}/lift"): {"reason": f"OFAC licence {n} on file"},
        ("POST", "/licences"): terms(number=f"L-{n}"),
        ("PATCH", "/licences/{licence_id}"): {"conditions": [f"condition {n}"], "reason": "test"},
        ("POST", "/licences/{licence_id}/drawdowns"): {
            "shipment": HF_KR,
            "quantity": "1",
            "unit": "kg",
            "key": f"k{n}",
        },
        ("POST", "/keys"): {"name": f"k{n}", "role": "viewer"},
        ("POST", "/match"): {"queries": {"q": {"schema": "Company", "properties": {"name": [f"Acme {n}"]}}}},
        ("POST", "/match/{dataset}"): {"queries": {"q": {"schema": "Company", "properties": {"name": [f"Ac {n}"]}}}},
        ("POST", "/screening/parties"): {"name": f"Acme {n}", "country": "cn"},
        ("POST", "/screening/hits/{hit_id}/decisions"): {"verdict": "false_positive", "reason": f"reason {n}"},
        ("POST", "/impact"): {"regime": "jp", "before": "2019-08-27", "after": "2019-08-28"},
        ("POST", "/classifications/assess"): HF_PRODUCT,
        ("POST", "/classifications"): {**HF_PRODUCT, "part_number": f"P-{n}"},
    }
    queries = {"/law/{regime}": "?as_of=2019-09-02", "/law/{regime}/timeline": "?country=KR"}
    key_id = svc.store.keys.create(f"victim-{n}", "viewer", "test")[0].key_id if "{key_id}" in path else ""
    order_id = _order(svc, n, path.rsplit("/", 1)[-1]) if "{order_id}" in path else 0
    cid = _classification(svc, n) if "{cid}" in path else ""
    url = path.format(
        cid=cid,
        licence_id=svc.app.state.licence_id,
        seq=svc.app.state.determination_seq,
        determination_id=svc.app.state.determination_seq,
        dataset="default",
        key_id=key_id,
        hit_id=svc.app.state.hit_id,
        regime="jp",
        order_id=order_id,
    )
    return url + queries.get(path, ""), bodies.get((method, path))


def _classification(svc: Service, n: int) -> str:
    """A fresh classification recorded by another actor (approvable by any officer of the test)."""
    answer = svc.client.post(
        "/classifications", json={**HF_PRODUCT, "part_number": f"C-{n}"}, headers=svc.headers("analyst")
    )
    cid = str(answer.json()["id"])
    return cid


def _order(svc: Service, n: int, step: str) -> int:
    """A fresh order filed by another actor, in the state the route ``step`` acts on."""
    regs, orders = svc.app.state.regulations, svc.store.orders
    if step == "lift":  # a consignee under asset freeze: blocked
        line = {**HF_KR, "consignee": {"name": "Korea Ryonbong General Corporation"}}
    elif step in ("release", "ship"):  # no licence needed; a consignee on the End User List: held, then accepted
        line = {**HF_KR, "destination": "US", "item": {"control_code": None, "hs_code": "2811.11", "kind": "goods"}}
        line["consignee"] = {"name": "Al Qa'ida/Islamic Army", "country": "AF"}
        line["end_user"] = {"name": "Cascade Microfab Inc.", "country": "US"}
    else:  # a licence needed and not held: held
        line = {**HF_KR, "end_user": {"name": f"Other Co {n}", "country": "KR"}}
    stored = orders.submit(OrderLine.model_validate({**line, "ref": f"SO-{step}-{n}"}), regs, "test:requester")
    if step in ("release", "ship"):
        key = stored.open_reasons[0]["key"]
        stored = orders.resolve(
            stored.id, key, "accepted", "clearly not for WMD", actor="test:reviewer", role="officer", regulations=regs
        )
    if step == "ship":
        stored = orders.release(stored.id, actor="test:reviewer", role="officer", regulations=regs)
    return stored.id


@pytest.fixture(scope="module")
def svc(tmp_path_factory: pytest.TempPathFactory, regulations: Any) -> Iterator[Service]:
    url = f"sqlite:///{tmp_path_factory.mktemp('roles') / 'roles.db'}"
    with service(url, portfolio=str(ROOT / "examples" / "portfolio")) as svc:
        big = terms(number="BIG", value_limit="1000000000000", quantity_limit="1000000")
        svc.app.state.licence_id = svc.client.post("/licences", json=big, headers=svc.headers("officer")).json()["id"]
        svc.app.state.determination_seq = svc.client.post(
            "/determinations", json=HF_KR, headers=svc.headers("analyst")
        ).json()["id"]
        screened = svc.client.post(
            "/screening/parties", json={"name": "Beihang University", "country": "CN"}, headers=svc.headers("analyst")
        ).json()
        svc.app.state.hit_id = next(r["hit_id"] for r in screened["results"] if r["hit_id"])
        svc.store.lists.save(next(v for v in LISTS if v.list_id == "jp-mof-asset-freeze"), "test")
        yield svc


def _routes() -> dict[tuple[str, str], APIRoute]:
    return {
        (method, route.path): route for router in ROUTERS for route in api_routes(router) for method in route.methods
    }


def test_the_table_lists_every_route(svc: Service) -> None:
    routes = _routes()
    assert set(routes) == set(REQUIRED), "add new routes to REQUIRED (and to docs/service.md)"
    for endpoint, route in routes.items():
        assert required_role(route) == REQUIRED[endpoint], endpoint
        assert isinstance(route, CheckedRoute), f"{endpoint}: make its router with clearance.api.routing.api_router"
        assert svc.app.openapi()["paths"][endpoint[1]][endpoint[0].lower()]["x-required-role"] == (
            REQUIRED[endpoint] or "none"
        )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", sorted(REQUIRED), ids=lambda e: f"{e[0]} {e[1]}")
def test_every_route_for_every_role(svc: Service, endpoint: tuple[str, str], role: str) -> None:
    method, path = endpoint
    url, body = _request(svc, method, path)
    response = svc.client.request(method, url, json=body, headers=svc.headers(role))
    needed = REQUIRED[endpoint]
    if needed is None or ROLES.index(role) >= ROLES.index(needed):
        assert 200 <= response.status_code < 300, (response.status_code, response.text)
    else:
        assert response.status_code == 403, response.text
        assert response.json()["type"] == "urn:clearance:problem:PermissionDeniedError"
        assert needed in response.json()["detail"]


@pytest.mark.parametrize("endpoint", sorted(e for e, r in REQUIRED.items() if r), ids=lambda e: f"{e[0]} {e[1]}")
def test_every_guarded_route_needs_a_key(svc: Service, endpoint: tuple[str, str]) -> None:
    method, path = endpoint
    url, body = _request(svc, method, path)
    for headers in ({}, {"Authorization": "Bearer clr_000000000000_nope"}, {"X-API-Key": "garbage"}):
        response = svc.client.request(method, url, json=body, headers=headers)
        assert response.status_code == 401, response.text
        assert response.headers["www-authenticate"] == "Bearer"


def test_the_x_api_key_header_works_and_revocation_is_immediate(svc: Service) -> None:
    key, token = svc.store.keys.create("short-lived", "admin", "test")
    assert svc.client.get("/me", headers={"X-API-Key": token}).json()["key_id"] == key.key_id
    assert svc.client.delete(f"/keys/{key.key_id}", headers={"X-API-Key": token}).status_code == 200
    assert svc.client.get("/me", headers={"X-API-Key": token}).status_code == 401


@pytest.mark.parametrize("endpoint", sorted(e for e, r in REQUIRED.items() if r), ids=lambda e: f"{e[0]} {e[1]}")
def test_the_caller_is_checked_before_the_body_is_read(svc: Service, endpoint: tuple[str, str]) -> None:
    method, path = endpoint
    url, _ = _request(svc, method, path)
    needed = REQUIRED[endpoint]
    assert needed is not None
    for body in (b"{not json", b'{"unknown": "\\ud800"}', b"\xff\xfe"):
        headers = {"Content-Type": "application/json"}
        response = svc.client.request(method, url, content=body, headers=headers)
        assert response.status_code == 401, (body, response.text)
        assert response.json()["type"] == "urn:clearance:problem:AuthenticationError"
        if needed != "viewer":
            lower = ROLES[ROLES.index(needed) - 1]
            response = svc.client.request(method, url, content=body, headers={**headers, **svc.headers(lower)})
            assert response.status_code == 403, (body, response.text)


_POSTS = sorted(endpoint for endpoint in REQUIRED if endpoint[0] == "POST" and endpoint != ("POST", "/keys"))


@pytest.mark.parametrize("endpoint", _POSTS, ids=lambda e: f"{e[0]} {e[1]}")
def test_every_post_answers_a_repeat_under_its_idempotency_key_as_it_answered_the_first(
    svc: Service, endpoint: tuple[str, str]
) -> None:
    method, path = endpoint
    url, body = _request(svc, method, path)
    headers = {**svc.headers(REQUIRED[endpoint] or "viewer"), "Idempotency-Key": f"idem {method} {path}"}
    first = svc.client.request(method, url, json=body, headers=headers)
    assert 200 <= first.status_code < 300, first.text
    head = svc.store.audit.head()
    again = svc.client.request(method, url, json=body, headers=headers)
    assert (again.status_code, again.content) == (first.status_code, first.content)
    assert again.headers.get("location") == first.headers.get("location")
    assert svc.store.audit.head() == head, "a repeat records nothing"
    other = svc.client.request(method, url, json={"other": body}, headers=headers)
    assert other.status_code == 422 and other.headers["content-type"] == "application/problem+json"
    assert other.json()["errors"][0]["field"] == "Idempotency-Key"


def test_the_idempotency_key_is_documented_on_every_post_but_creating_a_key(svc: Service) -> None:
    paths = svc.app.openapi()["paths"]
    for method, path in REQUIRED:
        operation = paths[path][method.lower()]
        takes = any(p["name"] == "Idempotency-Key" for p in operation.get("parameters", []))
        assert takes == operation["x-idempotent"] == (method == "POST" and path != "/keys"), (method, path)
    headers = {**svc.headers("admin"), "Idempotency-Key": "twice"}
    fresh = [svc.client.post("/keys", json={"name": "twice", "role": "viewer"}, headers=headers) for _ in range(2)]
    assert fresh[0].json()["token"] != fresh[1].json()["token"], "an API key's token is never kept for a repeat"
