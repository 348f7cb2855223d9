"""Evidence features: word-by-word statistics of the best pair of name forms, for the learned model only.

The hand-weighted algorithm (:mod:`clearance.screening.features`) sums its evidence into a few values; the learned
model (:mod:`clearance.screening.learned`) also sees how that evidence was made up: how much of each name found a
partner, how good the weakest pair was, whether the words kept their order, the initials and the numbers. Each is a
named function of the two forms whose docstring is its explanation, as for the features, so a learned score still
decomposes into named contributions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from clearance.screening.features import (
    align,
    aligned_words,
    is_patronymic,
    reading_similarity,
    reads_across,
    weak_tokens,
)
from clearance.screening.normalise import NameForm, organisation_symbols

PAIRED = 0.5
UNMATCHED_CAP = 3
#: Two words that begin with as many letters alike may be one word inflected or derived (Fishing / Fishery).
SAME_STEM = 4

Pairs = list[tuple[int, int, float]]


def pairs(q: NameForm, c: NameForm) -> Pairs:
    """The words paired, as the name features pair them: by reading across scripts
    (:func:`~clearance.screening.features.reads_across`), by spelling otherwise (one to one, and the words of an
    organisation name that a word of the other abbreviates: :func:`~clearance.screening.features.aligned_words`,
    where the abbreviating word repeats); only pairs at least half alike."""
    if reads_across(q, c):
        _, matched = align(q.tokens, c.tokens, partial(reading_similarity, q, c))
        return [(i, j, v) for i, j, v in matched if v >= PAIRED]
    paired, abbreviated = aligned_words(q, c)
    return [(i, j, v) for i, j, v in paired + abbreviated if v >= PAIRED]


def _strong(form: NameForm, index: int) -> bool:
    token = form.tokens[index]
    return token not in weak_tokens() and not is_patronymic(token, len(form.tokens)) and len(token) > 1


def shorter_paired(q: NameForm, c: NameForm, matched: Pairs) -> float:
    """The share of the shorter name's words that found a partner (every word counts the same; two words written
    apart that pair with one word of the other name are two)."""
    short, side = (len(q.tokens), 0) if len(q.tokens) <= len(c.tokens) else (len(c.tokens), 1)
    return len({pair[side] for pair in matched}) / short if short else 0.0


def longer_unpaired(q: NameForm, c: NameForm, matched: Pairs) -> float:
    """Strong words of the longer name without a partner (not particles, patronymics, organisation words or
    initials), up to three, as a share of three: a dropped middle name is one, a different family two."""
    longer, side = (q, 0) if len(q.tokens) > len(c.tokens) else (c, 1)
    used = {pair[side] for pair in matched}
    extra = sum(1 for k in range(len(longer.tokens)) if k not in used and _strong(longer, k))
    return min(extra, UNMATCHED_CAP) / UNMATCHED_CAP


def weakest_pair(q: NameForm, c: NameForm, matched: Pairs) -> float:
    """The similarity of the least alike pair of words (1 when every pair is exact, 0 when none paired): one
    doubtful word is where two names of different people usually differ."""
    return min((v for _, _, v in matched), default=0.0)


def order_kept(q: NameForm, c: NameForm, matched: Pairs) -> float:
    """The paired words come in the same order in both names (1), or not (0): "Andrea Mills" pairs with
    "Miles Andrew" only crosswise."""
    if len(matched) < 2:
        return 1.0
    others = [j for _, j, _ in sorted(matched)]
    return 1.0 if others == sorted(others) else 0.0


def same_initials(q: NameForm, c: NameForm, matched: Pairs) -> float:
    """The names have the same initials, in any order (Jean-Claude Juncker / J. C. Juncker); names of two words
    or more: a name of one word has one initial, which any name beginning with its letter shares (БАЙ and
    БАЙКАЛ)."""
    if min(len(q.sounds), len(c.sounds)) < 2:
        return 0.0
    return 1.0 if sorted(t[0] for t in q.sounds) == sorted(t[0] for t in c.sounds) else 0.0


def numbers_agree(q: NameForm, c: NameForm, matched: Pairs) -> float:
    """Both names hold numbers and they are the same numbers (Fund VII vs Fund VII), as against the
    ``number_mismatch`` feature's different ones."""
    a = {t for t in q.tokens if t.isdigit()}
    b = {t for t in c.tokens if t.isdigit()}
    return 1.0 if a and a == b else 0.0


def people(q: NameForm, c: NameForm, matched: Pairs) -> float:
    """The names were compared as people's names (given names, nicknames, patronymics), not organisations'."""
    return 1.0 if q.person or c.person else 0.0


def distinctive_substituted(q: NameForm, c: NameForm, matched: Pairs) -> float:
    """Organisations' names that differ in one distinctive word (1), else 0: every other word pairs, and the one word
    left on each side is no organisation word, particle, number or initial (Bank of Armenia / Bank of America,
    Government of Estonia / of Ethiopia, LXC Aviation / LAU Aviation): another proper name, so another
    organisation. Only names spelt in one script (a word read across scripts may be a translation or a loss of the
    reading), and not when the two words begin with the same four letters (one word inflected or derived: Fishing /
    Fishery, Dubna / Dubnensky)."""
    if q.person or c.person or not (q.organisation or c.organisation) or not matched:
        return 0.0
    if q.script != c.script or q.lossy:
        return 0.0
    used_q, used_c = {i for i, _, _ in matched}, {j for _, j, _ in matched}
    left_q = [t for k, t in enumerate(q.tokens) if k not in used_q]
    left_c = [t for k, t in enumerate(c.tokens) if k not in used_c]
    if len(left_q) != 1 or len(left_c) != 1:
        return 0.0
    a, b = left_q[0], left_c[0]
    return 1.0 if _distinctive(a) and _distinctive(b) and a[:SAME_STEM] != b[:SAME_STEM] else 0.0


def _distinctive(token: str) -> bool:
    """A word that names one organisation: not an organisation word or symbol, a particle, a number or an initial."""
    return len(token) > 1 and not token.isdigit() and token not in weak_tokens() and token not in organisation_symbols()


@dataclass(frozen=True, slots=True)
class Evidence:
    """A named evidence feature; its explanation is the function's docstring."""

    name: str
    func: Callable[[NameForm, NameForm, Pairs], float]
    #: The side its evidence is on: +1 for a match, -1 against, 0 either (the learned weight keeps this sign).
    sign: float

    @property
    def explanation(self) -> str:
        """The first paragraph of the function's docstring."""
        doc = self.func.__doc__ or self.name
        return " ".join(doc.strip().split("\n\n")[0].split())


EVIDENCE: tuple[Evidence, ...] = (
    Evidence("shorter_paired", shorter_paired, 1.0),
    Evidence("longer_unpaired", longer_unpaired, -1.0),
    Evidence("weakest_pair", weakest_pair, 1.0),
    Evidence("order_kept", order_kept, 1.0),
    Evidence("same_initials", same_initials, 1.0),
    Evidence("numbers_agree", numbers_agree, 1.0),
    Evidence("people", people, 0.0),
    Evidence("distinctive_substituted", distinctive_substituted, -1.0),
)


def evidence(q: NameForm, c: NameForm) -> list[float]:
    """The evidence features' values for one pair of forms, in :data:`EVIDENCE` order."""
    matched = pairs(q, c)
    return [e.func(q, c, matched) for e in EVIDENCE]
