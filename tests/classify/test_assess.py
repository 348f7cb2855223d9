"""``clearance classify assess``: the YAML cases (both sides of every threshold), the contract of the JSON output,
bad input (exit 2 naming the field), catalogues (--batch) and the parameter sheets' load-time checks."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from typer.testing import CliRunner

import clearance.cli.classify as cli
from clearance.classify.assess import Assessor, assessor, parse_request
from clearance.classify.clause_links import _coverage
from clearance.classify.hs import check_hs
from clearance.classify.ordinance import GoodsOrdinance
from clearance.classify.sheets import SHEETS, Parameter, SheetSet, Vocabulary, clauses_read
from clearance.classify.views import assessment_view
from clearance.errors import PackError
from clearance.law import RegulationSet

CASES = Path(__file__).resolve().parents[1] / "cases" / "classify" / "assess-jp.yaml"
ALL_CASES = yaml.safe_load(CASES.read_text(encoding="utf-8"))["cases"]


@pytest.fixture(scope="module")
def worker(jp_pack: Any) -> Assessor:
    return assessor({"jp": jp_pack})


@pytest.fixture(autouse=True)
def only_jp(monkeypatch: pytest.MonkeyPatch, jp_pack: Any) -> None:
    monkeypatch.setattr(cli, "regulations", lambda: RegulationSet({"jp": jp_pack}))


def view_of(worker: Assessor, product: dict[str, Any], date: str = "2026-03-01") -> dict[str, Any]:
    return assessment_view(worker.assess(parse_request({"regime": "jp", "date": date, "product": product})))


@pytest.mark.parametrize("case", ALL_CASES, ids=[c["name"] for c in ALL_CASES])
def test_case(worker: Assessor, case: dict[str, Any]) -> None:
    view = view_of(worker, case["product"], case["date"])
    expect = case["expect"]
    assert view["verdict"] == expect["verdict"]
    if "entries" in expect:
        assert {e["ref"]: e["verdict"] for e in view["entries"]} == expect["entries"]
    if "questions" in expect:
        assert sorted(q["parameter"] for q in view["questions"]) == sorted(expect["questions"])
    if "catch_all" in expect:
        assert view["catch_all"] == expect["catch_all"]
    if "in_force" in expect:  # the sheet value and the Goods Ordinance text each entry was answered from
        entries = {e["ref"]: e for e in view["entries"]}
        for ref, (sheet, text) in expect["in_force"].items():
            assert entries[ref]["sheet_in_force"] == sheet
            assert {c["in_force"] for c in entries[ref]["citations"]} == {text}


def test_every_threshold_has_a_case_on_each_side(worker: Assessor) -> None:
    """Each numeric test of each sheet is decided both ways by some case."""
    seen: dict[tuple[str, str, str], set[bool]] = {}
    for case in ALL_CASES:
        view = view_of(worker, case["product"], case["date"])
        for entry in view["entries"]:
            for test in entry["tests"]:
                if test["result"] is not None and test["comparison"] in ("at_least", "over", "below", "at_most"):
                    key = (entry["ref"], test["clause"].split(" / ")[-1], f"{test['symbol']}{test['threshold']}")
                    seen.setdefault(key, set()).add(test["result"])
    one_sided = [k for k, results in seen.items() if results != {True, False}]
    assert not one_sided
    assert len(seen) >= 10


def test_contract_of_the_json_output(worker: Assessor) -> None:
    view = view_of(
        worker,
        {"name": "Hydrofluoric acid 49 %", "kind": "goods", "hs_code": "2811.11",
         "composition": [{"cas": "7664-39-3", "weight_percent": 49}, {"cas": "7732-18-5", "weight_percent": 51}]},
    )  # fmt: skip
    assert {"verdict", "entries", "catch_all", "questions", "data_version"} <= set(view)
    entry = view["entries"][0]
    assert entry["ref"] == "jp:3(1)" and entry["verdict"] == "listed"
    caught = next(t for t in entry["tests"] if t["result"] is True)
    assert caught["clause"] == "Art. 2(1)(i) / Art. 2(1)(i) ヘ" and caught["value"] == 49 and caught["threshold"] == 30
    assert "三〇パーセントを超える" in caught["clause_text"] and caught["symbol"] == ">"
    assert entry["citations"][0]["provision"] == "Art. 2(1)" and entry["citations"][0]["in_force"] == "2026-02-14"
    assert view["data_version"].startswith("jp-") and "+goods-ordinance-" in view["data_version"]
    assert view["catch_all"] is None  # listed: the list control applies


def test_not_listed_goods_are_placed_by_the_pack(worker: Assessor, jp_pack: Any) -> None:
    view = view_of(worker, {"name": "Hydrofluoric acid 30 %", "hs_code": "2811.11",
                            "composition": [{"cas": "7664-39-3", "weight_percent": 30},
                                            {"cas": "7732-18-5", "weight_percent": 70}]})  # fmt: skip
    assert view["verdict"] == "not_listed"
    assert view["catch_all"] == check_hs(jp_pack, "2811.11", dt.date(2026, 3, 1)).row
    assert view["catch_all"] and view["catch_all"].startswith("jp:16")
    assert view["catch_all_detail"]["applies"] == "yes"


def test_undecided_goods_are_placed_if_not_listed(worker: Assessor) -> None:
    view = view_of(worker, {"name": "ArF photoresist", "hs_code": "3707.90",
                            "parameters": {"exposure_wavelength_nm": 193, "resist_tone": "positive",
                                           "for_semiconductor_lithography": True}})  # fmt: skip
    assert view["verdict"] == "undecided" and view["catch_all_detail"]["applies"] == "if_not_listed"
    (question,) = view["questions"]
    assert question["parameter"] == "resist_technique" and question["entries"] == ["jp:7(19)"]
    assert question["question_local"] and {v["value"] for v in question["values"]} >= {"optical", "surface_imaging"}


def test_missing_hs_code_is_asked_for_a_not_listed_good(worker: Assessor) -> None:
    view = view_of(worker, {"name": "Fluorinated polyimide", "parameters": {"combined_fluorine_weight_percent": 5}})
    assert view["verdict"] == "not_listed" and view["catch_all"] is None
    assert [q["parameter"] for q in view["questions"]] == ["hs_code"]


def test_inferred_parameters_say_so(worker: Assessor) -> None:
    parameters = {"exposure_wavelength_nm": 13.5, "for_semiconductor_lithography": True}
    view = view_of(worker, {"name": "EUV photoresist", "parameters": parameters})
    assert view["inferred"] == {"goods_type": "from the product's words: 'photoresist'"}
    assert view["verdict"] == "listed"


def test_technology_is_not_assessed_with_goods_sheets(worker: Assessor) -> None:
    view = view_of(worker, {"name": "EUV resist manufacturing know-how", "kind": "technology"})
    assert view["verdict"] == "undecided"
    assert "technology" in view["entries"][0]["note"]


@settings(max_examples=80, deadline=None)
@given(
    wavelength=st.decimals(min_value=Decimal("0.5"), max_value=Decimal("400"), places=2),
    tone=st.sampled_from(["positive", "negative"]),
)
def test_resist_verdict_follows_the_clause(worker: Assessor, wavelength: Decimal, tone: str) -> None:
    view = view_of(worker, {"name": "Photoresist", "parameters": {
        "exposure_wavelength_nm": str(wavelength), "resist_tone": tone, "for_semiconductor_lithography": True,
        "resist_technique": "optical"}})  # fmt: skip
    caught = (tone == "positive" and 15 <= wavelength < 193) or 1 < wavelength < 15
    assert view["verdict"] == ("listed" if caught else "not_listed")


@settings(max_examples=60, deadline=None)
@given(share=st.decimals(min_value=Decimal("0"), max_value=Decimal("100"), places=3))
def test_hydrogen_fluoride_is_listed_over_30_percent(worker: Assessor, share: Decimal) -> None:
    view = view_of(worker, {"name": "HF", "composition": [{"cas": "7664-39-3", "weight_percent": str(share)},
                                                         {"cas": "7732-18-5"}]})  # fmt: skip
    assert view["verdict"] == ("listed" if share > 30 else "not_listed")


def run(*args: str, stdin: str | None = None) -> Any:
    return CliRunner().invoke(cli.app, list(args), input=stdin)


def test_cli_assess_json_from_stdin() -> None:
    request = {"regime": "jp", "date": "2026-03-01", "product": {"name": "EUV photoresist", "kind": "goods",
               "parameters": {"exposure_wavelength_nm": 13.5, "resist_tone": "positive",
                              "for_semiconductor_lithography": True}}}  # fmt: skip
    result = run("assess", "-", "--json", stdin=json.dumps(request))
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["verdict"] == "listed" and [e["ref"] for e in data["entries"]] == ["jp:7(19)"]
    table = run("assess", "-", stdin=json.dumps(request))
    assert table.exit_code == 0 and "○" in table.stdout and "Art. 6(1)(xix) イ (二)" in table.stdout


@pytest.mark.parametrize(
    ("request_data", "field"),
    [
        ({"regime": "jp", "date": "2026-13-01", "product": {"name": "x"}}, "date"),
        ({"regime": "jp", "date": "2026-03-01"}, "product"),
        ({"regime": "jp", "date": "2026-03-01", "product": {"name": ""}}, "product.name"),
        ({"regime": "jp", "date": "2026-03-01", "product": {"name": "x", "kind": "service"}}, "product.kind"),
        ({"regime": "jp", "date": "2026-03-01", "product": {"name": "x", "hs_code": "28x"}}, "product.hs_code"),
        (
            {"regime": "jp", "date": "2026-03-01",
             "product": {"name": "x", "composition": [{"cas": "7664-39-3", "weight_percent": 101}]}},
            "product.composition.0.weight_percent",
        ),
        (
            {"regime": "jp", "date": "2026-03-01", "product": {"name": "x", "parameters": {"wavelength": 13}}},
            "product.parameters.wavelength",
        ),
        (
            {"regime": "jp", "date": "2026-03-01", "product": {"name": "x", "parameters": {"resist_tone": "grey"}}},
            "product.parameters.resist_tone",
        ),
        (
            {"regime": "jp", "date": "2026-03-01",
             "product": {"name": "x", "parameters": {"for_semiconductor_lithography": "yes"}}},
            "product.parameters.for_semiconductor_lithography",
        ),
        ({"regime": "xx", "date": "2026-03-01", "product": {"name": "x"}}, "regime"),
        (
            {"regime": "jp", "date": "2026-03-01",
             "product": {"name": "x", "parameters": {"wavelength_x035_per_na_nm": 40}}},
            "product.parameters.wavelength_x035_per_na_nm",
        ),
        (
            {"regime": "jp", "date": "2026-03-01",
             "product": {"name": "x", "parameters": {"light_source_wavelength_nm": 193, "numerical_aperture": 0}}},
            "product.parameters.numerical_aperture",
        ),
    ],
)  # fmt: skip
def test_bad_input_exits_2_naming_the_field(request_data: dict[str, Any], field: str) -> None:
    result = run("assess", "-", "--json", stdin=json.dumps(request_data))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"error: {field}:"), result.stderr


def test_not_json_exits_2() -> None:
    result = run("assess", "-", stdin="{not json")
    assert result.exit_code == 2 and result.stderr.startswith("error: input:")


def test_batch_answers_every_row(tmp_path: Path) -> None:
    catalogue = tmp_path / "catalogue.csv"
    catalogue.write_text(
        "part_number,name,hs_code,composition,exposure_wavelength_nm,resist_tone,for_semiconductor_lithography\n"
        "HF-100,Anhydrous hydrogen fluoride,2811.11,7664-39-3:100,,,\n"
        "HF-49,Hydrofluoric acid 49%,2811.11,7664-39-3:49; 7732-18-5:51,,,\n"
        "EUV-1,EUV photoresist,3707.90,,13.5,positive,true\n"
        "BAD-1,Broken resist,3707.90,,thirteen,positive,true\n"
        "ARF-1,ArF photoresist,3707.90,,193,positive,maybe\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.xlsx"
    result = run("assess", str(catalogue), "--batch", "--date", "2026-03-01", "--json", "-o", str(out), "--progress")
    assert result.exit_code == 1, result.stderr
    assert result.stderr.startswith("Assessing: 0/5 lines (") and "Assessing: 5/5 lines (" in result.stderr
    rows = json.loads(result.stdout)
    assert [r["position"] for r in rows] == [2, 3, 4, 5, 6]
    assert [r["assessment"]["verdict"] for r in rows[:3]] == ["listed", "listed", "listed"]
    assert rows[3]["field"] == "exposure_wavelength_nm"
    assert rows[4]["field"] == "for_semiconductor_lithography"
    sheet = load_workbook(out).active
    assert sheet is not None
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:4] == ["row", "part_number", "name", "verdict"] and len(values) == 6


def test_batch_unknown_column_is_a_row_problem(tmp_path: Path) -> None:
    catalogue = tmp_path / "c.csv"
    catalogue.write_text("name,colour\nWidget,red\n", encoding="utf-8")
    result = run("assess", str(catalogue), "--batch", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)[0]["field"] == "colour"


# The sheets' load-time checks, each with a broken copy of a bundled sheet.
BROKEN = [
    ("words: 一九三ナノメートル未満", "words: 二四五ナノメートル未満", "are not in the text of Art. 6(1)(xix) イ (一)"),
    ("parameter: resist_tone", "parameter: resist_colour", "unknown parameter 'resist_colour'"),
    ("equals: positive", "equals: grey", "'grey' is not a value of 'resist_tone'"),
    ("at_least: 15", "equals: '15'", "does not fit the number"),
    ("sources: [kamotsu_ordinance]", "sources: [nowhere]", "unknown source id 'nowhere'"),
    ("clause: Art. 6(1)(xix) ホ", "clause: Art. 6(1)(xix) ヘ", "is not among the clauses bundled"),
    ("entry: 7(19)", "entry: 7(18)", "does not match the file name"),
]


@pytest.mark.parametrize(("old", "new", "message"), BROKEN, ids=[b[2] for b in BROKEN])
def test_broken_sheet_fails_to_load(tmp_path: Path, jp_pack: Any, old: str, new: str, message: str) -> None:
    folder = tmp_path / "sheets"
    folder.mkdir()
    text = (SHEETS / "7-19.yaml").read_text(encoding="utf-8")
    assert old in text
    (folder / "7-19.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(PackError, match=message.replace("(", r"\(").replace(")", r"\)")) as info:
        SheetSet(jp_pack.sources, GoodsOrdinance(), folder)
    assert "goods_ordinance/sheets/7-19.yaml" in str(info.value)


def test_bundled_sheets_load(jp_pack: Any) -> None:
    sheets = SheetSet(jp_pack.sources, GoodsOrdinance())
    rows_3 = {"3(1)", "3(2)", "3(3)", "3-2(2)"}
    rows_7 = {"7(16)", "7(17)", "7(17-2)", "7(18)", "7(19)", "7(20)", "7(21)", "7(22)", "7(23)", "7(24)", "7(25)"}
    assert set(sheets.sheets) == rows_3 | {"5(17)"} | rows_7


# A partial sheet: the bundled 7(16) encodes every clause (text_only: []); a copy leaves Art. 6(1)(xvii-2) text only.
UNACCOUNTED = "is neither encoded by a branch, text only, nor deleted"
TEXT_ONLY = "Art. 6(1)(xvii-2)"


def sheet_7_16(text_only: list[str]) -> dict[str, Any]:
    """The bundled 7(16) sheet with the branches and exceptions of ``text_only`` clauses left out and those clauses
    listed text only."""
    sheet = yaml.safe_load((SHEETS / "7-16.yaml").read_text(encoding="utf-8"))
    value = sheet["values"]["2026-02-14"]
    for key in ("any", "exceptions"):
        value[key] = [b for b in value[key] if not any(b["clause"].startswith(c) for c in text_only)]
    value["text_only"] = [{"clause": c, "label": "not encoded in this copy"} for c in text_only]
    return sheet


def write_sheets(folder: Path, sheet: dict[str, Any], others: bool = True) -> Path:
    """A sheets folder holding ``sheet`` as 7-16.yaml (and the other bundled sheets unless ``others`` is false)."""
    folder.mkdir()
    for path in SHEETS.glob("*.yaml") if others else ():
        shutil.copy(path, folder / path.name)
    (folder / "7-16.yaml").write_text(yaml.safe_dump(sheet, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def partial(jp_pack: Any, tmp_path_factory: pytest.TempPathFactory) -> Assessor:
    """An assessor whose 7(16) sheet is partial: Art. 6(1)(xvii-2) text only."""
    ordinance = GoodsOrdinance()
    folder = write_sheets(tmp_path_factory.mktemp("partial") / "sheets", sheet_7_16([TEXT_ONLY]))
    return Assessor(jp_pack, SheetSet(jp_pack.sources, ordinance, folder), ordinance)


def test_bundled_7_16_encodes_every_clause(jp_pack: Any) -> None:
    value = SheetSet(jp_pack.sources, GoodsOrdinance()).sheets["7(16)"].values[dt.date(2026, 2, 14)]
    assert value is not None and value.text_only == ()  # declared empty: coverage is still checked
    assert {"ic_imaging_sem", "cryogenic_wafer_prober"} <= {b.id for b in value.any}


@pytest.mark.parametrize(
    ("text_only", "message"),
    [
        ([TEXT_ONLY], f"{TEXT_ONLY} {UNACCOUNTED}"),  # a partial sheet losing its text-only line
        ([f"{TEXT_ONLY} ロ"], f"{TEXT_ONLY} {UNACCOUNTED}"),  # a complete sheet (text_only: []) losing a branch
    ],
    ids=["partial", "complete"],
)
def test_sheet_must_account_for_every_clause(tmp_path: Path, jp_pack: Any, text_only: list[str], message: str) -> None:
    sheet = sheet_7_16(text_only)
    sheet["values"]["2026-02-14"]["text_only"] = []
    folder = write_sheets(tmp_path / "sheets", sheet, others=False)
    with pytest.raises(PackError, match=re.escape(message)) as info:
        SheetSet(jp_pack.sources, GoodsOrdinance(), folder)
    assert "goods_ordinance/sheets/7-16.yaml" in str(info.value) and "text_only" in str(info.value)


def test_a_clause_cannot_be_both_encoded_and_text_only(tmp_path: Path, jp_pack: Any) -> None:
    """A merge that brings back a text-only line for an encoded sub-item would leave a branch open for nothing."""
    folder = tmp_path / "sheets"
    folder.mkdir()
    text = (SHEETS / "7-16.yaml").read_text(encoding="utf-8")
    again = '    text_only:\n      - {clause: Art. 6(1)(xvii) ツ, label: "Selective tungsten or molybdenum growth"}\n'
    assert text.count("    text_only: []\n") == 1
    (folder / "7-16.yaml").write_text(text.replace("    text_only: []\n", again), encoding="utf-8")
    with pytest.raises(PackError, match=re.escape("Art. 6(1)(xvii) ツ is text only but a branch encodes 6(1)(xvii)ツ")):
        SheetSet(jp_pack.sources, GoodsOrdinance(), folder)


def test_partial_sheet_names_the_text_only_clauses(partial: Assessor, worker: Assessor) -> None:
    tool = {"goods_type": "semiconductor_equipment", "equipment_type": "other", "for_euv_pattern_shaping": False}
    product = {"name": "Deposition tool", "hs_code": "8486.20", "parameters": tool}
    view = view_of(partial, product)
    entry = next(e for e in view["entries"] if e["ref"] == "jp:7(16)")
    assert entry["verdict"] == "undecided" and entry["questions"] == []
    unread = [b for b in entry["branches"] if not b["encoded"]]
    assert [b["clause"] for b in unread] == [TEXT_ONLY]
    assert all(b["result"] is None and not b["tests"] for b in unread)
    assert "encodes only part" in entry["note"] and TEXT_ONLY in entry["note"]
    assert all(b["result"] is False for b in entry["branches"] if b["encoded"])
    complete = next(e for e in view_of(worker, product)["entries"] if e["ref"] == "jp:7(16)")
    assert complete["verdict"] == "not_listed" and complete["note"] is None


def test_regime_page_marks_a_partial_sheet(tmp_path: Path) -> None:
    folder = write_sheets(tmp_path / "sheets", sheet_7_16([TEXT_ONLY]), others=False)
    assert _coverage(folder / "7-16.yaml", dt.date(2026, 2, 14)) == ("7(16)", "sheet (partial)")
    assert _coverage(SHEETS / "7-17-2.yaml", dt.date(2026, 2, 14)) == ("7(17-2)", "sheet")


SEMICONDUCTOR_TOOLS = [
    "epitaxial_growth",
    "ion_implanter",
    "wafer_transfer_hub",
    "lithography",
    "test_equipment",
    "pellicle_manufacturing",
    "resist_processing",
    "etching",
    "deposition",
    "other",
]


@settings(max_examples=60, deadline=None)
@given(
    kind=st.sampled_from(SEMICONDUCTOR_TOOLS),
    flags=st.lists(st.booleans(), min_size=24, max_size=24),
    number=st.decimals(min_value=Decimal("0.1"), max_value=Decimal("1000"), places=1),
    litho=st.sampled_from(["stepper_scanner", "imprint", "other"]),
    source=st.sampled_from(["optical", "x_ray", "electron_beam", "ion_beam", "laser_beam", "other"]),
)
def test_partial_sheet_is_never_not_listed_for_semiconductor_equipment(
    partial: Assessor, kind: str, flags: list[bool], number: Decimal, litho: str, source: str
) -> None:
    """Whatever the encoded sub-items answer, the text-only ones keep 7(16) from being found not listed."""
    booleans = ["for_non_silicon_film", "for_silicon_or_sige_epitaxy", "implants_hydrogen_or_helium", "direct_write",
                "implants_oxygen_into_heated_substrate", "implants_silicon", "connects_different_functions",
                "vacuum_integrated_sequential_processing", "same_process_simultaneous", "for_mask_making",
                "for_direct_write_manufacture", "for_microwave_transistor_s_parameters", "for_mmic_amplifier_testing",
                "for_euv_pellicles", "for_euv_resist", "for_wet_etch", "for_dry_etch", "for_isotropic_etch",
                "for_anisotropic_etch", "wafer_thickness_uniformity_tuning", "tsv_reveal_endpoint_detection",
                "for_dielectric_etch", "for_tsv_etch", "for_euv_pattern_shaping"]  # fmt: skip
    tested = partial.sheets.sheets["7(16)"].parameters()
    numbers = [n for n, p in partial.sheets.vocabulary.parameters.items()
               if p.type == "number" and not p.derived and n in tested]  # fmt: skip
    parameters = {"goods_type": "semiconductor_equipment", "equipment_type": kind, "epitaxy_method": "other",
                  "lithography_type": litho, "exposure_source": source, "numerical_aperture": str(number),
                  **dict(zip(booleans, flags, strict=True)), **{n: str(number) for n in numbers}}  # fmt: skip
    view = view_of(partial, {"name": "Tool", "hs_code": "8486.20", "parameters": parameters})
    entry = next(e for e in view["entries"] if e["ref"] == "jp:7(16)")
    assert entry["verdict"] in ("listed", "undecided")
    assert entry["verdict"] == ("listed" if any(b["result"] for b in entry["branches"]) else "undecided")


def draw_value(data: st.DataObject, name: str, parameter: Parameter, divisor: bool) -> Any:
    """Any value of ``parameter`` (a number from -300 to 10⁹, or above 0 for a ``divisor`` of a derived one)."""
    if parameter.type == "boolean":
        return data.draw(st.booleans(), name)
    if parameter.type == "choice":
        return data.draw(st.sampled_from(sorted(parameter.values)), name)
    low = Decimal("0.01") if divisor else Decimal(-300)
    return str(data.draw(st.decimals(min_value=low, max_value=Decimal(10**9), places=2), name))


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_complete_sheet_decides_equipment_whose_parameters_are_all_given(worker: Assessor, data: st.DataObject) -> None:
    """With every parameter 7(16) tests given, its complete sheet answers listed or not listed, never undecided."""
    vocabulary = worker.sheets.vocabulary.parameters
    tested = [vocabulary[n].derived or n for n in sorted(worker.sheets.sheets["7(16)"].parameters())]
    given = dict.fromkeys(i for t in tested for i in ((t,) if isinstance(t, str) else (t.of, t.per)))
    divisors = {t.per for t in tested if not isinstance(t, str)}
    parameters = {n: draw_value(data, n, vocabulary[n], n in divisors) for n in given}
    parameters["goods_type"] = data.draw(st.sampled_from(["semiconductor_equipment", "semiconductor_equipment_part"]))
    view = view_of(worker, {"name": "Tool", "hs_code": "8486.20", "parameters": parameters})
    entry = next(e for e in view["entries"] if e["ref"] == "jp:7(16)")
    assert entry["verdict"] == ("listed" if any(b["result"] for b in entry["branches"]) else "not_listed")
    assert entry["questions"] == []


@pytest.mark.parametrize(
    ("derived", "message"),
    [
        ({"type": "number", "unit": "nm", "derived": {"of": "wavelength", "times": 1, "per": "na"}},
         "derived from 'wavelength', which is not a given number parameter"),
        ({"type": "boolean", "derived": {"of": "na", "times": 1, "per": "na"}}, "only a number parameter is derived"),
    ],
)  # fmt: skip
def test_broken_derived_parameter_fails_to_load(derived: dict[str, Any], message: str) -> None:
    na = {"type": "number", "unit": "NA", "question": "NA?", "question_local": "開口数？"}
    with pytest.raises(ValueError, match=re.escape(message)):
        Vocabulary.model_validate(
            {"parameters": {"na": na, "x": {**derived, "question": "x?", "question_local": "x？"}}}
        )


def test_derived_parameter_is_computed_and_said_so(worker: Assessor) -> None:
    view = view_of(worker, {"name": "EUV scanner", "parameters": {
        "goods_type": "semiconductor_equipment", "equipment_type": "lithography", "lithography_type": "stepper_scanner",
        "exposure_source": "optical", "light_source_wavelength_nm": 13.5, "numerical_aperture": 0.55}})  # fmt: skip
    assert view["parameters"]["wavelength_x035_per_na_nm"] == pytest.approx(8.590909, rel=1e-6)
    assert view["inferred"]["wavelength_x035_per_na_nm"].startswith("computed: light_source_wavelength_nm × 0.35")
    entry = next(e for e in view["entries"] if e["ref"] == "jp:7(16)")
    branch = next(b for b in entry["branches"] if b["id"] == "litho_k035_45nm")
    assert branch["result"] is True and branch["clause"] == "Art. 6(1)(xvii) ヘ (一) 2"


@pytest.mark.parametrize(
    ("cut", "changed", "unchanged"), [("2021-01-27", "2(1)(iii)カ", "2(1)(i)ノ"), ("2021-12-15", "2(1)(i)ノ", "カ")]
)
def test_a_sheet_value_cannot_run_past_a_version_that_changes_its_clauses(
    tmp_path: Path, jp_pack: Any, cut: str, changed: str, unchanged: str
) -> None:
    """3(1) read from the 2019 text cannot stay in force over the 2021-01-27 text, which rewords Art. 2(1)(iii) カ,
    nor its 2021-01-27 value over the 2021-12-15 text, which lists 49 precursors in Art. 2(1)(i): without its later
    values the sheet fails to load, naming the clauses that changed."""
    folder = tmp_path / "sheets"
    folder.mkdir()
    text = (SHEETS / "3-1.yaml").read_text(encoding="utf-8")
    (folder / "3-1.yaml").write_text(text[: text.index(f"  '{cut}':")], encoding="utf-8")
    with pytest.raises(PackError, match=rf"Art. 2\(1\) reads differently in the Goods Ordinance of {cut}") as info:
        SheetSet(jp_pack.sources, GoodsOrdinance(), folder)
    assert changed in str(info.value) and unchanged not in str(info.value)


def test_each_sheet_starts_on_the_earliest_bundled_version_reading_its_clauses_alike(jp_pack: Any) -> None:
    """No bundled version before a sheet's first value holds its clauses with the same text: else the sheet could
    start earlier. The values before a change (3(1) in 2019) encode the earlier text."""
    ordinance = GoodsOrdinance()
    sheets = SheetSet(jp_pack.sources, ordinance)
    for sheet in sheets.sheets.values():
        first = min(sheet.values)
        value = sheet.values[first]
        assert value is not None
        start = ordinance.version_on(first)[0]
        assert start.in_force == first, sheet.entry
        refs = clauses_read(value)
        for version in (v for v in ordinance.versions if v.in_force < first):
            alike = all(ordinance.reading(r, version) in (None, ordinance.reading(r, start)) for r in refs)
            held = all(ordinance.reading(r, version) is not None for r in refs)
            assert not (held and alike), f"{sheet.entry} could start {version.in_force}"
    assert min(sheets.sheets["7(19)"].values) == dt.date(2017, 1, 7)
    assert min(sheets.sheets["5(17)"].values) == dt.date(2017, 1, 7)
    assert min(sheets.sheets["7(22)"].values) == dt.date(2024, 2, 1)  # reads Art. 6(1)(xxiv), bundled from 2024-02-01
    assert sorted(sheets.sheets["3(1)"].values) == [
        dt.date(2017, 1, 7), dt.date(2019, 1, 9), dt.date(2021, 1, 27), dt.date(2021, 12, 15), dt.date(2025, 5, 28)
    ]  # fmt: skip
