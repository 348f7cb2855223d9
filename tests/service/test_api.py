"""The HTTP API's behaviour: errors naming fields, limits, pagination, idempotency, drawdown refusals,
replay and verify over HTTP, on SQLite and PostgreSQL; the OpenAPI schema and docs/service.md agree."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from apiutil import Service, service
from servicedata import HF_KR, ROOT, shipments, terms
from sqlalchemy import delete, text

from clearance.api import ROUTERS, api_routes
from clearance.store.tables import IdempotencyRow


@pytest.fixture
def svc(db_url: str) -> Iterator[Service]:
    with service(db_url, max_batch=5, max_body_bytes=64_000) as svc:
        yield svc


def _post(svc: Service, path: str, body: Any, role: str = "admin", **headers: str) -> Any:
    return svc.client.post(path, json=body, headers={**svc.headers(role), **headers})


def test_health_is_public(svc: Service, regulations: Any) -> None:
    body = svc.client.get("/health").json()
    assert body["status"] == "ok" and body["data_versions"]["jp"] == regulations["jp"].data_version


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"destination": None}, "destination"),
        ({"item": {"kind": "services"}}, "item.kind"),
        ({"colour": "red"}, "colour"),
        ({"regime": "xx"}, "regime"),
        ({"date": "2019-02-30"}, "date"),
    ],
)
def test_bad_input_names_the_field(svc: Service, change: dict[str, Any], field: str) -> None:
    body = {**HF_KR, **change}
    body = {k: v for k, v in body.items() if v is not None}
    response = _post(svc, "/determinations", body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field


LONE = "Acme \udc00 Trading"


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (
            "/match",
            {"queries": {"q": {"schema": "Company", "properties": {"name": [LONE]}}}},
            "queries.q.properties.name.0",
        ),
        (
            "/match",
            {"queries": {LONE: {"schema": "Company", "properties": {"name": ["Acme"]}}}},
            "queries.Acme \\udc00 Trading",
        ),
        ("/determinations", {**HF_KR, "ref": LONE}, "ref"),
        ("/determinations", {**HF_KR, "end_user": {"name": LONE, "country": "KR"}}, "end_user.name"),
        ("/determinations/batch", {"shipments": [HF_KR, {**HF_KR, "ref": LONE}]}, "shipments.1.ref"),
        ("/screening/parties", {"name": "\ud800"}, "name"),
        ("/licences", terms(holder=LONE), "holder"),
        ("/keys", {"name": LONE, "role": "viewer"}, "name"),
    ],
)
def test_lone_surrogates_are_refused_naming_the_field(svc: Service, path: str, body: Any, field: str) -> None:
    head = svc.store.audit.head()
    response = svc.client.post(
        path, content=json.dumps(body), headers={**svc.headers("admin"), "Content-Type": "application/json"}
    )
    assert response.status_code == 422, response.text
    problem = response.json()
    assert (problem["type"], problem["errors"][0]["field"]) == ("urn:clearance:problem:InputError", field)
    assert "surrogate" in problem["errors"][0]["message"]
    assert svc.store.audit.head() == head


def test_determination_with_coverage_and_idempotency(svc: Service) -> None:
    _post(svc, "/licences", terms())
    first = _post(svc, "/determinations", HF_KR, **{"Idempotency-Key": "so-1"}).json()
    assert first["determination"]["licence_required"] is True
    assert first["licences"][0]["covers"] is True and not first["repeated"]
    again = _post(svc, "/determinations", HF_KR, **{"Idempotency-Key": "so-1"}).json()
    assert again == first, "a repeat is answered as the first request was"
    clash = _post(svc, "/determinations", {**HF_KR, "ref": "other"}, **{"Idempotency-Key": "so-1"})
    assert clash.status_code == 422 and clash.json()["errors"][0]["field"] == "Idempotency-Key"
    with svc.store.db.write() as session:  # the answers kept for repeats are gone (older than their hours)
        session.execute(delete(IdempotencyRow))
    late = _post(svc, "/determinations", HF_KR, **{"Idempotency-Key": "so-1"})
    assert late.status_code == 200 and late.json()["repeated"] and late.json()["id"] == first["id"]


def test_an_undecided_answer_is_null_with_its_questions_and_so_recorded(svc: Service) -> None:
    """The issue's case: an unlisted computer to China, end use unknown and no end user: never "no licence"."""
    body = {
        "regime": "jp",
        "date": "2026-01-15",
        "destination": "CN",
        "item": {"control_code": None, "hs_code": "8471.30", "kind": "goods"},
        "end_use": "unknown",
        "informed": False,
    }
    recorded = _post(svc, "/determinations", body).json()
    answer = recorded["determination"]
    assert answer["licence_required"] is None and answer["basis"] == []
    assert {f for q in answer["undecided"] for f in q["missing"]} == {"end_use", "end_user"}
    assert all(q["rule"].startswith("requirements.catch_all") for q in answer["undecided"])
    stored = svc.client.get(f"/audit/{recorded['id']}", headers=svc.headers("viewer")).json()
    assert stored["outputs"]["determination"]["undecided"] == answer["undecided"]


