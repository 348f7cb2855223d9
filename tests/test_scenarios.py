"""Worked determination cases through the real CLI: ../shared/scenarios and our own tests/cases/."""

from __future__ import annotations

import json
from typing import Any

import pytest

from support import ROOT, as_json, check_expectations, load_scenarios, run_cli, shared_path

SUPPORTED = {"jp", "kr"}


def _shared_cases() -> list[Any]:
    try:
        path = shared_path("scenarios", "jp-kr-determinations.yaml")
    except pytest.skip.Exception as exc:
        return [pytest.param(None, marks=pytest.mark.skip(reason=str(exc)), id="shared-missing")]
    cases = [c for c in load_scenarios(path) if c["input"]["regime"] in SUPPORTED]
    return [pytest.param(c, id=c["name"][:70]) for c in cases]


def _own_cases() -> list[Any]:
    params = []
    for path in sorted((ROOT / "tests" / "cases").rglob("*.yaml")):
        if "classify" in path.parent.parts:  # classification cases (tests/classify/test_assess.py)
            continue
        for case in load_scenarios(path):
            params.append(pytest.param(case, id=f"{path.stem}: {case['name'][:60]}"))
    return params


def _run(case: dict[str, Any]) -> None:
    result = run_cli("determine", "--json", "-", stdin=as_json(case["input"]))
    expect = case["expect"]
    if "error_mentions" in expect:
        assert result.returncode == 2, result.stderr
        assert result.stdout == ""
        assert expect["error_mentions"] in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        return
    assert result.returncode == 0, result.stderr
    problems = check_expectations(expect, json.loads(result.stdout))
    assert not problems, "; ".join(problems)


@pytest.mark.parametrize("case", _shared_cases())
def test_shared_scenario(case: dict[str, Any]) -> None:
    _run(case)


@pytest.mark.parametrize("case", _own_cases())
def test_own_case(case: dict[str, Any]) -> None:
    _run(case)


@pytest.mark.parametrize("regime", ["jp", "kr"])
def test_own_cases_cover_every_effective_date(regulations: Any, regime: str) -> None:
    """Each date on which a pack changes has a case the day before and a case on the day."""
    import datetime as dt

    dates = set()
    for path in (ROOT / "tests" / "cases").rglob(f"{regime}*.yaml"):
        dates |= {str(c["input"]["date"]) for c in load_scenarios(path) if c["input"]["regime"] == regime}
    pack = regulations[regime]
    missing = []
    for when in pack.change_dates:
        if when == pack.meta.coverage_from:
            continue
        before = (when - dt.timedelta(days=1)).isoformat()
        if when.isoformat() not in dates or before not in dates:
            missing.append(when.isoformat())
    assert not missing, f"no {regime} case on each side of: {missing}"
