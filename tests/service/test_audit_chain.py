"""The hash chain (pure): sealing, verification naming the first bad record, and replay diffs."""

from __future__ import annotations

import dataclasses
from typing import Any

from clearance.audit import GENESIS, NOTICE, Entry, Head, canonical_text, diff, seal, verify


def _chain(n: int) -> list[Entry]:
    entries: list[Entry] = []
    prev = GENESIS
    for seq in range(1, n + 1):
        entry = seal(
            seq,
            prev,
            kind="determination",
            actor="test",
            at=f"2026-01-01T00:00:{seq:02d}.000000Z",
            subject=f"SO-{seq}",
            inputs=canonical_text({"n": seq}),
            outputs=canonical_text({"licence_required": seq % 2 == 0}),
            data_version="jp-x",
            list_versions="{}",
            key=None,
        )
        entries.append(entry)
        prev = entry.hash
    return entries


def _head(entries: list[Entry]) -> Head:
    return Head(entries[-1].seq, entries[-1].hash)


def test_an_intact_chain_verifies() -> None:
    entries = _chain(5)
    result = verify(entries, _head(entries))
    assert result.ok and result.checked == 5


def test_an_empty_chain_verifies() -> None:
    assert verify([], Head(0, GENESIS)).ok


def test_an_edit_is_named() -> None:
    entries = _chain(5)
    head = _head(entries)
    entries[2] = dataclasses.replace(entries[2], outputs=canonical_text({"licence_required": True}))
    result = verify(entries, head)
    assert result.finding is not None and (result.finding.seq, result.finding.problem) == (3, "edited")


def test_a_rehashed_edit_breaks_the_next_link() -> None:
    entries = _chain(5)
    head = _head(entries)
    forged = dataclasses.replace(entries[1], actor="someone else")
    entries[1] = dataclasses.replace(forged, hash=forged.computed_hash())
    result = verify(entries, head)
    assert result.finding is not None and (result.finding.seq, result.finding.problem) == (3, "out_of_order")


def test_a_deletion_is_named() -> None:
    entries = _chain(5)
    head = _head(entries)
    del entries[1]
    result = verify(entries, head)
    assert result.finding is not None and (result.finding.seq, result.finding.problem) == (3, "missing")
    assert "2" in result.finding.message


def test_a_swap_is_named() -> None:
    entries = _chain(5)
    head = _head(entries)
    a, b = entries[1], entries[2]
    entries[1], entries[2] = dataclasses.replace(b, seq=2), dataclasses.replace(a, seq=3)
    result = verify(entries, head)
    assert result.finding is not None and (result.finding.seq, result.finding.problem) == (2, "out_of_order")


def test_a_deleted_tail_is_named() -> None:
    entries = _chain(5)
    head = _head(entries)
    result = verify(entries[:3], head)
    assert result.finding is not None and (result.finding.seq, result.finding.problem) == (4, "truncated")


def _sealed(seq: int, prev: str, kind: str = "determination", outputs: Any = None) -> Entry:
    return seal(
        seq,
        prev,
        kind=kind,
        actor="test",
        at="2026-01-02T00:00:00.000000Z",
        subject=None,
        inputs="{}",
        outputs=canonical_text(outputs or {}),
        data_version=None,
        list_versions="{}",
        key=None,
    )


def test_a_record_past_the_head_is_named() -> None:
    entries = _chain(3)
    head = _head(entries)
    stray = _sealed(4, head.hash)  # chained onto the head, but the head never moved to it
    result = verify([*entries, stray], head)
    assert result.finding is not None and (result.finding.seq, result.finding.problem) == (4, "inserted")


def test_records_listed_by_a_notice_are_skipped_and_named() -> None:
    entries = _chain(3)
    stray = _sealed(4, entries[-1].hash)
    notice = _sealed(5, entries[-1].hash, NOTICE, {"records": [{"seq": 4, "hash": stray.hash}]})
    after = _sealed(6, notice.hash)
    head = Head(6, after.hash)
    result = verify([*entries, stray, notice, after], head)
    assert result.finding is not None and (result.finding.seq, result.finding.problem) == (4, "inserted")
    assert result.checked == 6
    assert verify([*entries, notice, after], head).ok  # the stray removed: the chain is whole
    unlisted = _sealed(5, entries[-1].hash)  # a record that is no notice may not jump over a number
    found = verify([*entries, unlisted], Head(5, unlisted.hash)).finding
    assert found is not None and (found.seq, found.problem) == (5, "out_of_order")


def test_hashes_depend_on_every_field() -> None:
    entry = _chain(1)[0]
    for field, value in [
        ("kind", "drawdown"),
        ("actor", "x"),
        ("at", "2027-01-01T00:00:00.000000Z"),
        ("subject", None),
        ("inputs", "{}"),
        ("data_version", "jp-y"),
        ("list_versions", '{"a":"1"}'),
        ("key", "k"),
        ("prev_hash", "1" * 64),
    ]:
        assert dataclasses.replace(entry, **{field: value}).computed_hash() != entry.hash, field


def test_diff_names_paths() -> None:
    then: dict[str, Any] = {"a": 1, "b": [1, 2], "c": {"d": "x"}, "gone": True}
    now: dict[str, Any] = {"a": 1, "b": [1, 3], "c": {"d": "y"}, "new": 1}
    assert {d.path: (d.then, d.now) for d in diff(then, now)} == {
        "b[1]": (2, 3),
        "c.d": ("x", "y"),
        "gone": (True, None),
        "new": (None, 1),
    }
