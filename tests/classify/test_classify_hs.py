"""HS codes: catch-all scope read from the pack's catch-all row, plus hints labelled as hints."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from clearance.classify.hs import HINT_NOTICE, chapter_ranges, check_hs
from clearance.classify.ordinance import GoodsOrdinance
from clearance.errors import InputError


def test_machine_heading_is_inside_japans_catch_all(jp_pack: Any, as_of: dt.date) -> None:
    answer = check_hs(jp_pack, "8479.89", as_of)
    assert answer.in_catch_all and answer.row == "jp:16(2)" and answer.chapter == "84"
    assert answer.chapters == "25-40, 54-59, 63, 68-93, 95"
    assert {c.id for c in answer.citations} >= {"eo_table_1_row_16"}
    assert not answer.verified
    assert {h.term for h in answer.hints} >= {"isostatic_press", "filament_winding"}
    assert answer.notice == HINT_NOTICE and "Hints, not classifications" in answer.notice


@pytest.mark.parametrize(("hs", "inside"), [("8705.10", True), ("2811.11", True), ("0902.10", False), ("9401", False)])
def test_chapters_in_and_out(jp_pack: Any, as_of: dt.date, hs: str, inside: bool) -> None:
    assert check_hs(jp_pack, hs, as_of).in_catch_all is inside


def test_hints_point_at_entries_and_say_when_goods_are_unlisted(jp_pack: Any, as_of: dt.date) -> None:
    (hf,) = check_hs(jp_pack, "2811.11", as_of).hints
    assert hf.listed and hf.codes == ("1C350.d.15",) and hf.entries == ("jp:3(1)",)
    (crane,) = check_hs(jp_pack, "870510", as_of).hints
    assert not crane.listed and crane.codes == ()


def test_scope_comes_from_the_pack(mini_pack: Any, as_of: dt.date) -> None:
    assert check_hs(mini_pack, "8479.89", as_of).row == "mini:16"
    answer = check_hs(mini_pack, "2811.11", as_of)
    assert not answer.in_catch_all and answer.chapters == "84-85"


def test_before_the_catch_all_row_exists(mini_pack: Any) -> None:
    answer = check_hs(mini_pack, "8479.89", dt.date(2009, 1, 1))
    assert not answer.in_catch_all and answer.chapters == ""


def test_bad_hs_code(jp_pack: Any, as_of: dt.date) -> None:
    with pytest.raises(InputError) as err:
        check_hs(jp_pack, "84x9", as_of)
    assert err.value.field == "hs_code"


def test_chapter_ranges() -> None:
    assert chapter_ranges({"25", "26", "27", "63", "95", "96"}) == "25-27, 63, 95-96"
    assert chapter_ranges(set()) == ""


_HEADING = re.compile(r"第([〇一二三四五六七八九・]+)(?:項|号)(（[^）]*）)?")
_DIGITS = str.maketrans("〇一二三四五六七八九・", "0123456789.")


def _art_14_2_headings() -> dict[str, set[str]]:
    """The HS headings Art. 14-2 names, read from the imported clause text: listed, excepted (〜を除く) and
    limited to some goods (〜に限る, which the HS code alone cannot decide)."""
    ordinance = GoodsOrdinance()
    paragraph = ordinance.clause("Art. 14-2(1)", dt.date(2026, 2, 14))
    out: dict[str, set[str]] = {"listed": set(), "except": set(), "undecided": set()}
    for item in ordinance.children(paragraph):
        for match in _HEADING.finditer(item.text):
            heading, paren = match.group(1).translate(_DIGITS), match.group(2) or ""
            out["undecided" if "に限る" in paren else "listed"].add(heading)
            if "を除く" in paren:
                out["except"] |= {h.translate(_DIGITS) for h in re.findall(r"第([〇一二三四五六七八九・]+)号", paren)}
    return out


def test_row_16_1_headings_are_those_of_art_14_2(jp_pack: Any) -> None:
    """The pack's 16 (1) HS list is what the Goods Ordinance Art. 14-2 names, exceptions and limits included."""
    value = jp_pack.at(dt.date(2026, 3, 1)).active["rows"]["16(1)"].value
    text = _art_14_2_headings()
    assert text["listed"] == set(value.hs_headings)
    assert text["except"] == set(value.hs_except) == {"8542.90"}
    assert text["undecided"] == set(value.hs_undecided) == {"88.07"}


@pytest.mark.parametrize(
    ("hs", "day", "part", "candidates"),
    [
        ("8458.11", "2026-03-01", "jp:16(1)", ()),  # lathes: Art. 14-2(i)
        ("8542.31", "2026-03-01", "jp:16(1)", ()),  # integrated circuits: Art. 14-2(iii)
        ("8542.90", "2026-03-01", "jp:16(2)", ()),  # parts of integrated circuits: excepted from (iii)
        ("3920.99", "2026-03-01", "jp:16(2)", ()),  # plastics film: chapter 39
        ("3920.99", "2025-10-08", "jp:16", ()),  # before the split
        ("8807.30", "2026-03-01", None, ("jp:16(1)", "jp:16(2)")),  # 88.07: only parts of 8802.60/88.06 goods
        ("9401.61", "2026-03-01", None, ()),  # furniture: outside the catch-all chapters
    ],
)
def test_catch_all_part_of_a_code(jp_pack: Any, hs: str, day: str, part: str | None, candidates: tuple) -> None:
    answer = check_hs(jp_pack, hs, dt.date.fromisoformat(day))
    assert answer.row == part
    assert answer.candidates == candidates
    assert answer.in_catch_all == (part is not None or bool(candidates))
