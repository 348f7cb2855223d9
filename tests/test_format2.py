"""Pack format 2: converted explicitly by scripts/pack_v2.py, one idiom each, and the only format read."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from clearance.engine import Shipment, determine
from clearance.errors import PackError
from clearance.law import load_pack
from clearance.law.queries import changes
from support import edit, load_script

MINI = Path(__file__).parent / "fixtures" / "mini"
#: The mini pack's Group A carve-out of the catch-all, as format 2 writes it and as format 1 wrote it.
_CARVE_OUT_2 = (
    "      exceptions:\n"
    "        - id: group_a\n"
    "          label: Not to Group A destinations\n"
    "          when:\n"
    "            destination_in_group: [A]\n"
    "          sources: [act]\n"
    "          verified: true\n"
)
_CARVE_OUT_1 = "          - not:\n              destination_in_group: [A]\n"


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


@pytest.fixture
def v1(pack: Path) -> Path:
    """The mini pack as format 1 wrote it: undeclared, `verified: true` left to the default, the carve-out an
    unlabelled `not:`."""
    edit(pack, "pack.yaml", "format: 2\n", "")
    edit(pack, "requirements.yaml", _CARVE_OUT_2, "")
    edit(pack, "requirements.yaml", "          - end_use_in: [wmd]\n", "          - end_use_in: [wmd]\n" + _CARVE_OUT_1)
    for path in pack.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"(?m)^ +verified: true\n", "", text), encoding="utf-8")
    return pack


_EXCEPTION = (
    "      - {{id: x, label: X, when: {{destination_is: [KR]}}, sources: [press], verified: false,\n"
    "         overrides: [{licence}]}}\n"
)


def _fails(pack: Path, path: str, words: str) -> None:
    with pytest.raises(PackError) as caught:
        load_pack(pack)
    assert caught.value.path == path, str(caught.value)
    assert words in caught.value.message, str(caught.value)


def test_a_format_1_pack_is_rejected_naming_the_file_and_the_script(v1: Path) -> None:
    with pytest.raises(PackError) as caught:
        load_pack(v1)
    assert (caught.value.file, caught.value.path) == ("mini/pack.yaml", "format")
    assert "format 1 is no longer read" in caught.value.message
    assert f"scripts/pack_v2.py {v1}" in caught.value.message


def test_the_script_stops_at_an_uncited_repeal(v1: Path) -> None:
    edit(
        v1,
        "measures/no_bulk_kr.yaml",
        "2023-03-23: {repealed: true, sources: [press], verified: false}",
        "2023-03-23: null",
    )
    with pytest.raises(SystemExit, match="null repeal"):
        load_script("pack_v2").convert(v1)


def test_a_converted_pack_answers_as_before(v1: Path) -> None:
    load_script("pack_v2").convert(v1)
    before, after = load_pack(MINI), load_pack(v1)
    assert after.meta.format == 2
    assert "verified: true" in (v1 / "requirements.yaml").read_text(encoding="utf-8")
    for day in (dt.date(2019, 7, 3), dt.date(2019, 7, 4), dt.date(2023, 3, 23)):
        for country in ("KR", "CN", "US", "DE"):
            for code, end_use in (("1C009", "wmd"), ("1A001", "wmd"), ("1A001", "civil")):
                facts = {"destination": country, "item": {"control_code": code, "kind": "goods"}, "end_use": end_use}
                shipment = Shipment.model_validate({"regime": "mini", "date": day, **facts})
                old, new = determine(shipment, before), determine(shipment, after)
                assert (old.licence_required, old.basis, old.licence_options) == (
                    new.licence_required,
                    new.basis,
                    new.licence_options,
                )


def test_verified_is_required(pack: Path) -> None:
    edit(pack, "licence_types.yaml", "      verified: true\n", "")
    _fails(pack, "individual.values.2010-01-01.verified", "required key is missing")


def test_a_repeal_is_cited_never_null(pack: Path) -> None:
    edit(pack, "measures/no_bulk_kr.yaml", "  2023-03-23:", "  2023-03-23: null\n  2023-03-24:")
    _fails(pack, "values.2023-03-23", "not null")


def test_unless_is_format_1(pack: Path) -> None:
    edit(pack, "requirements.yaml", "      verified: true\n", "      verified: true\n      unless: []\n")
    _fails(pack, "listed.values.2010-01-01.unless", "labelled, cited entry of `exceptions`")


def test_an_exception_cites_known_sources_and_is_unique(pack: Path) -> None:
    exception = "        - {id: ok, label: Fine, when: {destination_is: [US]}, sources: [nope], verified: false}\n"
    edit(pack, "requirements.yaml", "      verified: true\n", "      verified: true\n      exceptions:\n" + exception)
    _fails(pack, "listed.values.2010-01-01.exceptions[0].sources[0]", "unknown source id 'nope'")


def test_only_a_measure_exception_gives_back_licence_types_it_removes(pack: Path) -> None:
    exception = _EXCEPTION.format(licence="individual")
    edit(
        pack, "measures/no_bulk_kr.yaml", "    verified: false\n", "    verified: false\n    exceptions:\n" + exception
    )
    _fails(pack, "values.2019-07-04.exceptions[0].overrides[0]", "does not remove 'individual'")


def test_a_labelled_exception_defeats_a_requirement_and_is_cited(pack: Path) -> None:
    exception = (
        "      exceptions:\n"
        "        - {id: group_a, label: Group A carve-out, when: {destination_in_group: [A]},\n"
        "           sources: [press], verified: false}\n"
    )
    edit(
        pack,
        "requirements.yaml",
        "  basis: listed\n  values:\n    2010-01-01:\n",
        "  basis: listed\n  values:\n    2010-01-01:\n" + exception,
    )
    regs = load_pack(pack)
    shipment = Shipment.model_validate(
        {
            "regime": "mini",
            "date": "2015-01-01",
            "destination": "DE",
            "item": {"control_code": "1C009", "kind": "goods"},
        }
    )
    result = determine(shipment, regs)
    step = next(s for s in result.steps if s.rule == "exceptions.requirements.listed.group_a")
    assert step.applies is True and "press" in step.citations
    assert "listed" not in result.basis


def test_a_measure_exception_gives_back_what_it_overrides(pack: Path) -> None:
    exception = _EXCEPTION.format(licence="bulk")
    edit(
        pack, "measures/no_bulk_kr.yaml", "    verified: false\n", "    verified: false\n    exceptions:\n" + exception
    )
    regs = load_pack(pack)
    shipment = Shipment.model_validate(
        {
            "regime": "mini",
            "date": "2019-08-01",
            "destination": "KR",
            "item": {"control_code": "1C009", "kind": "goods"},
        }
    )
    assert "bulk" in determine(shipment, regs).licence_options


def test_references_change_citations_not_the_law(pack: Path) -> None:
    refs = (
        "  references:\n"
        "    2010-01-01: {sources: [act], verified: true}\n"
        "    2015-01-01: {sources: [press], verified: false}\n"
    )
    edit(pack, "requirements.yaml", "  basis: listed\n", "  basis: listed\n" + refs)
    regs = load_pack(pack)
    assert not [c for c in changes(regs) if c.date == dt.date(2015, 1, 1)]
    item = {"control_code": "1C009", "kind": "goods"}
    cited = {}
    for day in ("2014-12-31", "2015-01-01"):
        shipment = Shipment.model_validate({"regime": "mini", "date": day, "destination": "CN", "item": item})
        step = next(s for s in determine(shipment, regs).steps if s.rule == "requirements.listed")
        cited[day] = (step.citations, step.values[0].effective)
    assert "press" not in cited["2014-12-31"][0] and "press" in cited["2015-01-01"][0]
    assert cited["2014-12-31"][1] == cited["2015-01-01"][1] == dt.date(2010, 1, 1)


def test_a_row_set_names_rows_and_must_exist(pack: Path) -> None:
    (pack / "control_list" / "row_sets.yaml").write_text("dual_use: {label: Dual use, rows: ['5']}\n", encoding="utf-8")
    edit(pack, "requirements.yaml", 'item_in_rows: ["5"]', "item_in_rows: dual_use")
    load_pack(pack)
    edit(pack, "requirements.yaml", "item_in_rows: dual_use", "item_in_rows: dual_uses")
    _fails(pack, "listed.values.2010-01-01.when.item_in_rows", "unknown row set 'dual_uses'")
