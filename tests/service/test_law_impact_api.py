"""The law and impact routes: the same answers as the CLI's ``regs show``, ``timeline`` and ``impact``."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from apiutil import Service, service
from openpyxl import load_workbook
from servicedata import ROOT

from clearance.impact.portfolio import read_portfolio
from clearance.impact.runs import between_dates
from clearance.law import queries
from support import BOMBS, portfolio_with_bad_rows

PORTFOLIO = ROOT / "examples" / "portfolio"


@pytest.fixture(scope="module")
def svc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    url = f"sqlite:///{tmp_path_factory.mktemp('law') / 'law.db'}"
    with service(url, portfolio=str(PORTFOLIO)) as svc:
        yield svc


def _get(svc: Service, path: str, **params: Any) -> Any:
    return svc.client.get(path, params=params, headers=svc.headers("viewer"))


def test_the_law_on_a_date(svc: Service, regulations: Any) -> None:
    body = _get(svc, "/law/jp", as_of="2019-09-02").json()
    expected = queries.show(regulations["jp"], dt.date(2019, 9, 2))
    groups = {g["id"]: g for g in body["groups"]}
    assert "KR" in groups["B"]["members"] and "KR" not in groups["A"]["members"]
    assert [g["id"] for g in body["groups"]] == [g["id"] for g in expected["groups"]]
    assert body["data_version"] == regulations["jp"].data_version
    cited = {s for g in body["groups"] for s in g["citations"]}
    assert cited <= set(body["sources"]) and all(body["sources"][s]["title"] for s in cited)
    assert _get(svc, "/law/jp").json()["errors"][0]["field"] == "as_of"
    unknown = _get(svc, "/law/xx", as_of="2019-09-02")
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "regime"


def test_the_korea_timeline(svc: Service, regulations: Any) -> None:
    body = _get(svc, "/law/jp/timeline", country="kr").json()
    assert body["country"] == "KR" and body["country_name"] == "South Korea"
    assert [(g["group"], g["from"], g["to"]) for g in body["groups"]] == [
        ("A", "2004-01-20", "2019-08-28"),
        ("B", "2019-08-28", "2023-07-21"),
        ("A", "2023-07-21", None),
    ]
    lanes = {lane["object"]: lane["segments"] for lane in body["lanes"]}
    # amended on 2019-12-20 (its exception for resists), never interrupted: one bar
    assert lanes["measures.kr_three_items_2019"] == [{"from": "2019-07-04", "to": "2023-03-23"}]
    expected = queries.timeline(regulations["jp"], "KR")
    assert [(c["date"], c["object"]) for c in body["changes"]] == [(c.date.isoformat(), c.object) for c in expected]
    assert all(s in body["sources"] for c in body["changes"] for s in c["citations"])
    assert len({c["anchor"] for c in body["changes"]}) == len(body["changes"])
    everything = _get(svc, "/law/kr/timeline").json()
    assert everything["country"] is None and everything["groups"] == [] and len(everything["changes"]) > 10
    assert _get(svc, "/law/jp/timeline", country="QQ").json()["errors"][0]["field"] == "country"


def _impact(svc: Service, body: dict[str, Any], **params: Any) -> Any:
    return svc.client.post("/impact", json=body, params=params, headers=svc.headers("analyst"))


def test_impact_between_dates_as_json_csv_and_xlsx(svc: Service) -> None:
    body = {"regime": "jp", "before": "2019-08-27", "after": "2019-08-28"}
    report = _impact(svc, body).json()
    expected = between_dates(read_portfolio(PORTFOLIO), "jp", dt.date(2019, 8, 27), dt.date(2019, 8, 28))
    assert report["totals"]["affected"] == len(expected.affected) > 0
    assert report["totals"]["read"] == len(expected.lines) == len(report["lines"])
    assert {line["order_id"] for line in report["lines"] if line["status"] == "affected"} == {
        line.order_id for line in expected.affected
    }
    assert report["by_destination"]["KR"]["affected"] == len(expected.affected)
    assert all(s in report["citations"] for line in report["lines"] for s in line["citations"].split())

    as_csv = _impact(svc, body, format="csv")
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert 'filename="impact-jp.csv"' in as_csv.headers["content-disposition"]
    assert as_csv.content.startswith(b"\xef\xbb\xbf"), "a CSV for people carries a BOM so that Excel reads it"
    assert len(list(csv.DictReader(io.StringIO(as_csv.content.decode("utf-8-sig"))))) == len(expected.lines)
    as_xlsx = _impact(svc, body, format="xlsx")
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    assert sheet is not None and sheet.max_row == len(expected.lines) + 1


def test_impact_of_a_scenario_and_of_pending_changes(svc: Service) -> None:
    scenario = (ROOT / "examples" / "scenarios" / "kr-leaves-group-a.yaml").read_text(encoding="utf-8")
    report = _impact(svc, {"before": "2019-08-01", "scenario": scenario}).json()
    assert report["after"].startswith("scenario: Korea removed from Group A") and report["totals"]["affected"] > 0
    pending = _impact(svc, {"known_on": "2019-08-05"}).json()
    assert pending["totals"]["affected"] > 0


def test_impact_lists_every_unreadable_order_row_in_json_csv_and_xlsx(tmp_path: Any) -> None:
    bad = portfolio_with_bad_rows(tmp_path / "book")
    body = {"regime": "jp", "before": "2019-07-01", "after": "2019-07-10"}
    with service(f"sqlite:///{tmp_path / 'bad.db'}", portfolio=str(tmp_path / "book")) as svc:
        report = _impact(svc, body).json()
        as_csv = list(csv.DictReader(io.StringIO(_impact(svc, body, format="csv").content.decode("utf-8-sig"))))
        sheet = list(load_workbook(io.BytesIO(_impact(svc, body, format="xlsx").content)).active.iter_rows())
    totals = report["totals"]
    assert (totals["read"], totals["answered"], totals["failed"]) == (36, 31, 5)
    from_xlsx = [{c.value: str(v.value or "") for c, v in zip(sheet[0], r, strict=True)} for r in sheet[1:]]
    for rows in (report["lines"], as_csv, from_xlsx):
        assert len(rows) == 36
        errors = {(r["file"], int(r["position"]), r["field"]): r["value"] for r in rows if r["status"] == "error"}
        assert errors == bad


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"before": "2019-08-01"}, "after"),
        ({"after": "2019-08-01"}, "before"),
        ({"scenario": "scenario: x\nregime: jp\n"}, "before"),
        ({"before": "2019-08-01", "scenario": "scenario: x\nregime: jp\nwhat: 1\n"}, "scenario"),
        ({"before": "2019-08-01", "scenario": "- not a mapping"}, "scenario"),
        ({"regime": "xx", "before": "2019-08-01", "after": "2019-08-02"}, "regime"),
        ({"before": "2019-08-01", "after": "2019-08-02", "colour": "red"}, "colour"),
    ],
)
def test_bad_impact_requests_name_the_field(svc: Service, body: dict[str, Any], field: str) -> None:
    answer = _impact(svc, body)
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == field, answer.text


def test_impact_needs_a_portfolio(tmp_path: Any) -> None:
    with service(f"sqlite:///{tmp_path / 'none.db'}") as bare:
        answer = bare.client.post(
            "/impact", json={"before": "2019-08-27", "after": "2019-08-28"}, headers=bare.headers("analyst")
        )
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "portfolio"


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_a_yaml_bomb_gets_a_4xx_naming_the_problem_without_hanging(svc: Service, name: str) -> None:
    text, words = BOMBS[name]
    scenario = "scenario: x\nregime: jp\n" + text if name == "alias_bomb" else text
    pool = ThreadPoolExecutor(1)
    try:  # a timeout on the request: a server that hangs fails the test instead of the run
        answer = pool.submit(_impact, svc, {"before": "2019-08-01", "scenario": scenario}).result(timeout=20)
    finally:
        pool.shutdown(wait=False)
    assert answer.status_code == 422, answer.text
    error = answer.json()["errors"][0]
    assert error["field"] == "scenario" and words in error["message"]
