"""check_order: every decision path (release with a licence or with no licence needed; hold for a licence, an
undecided fact, a possible hit, an exhausted or nearly exhausted licence; block for a measure and for a list)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from clearance.errors import InputError, PackError
from clearance.law.loader import load_pack
from clearance.law.scenario import read_scenario
from clearance.orders import OrderDecision, OrderLine, check_order, default_policy, read_policy
from clearance.orders.policy import POLICY_FILE
from clearance.orders.screening import party_query
from clearance.screening.decisions import Decision, query_fingerprint

from .orderdata import INDEX, licence, line, screener

PACKS = Path(__file__).resolve().parents[2] / "src" / "clearance" / "regulations"


def run(order: OrderLine, regulations: Any, **kwargs: Any) -> OrderDecision:
    return check_order(order, regulations, index=INDEX, screener=screener, **kwargs)


def kinds(decision: OrderDecision) -> dict[str, str]:
    return {r.kind: r.effect for r in decision.reasons}


def test_release_with_a_licence_that_covers_the_line(regulations: Any) -> None:
    decision = run(line(), regulations, licences=[licence()])
    assert decision.decision == "release"
    assert decision.determination.licence_required is True
    assert kinds(decision) == {"licence": "release"}
    assert decision.licence is not None and decision.licence["number"] == "METI-2019-IL-0412"
    assert "METI-2019-IL-0412" in decision.reasons[0].message


def test_release_when_no_licence_is_needed(regulations: Any) -> None:
    order = line(date="2019-06-20")  # before the 2019-07-04 measure: general bulk licences, but still listed
    assert run(order, regulations).decision == "hold"  # a listed item needs a licence whatever the date
    unlisted = line(
        destination="US",
        item={"control_code": None, "hs_code": "2811.11", "kind": "goods", "value": 10000, "currency": "JPY"},
        end_user={"name": "Cascade Microfab Inc.", "country": "US"},
    )
    decision = run(unlisted, regulations)
    assert decision.decision == "release", decision.reasons
    assert decision.determination.licence_required is False
    assert kinds(decision) == {"no_licence_needed": "release"}
    assert decision.licence is None


def test_hold_when_a_licence_is_needed_and_none_covers(regulations: Any) -> None:
    other_party = licence(counterparties=["Daehan Display Materials Inc."])
    decision = run(line(), regulations, licences=[other_party])
    assert decision.decision == "hold"
    reason = next(r for r in decision.reasons if r.kind == "licence_needed")
    assert reason.effect == "hold" and "listed" in reason.message
    assert reason.details["nearest"][0]["refusals"][0]["reason"] == "counterparty_not_covered"
    expired = run(line(date="2020-01-20"), regulations, licences=[licence()])
    assert kinds(expired)["licence_needed"] == "hold"


def test_hold_when_the_determination_is_undecided(regulations: Any) -> None:
    order = line(
        destination="CN",
        item={"control_code": None, "hs_code": "8479.89", "kind": "goods", "value": 10000, "currency": "JPY"},
        end_use="unknown",
        end_user={"name": "Shenzhen Xinguang Electronics Co. Ltd.", "country": "CN"},
        date="2024-05-01",
    )
    decision = run(order, regulations)
    assert decision.determination.licence_required is None
    assert decision.decision == "hold"
    open_points = [r for r in decision.reasons if r.kind == "undecided"]
    assert open_points and all(r.effect == "hold" for r in open_points)
    assert any("end_use" in r.details["missing"] for r in open_points)


def test_an_undecided_line_goes_under_a_licence_that_covers_it_whatever_the_answer(regulations: Any) -> None:
    order = line(
        destination="CN",
        item={"control_code": None, "hs_code": "8479.89", "kind": "goods", "value": 10000, "currency": "JPY"},
        end_use="unknown",
        end_user={"name": "Shenzhen Xinguang Electronics Co. Ltd.", "country": "CN"},
        date="2019-08-05",
    )
    wide = licence(destinations=["CN"], control_entries=["*"], counterparties=["*"], value_limit=None, currency=None)
    decision = run(order, regulations, licences=[wide])
    assert decision.determination.licence_required is None
    assert decision.decision == "release", decision.reasons
    notes = [r for r in decision.reasons if r.kind == "undecided"]
    assert notes and all(r.effect == "note" and "whatever the answer" in r.message for r in notes)


def test_hold_for_a_possible_hit_and_block_for_a_certain_one(regulations: Any) -> None:
    sdn = run(line(consignee={"name": "Stroygazmontazh", "country": "RU"}), regulations, licences=[licence()])
    assert sdn.decision == "block"
    reason = next(r for r in sdn.reasons if r.kind == "list_entry")
    assert reason.effect == "block" and reason.party == "consignee"
    assert reason.details["entry_id"] == "us-csl:SDN-16828" and "SDN" in reason.message
    possible = run(line(purchaser={"name": "Stroygasmontazh", "country": "RU"}), regulations, licences=[licence()])
    hit = possible.parties[1].hits
    assert possible.decision == "hold", possible.reasons
    assert kinds(possible)["possible_hit"] == "hold"
    assert hit and hit[0]["score"] < default_policy().screening.certain_score


def test_the_entity_list_holds_and_the_asset_freeze_blocks(regulations: Any) -> None:
    el = run(line(intermediaries=[{"name": "Northern Aero Propulsion Institute", "country": "CN"}]), regulations)
    reason = next(r for r in el.reasons if r.kind == "list_entry")
    assert (reason.effect, reason.party) == ("hold", "intermediaries[0]")
    frozen = run(line(consignee={"name": "Korea Ryonbong General Corporation"}), regulations, licences=[licence()])
    assert frozen.decision == "block"


def test_the_end_user_list_holds_unless_a_licence_covers_the_line(regulations: Any) -> None:
    eul = {"name": "Harbin Orient Precision Works", "country": "CN"}
    held = run(line(consignee=eul), regulations)
    assert kinds(held)["end_user_list"] == "hold"
    covered = run(line(consignee=eul), regulations, licences=[licence()])
    assert covered.decision == "release" and kinds(covered)["end_user_list"] == "note"


def test_a_false_positive_on_file_clears_the_hit(regulations: Any) -> None:
    party = {"name": "Stroygazmontazh", "country": "RU"}
    query = party_query(party["name"], party["country"])
    entry = next(p for p in INDEX.parties if p.source_id == "SDN-16828")
    cleared = Decision(
        "k", entry.id, "false_positive", "another company", "bob", query_fingerprint(query), entry.fingerprint, "t"
    )

    def decisions(asked: Any) -> dict[str, Decision]:
        return {entry.id: cleared} if asked == query else {}

    decision = run(line(consignee=party), regulations, licences=[licence()], decisions=decisions)
    reason = next(r for r in decision.reasons if r.party == "consignee")
    assert reason.kind == "cleared_hit" and reason.effect == "note" and "another company" in reason.message
    assert decision.decision == "release"
    renamed = run(line(consignee={**party, "country": "BY"}), regulations, licences=[licence()], decisions=decisions)
    # a decision is for the party as screened: in another country it is another party, screened afresh
    assert renamed.decision != "release"
    assert next(r for r in renamed.reasons if r.party == "consignee").kind != "cleared_hit"


def test_hold_for_an_exhausted_licence_and_for_one_nearly_exhausted(regulations: Any) -> None:
    exhausted = run(line(), regulations, licences=[licence(value_used=Decimal(35000000))])
    reason = next(r for r in exhausted.reasons if r.kind == "licence_exhausted")
    assert exhausted.decision == "hold" and reason.effect == "hold" and "overdraw" not in reason.message
    assert "exceeds" in reason.message
    by_quantity = run(line(quantity=10, unit="cylinder"), regulations, licences=[licence(quantity_used=Decimal(295))])
    assert kinds(by_quantity)["licence_exhausted"] == "hold"
    nearly = run(line(), regulations, licences=[licence(value_used=Decimal(30000000))])
    assert nearly.decision == "hold"
    assert kinds(nearly) == {"licence": "release", "licence_nearly_exhausted": "hold"}


def test_block_for_a_measure_the_policy_blocks_on(regulations: Any, tmp_path: Path) -> None:
    scenario = tmp_path / "ban.yaml"
    scenario.write_text(
        """
