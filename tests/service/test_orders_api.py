"""POST /orders/check over HTTP: one decision per order line against the store's lists in use (every party on
every list) and its licence register; batches answer every line; roles as for determinations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from apiutil import Service, service

from orders.orderdata import LINE, LISTS, licence


@pytest.fixture
def svc(sqlite_url: str) -> Iterator[Service]:
    with service(sqlite_url) as svc:
        for version in LISTS:
            svc.store.lists.save(version, "test")
        yield svc


def _check(svc: Service, body: Any, path: str = "/orders/check", role: str = "analyst") -> Any:
    return svc.client.post(path, json=body, headers=svc.headers(role))


def test_a_line_is_held_until_a_licence_is_registered_then_released(svc: Service, regulations: Any) -> None:
    held = _check(svc, LINE)
    assert held.status_code == 200, held.text
    assert held.json()["decision"] == "hold"
    assert [r["kind"] for r in held.json()["reasons"]] == ["licence_needed"]
    svc.store.licences.add(licence().terms, "test", regulations)
    released = _check(svc, LINE).json()
    assert released["decision"] == "release" and released["licence"]["number"] == "METI-2019-IL-0412"
    assert released["determination"]["licence_required"] is True
    assert set(released["list_versions"]) >= {"us-csl", "jp-mof-asset-freeze", "jp-meti-eul"}


def test_every_party_is_screened_against_every_list(svc: Service) -> None:
    body = {**LINE, "intermediaries": [{"name": "STROYGAZMONTAZH", "country": "RU"}]}
    answer = _check(svc, body).json()
    assert answer["decision"] == "block"
    block = answer["reasons"][0]
    assert (block["kind"], block["effect"], block["party"]) == ("list_entry", "block", "intermediaries[0]")
    assert answer["parties"][1]["hits"][0]["entry_id"] == "us-csl:SDN-16828"


def test_a_batch_answers_every_line_and_names_the_bad_field(svc: Service) -> None:
    lines = [
        LINE,
        {**LINE, "ref": ""},
        {**LINE, "ref": "SO-2", "consignee": {"name": "Korea Ryonbong General Corporation"}},
    ]
    answer = _check(svc, {"lines": lines}, "/orders/check/batch")
    assert answer.status_code == 200, answer.text
    results = answer.json()["results"]
    assert [r["position"] for r in results] == [0, 1, 2]
    assert results[0]["decision"] == "hold"
    assert results[1]["field"] == "ref"
    assert results[2]["decision"] == "block"


def test_bad_input_names_the_field_and_a_viewer_cannot_check(svc: Service) -> None:
    answer = _check(svc, {**LINE, "consignee": {"name": ""}})
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "consignee.name"
    assert _check(svc, LINE, role="viewer").status_code == 403
    assert svc.client.post("/orders/check", json=LINE).status_code == 401


def test_the_review_queue_and_four_eyes_over_http(svc: Service, regulations: Any) -> None:
    filed = svc.client.post("/orders", json=LINE, headers=svc.headers("analyst"))
    assert filed.status_code == 201, filed.text
    order = filed.json()
    assert order["state"] == "held" and order["open_reasons"][0]["kind"] == "licence_needed"
    queue = svc.client.get("/orders?state=held", headers=svc.headers("viewer")).json()
    assert [o["ref"] for o in queue["items"]] == [LINE["ref"]]
    refused = svc.client.post(f"/orders/{order['id']}/release", json={}, headers=svc.headers("officer"))
    assert refused.status_code == 409 and "licence_needed" in refused.json()["detail"]
    svc.store.licences.add(licence().terms, "test", regulations)
    key = order["open_reasons"][0]["key"]
    body = {"reason": key, "action": "recheck", "note": "licence registered"}
    resolved = svc.client.post(f"/orders/{order['id']}/resolutions", json=body, headers=svc.headers("analyst")).json()
    assert resolved["open_reasons"] == [] and resolved["state"] == "held"
    own = svc.client.post(f"/orders/{order['id']}/release", json={}, headers=svc.headers("analyst"))
    assert own.status_code == 403
    released = svc.client.post(f"/orders/{order['id']}/release", json={"note": "ok"}, headers=svc.headers("officer"))
    assert released.status_code == 200 and released.json()["state"] == "released"
    page = svc.client.get(f"/orders/{order['id']}", headers=svc.headers("viewer")).json()
    assert [h["kind"] for h in page["history"]] == ["order.checked", "order.resolved", "order.released"]


def test_the_requester_cannot_release_over_http(svc: Service, regulations: Any) -> None:
    svc.store.licences.add(licence().terms, "test", regulations)
    eul = {"name": "Harbin Orient Precision Works", "country": "CN"}
    line = {**LINE, "destination": "US", "end_user": {"name": "Cascade Microfab Inc.", "country": "US"}}
    line.update(item={"control_code": None, "hs_code": "2811.11", "kind": "goods"}, consignee=eul)
    order = svc.client.post("/orders", json=line, headers=svc.headers("officer")).json()
    key = order["open_reasons"][0]["key"]
    body = {"reason": key, "action": "accepted", "note": "clearly not for WMD: an end-use certificate on file"}
    assert (
        svc.client.post(f"/orders/{order['id']}/resolutions", json=body, headers=svc.headers("analyst")).status_code
        == 403
    )
    ok = svc.client.post(f"/orders/{order['id']}/resolutions", json=body, headers=svc.headers("officer"))
    assert ok.status_code == 200 and ok.json()["open_reasons"] == []
    own = svc.client.post(f"/orders/{order['id']}/release", json={}, headers=svc.headers("officer"))
    assert own.status_code == 403 and "four eyes" in own.json()["detail"]
    other = svc.client.post(f"/orders/{order['id']}/release", json={}, headers=svc.headers("admin"))
    assert other.status_code == 200 and other.json()["state"] == "released"
