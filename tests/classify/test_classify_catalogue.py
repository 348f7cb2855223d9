"""The product catalogue: CSV/XLSX round trips, malformed rows with row numbers, and product resolution."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from clearance.classify.catalogue import (
    Catalogue,
    Product,
    ProductClassification,
    resolve_product,
    resolve_shipment,
)
from clearance.classify.tabular import COLUMNS, read_catalogue, write_catalogue
from clearance.errors import InputError

# -- round trip ------------------------------------------------------------------------------------------------

_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
    | st.sampled_from(["\n", "\t", ",", '"', "=", "フ", "불"]),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip() != "")
_LINE = _TEXT.filter(lambda s: "\n" not in s and "\t" not in s and "\r" not in s)
_CODES = st.sampled_from(["1C350.d.15", "1C009.b", "3C002.a.2", "2B001", "7A002", "0A981", "1C202.b"])
_HS = st.sampled_from([None, "2811.11", "8479.89", "8705.10", "3707.90", "84", "847989", "9014.20.000"])


@st.composite
def _classification(draw: st.DrawFn, regime: str) -> ProductClassification:
    listed = draw(st.booleans())
    return ProductClassification(
        regime=regime,
        status="listed" if listed else "not_listed",
        control_code=draw(_CODES) if listed else None,
        entry=draw(st.none() | _TEXT),
        classified_by=draw(_TEXT),
        classified_on=draw(st.dates()),
        evidence=draw(_TEXT),
    )


@st.composite
def _product(draw: st.DrawFn, part: str) -> Product:
    regimes = draw(st.lists(st.sampled_from(["jp", "kr", "us"]), unique=True, max_size=3))
    return Product(
        part_number=part,
        description=draw(_TEXT),
        hs_code=draw(_HS),
        cas=draw(st.sampled_from([None, "7664-39-3", "75-24-1"])),
        kind=draw(st.sampled_from(["goods", "technology"])),
        classifications=tuple(draw(_classification(r)) for r in regimes),
    )


@st.composite
def catalogues(draw: st.DrawFn) -> Catalogue:
    parts = draw(st.lists(_LINE.map(str.strip).filter(bool), unique=True, max_size=6))
    return Catalogue([draw(_product(p)) for p in parts])


def _round_trip(catalogue: Catalogue, suffix: str) -> Catalogue:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"catalogue{suffix}"
        write_catalogue(catalogue, path)
        result = read_catalogue(path)
    assert result.problems == ()
    return result.catalogue


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogues())
def test_csv_round_trip(catalogue: Catalogue) -> None:
    assert _round_trip(catalogue, ".csv") == catalogue


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogues())
def test_xlsx_round_trip(catalogue: Catalogue) -> None:
    assert _round_trip(catalogue, ".xlsx") == catalogue


# -- malformed rows --------------------------------------------------------------------------------------------

HEADER = ",".join(COLUMNS)
GOOD = "P-1,Good product,2811.11,7664-39-3,goods,jp,listed,1C350.d.15,3(1),A. Tanaka,2019-07-02,SDS §3"
ROWS = [
    GOOD,  # row 2
    "P-2,Bad HS,84x,,goods,jp,not_listed,,16(2),A. Tanaka,2019-07-02,why",  # row 3
    "P-3,Listed without code,2811.11,,goods,jp,listed,,3(1),A. Tanaka,2019-07-02,why",  # row 4
    "P-4,Unlisted with code,2811.11,,goods,jp,not_listed,1C350,,A. Tanaka,2019-07-02,why",  # row 5
    "P-5,Bad kind and date,2811.11,,software,jp,listed,1C350,,A. Tanaka,02/07/2019,why",  # row 6
    "P-1,Good product,2811.11,7664-39-3,goods,jp,listed,1C350,3(1),B. Sato,2020-01-01,again",  # row 7
    "P-1,Other description,2811.11,7664-39-3,goods,kr,listed,1C350,,B. Sato,2020-01-01,x",  # row 8
    "P-6,Too many cells,2811.11,,goods,,,,,,,,extra",  # row 9
    ",,,,,,,,,,,",  # row 10: blank, ignored
    "P-7,Bad code,2811.11,,goods,jp,listed,ZZ999,,A. Tanaka,2019-07-02,why",  # row 11
    "P-8,No evidence,2811.11,,goods,jp,listed,1C350,,A. Tanaka,2019-07-02,",  # row 12
    "P-9,Unclassified,8705.10,,goods,,,,,,,",  # row 13
]


def _csv(tmp_path: Path, lines: list[str], header: str = HEADER) -> Path:
    path = tmp_path / "in.csv"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def test_malformed_rows_are_reported_by_row_and_column(tmp_path: Path) -> None:
    result = read_catalogue(_csv(tmp_path, ROWS))
    found = {(p.row, p.field) for p in result.problems}
    assert found == {
        (3, "hs_code"),
        (4, None),
        (5, None),
        (6, "kind"),
        (6, "classified_on"),
        (7, "regime"),
        (8, "description"),
        (9, None),
        (11, "control_code"),
        (12, "evidence"),
    }
    assert "in.csv: row 7: regime: P-1 already has a jp classification in row 2" in [str(p) for p in result.problems]
    assert all(p.values for p in result.problems), "each problem keeps the row as read"


def test_nothing_is_dropped(tmp_path: Path) -> None:
    result = read_catalogue(_csv(tmp_path, ROWS))
    data_rows = [r for r in ROWS if r.strip(",")]
    with_problems = {p.row for p in result.problems}
    read = sum(max(1, len(p.classifications)) for p in result.catalogue.values())
    assert result.rows == len(data_rows) == len(with_problems) + read
    assert list(result.catalogue) == ["P-1", "P-9"]


def test_unknown_regime_and_code_are_checked_against_the_packs(tmp_path: Path, jp_pack: Any) -> None:
    lines = [
        GOOD,
        GOOD.replace("P-1", "P-2").replace(",jp,", ",kr,"),
        GOOD.replace("P-1", "P-3").replace("d.15", "z.9"),
    ]
    result = read_catalogue(_csv(tmp_path, lines), {"jp": jp_pack})
    assert [(p.row, p.field) for p in result.problems] == [(3, "regime"), (4, "control_code")]


def test_header_problems(tmp_path: Path) -> None:
    missing = read_catalogue(_csv(tmp_path, [GOOD], header=HEADER.replace("part_number", "part")))
    assert {(p.row, p.field) for p in missing.problems} == {(1, None), (1, "part_number")}
    assert missing.rows == 0 and len(missing.catalogue) == 0


def test_xlsx_number_cells_are_reported(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(COLUMNS))
    sheet.append(["P-1", "Resist", 3707.9, None, "goods", "jp", "listed", "3C002", "7(19)", "A", "2019-07-02", "x"])
    sheet.append(
        ["P-2", "Resist", "3707.90", None, "goods", "jp", "listed", "3C002", "7(19)", "A", dt.date(2019, 7, 2), 1]
    )
    path = tmp_path / "in.xlsx"
    book.save(path)
    result = read_catalogue(path)
    assert [(p.row, p.field) for p in result.problems] == [(2, "hs_code")]
    assert result.catalogue["P-2"].classifications[0].classified_on == dt.date(2019, 7, 2)


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        read_catalogue(tmp_path / "none.csv")
    (tmp_path / "x.txt").write_text("a")
    with pytest.raises(InputError):
        read_catalogue(tmp_path / "x.txt")
    (tmp_path / "bad.xlsx").write_text("not a workbook")
    with pytest.raises(InputError):
        read_catalogue(tmp_path / "bad.xlsx")


# -- resolution ------------------------------------------------------------------------------------------------


def _catalogue() -> Catalogue:
    on = dt.date(2019, 7, 2)
    return Catalogue(
        [
            Product(
                part_number="RS-1",
                description="EUV resist",
                hs_code="3707.90",
                classifications=(
                    ProductClassification(
                        regime="jp",
                        status="listed",
                        control_code="3C002.a.2",
                        classified_by="A",
                        classified_on=on,
                        evidence="13.5 nm",
                    ),
                ),
            ),
            Product(
                part_number="CR-1",
                description="Crane lorry",
                hs_code="8705.10",
                classifications=(
                    ProductClassification(
                        regime="jp", status="not_listed", classified_by="A", classified_on=on, evidence="facts §4.3"
                    ),
                ),
            ),
        ],
        name="test.csv",
    )


def test_resolve_listed_and_not_listed() -> None:
    listed = resolve_product(_catalogue(), "RS-1", "jp")
    assert listed.item_fields() == {"control_code": "3C002.a.2", "hs_code": "3707.90", "cas": None, "kind": "goods"}
    assert listed.classified()["evidence"] == "13.5 nm"
    unlisted = resolve_product(_catalogue(), "CR-1", "jp")
    assert unlisted.control_code is None and unlisted.hs_code == "8705.10"


@pytest.mark.parametrize(
    ("part", "regime", "message"),
    [
        ("NOPE", "jp", "unknown product 'NOPE' (not in test.csv)"),
        ("RS-1", "kr", "has no classification for regime 'kr' (classified for: jp)"),
    ],
)
def test_resolution_refuses_rather_than_guess(part: str, regime: str, message: str) -> None:
    with pytest.raises(InputError) as err:
        resolve_product(_catalogue(), part, regime)
    assert err.value.field == "item.product" and message in err.value.message


def test_resolution_without_a_catalogue() -> None:
    with pytest.raises(InputError, match="no product catalogue"):
        resolve_product(None, "RS-1", "jp")


def _ship(**item: Any) -> dict[str, Any]:
    return {"regime": "jp", "date": "2019-07-10", "destination": "KR", "item": item}


def test_resolve_shipment_fills_the_item_records_the_classification_and_checks_conflicts() -> None:
    resolved = resolve_shipment(_ship(product="RS-1", value=100, control_code="3c002.A.2"), _catalogue())
    assert resolved["item"] == {
        "value": 100,
        "control_code": "3C002.a.2",
        "hs_code": "3707.90",
        "cas": None,
        "kind": "goods",
        "product": "RS-1",
        "classified": {
            "status": "listed",
            "control_code": "3C002.a.2",
            "classified_by": "A",
            "classified_on": "2019-07-02",
            "evidence": "13.5 nm",
        },
    }
    assert resolved["destination"] == "KR"
    for item, field in [
        ({"product": "RS-1", "hs_code": "3707.10"}, "item.hs_code"),
        ({"product": " "}, "item.product"),
        ({"product": "NOPE"}, "item.product"),
        ({"control_code": "1C350", "classified": {"status": "listed"}}, "item.classified"),
    ]:
        with pytest.raises(InputError) as err:
            resolve_shipment(_ship(**item), _catalogue())
        assert err.value.field == field
    with pytest.raises(InputError) as err:
        resolve_shipment({"item": {"product": "RS-1"}}, _catalogue())
    assert err.value.field == "regime"


def test_a_classification_is_taken_from_the_catalogue_never_from_the_caller() -> None:
    forged = _ship(product="CR-1", classified={"status": "not_listed", "evidence": "trust me"})
    assert resolve_shipment(forged, _catalogue())["item"]["classified"]["evidence"] == "facts §4.3"


def test_a_shipment_without_a_product_is_left_as_given() -> None:
    shipment = _ship(control_code="1C350", kind="goods")
    assert resolve_shipment(shipment, None) == shipment


def test_merge() -> None:
    base = _catalogue()
    changed = Product(part_number="RS-1", description="EUV resist, new grade", hs_code="3707.90")
    new = Product(part_number="GL-1", description="Gloves")
    merged, added, updated = base.merged(Catalogue([changed, new]))
    assert (added, updated) == (["GL-1"], ["RS-1"])
    assert list(merged) == ["RS-1", "CR-1", "GL-1"] and merged["RS-1"] == changed


def test_model_rules() -> None:
    with pytest.raises(ValueError, match="more than one classification"):
        c = _catalogue()["RS-1"].classifications[0]
        Product(part_number="X", description="x", classifications=(c, c))
    with pytest.raises(ValueError, match="control character"):
        Product(part_number="X", description="bell\x07")
    assert Product(part_number="X", description="a\r\nb").description == "a\nb"
