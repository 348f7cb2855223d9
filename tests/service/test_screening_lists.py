"""One store for screening, on SQLite and PostgreSQL: lists imported with the CLI are what ``/match``, the web
review and recorded determinations screen against (the bundled snapshot for any list not imported); a decision
taken in the CLI suppresses the hit in the web queue and the other way round; delta re-screening after a new list
version reports only what is new; list versions are stored once by content hash; the migration from 0002 keeps
the hits and decisions in place."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from apiutil import BUNDLED, Service, service, small_store
from fastapi.testclient import TestClient
from test_screening_cli import ACME, IVAN, ftm
from typer.testing import CliRunner, Result

from clearance.errors import UnknownListError
from clearance.screening import Query, ScreeningIndex, hook, screen
from clearance.screening.bundled import load_bundled
from clearance.screening.decisions import party_key
from clearance.screening.model import ListVersion, Party
from clearance.screening.results import RESULTS_FILE
from clearance.store import Store
from clearance.store.audit_log import Query as AuditQuery

runner = CliRunner()
EUL = load_bundled("jp-meti-eul")
ACME_AGAIN = {**ACME, "properties": {"name": ["Acme Trading LLC"], "alias": ["Acme General Trading"]}}
OTHER = {"id": "e3", "schema": "Company", "properties": {"name": ["Zeta Shipping Ltd"]}, "datasets": ["demo"]}


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def _cli(db_url: str, *args: str) -> Result:
    from clearance.cli import app

    result = runner.invoke(app, [*args, "--database", db_url])
    assert result.exit_code == 0, result.output
    return result


def _sign_in(client: TestClient, token: str) -> str:
    """Sign in on the web pages; the session's CSRF token."""
    page = client.get("/ui/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf
    signed = client.post("/ui/login", data={"csrf": csrf.group(1), "api_key": token, "next": "/ui/review"})
    assert signed.status_code == 200, signed.text
    found = re.search(r'name="csrf" value="([^"]+)"', signed.text)
    assert found
    return found.group(1)


def _get(svc: Service, path: str, role: str = "viewer", **params: Any) -> Any:
    answer = svc.client.get(path, params=params, headers=svc.headers(role))
    assert answer.status_code == 200, answer.text
    return answer.json()


def _post(svc: Service, path: str, body: Any, role: str = "analyst") -> Any:
    answer = svc.client.post(path, json=body, headers=svc.headers(role))
    assert answer.status_code in (200, 201), answer.text
    return answer.json()


def test_a_list_imported_with_the_cli_is_what_the_api_and_the_web_screen_against(db_url: str, tmp_path: Path) -> None:
    v1 = json.loads(_cli(db_url, "lists", "import", str(ftm(tmp_path / "v1.json", ACME)), "--json").stdout)["list"]
    with service(db_url, session_secret="s") as svc:
        assert svc.store.lists.in_use() == {"demo": v1["version"], "jp-meti-eul": EUL.version}
        query = {"queries": {"q1": {"schema": "Company", "properties": {"name": ["Acme Trading"]}}}}
        answer = _post(svc, "/match", query)
        assert answer["responses"]["q1"]["results"][0]["id"] == "demo:e1"
        assert answer["lists"]["demo"]["version"] == v1["version"]
        record = _get(svc, f"/audit/{answer['id']}")
        assert record["list_versions"] == {"demo": v1["version"], "jp-meti-eul": EUL.version}
        [imported] = _get(svc, "/audit", kind="list.imported")["items"]
        assert imported["subject"] == "list:demo" and imported["actor"].startswith("cli:")
        assert imported["list_versions"] == {"demo": v1["version"]} and imported["outputs"]["added"] == 1

        csrf = _sign_in(svc.client, svc.tokens["analyst"])
        screened = svc.client.post("/ui/review/screen", data={"csrf": csrf, "name": "Acme Trading"})
        assert screened.status_code == 200 and "Acme Trading LLC" in screened.text
        [hit] = _get(svc, "/screening/hits", status="open")["items"]
        assert hit["list_id"] == "demo" and hit["list_version"] == v1["version"]
        page = svc.client.get(f"/ui/review/{hit['id']}")
        assert page.status_code == 200 and "Acme Trading LLC" in page.text and v1["version"][:23] in page.text
        assert "Acme Trading LLC" in svc.client.get("/ui/review").text

        # a newer version imported while the service runs is used by the next screening, without a restart
        v2 = json.loads(
            _cli(db_url, "lists", "import", str(ftm(tmp_path / "v2.json", ACME_AGAIN, IVAN)), "--json").stdout
        )
        assert v2["diff"]["changed"] == ["demo:e1"] and v2["diff"]["added"] == ["demo:e2"]
        again = _post(
            svc, "/match", {"queries": {"q1": {"schema": "Person", "properties": {"name": ["Ivan Sidorov"]}}}}
        )
        assert again["responses"]["q1"]["results"][0]["id"] == "demo:e2"
        assert again["lists"]["demo"]["version"] == v2["list"]["version"]


def test_a_cli_decision_suppresses_the_hit_in_the_web_queue_and_back(db_url: str, tmp_path: Path) -> None:
    _cli(db_url, "lists", "import", str(ftm(tmp_path / "v1.json", ACME, IVAN)))
    screen_args = ["screen", "Acme Trading", "--party-id", "p1", "--list", "demo", "--json"]
    screened = json.loads(_cli(db_url, *screen_args).stdout)
    hit_id = screened["results"][0]["hit_id"]
    with service(db_url, session_secret="s") as svc:
        [queued] = _get(svc, "/screening/hits", status="open")["items"]
        assert queued["id"] == hit_id and queued["screened_by"].startswith("cli:") and queued["party_key"] == "p1"

        decided = _cli(
            db_url, "decisions", "add", "Acme Trading", "--entry", "demo:e1", "--verdict", "false_positive",
            "--reason", "our own subsidiary", "--party-id", "p1", "--list", "demo", "--json",
        )  # fmt: skip
        decision = json.loads(decided.stdout)
        hit = _get(svc, f"/screening/hits/{hit_id}")
        assert hit["status"] == "suppressed" and [d["reason"] for d in hit["decisions"]] == ["our own subsidiary"]
        assert hit["decision"]["reviewer"].startswith("cli:")
        assert [h["id"] for h in _get(svc, "/screening/good-guys")["items"]] == [hit_id]
        record = _get(svc, f"/audit/{decision['audit_seq']}")
        assert record["kind"] == "decision" and record["subject"] == f"screening_hit:{hit_id}"
        assert record["actor"].startswith("cli:") and record["list_versions"] == {"demo": hit["list_version"]}

        officer = _sign_in(svc.client, svc.tokens["officer"])
        assert "Acme Trading LLC" in svc.client.get("/ui/review", params={"status": "suppressed"}).text
        assert "Acme Trading LLC" in svc.client.get("/ui/review/good-guys").text
        assert "Acme Trading LLC" not in svc.client.get("/ui/review", params={"status": "open"}).text
        party = {"name": "Acme Trading", "party_id": "p1"}
        assert _post(svc, "/screening/parties", party)["results"][0]["status"] == "suppressed"

        confirmed = svc.client.post(
            f"/ui/review/{hit_id}", data={"csrf": officer, "verdict": "match", "reason": "it is them after all"}
        )
        assert confirmed.status_code == 200 and "decided=1" in str(confirmed.url)
        assert _get(svc, "/audit/verify")["ok"] is True
    listed = json.loads(_cli(db_url, "decisions", "list", "--party-key", "p1", "--json").stdout)
    assert [d["verdict"] for d in listed] == ["false_positive", "match"]
    assert listed[-1]["reviewer"].startswith("key:")
    again = json.loads(_cli(db_url, *screen_args).stdout)
    assert again["results"][0]["status"] == "confirmed" and again["results"][0]["hit_id"] == hit_id


def test_delta_after_a_new_list_version_reports_only_what_is_new(db_url: str, tmp_path: Path) -> None:
    parties = tmp_path / "parties.jsonl"
    rows = [{"id": "c1", "name": "Acme Trading"}, {"id": "c2", "name": "Ivan Sidorov", "schema": "Person"}]
    parties.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    delta = ["screen", "--batch", str(parties), "--delta", "--list", "demo"]

    def changes() -> list[list[tuple[str, str]]]:
        lines = _cli(db_url, *delta).stdout.splitlines()
        return [[(r["id"], r["change"]) for r in json.loads(line)["results"]] for line in lines]

    _cli(db_url, "lists", "import", str(ftm(tmp_path / "v1.json", ACME)))
    assert changes() == [[("demo:e1", "new")], []]
    assert changes() == [[], []]
    imported = _cli(db_url, "lists", "import", str(ftm(tmp_path / "v2.json", ACME_AGAIN, IVAN, OTHER)), "--json")
    diff = json.loads(imported.stdout)["diff"]
    assert (diff["added"], diff["changed"]) == (["demo:e2", "demo:e3"], ["demo:e1"])
    assert changes() == [[("demo:e1", "changed")], [("demo:e2", "new")]]
    assert changes() == [[], []]

    with service(db_url) as svc:  # the API's screenings count as seen too: the party's hits are the queue's
        _post(svc, "/screening/parties", {"name": "Acme Trading", "party_id": "c3"})
    parties.write_text(json.dumps({"id": "c3", "name": "Acme Trading"}) + "\n", encoding="utf-8")
    assert changes() == [[]]


def _shipment(ref: str, end_user: str) -> dict[str, Any]:
    """An unlisted computer shipped to China on 2026-01-15 for civil use, to ``end_user`` (a catch-all case: the end
    user's screening decides it)."""
    return {
        "ref": ref,
        "regime": "jp",
        "date": "2026-01-15",
        "destination": "CN",
        "item": {"control_code": None, "hs_code": "8471.50", "kind": "goods"},
        "end_use": "civil",
        "end_user": {"name": end_user, "country": "CN"},
    }


def test_recorded_determinations_screen_end_users_against_the_imported_list(db_url: str, tmp_path: Path) -> None:
    names = {"name": ["Zenith Precision Trading"], "country": ["cn"]}
    zenith = {"id": "9001", "schema": "Company", "properties": names, "datasets": ["jp-meti-eul"]}
    with service(db_url) as svc:
        before = _post(svc, "/determinations", _shipment("SO-1", "Zenith Precision Trading"))
        assert before["determination"]["licence_required"] is False
        beihang = _post(svc, "/determinations", _shipment("SO-2", "Beihang University"))["determination"]
        assert beihang["licence_required"] is True and beihang["list_versions"] == {"jp-meti-eul": EUL.version}
        assert _get(svc, f"/audit/{_post(svc, '/determinations', _shipment('SO-3', 'Beihang University'))['id']}")[
            "list_versions"
        ] == {"jp-meti-eul": EUL.version}

        imported = _cli(db_url, "lists", "import", str(ftm(tmp_path / "eul.json", zenith)), "--json")
        version = json.loads(imported.stdout)["list"]["version"]
        after = _post(svc, "/determinations", _shipment("SO-4", "Zenith Precision Trading"))
        answer = after["determination"]
        assert answer["licence_required"] is True and answer["basis"] == ["catch_all_wmd"]
        assert answer["list_versions"] == {"jp-meti-eul": version}
        assert _get(svc, f"/audit/{after['id']}")["list_versions"] == {"jp-meti-eul": version}
        assert (
            _post(svc, "/determinations", _shipment("SO-5", "Beihang University"))["determination"]["licence_required"]
            is False
        )  # the imported version replaces the bundled one

        replayed = _get(svc, f"/audit/{before['id']}/replay", role="analyst")
        assert not replayed["same"] and "licence_required" in {d["path"] for d in replayed["differences"]}


def test_list_versions_are_stored_once_by_content_hash(db_url: str) -> None:
    acme = Party.build("t", "1", "Organization", ["Acme Trading LLC"], countries=["ae"])
    changed = Party.build("t", "1", "Organization", ["Acme Trading LLC"], aliases=["Acme General Trading"])
    beta = Party.build("t", "2", "Organization", ["Beta Holdings"])
    first = ListVersion("t", "Test", None, "v1", (acme,))
    second = ListVersion("t", "Test", None, "v2", (changed, beta))
    store = small_store(db_url)
    try:
        assert store.lists.in_use() == {"jp-meti-eul": EUL.version} and store.lists.latest("t") is None
        saved = store.lists.save(first, "test")
        assert saved.stored and saved.diff.added == ("t:1",) and saved.audit_seq == 1
        change = store.lists.save(second, "test").diff
        assert (change.added, change.removed, change.changed) == (("t:2",), (), ("t:1",))
        repeated = store.lists.save(second, "test")
        assert not repeated.stored and repeated.diff.added == () and repeated.audit_seq is None
        assert store.audit.head().seq == 2  # an exact version again is not stored or audited again
        assert [v["version"] for v in store.lists.versions("t")] == [first.version, second.version]
        assert store.lists.latest("t") == second and store.lists.get(first.version[:20]) == first
        assert store.lists.previous("t", second.version) == first and store.lists.previous("t", first.version) is None
        with pytest.raises(UnknownListError, match="more than one"):
            store.lists.get("sha256:")
        with pytest.raises(UnknownListError, match="no stored list version"):
            store.lists.get("sha256:%")  # a wildcard is a character, not a pattern
        assert store.lists.in_use() == {"jp-meti-eul": EUL.version, "t": second.version}
        assert store.lists.in_use(["t"]) == {"t": second.version}
        with pytest.raises(UnknownListError, match="no screening list us-csl"):
            store.lists.in_use(["us-csl"])  # bundled, but not among this store's fallbacks
        origins = {d["list_id"]: d["origin"] for d in store.lists.describe()}
        assert origins == {"jp-meti-eul": "bundled", "t": "imported"}
        index = store.lists.index(["t"])
        assert index is store.lists.index(["t"]) and index.versions == {"t": second.version}
        query = Query.of("Acme Trading")
        screened = store.screening.screen(query, actor="test", party_id="p1", list_ids=["t"])
        assert screened.versions == {"t": second.version} and screened.previous == {}
        again = store.screening.screen(query, actor="test", party_id="p1", list_ids=["t"])
        assert set(again.previous) == {"t:1"} and again.previous["t:1"].list_version == second.version
    finally:
        store.close()


def test_the_lists_migration_upgrades_a_database_in_use(db_url: str) -> None:
    from alembic import command
    from sqlalchemy import inspect

    from clearance.store import Database
    from clearance.store.migrate import config, current, head, upgrade

    db = Database(db_url, migrate=False)
    upgrade(db.engine, "0002")
    db.dispose()
    old = Store(db_url, migrate=False, bundled_lists=BUNDLED)  # the code of 0002 used nothing but these tables
    try:
        index = ScreeningIndex.build([EUL])
        query = Query.of("Beihang University", "CN", "Organization")
        screened = old.screening.record(
            query,
            party_key(query, "P-1"),
            screen(index, query),
            versions=index.versions,
            list_dates=index.list_dates,
            algorithm="clearance-name-v1",
            threshold=0.8,
            actor="test",
        )
        hit_id = next(h for _, h in screened.results if h is not None)
        old.screening.decide(hit_id, "false_positive", "the alumni shop", "test")
    finally:
        old.close()
    store = small_store(db_url)  # migrates to the newest revision on opening
    try:
        assert current(store.db.engine) == head()
        assert store.screening.get(hit_id).status == "suppressed"
        assert [d.decision.reason for d in store.screening.decisions(hit_id)] == ["the alumni shop"]
        assert store.audit.verify().ok and len(store.audit.page(AuditQuery())[0]) == 2
        again = store.screening.screen(query, actor="test", party_id="P-1")
        assert next(r for r, h in again.results if h == hit_id).status == "suppressed"
        assert store.lists.save(ListVersion("t", "Test", None, "v1", (Party.build("t", "1", "Person", ["A B"]),)), "x")
        cfg = config()
        with store.db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0002")
        tables = set(inspect(store.db.engine).get_table_names())
        assert "screening_lists" not in tables and "screening_hits" in tables
        assert store.screening.get(hit_id).status == "suppressed"
    finally:
        store.close()


def test_recorded_determinations_read_screening_results_kept_by_an_earlier_process(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def restarted() -> None:
        """As if the server had stopped (writing its results) and started again: no screener, no memo."""
        hook.results_in(svc.store.lists.cache_dir).flush()
        hook.results_in.cache_clear()
        monkeypatch.setattr(hook, "_SCREENERS", {})

    screened: list[str] = []
    hits_in = hook.hits_in

    def counted(index: ScreeningIndex, name: str, *args: Any, **kwargs: Any) -> Any:
        screened.append(name)
        return hits_in(index, name, *args, **kwargs)

    monkeypatch.setattr(hook, "hits_in", counted)
    monkeypatch.setattr(hook, "_SCREENERS", {})  # a new process: no screener (nor its memo) of an earlier test
    zenith = {"id": "9001", "schema": "Company", "properties": {"name": ["Zenith"]}, "datasets": ["jp-meti-eul"]}
    with service(sqlite_url) as svc:
        first = _post(svc, "/determinations", _shipment("SO-1", "Beihang University"))["determination"]
        assert first["licence_required"] is True and screened == ["Beihang University"]
        restarted()
        again = _post(svc, "/determinations", _shipment("SO-2", "Beihang University"))["determination"]
        assert screened == ["Beihang University"], "the kept result was read, not screened again"
        assert {**again, "ref": "SO-1"} == first
        assert (svc.store.lists.cache_dir / RESULTS_FILE).exists()

        _cli(sqlite_url, "lists", "import", str(ftm(tmp_path / "eul.json", zenith)))
        restarted()
        after = _post(svc, "/determinations", _shipment("SO-3", "Beihang University"))["determination"]
        assert screened == ["Beihang University"] * 2, "a new list version is another scope: screened again"
        assert after["licence_required"] is False
