"""List importers: counts that match each folder's SOURCE.md, content hashes, diffs and errors naming file and row."""

from __future__ import annotations

import collections
import datetime as dt
import json
import re
from pathlib import Path

import pytest

from clearance.errors import ListFormatError
from clearance.screening.importers import detect_format, import_list
from clearance.screening.importers.mof import _person_spellings
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
    # "別称、A、B" is a list of aliases, each its own name; "アル・ハク、アミン" (family name first) stays one name.
    assert not [a for p in version.parties for a in p.aliases if a.startswith(("別称", "旧称"))]
    names = {a for p in version.parties for a in p.all_names}
    assert {"株式会社光学システム技術学術生産コンツェルン", "公開株式会社シュヴァベ"} <= names
    assert {"VTA Command", "Military Transport Aviation", "NAPO", "アル・ハク、アミン"} <= names
    # "Abu-Shaima (original script: أبو شیماء)" in an alias cell: two names, not a Latin name with Arabic in it.
    assert {"Abu-Shaima", "أبو شیماء", "Abu Banat", "Абу Банат"} <= names
    assert not [n for n in names if "original script" in n and "(" in n]


def test_mof_cells_with_a_name_and_its_spelling_are_split_and_kept_as_notes() -> None:
    version = import_list(data("jp-mof-asset-freeze-list-2026-03-05", "shisantouketsu20260305.xlsx"))
    entries = {p.source_id: p for p in version.parties}
    bozize = entries["37-1"]  # 別名: "(a)ボジゼ・ヤングボンダ（Bozize Yangouvonda）、 (b)…"
    assert {"ボジゼ・ヤングボンダ", "Bozize Yangouvonda"} <= set(bozize.aliases)
    assert any(n.startswith("別名: (a)ボジゼ・ヤングボンダ（Bozize Yangouvonda）") for n in bozize.notes)
    assert {"حسن غول", "Hassan Ghul"} <= set(entries["2-613"].aliases)  # "(a) حسن غول (Hassan Ghul; …)"
    assert {"Jin Tiesan", "金铁三"} <= set(entries["15-#35"].aliases)  # "Jin Tiesan (金铁三)"
    # The Japanese name cell "アフガン支援委員会（ＡＳＣ）": the name, and the acronym as an alias.
    assert entries["2-282"].names[0] == "アフガン支援委員会" and "ＡＳＣ" in entries["2-282"].aliases
    assert {"神の抵抗運動", "Lord’s Resistance Movement", "LRM"} <= set(entries["38-2"].aliases)
    # Full-width enumerations "（ｊ）" and "（別名1）" labels list names like "(j)" and "別称、".
    assert {"アブ・ムアマル", "ムバロク"} <= set(entries["2-366"].aliases)
    names = {a for p in version.parties for a in p.all_names}
    assert not [n for n in names if re.match(r"別名\d*\s*[）)：:]", n)]
    assert "الطيب نايل" in names  # "(original scipt: …)", misspelt in the file
    # On main 141 names were a katakana name and its Latin spelling in one ("ボジゼ・ヤングボンダ（Bozize Yangouvonda").
    assert not [n for n in names if re.match(r"[\u30a0-\u30ff]+[(（][A-Za-z ’]+$", n)]
    # One name stays one: a slash or a bracket in an organisation's name, a note in the same script.
    assert {"ダナ・ホールディングス／ダナ・アストラ", "Department 140／14"} <= names
    mansudae = "マンスデ・オーバーシーズ・プロジェクツ・アーキテクチュラル・アンド・テクニカル・サービスィーズ"
    assert f"{mansudae}（プロプライエタリー）リミテッド" in names


