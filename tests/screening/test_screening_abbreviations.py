"""Causes of the learned weights' Latin–Latin errors on the validation split of the list pairs, fixed as rules of
names (docs/screening.md, "Latin–Latin errors by cause"): a word of an organisation name that abbreviates several
words of the other (acronyms and syllabic abbreviations), organisation symbols read from another script's spelling,
and training pairs read by their schema as the index reads the entry. The examples are written here, not drawn from
the evaluation pairs."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from clearance.screening.features import (
    ABBREVIATION,
    aligned_words,
    alignment_ceiling,
    spells,
    token_alignment,
    weak_tokens,
)
from clearance.screening.model import Party
from clearance.screening.normalise import NameForm, name_forms
from clearance.screening.training import compared_forms


def org(a: str, b: str) -> tuple[NameForm, NameForm]:
    """The first forms of two organisation names."""
    return name_forms(a, False, True)[0], name_forms(b, False, True)[0]


def test_an_acronym_of_several_words_pairs_with_them() -> None:
    q, c = org("TD Arsenal", "Torgovyi Dom Arsenal LLC")
    assert token_alignment(q, c) >= 0.85  # 0.28 before: TD had no partner
    q, c = org("NPK Istok", "Nauchno Proizvodstvennaya Korporatsiya Istok")
    assert token_alignment(q, c) >= 0.85
    q, c = org("Center for Optical Fibre Testing Svetlana", "Svetlana OFT")
    assert token_alignment(q, c) >= 0.75  # an acronym of words inside the longer name


def test_a_syllabic_abbreviation_pairs_with_its_words() -> None:
    q, c = org("Uralvagonzavod", "Uralskiy Vagonostroitelny Zavod")
    assert token_alignment(q, c) >= 0.7  # 0.0 before
    q, c = org("Mosgorsvet LLC", "Moskovskiy Gorodskoy Svet LLC")
    assert token_alignment(q, c) >= 0.7


def test_what_is_no_abbreviation() -> None:
    # the beginnings of the words, in order, each word giving its first letter
    q, c = org("BKS Arsenal", "Konstruktorskoe Byuro Arsenal")
    assert aligned_words(q, c)[1] == ()
    q, c = org("Sever Trading", "Severnaya Verf Trading")
    assert aligned_words(q, c)[1] == ()
    # two letters alone are too short to tell
    q, c = org("KB", "Kookmin Bank")
    assert aligned_words(q, c)[1] == ()
    # people's names, and names not known to be an organisation's, are not abbreviated
    assert aligned_words(*(name_forms(n, True)[0] for n in ("HUM Khan", "Harsh Urvi Modi Khan")))[1] == ()
    assert aligned_words(name_forms("HUM")[0], name_forms("Harsh Urvi Modi")[0])[1] == ()


WORD = st.text(alphabet="abcdefghijklmnoprstuvz", min_size=2, max_size=9).filter(lambda w: w not in weak_tokens())


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(WORD, st.integers(1, 9)), min_size=2, max_size=5))
def test_the_beginnings_of_words_spell_their_abbreviation(words: list[tuple[str, int]]) -> None:
    abbreviation = "".join(word[:n] for word, n in words)
    assert spells(abbreviation, tuple(w for w, _ in words), weak_tokens())


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(WORD, st.integers(1, 4)), min_size=2, max_size=4),
    st.lists(WORD, max_size=2),
    st.lists(WORD, max_size=2),
    st.booleans(),
)
def test_the_ceiling_bounds_the_alignment_with_abbreviations(
    run: list[tuple[str, int]], shared: list[str], extra: list[str], swap: bool
) -> None:
    """:func:`alignment_ceiling` stays at least :func:`token_alignment` when words are paired by abbreviation,
    at every floor."""
    abbreviated = "".join(word[:n] for word, n in run)
    a = " ".join([abbreviated, *shared, "llc"])
    b = " ".join([*extra, *(w for w, _ in run), *shared, "company"])
    q, c = org(*((b, a) if swap else (a, b)))
    value = token_alignment(q, c)
    for floor in (0.0, 0.5, 0.9, 1.0):
        assert alignment_ceiling(q, c, floor) >= value - 1e-12


def test_abbreviated_words_count_once() -> None:
    q, c = org("SKB Piranya", "Simbirskoe Konstruktorskoe Byuro Piranya")
    paired, abbreviated = aligned_words(q, c)
    assert paired == ((1, 3, 1.0),)
    assert abbreviated == ((0, 0, ABBREVIATION), (0, 1, ABBREVIATION), (0, 2, ABBREVIATION))
    assert token_alignment(q, c) <= 1.0


def test_symbols_of_consonant_readings_stay_in_their_script() -> None:
    assert name_forms("MML Holding Co")[0].tokens[0] == "mml"  # was "lab": the reading of معمل
    assert name_forms("Chang Hong Electronics Co")[0].tokens[0] == "chang"  # was "factory": 厂 read in pinyin
    assert name_forms("معمل الكيماويات")[0].tokens[0] == "lab"
    assert "tech" in name_forms("Beijing Keji Co")[0].tokens  # 科技: a word of two characters is a word in pinyin


def test_training_reads_an_organisation_as_the_index_does() -> None:
    party = Party.build("t", "1", "Company", ["Simbirskoe Konstruktorskoe Byuro Piranya"])
    queries, forms = compared_forms("SKB Piranya", "Company", party)
    assert all(f.organisation for f in (*queries, *forms))


def test_two_letters_abbreviate_only_in_place() -> None:
    q, c = org("Northern Ocean Electronics LLC", "China Electronics Technology Group No. 28 Institute")
    assert aligned_words(q, c)[1] == ()  # No. is no abbreviation of Northern Ocean: it stands elsewhere
    q, c = org("Alpha TD Holding", "Alpha Torgovyi Dom Holding")
    assert aligned_words(q, c)[1]
