"""Screening indexes kept between processes (clearance.screening.indexes): read back only over the same list
versions, and screening with a kept index gives the hits a fresh one gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from clearance.screening import BundledScreener
from clearance.screening.index import ScreeningIndex
from clearance.screening.indexes import index_key, stored_index
from clearance.screening.matcher import Query, screen
from clearance.screening.model import ListVersion, Party

PLANTS = ListVersion(
    "t",
    "Test",
    None,
    "test",
    (
        Party("t", "1", "Company", ("Harbin Precision Plant",)),
        Party("t", "2", "Person", ("ミハイル・ミシュスチン", "Mikhail Mishustin")),
        Party("t", "3", "Person", ("ハッサン・ハッカーニ",)),
    ),
)


def _never() -> list[ListVersion]:
    raise AssertionError("built again: the kept index was not read back")


def test_an_index_is_kept_and_read_back_over_the_same_versions(tmp_path: Path) -> None:
    versions = {PLANTS.list_id: PLANTS.version}
    built = stored_index(versions, lambda: [PLANTS], tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [f"screening-index-{index_key(versions)}.pickle"]
    again = stored_index(versions, _never, tmp_path)
    assert again is not built and again.versions == built.versions and again.postings == built.postings
    assert again.forms == built.forms and again.faithful == built.faithful and again.parties == built.parties
    assert again.faithful[1] and all(form in again.forms for form in again.faithful[1])


def test_another_list_version_is_built_afresh(tmp_path: Path) -> None:
    stored_index({PLANTS.list_id: PLANTS.version}, lambda: [PLANTS], tmp_path)
    changed = ListVersion("t", "Test", None, "test", PLANTS.parties[:1])
    with pytest.raises(AssertionError, match="built again"):
        stored_index({changed.list_id: changed.version}, _never, tmp_path)


def test_a_broken_pickle_is_built_afresh(tmp_path: Path) -> None:
    versions = {PLANTS.list_id: PLANTS.version}
    stored_index(versions, lambda: [PLANTS], tmp_path)
    next(tmp_path.iterdir()).write_bytes(b"not a pickle")
    assert stored_index(versions, lambda: [PLANTS], tmp_path).versions == versions


def test_the_faithful_forms_of_a_party_with_names_in_katakana_are_worked_out_when_built() -> None:
    index = ScreeningIndex.build([PLANTS])
    assert index.faithful[0] == ()  # no lossy forms: its own forms are faithful
    assert index.faithful[1] and all(not f.lossy for f in index.faithful[1] or ())
    assert index.faithful[2] is None  # katakana only: a Latin query meets the katakana's readings
    assert [c.party.source_id for c in screen(index, Query.of("Mikhail Mishustin")) if c.match] == ["2"]


@pytest.mark.parametrize(("name", "country"), [("Beihang University", "CN"), ("Acme Trading Co", None)])
def test_the_bundled_screener_with_a_cache_folder_finds_what_it_finds_without(
    tmp_path: Path, name: str, country: str | None
) -> None:
    lists = frozenset({"jp-meti-eul", "jp-meti-export-ban-russia"})
    fresh = BundledScreener()(name, country, lists)
    assert BundledScreener(tmp_path)(name, country, lists) == fresh
    assert len(list(tmp_path.glob("screening-index-*.pickle"))) == 1


def test_the_cache_key_covers_every_module_and_data_file_of_the_package(tmp_path: Path) -> None:
    """Indexes (and the results kept over them) are keyed by all the screening package's code and data: a changed
    data file (retrained weights, name data) or a new module is a new key, with no list of files to forget one in."""
    from clearance.screening.indexes import package_digest

    (tmp_path / "data").mkdir()
    (tmp_path / "matcher.py").write_text("x = 1\n")
    (tmp_path / "data" / "learned_weights.json").write_text("{}")
    first = package_digest(tmp_path)
    (tmp_path / "data" / "learned_weights.json").write_text('{"w": 1}')
    retrained = package_digest(tmp_path)
    (tmp_path / "new_feature.py").write_text("y = 2\n")
    assert len({first, retrained, package_digest(tmp_path)}) == 3
