"""The blocking index: finds the few list names worth scoring for a query, without comparing every name.

Every name form is filed under a handful of keys: its whole text (one-word names); each token, its phonetic key
and its consonant skeleton (and, for longer skeletons, the skeleton less any one consonant, which also finds
typos); pairs of phonetic keys and of skeletons (so that two common words together are still selective); the first
six letters written without spaces; the skeletons of all words joined (and joined with a consonant class repeated
across two words written once); a Latin name's skeletons as katakana may have heard it (the respelling scoring
tries: kh as k, an r English spelling does not sound left out); and its initials. A query looks up its own keys;
keys that point at more than a cap of names (a very common word) are skipped, pairs and whole names are not; keys
shared by few names weigh more, a whole name more again (and a katakana name's whole skeleton: katakana writes as
one word what lists write as two); the names that share the most weight with the query are scored.
"""

from __future__ import annotations

import re
import sys
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations
from operator import itemgetter

import numpy as np
import numpy.typing as npt

from clearance.screening.features import acronym_word, katakana_spellings, weak_tokens
from clearance.screening.model import ORGANISATIONS, ListVersion, Party
from clearance.screening.normalise import NameForm, lossy_name, name_forms
from clearance.screening.phonetic import skeleton

SINGLE_CAP = 500
PAIR_CAP = 4000
PAIR_TOKENS = 6
SKELETON_DELETES_FROM = 4
MIN_SHARE = 0.5
RARE = 32
WHOLE = 2
COMMON = 256


def has_faithful_name(party: Party) -> bool:
    """Whether one of the party's names is in a script that keeps a name's spelling (not kana, Hangul, Arabic,
    Hebrew, nor a foreign name's sounds in Chinese characters: :func:`lossy_name`)."""
    person = party.schema == "Person"
    return not all(lossy_name(name, person) for name in party.all_names)


_REPEATED = re.compile(r"(.)\1+")


def joined_skeleton(skeletons: Sequence[str]) -> str:
    """The skeletons of a name's words written as one, a consonant class repeated across two words written once:
    JANG SUNG NAM (sn sn n) → snsn, as チャン・ソンナム (chan sonnamu: sn sn) → snsn."""
    return _REPEATED.sub(_first_group, "".join(skeletons))


def _first_group(match: re.Match[str]) -> str:
    """A match's first group: a replacement as a function is called for matches only, where a template string
    goes through ``re``'s Python on every call."""
    return match[1]


def form_keys(form: NameForm) -> Iterator[str]:
    """The blocking keys of one name form (prefixed by kind: n whole text, t token, p phonetic, s skeleton …)."""
    weak = weak_tokens()
    if len(form.tokens) == 1:  # longer names are found through their word pairs
        yield "n:" + form.tokens[0]
    elif not form.person and (letters := acronym_word(form)):  # an acronym in words: NII SVT
        yield "t:" + letters
    strong = [i for i, t in enumerate(form.tokens) if t not in weak] or list(range(len(form.tokens)))
    for i in strong:
        yield "t:" + form.tokens[i]
        yield "p:" + form.phonetic[i]
        sk = form.skeleton[i]
        if len(sk) >= 2:
            yield "s:" + sk
        if len(sk) >= SKELETON_DELETES_FROM:  # one consonant lost or added on the way through another script
            for k in range(len(sk)):
                yield "sd:" + sk[:k] + sk[k + 1 :]
    if form.script == "latin":  # a Latin spelling as katakana may have heard it (Park パク, Sheikh シェイク)
        heard = tuple(skeleton((katakana_spellings(t) or (t,))[-1]) for t in form.sounds)
        if heard != form.skeleton:
            yield from ("s:" + sk for sk, own in zip(heard, form.skeleton, strict=True) if sk != own and len(sk) >= 2)
            if len(form.tokens) >= 2:
                yield "j:" + "".join(heard)
    # Pairs of the strong words; of all words when fewer than two are strong ("Alexey Trading").
    head = (strong if len(strong) >= 2 else list(range(len(form.tokens))))[:PAIR_TOKENS]
    for i, j in combinations(head, 2):
        yield "pp:" + _pair(form.phonetic[i], form.phonetic[j])
        yield "ss:" + _pair(form.skeleton[i], form.skeleton[j])
    if len(form.fingerprint) >= 6:
        yield "f:" + form.fingerprint[:6]
    if len(form.tokens) >= 2:  # the whole skeleton: キム・ジョンシク (2 words) = KIM JONG SIK (3 words)
        yield "j:" + "".join(form.skeleton)
        joined = joined_skeleton(form.skeleton)
        if joined != "".join(form.skeleton):  # Jang Sung Nam (sn sn n) for チャン・ソンナム (sn sn)
            yield "J:" + joined
    if len(form.tokens) >= 3:  # its acronym, of its words as symbols and as written (Zavod, not factory: LMZ)
        yield "a:" + "".join(form.tokens[i][0] for i in strong)
        if form.spoken:
            yield "a:" + "".join(form.spoken[i][0] for i in strong)


