"""The retrospective audit: one finding per shipped line against the law of its date and the licence register as
it stood, including a licence that expired mid-way and Korea's move from Group A to Group B on 2019-08-28."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from clearance.orders import OrderLine
from clearance.orders.history import HistoryAudit, audit_history
from clearance.orders.read import Read, portfolio_lines
from clearance.orders.report import html, rows, xlsx

from .orderdata import INDEX, licence, line, screener

MACHINE = {"control_code": "2B001", "kind": "goods", "value": 30000000, "currency": "JPY"}
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def audit(lines: list[OrderLine], regulations: Any, **kwargs: Any) -> HistoryAudit:
    reads: list[Read] = list(enumerate(lines, start=1))
    return audit_history(reads, regulations, index=INDEX, screener=screener, **kwargs)


def test_korea_moved_from_group_a_to_group_b(regulations: Any) -> None:
    general = licence(
        licence_type="general_bulk",
        control_entries=["*"],
        counterparties=["*"],
        value_limit=None,
        currency=None,
        quantity_limit=None,
        unit=None,
        valid_from="2018-04-01",
        valid_to="2021-03-31",
    )
    lines = [
        line(ref=f"M-{day}", date=day, item=MACHINE) for day in ("2019-08-20", "2019-08-27", "2019-08-28", "2019-09-10")
    ]
    result = audit(lines, regulations, licences=[general])
    assert [f.finding for f in result.findings] == ["ok", "ok", "unlicensed", "unlicensed"]
    before, after = result.findings[1], result.findings[2]
    assert before.licence == "METI-2019-IL-0412" and "covers it" in before.message
    assert "general_bulk" in after.message and "cannot authorise it" in after.message
    assert after.rules == ("requirements.listed",) and after.citations
    assert result.by_rule() == {"requirements.listed": 2}


def test_a_licence_that_expired_mid_way(regulations: Any) -> None:
    individual = licence(valid_to="2019-10-31")
    lines = [line(ref=f"HF-{day}", date=day) for day in ("2019-09-10", "2019-10-31", "2019-11-01")]
    result = audit(lines, regulations, licences=[individual])
    assert [f.finding for f in result.findings] == ["ok", "ok", "unlicensed"]
    assert "expired on 2019-10-31" in result.findings[2].message
    assert result.summary().endswith("1 line shipped without the licence they needed.")


def test_lines_beyond_what_the_licence_left_are_exceeded(regulations: Any) -> None:
    small = licence(value_limit="10000000")
    lines = [line(ref="A", date="2019-09-01"), line(ref="B", date="2019-08-20"), line(ref="C", date="2019-09-02")]
    result = audit(lines, regulations, licences=[small])
    by_ref = {f.ref: f for f in result.findings}
    assert by_ref["B"].finding == "ok"  # shipped first: drawn first
    assert by_ref["A"].finding == "exceeded" and "2800000" in by_ref["A"].message
    assert [f.ref for f in result.findings] == ["A", "B", "C"]  # reported in input order
    assert result.counts()["exceeded"] == 2


def test_blocked_parties_undecided_lines_and_unreadable_ones(regulations: Any) -> None:
    unknown = line(
        ref="U",
        destination="CN",
        end_use="unknown",
        date="2019-10-30",
        item={"control_code": None, "hs_code": "8479.89", "kind": "goods", "value": 10000, "currency": "JPY"},
        end_user={"name": "Harbin Northern Aero Components Co. Ltd.", "country": "CN"},
    )
    sdn = line(ref="S", consignee={"name": "STROYGAZMONTAZH", "country": "RU"})
    reads: list[Read] = [
        (1, unknown),
        (2, sdn),
        (3, __import__("clearance.errors").errors.InputError("ref", "required")),
    ]
    result = audit_history(reads, regulations, index=INDEX, screener=screener, licences=[licence()])
    assert [f.finding for f in result.findings] == ["undecided", "blocked_party"]
    assert result.findings[0].missing == ("end_use",)
    assert "SDN" in result.findings[1].message
    assert "verify the party was listed on 2019-08-05" in result.findings[1].notes[-1]  # the list is of 2026
    assert result.errors[0][0] == 3 and "1 unreadable" in result.summary()
    assert [r["position"] for r in rows(result)] == [1, 2, 3]
    assert rows(result)[2] == {"position": 3, "field": "ref", "value": None, "message": "required", "finding": "error"}


def test_the_sample_portfolio_and_its_report(regulations: Any, tmp_path: Path) -> None:
    import orjson

    from clearance.licences import Licence, LicenceTerms

    texts = (EXAMPLES / "licences.jsonl").read_bytes().splitlines()
    held = [Licence(id=n, terms=LicenceTerms.model_validate(orjson.loads(t))) for n, t in enumerate(texts, 1) if t]
    reads = list(portfolio_lines(EXAMPLES / "portfolio", "jp", regulations))
    result = audit_history(reads, regulations, index=INDEX, screener=screener, licences=held)
    assert len(result.findings) == len(reads) and not result.errors
    by_ref = {f.ref: f for f in result.findings}
    assert by_ref["SO-19-0604"].finding == "ok" and by_ref["SO-19-0604"].licence == "METI-2019-IL-0412"
    assert by_ref["SO-19-0620"].finding == "unlicensed"  # after METI-2019-IL-0412 expired (2020-01-09)
    assert by_ref["SO-19-0704"].finding == "undecided"
    page = html(result, generated=dt.datetime(2026, 12, 6, 12, 0))
    assert result.summary() in page and "SO-19-0620" in page and "data:image/svg+xml;base64," in page
    path = tmp_path / "audit.xlsx"
    xlsx(result, path)
    book = load_workbook(path)
    assert book.sheetnames == ["Summary", "Findings", "By month", "By rule"]
    assert len(book["By month"]._charts) == 1 and len(book["By rule"]._charts) == 1
    findings = list(book["Findings"].iter_rows(values_only=True))
    assert len(findings) == len(reads) + 1 and isinstance(findings[1][10], int | float)
    assert book["Summary"]["A1"].value == result.summary()


@pytest.mark.parametrize("month", ["2019-07", "2019-12"])
def test_findings_by_month_count_every_line(regulations: Any, month: str) -> None:
    reads = list(portfolio_lines(EXAMPLES / "portfolio", "jp", regulations))
    result = audit_history(reads, regulations, index=INDEX, screener=screener)
    months = result.by_month()
    assert sum(sum(c.values()) for c in months.values()) == len(reads)
    assert month in months
