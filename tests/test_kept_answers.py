"""Keys' answers kept across runs (clearance.engine.kept): the next batch writes the same bytes without deciding the
keys kept, and a changed pack, list or damaged file is never read back."""

from __future__ import annotations

import copy
import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings

from clearance.engine import keyed as keyed_module
from clearance.engine.batch import record_lines
from clearance.engine.columns import record_tables
from clearance.engine.io import parse_shipment
from clearance.engine.kept import KeptAnswers, scope
from clearance.engine.keyed import KeyAnswer, Keyed
from test_engine_columns import _expected, _table, answerable
from test_keyed import BUNDLED, batches

SCOPE = "test"


def _lines(batch: list[dict[str, Any]]) -> list[bytes]:
    return [orjson.dumps(line, default=str) for line in batch]


def _records(regulations: Any, lines: list[bytes], kept: KeptAnswers | None) -> list[tuple[int, bytes, bool]]:
    return list(record_lines(lines, regulations, parse_shipment, BUNDLED, kept=kept))


def _undecided(monkeypatch: pytest.MonkeyPatch) -> None:
    """Deciding a key fails: every key must come from the kept answers."""

    def fail(*_: Any) -> Any:
        raise AssertionError("a kept key was decided again")

    monkeypatch.setattr(keyed_module, "decide", fail)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(batches() | answerable())
def test_a_batch_over_kept_answers_writes_the_same_records_without_deciding_them(
    regulations: Any, tmp_path_factory: pytest.TempPathFactory, batch: list[dict[str, Any]]
) -> None:
    folder, lines = tmp_path_factory.mktemp("kept"), _lines(batch)
    expected = _records(regulations, lines, None)
    assert _records(regulations, lines, KeptAnswers(folder, SCOPE)) == expected  # the first run keeps its keys
    table = _table(batch)
    rows = b"".join(record + b"\n" for record, _ in _expected(Keyed(regulations, BUNDLED), table, 1))
    with pytest.MonkeyPatch.context() as monkeypatch:
        _undecided(monkeypatch)
        assert _records(regulations, lines, KeptAnswers(folder, SCOPE)) == expected
        tables = list(record_tables([table], regulations, parse_shipment, BUNDLED, kept=KeptAnswers(folder, SCOPE)))
        written = b"".join(bytes(records.lines) for records in tables)
        assert written == rows


def test_answers_are_kept_under_the_packs_versions_and_the_screeners_lists(regulations: Any) -> None:
    changed = copy.copy(regulations["jp"])
    changed.data_version = "another"
    assert scope(regulations, "lists") == scope(dict(regulations), "lists")
    assert scope(regulations, "lists") != scope({**regulations, "jp": changed}, "lists")
    assert scope(regulations, "lists") != scope(regulations, "other lists")
    assert BUNDLED.lists_digest == BUNDLED.lists_digest and len(BUNDLED.lists_digest) == 64