def _pair(a: str, b: str) -> str:
    """Two keys in either order as one: the lesser first."""
    return f"{a}|{b}" if a <= b else f"{b}|{a}"


def query_keys(form: NameForm) -> Iterator[str]:
    """The keys a query form looks up: its own keys, its single token as an acronym of a longer name, its initials
    as a name, and its whole skeleton in reverse word order."""
    yield from form_keys(form)
    for sk in form.skeleton:  # one consonant more or less than the list name (symmetric deletion)
        if len(sk) >= SKELETON_DELETES_FROM - 1:
            yield "sd:" + sk
        if len(sk) >= SKELETON_DELETES_FROM:
            for k in range(len(sk)):
                yield "s:" + sk[:k] + sk[k + 1 :]
    letters = acronym_word(form)
    if letters is not None:
        yield "a:" + letters
    if len(form.tokens) >= 3:  # its initials as an acronym a list writes, of its words as symbols and as written
        weak = weak_tokens()
        for words in {form.tokens, form.sounds}:
            yield "t:" + "".join(t[0] for t, own in zip(words, form.tokens, strict=True) if own not in weak)
    if len(form.tokens) >= 2:  # surname first or last: "MISHUSTIN, Mikhail" for ミハイル・ミシュスチン
        yield "j:" + "".join(reversed(form.skeleton))
    if form.script == "kana":
        yield from kana_keys(form)


def kana_keys(form: NameForm) -> Iterator[str]:
    """The keys a katakana query looks up beside its own: its whole skeleton as the joined skeleton of a name a list
    writes in several words (チャン・ソンナム, JANG SUNG NAM; アルファバンク, Alfa-bank), in either word order, a
    consonant class repeated across two words written once."""
    for skeletons in {form.skeleton, form.skeleton[::-1]}:
        yield "j:" + joined_skeleton(skeletons)
        yield "J:" + joined_skeleton(skeletons)


@lru_cache(maxsize=4096)
def lookups(forms: tuple[NameForm, ...]) -> tuple[tuple[str, int, int], ...]:
    """The keys query forms look up, sorted (not in hash order: the same ties in every process), each with what
    the names found through it count (:data:`WHOLE` for the whole name and a kana name's whole skeleton, else 1)
    and the most names it may point at to be looked up (:data:`PAIR_CAP` for pairs and whole names, else
    :data:`SINGLE_CAP`); kept, as a party is often looked up in the indexes of several lists."""
    kana = any(form.script == "kana" for form in forms)
    keys: set[str] = set()
    for form in forms:
        keys.update(query_keys(form))
    return tuple(
        (
            key,
            WHOLE if key[0] == "n" or (kana and key[0] in "jJ") else 1,
            PAIR_CAP if key[0] in "njJ" or (key[1] in "ps" and key[2] == ":") else SINGLE_CAP,
        )
        for key in sorted(keys)
    )


