"""The validators every input shares: country codes, CAS check digits, and one decoding of input bytes (UTF-8 with
or without a byte-order mark) for every reader."""

from __future__ import annotations

import json
import string
from pathlib import Path

import pycountry
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from clearance.classify.tabular import read_catalogue
from clearance.decoding import decode_text
from clearance.errors import InputError
from clearance.impact.portfolio import read_portfolio
from clearance.inputs import json_object
from clearance.law.codes import CasNumber, check_cas
from clearance.law.countries import CountryCode, parse_country
from clearance.screening.service import read_batch
from clearance.tables import read_rows
from support import ROOT

BOM = b"\xef\xbb\xbf"
ALPHA_2 = {c.alpha_2 for c in pycountry.countries}


@given(st.text(alphabet=string.ascii_letters, min_size=2, max_size=2))
def test_two_letters_are_a_country_exactly_when_iso_3166_assigns_them(text: str) -> None:
    adapter = TypeAdapter(CountryCode)
    if text.upper() in ALPHA_2 or text.upper() == "XK":
        assert adapter.validate_python(text) == text.upper()
    elif text.upper() == "UK":  # the one two-letter name that is not a code: the United Kingdom's
        assert adapter.validate_python(text) == "GB"
    else:
        with pytest.raises(ValidationError, match="ISO 3166-1 alpha-2"):
            adapter.validate_python(text)


@pytest.mark.parametrize("text", ["Korea", "K", "", "EU", "QQ", "Congo", "朝鮮", "Atlantis"])
def test_unknown_and_ambiguous_names_are_not_countries(text: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_country(text, "end_user.country")
    assert caught.value.field == "end_user.country" and repr(text) in caught.value.message


def test_an_ambiguous_name_asks_which_country() -> None:
    with pytest.raises(InputError, match=r"ambiguous: KR \(South Korea\) or KP \(North Korea\)"):
        parse_country("Korea", "country")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("韓国", "KR"),
        ("한국", "KR"),
        ("大韓民国", "KR"),
        ("South Korea", "KR"),
        ("Korea, Republic of", "KR"),
        ("KOR", "KR"),
        ("北朝鮮", "KP"),
        ("アメリカ", "US"),
        ("ｱﾒﾘｶ", "US"),
        ("米国", "US"),
        ("U.S.A.", "US"),
        ("独", "DE"),
        ("ドイツ", "DE"),
        ("中国", "CN"),
        ("중국", "CN"),
        ("UK", "GB"),
        ("台湾", "TW"),
        ("Viet Nam", "VN"),
        ("jp", "JP"),
    ],
)
def test_everyday_country_names_in_every_script_are_countries(text: str, code: str) -> None:
    assert parse_country(text, "country") == code and TypeAdapter(CountryCode).validate_python(text) == code


def _with_check_digit(body: str) -> str:
    digits = body.replace("-", "")
    check = sum(i * int(d) for i, d in enumerate(reversed(digits), start=1)) % 10
    return f"{body}-{check}"


@given(st.from_regex(r"\A\d{2,7}-\d{2}\Z"), st.integers(1, 9))
def test_a_cas_number_is_valid_exactly_when_its_check_digit_is_right(body: str, offset: int) -> None:
    good = _with_check_digit(body)
    assert check_cas(good) == good and TypeAdapter(CasNumber).validate_python(good) == good
    bad = f"{good[:-1]}{(int(good[-1]) + offset) % 10}"
    with pytest.raises(ValueError, match="check digit should be"):
        check_cas(bad)


@pytest.mark.parametrize("cas", ["7664-39-3", "75-24-1", "7681-49-4", "1341-49-7", "7789-23-3", "7784-42-1"])
def test_real_cas_numbers_pass(cas: str) -> None:
    assert check_cas(cas) == cas


def test_the_sample_catalogues_and_the_packs_pass_the_check_digit(regulations: object) -> None:
    """The packs' CAS numbers are checked as they load (the ``regulations`` fixture); the catalogues here."""
    for path in (ROOT / "examples" / "catalogue.csv", ROOT / "examples" / "portfolio" / "catalogue.csv"):
        result = read_catalogue(path)
        assert result.ok, result.problems


@given(st.binary(max_size=40))
def test_decoding_strips_one_byte_order_mark_or_names_the_field(data: bytes) -> None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        with pytest.raises(InputError) as caught:
            decode_text(data, "input")
        assert caught.value.field == "input" and "not UTF-8" in caught.value.message
        return
    assert decode_text(BOM + data, "input") == text
    assert decode_text(text, "input") == text.removeprefix("\ufeff")


def test_every_reader_takes_a_byte_order_mark(tmp_path: Path) -> None:
    assert json_object(BOM + b'{"regime": "jp"}') == {"regime": "jp"}
    parties = tmp_path / "parties.csv"
    parties.write_bytes(BOM + b"name,country\nHanbit,KR\n")
    rows = list(read_batch(parties))
    assert rows[0].query is not None and rows[0].query.names == ("Hanbit",) and rows[0].query.countries == ("kr",)
    jsonl = tmp_path / "parties.jsonl"
    jsonl.write_bytes(BOM + b'{"name": "Hanbit", "country": "KR"}\n')
    assert [r.error for r in read_batch(jsonl)] == [None]
    catalogue = tmp_path / "catalogue.csv"
    catalogue.write_bytes(BOM + (ROOT / "examples" / "catalogue.csv").read_bytes())
    assert read_catalogue(catalogue).ok
    for name in ("orders.jsonl", "orders.csv"):
        path = tmp_path / name
        body = b'{"order_id": "O-1"}\n' if name.endswith(".jsonl") else b"order_id\nO-1\n"
        path.write_bytes(BOM + body)
        assert list(read_rows(path, "orders")) == [(1 if name.endswith(".jsonl") else 2, {"order_id": "O-1"})]


def test_a_portfolio_saved_with_byte_order_marks_reads_whole(tmp_path: Path) -> None:
    source = ROOT / "examples" / "portfolio"
    for name in ("catalogue.csv", "customers.csv"):
        (tmp_path / name).write_bytes(BOM + (source / name).read_bytes())
    orders = read_rows(source / "orders.csv", "orders")
    lines = [json.dumps(values) for _, values in orders]
    (tmp_path / "orders.jsonl").write_bytes(BOM + "\n".join(lines).encode())
    plain, marked = read_portfolio(source), read_portfolio(tmp_path)
    assert marked.problems == () and len(marked.orders) == len(plain.orders) > 0
    assert marked.customers == plain.customers


def test_a_customer_country_must_be_a_country(tmp_path: Path) -> None:
    source = ROOT / "examples" / "portfolio"
    for name in ("catalogue.csv", "orders.csv"):
        (tmp_path / name).write_bytes((source / name).read_bytes())
    text = (source / "customers.csv").read_text(encoding="utf-8").splitlines()
    header, first = text[0], text[1].split(",")
    first[header.split(",").index("country")] = "Korea"
    (tmp_path / "customers.csv").write_text("\n".join([header, ",".join(first), *text[2:]]) + "\n", encoding="utf-8")
    problems = read_portfolio(tmp_path).problems
    assert [(p.file, p.row, p.field) for p in problems] == [("customers.csv", 2, "country")]
