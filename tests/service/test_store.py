"""Storage on SQLite and PostgreSQL: migrations, keys, the licence register, the audit chain and tampering,
concurrent writers."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from decimal import Decimal
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from servicedata import HF_KR, shipments, terms
from sqlalchemy import text

from clearance.audit import canonical_text, replay, seal
from clearance.engine import determine
from clearance.engine.io import parse_shipment
from clearance.errors import AuthenticationError, ConflictError, InputError, LicenceRefusedError, NotFoundError
from clearance.licences import DrawRequest, LicenceAmendment, LicenceTerms
from clearance.store import Query, Store, record_dict
from clearance.store.migrate import current, head
from clearance.store.tables import Base


def _draw(store: Store, regulations: Any, licence_id: int, key: str | None = None, **changes: Any) -> Any:
    shipment = {**HF_KR, **changes}
    request = DrawRequest.model_validate({"shipment": shipment, "quantity": "10", "unit": "kg", "key": key})
    return store.licences.draw(licence_id, request, determine(request.shipment, regulations), "test")


def test_migrations_reach_head_and_match_the_models(store: Store) -> None:
    assert current(store.db.engine) == head()
    with store.db.engine.connect() as conn:
        problems = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert problems == []
    Store(store.db.url).close()  # opening again is a no-op migration


def _key_on_old_schema(db_url: str, revision: str) -> str:
    """A database migrated to ``revision`` only, holding one API key written as that schema has it; the key."""
    from clearance.store import Database
    from clearance.store.keys import digest
    from clearance.store.migrate import upgrade

    token = "clr_0a1b2c3d4e5f_old-schema-secret"
    db = Database(db_url, migrate=False)
    upgrade(db.engine, revision)
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO api_keys (key_id, name, role, secret_hash, created_at, created_by)"
                " VALUES ('0a1b2c3d4e5f', 'erp', 'viewer', :hash, '2026-01-05T09:00:00+00:00', 'test')"
            ),
            {"hash": digest(token)},
        )
    db.dispose()
    return token


def test_the_sessions_migration_upgrades_a_database_in_use(db_url: str) -> None:
    from alembic import command
    from sqlalchemy import inspect

    from clearance.store.migrate import config

    token = _key_on_old_schema(db_url, "0003")
    store = Store(db_url)  # migrates to the newest revision on opening
    try:
        key = store.keys.authenticate(token)
        opened = store.web_sessions.open(key, dt.timedelta(hours=1))
        found = store.web_sessions.find(opened.token)
        assert found is not None and found.key.key_id == key.key_id and found.csrf == opened.csrf
        store.web_sessions.close(opened.token)
        assert store.web_sessions.find(opened.token) is None
        cfg = config()
        with store.db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0003")
        assert "web_sessions" not in set(inspect(store.db.engine).get_table_names())
    finally:
        store.close()


def test_a_users_language_is_kept_with_their_key_across_the_migration(db_url: str) -> None:
    token = _key_on_old_schema(db_url, "0007_idempotency")
    store = Store(db_url)  # adds the language column on opening
    try:
        key = store.keys.authenticate(token)
        assert key.language is None, "the browser's language until one is chosen"
        store.keys.choose_language(key.key_id, "ko")
        opened = store.web_sessions.open(store.keys.authenticate(token), dt.timedelta(hours=1))
        found = store.web_sessions.find(opened.token)
        assert found is not None and found.key.language == "ko"
        with pytest.raises(InputError):
            store.keys.choose_language(key.key_id, "ko'; --")
        with pytest.raises(NotFoundError):
            store.keys.choose_language("nobody", "ja")
    finally:
        store.close()


def test_keys_are_stored_hashed_and_revocable(store: Store) -> None:
    key, token = store.keys.create("erp", "analyst", "test")
    assert store.keys.authenticate(token) == key
    with store.db.engine.connect() as conn:
        stored = conn.execute(text("SELECT secret_hash FROM api_keys")).scalar_one()
    assert token not in stored and len(stored) == 64
    with pytest.raises(AuthenticationError):
        store.keys.authenticate(token[:-1] + ("A" if token[-1] != "A" else "B"))
    with pytest.raises(InputError):
        store.keys.create("x", "superuser", "test")
    store.keys.revoke(key.key_id, "test")
    with pytest.raises(AuthenticationError, match="revoked"):
        store.keys.authenticate(token)
    with pytest.raises(NotFoundError):
        store.keys.revoke("000000000000", "test")


def test_licence_register_and_drawdowns(store: Store, regulations: Any) -> None:
    licence = store.licences.add(LicenceTerms.model_validate(terms()), "test", regulations)
    with pytest.raises(ConflictError):
        store.licences.add(LicenceTerms.model_validate(terms()), "test", regulations)
    first = _draw(store, regulations, licence.id, key="INV-1")
    assert first.licence.value_used == Decimal(8000000) and first.licence.quantity_used == Decimal(10)
    again = _draw(store, regulations, licence.id, key="INV-1")
    assert again.repeated and again.drawdown.id == first.drawdown.id
    with pytest.raises(ConflictError):
        _draw(store, regulations, licence.id, key="INV-1", ref="another")
    with pytest.raises(LicenceRefusedError) as refused:
        _draw(store, regulations, licence.id, key="INV-2")
    assert refused.value.reason == "overdraw_value"
    with pytest.raises(LicenceRefusedError) as refused:
        _draw(store, regulations, licence.id, key="INV-3", destination="TW")
    assert refused.value.reason == "destination_not_covered"
    stored = store.licences.get(licence.id)
    assert stored.value_used == Decimal(8000000) and stored.value_left == Decimal(2000000)
    drawdowns, _ = store.licences.drawdowns(licence.id)
    assert [d.key for d in drawdowns] == ["INV-1"]
    amended = store.licences.amend(licence.id, LicenceAmendment(value_limit=Decimal(20000000), reason="raised"), "test")
    assert amended.value_left == Decimal(12000000)
    with pytest.raises(InputError):
        store.licences.amend(licence.id, LicenceAmendment(value_limit=Decimal(1), reason="too low"), "test")
    kinds = [e.kind for e in store.audit.page(Query())[0]]
    assert kinds == ["licence.created", "drawdown", "licence.amended"]
    assert store.audit.verify().ok


def test_money_keeps_its_digits(store: Store, regulations: Any) -> None:
    big = LicenceTerms.model_validate(terms(value_limit="1234567890123456.7891", number="BIG"))
    licence = store.licences.add(big, "test", regulations)
    assert store.licences.get(licence.id).terms.value_limit == Decimal("1234567890123456.7891")


def test_determinations_are_recorded_with_coverage(store: Store, regulations: Any) -> None:
    store.licences.add(LicenceTerms.model_validate(terms()), "test", regulations)
    recorded = store.determinations.record(parse_shipment(HF_KR), regulations, "test", key="k1")
    assert recorded.outputs["determination"]["licence_required"] is True
    assert [c["covers"] for c in recorded.outputs["licences"]] == [True]
    again = store.determinations.record(parse_shipment(HF_KR), regulations, "test", key="k1")
    assert again.repeated and again.seq == recorded.seq
    record = record_dict(store.audit.get(recorded.seq))
    assert record["inputs"]["ref"] == "SO-1" and record["data_version"] == regulations["jp"].data_version
    result = replay(
        recorded.seq,
        record["kind"],
        record["inputs"],
        record["outputs"]["determination"],
        record["data_version"],
        regulations,
    )
    assert result.same


def test_replay_shows_what_changed(store: Store, regulations: Any) -> None:
    recorded = store.determinations.record(parse_shipment(HF_KR), regulations, "test")
    record = record_dict(store.audit.get(recorded.seq))
    old = {**record["outputs"]["determination"], "licence_required": False}
    result = replay(recorded.seq, "determination", record["inputs"], old, "jp-old", regulations)
    assert not result.same
    assert [(d.path, d.then, d.now) for d in result.differences] == [("licence_required", False, True)]


def _seed(store: Store, regulations: Any, n: int = 6) -> None:
    for item in shipments()[:n]:
        store.determinations.record(parse_shipment(item), regulations, "test")


def _sql(store: Store, statement: str, **params: Any) -> None:
    with store.db.engine.begin() as conn:
        conn.execute(text(statement), params)


def test_an_edited_record_is_named(store: Store, regulations: Any) -> None:
    _seed(store, regulations)
    assert store.audit.verify().ok
    _sql(
        store,
        "UPDATE audit_records SET outputs = replace(outputs, :old, :new) WHERE seq = 4",
        old='"licence_required":true',
        new='"licence_required":false',
    )
    finding = store.audit.verify().finding
    assert finding is not None and (finding.seq, finding.problem) == (4, "edited")


def test_a_deleted_record_is_named(store: Store, regulations: Any) -> None:
    _seed(store, regulations)
    _sql(store, "DELETE FROM audit_records WHERE seq = 3")
    finding = store.audit.verify().finding
    assert finding is not None and (finding.seq, finding.problem) == (4, "missing")


def test_reordered_records_are_named(store: Store, regulations: Any) -> None:
    _seed(store, regulations)
    _sql(store, "UPDATE audit_records SET seq = 100 WHERE seq = 2")
    _sql(store, "UPDATE audit_records SET seq = 2 WHERE seq = 3")
    _sql(store, "UPDATE audit_records SET seq = 3 WHERE seq = 100")
    finding = store.audit.verify().finding
    assert finding is not None and (finding.seq, finding.problem) == (2, "out_of_order")


def test_a_deleted_last_record_is_named(store: Store, regulations: Any) -> None:
    _seed(store, regulations)
    _sql(store, "DELETE FROM audit_records WHERE seq = 6")
    finding = store.audit.verify().finding
    assert finding is not None and (finding.seq, finding.problem) == (6, "truncated")


def _insert_past_head(store: Store, seq: int | None = None) -> int:
    """Insert a record straight into the table, after the head, sealed onto it as an appender would (the most
    convincing forgery): the number of the record inserted."""
    head = store.audit.head()
    forged = seal(
        seq or head.seq + 1,
        head.hash,
        kind="determination",
        actor="key:forged:someone",
        at="2026-01-01T00:00:00.000000Z",
        subject="SO-FORGED",
        inputs=canonical_text({"ref": "SO-FORGED"}),
        outputs=canonical_text({"licence_required": False}),
        data_version=None,
        list_versions="{}",
        key=None,
    )
    row = {f.name: getattr(forged, f.name) for f in dataclasses.fields(forged)}
    columns = ", ".join(row)
    _sql(store, f"INSERT INTO audit_records ({columns}) VALUES ({', '.join(':' + c for c in row)})", **row)
    return forged.seq


def test_a_record_inserted_past_the_head_is_named_and_writing_goes_on(store: Store, regulations: Any) -> None:
    _seed(store, regulations, 3)
    forged = _insert_past_head(store)
    far = _insert_past_head(store, forged + 5)
    finding = store.audit.verify().finding
    assert finding is not None and (finding.seq, finding.problem) == (forged, "inserted")
    assert f"past the chain head ({forged - 1})" in finding.message

    recorded = store.determinations.record(parse_shipment(HF_KR), regulations, "test")  # no clash with the forgery
    notice = store.audit.get(recorded.seq - 1)
    assert notice.kind == "audit.inserted" and notice.seq == far + 1
    assert [r["seq"] for r in record_dict(notice)["outputs"]["records"]] == [forged, far]
    assert notice.prev_hash == store.audit.get(forged - 1).hash
    assert store.audit.get(recorded.seq).prev_hash == notice.hash
    assert store.audit.head().seq == recorded.seq
    _seed(store, regulations, 2)  # later writes append normally after it
    result = store.audit.verify()
    assert result.finding is not None and (result.finding.seq, result.finding.problem) == (forged, "inserted")
    assert "not part of the chain" in result.finding.message

    _sql(store, "DELETE FROM audit_records WHERE seq IN (:a, :b)", a=forged, b=far)  # the forgeries removed
    assert store.audit.verify().ok  # the notice keeps the event in the chain


def test_a_record_rewritten_after_a_notice_is_still_named(store: Store, regulations: Any) -> None:
    _seed(store, regulations, 2)
    _insert_past_head(store)
    _seed(store, regulations, 2)
    head = store.audit.head()
    _sql(store, "UPDATE audit_records SET actor = 'someone else' WHERE seq = :seq", seq=head.seq)
    finding = store.audit.verify().finding
    assert finding is not None and (finding.seq, finding.problem) == (3, "inserted")
    _sql(store, "DELETE FROM audit_records WHERE seq = 3")
    finding = store.audit.verify().finding
    assert finding is not None and (finding.seq, finding.problem) == (head.seq, "edited")


def test_concurrent_writers_neither_overdraw_nor_fork_the_chain(store: Store, regulations: Any) -> None:
    licence = store.licences.add(
        LicenceTerms.model_validate(terms(value_limit="80000000", quantity_limit="100000")), "test", regulations
    )
    outcomes: list[str] = []
    lock = threading.Lock()

    def drawer(worker: int) -> None:
        for n in range(4):
            try:
                _draw(store, regulations, licence.id, key=f"w{worker}-{n}")
                result = "drawn"
            except LicenceRefusedError as exc:
                result = exc.reason
            with lock:
                outcomes.append(result)

    def determiner() -> None:
        for item in shipments()[:8]:
            store.determinations.record(parse_shipment(item), regulations, "test")

    threads = [threading.Thread(target=drawer, args=(w,)) for w in range(6)] + [
        threading.Thread(target=determiner) for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("drawn") == 10  # 80M / 8M each
    assert set(outcomes) == {"drawn", "overdraw_value"}
    after = store.licences.get(licence.id)
    assert after.value_used == Decimal(80000000) and after.value_left == Decimal(0)
    verification = store.audit.verify()
    assert verification.ok and verification.checked == 1 + 10 + 16