def test_mof_persons_spellings_in_brackets_or_after_a_slash_are_names_of_their_own() -> None:
    """A person's katakana word with its other spellings in brackets (the Ukrainian and the Russian reading, or a
    maiden name) and Latin words joined by a slash are one name per spelling, the k-th spellings together; on main
    they were one name holding every spelling as words of its own ("Oleksandr KHODAKOVSKYY KHODAKOVSKII")."""
    version = import_list(data("jp-mof-asset-freeze-list-2026-03-05", "shisantouketsu20260305.xlsx"))
    entries = {p.source_id: p for p in version.parties}
    # アレクサンドル(オレクサンドル)・ホダコフスキー(ホダコウスキー); an alias Oleksandr KHODAKOVSKYY/KHODAKOVSKII
    khodakovsky = entries["26-31"]
    assert khodakovsky.names[0] == "アレクサンドル・ホダコフスキー"
    spellings = {"オレクサンドル・ホダコウスキー", "Oleksandr KHODAKOVSKYY", "Oleksandr KHODAKOVSKII"}
    assert spellings <= set(khodakovsky.aliases)
    assert {"ヴァシル・ニキチン", "ヴァシリー・ニキチン", "ヴァシーリー・ニキチン"} <= set(entries["26-35"].all_names)
    assert {"アンドリー・シェフチク", "アンドレイ・シェフチク"} <= set(entries["26-280"].all_names)
    # フィルザ・ケリモヴァ（ハンバラエヴァ）: a maiden name
    assert "フィルザ・ハンバラエヴァ" in entries["29-630"].aliases
    names = {a for p in version.parties if p.schema == "Person" for a in p.all_names}
    assert [n for n in names if _person_spellings(n) != [n]] == []  # every spelling is a name already


def test_mof_english_brackets_give_spellings_words_or_names_of_their_own() -> None:
    version = import_list(data("jp-mof-asset-freeze-list-2026-03-05", "shisantouketsu20260305.xlsx"))
    entries = {p.source_id: set(p.all_names) for p in version.parties}
    # a bracket ending the name is a name of its own: "AFGHAN SUPPORT COMMITTEE (ASC)" is not AFGHAN SUPPORT ASC
    assert {"AFGHAN SUPPORT COMMITTEE", "ASC"} <= entries["2-282"]
    assert "AFGHAN SUPPORT ASC" not in entries["2-282"]
    # words alike to the word before them are its spellings, each one a name
    assert {"Dmitrii Saveljev", "Dmitry Saveliev"} <= entries["29-384"]
    kurchenko = {"Serhiy", "Sergei", "Sergii", "Serhii", "Serhij", "Sergey", "Sergej"}
    assert {f"{given} KURCHENKO" for given in kurchenko} <= entries["26-294"]
    # other words inside the name are written without their brackets
    assert "Mansudae Overseas Projects Architectural and Technical Services Proprietary Limited" in entries["16-26"]
    assert not [n for n in entries["26-294"] if "," in n]  # not "Sergei, Sergii, … KURCHENKO"
    # one of them alike is enough: "Alexei (Aleksei, Aleksey, Oleksiy, Oleksii) SELIVANOV"
    assert {"Alexei SELIVANOV", "Oleksiy SELIVANOV", "Aleksei SELIVANOV"} <= entries["26-281"]


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


def test_bis_denied_persons_orders_with_their_dates_and_unique_ids() -> None:
    version = import_list(data("us-bis-denied-persons-2023", "dpl.txt"))
    # 665 rows: two repeat another row exactly (kept once, reported); orders at two addresses are two entries.
    assert len(version.parties) == len({p.id for p in version.parties}) == 663
    assert [w for w in version.warnings if "repeats" in w] == [
        "dpl.txt:154: repeats row 153 (same name, address and order)",
        "dpl.txt:458: repeats row 457 (same name, address and order)",
    ]
    assert sum(p.caption == "ALI M HIJAZI" for p in version.parties) == 3  # two orders share a date
    villa = next(p for p in version.parties if p.caption == "AARON ABRAHAM VILLA")
    assert (villa.listed_on, villa.expires_on) == ("2022-08-24", "2026-01-14")
    assert villa.expired(dt.date(2026, 1, 15)) and not villa.expired(dt.date(2026, 1, 14))
    # The file has no list date: the import says so unless one is given.
    assert version.list_date is None and any("no list date" in w for w in version.warnings)
    dated = import_list(data("us-bis-denied-persons-2023", "dpl.txt"), list_date=dt.date(2023, 11, 30))
    assert not any("no list date" in w for w in dated.warnings) and dated.version == version.version


