"""Person-name logic and katakana readings found by looking at yente's negatives that matched and at MOF katakana
names that missed their English entry (docs/screening.md, "What the misses taught")."""

from __future__ import annotations

import pytest

from clearance.screening import Query
from clearance.screening.matcher import score_party
from clearance.screening.model import Party
from clearance.screening.normalise import name_forms


def score(query: str, listed: str, schema: str = "Person") -> float:
    """The score of one list name for one query name, as screening scores it."""
    person = schema == "Person"
    party = Party.build("t", "1", schema, [listed])
    forms = name_forms(listed, person)
    return score_party(Query((query,), schema).context(), name_forms(query, person), party, forms).score


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Antonia Rodriguez", "RODRIGUEZ, Antonio"),  # a feminine ending: another person
        ("Александра Лука Лапина", "Aleksandr Lapin"),
        ("Sergey Ivanovich Lavrov", "Sergey Viktorovich LAVROV"),  # another father
        ("خيري آل قصير", "QASIR, Ali"),  # the article آل (al) is not the name Ali
        ("静 林", "JING HE, Lin"),  # in Chinese names every syllable is a character: Jing is not Jing He
        ("Catalina Fernandez", "FERNANDEZ GONZALEZ, Carolina"),  # a near-miss given name and an extra surname
    ],
)
def test_hard_negatives_of_people_stay_below_the_threshold(query: str, listed: str) -> None:
    assert score(query, listed) < 0.8


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Sergey Lavrov", "Sergey Viktorovich LAVROV"),  # a patronymic on one side only
        ("Vladimir Putin", "Vladimir Vladimirovich Putin"),
        ("Stephen Smith", "STEPHEN EDWARD SMITH"),  # a dropped middle name is still a match
        ("サーレフ・シャフ", "SALEH SHAH"),  # katakana フ for an Arabic final h
        ("ハーリド・シャイク・ムハンマド", "Khalid Shaikh Mohammed"),  # ク for a final kh
        ("チェ・チュンヨン", "CHOE CHUN YONG"),  # a Korean given name is one katakana word
        ("ハッサン・アルワルディヤーン", "Hassan AL-WARDIAN"),  # the article joined to its noun
        ("リ・チュンファン", "RI CHUN HWAN"),  # Korean hw is ファ
    ],
)
def test_variants_of_one_person_match(query: str, listed: str) -> None:
    assert score(query, listed) >= 0.8


def test_joined_katakana_words_keep_their_order() -> None:
    """チャン・ソンナム (Jang Song Nam) joined against SON MUN SAN would pair chan with san and sonnam with sonmun."""
    assert score("チャン・ソンナム", "SON MUN SAN") < 0.9
