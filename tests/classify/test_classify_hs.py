"""HS codes: catch-all scope read from the pack's catch-all row, plus hints labelled as hints."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from clearance.classify.hs import HINT_NOTICE, chapter_ranges, check_hs
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