def test_batch_answers_every_line_and_resumes(svc: Service) -> None:
    items = [*shipments()[:3], {**HF_KR, "destination": "XX"}]
    results = _post(svc, "/determinations/batch", {"shipments": items, "batch_id": "b1"}).json()["results"]
    assert [("id" in r) for r in results] == [True, True, True, False]
    assert results[3] == {"position": 3, "field": "destination", "value": "XX", "message": results[3]["message"]}
    again = _post(svc, "/determinations/batch", {"shipments": items, "batch_id": "b1"}).json()["results"]
    assert [r.get("repeated") for r in again[:3]] == [True, True, True]


def test_batch_idempotency_key_header_is_its_batch_id(svc: Service) -> None:
    items = shipments()[:2]
    first = _post(svc, "/determinations/batch", {"shipments": items}, **{"Idempotency-Key": "b2"}).json()["results"]
    again = _post(svc, "/determinations/batch", {"shipments": items, "batch_id": "b2"})
    assert [r["repeated"] for r in first] == [False, False]
    assert [(r["id"], r["repeated"]) for r in again.json()["results"]] == [(r["id"], True) for r in first]
    clash = _post(svc, "/determinations/batch", {"shipments": items, "batch_id": "b3"}, **{"Idempotency-Key": "b4"})
    assert clash.status_code == 422 and clash.json()["errors"][0]["field"] == "batch_id"


def test_limits(svc: Service) -> None:
    too_many = _post(svc, "/determinations/batch", {"shipments": [HF_KR] * 6})
    assert too_many.status_code == 413 and too_many.json()["errors"][0]["field"] == "shipments"
    too_big = _post(svc, "/determinations", {**HF_KR, "ref": "x" * 70_000})
    assert too_big.status_code == 413 and too_big.json()["errors"][0]["field"] == "body"
    page = svc.client.get("/audit?limit=501", headers=svc.headers("viewer"))
    assert page.status_code == 422 and page.json()["errors"][0]["field"] == "limit"


def test_pagination(svc: Service) -> None:
    for n in range(7):
        _post(svc, "/licences", terms(number=f"L-{n}"))
    seen: list[int] = []
    after: int | None = 0
    while after is not None:
        page = svc.client.get(f"/licences?limit=3&after={after}", headers=svc.headers("viewer")).json()
        seen += [item["id"] for item in page["items"]]
        after = page["next_after"]
    assert len(seen) == 7 and seen == sorted(seen)
    kinds = svc.client.get("/audit?kind=licence.created&limit=2", headers=svc.headers("viewer")).json()
    assert len(kinds["items"]) == 2 and kinds["next_after"] == kinds["items"][-1]["seq"]


def test_drawdowns_over_http(svc: Service) -> None:
    licence = _post(svc, "/licences", terms()).json()
    path = f"/licences/{licence['id']}/drawdowns"
    ok = _post(svc, path, {"shipment": HF_KR, "quantity": "10", "unit": "kg", "key": "INV-1"})
    assert ok.status_code == 201 and ok.json()["licence"]["value_left"] == "2000000"
    assert _post(svc, path, {"shipment": HF_KR, "quantity": "10", "unit": "kg", "key": "INV-1"}).status_code == 200
    refused = _post(svc, path, {"shipment": HF_KR, "quantity": "10", "unit": "kg", "key": "INV-2"})
    assert refused.status_code == 422
    problem = refused.json()
    assert (problem["type"], problem["licence"], problem["reason"]) == (
        "urn:clearance:problem:LicenceRefusedError",
        "METI-2019-0001",
        "overdraw_value",
    )
    history = svc.client.get(path, headers=svc.headers("viewer")).json()["items"]
    assert [h["key"] for h in history] == ["INV-1"]
    missing = _post(svc, "/licences/999/drawdowns", {"shipment": HF_KR, "quantity": "1", "unit": "kg"})
    assert missing.status_code == 404


