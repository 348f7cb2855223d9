"""The blocking index's candidates (:meth:`ScreeningIndex.candidates`, counted with numpy) are those of the plain
counting it replaced: a :class:`collections.Counter` of the postings, each counted as often as its key weighs,
ranked by :meth:`~collections.Counter.most_common` (ties in the order the forms were first counted)."""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterable
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clearance.screening import index as blocking
from clearance.screening.index import ScreeningIndex
from clearance.screening.model import ListVersion, Party
from clearance.screening.normalise import NameForm, name_forms

#: Few words, so that names share keys; short and long ones, so that skeleton deletions and pairs occur.
WORDS = ("acme", "akme", "trading", "ivan", "petrov", "petrova", "golden", "star", "bank", "of", "china", "nova")
LISTS = ("a", "b", "c")


def counted(
    index: ScreeningIndex, forms: Iterable[NameForm], limit: int, lists: frozenset[str], min_share: float
) -> list[int]:
    """The candidates as the Counter counted them."""
    counts: Counter[int] = Counter()
    singles: list[int] = []
    buckets: list[tuple[int, array[int]]] = []
    forms = list(forms)
    kana = any(form.script == "kana" for form in forms)
    for key in sorted({key for form in forms for key in blocking.query_keys(form)}):
        bucket = index.postings.get(key)
        if bucket is None:
            continue
        whole = key[0] == "n" or (kana and key[0] in "jJ")
        if isinstance(bucket, int):
            singles += [bucket] * (blocking.WHOLE if whole else 1)
            continue
        cap = blocking.PAIR_CAP if key[0] in "njJ" or (key[1] in "ps" and key[2] == ":") else blocking.SINGLE_CAP
        if len(bucket) <= cap:
            buckets.append((blocking.WHOLE if whole else 1, bucket))
    for _ in range(3):
        counts.update(singles)
    for factor, bucket in sorted(buckets, key=lambda fb: len(fb[1])):
        rarity = 3 if len(bucket) <= blocking.RARE else 2 if len(bucket) <= blocking.COMMON else 1
        for _ in range(factor * rarity):
            counts.update(bucket)
    if lists:
        on_lists = (fc for fc in counts.most_common() if index.parties[index.form_party[fc[0]]].list_id in lists)
        top = [fc for fc, _ in zip(on_lists, range(limit), strict=False)]
    else:
        top = counts.most_common(limit)
    if not top:
        return []
    floor = top[0][1] * min_share
    return [form_no for form_no, count in top if count >= floor]


names = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)
parties = st.lists(st.tuples(st.sampled_from(LISTS), st.lists(names, min_size=1, max_size=3)), min_size=1, max_size=40)


@settings(max_examples=150, deadline=None)
@given(
    parties=parties,
    query=st.lists(names, min_size=1, max_size=2),
    limit=st.integers(0, 20),
    lists=st.frozensets(st.sampled_from((*LISTS, "unknown"))),
    min_share=st.sampled_from((0.0, 0.25, 0.5, 1.0)),
    caps=st.tuples(st.integers(1, 6), st.integers(2, 12), st.integers(2, 30), st.integers(2, 40)),
)
def test_candidates_equal_the_counted_ones(
    parties: list[tuple[str, list[str]]],
    query: list[str],
    limit: int,
    lists: frozenset[str],
    min_share: float,
    caps: tuple[int, int, int, int],
) -> None:
    """Same forms in the same order, whatever the lists, caps and weights of rare and common keys (small caps
    here, so that random indexes reach them)."""
    versions = [
        ListVersion(
            list_id,
            list_id,
            None,
            "test",
            tuple(
                Party(list_id, str(n), "LegalEntity", tuple(ns))
                for n, (lid, ns) in enumerate(parties)
                if lid == list_id
            ),
        )
        for list_id in LISTS
    ]
    index = ScreeningIndex.build(versions)
    forms = [form for name in query for form in name_forms(name)]
    rare, common, single, pair = caps
    with mock.patch.multiple(blocking, RARE=rare, COMMON=rare + common, SINGLE_CAP=single, PAIR_CAP=single + pair):
        blocking.lookups.cache_clear()  # the keys looked up are kept with their caps: made afresh under these ones
        found = index.candidates(forms, limit, lists, min_share)
        expected = counted(index, forms, limit, lists, min_share)
        blocking.lookups.cache_clear()  # and not left for other tests
    assert found == expected


def test_candidates_on_the_bundled_lists_equal_the_counted_ones(bundled_index: ScreeningIndex) -> None:
    """The real index, with its real caps: list names and their variants find the same candidates."""
    for name in ("Beihang University", "Rosoboronexport", "Huawei Technologies", "Ivan Petrov", "ロスアトム"):
        forms = list(name_forms(name))
        for lists in (frozenset(), frozenset({"us-csl"}), frozenset({"jp-meti-eul", "jp-mof-asset-freeze"})):
            assert bundled_index.candidates(forms, 15, lists) == counted(bundled_index, forms, 15, lists, 0.5)


@pytest.mark.parametrize(
    ("katakana", "listed"),
    [
        ("アルファバンク", "Alfa-bank"),  # one katakana word, two words on the list
        ("エルシャフィー・エル・シェイク", "ELSHAFEE EL SHEIKH"),  # a final kh written ク, read as フ (Gladkikh)
        ("パク・ジンヒョク", "Park Jin Hyok"),  # the r English spelling writes but does not sound
    ],
)
def test_a_katakana_name_shares_a_whole_name_key_with_its_latin_spelling(katakana: str, listed: str) -> None:
    """Such a key weighs as a whole name for a katakana query: without it, the entry is outranked by names that
    share a common word (Pak, Bank) with the query."""
    looked_up = {key for form in name_forms(katakana, person=True) for key in blocking.query_keys(form)}
    filed = {key for form in name_forms(listed, person=True) for key in blocking.form_keys(form)}
    assert {key for key in looked_up & filed if key[0] in "jJ"}