scenario: Approval ban on exports to Russia (test)
regime: jp
sources:
  test_ban: {title: "Test approval ban", kind: secondary, class: secondary}
requirements:
  ru_approval_ban:
    label: Export to Russia prohibited in principle (approval required)
    basis: approval_ban
    values:
      2022-03-18:
        when: {destination_is: [RU]}
        sources: [test_ban]
        verified: false
""",
        encoding="utf-8",
    )
    pack = load_pack(PACKS / "jp", scenario=read_scenario(scenario))
    order = line(destination="RU", date="2023-01-10", end_user={"name": "Some Buyer LLC", "country": "RU"})
    decision = check_order(order, pack, index=INDEX, screener=screener, licences=[licence(destinations=["*"])])
    assert decision.decision == "block"
    reason = decision.reasons[0]
    assert (reason.kind, reason.effect) == ("prohibited", "block")
    assert reason.details["basis"] == "approval_ban"
    assert set(reason.details["citations"]) & {"test_ban", "eo_art_2_1_ru_by"}
    before = check_order(
        order.model_copy(update={"date": order.date.replace(year=2021)}), pack, index=INDEX, screener=screener
    )
    assert before.decision != "block"


def test_a_line_names_its_reference_and_bad_input_names_the_field() -> None:
    with pytest.raises(ValueError, match="ref"):
        OrderLine.model_validate({**line().model_dump(mode="json"), "ref": None})
    with pytest.raises(ValueError, match="quantity and unit go together"):
        line(quantity=3)
    assert [role for role, _ in line(consignee=HANBIT_, intermediaries=[HANBIT_, HANBIT_]).parties()] == [
        "end_user",
        "consignee",
        "intermediaries[0]",
        "intermediaries[1]",
    ]


HANBIT_ = {"name": "X Co", "country": "KR"}


def test_the_decision_as_plain_data_names_versions_and_policy(regulations: Any) -> None:
    data = run(line(), regulations, licences=[licence()]).to_dict()
    assert data["ref"] == "SO-19-0604/1" and data["decision"] == "release"
    assert {"us-csl", "jp-mof-asset-freeze", "jp-meti-eul"} <= set(data["list_versions"])
    assert data["policy_version"].startswith(default_policy().version)
    assert data["determination"]["licence_required"] is True
    assert [r["key"] for r in data["reasons"]] == ["licence::1"]


def test_the_policy_is_read_strictly(tmp_path: Path) -> None:
    bad = tmp_path / "policy.yaml"
    text = POLICY_FILE.read_text(encoding="utf-8")
    bad.write_text(
        text.replace("consequence: hold\n    label: BIS Entity List", "consequence: pause\n    label: BIS Entity List")
    )
    with pytest.raises(PackError, match=r"policy.yaml: lists\[3\]\.consequence"):
        read_policy(bad)
    bad.write_text(text.replace("certain_score: 0.95", "certain_score: 0.5"))
    with pytest.raises(PackError, match="certain_score must not be below review_score"):
        read_policy(bad)


def test_an_unknown_control_code_is_an_input_error(regulations: Any) -> None:
    with pytest.raises(InputError, match=r"item\.control_code"):
        run(line(item={"control_code": "9Z999", "kind": "goods"}), regulations)
