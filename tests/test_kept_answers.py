"""Keys' answers kept across runs (clearance.engine.kept): the next batch writes the same bytes without deciding the
keys kept, and a changed pack, list or damaged file is never read back."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings

from clearance.engine import keyed as keyed_module
from clearance.engine.batch import record_lines
from clearance.engine.columns import record_tables
from clearance.engine.io import parse_shipment
from clearance.engine.kept import KeptAnswers, _read, scope
from clearance.engine.keyed import Keyed
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
    (kept,) = tmp_path.glob("answers-*.pickle")
    assert len(KeptAnswers(tmp_path, "one")._found or {}) == 0  # read on first use only
    decided: list[Any] = []
    real = keyed_module.decide
    monkeypatch.setattr(keyed_module, "decide", lambda *a: decided.append(a) or real(*a))
    assert _records(regulations, lines, KeptAnswers(tmp_path, "one")) == expected
    assert decided == []
    assert _records(regulations, lines, KeptAnswers(tmp_path, "two")) == expected  # another scope: decided
    assert len(decided) == 2
    data = kept.read_bytes()
    kept.write_bytes(data[:-10] + b"0123456789")  # damaged: ignored, decided and written again
    assert _records(regulations, lines, KeptAnswers(tmp_path, "one")) == expected
    assert len(decided) == 4
    assert len(_read(kept)) == 2


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
    assert len(list(tmp_path.glob("answers-*.pickle"))) == 2


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
    (kept,) = (tmp_path / "cache").glob("answers-*.pickle")
    assert len(_read(kept)) == 1
    again = run_cli("determine", "--batch", "--json", str(path))
    assert again.stdout == first.stdout
