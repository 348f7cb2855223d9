"""The screening commands through Typer's runner: screen (one name and batches), lists, decisions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

runner = CliRunner()


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLEARANCE_SCREENING_DB", str(tmp_path / "screening.sqlite"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def test_screen_a_name_as_json_against_the_bundled_lists(cli_app: typer.Typer) -> None:
    result = runner.invoke(
        cli_app, ["screen", "北京航空航天大学", "--country", "CN", "--list", "jp-meti-eul", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["matched"] is True
    assert data["results"][0]["id"] == "jp-meti-eul:501"
    assert data["lists"]["jp-meti-eul"].startswith("sha256:")


def test_screen_needs_a_name_or_a_batch(cli_app: typer.Typer) -> None:
    result = runner.invoke(cli_app, ["screen"])
    assert result.exit_code == 2 and "NAME or --batch" in result.output


def test_batch_keeps_every_row_and_names_bad_ones(cli_app: typer.Typer, tmp_path: Path) -> None:
    parties = tmp_path / "parties.csv"
    parties.write_text("id,name,country\nc1,Beihang University,CN\nc2,,CN\nc3,Toyota Motor Corporation,JP\n")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(cli_app, ["screen", "--batch", str(parties), "-o", str(out), "--list", "jp-meti-eul"])
    assert result.exit_code == 2  # one row had an error
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["row"] for r in rows] == [2, 3, 4]
    assert rows[0]["matched"] and rows[0]["party_key"] == "c1"
    assert "parties.csv: row 3" in rows[1]["error"] and "name" in rows[1]["error"]
    assert rows[2]["matched"] is False


def test_delta_batch_reports_hits_once(cli_app: typer.Typer, tmp_path: Path) -> None:
    parties = tmp_path / "parties.jsonl"
    parties.write_text(json.dumps({"id": "c1", "name": "BUAA", "country": "CN"}) + "\n")
    args = ["screen", "--batch", str(parties), "--delta", "--list", "jp-meti-eul"]
    first = json.loads(runner.invoke(cli_app, args).stdout.splitlines()[0])
    second = json.loads(runner.invoke(cli_app, args).stdout.splitlines()[0])
    assert [r["change"] for r in first["results"]] == ["new"]
    assert second["results"] == []


def test_lists_import_show_diff_and_decisions(cli_app: typer.Typer, tmp_path: Path) -> None:
    v1 = tmp_path / "v1.ftm.json"
    v2 = tmp_path / "v2.ftm.json"
    entity = {"id": "e1", "schema": "Company", "properties": {"name": ["Acme Trading LLC"]}, "datasets": ["demo"]}
    other = {"id": "e2", "schema": "Person", "properties": {"name": ["Ivan Sidorov"]}, "datasets": ["demo"]}
    v1.write_text(json.dumps(entity) + "\n")
    v2.write_text(json.dumps(entity) + "\n" + json.dumps(other) + "\n")
    first = runner.invoke(cli_app, ["lists", "import", str(v1), "--json"])
    assert first.exit_code == 0, first.output
    second = json.loads(runner.invoke(cli_app, ["lists", "import", str(v2), "--json"]).stdout)
    assert second["diff"]["added"] == ["demo:e2"]
    shown = json.loads(runner.invoke(cli_app, ["lists", "show", "demo", "--json"]).stdout)
    assert len(shown) == 2
    diff = json.loads(runner.invoke(cli_app, ["lists", "diff", "demo", "--json"]).stdout)
    assert diff["added"] == ["demo:e2"] and diff["removed"] == []

    screened = json.loads(runner.invoke(cli_app, ["screen", "Acme Trading", "--party-id", "p1", "--json"]).stdout)
    assert screened["results"][0]["status"] == "open"
    decided = runner.invoke(
        cli_app,
        ["decisions", "add", "Acme Trading", "--entry", "demo:e1", "--verdict", "false_positive",
         "--reason", "our own subsidiary", "--party-id", "p1", "--json"],
    )  # fmt: skip
    assert decided.exit_code == 0, decided.output
    again = json.loads(runner.invoke(cli_app, ["screen", "Acme Trading", "--party-id", "p1", "--json"]).stdout)
    assert again["results"][0]["status"] == "suppressed" and again["matched"] is False
    listed = json.loads(runner.invoke(cli_app, ["decisions", "list", "--json"]).stdout)
    assert listed[0]["reason"] == "our own subsidiary"


def test_import_errors_name_the_file(cli_app: typer.Typer, tmp_path: Path) -> None:
    bad = tmp_path / "broken.jsonl"
    bad.write_text('{"id": "1", "schema": "Person", "properties": {"name": ["A"]}}\nnot json\n')
    result = runner.invoke(cli_app, ["lists", "import", str(bad)])
    assert result.exit_code == 2
    assert "broken.jsonl: row 2" in result.output


def test_countries_by_name_and_unknown_ones(cli_app: typer.Typer) -> None:
    by_name = runner.invoke(cli_app, ["screen", "BUAA", "--country", "中国", "--list", "jp-meti-eul", "--json"])
    assert json.loads(by_name.stdout)["query"]["countries"] == ["cn"]
    unknown = runner.invoke(cli_app, ["screen", "BUAA", "--country", "Atlantis"])
    assert unknown.exit_code == 2 and "--country: unknown country 'Atlantis'" in unknown.output