@dataclass
class ScreeningIndex:
    """Parties of one or more list versions, their name forms and the blocking keys."""

    parties: list[Party] = field(default_factory=list)
    forms: list[NameForm] = field(default_factory=list)
    form_party: array[int] = field(default_factory=lambda: array("I"))
    #: By form: the number of its party's list (:attr:`list_numbers`), for screening against some lists only.
    form_list: array[int] = field(default_factory=lambda: array("H"))
    list_numbers: dict[str, int] = field(default_factory=dict)
    postings: dict[str, int | array[int]] = field(default_factory=dict)  # one name: the int itself
    versions: dict[str, str] = field(default_factory=dict)
    list_dates: dict[str, str | None] = field(default_factory=dict)
    #: By party: None when none of its names is in a faithful script (see :func:`has_faithful_name`), else the
    #: faithful forms of all its names when it has forms in a lossy one (what a Latin query meets when only those
    #: were found), else nothing. Worked out here so that screening never reads a list name again.
    faithful: list[tuple[NameForm, ...] | None] = field(default_factory=list)

    @classmethod
    def build(cls, lists: Iterable[ListVersion]) -> ScreeningIndex:
        """An index over every name and alias of every party of the given list versions."""
        index = cls()
        for version in lists:
            index.add_list(version)
        return index

    def add_list(self, version: ListVersion) -> None:
        """Add every party of one list version."""
        self.versions[version.list_id] = version.version
        self.list_dates[version.list_id] = version.list_date.isoformat() if version.list_date else None
        for party in version.parties:
            self.add_party(party)

    def add_party(self, party: Party) -> None:
        """Add one party's names and aliases."""
        party_no = len(self.parties)
        self.parties.append(party)
        list_no = self.list_numbers.setdefault(party.list_id, len(self.list_numbers))
        seen: set[tuple[str, ...]] = set()
        person = party.schema == "Person"
        organisation = party.schema in ORGANISATIONS
        lossy = False
        for name in party.all_names:
            for form in name_forms(name, person, organisation):
                if form.tokens in seen:
                    continue
                seen.add(form.tokens)
                lossy |= form.lossy
                self._add_form(party_no, list_no, form)
        if not has_faithful_name(party):
            self.faithful.append(None)
        elif lossy:
            self.faithful.append(tuple(f for n in party.all_names for f in name_forms(n, person) if not f.lossy))
        else:
            self.faithful.append(())

    def _add_form(self, party_no: int, list_no: int, form: NameForm) -> None:
        form_no = len(self.forms)
        self.forms.append(form)
        self.form_party.append(party_no)
        self.form_list.append(list_no)
        postings = self.postings
        for key in set(form_keys(form)):
            bucket = postings.get(key)
            if bucket is None:
                postings[sys.intern(key)] = form_no
            elif isinstance(bucket, int):
                postings[key] = array("I", (bucket, form_no))
            else:
                bucket.append(form_no)

    def candidates(
        self,
        forms: Iterable[NameForm],
        limit: int = 15,
        lists: frozenset[str] = frozenset(),
        min_share: float = MIN_SHARE,
    ) -> list[int]:
        """Form numbers sharing the most key weight with the query forms, most first: at most ``limit``, with at
        least ``min_share`` of the best one's weight, optionally only forms of parties on the given lists."""
        ids, weights = self._postings(forms)
        if not len(ids):
            return []
        # Each form found: its weight (the sum over the postings it is in) and the place it was first found at;
        # ranked by weight, ties to the form found first (through a rarer key), as a stable sort would rank them.
        # (Array methods rather than numpy's functions: no wrapper call, the same sorts.)
        order = ids.argsort(kind="stable")
        ids_sorted = ids[order]
        first = np.empty(len(ids), dtype=bool)
        first[0] = True
        np.not_equal(ids_sorted[1:], ids_sorted[:-1], out=first[1:])
        starts = first.nonzero()[0]
        form_nos = ids_sorted[starts]
        counts = np.add.reduceat(weights[order], starts)
        places = order[starts]
        if lists:
            wanted = [self.list_numbers[i] for i in lists if i in self.list_numbers]
            kept = np.isin(np.frombuffer(self.form_list, dtype=np.ushort)[form_nos], wanted)
            form_nos, counts, places = form_nos[kept], counts[kept], places[kept]
        if not len(counts):
            return []
        # Names sharing far less than the best are not worth scoring; those left are ranked (they share more than
        # any other, so they come first in the ranking of all).
        near = (counts >= counts.max() * min_share).nonzero()[0]
        rank = counts[near] * -len(ids) + places[near]  # one number per form: weight first, then first place
        if len(rank) > limit:
            top = rank.argpartition(limit)[:limit]
            near = near[top[rank[top].argsort()]]
        else:
            near = near[rank.argsort()]
        found: list[int] = form_nos[near].tolist()
        return found

    def _postings(self, forms: Iterable[NameForm]) -> tuple[npt.NDArray[np.uintc], npt.NDArray[np.intp]]:
        """The postings of the query forms' keys one after another (rarest first, in one array) and the weight of
        each place: the names found through the postings' key count that many times. A key shared by few names says
        more: keys of at most RARE names count three times, of at most COMMON names twice, the whole name (a kana
        name's whole skeleton) twice more; keys that point at more than a cap of names are skipped (pairs and whole
        names have a higher cap)."""
        postings = self.postings
        # Forms alike in what the keys are made of (a name read as a person's and as an organisation's often is)
        # look up the same keys: each such form once.
        forms = tuple({(f.tokens, f.phonetic, f.skeleton, f.script): f for f in forms}.values())
        singles: list[int] = []
        buckets: list[tuple[int, int, array[int]]] = []  # (size, weight, postings)
        for key, factor, cap in lookups(forms):
            bucket = postings.get(key)
            if bucket is None:
                continue
            if isinstance(bucket, int):
                singles += [bucket] * factor
                continue
            size = len(bucket)
            if size <= cap:
                buckets.append((size, factor * (3 if size <= RARE else 2 if size <= COMMON else 1), bucket))
        buckets.sort(key=itemgetter(0))
        ids = np.frombuffer(b"".join([array("I", singles), *(bucket for _, _, bucket in buckets)]), dtype=np.uintc)
        weights = np.array([3, *(weight for _, weight, _ in buckets)], dtype=np.intp)
        return ids, weights.repeat([len(singles), *(size for size, _, _ in buckets)])

    def stats(self) -> dict[str, int]:
        """Sizes: parties, name forms, keys and postings."""
        return {
            "parties": len(self.parties),
            "forms": len(self.forms),
            "keys": len(self.postings),
            "postings": sum(1 if isinstance(b, int) else len(b) for b in self.postings.values()),
        }
