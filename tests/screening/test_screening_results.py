"""Screening results kept across runs (clearance.screening.results): the same hits with and without them, read back
only in their scope (list versions, code, threshold, the listings expired on the day), a broken file ignored."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import sqlite3
import weakref
from pathlib import Path

import pytest

from clearance.screening import BundledScreener, hook, results
from clearance.screening.index import ScreeningIndex
from clearance.screening.model import ListVersion, Party
from clearance.screening.results import RESULTS_FILE, ResultCache, scope

LISTS = frozenset({"jp-meti-eul", "jp-meti-export-ban-russia", "jp-meti-export-ban-belarus"})
#: Names that hit (in several scripts) and names that do not.
PARTIES = [
    ("Beihang University", "CN"),
    ("北京航空航天大学", None),
    ("beijing univ. of aeronautics & astronautics", "CN"),
    ("Acme Trading Co", None),
    ("Pacific Golden Electronics Ltd", "SG"),
    ("ミハイル・ミシュスチン", "RU"),
]
DAY = dt.date(2026, 12, 1)


def _plants(*names: str, expires_on: dt.date | None = None) -> ListVersion:
    parties = tuple(Party.build("t", str(n), "Company", (name,), expires_on=expires_on) for n, name in enumerate(names))
    return ListVersion("t", "Test", None, "test", parties)


def test_hits_are_the_same_with_and_without_kept_results(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = [BundledScreener()(name, country, LISTS) for name, country in PARTIES]
    assert any(fresh) and not all(fresh)
    assert [BundledScreener(tmp_path)(name, country, LISTS) for name, country in PARTIES] == fresh
    assert (tmp_path / RESULTS_FILE).exists()

    def screened_again(*args: object, **kwargs: object) -> None:
        raise AssertionError("screened again: the kept result was not read")

    listed, index = hook._bundled_lists(LISTS), hook._bundled_index(LISTS)  # results are filed under their lists
    assert listed.versions == index.versions and list(listed.parties) == index.parties
    monkeypatch.setattr(hook, "hits_in", screened_again)
    monkeypatch.setattr(hook, "_bundled_index", screened_again)  # a kept result is read without the index
    assert [BundledScreener(tmp_path)(name, country, LISTS) for name, country in PARTIES] == fresh


def test_a_changed_list_version_is_another_scope(tmp_path: Path) -> None:
    before = ScreeningIndex.build([_plants("Harbin Precision Plant")])
    after = ScreeningIndex.build([_plants("Harbin Precision Plant", "Harbin Tool Works")])
    assert before.versions != after.versions
    cache = ResultCache(tmp_path)
    cache.put(before, "Harbin Precision Plant", "CN", 0.8, DAY, [{"entry_id": "0"}])
    assert cache.get(before, "Harbin Precision Plant", "CN", 0.8, DAY) == [{"entry_id": "0"}]
    assert cache.get(after, "Harbin Precision Plant", "CN", 0.8, DAY) is None
    assert cache.get(before, "Harbin Precision Plant", "CN", 0.9, DAY) is None
    assert cache.get(before, "Harbin Precision Plant", None, 0.8, DAY) is None


def test_a_day_on_which_another_listing_has_expired_is_another_scope() -> None:
    index = ScreeningIndex.build([_plants("Harbin Precision Plant", expires_on=dt.date(2026, 6, 30))])
    assert scope(index, 0.8, dt.date(2026, 1, 1)) == scope(index, 0.8, dt.date(2026, 6, 30))
    assert scope(index, 0.8, dt.date(2026, 6, 30)) != scope(index, 0.8, dt.date(2026, 7, 1))
    assert scope(index, 0.8, dt.date(2026, 7, 1)) == scope(index, 0.8, dt.date(2030, 1, 1))


def test_two_writers_at_once_share_the_file(tmp_path: Path) -> None:
    index = ScreeningIndex.build([_plants("Harbin Precision Plant")])
    one, two = ResultCache(tmp_path), ResultCache(tmp_path)
    for n in range(20):
        (one if n % 2 else two).put(index, f"party {n}", None, 0.8, DAY, [n])
        (one if n % 2 else two).flush()
    assert [(two if n % 2 else one).get(index, f"party {n}", None, 0.8, DAY) for n in range(20)] == [
        [n] for n in range(20)
    ]


def test_a_corrupt_file_is_ignored_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / RESULTS_FILE).write_bytes(b"not a database, " * 100)
    fresh = [BundledScreener()(name, country, LISTS) for name, country in PARTIES]
    screener = BundledScreener(tmp_path)
    with pytest.warns(RuntimeWarning, match="screening result cache .* not used"):
        assert [screener(name, country, LISTS) for name, country in PARTIES] == fresh


def _scopes(folder: Path) -> dict[str, int]:
    """Results kept by scope (the scopes listed, with none of their results, at 0)."""
    with contextlib.closing(sqlite3.connect(folder / RESULTS_FILE)) as db:
        listed = {s: 0 for (s,) in db.execute("SELECT scope FROM scopes")}
        kept = dict(db.execute("SELECT scope, count(*) FROM results GROUP BY scope").fetchall())
    assert kept.keys() <= listed.keys(), "no results of a scope not listed (never pruned)"
    return listed | kept


def _lists(n: int) -> ScreeningIndex:
    return ScreeningIndex.build([_plants(*(f"Plant {k}" for k in range(n + 1)))])


def test_only_the_results_of_the_scopes_used_last_are_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(results, "KEEP_SCOPES", 2)
    a, b, c = _lists(1), _lists(2), _lists(3)
    for index in (a, b):  # a batch per list version, each in its own process
        cache = ResultCache(tmp_path)
        cache.put(index, "Harbin Tool Works", None, 0.8, DAY, [1])
        cache.put(index, "Acme", None, 0.8, DAY, [])
        cache.flush()
    assert sorted(_scopes(tmp_path).values()) == [2, 2]
    assert ResultCache(tmp_path).get(a, "Acme", None, 0.8, DAY) == [], "a read makes a's scope the one used last"
    cache = ResultCache(tmp_path)
    cache.put(c, "Acme", None, 0.8, DAY, [])
    cache.flush()
    assert _scopes(tmp_path) == {scope(a, 0.8, DAY): 2, scope(c, 0.8, DAY): 1}, "b's results pruned"
    assert ResultCache(tmp_path).get(a, "Harbin Tool Works", None, 0.8, DAY) == [1]
    assert ResultCache(tmp_path).get(b, "Acme", None, 0.8, DAY) is None


def test_results_written_after_their_scope_was_pruned_are_listed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(results, "KEEP_SCOPES", 1)
    a, b = _lists(1), _lists(2)
    slow = ResultCache(tmp_path)
    slow.put(a, "Acme", None, 0.8, DAY, [])  # waiting to be written
    other = ResultCache(tmp_path)
    other.put(b, "Acme", None, 0.8, DAY, [])  # another process's batch pushes a's scope out
    other.flush()
    slow.flush()
    assert _scopes(tmp_path) == {scope(a, 0.8, DAY): 1, scope(b, 0.8, DAY): 1}
    ResultCache(tmp_path).get(b, "Acme", None, 0.8, DAY)  # b used last: a pruned, with its results
    assert _scopes(tmp_path) == {scope(b, 0.8, DAY): 1}


def test_a_file_written_before_scopes_were_listed_is_pruned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(results, "KEEP_SCOPES", 1)
    with contextlib.closing(sqlite3.connect(tmp_path / RESULTS_FILE)) as db:
        db.execute(
            "CREATE TABLE results (scope TEXT, name TEXT, country TEXT, hits BLOB,"
            " PRIMARY KEY (scope, name, country)) WITHOUT ROWID"
        )
        db.executemany("INSERT INTO results VALUES (?, ?, '', '[]')", [("old", "Acme"), ("older", "Acme")])
        db.commit()
    cache = ResultCache(tmp_path)
    assert cache.get(_lists(1), "Acme", None, 0.8, DAY) is None
    assert _scopes(tmp_path) == {scope(_lists(1), 0.8, DAY): 0}


def test_a_cache_does_not_keep_the_indexes_it_has_seen_alive(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)  # a server's lives as long as the process, its list versions do not
    index = _lists(1)
    cache.put(index, "Acme", None, 0.8, DAY, [])
    gone = weakref.ref(index)
    del index
    gc.collect()
    assert gone() is None and not cache._expiries
