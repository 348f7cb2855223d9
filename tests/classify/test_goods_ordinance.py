"""The Goods Ordinance as data: the bundled files are what the importer makes of the e-Gov text, every clause's
text is the source's, clause references read back, and ``classify show`` prints a clause."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

import clearance.cli.classify as cli
from clearance.classify.ordinance import ROOT, GoodsOrdinance, clause_id
from clearance.errors import InputError
from clearance.law.ordinance_text import parse_ordinance, parse_ordinance_xml, roman, version_files, xml_version_files
from clearance.law.yamlio import read_yaml
from support import load_script, shared_path

DAY = dt.date(2026, 3, 1)


@pytest.fixture(scope="module")
def source() -> str:
    return shared_path("data", "jp-egov-law-texts", "kamotsu-ordinance-2026-02-14.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def ordinance() -> GoodsOrdinance:
    return GoodsOrdinance()


def test_bundled_files_are_the_import_of_the_egov_text(source: str) -> None:
    folder = ROOT / "2026-02-14"
    expected = version_files(source)
    assert sorted(p.name for p in folder.glob("*.yaml")) == sorted(expected)
    for name, data in expected.items():
        assert read_yaml(folder / name) == data, f"{name} drifted: run scripts/import_goods_ordinance.py"


def test_every_clause_text_is_the_source_text(source: str) -> None:
    flat = re.sub(r"\n *", "", source)
    clauses = parse_ordinance(source)
    for clause in clauses:
        assert clause.text.replace("\n", "") in flat, clause.label
    listed = len(re.findall(r"^ *- (?!law_id|source)", source.split("## 別表第一")[0], re.M))
    assert sum(c.kind in ("item", "sub_item") for c in clauses) == listed
    paragraphs = len(re.findall(r"^[０-９]+　", source, re.M)) + len(re.findall(r"^## 第", source, re.M))
    assert sum(c.kind == "paragraph" for c in clauses) == paragraphs


@pytest.mark.parametrize(
    ("ref", "text", "entry"),
    [
        ("Art. 2(1)(i) ヘ", "フッ化水素", "3(1)"),
        (
            "Art. 2(1)(i)",
            "軍用の化学製剤の原料となる物質として、次のいずれかに該当するもの又はこれらの物質を含む混合物であって、"
            "いずれかの物質の含有量が全重量の三〇パーセントを超えるもの",
            "3(1)",
        ),
        ("Art. 4(1)(xiv) ロ", "結合ふっ素の含有量が全重量の一〇パーセント以上のふっ化ポリイミド", "5(17)"),
        (
            "Art. 6(1)(xix) イ (一)",
            "一五ナノメートル以上一九三ナノメートル未満の波長の光で使用するように最適化したポジ型レジスト",
            "7(19)",
        ),
        (
            "Art. 6(1)(xix) イ (二)",
            "一ナノメートル超一五ナノメートル未満の波長の光で使用するように最適化したレジスト",
            "7(19)",
        ),
        ("Art. 14-2(1)(ii)", "関税率表第八五・二六項に該当するもの", "16(1)"),
    ],
)
def test_clauses_of_the_seed_goods(ordinance: GoodsOrdinance, ref: str, text: str, entry: str) -> None:
    clause = ordinance.clause(ref, DAY)
    assert clause.text == text and clause.entry == entry and clause.label == ref
    assert clause.version.in_force == dt.date(2026, 2, 14) and not clause.earlier


def test_text_continued_on_the_next_line_is_joined(ordinance: GoodsOrdinance) -> None:
    assert ordinance.clause("Art. 2-2(1)(i)", DAY).text.startswith("ウイルス（ワクチンを除く。）であって、アフリカ馬疫")


def test_a_date_before_every_version_says_so(ordinance: GoodsOrdinance) -> None:
    assert ordinance.clause("Art. 6(1)(xix)", dt.date(2016, 1, 1)).earlier


def test_concordance_names_clauses_and_pack_entries(ordinance: GoodsOrdinance, jp_pack: Any) -> None:
    from clearance.classify.index import build_index
    from clearance.law import RegulationSet

    index = build_index(RegulationSet({"jp": jp_pack}), DAY)
    for cid, entry in ordinance.concordance.items():
        assert ordinance.clause(cid, DAY).entry == entry
        assert index.get(f"jp:{entry}") is not None, entry
    assert [c.label for c in ordinance.specifying("5(17)", DAY)] == ["Art. 4(1)(xiv) ロ", "Art. 4(1)(xiv) ハ"]
    assert [c.label for c in ordinance.specifying("7(19)", DAY)] == ["Art. 6(1)(xix)"]
    assert ordinance.clause("Art. 6(1)(xv)", DAY).entry == "7"  # not mapped: the row only, never 7(10)


def test_every_label_reads_back_as_its_id(source: str) -> None:
    for clause in parse_ordinance(source):
        assert clause_id(clause.label) == clause.id


@given(st.integers(min_value=1, max_value=3999))
def test_roman_numerals_round_trip(n: int) -> None:
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
    text = roman(n)
    digits = [values[ch] for ch in text]
    assert sum(-d if d < nxt else d for d, nxt in zip(digits, [*digits[1:], 0], strict=True)) == n
    assert re.fullmatch(r"m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})", text)


def test_unknown_clause_is_an_input_error(ordinance: GoodsOrdinance) -> None:
    with pytest.raises(InputError, match="no such clause"):
        ordinance.clause("Art. 6(1)(xix) ヘ", DAY)


def run(*args: str) -> Any:
    return CliRunner().invoke(cli.app, list(args))


def test_show_prints_the_clause_text() -> None:
    result = run("show", "Art. 6(1)(xix)", "--as-of", "2026-03-01")
    assert result.exit_code == 0, result.stderr
    assert "レジストであって" in result.stdout and "ポジ型レジスト" in result.stdout and "jp:7(19)" in result.stdout
    data = json.loads(run("show", "Art. 6(1)(xix) イ (二)", "--as-of", "2026-03-01", "--json").stdout)
    assert data["text"] == "一ナノメートル超一五ナノメートル未満の波長の光で使用するように最適化したレジスト"
    assert [c["label"] for c in data["context"]][-1] == "Art. 6(1)(xix) イ"
    assert data["citation"]["url"].endswith("403M50000400049/20260214")


def test_show_entry_lists_its_clauses(jp_pack: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from clearance.law import RegulationSet

    monkeypatch.setattr(cli, "regulations", lambda: RegulationSet({"jp": jp_pack}))
    data = json.loads(run("show", "jp:5(17)", "--as-of", "2026-03-01", "--json").stdout)
    assert [c["label"] for c in data["ordinance"]] == ["Art. 4(1)(xiv) ロ", "Art. 4(1)(xiv) ハ"]


def test_show_unknown_clause_exits_2() -> None:
    result = run("show", "Art. 99(1)")
    assert result.exit_code == 2 and "no article 99" in result.stderr


def test_version_files_need_the_source_line() -> None:
    with pytest.raises(ValueError, match="source line"):
        version_files("## 第一条\n\n本文\n")


def test_importer_script_writes_what_is_bundled(tmp_path: Path, source: str, monkeypatch: pytest.MonkeyPatch) -> None:
    module = load_script("import_goods_ordinance")
    monkeypatch.setattr(module, "TARGET", tmp_path)
    copy = tmp_path / "source.md"
    copy.write_text(source, encoding="utf-8")
    module.main(copy)
    assert read_yaml(tmp_path / "2026-02-14" / "6.yaml") == read_yaml(ROOT / "2026-02-14" / "6.yaml")


SOURCES = ROOT / "sources"


@pytest.mark.parametrize("path", sorted(SOURCES.glob("*.xml")), ids=lambda p: p.name[16:24])
def test_bundled_excerpts_are_the_import_of_the_stored_xml(path: Path) -> None:
    """Each earlier version is what the importer makes of its stored e-Gov XML excerpt, clause text by clause text."""
    expected = xml_version_files(path.name, path.read_text(encoding="utf-8"))
    folder = ROOT / expected["version.yaml"]["in_force"]
    assert sorted(p.name for p in folder.glob("*.yaml")) == sorted(expected)
    for name, data in expected.items():
        assert read_yaml(folder / name) == data, f"{name} drifted: run scripts/import_goods_ordinance.py {path}"
    assert expected["version.yaml"]["excerpt"] is True


def test_the_xml_reader_numbers_clauses_as_the_markdown_reader(ordinance: GoodsOrdinance) -> None:
    """The 2019 XML and the 2026 Markdown give the same ids, labels, numbers and rows; only texts that the law
    changed differ: Art. 2(1)(iii) カ was reworded and Art. 6(1)(xxii) gained gallium oxide and diamond."""
    old, new = (v for v in ordinance.versions if v.in_force.isoformat() in ("2019-07-01", "2026-02-14"))
    changed = set()
    for article in old.articles:
        for cid, record in read_yaml(old.folder / f"{article}.yaml")["clauses"].items():
            current = read_yaml(new.folder / f"{article}.yaml")["clauses"][cid]
            assert {k: v for k, v in record.items() if k != "text"} == {k: v for k, v in current.items() if k != "text"}
            if record.get("text") != current.get("text"):
                changed.add(cid)
    assert changed == {"2(1)(iii)カ", "6(1)(xxii)"}


def test_ruby_is_left_out_as_the_markdown_rendering_leaves_it_out() -> None:
    root = ET.fromstring(
        '<Article><ArticleTitle>第六条</ArticleTitle><Paragraph Num="1"><ParagraphSentence><Sentence>'
        '輸出令別表第一の七の項の経済産業省令で定める仕様のもの</Sentence></ParagraphSentence><Item Num="21">'
        "<ItemTitle>二十一</ItemTitle><ItemSentence><Sentence>、素の水素化物<Ruby>燐<Rt>りん</Rt></Ruby></Sentence>"
        "</ItemSentence></Item></Paragraph></Article>"
    )
    item = parse_ordinance_xml(root)[-1]
    assert (item.id, item.text, item.row) == ("6(1)(xxi)", "、素の水素化物", "7")


def test_a_date_in_a_version_not_bundled_has_no_text(ordinance: GoodsOrdinance) -> None:
    assert ordinance.gap(dt.date(2019, 7, 4)) is None
    assert ordinance.clause("Art. 2(1)(i) ヘ", dt.date(2019, 7, 4)).version.in_force == dt.date(2019, 7, 1)
    with pytest.raises(InputError, match="version of 2018-01-22"):
        ordinance.clause("Art. 2(1)(i) ヘ", dt.date(2018, 6, 1))
    with pytest.raises(InputError, match="not among the clauses bundled"):
        ordinance.clause("Art. 6(1)(i)", dt.date(2019, 7, 4))
    assert ordinance.specifying("7(19)", dt.date(2018, 6, 1)) == []


def test_the_later_of_two_acts_on_one_day_gives_the_text_in_force(ordinance: GoodsOrdinance) -> None:
    """Two acts took effect on 2020-01-22; the bundled text is the file of the later one, listed last."""
    same_day = [act for day, act in ordinance.revisions if day == dt.date(2020, 1, 22)]
    assert same_day == ["令和元年経済産業省令第四十四号", "令和二年経済産業省令第二号"]
    clause = ordinance.clause("Art. 2(1)(i) ヘ", dt.date(2020, 1, 22))
    assert (clause.version.in_force, clause.version.amended_by) == (dt.date(2020, 1, 22), same_day[-1])
    assert ordinance.gap(dt.date(2020, 1, 22)) is None


def test_every_bundled_version_is_a_listed_revision(ordinance: GoodsOrdinance) -> None:
    listed = {day for day, _ in ordinance.revisions}
    assert {v.in_force for v in ordinance.versions} <= listed and len(ordinance.revisions) == 19
