"""The hot path's shortcuts give what the full computations give: a pair of words more than half its letters apart is
scored without its spelling and sound terms (only an alias may credit it), and :func:`abbreviable` tries a word only
where a run may begin with its letter; words written apart are sought only where first letters meet. Each reference
below is the computation as it was written before its shortcut."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from clearance.screening import features
from clearance.screening.features import (
    ABBREVIATION,
    INITIAL,
    PARTIAL,
    abbreviable,
    abbreviations,
    gendered_pair,
    token_similarity,
    weak_tokens,
)
from clearance.screening.normalise import NameForm, name_forms, nickname_groups
from clearance.screening.phonetic import phonetic_key

#: Latin letters few enough to give near misses, Cyrillic, Hangul, Chinese characters, Arabic and digits.
LETTERS = "aeilmnorst" + "иван" + "김정은" + "高市石" + "محمد" + "12"
ALIASES = ["robert", "rob", "bob", "robbie", "william", "will", "bill", "elizabeth", "liz", "univ", "university"]
WORD = st.one_of(st.text(alphabet=LETTERS, min_size=1, max_size=12), st.sampled_from(ALIASES))


def reference_similarity(a: str, b: str, pa: str, pb: str, strict: bool, abbreviations: bool, person: bool) -> float:
    """:func:`token_similarity` as written before pairs more than half their letters apart were answered early."""
    if a == b:
        return 1.0
    if a.isdigit() or b.isdigit():
        return 0.0
    if len(a) == 1 or len(b) == 1:
        return INITIAL if a[0] == b[0] else 0.0
    edits = OSA.distance(a, b)
    if person and edits == 1 and gendered_pair(a, b):
        return PARTIAL * (1.0 - 1 / max(len(a), len(b)))
    allowed = 0 if strict else features._edits_allowed(min(len(a), len(b)))
    if edits <= allowed and (edits < 2 or a[0] == b[0]):
        spelled = 1.0 - 0.08 * edits
    elif strict:
        return 0.0
    else:
        ratio = 1.0 - edits / max(len(a), len(b))
        spelled = PARTIAL * ratio if ratio >= 0.5 else 0.0
    if not nickname_groups(a).isdisjoint(nickname_groups(b)):
        return max(spelled, 0.9)
    if abbreviations and min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)):
        return ABBREVIATION
    near = edits <= allowed + 1 and (len(pa) >= 3 or min(len(a), len(b)) >= 6)
    sounded = 0.9 if pa == pb and a[0] == b[0] and near else 0.0
    return max(spelled, sounded)


@settings(max_examples=1000)
@given(WORD, WORD, st.booleans(), st.booleans(), st.booleans(), st.booleans())
def test_words_far_apart_are_scored_as_in_full(
    a: str, b: str, sounding: bool, strict: bool, organisations: bool, person: bool
) -> None:
    """Every value is the full computation's; more than half the letters apart, only an alias gives credit."""
    pa, pb = (phonetic_key(a), phonetic_key(b)) if sounding else (a, b)
    value = token_similarity.__wrapped__(a, b, pa, pb, strict, organisations, person)
    assert value == reference_similarity(a, b, pa, pb, strict, organisations, person)
    if a != b and min(len(a), len(b)) > 1 and 2 * OSA.distance(a, b) > max(len(a), len(b)):
        assert value in (0.0, 0.9, ABBREVIATION)


def test_near_misses_and_aliases_keep_their_credit() -> None:
    """Examples on each side of half the letters: an alias far apart, a near miss at exactly half."""
    assert token_similarity("bob", "robert", "b", "rbrt", False, False, True) == 0.9
    assert token_similarity("univ", "university", "unf", "unfrst", False, True, False) == ABBREVIATION
    assert token_similarity("univ", "university", "unf", "unfrst", False, False, False) == 0.0
    assert token_similarity("abcd", "abxy", "abcd", "abxy", False, False, False) == PARTIAL * 0.5
    assert token_similarity("abcd", "axyz", "abcd", "axyz", False, False, False) == 0.0


def reference_abbreviable(left: tuple[str, ...], right: tuple[str, ...]) -> frozenset[int]:
    """The positions of ``left`` :func:`abbreviable` gave before it tried words by a run's first letter."""
    skippable = weak_tokens()
    found: tuple[set[int], set[int]] = (set(), set())
    for side, (mine, theirs) in enumerate(((left, right), (right, left))):
        everywhere = frozenset(range(len(theirs)))
        for k, word in enumerate(mine):
            if features._abbreviating(word, skippable):
                for run in features._runs_spelt(word, theirs, everywhere, skippable):
                    found[side].add(k)
                    found[1 - side].update(run)
    return frozenset(found[0])


NAME_WORD = st.one_of(st.text(alphabet="abkosz", min_size=1, max_size=5), st.sampled_from(["of", "and", "co"]))
NAME = st.lists(NAME_WORD, min_size=1, max_size=6).map(tuple)


@settings(max_examples=1000)
@given(NAME, NAME)
def test_abbreviable_words_as_in_full(left: tuple[str, ...], right: tuple[str, ...]) -> None:
    """The positions an abbreviation may pair are those of every run spelt, and hold every abbreviation found."""
    positions = abbreviable.__wrapped__(left, right)
    assert positions == reference_abbreviable(left, right)
    everywhere = frozenset(range(len(left))), frozenset(range(len(right)))
    for side, k, run in abbreviations.__wrapped__(left, right, *everywhere):
        assert ({k} if side == 0 else set(run)) <= positions


PERSON = st.lists(st.text(alphabet="abrmиk", min_size=1, max_size=5), min_size=1, max_size=5).map(" ".join)


@settings(max_examples=500)
@given(PERSON, PERSON, st.integers(-1, 4))
def test_words_written_apart_are_sought_where_their_letters_meet(query: str, listed: str, holding: int) -> None:
    """:func:`features._same_letter_runs` gives every run of one name and word of the other of the same first letter
    (the runs holding a word when asked), and :func:`features._may_be_apart` says whether there is one of a length
    within one of the word's."""
    q, c = name_forms(query, True)[0], name_forms(listed, True)[0]
    runs = features._runs(len(q.tokens))
    assert list(features._same_letter_runs(q.tokens, c.tokens, holding)) == [
        (s, e, j)
        for s, e in runs
        if holding < 0 or s <= holding < e
        for j, w in enumerate(c.tokens)
        if w[0] == q.tokens[s][0]
    ]

    def apart(runs: NameForm, words: NameForm) -> bool:
        return any(
            abs(sum(map(len, runs.tokens[s:e])) - len(words.tokens[j])) <= 1
            for s, e, j in features._same_letter_runs(runs.tokens, words.tokens)
        )

    assert features._may_be_apart(q, c) == (apart(c, q), apart(q, c))
