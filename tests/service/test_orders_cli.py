"""clearance orders check: JSON Lines or a portfolio folder, one JSON object per line (ref, decision, reasons),
every line answered, bad lines named and exit 2."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from unittest.mock import ANY

from typer.testing import CliRunner

from clearance.cli import app
from clearance.store import Store
from orders.orderdata import HANBIT, LINE, LISTS, licence

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _store(url: str, regulations: Any, with_licence: bool = False) -> None:
    store = Store(url)
    for version in LISTS:  # small lists in use instead of the bundled ones
        store.lists.save(version, "test")
    if with_licence:
        store.licences.add(licence().terms, "test", regulations)
    store.close()


def _records(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_json_lines_in_one_record_per_line_out(sqlite_url: str, regulations: Any) -> None:
    _store(sqlite_url, regulations, with_licence=True)
    lines = [
        LINE,
        {**LINE, "ref": "SO-2", "purchaser": {"name": "STROYGAZMONTAZH", "country": "RU"}},
        {**LINE, "ref": "SO-3", "end_user": {**HANBIT, "country": "XX"}},
        {**LINE, "ref": "SO-4", "date": "2020-02-01"},
    ]
    stdin = "\n".join(json.dumps(line) for line in lines) + "\n"
    result = runner.invoke(app, ["orders", "check", "--json", "--database", sqlite_url, "-"], input=stdin)
    assert result.exit_code == 2, result.output
    records = _records(result.stdout)
    assert [r["position"] for r in records] == [1, 2, 3, 4]
    assert [r.get("decision") for r in records] == ["release", "block", None, "hold"]
    assert records[0]["ref"] == "SO-19-0604/1" and records[0]["reasons"][0]["kind"] == "licence"
    assert records[2]["field"] == "end_user.country"
    assert "4 lines: 1 released, 1 held, 1 blocked, 1 with errors" in result.stderr


def test_the_sample_portfolio_is_checked_line_by_line(sqlite_url: str, regulations: Any) -> None:
    _store(sqlite_url, regulations)
    result = runner.invoke(app, ["orders", "check", "--json", "--database", sqlite_url, str(EXAMPLES / "portfolio")])
    assert result.exit_code == 0, result.output
    records = _records(result.stdout)
    orders = (EXAMPLES / "portfolio" / "orders.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert len(records) == len(orders)
    by_ref = {r["ref"]: r for r in records}
    assert by_ref["SO-19-0604"]["decision"] == "hold"  # HF to Korea after 2019-07-04, no licence registered
    assert by_ref["SO-19-0704"]["decision"] == "hold"  # a customer of unknown end use: undecided
    assert any(r["decision"] == "release" for r in records)
    table = runner.invoke(app, ["orders", "check", "--database", sqlite_url, str(EXAMPLES / "portfolio")])
    assert "SO-19-0604" in table.stdout and "released" in table.stderr


def test_recheck_after_a_list_changes(sqlite_url: str, regulations: Any) -> None:
    from clearance.orders import OrderLine
    from clearance.screening.model import ListVersion, Party

    _store(sqlite_url, regulations, with_licence=True)
    store = Store(sqlite_url)
    order = store.orders.submit(
        OrderLine.model_validate({**LINE, "consignee": {"name": "Daesong Trading"}}), regulations, "t"
    )
    assert order.state == "released"
    freeze = next(v for v in LISTS if v.list_id == "jp-mof-asset-freeze")
    added = Party.build(freeze.list_id, "9-2", "LegalEntity", ["Daesong Trading"])
    store.lists.save(ListVersion(freeze.list_id, freeze.title, None, "t", (*freeze.parties, added)), "t")
    store.close()
    result = runner.invoke(app, ["orders", "recheck", "--json", "--database", sqlite_url])
    assert result.exit_code == 0, result.output
    records = _records(result.stdout)
    assert [(r["ref"], r["state_before"], r["state"]) for r in records] == [(LINE["ref"], "released", "blocked")]
    assert "1 released ones now held or blocked" in result.stderr
    quiet = runner.invoke(app, ["orders", "recheck", "--database", sqlite_url])
    assert "re-checked 0 open orders" in quiet.stderr


def test_history_check_on_the_sample_portfolio(sqlite_url: str, regulations: Any, tmp_path: Path) -> None:
    _store(sqlite_url, regulations)
    page, book = tmp_path / "audit.html", tmp_path / "audit.xlsx"
    args = ["history", "check", "--json", "--database", sqlite_url, str(EXAMPLES / "portfolio")]
    args += ["--licences", str(EXAMPLES / "licences.jsonl"), "--html", str(page), "--xlsx", str(book)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    records = _records(result.stdout)
    assert len(records) == 36 and {r["finding"] for r in records} >= {"ok", "unlicensed", "undecided"}
    assert "lines shipped without the licence they needed" in result.stderr
    assert result.stderr.strip().splitlines()[-1] in page.read_text(encoding="utf-8")
    assert book.stat().st_size > 0
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"regime": "jp"}\n', encoding="utf-8")
    refused = runner.invoke(app, ["history", "check", "--database", sqlite_url, "--licences", str(bad), "-"], input="")
    assert refused.exit_code == 2 and "bad.jsonl: line 1" in refused.stderr
    args = ["history", "check", "--json", "--database", sqlite_url, "--licences", str(EXAMPLES / "licences.jsonl")]
    unreadable = runner.invoke(app, [*args, "-"], input=json.dumps({**LINE, "ref": ""}) + "\n")
    assert unreadable.exit_code == 2
    assert _records(unreadable.stdout) == [{"position": 1, "field": "ref", "value": "", "message": ANY}]


def test_another_policy_changes_a_list_consequence(sqlite_url: str, regulations: Any, tmp_path: Path) -> None:
    from clearance.orders.policy import POLICY_FILE

    _store(sqlite_url, regulations, with_licence=True)
    stricter = tmp_path / "strict.yaml"
    text = POLICY_FILE.read_text(encoding="utf-8")
    stricter.write_text(
        text.replace("consequence: hold\n    label: BIS Entity List", "consequence: block\n    label: BIS Entity List")
    )
    line = {**LINE, "intermediaries": [{"name": "Northern Aero Propulsion Institute", "country": "CN"}]}
    args = ["orders", "check", "--json", "--database", sqlite_url]
    shipped = runner.invoke(app, [*args, "-"], input=json.dumps(line))
    strict = runner.invoke(app, [*args, "--policy", str(stricter), "-"], input=json.dumps(line))
    assert _records(shipped.stdout)[0]["decision"] == "hold"
    assert _records(strict.stdout)[0]["decision"] == "block"
    assert _records(strict.stdout)[0]["policy_version"] != _records(shipped.stdout)[0]["policy_version"]
    stricter.write_text(text.replace("review_score: 0.80", "review_score: high"))
    refused = runner.invoke(app, [*args, "--policy", str(stricter), "-"], input=json.dumps(line))
    assert refused.exit_code == 2 and "--policy: strict.yaml: screening.review_score" in refused.stderr
