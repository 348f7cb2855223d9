"""The data shipped in the package is what the converters make from ../shared/data today (no drift)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clearance.screening.bundled import SOURCES, bundled_ids, load_bundled
from clearance.screening.importers import import_list
from clearance.screening.resources import (
    HAN_SIMPLIFIED,
    HANJA_READINGS,
    NAME_DATA,
    build_han_simplified,
    build_hanja_readings,
    build_name_data,
    cjk_legal_forms,
    cjk_words,
    katakana_letters,
    yale_syllable,
)
from support import shared_path


def test_name_data_matches_the_rigour_resources() -> None:
    rigour = shared_path("data", "rigour-name-and-territory-resources")
    assert json.loads(NAME_DATA.read_text(encoding="utf-8")) == build_name_data(rigour)


UNIHAN = Path("/usr/share/unicode")


@pytest.mark.skipif(
    not (UNIHAN / "Unihan_Readings.txt.bz2").exists(), reason="Unihan is not installed (apt-get install unicode-data)"
)
def test_hanja_readings_match_unihan() -> None:
    assert json.loads(HANJA_READINGS.read_text(encoding="utf-8")) == build_hanja_readings(UNIHAN)


@pytest.mark.skipif(
    not (UNIHAN / "Unihan_Variants.txt.bz2").exists(), reason="Unihan is not installed (apt-get install unicode-data)"
)
def test_simplified_forms_match_unihan() -> None:
    assert json.loads(HAN_SIMPLIFIED.read_text(encoding="utf-8")) == build_han_simplified(UNIHAN)


def test_simplified_forms_of_traditional_and_japanese_characters() -> None:
    simplified = json.loads(HAN_SIMPLIFIED.read_text(encoding="utf-8"))["simplified"]
    assert (simplified["機"], simplified["國"], simplified["廠"]) == ("机", "国", "厂")  # traditional
    assert simplified["鉄"] == "铁" and "机" not in simplified  # a Japanese form by its variant; simplified: absent


def test_hanja_readings_and_yale_syllables() -> None:
    readings = json.loads(HANJA_READINGS.read_text(encoding="utf-8"))["readings"]
    assert readings["朝"] == ["조"] and readings["金"] == ["금", "김"]  # the everyday reading, then the name's
    assert readings["壌"] == ["양"] and readings["会"] == ["회"]  # Japanese forms: by variant or by kKorean
    assert [yale_syllable(y) for y in ("KYENG", "YANG", "LOK", "SSANG", "KWANG", "UY", "XYZ")] == [
        "경", "양", "록", "쌍", "광", "의", None,
    ]  # fmt: skip


def test_the_cjk_word_table_is_loaded_strictly(tmp_path: Path) -> None:
    words = cjk_words()
    assert words["理工大学"][0] == "institute of technology" and words["朝鮮"] == ("korea",)
    broken = tmp_path / "words.yml"
    entry = "{terms: [大学], english: [university], source: cedict}"
    broken.write_text(f"sources: {{cedict: x}}\nwords:\n  - {entry}\n  - {entry}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="大学 is given twice"):
        cjk_words(broken)
    broken.write_text("sources: {cedict: x}\nwords:\n  - {terms: [大学], english: [university], source: nope}\n")
    with pytest.raises(ValueError, match=r"words\[0\]"):
        cjk_words(broken)


def test_the_katakana_letters_are_loaded_strictly(tmp_path: Path) -> None:
    assert katakana_letters()["エー"] == "a" and katakana_letters()["ダブリュー"] == "w"
    broken = tmp_path / "letters.yml"
    broken.write_text("letters:\n  a: [エー]\n  b: [エー]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="エー is given twice"):
        katakana_letters(broken)
    broken.write_text("letters:\n  ab: [エービー]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="'ab' is not one Latin letter"):
        katakana_letters(broken)


def test_the_cjk_legal_forms_are_loaded_strictly(tmp_path: Path) -> None:
    assert cjk_legal_forms()["公共株式会社"] == "JSC" and cjk_legal_forms()["有限責任会社"] == "LLC"
    broken = tmp_path / "words.yml"
    entry = "{terms: [公共株式会社], form: JSC, source: mof}"
    broken.write_text(f"sources: {{mof: x}}\nlegal_forms:\n  - {entry}\n  - {entry}\nwords: []\n", encoding="utf-8")
    with pytest.raises(ValueError, match="公共株式会社 is given twice"):
        cjk_legal_forms(broken)
    broken.write_text("sources: {mof: x}\nlegal_forms:\n  - {terms: [公共株式会社], form: JSC, source: nope}\n")
    with pytest.raises(ValueError, match=r"legal_forms\[0\]"):
        cjk_legal_forms(broken)


@pytest.mark.parametrize("list_id", sorted(SOURCES))
def test_bundled_snapshot_equals_a_fresh_import(list_id: str) -> None:
    fmt, relative = SOURCES[list_id]
    fresh = import_list(shared_path("data", *relative.split("/")), fmt)
    assert load_bundled(list_id).version == fresh.version


def test_every_bundled_list_loads_with_its_hash() -> None:
    assert bundled_ids() == [
        "jp-meti-eul",
        "jp-meti-export-ban-belarus",
        "jp-meti-export-ban-russia",
        "jp-meti-export-ban-third",
        "jp-mof-asset-freeze",
        "us-csl",
    ]
    for list_id in bundled_ids():
        version = load_bundled(list_id)
        assert version.version.startswith("sha256:") and version.parties
