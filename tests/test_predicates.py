"""The predicate registry: each predicate's meaning, three-valued logic, and argument checking."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearance.law.facts import Facts
from clearance.law.predicates import PREDICATES, Unknown, bind, describe, parse_condition


class _Lists:
    def __init__(self, **lists: list[str]) -> None:
        self.lists = {k: frozenset(v) for k, v in lists.items()}

    def list_members(self, list_id: str) -> frozenset[str] | None:
        return self.lists.get(list_id)


def _check(raw: dict[str, Any], facts: Facts, **lists: list[str]) -> bool | Unknown:
    return bind(parse_condition(raw), _Lists(**lists))(facts)


def _needs(*fields: str) -> Unknown:
    return Unknown(frozenset(fields))


def _facts(**kw: Any) -> Facts:
    base: dict[str, Any] = {"destination": "KR", "kind": "goods", "end_use": "civil"}
    base.update(kw)
    return Facts(**base)


def test_exporter_has_is_unknown_without_the_attribute() -> None:
    assert _check({"exporter_has": {"cp_grade": ["AA", "AAA"]}}, _facts()) == _needs("exporter.cp_grade")
    assert _check({"exporter_has": {"cp_grade": ["AA", "AAA"]}}, _facts(exporter={"cp_grade": "aaa"})) is True
    assert _check({"exporter_has": {"cp_grade": ["AA", "AAA"]}}, _facts(exporter={"cp_grade": "A"})) is False


def test_exporter_at_least() -> None:
    rule = {"exporter_at_least": {"prior_exports_to_buyer_2y": 3}}
    assert _check(rule, _facts(exporter={"prior_exports_to_buyer_2y": 3})) is True
    assert _check(rule, _facts(exporter={"prior_exports_to_buyer_2y": "2"})) is False
    assert _check(rule, _facts(exporter={"prior_exports_to_buyer_2y": "many"})) is False
    assert _check(rule, _facts()) == _needs("exporter.prior_exports_to_buyer_2y")


def test_red_flag_reported() -> None:
    assert _check({"red_flag_reported": True}, _facts(red_flags=("unusual_route",))) is True
    assert _check({"red_flag_reported": True}, _facts()) is False


def test_value_at_most_needs_the_same_currency() -> None:
    rule = {"value_at_most": {"amount": 1000000, "currency": "JPY"}}
    assert _check(rule, _facts(value=Decimal(1000000), currency="JPY")) is True
    assert _check(rule, _facts(value=Decimal(1000001), currency="JPY")) is False
    assert _check(rule, _facts(value=Decimal(5), currency="USD")) == _needs("item.value in JPY")
    assert _check(rule, _facts()) == _needs("item.value")


def test_unknown_that_cannot_change_the_outcome_does_not_matter() -> None:
    unknown = {"exporter_has": {"cp_grade": ["AAA"]}}
    false = {"destination_is": ["JP"]}
    true = {"destination_is": ["KR"]}
    assert _check({"all": [false, unknown]}, _facts()) is False
    assert _check({"all": [true, unknown]}, _facts()) == _needs("exporter.cp_grade")
    assert _check({"any": [true, unknown]}, _facts()) is True
    assert _check({"any": [false, unknown]}, _facts()) == _needs("exporter.cp_grade")
    assert _check({"not": unknown}, _facts()) == _needs("exporter.cp_grade")


def test_unknowns_name_every_field_they_turn_on() -> None:
    cp = {"exporter_has": {"cp_grade": ["AAA"]}}
    use = {"end_use_in": ["wmd"]}
    assert _check({"all": [cp, use]}, _facts(end_use="unknown")) == _needs("exporter.cp_grade", "end_use")
    assert _check({"any": [cp, use]}, _facts(end_use="unknown")) == _needs("exporter.cp_grade", "end_use")


def test_an_unknown_has_no_truth_value() -> None:
    """An undecided condition can never be read as false by accident."""
    with pytest.raises(TypeError):
        bool(_needs("end_use"))


def test_a_row_among_candidates_is_unknown_until_the_hs_code_says() -> None:
    facts = _facts(row=None, row_candidates=frozenset({"16"}))
    assert _check({"item_in_rows": ["16"]}, facts) == _needs("item.hs_code")
    assert _check({"item_in_rows": ["1", "2"]}, facts) is False


def test_a_row_among_candidates_asks_for_what_decides_it() -> None:
    facts = _facts(row=None, row_candidates=frozenset({"16(1)", "16(2)"}), row_needs="item: part of 88.06 goods?")
    assert _check({"item_in_rows": ["16(1)"]}, facts) == _needs("item: part of 88.06 goods?")


def test_a_text_not_held_is_always_undecided_and_named() -> None:
    needs = "METI notice under Appended Table 3-3"
    assert _check({"text_not_held": needs}, _facts()) == _needs(needs)
    assert _check({"all": [{"text_not_held": needs}, {"informed": True}]}, _facts()) is False


def test_lists_and_groups() -> None:
    assert _check({"destination_in_list": "white"}, _facts(), white=["KR", "DE"]) is True
    assert _check({"destination_in_group": ["A"]}, _facts(group="B")) is False


def test_item_code_in_covers_sub_paragraphs() -> None:
    assert _check({"item_code_in": ["3C002"]}, _facts(code="3C002.a.2")) is True
    assert _check({"item_code_in": ["3C002.b"]}, _facts(code="3C002.a.2")) is False
    assert _check({"item_code_in": ["3C002"]}, _facts(code="3C0021")) is False


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ({"destination_is": []}, "non-empty list"),
        ({"informed": "yes"}, "true or false"),
        ({"value_at_most": {"amount": "lots", "currency": "JPY"}}, "not a number"),
        ({"exporter_at_least": {"orders": "x"}}, "must be numbers"),
        ({"all": []}, "non-empty list"),
        ({"destination_is": ["KR"], "informed": True}, "exactly one predicate"),
        ({"item_code_in": ["resist"]}, "not a control code"),
    ],
)
def test_bad_arguments_are_rejected_with_the_path(raw: dict[str, Any], words: str) -> None:
    with pytest.raises(ValueError, match=words) as caught:
        parse_condition(raw, "x.when")
    assert str(caught.value).startswith("x.when")


def test_every_predicate_is_documented() -> None:
    for name, spec in PREDICATES.items():
        assert spec.doc and spec.argument, name


@given(st.booleans(), st.booleans(), st.sampled_from(["civil", "wmd", "unknown"]))
def test_describe_never_fails(informed: bool, listed: bool, end_use: str) -> None:
    cond = parse_condition({"all": [{"informed": informed}, {"not": {"end_use_in": [end_use]}}]})
    assert "informed" in describe(cond)
