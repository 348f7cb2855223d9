"""The four-eyes workflow of held and blocked orders, on SQLite and PostgreSQL: a reviewer resolves each reason,
release needs an officer who did not request the order, a block needs an admin and a written reason, and every
step is an audit record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from clearance.errors import ConflictError, InputError, PermissionDeniedError
from clearance.screening.model import ListVersion, Party
from clearance.store import Store
from orders.orderdata import LISTS, licence, line

ALICE, BOB, CAROL = "key:A:alice", "key:B:bob", "key:C:carol"


@pytest.fixture
def book(db_url: str) -> Iterator[Store]:
    store = Store(db_url, bundled_lists=())
    for version in LISTS:
        store.lists.save(version, "test")
    yield store
    store.close()


def test_a_line_released_by_its_check_needs_no_reviewer(book: Store, regulations: Any) -> None:
    book.licences.add(licence().terms, "test", regulations)
    order = book.orders.submit(line(), regulations, ALICE)
    assert (order.state, order.open_reasons) == ("released", [])
    assert [r["kind"] for r in book.orders.history(order.id)] == ["order.checked"]


def test_the_requester_cannot_release_and_an_analyst_cannot_release(book: Store, regulations: Any) -> None:
    order = book.orders.submit(line(), regulations, ALICE)
    assert order.state == "held" and [r["kind"] for r in order.open_reasons] == ["licence_needed"]
    book.licences.add(licence().terms, "test", regulations)
    resolved = book.orders.resolve(
        order.id, order.open_reasons[0]["key"], "recheck", "", actor=ALICE, role="analyst", regulations=regulations
    )
    assert resolved.state == "held" and resolved.open_reasons == []  # still held: four eyes
    with pytest.raises(PermissionDeniedError, match="four eyes"):
        book.orders.release(order.id, actor=ALICE, role="officer", regulations=regulations)
    with pytest.raises(PermissionDeniedError, match="officer"):
        book.orders.release(order.id, actor=BOB, role="analyst", regulations=regulations)
    released = book.orders.release(order.id, actor=BOB, role="officer", regulations=regulations, note="licence on file")
    assert released.state == "released"
    kinds = [(r["kind"], r["actor"]) for r in book.orders.history(order.id)]
    assert kinds == [("order.checked", ALICE), ("order.resolved", ALICE), ("order.released", BOB)]
    assert book.audit.verify().ok


def test_release_is_refused_while_a_reason_is_open(book: Store, regulations: Any) -> None:
    order = book.orders.submit(line(), regulations, ALICE)
    with pytest.raises(ConflictError, match="licence_needed"):
        book.orders.release(order.id, actor=BOB, role="officer", regulations=regulations)


def test_a_possible_hit_cleared_as_a_false_positive_is_remembered(book: Store, regulations: Any) -> None:
    book.licences.add(licence().terms, "test", regulations)
    party = {"name": "Stroygasmontazh", "country": "RU"}
    order = book.orders.submit(line(consignee=party), regulations, ALICE)
    reason = order.open_reasons[0]
    assert order.state == "held" and reason["kind"] == "possible_hit"
    with pytest.raises(PermissionDeniedError, match="officer"):
        book.orders.resolve(
            order.id, reason["key"], "false_positive", "x", actor=ALICE, role="analyst", regulations=regulations
        )
    with pytest.raises(InputError, match="note"):
        book.orders.resolve(
            order.id, reason["key"], "false_positive", " ", actor=BOB, role="officer", regulations=regulations
        )
    cleared = book.orders.resolve(
        order.id,
        reason["key"],
        "false_positive",
        "a road builder in Kazan, not the SDN",
        actor=BOB,
        role="officer",
        regulations=regulations,
    )
    assert cleared.open_reasons == []
    assert any(r["kind"] == "cleared_hit" for r in cleared.checked["reasons"])
    again = book.orders.submit(line(ref="SO-2", consignee=party), regulations, ALICE)
    assert again.state == "released"  # the good-guy list remembers the party


def test_an_accepted_judgement_needs_an_officer_and_a_note(book: Store, regulations: Any) -> None:
    book.licences.add(licence().terms, "test", regulations)
    el = {"name": "Northern Aero Propulsion Institute", "country": "CN"}
    order = book.orders.submit(line(intermediaries=[el]), regulations, ALICE)
    reason = order.open_reasons[0]
    assert reason["kind"] == "list_entry" and reason["effect"] == "hold"
    with pytest.raises(InputError, match="action"):
        book.orders.resolve(order.id, reason["key"], "recheck", "", actor=BOB, role="officer", regulations=regulations)
    accepted = book.orders.resolve(
        order.id,
        reason["key"],
        "accepted",
        "no US-origin content (EAR de minimis checked)",
        actor=BOB,
        role="officer",
        regulations=regulations,
    )
    assert accepted.open_reasons == [] and accepted.resolutions[0]["action"] == "accepted"
    with pytest.raises(PermissionDeniedError, match="four eyes"):
        book.orders.release(order.id, actor=ALICE, role="admin", regulations=regulations)
    assert book.orders.release(order.id, actor=CAROL, role="officer", regulations=regulations).state == "released"


def test_facts_supplied_decide_an_undecided_line(book: Store, regulations: Any) -> None:
    order = book.orders.submit(
        line(
            destination="CN",
            item={"control_code": None, "hs_code": "8479.89", "kind": "goods", "value": 10000, "currency": "JPY"},
            end_use="unknown",
            end_user={"name": "Shenzhen Xinguang Electronics Co. Ltd.", "country": "CN"},
            date="2024-05-01",
        ),
        regulations,
        ALICE,
    )
    assert {r["kind"] for r in order.open_reasons} == {"undecided"}
    key = order.open_reasons[0]["key"]
    with pytest.raises(InputError, match=r"facts\.end_use"):
        book.orders.resolve(
            order.id,
            key,
            "recheck",
            "",
            actor=ALICE,
            role="analyst",
            regulations=regulations,
            facts={"end_use": "peaceful"},
        )
    done = book.orders.resolve(
        order.id,
        key,
        "recheck",
        "end-use certificate received",
        actor=ALICE,
        role="analyst",
        regulations=regulations,
        facts={"end_use": "civil"},
    )
    assert done.open_reasons == [] and done.line["end_use"] == "civil" and done.state == "held"
    assert book.orders.release(order.id, actor=BOB, role="officer", regulations=regulations).state == "released"


def test_a_block_is_lifted_only_by_an_admin_with_a_reason(book: Store, regulations: Any) -> None:
    book.licences.add(licence().terms, "test", regulations)
    order = book.orders.submit(line(consignee={"name": "STROYGAZMONTAZH", "country": "RU"}), regulations, ALICE)
    assert order.state == "blocked"
    key = order.open_reasons[0]["key"]
    with pytest.raises(PermissionDeniedError, match="admin"):
        book.orders.resolve(order.id, key, "false_positive", "no", actor=BOB, role="admin", regulations=regulations)
    with pytest.raises(ConflictError, match="lift the block"):
        book.orders.release(order.id, actor=BOB, role="officer", regulations=regulations)
    with pytest.raises(PermissionDeniedError, match="admin"):
        book.orders.lift_block(order.id, "licence from OFAC", actor=BOB, role="officer")
    with pytest.raises(InputError, match="reason"):
        book.orders.lift_block(order.id, "  ", actor=CAROL, role="admin")
    lifted = book.orders.lift_block(order.id, "OFAC specific licence 2019-123 on file", actor=CAROL, role="admin")
    assert lifted.state == "held" and lifted.resolutions[0]["action"] == "block_lifted"
    released = book.orders.release(order.id, actor=BOB, role="officer", regulations=regulations)
    assert released.state == "released"
    kinds = [r["kind"] for r in book.orders.history(order.id)]
    assert kinds == ["order.checked", "order.block_lifted", "order.released"]
    assert book.orders.ship(order.id, actor=ALICE).state == "shipped"
    with pytest.raises(ConflictError, match="shipped"):
        book.orders.submit(line(consignee={"name": "STROYGAZMONTAZH", "country": "RU"}), regulations, ALICE)


def _freeze(extra: str) -> ListVersion:
    base = next(v for v in LISTS if v.list_id == "jp-mof-asset-freeze")
    added = Party.build("jp-mof-asset-freeze", "9-2", "LegalEntity", [extra])
    return ListVersion(base.list_id, base.title, dt.date(2026, 2, 1), "test", (*base.parties, added))


def test_a_list_import_puts_released_orders_that_now_hit_on_hold(book: Store, regulations: Any) -> None:
    book.licences.add(licence().terms, "test", regulations)
    released = book.orders.submit(line(consignee={"name": "Daesong Trading Corporation"}), regulations, ALICE)
    held = book.orders.submit(line(ref="SO-held", end_user={"name": "Other Co", "country": "KR"}), regulations, ALICE)
    shipped = book.orders.submit(
        line(ref="SO-shipped", consignee={"name": "Daesong Trading Corporation"}), regulations, ALICE
    )
    book.orders.ship(shipped.id, actor=ALICE)
    assert (released.state, held.state) == ("released", "held")
    assert book.orders.recheck(regulations, actor=BOB, stale_only=True) == []  # nothing changed since the checks
    book.lists.save(_freeze("Daesong Trading Corporation"), "test")
    results = {r.ref: r for r in book.orders.recheck(regulations, actor=BOB, stale_only=True)}
    assert set(results) == {released.ref, held.ref}  # shipped orders are not checked again
    hit = results[released.ref]
    assert (hit.state_before, hit.state, hit.decision) == ("released", "blocked", "block")
    assert hit.new_reasons[0]["details"]["entry_id"] == "jp-mof-asset-freeze:9-2"
    assert not results[held.ref].changed
    assert [r["kind"] for r in book.orders.history(released.id)] == ["order.checked", "order.rechecked"]
    assert book.orders.get(shipped.id).state == "shipped"
    again = book.orders.recheck(regulations, actor=BOB)
    assert all(not r.changed for r in again) and len(again) == 2
