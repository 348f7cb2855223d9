"""The check form without a browser: everything, the end user and its screening included, is checked before
anything is recorded; a bad form comes back filled in, naming the field, and records nothing."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from webutil import csrf_of

from clearance.api import Settings, create_app
from clearance.store import Store

GOOD = {
    "regime": "jp",
    "date": "2019-07-10",
    "destination": "KR",
    "control_code": "1C350",
    "cas": "7664-39-3",
    "kind": "goods",
    "end_use": "civil",
    "end_user_name": "Example Co., Ltd.",
    "end_user_country": "KR",
}


@pytest.fixture
def form(tmp_path: Path) -> Iterator[tuple[TestClient, Store, str]]:
    """A client signed in as an analyst on the check page, the store, and the form's CSRF token."""
    store = Store(f"sqlite:///{tmp_path / 'check.db'}", bundled_lists=("jp-meti-eul",))
    _, token = store.keys.create("analyst", "analyst", "test")
    with TestClient(create_app(Settings(key_cache_seconds=0, session_secret="s"), store=store)) as client:
        login = client.get("/ui/login")
        page = client.post("/ui/login", data={"csrf": csrf_of(login.text), "api_key": token, "next": "/ui/check"})
        yield client, store, csrf_of(page.text)
    store.close()


def _stored(store: Store) -> tuple[int, int, int]:
    """Audit records, determinations and screening hits stored."""
    with store.db.read() as session:
        return (
            session.execute(text("SELECT count(*) FROM audit_records")).scalar_one(),
            session.execute(text("SELECT count(*) FROM audit_records WHERE kind = 'determination'")).scalar_one(),
            session.execute(text("SELECT count(*) FROM screening_hits")).scalar_one(),
        )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"end_user_name": "***"}, "end_user.name"),  # nothing to screen on
        ({"ref": "SO-" + "9" * 300}, "ref"),  # too long to file the end user's screening under
        ({"end_user_country": "Korea"}, "end_user.country"),
        ({"date": "1900-01-01"}, "date"),
        ({"destination": "XX"}, "destination"),
    ],
)
def test_a_bad_form_names_the_field_and_records_nothing(
    form: tuple[TestClient, Store, str], change: dict[str, str], field: str
) -> None:
    client, store, csrf = form
    before = _stored(store)
    page = client.post("/ui/check", data={"csrf": csrf, **GOOD, **change})
    assert page.status_code == 422
    error = re.search(r'id="form-error">(.*?)</p>', page.text, re.S)
    assert error is not None and f"<strong>{field}</strong>" in error.group(1)
    name, value = next(iter(change.items()))
    if name in ("ref", "end_user_name", "date"):  # text fields come back as they were sent (the rest are lists)
        assert f'value="{html.escape(value)}"' in page.text
    assert _stored(store) == before


def test_a_good_form_records_the_determination_and_the_end_users_screening(
    form: tuple[TestClient, Store, str],
) -> None:
    client, store, csrf = form
    records, determinations, _ = _stored(store)
    page: Any = client.post("/ui/check", data={"csrf": csrf, **GOOD, "end_user_name": "Beihang University"})
    assert page.status_code == 200 and 'id="form-error"' not in page.text
    after = _stored(store)
    assert after[:2] == (records + 2, determinations + 1) and after[2] >= 1
