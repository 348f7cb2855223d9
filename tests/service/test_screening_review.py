"""The screening review queue over HTTP, on SQLite and PostgreSQL: hits filed once per party and entry, decisions
audited, a false positive suppressing its hit until the entry or the party changes."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
from apiutil import Service, service

from clearance.screening import ALGORITHM, ScreenConfig, ScreeningIndex, screen
from clearance.screening.bundled import load_bundled
from clearance.screening.decisions import party_key
from clearance.screening.matcher import Query

BUAA = {"name": "Beihang University", "country": "CN", "schema": "Organization", "party_id": "P-CN-01"}


@pytest.fixture
def svc(db_url: str) -> Iterator[Service]:
    with service(db_url) as svc:
        yield svc


def _screen(svc: Service, body: dict[str, Any], role: str = "analyst") -> Any:
    return svc.client.post("/screening/parties", json=body, headers=svc.headers(role))


def _hit(svc: Service, hit_id: int) -> dict[str, Any]:
    answer = svc.client.get(f"/screening/hits/{hit_id}", headers=svc.headers("viewer"))
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def _decide(svc: Service, hit_id: int, verdict: str, reason: str, role: str = "officer") -> Any:
    body = {"verdict": verdict, "reason": reason}
    return svc.client.post(f"/screening/hits/{hit_id}/decisions", json=body, headers=svc.headers(role))


def test_a_party_is_screened_and_its_matches_queued(svc: Service) -> None:
    answer = _screen(svc, {**BUAA, "subject": "SO-1"})
    assert answer.status_code == 200, answer.text
    screened = answer.json()
    assert screened["party_key"] == "P-CN-01" and screened["matched"] is True
    top = screened["results"][0]
    assert top["id"] == "jp-meti-eul:501" and top["status"] == "open" and top["hit_id"] is not None
    assert {f["name"] for f in top["breakdown"]} >= {"name_literal", "country_match"}
    near = [r for r in screened["results"] if not r["match"]]
    assert all(r["hit_id"] is None for r in near)  # near misses are shown, not queued

    queue = svc.client.get("/screening/hits", params={"status": "open"}, headers=svc.headers("viewer")).json()
    assert [h["id"] for h in queue["items"]] == [top["hit_id"]]
    hit = _hit(svc, top["hit_id"])
    assert hit["party"] == {
        "names": ["Beihang University"],
        "schema": "Organization",
        "countries": ["cn"],
        "identifiers": [],
    }
    assert hit["entry_name"] == "Beijing University of Aeronautics and Astronautics"
    assert "北京航空航天大学" in hit["entry"]["properties"]["alias"]
    assert hit["subject"] == "SO-1" and hit["decisions"] == [] and hit["decision"] is None
    record = svc.client.get(f"/audit/{screened['id']}", headers=svc.headers("viewer")).json()
    assert record["kind"] == "screening" and record["subject"] == "SO-1"
    assert record["list_versions"] == dict(svc.store.lists.index().versions)

    again = _screen(svc, BUAA).json()
    assert again["results"][0]["hit_id"] == top["hit_id"]  # one hit per party and entry
    assert len(svc.client.get("/screening/hits", headers=svc.headers("viewer")).json()["items"]) == 1


def test_a_false_positive_is_suppressed_until_the_party_changes(svc: Service) -> None:
    hit_id = _screen(svc, BUAA).json()["results"][0]["hit_id"]
    decided = _decide(svc, hit_id, "false_positive", "Our customer is the Beihang alumni shop, not the university")
    assert decided.status_code == 201, decided.text
    body = decided.json()
    assert body["hit"]["status"] == "suppressed" and body["decision"]["verdict"] == "false_positive"
    assert body["decision"]["reviewer"].startswith("key:") and body["decision"]["list_id"] == "jp-meti-eul"
    good = svc.client.get("/screening/good-guys", headers=svc.headers("viewer")).json()["items"]
    assert [h["id"] for h in good] == [hit_id]

    record = svc.client.get(f"/audit/{body['decision']['audit_seq']}", headers=svc.headers("viewer")).json()
    assert record["kind"] == "decision" and record["subject"] == f"screening_hit:{hit_id}"
    assert record["inputs"]["reason"].startswith("Our customer") and "jp-meti-eul" in record["list_versions"]

    same = _screen(svc, BUAA).json()["results"][0]
    assert same["status"] == "suppressed" and same["decision"]["verdict"] == "false_positive"
    assert _screen(svc, BUAA).json()["matched"] is False

    moved = _screen(svc, {**BUAA, "country": "HK"}).json()["results"][0]  # same party id, other country
    assert moved["hit_id"] == hit_id and moved["status"] == "open" and moved["stale_decision"] is True
    assert _hit(svc, hit_id)["status"] == "open"
    assert svc.client.get("/screening/good-guys", headers=svc.headers("viewer")).json()["items"] == []
    assert svc.client.get("/audit/verify", headers=svc.headers("viewer")).json()["ok"] is True


def test_a_false_positive_opens_again_when_the_list_entry_changes(svc: Service) -> None:
    hit_id = _screen(svc, BUAA).json()["results"][0]["hit_id"]
    _decide(svc, hit_id, "false_positive", "not them")
    store = svc.store
    assert store.screening.get(hit_id).status == "suppressed"

    original = load_bundled("jp-meti-eul")
    parties = tuple(
        dataclasses.replace(p, aliases=(*p.aliases, "BUAA Beijing")) if p.id == "jp-meti-eul:501" else p
        for p in original.parties
    )
    newer = dataclasses.replace(original, parties=parties, version="")
    index = ScreeningIndex.build([newer])
    assert index.versions["jp-meti-eul"] != original.version
    query = Query(("Beihang University",), "Organization", ("cn",))
    screened = store.screening.record(
        query,
        party_key(query, "P-CN-01"),
        screen(index, query, ScreenConfig()),
        versions=index.versions,
        list_dates=index.list_dates,
        algorithm=ALGORITHM,
        threshold=0.8,
        actor="test",
    )
    reviewed, same_id = screened.results[0]
    assert same_id == hit_id and reviewed.status == "open" and reviewed.stale_decision
    hit = _hit(svc, hit_id)
    assert hit["status"] == "open" and hit["list_version"] == index.versions["jp-meti-eul"]
    assert "BUAA Beijing" in hit["entry"]["properties"]["alias"]


def test_confirming_a_match_and_bad_decisions(svc: Service) -> None:
    hit_id = _screen(svc, BUAA).json()["results"][0]["hit_id"]
    assert (
        _decide(svc, hit_id, "match", "It is the university: the order names its School of Astronautics").json()["hit"][
            "status"
        ]
        == "confirmed"
    )
    for verdict, reason, field in (
        ("maybe", "x", "verdict"),
        ("match", "", "reason"),
        ("false_positive", "  ", "reason"),
    ):
        answer = _decide(svc, hit_id, verdict, reason)
        assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == field, answer.text
    assert _decide(svc, 999_999, "match", "x").status_code == 404
    assert _decide(svc, hit_id, "false_positive", "x", role="analyst").status_code == 403
    history = _hit(svc, hit_id)["decisions"]
    assert [d["verdict"] for d in history] == ["match"]
    _decide(svc, hit_id, "false_positive", "On reflection: a namesake")
    assert [d["verdict"] for d in _hit(svc, hit_id)["decisions"]] == ["match", "false_positive"]
    assert _hit(svc, hit_id)["status"] == "suppressed"


def test_bad_parties_name_the_field(svc: Service) -> None:
    for body, field in (
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "Acme", "country": "CHN"}, "country"),
        ({"name": "Acme", "schema": "Planet"}, "schema"),
        ({"name": "Acme", "colour": "red"}, "colour"),
    ):
        answer = _screen(svc, body)
        assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == field, answer.text


def test_the_queue_is_paged_and_filtered(svc: Service) -> None:
    for name in ("Beihang University", "Harbin Engineering University", "Northwestern Polytechnical University"):
        _screen(svc, {"name": name, "country": "CN"})
    viewer = svc.headers("viewer")
    first = svc.client.get("/screening/hits", params={"limit": 2}, headers=viewer).json()
    assert len(first["items"]) == 2 and first["next_after"] == first["items"][-1]["id"]
    rest = svc.client.get("/screening/hits", params={"after": first["next_after"]}, headers=viewer).json()
    assert rest["next_after"] is None and len(first["items"]) + len(rest["items"]) == 3
    key = first["items"][0]["party_key"]
    mine = svc.client.get("/screening/hits", params={"party_key": key}, headers=viewer).json()["items"]
    assert [h["party_key"] for h in mine] == [key]
    assert svc.client.get("/screening/hits", params={"status": "confirmed"}, headers=viewer).json()["items"] == []
    assert svc.store.screening.counts() == {"open": 3, "suppressed": 0, "confirmed": 0}


def test_the_screening_migration_upgrades_a_database_in_use_and_downgrades(db_url: str) -> None:
    from alembic import command
    from sqlalchemy import inspect

    from clearance.store import Database, Store
    from clearance.store.migrate import config, current, head, upgrade

    db = Database(db_url, migrate=False)
    upgrade(db.engine, "0001")
    assert current(db.engine) == "0001"
    db.dispose()
    store = Store(db_url)  # migrates to the newest revision on opening
    try:
        assert current(store.db.engine) == head()
        assert store.screening.counts() == {"open": 0, "suppressed": 0, "confirmed": 0}
        cfg = config()
        with store.db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0001")
        tables = set(inspect(store.db.engine).get_table_names())
        assert "screening_hits" not in tables and "audit_records" in tables
    finally:
        store.close()


def test_a_hit_filed_meanwhile_by_another_server_is_found_on_retry(
    svc: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    from clearance.store.screening_queue import ScreeningQueue

    hit_id = _screen(svc, BUAA).json()["results"][0]["hit_id"]
    real = ScreeningQueue._hit_row
    calls = {"n": 0}

    def blind_once(session: Any, key: str, entry_id: str) -> Any:
        calls["n"] += 1
        return None if calls["n"] == 1 else real(session, key, entry_id)  # as if not there yet: insert clashes

    monkeypatch.setattr(ScreeningQueue, "_hit_row", staticmethod(blind_once))
    again = _screen(svc, BUAA)
    assert again.status_code == 200, again.text
    assert again.json()["results"][0]["hit_id"] == hit_id and calls["n"] >= 2
    assert svc.client.get("/audit/verify", headers=svc.headers("viewer")).json()["ok"] is True