def test_answers_of_another_scope_or_a_damaged_file_are_not_read(
    regulations: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    line = {
        "regime": "jp",
        "date": "2020-01-10",
        "destination": "CN",
        "item": {"control_code": "1C350", "kind": "goods"},
    }
    lines = [orjson.dumps(line), orjson.dumps({**line, "end_user": {"name": "Admiralty Shipyard JSC"}})]
    expected = _records(regulations, lines, None)
    assert _records(regulations, lines, KeptAnswers(tmp_path, "one")) == expected
    (kept,) = tmp_path.glob("answers-*.sqlite")
    decided: list[Any] = []
    real = keyed_module.decide
    monkeypatch.setattr(keyed_module, "decide", lambda *a: decided.append(a) or real(*a))
    assert _records(regulations, lines, KeptAnswers(tmp_path, "one")) == expected
    assert decided == []
    assert _records(regulations, lines, KeptAnswers(tmp_path, "two")) == expected  # another scope: decided
    assert len(decided) == 2
    with closing(sqlite3.connect(kept)) as db, db:  # rows damaged: ignored, decided and written again
        rows = db.execute("SELECT id, entry FROM keys").fetchall()
        db.executemany("UPDATE keys SET entry = ? WHERE id = ?", [(entry[:-1] + b"?", n) for n, entry in rows])
    assert _records(regulations, lines, KeptAnswers(tmp_path, "one")) == expected
    assert len(decided) == 4
    assert _records(regulations, lines, KeptAnswers(tmp_path, "one")) == expected
    assert len(decided) == 4
    kept.write_bytes(b"not a database" * 1000)  # a damaged file: ignored, and written afresh
    assert _records(regulations, lines, KeptAnswers(tmp_path, "one")) == expected
    assert len(decided) == 6
    assert len(KeptAnswers(tmp_path, "one")) == 2


def test_few_answer_files_are_kept(regulations: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from clearance.engine import kept

    monkeypatch.setattr(kept, "KEEP_FILES", 2)
    line = {
        "regime": "jp",
        "date": "2020-01-10",
        "destination": "CN",
        "item": {"control_code": "1C350", "kind": "goods"},
    }
    for name in ("a", "b", "c"):
        _records(regulations, [orjson.dumps(line)], KeptAnswers(tmp_path, name))
    assert len(list(tmp_path.glob("answers-*.sqlite"))) == 2


def test_determine_batch_keeps_its_keys_answers_in_the_cache_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from support import run_cli

    monkeypatch.setenv("CLEARANCE_CACHE_DIR", str(tmp_path / "cache"))
    line = {
        "regime": "jp",
        "date": "2020-01-10",
        "destination": "CN",
        "item": {"control_code": "1C350", "kind": "goods"},
    }
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\n".join(orjson.dumps({**line, "ref": str(n)}) for n in range(3)) + b"\n")
    first = run_cli("determine", "--batch", "--json", str(path))
    assert first.returncode == 0
    (kept,) = (tmp_path / "cache").glob("answers-*.sqlite")
    assert len(KeptAnswers(kept.parent, kept.stem.removeprefix("answers-"))) == 1
    again = run_cli("determine", "--batch", "--json", str(path))
    assert again.stdout == first.stdout


def _key(number: int) -> tuple[Any, ...]:
    """A key as :meth:`Keyed.key` makes it: the snapshot (its pack and first day), then the facts."""
    snap = SimpleNamespace(regs=SimpleNamespace(id="jp"), when=date(2020, 1, 1))
    return (snap, ("group", (True, False)), ("1C350", None, "goods"), number, None)


def _answer(number: int) -> KeyAnswer:
    pieces = (b"", b'"ref":', b"", f',"steps":[{number}]'.encode(), b"}")
    columns = (number % 2 == 0, (f"rule.{number}",), ())
    return KeyAnswer(None, None, None, " is in A", columns, "A", (pieces, ((2, 0),)))


def _same(found: KeyAnswer | None, answer: KeyAnswer) -> bool:
    return found is not None and (found.template, found.group, found.columns, found.destination_group) == (
        answer.template,
        answer.group,
        answer.columns,
        answer.destination_group,
    )


def test_kept_answers_are_written_a_chunk_at_a_time_and_read_a_key_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from clearance.engine import kept

    monkeypatch.setattr(kept, "CHUNK", 2)
    answers = KeptAnswers(tmp_path, SCOPE)
    for number in range(3):
        answers.put(_key(number), _answer(number))
    assert len(KeptAnswers(tmp_path, SCOPE)) == 2  # written as the batch goes: the batch holds a chunk at most
    answers.save()
    again = KeptAnswers(tmp_path, SCOPE)
    assert all(_same(again.get(_key(number)), _answer(number)) for number in range(3))
    assert again.get(_key(3)) is None
    assert again.get((_key(0)[0], *_key(0)[1:-1], b"another screening result")) is None


def test_a_file_keeps_the_keys_written_last_and_the_pieces_they_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from clearance.engine import kept

    monkeypatch.setattr(kept, "KEEP_KEYS", 2)
    monkeypatch.setattr(kept, "KEEP_PIECES", 4)
    for batch in ((0, 1, 2), (3, 4)):
        answers = KeptAnswers(tmp_path, SCOPE)
        for number in batch:
            answers.put(_key(number), _answer(number))
        answers.save()
    found = KeptAnswers(tmp_path, SCOPE)
    assert [found.get(_key(number)) is not None for number in range(5)] == [False, False, False, True, True]
    assert _same(found.get(_key(3)), _answer(3)) and _same(found.get(_key(4)), _answer(4))
    with closing(sqlite3.connect(found.path)) as db:
        pieces = {piece for (piece,) in db.execute("SELECT piece FROM pieces")}
    assert pieces == {b"", b'"ref":', b',"steps":[3]', b',"steps":[4]', b"}"}  # 7 written, more than KEEP_PIECES


def test_only_the_keys_in_the_file_are_looked_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The file's keys are read when it is opened: a key not among them is not queried, and a key written since
    (a chunk written as the batch goes) is found."""
    from clearance.engine import kept

    monkeypatch.setattr(kept, "CHUNK", 2)
    first = KeptAnswers(tmp_path, SCOPE)
    first.put(_key(0), _answer(0))
    first.save()
    answers, queries = KeptAnswers(tmp_path, SCOPE), []
    assert answers.get(_key(9)) is None  # opens the file
    assert answers._db is not None
    answers._db.set_trace_callback(queries.append)
    assert answers.get(_key(1)) is None and answers.get(_key(2)) is None
    assert queries == []  # not in the file: not queried
    assert _same(answers.get(_key(0)), _answer(0))
    assert any("FROM keys" in query for query in queries)
    for number in (1, 2):  # a chunk: written now
        answers.put(_key(number), _answer(number))
    assert _same(answers.get(_key(1)), _answer(1)) and _same(answers.get(_key(2)), _answer(2))
