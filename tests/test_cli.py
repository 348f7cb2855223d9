"""The CLI contract: JSON in and out, errors that name the field, batches that never drop a line."""

from __future__ import annotations

import json
from typing import Any

import pytest

from support import run_cli

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
    assert len(records) == 4
    assert records[0]["licence_options"] == ["individual"]
    assert records[1] == {"line": 2, "error": {"field": "destination", "message": "unknown country code 'XX'"}}
    assert records[2]["line"] == 4 and records[2]["error"]["field"] == "input"
    assert records[3]["destination_group"] == "A"


def test_batch_all_good_exits_zero(tmp_path: Any) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(_with(ref=f"SO-{i}")) for i in range(5)))
    result = run_cli("determine", "--batch", "--json", str(path))
    assert result.returncode == 0
    assert [json.loads(line)["ref"] for line in result.stdout.splitlines()] == [f"SO-{i}" for i in range(5)]


def test_batch_table_for_people(tmp_path: Any) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(_with(ref="SO-9")) + "\n" + json.dumps(_with(destination="XX")) + "\n")
    result = run_cli("determine", "--batch", str(path))
    assert result.returncode == 2
    assert "SO-9" in result.stdout and "unknown country code" in result.stdout


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
