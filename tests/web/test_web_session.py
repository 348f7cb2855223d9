"""Sessions and the demo without a browser: signed cookies, revocation, redirects that stay on the site, demo
sign-in only in demo mode, and ``clearance serve --demo`` seeding then serving."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import text
from typer.testing import CliRunner
from webutil import ROOT, csrf_of

from clearance.api import Settings, create_app
from clearance.cli.serve import serve
from clearance.demo import examples
from clearance.store import Store
from clearance.web.routes import ROUTERS
from clearance.web.routes.account import safe_next
from clearance.web.session import COOKIE, MAX_AGE


@pytest.fixture
def client(tmp_path: Path) -> Iterator[tuple[TestClient, Store]]:
    store = Store(f"sqlite:///{tmp_path / 'web.db'}")
    app = create_app(Settings(key_cache_seconds=0, session_secret="s1"), store=store)
    with TestClient(app) as test_client:
        yield test_client, store
    store.close()


def _sign_in(client: TestClient, token: str) -> Any:
    page = client.get("/ui/login")
    return client.post("/ui/login", data={"csrf": csrf_of(page.text), "api_key": token, "next": "/ui/licences"})


def test_a_session_holds_the_key_id_and_ends_when_the_key_is_revoked(client: tuple[TestClient, Store]) -> None:
    test_client, store = client
    key, token = store.keys.create("alice", "officer", "test")
    signed = _sign_in(test_client, token)
    assert signed.status_code == 200 and signed.url.path == "/ui/licences"
    assert token not in test_client.cookies[COOKIE] and "alice" in signed.text
    store.keys.revoke(key.key_id, "test")
    after = test_client.get("/ui/licences", follow_redirects=False)
    assert after.status_code == 303 and after.headers["location"].startswith("/ui/login")


def _signed_out(client: TestClient) -> bool:
    answer = client.get("/ui/licences", follow_redirects=False)
    return answer.status_code == 303 and answer.headers["location"].startswith("/ui/login")


def test_signing_out_ends_the_session_for_a_copied_cookie_too(client: tuple[TestClient, Store]) -> None:
    test_client, store = client
    key, token = store.keys.create("dave", "analyst", "test")
    page = _sign_in(test_client, token)
    copied = test_client.cookies[COOKIE]
    assert key.key_id not in copied  # the cookie names a server-side session, not the key
    assert not _signed_out(test_client)
    signed_out = test_client.post("/ui/logout", data={"csrf": csrf_of(page.text)}, follow_redirects=False)
    assert signed_out.status_code == 303 and test_client.cookies[COOKIE] != copied
    assert _signed_out(test_client)
    test_client.cookies.set(COOKIE, copied)  # the copy kept from before signing out
    assert _signed_out(test_client)
    test_client.cookies.set(COOKIE, copied)
    posted = test_client.post("/ui/check", data={"csrf": csrf_of(page.text), "regime": "jp"}, follow_redirects=False)
    assert posted.status_code == 303 and posted.headers["location"] == "/ui/login"
    with store.db.read() as session:
        assert session.execute(text("SELECT count(*) FROM web_sessions")).scalar_one() == 0


def test_revoking_the_key_ends_its_sessions_whoever_revokes_it(client: tuple[TestClient, Store]) -> None:
    test_client, store = client
    key, token = store.keys.create("erin", "viewer", "test")
    _, admin = store.keys.create("root", "admin", "test")
    _sign_in(test_client, token)
    assert not _signed_out(test_client)
    revoked = test_client.delete(f"/keys/{key.key_id}", headers={"Authorization": f"Bearer {admin}"})
    assert revoked.status_code == 200
    assert _signed_out(test_client)
    with store.db.read() as session:
        assert session.execute(text("SELECT count(*) FROM web_sessions")).scalar_one() == 0


def test_a_session_ends_after_its_lifetime(tmp_path: Path) -> None:
    now = [dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)]
    store = Store(f"sqlite:///{tmp_path / 'clock.db'}", clock=lambda: now[0])
    app = create_app(Settings(key_cache_seconds=0, session_secret="s1"), store=store)
    _, token = store.keys.create("frank", "viewer", "test")
    with TestClient(app) as test_client:
        _sign_in(test_client, token)
        now[0] += dt.timedelta(seconds=MAX_AGE - 60)
        assert not _signed_out(test_client)
        now[0] += dt.timedelta(seconds=120)
        assert _signed_out(test_client)
    store.close()


def test_pages_answer_503_for_a_broken_database_and_keep_the_session_cookie(tmp_path: Path) -> None:
    path = tmp_path / "web.db"
    store = Store(f"sqlite:///{path}")
    _, token = store.keys.create("gina", "viewer", "test")
    with TestClient(create_app(Settings(key_cache_seconds=0, session_secret="s1"), store=store)) as test_client:
        _sign_in(test_client, token)
        cookie = test_client.cookies[COOKIE]
        store.close()  # drop the pooled connections, then overwrite the file under the running app
        for leftover in tmp_path.glob("web.db-*"):
            leftover.unlink()
        path.write_bytes(bytes(range(256)) * 80)
        page = test_client.get("/ui/licences")
    assert page.status_code == 503 and page.headers["content-type"].startswith("text/html")
    assert "file is not a database" in page.text and "set-cookie" not in page.headers
    assert test_client.cookies[COOKIE] == cookie


def test_a_forged_or_foreign_cookie_is_not_a_session(client: tuple[TestClient, Store], tmp_path: Path) -> None:
    test_client, store = client
    _, token = store.keys.create("bob", "admin", "test")
    _sign_in(test_client, token)
    good = test_client.cookies[COOKIE]
    test_client.cookies.set(COOKIE, good[:-2] + ("AA" if not good.endswith("AA") else "BB"))
    assert test_client.get("/ui/", follow_redirects=False).status_code == 303
    other = create_app(Settings(key_cache_seconds=0, session_secret="another"), store=store)
    with TestClient(other) as other_client:
        other_client.cookies.set(COOKIE, good)
        assert other_client.get("/ui/", follow_redirects=False).status_code == 303


def test_sign_in_only_goes_to_pages_of_this_site() -> None:
    assert safe_next("/ui/review?status=open") == "/ui/review?status=open"
    for target in ("https://evil.example/", "//evil.example/ui", "/api", "/ui\\..\\x", ""):
        assert safe_next(target) == "/ui/"


def test_demo_sign_in_needs_demo_mode(client: tuple[TestClient, Store]) -> None:
    test_client, store = client
    store.keys.create("demo-officer", "officer", "test")
    page = test_client.get("/ui/login")
    assert "Sign in as officer" not in page.text
    answer = test_client.post("/ui/login", data={"csrf": csrf_of(page.text), "demo_role": "officer"})
    assert answer.status_code == 401 and "no demo account" in answer.text


def test_pages_and_api_keep_their_own_error_shapes(client: tuple[TestClient, Store]) -> None:
    test_client, store = client
    assert test_client.get("/licences/1").json()["type"] == "urn:clearance:problem:AuthenticationError"
    _, token = store.keys.create("carol", "viewer", "test")
    _sign_in(test_client, token)
    page = test_client.get("/ui/licences/12345")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "script-src 'none'" in page.headers["content-security-policy"]
    assert "licence 12345 does not exist" in page.text
    bad = test_client.get("/ui/law?as_of=yesterday")
    assert bad.status_code == 422 and "as_of" in bad.text
    assert test_client.get("/", follow_redirects=False).headers["location"] == "/ui/"
    assert "/ui/" not in str(test_client.get("/openapi.json").json()["paths"])


def test_serve_demo_seeds_prints_keys_and_serves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    served: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda target, **kwargs: served.update(target=target, **kwargs))
    monkeypatch.setenv("CLEARANCE_DATA_DIR", str(tmp_path / "data"))
    before = dict(os.environ)
    app = typer.Typer()
    app.command("serve")(serve)
    app.command("other")(lambda: None)
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    first = CliRunner().invoke(app, ["serve", "--demo", "--database", url, "--port", "8123"])
    assert first.exit_code == 0, first.output
    settings = served["target"].state.settings  # one worker: the app itself, made from the command's settings
    assert served["port"] == 8123 and settings.demo and settings.database_url == url
    assert Path(str(settings.portfolio)).name == "portfolio"
    assert dict(os.environ) == before, "the command passes its settings down, it does not rewrite the environment"
    tokens = dict(re.findall(r"^  (viewer|analyst|officer|admin)\s+(clr_\S+)$", first.stdout, re.M))
    assert set(tokens) == {"viewer", "analyst", "officer", "admin"}
    assert "5 licences registered" in first.stdout and "hits to review" in first.stdout

    again = CliRunner().invoke(app, ["serve", "--demo", "--database", url])
    assert again.exit_code == 0 and "0 licences registered, 0 shipments determined, 0 drawdowns" in again.stdout
    store = Store(url)
    try:
        live = [k for k in store.keys.list(include_revoked=False) if k.name.startswith("demo-")]
        assert len(live) == 4  # the first run's demo keys were revoked
        assert store.screening.counts()["open"] > 0
        assert store.audit.verify().ok
    finally:
        store.close()


def test_every_page_route_is_documented() -> None:
    doc = (ROOT / "docs" / "web.md").read_text(encoding="utf-8")
    for router in ROUTERS:
        for route in router.routes:
            if isinstance(route, APIRoute):
                for method in route.methods:
                    assert f"`{method} {route.path}`" in doc, f"document {method} {route.path} in docs/web.md"


def test_forms_refill_and_name_the_bad_field(tmp_path: Path) -> None:
    files = examples()
    store = Store(f"sqlite:///{tmp_path / 'forms.db'}")
    settings = Settings(key_cache_seconds=0, session_secret="s", catalogue=str(files.catalogue))
    app = create_app(settings, store=store)
    _, token = store.keys.create("dana", "analyst", "test")
    with TestClient(app) as test_client:
        _sign_in(test_client, token)
        csrf = csrf_of(test_client.get("/ui/check").text)
        form = {"csrf": csrf, "regime": "jp", "date": "2019-07-10", "destination": "KR", "product": "SMC-HF-AH01"}
        answer = test_client.post("/ui/check", data={**form, "value": "7200000", "currency": "JPY"})
        assert answer.status_code == 200 and "Licence required (listed)" in answer.text
        assert "(product SMC-HF-AH01)" in answer.text
        missing = test_client.post("/ui/check", data={**form, "destination": ""})
        assert missing.status_code == 422 and "<strong>destination</strong>" in missing.text
        assert 'value="SMC-HF-AH01" selected' in missing.text  # the form comes back as it was sent
        unknown = test_client.post("/ui/check", data={**form, "product": "", "control_code": "9Z999"})
        assert unknown.status_code == 422 and "item.control_code" in unknown.text
        screened = test_client.post("/ui/review/screen", data={"csrf": csrf, "name": "Harbin Engineering University"})
        assert screened.status_code == 200 and "Review hit #" in screened.text
        blank = test_client.post("/ui/review/screen", data={"csrf": csrf, "name": ""})
        assert blank.status_code == 422
    store.close()


def test_the_default_session_secret_is_kept_private_and_shared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from clearance.web.session import secret

    monkeypatch.setenv("CLEARANCE_DATA_DIR", str(tmp_path / "clearance"))
    first, second = secret(Settings()), secret(Settings())
    kept = tmp_path / "clearance" / "session.key"
    assert first == second and len(first) > 40 and kept.stat().st_mode & 0o777 == 0o600
    assert secret(Settings(session_secret="given")) == "given"
    assert [p.name for p in kept.parent.iterdir()] == ["session.key"]
