"""The screening commands over the service database, through Typer's runner with ``--database``: screen (one name
and batches, with delta), lists import/show/diff, decisions add/list; the store's own behaviour across entry points
is in test_screening_lists.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from unittest.mock import ANY

import pytest
from typer.testing import CliRunner, Result

from clearance.cli import app
from clearance.screening.bundled import bundled_ids, load_bundled
from clearance.store import ENV, Query, Store

runner = CliRunner()

ACME = {"id": "e1", "schema": "Company", "properties": {"name": ["Acme Trading LLC"]}, "datasets": ["demo"]}
IVAN = {"id": "e2", "schema": "Person", "properties": {"name": ["Ivan Sidorov"]}, "datasets": ["demo"]}


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv(ENV, raising=False)


def _run(db_url: str, *args: str) -> Result:
    return runner.invoke(app, [*args, "--database", db_url])


def _json(result: Result) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def ftm(path: Path, *entities: dict[str, Any]) -> Path:
    """Write FtM entities as JSON lines."""
    path.write_text("".join(json.dumps(e) + "\n" for e in entities), encoding="utf-8")
    return path


def test_screen_a_name_as_json_against_the_bundled_lists(sqlite_url: str) -> None:
    data = _json(_run(sqlite_url, "screen", "北京航空航天大学", "--country", "CN", "--list", "jp-meti-eul", "--json"))
    assert data["matched"] is True
    top = data["results"][0]
    assert top["id"] == "jp-meti-eul:501" and top["change"] == "new" and top["hit_id"] == 1
    assert data["lists"] == {"jp-meti-eul": load_bundled("jp-meti-eul").version}
    store = Store(sqlite_url)
    try:
        [record], _ = store.audit.page(Query(kind="screening"))
        assert record.actor.startswith("cli:") and store.screening.get(1).status == "open"
    finally:
        store.close()


def test_screen_needs_a_name_or_a_batch(sqlite_url: str) -> None:
    result = _run(sqlite_url, "screen")
    assert result.exit_code == 2 and "NAME or --batch" in result.output


def test_batch_keeps_every_row_and_names_bad_ones(sqlite_url: str, tmp_path: Path) -> None:
    parties = tmp_path / "parties.csv"
    parties.write_text("id,name,country\nc1,Beihang University,CN\nc2,,CN\nc3,Toyota Motor Corporation,JP\n")
    out = tmp_path / "out.jsonl"
    result = _run(sqlite_url, "screen", "--batch", str(parties), "-o", str(out), "--list", "jp-meti-eul")
    assert result.exit_code == 2  # one row had an error
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["position"] for r in rows] == [2, 3, 4]
    assert rows[0]["matched"] and rows[0]["party_key"] == "c1"
    assert rows[1] == {"position": 3, "field": "name", "value": None, "message": "is empty"}
    assert rows[2]["matched"] is False


def test_batch_names_and_counts_every_row_it_skips(sqlite_url: str, tmp_path: Path) -> None:
    parties = tmp_path / "parties.csv"
    parties.write_text("id,name,country\nc1,Beihang University,CN\n,,\nTotal,,\nc3,Toyota Motor Corporation,JP\n")
    out = tmp_path / "out.jsonl"
    result = _run(sqlite_url, "screen", "--batch", str(parties), "-o", str(out), "--list", "jp-meti-eul")
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["position"] for line in out.read_text().splitlines()] == [2, 5]
    assert result.stderr.splitlines() == [
        "parties.csv: row 4 is a totals row, not an order or record: skipped (Total)",
        "parties.csv: blank rows skipped (row 3)",
        "2 rows screened (0 by an earlier run): 1 now with matches, 0 with errors, 2 rows skipped",
    ]
    resumed = _run(sqlite_url, "screen", "--batch", str(parties), "-o", str(out), "--list", "jp-meti-eul", "--resume")
    assert resumed.stderr.splitlines()[-1].endswith("2 rows skipped"), "a resumed run counts them again"


def test_a_batch_from_stdin_names_its_blank_lines(sqlite_url: str) -> None:
    args = ["screen", "--batch", "-", "--list", "jp-meti-eul", "--database", sqlite_url]
    result = runner.invoke(app, args, input=PARTY_LINES)
    assert result.exit_code == 2  # two lines have errors
    assert result.stderr.splitlines()[-2:] == [
        "-: blank rows skipped (row 2)",
        "4 rows screened (0 by an earlier run): 1 now with matches, 2 with errors, 1 rows skipped",
    ]


def _screenings(db_url: str) -> list[tuple[int, str, str | None]]:
    store = Store(db_url)
    try:
        audited, _ = store.audit.page(Query(kind="screening"))
    finally:
        store.close()
    return [(e.seq, e.hash, e.subject) for e in audited]


def test_batch_resumed_screens_and_audits_only_the_rows_left(db_url: str, tmp_path: Path) -> None:
    parties = tmp_path / "parties.csv"
    parties.write_text("id,name,country\nc1,Beihang University,CN\nc2,,CN\nc3,Toyota Motor Corporation,JP\n")
    out = tmp_path / "out.jsonl"
    args = ["screen", "--batch", str(parties), "-o", str(out), "--list", "jp-meti-eul"]
    assert _run(db_url, *args).exit_code == 2  # row 3 has no name
    whole = out.read_bytes()
    finished = _run(db_url, *args, "--resume")
    assert "3 rows screened (3 by an earlier run): 0 now with matches, 1 with errors" in finished.stderr
    assert out.read_bytes() == whole and len(_screenings(db_url)) == 2, "nothing screened again"

    first_line = whole[: whole.index(b"\n") + 1]
    out.write_bytes(first_line + b'{"position": 3, "mes')  # as if cut off while writing row 3's record
    resumed = _run(db_url, *args, "--resume")
    assert resumed.exit_code == 2 and "3 rows screened (1 by an earlier run)" in resumed.stderr
    records = [json.loads(line) for line in out.read_bytes().splitlines()]
    assert [r["position"] for r in records] == [2, 3, 4] and out.read_bytes().startswith(first_line)
    c1, c3 = (r for r in records if "message" not in r)
    screenings = _screenings(db_url)
    assert len(screenings) == 3, "only the rows after the kept record are screened again"
    assert [(c1["audit_seq"], c1["audit_hash"], "c1"), (c3["audit_seq"], c3["audit_hash"], "c3")] == [
        screenings[0],
        screenings[2],
    ], "row 2 kept as screened first, row 4 screened by the resumed run"


#: JSON Lines of parties: a blank line, a row without a name and a line that is not JSON among them.
PARTY_LINES = (
    '{"id": "c1", "name": "Beihang University", "country": "CN"}\n\n{"name": ""}\nnot json\n'
    '{"id": "c3", "name": "Toyota Motor Corporation", "country": "JP"}\n'
)


def _positions(out: Path) -> list[tuple[int, str | None]]:
    return [(r["position"], r.get("message")) for r in map(json.loads, out.read_bytes().splitlines())]


def test_a_json_lines_batch_streamed_and_resumed_keeps_its_error_rows(db_url: str, tmp_path: Path) -> None:
    parties, out = tmp_path / "parties.jsonl", tmp_path / "out.jsonl"
    parties.write_text(PARTY_LINES, encoding="utf-8")
    args = ["screen", "--batch", str(parties), "-o", str(out), "--list", "jp-meti-eul"]
    assert _run(db_url, *args).exit_code == 2
    expected = [(1, None), (3, "is empty"), (4, ANY), (5, None)]
    assert _positions(out) == expected
    whole = out.read_bytes()
    out.write_bytes(whole[: whole.index(b"\n") + 1])  # as if killed after the first row
    resumed = _run(db_url, *args, "--resume")
    assert resumed.exit_code == 2 and "4 rows screened (1 by an earlier run)" in resumed.stderr
    assert _positions(out) == expected and len(_screenings(db_url)) == 3, "c3 screened again, c1 not"


def test_a_batch_from_stdin_is_screened_and_resumed(sqlite_url: str, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    args = ["screen", "--batch", "-", "-o", str(out), "--list", "jp-meti-eul", "--database", sqlite_url]
    assert runner.invoke(app, args, input=PARTY_LINES).exit_code == 2
    expected = [(1, None), (3, "is empty"), (4, ANY), (5, None)]
    assert _positions(out) == expected
    whole = out.read_bytes()
    out.write_bytes(whole[: whole.index(b"\n") + 1])
    resumed = runner.invoke(app, [*args, "--resume"], input=PARTY_LINES)
    assert "4 rows screened (1 by an earlier run)" in resumed.stderr and _positions(out) == expected
    piped = runner.invoke(app, ["screen", "--batch", "-", "--list", "jp-meti-eul", "--database", sqlite_url], input="")
    assert piped.exit_code == 0 and "0 rows screened" in piped.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["screen", "BUAA", "-o", "out.jsonl"], "-o/--output and --resume go with --batch"),
        (["screen", "--batch", "parties.csv", "--resume"], "--resume: give the output file"),
    ],
)
def test_batch_options_misused(sqlite_url: str, args: list[str], message: str) -> None:
    result = _run(sqlite_url, *args)
    assert result.exit_code == 2 and message in result.stderr


def test_delta_batch_reports_hits_once(db_url: str, tmp_path: Path) -> None:
    parties = tmp_path / "parties.jsonl"
    parties.write_text(json.dumps({"id": "c1", "name": "BUAA", "country": "CN"}) + "\n")
    args = ["screen", "--batch", str(parties), "--delta", "--list", "jp-meti-eul"]
    first = json.loads(_run(db_url, *args).stdout.splitlines()[0])
    second = json.loads(_run(db_url, *args).stdout.splitlines()[0])
    assert [r["change"] for r in first["results"]] == ["new"]
    assert second["results"] == []


def test_lists_import_show_diff_and_decisions(db_url: str, tmp_path: Path) -> None:
    v1 = ftm(tmp_path / "v1.ftm.json", ACME)
    v2 = ftm(tmp_path / "v2.ftm.json", ACME, IVAN)
    first = _run(db_url, "lists", "import", str(v1))
    assert first.exit_code == 0 and "added 1, removed 0, changed 0 (from nothing)" in first.stdout
    second = _json(_run(db_url, "lists", "import", str(v2), "--json"))
    assert second["diff"]["added"] == ["demo:e2"]
    again = _json(_run(db_url, "lists", "import", str(v2), "--json"))
    assert again["diff"]["added"] == [] and again["diff"]["from"] == again["diff"]["to"]
    shown = _json(_run(db_url, "lists", "show", "demo", "--json"))
    assert [v["version"] for v in shown] == [second["diff"]["from"], second["diff"]["to"]]
    assert shown[0]["imported_by"].startswith("cli:")
    in_use = {row["list_id"]: row for row in _json(_run(db_url, "lists", "show", "--json"))}
    assert set(in_use) == {"demo", *bundled_ids()}
    assert in_use["demo"]["origin"] == "imported" and in_use["demo"]["version"] == second["list"]["version"]
    assert in_use["us-csl"]["origin"] == "bundled" and in_use["us-csl"]["entries"] > 10_000
    diff = _json(_run(db_url, "lists", "diff", "demo", "--json"))
    assert diff["added"] == ["demo:e2"] and diff["removed"] == []
    assert _run(db_url, "lists", "diff", "nothing").exit_code == 2

    screen = ["screen", "Acme Trading", "--party-id", "p1", "--list", "demo", "--json"]
    screened = _json(_run(db_url, *screen))
    assert screened["results"][0]["status"] == "open"
    decided = _run(
        db_url,
        "decisions", "add", "Acme Trading", "--entry", "demo:e1", "--verdict", "false_positive",
        "--reason", "our own subsidiary", "--party-id", "p1", "--list", "demo", "--json",
    )  # fmt: skip
    decision = _json(decided)
    assert decision["hit_id"] == screened["results"][0]["hit_id"] and decision["reviewer"].startswith("cli:")
    again_screened = _json(_run(db_url, *screen))
    assert again_screened["results"][0]["status"] == "suppressed" and again_screened["matched"] is False
    listed = _json(_run(db_url, "decisions", "list", "--json"))
    assert [d["reason"] for d in listed] == ["our own subsidiary"]
    assert _json(_run(db_url, "decisions", "list", "--party-key", "p2", "--json")) == []
    table = _run(db_url, "decisions", "list")
    assert table.exit_code == 0 and "Decisions" in table.stdout and "p1" in table.stdout


def test_decisions_name_the_entry_they_cannot_take(sqlite_url: str, tmp_path: Path) -> None:
    _run(sqlite_url, "lists", "import", str(ftm(tmp_path / "v1.ftm.json", ACME, IVAN)))
    base = ["decisions", "add", "Acme Trading", "--verdict", "match", "--list", "demo"]
    absent = _run(sqlite_url, *base, "--entry", "demo:e2")
    assert absent.exit_code == 2 and "--entry: 'demo:e2' is not among the hits for 'Acme Trading'" in absent.output
    near = _run(sqlite_url, "decisions", "add", "Acme", "--verdict", "match", "--list", "demo", "--entry", "demo:e1")
    assert near.exit_code == 2 and "below the threshold 0.8" in near.output
    lowered = _run(
        sqlite_url, "decisions", "add", "Acme", "--verdict", "match", "--list", "demo", "--entry", "demo:e1",
        "--threshold", "0.3", "--reviewer", "Hanako",
    )  # fmt: skip
    assert lowered.exit_code == 0 and "recorded match for q:" in lowered.stdout and "confirmed" in lowered.stdout
    no_reason = _run(sqlite_url, *base, "--entry", "demo:e1", "--verdict", "false_positive")
    assert no_reason.exit_code == 2 and "needs a reason" in no_reason.output
    listed = json.loads(_run(sqlite_url, "decisions", "list", "--json").stdout)
    assert [d["reviewer"] for d in listed] == ["Hanako"]


def test_import_errors_name_the_file(sqlite_url: str, tmp_path: Path) -> None:
    bad = tmp_path / "broken.jsonl"
    bad.write_text('{"id": "1", "schema": "Person", "properties": {"name": ["A"]}}\nnot json\n')
    result = _run(sqlite_url, "lists", "import", str(bad))
    assert result.exit_code == 2
    assert "broken.jsonl: row 2" in result.output


def test_countries_lists_and_the_database_from_the_environment(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV, sqlite_url)
    by_code = runner.invoke(app, ["screen", "BUAA", "--country", "cn", "--list", "jp-meti-eul", "--json"])
    assert json.loads(by_code.stdout)["query"]["countries"] == ["cn"]
    by_name = runner.invoke(app, ["screen", "BUAA", "--country", "中国", "--list", "jp-meti-eul", "--json"])
    assert json.loads(by_name.stdout)["query"]["countries"] == ["cn"]
    for name, why in (("QQ", "is not an ISO 3166-1 alpha-2"), ("Korea", "is ambiguous: KR (South Korea) or KP")):
        refused = runner.invoke(app, ["screen", "BUAA", "--country", name])
        assert refused.exit_code == 2 and f"--country: {name!r} {why}" in refused.output
    no_list = runner.invoke(app, ["screen", "BUAA", "--list", "atlantis-list"])
    assert no_list.exit_code == 2 and "no screening list atlantis-list (imported: none; bundled:" in no_list.output
    store = Store(sqlite_url)
    try:
        assert store.screening.counts()["open"] == 1  # the environment's database was used
    finally:
        store.close()
