"""``clearance classify …`` through Typer's runner (the sub-app is registered in the main CLI by the lead).

The commands read the bundled packs; here they see only the Japanese pack, so the tests do not depend on
packs that are being written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import clearance.cli.classify as cli
from clearance.law import RegulationSet

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "catalogue.csv"


@pytest.fixture(autouse=True)
def only_jp(monkeypatch: pytest.MonkeyPatch, jp_pack: Any) -> None:
    monkeypatch.setattr(cli, "regulations", lambda: RegulationSet({"jp": jp_pack}))


def run(*args: str) -> Any:
    return CliRunner().invoke(cli.app, list(args))


def test_search_json() -> None:
    result = run("search", "euv photoresist", "--as-of", "2026-08-01", "--json", "--limit", "3")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["as_of"] == "2026-08-01" and data["index"] == "latin"
    assert [h["ref"] for h in data["hits"]][:2] == ["3C002.a.2", "jp:7(19)"]


def test_search_table() -> None:
    result = run("search", "불화수소", "--as-of", "2026-08-01")
    assert result.exit_code == 0 and "1C350.d.15" in result.stdout and "jp:3(1)" in result.stdout


def test_show_json_has_equivalents_and_citations() -> None:
    data = json.loads(run("show", "3C002.a.2", "--as-of", "2026-08-01", "--json").stdout)
    assert data["systems"] == ["wa", "us"]
    assert [(e["ref"], e["via"]) for e in data["equivalents"]] == [("jp:7(19)", "3C002")]
    assert data["citations"][0]["id"] == "us_ccl"
    jp = json.loads(run("show", "jp:7(19)", "--json").stdout)
    assert {c["id"] for c in jp["citations"]} == {"eo_table_1", "kamotsu_ordinance"}
    assert jp["equivalents"][0]["ref"] == "3C002"


def test_show_table_states_missing_equivalents() -> None:
    result = run("show", "0A981")
    assert result.exit_code == 0 and "No wa equivalent" in result.stdout


def test_show_unknown_ref_fails_cleanly() -> None:
    result = run("show", "nonsense")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("error: ref:") and len(result.stderr.strip().splitlines()) == 1


def test_bad_date() -> None:
    result = run("search", "resist", "--as-of", "2026-13-01")
    assert result.exit_code == 2 and "--as-of" in result.stderr


def test_hs_json_and_table() -> None:
    data = json.loads(run("hs", "8479.89", "--json").stdout)
    assert data[0]["in_catch_all"] and data[0]["row"] == "jp:16(2)" and data[0]["hints"]
    table = run("hs", "8705.10", "--regime", "jp").stdout
    assert "inside the catch-all scope" in table and "Hints, not classifications" in table
    assert run("hs", "84x").exit_code == 2


def test_catalogue_check_import_export_show(tmp_path: Path) -> None:
    check = run("catalogue", "check", str(EXAMPLE), "--json")
    assert check.exit_code == 0 and json.loads(check.stdout)["problems"] == []
    target = tmp_path / "catalogue.xlsx"
    imported = run("catalogue", "import", str(EXAMPLE), str(target), "--json")
    assert imported.exit_code == 0, imported.stderr
    summary = json.loads(imported.stdout)
    assert summary["products"] == len(summary["added"]) > 40 and summary["updated"] == []
    again = json.loads(run("catalogue", "import", str(EXAMPLE), str(target), "--json").stdout)
    assert again["added"] == [] and again["updated"] == []
    back = tmp_path / "back.csv"
    assert run("catalogue", "export", str(target), str(back)).exit_code == 0
    assert back.read_bytes().startswith(b"\xef\xbb\xbf"), "a CSV for people carries a BOM so that Excel reads it"
    assert back.read_text(encoding="utf-8-sig") == EXAMPLE.read_text(encoding="utf-8")
    shown = json.loads(run("catalogue", "show", str(target), "SMC-RS-EUV01", "--json").stdout)
    assert shown["classifications"][0]["control_code"] == "3C002.a.2"
    assert run("catalogue", "show", str(target), "NOPE").exit_code == 2


def test_malformed_import_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    text = EXAMPLE.read_text(encoding="utf-8").replace("2811.11", "28x1", 1)
    bad.write_text(text, encoding="utf-8")
    target = tmp_path / "out.csv"
    result = run("catalogue", "import", str(bad), str(target))
    assert result.exit_code == 2 and not target.exists() and result.stdout == ""
    assert result.stderr.strip() == "error: bad.csv: row 2: hs_code: '28x1' is not an HS code like 8479.89"
    checked = run("catalogue", "check", str(bad))
    assert checked.exit_code == 1 and "28x1" in checked.stdout