def test_verify_and_replay_over_http(svc: Service) -> None:
    seq = _post(svc, "/determinations", HF_KR).json()["id"]
    replay = svc.client.get(f"/audit/{seq}/replay", headers=svc.headers("analyst")).json()
    assert replay["same"] is True and replay["differences"] == []
    assert svc.client.get("/audit/verify", headers=svc.headers("viewer")).json()["ok"] is True
    with svc.store.db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_records SET actor = 'someone else' WHERE seq = :seq"), {"seq": seq})
    verdict = svc.client.get("/audit/verify", headers=svc.headers("viewer")).json()
    assert verdict["ok"] is False and verdict["first_bad"]["seq"] == seq and verdict["first_bad"]["problem"] == "edited"
    not_replayable = svc.client.get("/audit/1/replay", headers=svc.headers("analyst"))
    assert not_replayable.status_code == 422 and not_replayable.json()["type"] == "urn:clearance:problem:ReplayError"


def test_a_record_inserted_past_the_head_is_reported_and_writes_go_on(svc: Service) -> None:
    seq = _post(svc, "/determinations", HF_KR).json()["id"]
    with svc.store.db.engine.begin() as conn:  # a copy of the last record, numbered after the head
        conn.execute(
            text(
                "INSERT INTO audit_records (seq, kind, actor, at, subject, inputs, outputs, data_version, "
                "list_versions, key, prev_hash, hash) SELECT seq + 1, kind, actor, at, subject, inputs, outputs, "
                "data_version, list_versions, NULL, prev_hash, hash FROM audit_records WHERE seq = :seq"
            ),
            {"seq": seq},
        )
    verdict = svc.client.get("/audit/verify", headers=svc.headers("viewer")).json()
    assert verdict["ok"] is False and verdict["first_bad"]["seq"] == seq + 1
    assert verdict["first_bad"]["problem"] == "inserted"
    for _ in range(2):
        later = _post(svc, "/determinations", HF_KR)
        assert later.status_code == 201 and later.headers["location"] == f"/determinations/{later.json()['id']}"
    assert later.json()["id"] == seq + 4  # after the inserted record and the notice that lists it
    verdict = svc.client.get("/audit/verify", headers=svc.headers("viewer")).json()
    assert verdict["first_bad"]["seq"] == seq + 1 and verdict["first_bad"]["problem"] == "inserted"
    assert verdict["head"]["seq"] == seq + 4
    notices = svc.client.get("/audit", params={"kind": "audit.inserted"}, headers=svc.headers("viewer")).json()
    assert [r["outputs"]["records"][0]["seq"] for r in notices["items"]] == [seq + 1]


def test_match_is_yente_shaped_and_recorded(svc: Service) -> None:
    index = svc.store.lists.index()
    party = index.parties[0]
    body = {"queries": {"q1": {"schema": "LegalEntity", "properties": {"name": [party.caption]}}}}
    answer = _post(svc, "/match", body, "analyst").json()
    top = answer["responses"]["q1"]["results"][0]
    assert top["id"] == party.id and top["match"] is True
    record = svc.client.get(f"/audit/{answer['id']}", headers=svc.headers("viewer")).json()
    assert record["kind"] == "screening" and record["list_versions"] == dict(index.versions)
    bad = _post(svc, "/match", {"queries": {"q1": {"properties": {}}}}, "analyst")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"].startswith("queries.q1")


def test_openapi_is_published_with_security(svc: Service) -> None:
    schema = svc.client.get("/openapi.json").json()
    assert set(schema["components"]["securitySchemes"]) == {"HTTPBearer", "APIKeyHeader"}


def test_docs_list_every_route() -> None:
    doc = (Path(ROOT) / "docs" / "service.md").read_text(encoding="utf-8")
    for router in ROUTERS:
        for route in api_routes(router):
            for method in route.methods:
                assert f"`{method} {route.path}`" in doc, f"document {method} {route.path} in docs/service.md"
