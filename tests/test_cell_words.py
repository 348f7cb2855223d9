"""Cell values as Japanese and Korean sheets write them (issue 15): yes/no (はい/いいえ, ○/×, 예/아니요) and end uses
(民生, 軍事, 대량살상무기) read as the values the columns take, through the word list data/values.yaml; a word it does
not list is refused naming the column, never guessed."""

from __future__ import annotations

import datetime as dt
from importlib.resources import files

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from clearance.classify.assess_batch import row_request
from clearance.classify.sheets import parameters
from clearance.errors import InputError
from clearance.headers import cell_value, header_key
from clearance.impact.portfolio import Customer

WORDS = yaml.safe_load(files("clearance.data").joinpath("values.yaml").read_text(encoding="utf-8"))
LISTED = [
    (kind, value, str(word)) for kind, values in WORDS.items() for value, words in values.items() for word in words
]
KNOWN = {header_key(w) for _, _, w in LISTED} | {header_key(v) for values in WORDS.values() for v in values}


def _wide(text: str) -> str:
    """``text`` in full-width forms where there are some (ＹＥＳ, １)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@pytest.mark.parametrize(("kind", "value", "word"), LISTED)
def test_every_listed_word_reads_as_its_value_in_any_width_or_case(kind: str, value: str, word: str) -> None:
    for written in (word, word.upper(), _wide(word), f" {word} "):
        assert cell_value(kind, written) == value


@given(st.text(max_size=12))
def test_a_word_not_listed_is_left_as_written(text: str) -> None:
    if header_key(text) not in KNOWN:
        assert cell_value("boolean", text) == text and cell_value("end_use", text) == text


def test_a_customer_row_in_japanese_and_korean_words() -> None:
    ja = Customer.model_validate(
        {"customer_id": "C1", "name": "x", "country": "KR", "end_use": "軍事", "informed": "はい"}
    )
    ko = Customer.model_validate(
        {"customer_id": "C2", "name": "y", "country": "KR", "end_use": "대량살상무기", "informed": "아니요"}
    )
    assert (ja.end_use, ja.informed) == ("conventional_weapons", True)
    assert (ko.end_use, ko.informed) == ("wmd", False)
    with pytest.raises(ValidationError) as refused:
        Customer.model_validate({"customer_id": "C3", "name": "z", "country": "KR", "end_use": "たぶん民生"})
    assert refused.value.errors()[0]["loc"] == ("end_use",)


def test_a_classification_sheet_answers_yes_or_no_in_words() -> None:
    vocabulary = parameters().parameters
    name = next(n for n, p in vocabulary.items() if p.type == "boolean")
    base = {"name": "film", "hs_code": "3920.99"}
    day = dt.date(2026, 3, 1)
    assert row_request({**base, name: "○"}, "jp", day, vocabulary)["product"]["parameters"][name] is True
    assert row_request({**base, name: "아니요"}, "jp", day, vocabulary)["product"]["parameters"][name] is False
    with pytest.raises(InputError) as refused:
        row_request({**base, name: "maybe"}, "jp", day, vocabulary)
    assert refused.value.field == name and "はい/いいえ" in refused.value.message
