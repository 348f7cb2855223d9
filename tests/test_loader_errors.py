"""Each way a regulation pack can be broken fails at load time, naming the file and the key path."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from clearance.errors import PackError
from clearance.law import load_pack
from support import edit

MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


def _fails(pack: Path, file: str, path: str, words: str) -> PackError:
    with pytest.raises(PackError) as caught:
        load_pack(pack)
    err = caught.value
    assert err.file == f"mini/{file}", str(err)
    assert err.path == path, str(err)
    assert words in err.message, str(err)
    return err


def test_the_unbroken_fixture_loads(pack: Path) -> None:
    regs = load_pack(pack)
    assert regs.data_version.startswith("mini-")
    assert regs.at(dt.date(2019, 9, 1)).group_of("KR") == "C"


def test_duplicate_key(pack: Path) -> None:
    edit(pack, "sources.yaml", "press:\n", "act:\n  title: again\n  kind: statute\n  class: primary\npress:\n")
    _fails(pack, "sources.yaml", "act", "duplicate key")


def test_duplicate_date_key(pack: Path) -> None:
    edit(pack, "country_lists/white.yaml", "  2019-08-28:", "  2010-01-01:")
    _fails(pack, "country_lists/white.yaml", "values.2010-01-01", "duplicate key")


def test_unknown_key(pack: Path) -> None:
    edit(pack, "licence_types.yaml", "      processing_days:", "      processing_dayz:")
    _fails(pack, "licence_types.yaml", "individual.values.2010-01-01.processing_dayz", "unknown key")


def test_missing_key(pack: Path) -> None:
    edit(pack, "requirements.yaml", "  basis: listed\n", "")
    _fails(pack, "requirements.yaml", "listed.basis", "required key is missing")


def test_impossible_date(pack: Path) -> None:
    edit(pack, "country_lists/white.yaml", "2019-08-28", "2019-02-30")
    _fails(pack, "country_lists/white.yaml", "values.2019-02-30", "not a real date")


def test_badly_written_date(pack: Path) -> None:
    edit(pack, "country_lists/white.yaml", "2019-08-28", "28/08/2019")
    _fails(pack, "country_lists/white.yaml", "values.28/08/2019", "expected an ISO date")


def test_bad_date_in_a_field(pack: Path) -> None:
    edit(pack, "measures/no_bulk_kr.yaml", "    verified: false\n", "    verified: false\n    announced: 2019-13-01\n")
    _fails(pack, "measures/no_bulk_kr.yaml", "values.2019-07-04.announced", "date")


def test_unknown_source_id(pack: Path) -> None:
    edit(pack, "country_lists/embargo.yaml", "sources: [act]", "sources: [gazette]")
    _fails(pack, "country_lists/embargo.yaml", "values.2010-01-01.sources[0]", "unknown source id 'gazette'")


def test_value_without_sources(pack: Path) -> None:
    edit(pack, "country_lists/embargo.yaml", "    sources: [act]\n", "")
    _fails(pack, "country_lists/embargo.yaml", "values.2010-01-01.sources", "required key is missing")


def test_unverified_value_must_say_so(pack: Path) -> None:
    edit(pack, "measures/no_bulk_kr.yaml", "    verified: false\n", "    verified: true\n")
    _fails(pack, "measures/no_bulk_kr.yaml", "values.2019-07-04.verified", "verified: false")


def test_overlapping_destination_groups(pack: Path) -> None:
    edit(pack, "country_lists/embargo.yaml", "members: [KP]", "members: [KP, DE]")
    err = _fails(pack, "country_groups.yaml", "D.values", "must not overlap")
    assert "DE" in err.message and "2010-01-01" in err.message


def test_overlap_appearing_only_later(pack: Path) -> None:
    edit(
        pack,
        "country_lists/embargo.yaml",
        "    verified: true\n",
        "    verified: true\n  2020-01-01:\n    members: [KP, NO]\n    sources: [act]\n    verified: true\n",
    )
    err = _fails(pack, "country_groups.yaml", "D.values", "must not overlap")
    assert "NO" in err.message and "2020-01-01" in err.message


def test_overlapping_code_ranges(pack: Path) -> None:
    edit(
        pack,
        "control_list/rows.yaml",
        'hs_chapters: ["84-85"]',
        'hs_chapters: ["84-85"]\n      covers: [{categories: ["1"], series: ["0"]}]',
    )
    err = _fails(pack, "control_list/rows.yaml", "16.values.2010-01-01.covers", "must not overlap")
    assert "row 5" in err.message


def test_bad_hs_chapter_range(pack: Path) -> None:
    edit(pack, "control_list/rows.yaml", '"84-85"', '"85-84"')
    _fails(pack, "control_list/rows.yaml", "16.values.2010-01-01.hs_chapters[0]", "bad HS chapter range")


def test_bad_hs_heading(pack: Path) -> None:
    edit(pack, "control_list/rows.yaml", 'hs_chapters: ["84-85"]', 'hs_chapters: ["84-85"]\n      hs_headings: ["845"]')
    _fails(pack, "control_list/rows.yaml", "16.values.2010-01-01.hs_headings[0]", "expected an HS heading")


def test_undecided_heading_says_what_decides(pack: Path) -> None:
    edit(
        pack,
        "control_list/rows.yaml",
        'hs_chapters: ["84-85"]',
        'hs_chapters: ["84-85"]\n      hs_undecided: ["85.07"]',
    )
    _fails(pack, "control_list/rows.yaml", "16.values.2010-01-01.hs_undecided_needs", "say what decides")


def test_heading_listed_by_two_rows(pack: Path) -> None:
    edit(pack, "control_list/rows.yaml", 'hs_chapters: ["84-85"]', 'hs_headings: ["84.58"]')
    edit(
        pack, "control_list/rows.yaml", "      sources: [act]\n", '      hs_headings: ["8458"]\n      sources: [act]\n'
    )
    err = _fails(pack, "control_list/rows.yaml", "16.values.2010-01-01", "must not overlap")
    assert "row 5" in err.message


def test_unknown_predicate(pack: Path) -> None:
    edit(pack, "licence_types.yaml", "destination_in_group: [A]", "destination_in_groups: [A]")
    _fails(pack, "licence_types.yaml", "bulk.values.2010-01-01.when", "unknown predicate 'destination_in_groups'")


def test_unknown_list_reference(pack: Path) -> None:
    edit(pack, "country_groups.yaml", "destination_in_list: embargo", "destination_in_list: embargoes")
    _fails(pack, "country_groups.yaml", "D.values.2010-01-01.when", "unknown country list id 'embargoes'")


def test_unknown_group_reference(pack: Path) -> None:
    edit(pack, "licence_types.yaml", "destination_in_group: [A]", "destination_in_group: [Z]")
    _fails(pack, "licence_types.yaml", "bulk.values.2010-01-01.when", "unknown destination group id 'Z'")


def test_group_defined_by_groups(pack: Path) -> None:
    edit(pack, "country_groups.yaml", "destination_in_list: embargo", "destination_in_group: [A]")
    _fails(pack, "country_groups.yaml", "D.values.2010-01-01.when", "cannot be defined by other groups")


def test_unknown_country_code(pack: Path) -> None:
    edit(pack, "country_lists/white.yaml", "[DE, KR, NO]", "[DE, KR, XX]")
    _fails(pack, "country_lists/white.yaml", "values.2010-01-01.members[2]", "unknown country code 'XX'")


def test_country_listed_twice(pack: Path) -> None:
    edit(pack, "country_lists/white.yaml", "[DE, KR, NO]", "[DE, KR, DE]")
    _fails(pack, "country_lists/white.yaml", "values.2010-01-01.members[2]", "listed twice")


def test_norway_is_not_false(pack: Path) -> None:
    """YAML 1.1 reads a bare NO as false; packs use YAML 1.2 booleans, so Norway stays Norway."""
    regs = load_pack(pack)
    assert regs.at(dt.date(2011, 1, 1)).group_of("NO") == "A"


def test_unknown_licence_type_in_measure(pack: Path) -> None:
    edit(pack, "measures/no_bulk_kr.yaml", "removes: [bulk]", "removes: [bulky]")
    _fails(pack, "measures/no_bulk_kr.yaml", "values.2019-07-04.removes[0]", "unknown licence type id 'bulky'")


def test_restores_is_format_1(pack: Path) -> None:
    edit(pack, "measures/no_bulk_kr.yaml", "removes: [bulk]", "restores: [bulk]")
    _fails(pack, "measures/no_bulk_kr.yaml", "values.2019-07-04.restores", "an entry of the measure's `exceptions`")


def test_unknown_basis(pack: Path) -> None:
    edit(pack, "licence_types.yaml", "bases: [listed, catch_all_wmd]", "bases: [listed, catch_all_nuclear]")
    _fails(pack, "licence_types.yaml", "individual.bases[1]", "unknown basis 'catch_all_nuclear'")


def test_bad_control_code_in_entry(pack: Path) -> None:
    edit(pack, "control_list/entries.yaml", "codes: [1C009.b]", "codes: [resist]")
    _fails(pack, "control_list/entries.yaml", "5(17).values.2010-01-01.codes[0]", "not a control code")


def test_not_yaml(pack: Path) -> None:
    (pack / "sources.yaml").write_text("act: [unclosed\n", encoding="utf-8")
    _fails(pack, "sources.yaml", "", "not valid YAML")


def test_pack_id_matches_folder(pack: Path) -> None:
    edit(pack, "pack.yaml", "id: mini", "id: maxi")
    _fails(pack, "pack.yaml", "id", "must match its folder name")


def test_two_residual_rows(pack: Path) -> None:
    edit(pack, "control_list/rows.yaml", 'hs_chapters: ["84-85"]', "residual: true")
    edit(pack, "control_list/rows.yaml", 'covers: [{categories: ["1"], series: ["0"]}]', "residual: true")
    _fails(pack, "control_list/rows.yaml", "16.values.2010-01-01.residual", "only one row may be")


def _scenario(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "what-if.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_scenario_overlays_new_dated_values(pack: Path, tmp_path: Path) -> None:
    from clearance.law.scenario import read_scenario

    scenario = read_scenario(
        _scenario(
            tmp_path,
            "scenario: DE leaves\nregime: mini\nsources:\n"
            "  what_if: {title: hypothetical, kind: secondary, class: secondary}\n"
            "country_lists:\n  white:\n    values:\n"
            "      2021-01-01: {members: [NO], sources: [what_if], verified: false}\n",
        )
    )
    regs = load_pack(pack, scenario=scenario)
    assert regs.at(dt.date(2020, 12, 31)).group_of("DE") == "A"
    assert regs.at(dt.date(2021, 1, 1)).group_of("DE") == "C"
    assert regs.data_version != load_pack(pack).data_version
    assert scenario.latest_date() == dt.date(2021, 1, 1)


@pytest.mark.parametrize(
    ("text", "path", "words"),
    [
        ("scenario: x\nregime: mini\ncolour: red\n", "colour", "unknown key"),
        ("scenario: x\nregime: other\n", "regime", "not 'mini'"),
        (
            "scenario: x\nregime: mini\nmeasures:\n  new:\n    label: n\n    values:\n"
            "      2021-01-01: {when: {destination_in_list: nowhere}, removes: [bulk], sources: [act],\n"
            "                   verified: true}\n",
            "measures.new.values.2021-01-01.when",
            "unknown country list id 'nowhere'",
        ),
        (
            "scenario: x\nregime: mini\nsources:\n  act: {title: again, kind: statute, class: primary}\n",
            "sources.act",
            "already a source",
        ),
    ],
)
def test_scenario_errors_name_the_scenario_file(pack: Path, tmp_path: Path, text: str, path: str, words: str) -> None:
    from clearance.law.scenario import read_scenario

    with pytest.raises(PackError) as caught:
        load_pack(pack, scenario=read_scenario(_scenario(tmp_path, text)))
    assert caught.value.file == "what-if.yaml" and caught.value.path == path and words in caught.value.message


def test_cas_number_with_a_wrong_check_digit(pack: Path) -> None:
    edit(
        pack,
        "control_list/entries.yaml",
        "      codes: [1C009.b]\n",
        "      codes: [1C009.b]\n      cas: [7664-39-4]\n",
    )
    _fails(pack, "control_list/entries.yaml", "5(17).values.2010-01-01.cas[0]", "check digit should be 3")


def test_red_flags_are_cited_dated_objects(pack: Path) -> None:
    (pack / "red_flags.yaml").write_text(
        "odd_route:\n  label: Odd route\n  values:\n    2010-01-01: {sources: [nowhere], verified: true}\n",
        encoding="utf-8",
    )
    _fails(pack, "red_flags.yaml", "odd_route.values.2010-01-01.sources[0]", "unknown source id 'nowhere'")
    (pack / "red_flags.yaml").write_text(
        "odd_route:\n  label: Odd route\n  values:\n    2010-01-01: {sources: [act], verified: true}\n",
        encoding="utf-8",
    )
    assert list(load_pack(pack).at(dt.date(2019, 1, 1)).active["red_flags"]) == ["odd_route"]
