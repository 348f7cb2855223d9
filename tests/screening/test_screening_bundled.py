"""The data shipped in the package is what the converters make from ../shared/data today (no drift)."""

from __future__ import annotations

import json
from collections.abc import Callable
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


def test_the_cjk_tables_read_their_entries() -> None:
    assert cjk_words()["理工大学"][0] == "institute of technology" and cjk_words()["朝鮮"] == ("korea",)
    assert cjk_legal_forms()["公共株式会社"] == "JSC" and cjk_legal_forms()["有限責任会社"] == "LLC"


_WORD = "{terms: [大学], english: [university], source: %s}"
_FORM = "{terms: [公共株式会社], form: JSC, source: %s}"


@pytest.mark.parametrize(
    ("load", "twice", "unknown_source", "twice_message", "where"),
    [
        (
            cjk_words,
            f"sources: {{cedict: x}}\nwords:\n  - {_WORD % 'cedict'}\n  - {_WORD % 'cedict'}\n",
            f"sources: {{cedict: x}}\nwords:\n  - {_WORD % 'nope'}\n",
            "大学 is given twice",
            r"words\[0\]",
        ),
        (
            cjk_legal_forms,
            f"sources: {{mof: x}}\nlegal_forms:\n  - {_FORM % 'mof'}\n  - {_FORM % 'mof'}\nwords: []\n",
            f"sources: {{mof: x}}\nlegal_forms:\n  - {_FORM % 'nope'}\n",
            "公共株式会社 is given twice",
            r"legal_forms\[0\]",
        ),
    ],
    ids=["words", "legal_forms"],
)
def test_the_cjk_tables_are_loaded_strictly(
    tmp_path: Path, load: Callable[[Path], object], twice: str, unknown_source: str, twice_message: str, where: str
) -> None:
    broken = tmp_path / "words.yml"
    broken.write_text(twice, encoding="utf-8")
    with pytest.raises(ValueError, match=twice_message):
        load(broken)
    broken.write_text(unknown_source, encoding="utf-8")
    with pytest.raises(ValueError, match=where):
        load(broken)


def test_the_katakana_letters_are_loaded_strictly(tmp_path: Path) -> None:
    assert katakana_letters()["エー"] == "a" and katakana_letters()["ダブリュー"] == "w"
    broken = tmp_path / "letters.yml"
    broken.write_text("letters:\n  a: [エー]\n  b: [エー]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="エー is given twice"):
        katakana_letters(broken)
    broken.write_text("letters:\n  ab: [エービー]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="'ab' is not one Latin letter"):
        katakana_letters(broken)


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
