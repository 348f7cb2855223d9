"""The parsers every input shares (issue 15): numbers and dates as people write them, headers in three languages,
country names in every script, and the encodings Excel and ERPs write. Property tests: each form a person may use
reads back as the value it was written from, and anything else is refused, never guessed."""

from __future__ import annotations

import datetime as dt
import string
from decimal import Decimal

import pytest
from babel import Locale
from hypothesis import given
from hypothesis import strategies as st

from clearance.cellvalues import ERAS, currency_of, number_text, parse_date, parse_number
from clearance.decoding import decode_table
from clearance.errors import InputError
from clearance.headers import column_for, is_totals_row
from clearance.impact.portfolio import Order
from clearance.law.countries import country_names, resolve_country

FULL_WIDTH = str.maketrans(string.digits + ",.", "０１２３４５６７８９，．")


def _grouped(n: int) -> str:
    return f"{n:,}"


@given(
    st.integers(0, 10**15),
    st.sampled_from(["", "¥", "￥", "₩", "$", "€"]),
    st.sampled_from(["", "円"]),
    st.booleans(),
    st.booleans(),
)
def test_a_number_reads_back_however_it_is_grouped_signed_or_widened(
    n: int, sign: str, suffix: str, grouped: bool, wide: bool
) -> None:
    text = (_grouped(n) if grouped else str(n)) + ("" if sign else suffix)
    text = sign + (text.translate(FULL_WIDTH) if wide else text)
    assert parse_number(text) == Decimal(n)
    expected = {"¥": "JPY", "￥": "JPY", "₩": "KRW", "€": "EUR"}.get(sign) or ("JPY" if suffix and not sign else None)
    assert currency_of(text) == expected


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_decimals_and_accounting_negatives(value: Decimal) -> None:
    plain = f"{abs(value):,}"
    assert parse_number(("-" if value < 0 else "") + plain) == value
    if value < 0:
        assert parse_number(f"△{plain}") == parse_number(f"({plain})") == value


@given(st.from_regex(r"\A\d{1,3}(,\d{1,2}|,\d{4,6})+\Z") | st.from_regex(r"\A\d+(\.\d+){2,}\Z"))
def test_wrongly_grouped_numbers_are_refused_not_guessed(text: str) -> None:
    with pytest.raises(ValueError, match="is not a number"):
        parse_number(text)


@given(st.text(alphabet="abcxyz!?#%&*=+ ", min_size=1).filter(str.strip))
def test_words_are_not_numbers(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


def _era(day: dt.date) -> tuple[str, str, int]:
    name, letter, start = next(e for e in ERAS if day >= e[2])
    return name, letter, day.year - start.year + 1


@given(st.dates(dt.date(1950, 1, 1), dt.date(2099, 12, 31)), st.booleans())
def test_a_date_reads_back_in_every_form(day: dt.date, wide: bool) -> None:
    name, letter, year = _era(day)
    forms = [
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        day.strftime("%Y/%m/%d"),
        f"{day.year}.{day.month}.{day.day}",
        f"{day.year}年{day.month}月{day.day}日",
        f"{name}{'元' if year == 1 else year}年{day.month}月{day.day}日",
        f"{letter}{year}.{day.month}.{day.day}",
        day.strftime("%Y%m%d"),
        str((day - dt.date(1899, 12, 30)).days),
        f"{day.isoformat()}T00:00:00",
    ]
    for form in forms:
        assert parse_date(form.translate(FULL_WIDTH) if wide else form) == day, form


@pytest.mark.parametrize(("name", "start"), [(name, start) for name, _, start in ERAS])
def test_an_era_date_before_the_era_began_is_refused(name: str, start: dt.date) -> None:
    before = start - dt.timedelta(days=1)
    assert parse_date(f"{name}元年{start.month}月{start.day}日") == start
    with pytest.raises(ValueError, match=f"before the {name} era began"):
        parse_date(f"{name}元年{before.month}月{before.day}日")


@pytest.mark.parametrize(
    "text", ["2019/2/30", "2019/13/1", "02/07/2019", "7/5", "2019/7", "next week", "令和元年4月30日"]
)
def test_dates_that_are_not_dates_or_are_ambiguous_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


def test_a_model_names_the_field_of_a_bad_value() -> None:
    row = {"order_id": "1", "part_number": "P", "customer_id": "C", "quantity": "1", "currency": "JPY"}
    with pytest.raises(ValueError, match=r"ship_date\n.*'2019/7/32' is not a date of the calendar"):
        Order.model_validate({**row, "value": "1", "ship_date": "2019/7/32"})
    assert Order.model_validate({**row, "value": "￥7,200,000", "ship_date": "R1.7.5"}).value == 7200000


COLUMNS = ("order_id", "part_number", "customer_id", "quantity", "value", "ship_date", "name", "country")


@given(st.sampled_from(COLUMNS), st.sampled_from(["", " ", "_", "-"]), st.booleans(), st.booleans())
def test_a_column_name_is_found_whatever_its_case_width_or_separators(
    column: str, joiner: str, upper: bool, wide: bool
) -> None:
    text = column.replace("_", joiner)
    text = text.upper() if upper else text.title()
    if wide:
        text = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)
    assert column_for(text, COLUMNS) == column


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("顧客コード", "customer_id"),
        ("顧客名", "name"),
        ("国", "country"),
        ("品番", "part_number"),
        ("出荷日", "ship_date"),
        ("金額", "value"),
        ("受注番号", "order_id"),
        ("고객코드", "customer_id"),
        ("국가", "country"),
        ("금액", "value"),
        ("Ship Date", "ship_date"),
    ],
)
def test_japanese_korean_and_english_headers(header: str, column: str) -> None:
    assert column_for(header, COLUMNS) == column


