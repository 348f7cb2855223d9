"""The CLI contract: JSON in and out, errors that name the field, batches that never drop a line."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from typing import Any

import pytest

from support import CLI, ROOT, run_cli

HF_KR = {
    "regime": "jp",
    "date": "2019-07-10",
    "destination": "KR",
    "item": {"control_code": "1C350", "cas": "7664-39-3", "kind": "goods", "value": 8000000, "currency": "JPY"},
    "end_use": "civil",
}


def _with(**changes: Any) -> dict[str, Any]:
    shipment = json.loads(json.dumps(HF_KR))
    for path, value in changes.items():
        target = shipment
        *head, last = path.split("__")
        for key in head:
            target = target[key]
        if value is None and last in target:
            del target[last]
        else:
            target[last] = value
    return shipment


@pytest.mark.parametrize(
    ("shipment", "field"),
    [
        (_with(destination="XX"), "destination"),
        (_with(date="2019-02-30"), "date"),
        (_with(date="next tuesday"), "date"),
        (_with(item__control_code="9Z999"), "item.control_code"),
        (_with(item__control_code="3C002.z.9"), "item.control_code"),
        (_with(item__kind=None), "item.kind"),
        (_with(item__kind="services"), "item.kind"),
        (_with(destination=None), "destination"),
        (_with(regime="xx"), "regime"),
        (_with(end_use="peaceful"), "end_use"),
        (_with(item__cas="HF"), "item.cas"),
        (_with(item__hs_code="84-79"), "item.hs_code"),
        (_with(item__value=-5), "item.value"),
        (_with(colour="red"), "colour"),
        (_with(destination="JP"), "destination"),
        (_with(destination="Korea"), "destination"),
        (_with(end_user={"name": "Hanbit", "country": "QQ"}), "end_user.country"),
        (_with(end_user={"name": "Hanbit", "country": "Korea"}), "end_user.country"),
        (_with(item__cas="7664-39-4"), "item.cas"),
        (_with(red_flags=["unusual_route"]), "red_flags"),
        (_with(regime="kr", destination="CN", red_flags=["looks_odd"]), "red_flags"),
        (_with(item={"product": "SMC-HF-AH01", "kind": "goods"}), "item.product"),
    ],
)
def test_bad_input_names_the_field(shipment: dict[str, Any], field: str) -> None:
    result = run_cli("determine", "--json", "-", stdin=json.dumps(shipment))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: {field}:"), lines[0]


def test_not_json_is_an_error() -> None:
    result = run_cli("determine", "--json", "-", stdin="{regime: jp")
    assert result.returncode == 2 and result.stdout == ""
    assert "not valid JSON" in result.stderr


def test_answer_contract_fields() -> None:
    result = run_cli("determine", "--json", "-", stdin=json.dumps(HF_KR))
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    for key in (
        "licence_required",
        "basis",
        "destination_group",
        "licence_options",
        "exemptions",
        "processing_days",
        "steps",
        "citations",
        "data_version",
        "warnings",
    ):
        assert key in out
    assert out["licence_options"] == ["individual"]
    assert [s["rule"] for s in out["steps"]][:3] == ["destination_groups.A", "rows.3", "requirements.listed"]
    step = out["steps"][0]
    assert {"rule", "outcome", "applies", "facts", "values", "citations"} <= set(step)
    assert step["values"][0]["id"] == "destination_groups.A"
    assert {c["id"] for c in out["citations"]} >= {"eo_table_1", "meti_2019_07_01"}


def test_same_input_same_answer() -> None:
    first = run_cli("determine", "--json", "-", stdin=json.dumps(HF_KR)).stdout
    second = run_cli("determine", "--json", "-", stdin=json.dumps(HF_KR)).stdout
    assert first == second


def test_people_get_tables_with_the_answer_in_words() -> None:
    result = run_cli("determine", "-", stdin=json.dumps(HF_KR))
    assert result.returncode == 0
    assert "Licence required" in result.stdout and "about 90 days" in result.stdout
    assert "meti_2019_07_01" in result.stdout


UNDECIDED = {
    "regime": "jp",
    "date": "2026-01-15",
    "destination": "CN",
    "item": {"control_code": None, "hs_code": "8471.30", "kind": "goods"},
    "end_use": "unknown",
    "informed": False,
}


def test_an_undecided_answer_says_what_to_give_and_exits_zero(tmp_path: Any) -> None:
    table = run_cli("determine", "-", stdin=json.dumps(UNDECIDED))
    assert table.returncode == 0
    assert "Undecided: give end_use and end_user" in table.stdout and "No licence needed" not in table.stdout
    answer = json.loads(run_cli("determine", "--json", "-", stdin=json.dumps(UNDECIDED)).stdout)
    assert answer["licence_required"] is None
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(UNDECIDED) + "\n" + json.dumps(HF_KR) + "\n")
    batch = run_cli("determine", "--batch", "--json", str(path))
    assert batch.returncode == 0
    assert [json.loads(line)["licence_required"] for line in batch.stdout.splitlines()] == [None, True]
    people = run_cli("determine", "--batch", str(path))
    assert people.returncode == 0 and "undecided" in people.stdout and "give end_use and end_user" in people.stdout


def test_batch_answers_every_line_and_reports_bad_ones(tmp_path: Any) -> None:
    lines = [
        json.dumps(HF_KR),
        json.dumps(_with(destination="XX")),
        "",
        "not json",
        json.dumps(_with(date="2023-08-01")),
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n")
    result = run_cli("determine", "--batch", "--json", str(path))
    assert result.returncode == 2
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["position"] for r in records] == [1, 2, 4, 5]
    assert records[0]["licence_options"] == ["individual"]
    message = "not an ISO 3166-1 alpha-2 country code or a country name we know (e.g. JP, KR, 韓国, 한국) (got 'XX')"
    assert records[1] == {"position": 2, "field": "destination", "value": "XX", "message": message}
    assert records[2]["position"] == 4 and records[2]["field"] == "input"
    assert records[3]["destination_group"] == "A"
    assert result.stderr == "", "no progress drawn when stderr is not a terminal"


def test_batch_all_good_exits_zero(tmp_path: Any) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(_with(ref=f"SO-{i}")) for i in range(5)))
    result = run_cli("determine", "--batch", "--json", str(path))
    assert result.returncode == 0
    assert [json.loads(line)["ref"] for line in result.stdout.splitlines()] == [f"SO-{i}" for i in range(5)]


def test_batch_output_file_resumes_where_it_stopped(tmp_path: Any) -> None:
    lines = [json.dumps(_with(ref=f"SO-{i}")) for i in range(6)] + ["", json.dumps(_with(destination="XX"))]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n")
    whole = run_cli("determine", "--batch", "--json", str(path)).stdout.encode()
    out = tmp_path / "out.jsonl"
    out.write_bytes(whole[: whole.index(b"\n", whole.index(b"\n") + 1) + 40])  # two answers and a partial line
    result = run_cli("determine", "--batch", str(path), "-o", str(out), "--resume")
    assert result.returncode == 2 and result.stdout == ""  # line 8 is an error
    assert result.stderr == f"{out}: 7 lines answered (2 by an earlier run), 1 with errors\n"
    assert out.read_bytes() == whole
    again = run_cli("determine", "--batch", str(path), "-o", str(out), "--resume")
    assert again.returncode == 2 and "7 lines answered (7 by an earlier run)" in again.stderr
    assert out.read_bytes() == whole


def test_batch_from_stdin_is_answered_as_it_streams(tmp_path: Any) -> None:
    out = tmp_path / "out.jsonl"
    child = subprocess.Popen(
        [str(CLI), "determine", "--batch", "-", "-o", str(out), "--progress"],
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdin is not None
    deadline = time.monotonic() + 60
    sent = 0
    while not (out.exists() and out.read_bytes().count(b"\n")):  # answers come while the input is still open
        assert child.poll() is None and time.monotonic() < deadline, "no answer before the end of the input"
        child.stdin.write(json.dumps(_with(ref=f"SO-{sent}")).encode() + b"\n\n")
        child.stdin.flush()
        sent += 1
        time.sleep(0.01)
    child.stdin.write(json.dumps(_with(ref=f"SO-{sent}")).encode() + b"\n")
    sent += 1
    _, err = child.communicate(timeout=120)
    assert child.returncode == 0
    records = [json.loads(line) for line in out.read_bytes().splitlines()]
    assert [r["position"] for r in records] == list(range(1, 2 * sent, 2))
    assert [r["ref"] for r in records] == [f"SO-{i}" for i in range(sent)]
    assert f"Determining: {sent} lines (" in err.decode(), "progress without a total or time left"


def test_batch_from_stdin_resumes(tmp_path: Any) -> None:
    lines = "".join(json.dumps(_with(ref=f"SO-{i}")) + "\n\n" for i in range(4))
    whole = run_cli("determine", "--batch", "--json", "-", stdin=lines).stdout.encode()
    out = tmp_path / "out.jsonl"
    out.write_bytes(whole[: whole.index(b"\n") + 1])
    result = run_cli("determine", "--batch", "-", "-o", str(out), "--resume", stdin=lines)
    assert result.returncode == 0 and "4 lines answered (1 by an earlier run)" in result.stderr
    assert out.read_bytes() == whole


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--batch", "--resume"], "error: --resume: give the output file to resume with -o/--output"),
        (["-o", "out.jsonl"], "error: -o/--output and --resume go with --batch"),
        (["--batch", "-o", "other.jsonl", "--resume"], "error: --output: other.jsonl: line 1 answers input line 7"),
    ],
)
def test_batch_output_misuse_is_one_line_on_stderr(tmp_path: Any, args: list[str], message: str) -> None:
    (tmp_path / "in.jsonl").write_text(json.dumps(HF_KR) + "\n")
    (tmp_path / "other.jsonl").write_text('{"position": 7}\n')
    result = subprocess.run(
        [str(CLI), "determine", "in.jsonl", *args], capture_output=True, text=True, cwd=tmp_path, timeout=120
    )
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith(message), result.stderr


def test_a_batch_loads_no_workbook_report_or_download_library(tmp_path: Any) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(HF_KR) + "\n")
    code = (  # every command's module is imported at start-up: these libraries load only where they are used
        "import sys\nfrom clearance.cli import app\ntry:\n    app(['determine', '--batch', '--json', sys.argv[1]])\n"
        "finally:\n    sys.stderr.write(repr(sorted({'openpyxl', 'jinja2', 'httpx'} & sys.modules.keys())))\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and len(result.stdout.splitlines()) == 1
    assert result.stderr.endswith("[]"), result.stderr


def test_batch_progress_on_request(tmp_path: Any) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(_with(ref=f"SO-{i}")) for i in range(3)) + "\n")
    result = run_cli("determine", "--batch", "--json", str(path), "--progress")
    assert result.returncode == 0 and len(result.stdout.splitlines()) == 3
    assert "Determining" in result.stderr and "3/3" in result.stderr and "/s" in result.stderr


def test_batch_table_for_people(tmp_path: Any) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(_with(ref="SO-9")) + "\n" + json.dumps(_with(destination="XX")) + "\n")
    result = run_cli("determine", "--batch", str(path))
    assert result.returncode == 2
    assert "SO-9" in result.stdout and "ISO 3166-1 alpha-2" in result.stdout


def test_regs_show_as_of() -> None:
    out = json.loads(run_cli("regs", "show", "jp", "--as-of", "2019-09-02", "--json").stdout)
    groups = {g["id"]: g for g in out["groups"]}
    assert "KR" in groups["B"]["members"] and "KR" not in groups["A"]["members"]
    assert len(groups["A"]["members"]) == 26
    assert "kr_three_items_2019" in {m["id"] for m in out["measures"]}


def test_regs_diff_names_the_move_and_its_citation() -> None:
    out = json.loads(run_cli("regs", "diff", "jp", "--from", "2019-08-01", "--to", "2019-08-28", "--json").stdout)
    assert {"country": "KR", "name": "South Korea", "from": "A", "to": "B"} in out["group_moves"]
    table_3 = [c for c in out["changes"] if c["object"] == "country_lists.appended_table_3"]
    assert table_3 and "co_2019_71" in table_3[0]["citations"] and "-KR" in table_3[0]["summary"]


def test_timeline_for_korea_tells_the_story_in_order() -> None:
    out = json.loads(run_cli("timeline", "jp", "--country", "KR", "--json").stdout)
    dates = [c["date"] for c in out["changes"]]
    assert dates == sorted(dates)
    for when in ("2019-07-04", "2019-08-28", "2019-12-20", "2023-03-23", "2023-07-21"):
        assert when in dates, when
    move = next(c for c in out["changes"] if c["date"] == "2019-08-28")
    assert move["announced"] == "2019-08-02" and "co_2019_71" in move["citations"]


def test_timeline_rejects_unknown_country() -> None:
    result = run_cli("timeline", "jp", "--country", "QQ")
    assert result.returncode == 2 and "--country" in result.stderr


def test_timeline_between_tells_both_sides_of_the_dispute() -> None:
    out = json.loads(run_cli("timeline", "--between", "jp", "kr", "--json").stdout)
    story = [(c["regime"], c["date"], c["summary"]) for c in out["changes"]]
    dates = [d for _, d, _ in story]
    assert dates == sorted(dates)
    assert ("jp", "2019-08-28", "KR (South Korea) is in group B (was A)") in story
    assert ("kr", "2019-09-18", "JP (Japan) is in group ga-2 (was ga)") in story
    assert ("kr", "2023-04-24", "JP (Japan) is in group ga (was ga-2)") in story
    assert ("jp", "2023-07-21", "KR (South Korea) is in group A (was B)") in story
    assert any(r == "jp" and d == "2019-07-04" for r, d, _ in story)


def test_timeline_needs_a_regime_or_between() -> None:
    result = run_cli("timeline")
    assert result.returncode == 2 and "REGIME" in result.stderr


def test_items_can_name_a_catalogue_product() -> None:
    shipment = {
        "regime": "jp",
        "date": "2019-07-10",
        "destination": "KR",
        "item": {"product": "SMC-RS-EUV01", "value": 18000000, "currency": "JPY"},
        "end_use": "civil",
    }
    result = run_cli("determine", "--catalogue", "examples/catalogue.csv", "--json", "-", stdin=json.dumps(shipment))
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["control_entry"]["product"] == "SMC-RS-EUV01" and out["control_entry"]["entry"] == "7(19)"
    assert out["licence_options"] == ["individual"]
    assert out["steps"][1]["facts"]["classified_by"].startswith("A. Tanaka")


@pytest.mark.parametrize(
    ("item", "words"),
    [
        ({"product": "NO-SUCH-PART"}, "unknown product"),
        ({"product": "SMC-RS-EUV01", "control_code": "1C350"}, "conflicts with the catalogue"),
    ],
)
def test_product_errors_name_the_field(item: dict[str, Any], words: str) -> None:
    shipment = {"regime": "jp", "date": "2019-07-10", "destination": "KR", "item": item, "end_use": "civil"}
    result = run_cli("determine", "--catalogue", "examples/catalogue.csv", "--json", "-", stdin=json.dumps(shipment))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("error: item.") and words in result.stderr


def test_a_product_not_classified_for_the_regime_blocks_the_determination() -> None:
    shipment = {"regime": "kr", "date": "2020-01-10", "destination": "JP", "item": {"product": "SMC-RS-EUV01"}}
    result = run_cli("determine", "--catalogue", "examples/catalogue.csv", "--json", "-", stdin=json.dumps(shipment))
    assert result.returncode == 2 and "no classification for regime 'kr'" in result.stderr


def test_unknown_red_flags_name_the_known_ones() -> None:
    result = run_cli(
        "determine", "--json", "-", stdin=json.dumps(_with(regime="kr", destination="CN", red_flags=["x"]))
    )
    assert result.returncode == 2
    assert "unknown red flag 'x'" in result.stderr and "consignee_is_forwarder" in result.stderr
    known = _with(regime="kr", destination="VN", date="2024-03-01", red_flags=["consignee_is_forwarder"])
    known["item"] = {"control_code": None, "hs_code": "8471.50", "kind": "goods"}
    answer = json.loads(run_cli("determine", "--json", "-", stdin=json.dumps(known)).stdout)
    assert answer["basis"] == ["catch_all_red_flags"]


BOM = "\ufeff"


def test_a_byte_order_mark_is_read_like_the_api_reads_it(tmp_path: Any) -> None:
    single = run_cli("determine", "--json", "-", stdin=BOM + json.dumps(HF_KR))
    assert single.returncode == 0, single.stderr
    assert json.loads(single.stdout)["licence_required"] is True
    path = tmp_path / "batch.jsonl"
    path.write_text(BOM + json.dumps(HF_KR) + "\n" + json.dumps(HF_KR) + "\n", encoding="utf-8")
    batch = run_cli("determine", "--batch", "--json", str(path))
    assert batch.returncode == 0, batch.stdout
    assert [json.loads(line)["licence_required"] for line in batch.stdout.splitlines()] == [True, True]
    terms = tmp_path / "licence.json"
    terms.write_text(BOM + (ROOT / "examples" / "licences.jsonl").read_text(encoding="utf-8").splitlines()[0])
    added = run_cli("licences", "add", str(terms), "--database", f"sqlite:///{tmp_path / 'db.sqlite'}")
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout)["number"] == "METI-2019-IL-0412"


def test_bad_bytes_on_one_batch_line_fail_that_line_only(tmp_path: Any) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_bytes(json.dumps(HF_KR).encode() + b"\n" + b'{"ref": "\xff"}\n' + json.dumps(HF_KR).encode() + b"\n")
    result = run_cli("determine", "--batch", "--json", str(path))
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 2 and len(records) == 3
    assert records[1]["field"] == "input" and "not UTF-8" in records[1]["message"]
