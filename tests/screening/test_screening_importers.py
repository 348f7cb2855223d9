"""List importers: counts that match each folder's SOURCE.md, content hashes, diffs and errors naming file and row."""

from __future__ import annotations

import collections
import json
import re
from pathlib import Path

import pytest

from clearance.errors import ListFormatError
from clearance.screening.importers import detect_format, import_list
from clearance.screening.model import Party, diff_lists

from .conftest import data

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def test_meti_end_user_list_counts_match_source() -> None:
    version = import_list(data("jp-meti-end-user-list-2025-09-29", "20250929_4.xlsx"))
    assert version.list_id == "jp-meti-eul"
    assert len(version.parties) == 835
    assert str(version.list_date) == "2025-09-29"
    by_country = collections.Counter(c for p in version.parties for c in p.countries)
    assert by_country == {
        "ir": 257, "kp": 154, "cn": 127, "pk": 103, "ru": 100, "ae": 29, "hk": 22, "sy": 19,
        "lb": 9, "tw": 5, "eg": 3, "af": 2, "ye": 2, "in": 2, "il": 1,
    }  # fmt: skip
    buaa = next(p for p in version.parties if "BUAA" in p.aliases)
    assert buaa.names == ("Beijing University of Aeronautics and Astronautics",)
    assert {"北京航空航天大学", "Beihang University"} <= set(buaa.aliases)


def test_mof_asset_freeze_list_has_about_2860_named_rows() -> None:
    version = import_list(data("jp-mof-asset-freeze-list-2026-03-05", "shisantouketsu20260305.xlsx"))
    assert version.list_id == "jp-mof-asset-freeze"
    assert len(version.parties) == 2862  # SOURCE.md: "about 2,860 named rows across all sheets"
    assert len({p.programs[0] for p in version.parties}) == 40  # sheets with named rows (44 programmes)
    putin = next(p for p in version.parties if p.source_id == "29-1")
    assert putin.names == ("ウラジーミル・プーチン", "Vladimir Putin")
    assert putin.schema == "Person"


def test_us_consolidated_screening_list_counts_match_source() -> None:
    path = data("us-csl-2026-07-31", "screening-list.json")
    assert detect_format(path) == "csl"
    version = import_list(path)
    assert len(version.parties) == 25921
    counts = collections.Counter(p.programs[0] for p in version.parties)
    expected = json.loads(path.read_text(encoding="utf-8"))["countsBySource"]
    assert counts == expected
    assert len({p.id for p in version.parties}) == 25921


def test_ofac_sdn_2021_and_non_sdn_counts() -> None:
    sdn = import_list(data("us-ofac-sdn-2021"))
    assert (sdn.list_id, len(sdn.parties)) == ("us-ofac-sdn", 8976)
    # SOURCE.md says 441 rows; cons_prim.csv holds 442 distinct entries (plus an end-of-file mark).
    cons = import_list(data("us-ofac-non-sdn-consolidated-2025", "cons_prim.csv"))
    assert (cons.list_id, len(cons.parties)) == ("us-ofac-cons", 442)
    assert any(p.aliases for p in sdn.parties) and any(p.countries for p in sdn.parties)


def test_bis_denied_persons_count() -> None:
    version = import_list(data("us-bis-denied-persons-2023", "dpl.txt"))
    assert len(version.parties) == 665


@pytest.mark.parametrize(
    ("name", "entries"),
    [("250912_list_russia_tokutei.pdf.txt", 561), ("250912_list_daisangoku_tokutei.pdf.txt", 56),
     ("list_belarus_tokutei.pdf.txt", 27)],
)  # fmt: skip
def test_meti_export_ban_lists_have_every_numbered_entry(name: str, entries: int) -> None:
    version = import_list(data("jp-meti-russia-belarus-third-country-export-ban-2025-09-12", name))
    assert len(version.parties) == entries
    assert [p.source_id.rsplit("-", 1)[1] for p in version.parties] == [str(n) for n in range(1, entries + 1)]
    # The English and the Japanese name (one when both are the same, as for "MPI VOLNA").
    assert all(1 <= len(p.names) <= 2 and not JAPANESE.search(p.names[0]) for p in version.parties)


def test_ftm_entities_round_trip(tmp_path: Path) -> None:
    party = Party.build("os-test", "x1", "Company", ["Acme Trading LLC"], aliases=["Acme"], countries=["AE"])
    path = tmp_path / "entities.ftm.json"
    lines = [json.dumps(party.to_ftm()), json.dumps({"id": "a1", "schema": "Address", "properties": {}})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    version = import_list(path)
    assert version.parties == (party,)


def test_version_is_a_content_hash_and_diff_reports_changes() -> None:
    a = Party.build("l", "1", "Person", ["Ann Example"])
    b = Party.build("l", "2", "Person", ["Bob Example"])
    b2 = Party.build("l", "2", "Person", ["Bob Example"], aliases=["Robert Example"])
    c = Party.build("l", "3", "Person", ["Cy Example"])
    from clearance.screening.model import ListVersion

    old = ListVersion("l", "t", None, "s", (a, b))
    assert old.version == ListVersion("l", "t", None, "other source", (b, a)).version
    new = ListVersion("l", "t", None, "s", (b2, c))
    change = diff_lists(old, new)
    assert (change.added, change.removed, change.changed) == (("l:3",), ("l:1",), ("l:2",))


def test_unreadable_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(ListFormatError, match=r"nothing\.xlsx"):
        import_list(tmp_path / "nothing.xlsx", "meti-eul")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(ListFormatError, match=r"broken\.xlsx: not an Excel workbook"):
        import_list(broken)


def test_malformed_rows_name_file_and_row(tmp_path: Path) -> None:
    sdn = tmp_path / "sdn.csv"
    sdn.write_text('1,"GOOD NAME",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n2,"SHORT ROW"\n')
    with pytest.raises(ListFormatError) as err:
        import_list(sdn)
    assert err.value.file.endswith("sdn.csv") and err.value.row == 2
    dpl = tmp_path / "dpl.txt"
    header = "Name\tStreet_Address\tCity\tState\tCountry\tPostal_Code\tEffective_Date\n"
    dpl.write_text(header + "A PERSON\tx\ty\tz\tUS\t1\t01/01/2020\n\tx\ty\tz\tUS\t1\t01/01/2020\n")
    with pytest.raises(ListFormatError, match=r"dpl\.txt: row 3: no name"):
        import_list(dpl)
    ftm = tmp_path / "x.jsonl"
    ftm.write_text('{"id": "1", "schema": "Person", "properties": {"name": ["A"]}}\n{broken\n')
    with pytest.raises(ListFormatError, match=r"x\.jsonl: row 2: invalid JSON"):
        import_list(ftm)


def test_end_user_list_without_a_name_names_the_row(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "ユーザーリスト"
    sheet.append(["No.", "国名", "企業名､組織名\nCompany or Organization", "別名", "懸念区分", "通常兵器"])
    sheet.append([1, "中国\nChina", "Good Entity", None, "M", None])
    sheet.append([2, "中国\nChina", None, "・An alias only", "M", None])
    path = tmp_path / "20250101_eul.xlsx"
    book.save(path)
    with pytest.raises(ListFormatError, match=r"20250101_eul\.xlsx: row 3: no company or organization name"):
        import_list(path, "meti-eul")