def test_a_header_names_only_a_column_of_the_table() -> None:
    assert column_for("名称", ("name", "country")) == "name"
    assert column_for("名称", ("part_number", "description")) == "description"
    assert column_for("名称", ("order_id",)) is None


@pytest.mark.parametrize("cells", [["合計", "", "8,000,000"], ["", "Total", "3"], ["합계", "1"], ["ＴＯＴＡＬ"]])
def test_totals_rows(cells: list[str]) -> None:
    assert is_totals_row(cells)


@pytest.mark.parametrize("cells", [["SO-1", "Total Semiconductor", "3"], ["合計金額の確認", ""], [""]])
def test_rows_that_only_mention_totals_are_not_totals_rows(cells: list[str]) -> None:
    assert not is_totals_row(cells)


@pytest.mark.parametrize("language", ["en", "ja", "ko", "zh"])
def test_every_cldr_country_name_resolves_to_its_code_or_asks(language: str) -> None:
    for code, name in Locale.parse(language).territories.items():
        if code not in country_names():
            continue
        try:
            assert resolve_country(name) == code, name
        except ValueError as exc:
            assert "ambiguous" in str(exc) and code in str(exc), name


@given(st.text(min_size=1, max_size=200).filter(lambda t: "\x00" not in t))
def test_utf8_with_or_without_bom_and_utf16_read_back_exactly(text: str) -> None:
    assert decode_table(text.encode(), "file").text == text
    assert decode_table(b"\xef\xbb\xbf" + text.encode(), "file").text == text
    assert decode_table(text.encode("utf-16"), "file").text == text


@pytest.mark.parametrize(
    ("encoding", "name", "text"),
    [
        (
            "cp932",
            "Shift_JIS (CP932)",
            "顧客コード,顧客名,国\r\nC-KR-01,ハンビット半導体,韓国\r\nC-US-01,カスケード,アメリカ\r\n",
        ),
        ("euc_jp", "EUC-JP", "品番,品名,該非\nSMC-HF-AH01,無水フッ化水素,該当\nCR-1,トラッククレーン,非該当\n"),
        ("cp949", "EUC-KR (CP949)", "고객코드,고객명,국가\nC-KR-01,한빛반도체,한국\nC-KR-02,대한디스플레이,대한민국\n"),
    ],
)
def test_east_asian_encodings_are_detected_and_stated(encoding: str, name: str, text: str) -> None:
    decoded = decode_table(text.encode(encoding), "file", "in.csv")
    assert (decoded.text, decoded.encoding) == (text, name)


def test_bytes_of_no_known_encoding_are_refused_naming_the_file() -> None:
    with pytest.raises(InputError, match=r"in.csv: not text in a known encoding"):
        decode_table(b"\x80\x81\xff\xfe\x00\x9f" * 7, "file", "in.csv")


@given(
    st.from_regex(r"\A[0-9]{1,30}(\.[0-9]{1,12})?\Z") | st.from_regex(r"\A[0-9٠-٩０-９., ]{1,12}\Z").filter(str.strip)
)
def test_plain_digits_read_as_the_general_reading_does(text: str) -> None:
    try:
        general = Decimal(number_text(text)[0])
    except ValueError:
        with pytest.raises(ValueError):
            parse_number(text)
        return
    found = parse_number(text)
    assert (str(found), type(found)) == (str(general), Decimal)
