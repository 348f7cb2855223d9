"""Screening results kept across runs (clearance.screening.results): the same hits with and without them, read back
only in their scope (list versions, code, threshold, the listings expired on the day), a broken file ignored."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from clearance.screening import BundledScreener, hook
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

    monkeypatch.setattr(hook, "hits_in", screened_again)
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
