"""The impact page without a browser: every row of the portfolio is on it, as a result or as an error line."""

from __future__ import annotations

import html
from pathlib import Path

from fastapi.testclient import TestClient
from webutil import csrf_of

from clearance.api import Settings, create_app
from clearance.store import Store
from support import portfolio_with_bad_rows


def test_the_impact_page_lists_every_unreadable_row_with_its_file_row_field_and_value(tmp_path: Path) -> None:
    bad = portfolio_with_bad_rows(tmp_path / "book")
    store = Store(f"sqlite:///{tmp_path / 'web.db'}")
    _, token = store.keys.create("ann", "analyst", "test")
    settings = Settings(key_cache_seconds=0, session_secret="s1", portfolio=str(tmp_path / "book"))
    with TestClient(create_app(settings, store=store)) as client:
        login = client.get("/ui/login")
        client.post("/ui/login", data={"csrf": csrf_of(login.text), "api_key": token, "next": "/ui/impact"})
        form = client.get("/ui/impact")
        page = client.post(
            "/ui/impact",
            data={"csrf": csrf_of(form.text), "mode": "dates", "before": "2019-07-01", "after": "2019-07-10"},
        )
    store.close()
    assert page.status_code == 200, page.text
    text = html.unescape(page.text)
    for id_, count in (("read-count", 36), ("answered-count", 31), ("failed-count", 5)):
        assert f'id="{id_}">{count}<' in text
    errors = text[text.index('<table class="errors">') :]
    for (file, row, field), value in bad.items():
        assert f'<td>{file}</td><td class="num">{row}</td><td>{field}</td><td>{value}</td>' in errors
