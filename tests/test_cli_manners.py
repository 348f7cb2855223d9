"""Command-line manners (issue 15): help without ``<bool>`` clutter, and progress on stderr in every batch mode,
``--json`` into a pipe included, as plain lines a log can keep; ``regs diff`` saying what an amendment changed."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from clearance.cli import app
from support import ROOT, run_cli


def test_no_help_screen_shows_a_type_for_a_flag() -> None:
    reference = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")  # every command's help (test_docs)
    assert "<bool>" not in reference and "--json" in reference
    shown = CliRunner().invoke(app, ["determine", "--help"], terminal_width=120).output
    assert "<bool>" not in shown
    assert re.search(r"--batch\s+Read JSON Lines", shown), "a flag keeps its help, without a type"
    assert re.search(r"--catalogue\s+<str>", shown), "an option that takes a value still shows its type"


def test_a_json_batch_shows_progress_on_stderr_as_plain_lines(tmp_path: Path) -> None:
    lines = (ROOT / "examples" / "shipments.jsonl").read_text(encoding="utf-8").splitlines() * 3
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    answered = run_cli("determine", "--batch", "--json", "--progress", str(batch))
    assert answered.returncode == 0, answered.stderr
    assert [json.loads(line)["position"] for line in answered.stdout.splitlines()] == list(range(1, len(lines) + 1))
    progress = answered.stderr.splitlines()
    assert "\x1b" not in answered.stderr, "no terminal codes in a pipe"
    assert progress[0].startswith(f"Determining: 0/{len(lines)} lines (")
    assert re.fullmatch(rf"Determining: {len(lines)}/{len(lines)} lines \([\d,.]+/s, done in [\d.]+ s\)", progress[-1])


def test_without_progress_a_piped_batch_writes_nothing_on_stderr(tmp_path: Path) -> None:
    batch = ROOT / "examples" / "shipments.jsonl"
    answered = run_cli("determine", "--batch", "--json", str(batch))
    assert answered.returncode == 0 and answered.stderr == ""


def test_regs_diff_says_what_an_amendment_changed() -> None:
    shown = run_cli("regs", "diff", "jp", "--from", "2019-08-01", "--to", "2019-08-30", "--json")
    summaries = {c["object"]: c["summary"] for c in json.loads(shown.stdout)["changes"]}
    renamed = "Group A: renamed from 'White country (ホワイト国; Group A logic)' to 'Group A'"
    assert summaries["destination_groups.A"] == renamed
    assert not any("amended (" in s for s in summaries.values()), "never 'Group A: amended (Group A)'"


def test_an_impact_run_shows_progress_and_writes_its_lines_to_parquet(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    common = ("impact", "--portfolio", str(ROOT / "examples" / "portfolio"), "--before", "2019-08-01")
    jsonl, parquet = tmp_path / "lines.jsonl", tmp_path / "lines.parquet"
    first = run_cli(*common, "--after", "2019-08-28", "--json", "--progress", "-o", str(parquet))
    second = run_cli(*common, "--after", "2019-08-28", "-o", str(jsonl))
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    orders = json.loads(first.stdout)["totals"]["read"]
    progress = first.stderr.splitlines()
    assert progress[0].startswith(f"Assessing: 0/{orders} lines (")
    assert re.fullmatch(rf"Assessing: {orders}/{orders} lines \([\d,.]+/s, done in [\d.]+ s\)", progress[-1])
    expected = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    written = pq.read_table(parquet).to_pylist()
    assert len(written) == len(expected) == orders
    blank = {"", None}
    for got, want in zip(written, expected, strict=True):
        assert {k: None if v in blank else str(v) for k, v in got.items()} == {
            k: None if v in blank else str(v) for k, v in want.items()
        }
    assert pq.read_schema(parquet).field("position").type == "int64"
