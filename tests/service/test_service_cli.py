"""The service's CLI sub-apps, registered on a Typer app as the main CLI will: keys, licences, audit, db."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from servicedata import HF_KR, terms
from sqlalchemy import text
from typer.testing import CliRunner

from clearance.cli import app
from clearance.engine.io import parse_shipment
from clearance.law import load_regulations
from clearance.store import Store

runner = CliRunner()


def _run(*args: str, stdin: str | None = None) -> Any:
    return runner.invoke(app, list(args), input=stdin)


def test_the_service_commands(sqlite_url: str, tmp_path: Path) -> None:
    db = ["--database", sqlite_url]
    assert "at revision" in _run("db", "upgrade", *db).stdout
    assert "revision" in _run("db", "current", *db).stdout

    created = _run("keys", "create", "erp", "--role", "analyst", *db)
    assert created.exit_code == 0 and created.stdout.strip().startswith("clr_")
    listed = json.loads(_run("keys", "list", "--json", *db).stdout)
    assert [k["name"] for k in listed] == ["erp"]
    assert _run("keys", "create", "x", "--role", "boss", *db).exit_code == 2
    assert _run("keys", "revoke", listed[0]["key_id"], *db).exit_code == 0

    added = _run("licences", "add", "-", *db, stdin=json.dumps(terms()))
    assert added.exit_code == 0, added.output
    licence = json.loads(added.stdout)
    shipment = tmp_path / "shipment.json"
    shipment.write_text(json.dumps(HF_KR), encoding="utf-8")
    drawn = _run(
        "licences", "draw", str(licence["id"]), str(shipment), "--quantity", "5", "--unit", "kg", "--key", "I-1", *db
    )
    assert drawn.exit_code == 0, drawn.output
    assert json.loads(drawn.stdout)["licence"]["value_left"] == "2000000"
    refused = _run("licences", "draw", str(licence["id"]), str(shipment), "--quantity", "5", "--unit", "kg", *db)
    assert refused.exit_code == 2 and "overdraw_value" in refused.output
    shown = json.loads(_run("licences", "show", str(licence["id"]), *db).stdout)
    assert [d["key"] for d in shown["drawdowns"]] == ["I-1"]
    assert _run("licences", "list", *db).exit_code == 0
    bad = _run("licences", "add", "-", *db, stdin=json.dumps(terms(destinations=["XX"])))
    assert bad.exit_code == 2 and "destinations" in bad.output

    store = Store(sqlite_url)
    seq = store.determinations.record(parse_shipment(HF_KR), load_regulations(), "test").seq
    store.close()
    replayed = _run("audit", "replay", str(seq), "--json", *db)
    assert replayed.exit_code == 0 and json.loads(replayed.stdout)["same"] is True
    records = json.loads(_run("audit", "list", "--json", *db).stdout)
    assert records[-1]["seq"] == seq
    assert _run("audit", "verify", *db).stdout.startswith("ok:")

    store = Store(sqlite_url)
    with store.db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_records SET at = '2001-01-01T00:00:00.000000Z' WHERE seq = 2"))
    store.close()
    broken = _run("audit", "verify", *db)
    assert broken.exit_code == 1 and "record 2 (edited)" in broken.stdout


def test_the_cli_names_the_stores_variable_and_loads_quickly() -> None:
    import subprocess
    import sys

    from clearance.cli import _common as cli
    from clearance.store import ENV

    assert cli.ENV == ENV
    heavy = "('sqlalchemy', 'alembic', 'fastapi', 'pyspark')"
    code = f"import sys, clearance.cli; print(sorted(m for m in {heavy} if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]", "the CLI must not import the database or web stack until a command runs"