def test_a_bad_dpl_date_names_the_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "dpl.txt"
    header = "Name\tStreet_Address\tCity\tState\tCountry\tPostal_Code\tEffective_Date\tExpiration_Date"
    path.write_text(f"{header}\nJOHN DOE\t1 MAIN ST\tX\tTX\tUS\t1\t08/24/2022\t14/01/2026\n", encoding="utf-8")
    with pytest.raises(ListFormatError, match=r"row 2: Expiration_Date: '14/01/2026' is not a date"):
        import_list(path)


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lists"
CSL_BUAA = "EL-26d4785341d4"  # no entity number on the Entity List: a hash of the name and countries


@pytest.mark.parametrize(
    ("name", "fmt", "list_id", "ids"),
    [
        ("consolidated.json", "csl-json", "us-csl", ["DPL-553a84f5b300", "DPL-a7415312baf4", CSL_BUAA, "SDN-36"]),
        ("consolidated.csv", "csl-csv", "us-csl", ["DPL-553a84f5b300", CSL_BUAA, "SDN-36"]),
        ("sdn.xml", "ofac-xml", "us-ofac-sdn", ["36", "7157", "15036"]),
        ("un-consolidated.xml", "un", "un-sc-consolidated", ["KPi.033", "KPe.001"]),
    ],
)
def test_published_formats_are_detected_by_content_and_read(
    tmp_path: Path, name: str, fmt: str, list_id: str, ids: list[str]
) -> None:
    renamed = tmp_path / "download.bin"  # the content decides, not the name
    renamed.write_bytes((FIXTURES / name).read_bytes())
    assert detect_format(renamed) == fmt
    version = import_list(FIXTURES / name)
    assert version.list_id == list_id
    assert [p.source_id for p in version.parties] == ids


def test_published_csl_keeps_the_ids_of_the_compact_file_and_the_order_dates() -> None:
    published = import_list(FIXTURES / "consolidated.json")
    compact = import_list(data("us-csl-2026-07-31", "screening-list.json")).by_id()
    for party in published.parties:
        assert compact[party.id].caption == party.caption
    villa = published.by_id()["us-csl:DPL-553a84f5b300"]
    assert (villa.listed_on, villa.expires_on) == ("2022-08-24", "2026-01-14")
    buaa = published.by_id()["us-csl:EL-26d4785341d4"]
    assert buaa.aliases == ("Beihang University", "Beihang University Suzhou") and buaa.countries == ("cn",)
    assert str(published.list_date) == "2026-07-31"
    csv_version = import_list(FIXTURES / "consolidated.csv")
    assert csv_version.by_id()["us-csl:SDN-36"].identifiers == ("C-0001",)


def test_ofac_xml_and_un_xml_fields() -> None:
    sdn = import_list(FIXTURES / "sdn.xml").by_id()
    person = sdn["us-ofac-sdn:7157"]
    assert (person.schema, person.names) == ("Person", ("ABU KHALIL, Ibrahim",))
    assert person.aliases == ("ABU KHALIL, Ibraheem",)
    assert (person.countries, person.identifiers) == (("lb",), ("A1234567",))
    un = import_list(FIXTURES / "un-consolidated.xml")
    assert str(un.list_date) == "2026-07-30"
    ri = un.by_id()["un-sc-consolidated:KPi.033"]
    assert (ri.aliases, ri.countries, ri.listed_on) == (("리원호",), ("kp", "sy"), "2016-11-30")
    komid = un.by_id()["un-sc-consolidated:KPe.001"]
    assert komid.schema == "Organization" and "CHANGGWANG SINYONG CORPORATION" in komid.aliases


def test_id_collisions_are_made_unique_and_reported() -> None:
    version = import_list(data("us-csl-2026-07-31", "screening-list.json"))
    collisions = [w for w in version.warnings if "already used" in w]
    assert collisions and len({p.id for p in version.parties}) == len(version.parties)
    assert collisions[0].startswith("screening-list.json:entries[")


def test_xml_with_entity_declarations_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "sdn.xml"
    path.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><sdnList>&a;</sdnList>', encoding="utf-8")
    with pytest.raises(ListFormatError, match="DOCTYPE"):
        import_list(path, "ofac-xml")


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
