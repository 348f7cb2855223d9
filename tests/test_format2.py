"""Pack format 2: converted explicitly by scripts/pack_v2.py, one idiom each, and strict about the other format."""

from __future__ import annotations

import datetime as dt
import importlib.util
import shutil
from pathlib import Path
from types import ModuleType

import pytest

from clearance.engine import Shipment, determine
from clearance.errors import PackError
from clearance.law import load_pack
from clearance.law.queries import changes

ROOT = Path(__file__).resolve().parents[1]
MINI = Path(__file__).parent / "fixtures" / "mini"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("pack_v2", ROOT / "scripts" / "pack_v2.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _edit(pack: Path, relative: str, old: str, new: str) -> None:
    path = pack / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture {relative} lacks {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def v1(tmp_path: Path) -> Path:
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    _edit(
        target,
        "measures/no_bulk_kr.yaml",
        "2023-03-23: null",
        "2023-03-23: {repealed: true, sources: [press], verified: false}",
    )
    return target


@pytest.fixture
def v2(v1: Path) -> Path:
    _script().convert(v1)
    return v1


_EXCEPTION = (
    "      - {{id: x, label: X, when: {{destination_is: [KR]}}, sources: [press], verified: false,\n"
    "         overrides: [{licence}]}}\n"
)


def _fails(pack: Path, path: str, words: str) -> None:
    with pytest.raises(PackError) as caught:
        load_pack(pack)
    assert caught.value.path == path, str(caught.value)
    assert words in caught.value.message, str(caught.value)


def test_the_script_stops_at_an_uncited_repeal(tmp_path: Path) -> None:
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    with pytest.raises(SystemExit, match="null repeal"):
        _script().convert(target)


def test_a_converted_pack_answers_as_before(v1: Path, v2: Path) -> None:
    before = load_pack(MINI)
    after = load_pack(v2)
    assert after.meta.format == 2
    assert "verified: true" in (v2 / "requirements.yaml").read_text(encoding="utf-8")
    for day in (dt.date(2019, 7, 3), dt.date(2019, 7, 4), dt.date(2023, 3, 23)):
        for country in ("KR", "CN", "US"):
            facts = {"destination": country, "item": {"control_code": "1C009", "kind": "goods"}, "end_use": "wmd"}
            shipment = Shipment.model_validate({"regime": "mini", "date": day, **facts})
            old, new = determine(shipment, before), determine(shipment, after)
            assert (old.licence_required, old.basis, old.licence_options) == (
                new.licence_required,
                new.basis,
                new.licence_options,
            )


def test_a_v1_pack_may_not_use_format_2_keys(v1: Path) -> None:
    _edit(
        v1,
        "requirements.yaml",
        "      sources: [act]\n",
        "      sources: [act]\n",
    )
    _edit(
        v1,
        "requirements.yaml",
        "  basis: listed\n",
        "  basis: listed\n  references: {2010-01-01: {sources: [act], verified: true}}\n",
    )
    _fails(v1, "listed.references", "declare `format: 2`")


def test_verified_is_required(v2: Path) -> None:
    _edit(v2, "licence_types.yaml", "      verified: true\n", "")
    _fails(v2, "individual.values.2010-01-01.verified", "required key is missing")


def test_a_repeal_is_cited_never_null(v2: Path) -> None:
    _edit(v2, "measures/no_bulk_kr.yaml", "  2023-03-23:", "  2023-03-23: null\n  2023-03-24:")
    _fails(v2, "values.2023-03-23", "not null")


def test_unless_is_format_1(v2: Path) -> None:
    _edit(v2, "requirements.yaml", "      verified: true\n", "      verified: true\n      unless: []\n")
    _fails(v2, "listed.values.2010-01-01.unless", "labelled, cited entry of `exceptions`")


def test_an_exception_cites_known_sources_and_is_unique(v2: Path) -> None:
    exception = "        - {id: ok, label: Fine, when: {destination_is: [US]}, sources: [nope], verified: false}\n"
    _edit(v2, "requirements.yaml", "      verified: true\n", "      verified: true\n      exceptions:\n" + exception)
    _fails(v2, "listed.values.2010-01-01.exceptions[0].sources[0]", "unknown source id 'nope'")


def test_only_a_measure_exception_gives_back_licence_types_it_removes(v2: Path) -> None:
    exception = _EXCEPTION.format(licence="individual")
    _edit(v2, "measures/no_bulk_kr.yaml", "    verified: false\n", "    verified: false\n    exceptions:\n" + exception)
    _fails(v2, "values.2019-07-04.exceptions[0].overrides[0]", "does not remove 'individual'")


def test_a_labelled_exception_defeats_a_requirement_and_is_cited(v2: Path) -> None:
    exception = (
        "      exceptions:\n"
        "        - {id: group_a, label: Group A carve-out, when: {destination_in_group: [A]},\n"
        "           sources: [press], verified: false}\n"
    )
    _edit(
        v2,
        "requirements.yaml",
        "  basis: listed\n  values:\n    2010-01-01:\n",
        "  basis: listed\n  values:\n    2010-01-01:\n" + exception,
    )
    regs = load_pack(v2)
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


def test_a_measure_exception_gives_back_what_it_overrides(v2: Path) -> None:
    exception = _EXCEPTION.format(licence="bulk")
    _edit(v2, "measures/no_bulk_kr.yaml", "    verified: false\n", "    verified: false\n    exceptions:\n" + exception)
    regs = load_pack(v2)
    shipment = Shipment.model_validate(
        {
            "regime": "mini",
            "date": "2019-08-01",
            "destination": "KR",
            "item": {"control_code": "1C009", "kind": "goods"},
        }
    )
    assert "bulk" in determine(shipment, regs).licence_options


def test_references_change_citations_not_the_law(v2: Path) -> None:
    refs = (
        "  references:\n"
        "    2010-01-01: {sources: [act], verified: true}\n"
        "    2015-01-01: {sources: [press], verified: false}\n"
    )
    _edit(v2, "requirements.yaml", "  basis: listed\n", "  basis: listed\n" + refs)
    regs = load_pack(v2)
    assert not [c for c in changes(regs) if c.date == dt.date(2015, 1, 1)]
    item = {"control_code": "1C009", "kind": "goods"}
    cited = {}
    for day in ("2014-12-31", "2015-01-01"):
        shipment = Shipment.model_validate({"regime": "mini", "date": day, "destination": "CN", "item": item})
        step = next(s for s in determine(shipment, regs).steps if s.rule == "requirements.listed")
        cited[day] = (step.citations, step.values[0].effective)
    assert "press" not in cited["2014-12-31"][0] and "press" in cited["2015-01-01"][0]
    assert cited["2014-12-31"][1] == cited["2015-01-01"][1] == dt.date(2010, 1, 1)


def test_a_row_set_names_rows_and_must_exist(v2: Path) -> None:
    (v2 / "control_list" / "row_sets.yaml").write_text("dual_use: {label: Dual use, rows: ['5']}\n", encoding="utf-8")
    _edit(v2, "requirements.yaml", 'item_in_rows: ["5"]', "item_in_rows: dual_use")
    load_pack(v2)
    _edit(v2, "requirements.yaml", "item_in_rows: dual_use", "item_in_rows: dual_uses")
    _fails(v2, "listed.values.2010-01-01.when.item_in_rows", "unknown row set 'dual_uses'")
