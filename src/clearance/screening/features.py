"""The scoring algorithm: a plain list of named, weighted features. Each feature's docstring is its explanation.

Two kinds of feature:

- **name** features compare one form of the query name with one form of a list name and return a value in
  [0, 1]. The name score is the best ``weight × value`` over all name features and all pairs of forms: the strongest
  single piece of evidence wins, so correlated features do not add up to a saturated 1.0.
- **adjust** features look at the whole query and list entry (country, identifiers, schema, numbers in names, legal
  form, father and son swapped in a patronymic, an extra name beside another spelling, a family name without a
  partner) and add their ``weight × value`` (a negative weight lowers the score). The final score is clipped to
  [0, 1].

Every result carries the breakdown of all features: value, weight, contribution and this explanation.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import Literal

from rapidfuzz.distance import OSA, Levenshtein

from clearance.screening.model import Party
from clearance.screening.normalise import NameForm, name_forms, nickname_groups, organisation_symbols
from clearance.screening.phonetic import (
    abjad_kana_key,
    abjad_key,
    hangul_reading_key,
    kana_reading_key,
    onsets_agree,
    phonetic_key,
    reading_key,
    skeleton,
)
from clearance.screening.resources import DATA
from clearance.screening.transliterate import HAN, TRANSCRIBED, fold_han

ALGORITHM = "clearance-name-v1"
PARTIAL = 0.7
INITIAL = 0.7
ABBREVIATION = 0.85
ABBREVIATION_MAX_WORDS = 6
SHORT_EXP = 1.5
LONG_W = 0.25
LONG_W_SINGLE = 0.5
ORG_LONG_W = 0.3
CROSS_SCRIPT_LONG_W = 0.3
CROSS_SCRIPT_CONSONANTS = 3
CROSS_SCRIPT_CONSONANTS_ABJAD = 6
READING_MIN = 0.6
READING_MIN_HANGUL = 0.65
READING_MIN_KANA = 0.5
READING_MIN_ABJAD = 0.75
READING_MIN_SHORT = 0.8
HAN_PERSON_LONG_W = 0.7
ABJADS = frozenset({"arabic", "hebrew"})
SKELETON_MIN = 0.75
JOINED_MIN = 0.85


@dataclass(frozen=True, slots=True)
class QueryContext:
    """What an adjust feature may read about the query party."""

    schema: str
    countries: frozenset[str]
    identifiers: frozenset[str]


NameFeatureFn = Callable[[NameForm, NameForm], float]
AdjustFeatureFn = Callable[[QueryContext, Party, NameForm, NameForm], float]


@dataclass(frozen=True, slots=True)
class Feature:
    """A named, weighted feature; its explanation is the function's docstring.

    ``ceiling`` bounds the feature's value from above, cheaply, so that screening scores no list entry that cannot
    reach the cutoff: for a name feature a function of the same two forms and a floor, below which it may stop
    refining the bound (without one, the feature is its own ceiling); for an adjust feature a function of the
    query alone (without one, 1)."""

    name: str
    kind: Literal["name", "adjust"]
    weight: float
    func: Callable[..., float]
    ceiling: Callable[..., float] | None = None

    @property
    def explanation(self) -> str:
        """The first paragraph of the feature function's docstring."""
        doc = self.func.__doc__ or self.name
        return " ".join(doc.strip().split("\n\n")[0].split())


@cache
def weak_tokens() -> frozenset[str]:
    """Particles, connectors and generic organisation words (data/weak_tokens.json)."""
    data = json.loads((DATA / "weak_tokens.json").read_text(encoding="utf-8"))
    return frozenset(t for key in ("particles", "connectors", "organisation_words") for t in data[key])


PATRONYMIC_ENDINGS = ("ovich", "evich", "ovna", "evna", "ovych", "evych", "ivna", "ogly", "oglu", "kyzy", "uly")


def is_patronymic(token: str, tokens: int) -> bool:
    """A Slavic or Turkic patronymic (Vladimirovich, Ivanovna, Oleksandrovych, Aliyevich, Huseyn oglu) in a name of
    at least three words: a father's name, which lists often drop or add (in a two-word name, Lukashevich is a
    surname)."""
    return tokens >= 3 and len(token) > 5 and token.endswith(PATRONYMIC_ENDINGS)


def _token_weight(token: str, tokens: int = 1, patronymics_weak: bool = True) -> float:
    if token in weak_tokens() or (patronymics_weak and is_patronymic(token, tokens)):
        return 0.25
    if len(token) == 1:
        return 0.6
    return 1.0


@lru_cache(maxsize=65536)
def _token_weights(
    tokens: tuple[str, ...], weak: bool, patronymics_weak: bool = True
) -> tuple[tuple[float, ...], float]:
    """The weights :func:`align` gives a name's tokens (all 1 unless ``weak``; a patronymic a quarter unless
    ``patronymics_weak`` is False), and their sum."""
    weights = tuple(_token_weight(t, len(tokens), patronymics_weak) if weak else 1.0 for t in tokens)
    return weights, sum(weights)


def _edits_allowed(length: int) -> int:
    """Spelling tolerance by token length: none up to 3 letters, 1 up to 5, 2 up to 10, then 3."""
    if length <= 3:
        return 0
    if length <= 5:
        return 1
    if length <= 10:
        return 2
    return 3


GENDERED_ENDINGS = (frozenset("ao"), frozenset("ae"))


def gendered_pair(a: str, b: str) -> bool:
    """Two personal names that differ only by a feminine ending: one is the other plus a final a (Aleksandr /
    Aleksandra, Lapin / Lapina), or they end in a against o or e (Antonio / Antonia, Daniele / Daniela). They name
    a man and a woman, not one person spelt two ways."""
    if min(len(a), len(b)) < 4:
        return False
    short, long_ = sorted((a, b), key=len)
    if len(long_) == len(short) + 1:
        return long_ == short + "a"
    return len(a) == len(b) and a[:-1] == b[:-1] and frozenset((a[-1], b[-1])) in GENDERED_ENDINGS


@lru_cache(maxsize=262144)
def token_similarity(
    a: str, b: str, pa: str, pb: str, strict: bool = False, abbreviations: bool = False, person: bool = False
) -> float:
    """Similarity of two tokens: 1 if equal, minus 0.08 per allowed edit (a swap of neighbours is one edit; none
    allowed up to 3 letters, nor for pinyin syllables when ``strict``), 0.9 for the same phonetic key one edit
    further, 0.9 for a nickname (Bob/Robert), 0.7 for an initial, 0.85 for an abbreviation in an organisation name
    (Univ./University), partial credit for a near miss and for a personal name with a feminine ending (Antonio /
    Antonia: ``person``); numbers must be equal."""
    if a == b:
        return 1.0
    if a.isdigit() or b.isdigit():
        return 0.0
    if len(a) == 1 or len(b) == 1:
        return INITIAL if a[0] == b[0] else 0.0
    edits = OSA.distance(a, b)  # a swap of two neighbouring letters is one edit
    if person and edits == 1 and gendered_pair(a, b):
        return PARTIAL * (1.0 - 1 / max(len(a), len(b)))
    allowed = 0 if strict else _edits_allowed(min(len(a), len(b)))
    if edits <= allowed and (edits < 2 or a[0] == b[0]):  # two edits and another first letter: Borges ≠ Torres
        spelled = 1.0 - 0.08 * edits
    elif strict:  # pinyin syllables: a different letter is a different character
        return 0.0
    else:  # partial credit for a near miss (James/Jones), none for a different word
        ratio = 1.0 - edits / max(len(a), len(b))
        spelled = PARTIAL * ratio if ratio >= 0.5 else 0.0
    if not nickname_groups(a).isdisjoint(nickname_groups(b)):
        return max(spelled, 0.9)  # a nickname: Bob / Robert, Sam / Samuel
    if abbreviations and min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)):
        return ABBREVIATION  # an abbreviated word in an organisation name: Univ. / University, Intl / International
    near = edits <= allowed + 1 and (len(pa) >= 3 or min(len(a), len(b)) >= 6)
    sounded = 0.9 if pa == pb and a[0] == b[0] and near else 0.0
    return max(spelled, sounded)


@lru_cache(maxsize=262144)
def skeleton_similarity(a: str, b: str) -> float:
    """Similarity of two consonant skeletons (1 − edits / length); numbers must be equal."""
    if a == b:
        return 1.0
    if a.isdigit() or b.isdigit():
        return 0.0
    return float(Levenshtein.normalized_similarity(a, b))


def reading_similarity(q: NameForm, c: NameForm, i: int, j: int) -> float:
    """Two tokens sound alike across scripts: about 1 for equal skeletons, else the mean of the skeleton and
    reading-key similarities; 0 unless the skeletons are three-quarters and the readings 60% alike (50% for kana,
    which adds vowels; 65% for Hangul, whose romanisations vary most; 80% when a word has one consonant). Against
    Arabic or Hebrew, which write no short vowels, the consonants (:func:`abjad_key`) must be three-quarters alike
    and the value is their mean with the skeleton's, and a word that opens with a vowel does not sound like one that
    opens with h (:func:`onsets_agree`: احسان Ehsan is not Hussein). One organisation word in both is 1, however
    each is spoken (コーポレーション read *corporation* and CORP are both the symbol co)."""
    return _reading_similarity(
        q.script, q.tokens[i], q.sounds[i], q.skeleton[i], c.script, c.tokens[j], c.sounds[j], c.skeleton[j]
    )


@lru_cache(maxsize=65536)
def _reading_similarity(
    script_q: str,
    token_q: str,
    sound_q: str,
    skeleton_q: str,
    script_c: str,
    token_c: str,
    sound_c: str,
    skeleton_c: str,
) -> float:
    """:func:`reading_similarity` of two words by what it reads of them: each name's script, and the word, its
    sound and its skeleton (kept: a word of the query meets the same listed words in many entries)."""
    if token_q == token_c and token_q in organisation_symbols():
        return 1.0
    shape = skeleton_similarity(skeleton_q, skeleton_c)
    sounds = [sound_q, sound_c]
    if shape < SKELETON_MIN and "kana" in (script_q, script_c):
        kana_is_q = script_q == "kana"
        kana_sound, kana_skeleton = (sound_q, skeleton_q) if kana_is_q else (sound_c, skeleton_c)
        other_script, other_sound, other_skeleton = (
            (script_c, sound_c, skeleton_c) if kana_is_q else (script_q, sound_q, skeleton_q)
        )
        shape = kana_final_h(kana_sound, kana_skeleton, other_sound, other_skeleton)
        for spelt in () if shape >= SKELETON_MIN or other_script == "kana" else katakana_spellings(other_sound):
            shape = skeleton_similarity(kana_skeleton, skeleton(spelt))
            if shape >= SKELETON_MIN:
                sounds[kana_is_q] = spelt  # the other side's sound, respelt
                break
    scripts = {script_q, script_c}
    if shape < SKELETON_MIN and "kana" in scripts and scripts & ABJADS:  # フセイン (fusein, bsn) and حسين (hsyn, sn)
        shape = skeleton_similarity(abjad_kana_key(sound_q), abjad_kana_key(sound_c))
    if shape < SKELETON_MIN or (scripts & ABJADS and not onsets_agree(sounds[0], sounds[1])):
        return 0.0
    key, minimum = _reading_key(scripts)
    if "kana" not in scripts and max(len(skeleton_q), len(skeleton_c)) <= 1:
        minimum = max(minimum, READING_MIN_SHORT)  # one consonant, from unvowelled script or Hangul: آل (al) is not Ali
    a, b = key(sounds[0]), key(sounds[1])
    if scripts & ABJADS and "kana" in scripts:  # Arabic th: ث (ス) or ط and ه (ターヒル)
        th_as_s = abjad_kana_key(sound_q, True), abjad_kana_key(sound_c, True)
        return max(_consonants(a, b, shape, minimum), _consonants(*th_as_s, shape, minimum))
    if scripts & ABJADS:
        return _consonants(a, b, shape, minimum)
    return _reading(a, b, shape, minimum)


def _consonants(a: str, b: str, shape: float, minimum: float) -> float:
    """Consonant keys compared: equal skeletons are no near-certainty here (فضل fdl and Abdul share theirs)."""
    consonants = Levenshtein.normalized_similarity(a, b)
    return 0.5 * shape + 0.5 * consonants if consonants >= minimum else 0.0


def _reading_key(scripts: set[str]) -> tuple[Callable[[str], str], float]:
    """The key that compares readings of these scripts, and the least similarity of two keys that sound alike:
    consonants only (:func:`abjad_key`) with Arabic or Hebrew (:func:`abjad_kana_key` against kana), the kana key
    with kana, else the reading key."""
    if scripts & ABJADS:
        return (abjad_kana_key if "kana" in scripts else abjad_key), READING_MIN_ABJAD
    if "hangul" in scripts:  # against kana, a final u may be one katakana adds (キム kimu, 김 gim)
        return (reading_key if "kana" in scripts else hangul_reading_key), READING_MIN_HANGUL
    if scripts & SYLLABARIES:
        return kana_reading_key, READING_MIN_KANA
    return reading_key, READING_MIN


def kana_final_h(kana: str, kana_skeleton: str, latin: str, latin_skeleton: str) -> float:
    """Skeleton similarity when katakana wrote an Arabic final h or kh as フ or ク: Shah シャフ (shafu), Saleh
    サーレフ (saarefu), Shaikh シャイク (shaiku). The Latin skeleton drops a final h and reads a final kh as the f
    of Russian names (Gladkikh グラトキフ), so the フ is dropped, or the kh read as k, before comparing."""
    best = 0.0
    if kana_skeleton.endswith("b") and kana.endswith(("fu", "f")) and latin.endswith("h") and latin[-2:] != "kh":
        best = skeleton_similarity(kana_skeleton[:-1], latin_skeleton)
    if latin.endswith("kh") and latin_skeleton.endswith("b") and kana_skeleton.endswith("k"):
        best = max(best, skeleton_similarity(kana_skeleton, latin_skeleton[:-1] + "k"))
    return best


_KH = re.compile(r"kh")
_SILENT_R = re.compile(r"(?<=[aeiou])r(?![aeiouy])")


@lru_cache(maxsize=65536)
def katakana_spellings(word: str) -> tuple[str, ...]:
    """A word as katakana may have heard it, when its own skeleton does not meet the katakana's: kh as the k of
    the カ row (Khalaf カラフ, Khatiba カティーバ; :func:`skeleton` reads kh as h, like ハ), and an r after a vowel
    and before a consonant or the end left out, as English r is written with a long vowel (North ノース, Crawford
    クロフォード, Park パク); each alone, then both."""
    kh = _KH.sub("k", word)
    r = _SILENT_R.sub("", word)
    return tuple(dict.fromkeys(w for w in (kh, r, _SILENT_R.sub("", kh)) if w != word))


def _reading(a: str, b: str, shape: float, minimum: float = 0.6) -> float:
    reading = Levenshtein.normalized_similarity(a, b)
    if reading < minimum:
        return 0.0
    if shape == 1.0:  # the same consonants in the same order: near-certain across scripts
        return 0.95 + 0.05 * reading
    return 0.5 * shape + 0.5 * reading


def align(
    left: tuple[str, ...],
    right: tuple[str, ...],
    sim: Callable[[int, int], float],
    long_w: float = 0.0,
    short_exp: float = SHORT_EXP,
    weak: bool = True,
) -> tuple[float, list[tuple[int, int, float]]]:
    """Greedy one-to-one alignment of tokens by similarity; returns a coverage score and the matched pairs.

    The score weighs tokens (weak tokens a quarter, initials 0.6). Coverage of the side with fewer tokens counts most
    (an unmatched given name or surname sinks the score); extra tokens on the longer side (a dropped middle name,
    a patronymic) cost little.
    """
    matched = one_to_one(
        [(value, i, j) for i in range(len(left)) for j in range(len(right)) if (value := sim(i, j)) > 0]
    )
    return coverage(left, right, matched, long_w, short_exp, weak), matched


def one_to_one(pairs: list[tuple[float, int, int]]) -> list[tuple[int, int, float]]:
    """Scored pairs of tokens (similarity, i, j), every similarity above 0, matched one to one greedily, the most
    similar first: the pairs (i, j, similarity) :func:`align` and :func:`word_pairs` read."""
    pairs.sort(reverse=True)
    used_l: set[int] = set()
    used_r: set[int] = set()
    matched: list[tuple[int, int, float]] = []
    for value, i, j in pairs:
        if i in used_l or j in used_r:
            continue
        used_l.add(i)
        used_r.add(j)
        matched.append((i, j, value))
    return matched


def coverage(
    left: tuple[str, ...],
    right: tuple[str, ...],
    matched: Sequence[tuple[int, int, float]],
    long_w: float = 0.0,
    short_exp: float = SHORT_EXP,
    weak: bool = True,
    patronymics_weak: bool = True,
    abbreviated: Sequence[tuple[int, int, float]] = (),
) -> float:
    """The score of :func:`align` for tokens matched one to one (:func:`one_to_one`; a word paired with the words
    it is written apart as, :func:`written_apart`, counts once); ``patronymics_weak``: a
    patronymic weighs a quarter, as a word lists drop and add (False when both names carry one: a father's name
    then tells two people apart as a given name does); ``abbreviated``: words left unpaired that one word of the
    other name abbreviates (:func:`aligned_words`: the abbreviating word repeats, once for each word of its run,
    and counts once)."""
    wl, sum_l = _token_weights(left, weak, patronymics_weak)
    wr, sum_r = _token_weights(right, weak, patronymics_weak)
    by_l = {i: v for i, _, v in matched}  # a word written apart is paired twice with the other's one word
    by_r = {j: v for _, j, v in matched}
    got_l = sum([wl[i] * v for i, v in by_l.items()])
    got_r = sum([wr[j] * v for j, v in by_r.items()])
    if abbreviated:
        got_l += sum([wl[i] * v for i, v in {i: v for i, _, v in abbreviated}.items()])
        got_r += sum([wr[j] * v for j, v in {j: v for _, j, v in abbreviated}.items()])
    cov_l = got_l / sum_l if wl else 0.0
    cov_r = got_r / sum_r if wr else 0.0
    short_l = sum_l <= sum_r
    if len(by_l) < len(matched) or len(by_r) < len(matched):
        # The shorter side is the one of fewer words once words written apart count as the one word they pair with
        # (Anna Marie Delacroix is the shorter of it and Annamarie Delacroix Smith, whose Smith is an extra word).
        short_l = (sum_l - _apart_weight(wl, matched, 0), sum_l) <= (sum_r - _apart_weight(wr, matched, 1), sum_r)
    short, long_ = (cov_l, cov_r) if short_l else (cov_r, cov_l)
    # A one-word name inside a longer one (DIANA in "Ludovico Diana Iacovelli") is weak evidence.
    long_weight = LONG_W_SINGLE if min(len(left), len(right)) == 1 < max(len(left), len(right)) else LONG_W
    long_weight = max(long_weight, long_w)
    score: float = short**short_exp * ((1 - long_weight) + long_weight * long_)
    return score


def _apart_weight(weights: tuple[float, ...], matched: Sequence[tuple[int, int, float]], side: int) -> float:
    """The weight by which a side's words written apart (:func:`written_apart`: several of its words paired with one
    word of the other side) outweigh that one word: all but the heaviest word of each such run."""
    runs: dict[int, list[float]] = {}
    for i, j, _ in matched:
        mine, other = (i, j) if side == 0 else (j, i)
        runs.setdefault(other, []).append(weights[mine])
    return sum([sum(run) - max(run) for run in runs.values() if len(run) > 1])


# --- name features -------------------------------------------------------------------------------------------


CHARACTER_SCRIPTS = frozenset({"han", "kana", "hangul", "hanja", TRANSCRIBED})


def _same_characters_script(q: NameForm, c: NameForm) -> bool:
    """Both names are written in Chinese characters, kana or Hangul: their characters, not readings, decide; but
    the Korean reading of Chinese characters is compared with Hangul (朝鮮 read 조선 is 조선)."""
    return (
        q.script in CHARACTER_SCRIPTS and c.script in CHARACTER_SCRIPTS and {q.script, c.script} != {"hanja", "hangul"}
    )


HAN_SCRIPTS = frozenset({"han", "hanja", TRANSCRIBED})
#: Readings of scripts that write a foreign name in syllables, adding vowels: kana, and Chinese characters chosen for
#: their sounds (贝拉克 *beilake*, Barack; :func:`~clearance.screening.transliterate.transcribed_han`).
SYLLABARIES = frozenset({"kana", TRANSCRIBED})


@lru_cache(maxsize=65536)
def _han_characters(name: str) -> tuple[str, ...]:
    """The Chinese characters of a name, in simplified forms (:func:`fold_han`), sorted."""
    return tuple(sorted(fold_han("".join(HAN.findall(name)))))


def han_characters_share(q: NameForm, c: NameForm) -> float:
    """The share of characters two people's names written in Chinese characters have in common (1 for other
    names): their readings may coincide where the characters differ (高石 and 高市 both read *gao shi*), and a
    different character is a different name, whatever it sounds like. Simplified, traditional and Japanese forms
    of one character count as one (fold_han)."""
    if not (q.person or c.person) or q.script not in HAN_SCRIPTS or c.script not in HAN_SCRIPTS:
        return 1.0
    a, b = _han_characters(q.original), _han_characters(c.original)
    if not a or not b or a == b:
        return 1.0
    common = sum(min(a.count(ch), b.count(ch)) for ch in set(a))
    return common / max(len(a), len(b))


def name_literal(q: NameForm, c: NameForm) -> float:
    """The names are identical after normalisation (case, accents, punctuation, legal form, word order); two names
    in Chinese characters, kana or Hangul must have the same characters (高市 and 高石 read alike but differ).

    Word order is free, but not the roles of a person's names around bin or ibn: Muhammad bin Salman is not Salman
    bin Muhammad."""
    if _same_characters_script(q, c):
        return 1.0 if "".join(q.original.split()) == "".join(c.original.split()) else 0.0
    if q.tokens == c.tokens:
        return 1.0
    if sorted(q.tokens) != sorted(c.tokens):
        return 0.0
    fq, fc = (_fathers(q), _fathers(c)) if q.person and c.person else (set(), set())
    return 0.0 if fq and fc and fq != fc else 1.0  # father and son swapped: Muhammad bin Salman, Salman bin Muhammad


def strict_spelling(q: NameForm, c: NameForm) -> bool:
    """Pinyin syllables, or readings of two names in the same characters script: one letter is another character;
    in two Arabic-script names, written without vowels, one letter is a large part of a word. The Korean reading
    of a person's name in Chinese characters is syllables too (杨 李 read yang ri is not Ri Yong Mu); of an
    organisation's, whole words (guwolsan ≈ Kuwolsan). Two names in kana are spelt, not characters: katakana
    writes one foreign name several ways (ザドラーン and ジャドラーン, ムッタキ and モタキ, スギル and スキル)."""
    return (
        q.script == "han"
        or c.script == "han"
        or (_same_characters_script(q, c) and not q.script == c.script == "kana")
        or ("hanja" in (q.script, c.script) and (q.person or c.person))
        or (q.script == c.script and q.script in ("arabic", "hebrew"))
    )


def _spelling_terms(q: NameForm, c: NameForm) -> tuple[bool, bool, bool]:
    """The terms :func:`token_similarity` compares the words of ``q`` and ``c`` on: strict spelling, organisation
    names (abbreviations), people's names."""
    organisations = not (q.person or c.person)
    return strict_spelling(q, c), organisations, not organisations


@lru_cache(maxsize=4096)
def word_pairs(q: NameForm, c: NameForm) -> tuple[tuple[int, int, float], ...]:
    """The words of ``q`` and ``c`` paired one to one (:func:`one_to_one`) by :func:`token_similarity`: the pairing
    :func:`token_alignment`, :func:`extra_names` and :func:`family_name_unpaired` read (kept, so that the pair of
    forms that won is aligned once). When both are people's names that name a father after bin or ibn, a father
    pairs only with a father and an own name with an own name."""
    strict, organisations, person = _spelling_terms(q, c)
    if q.person and c.person and (fq := _father_positions(q)) and (fc := _father_positions(c)):
        exact = {i: j for i, j in _exact_words(q.tokens, c.tokens).items() if (i in fq) == (j in fc)}
        pairs = _scored_pairs(q, c, exact, strict, organisations, person)
        pairs = [(value, i, j) for value, i, j in pairs if (i in fq) == (j in fc)]  # a father with a father
        return tuple(one_to_one(pairs))
    apart = [] if strict else written_apart(q, c, organisations, person)
    # a word written apart as exactly another could take an exact word's partner: then every pair is scored
    exact = {} if any(value >= 1.0 for value, _, _ in apart) else _exact_words(q.tokens, c.tokens)
    pairs = _scored_pairs(q, c, exact, strict, organisations, person)
    if not apart:
        return tuple(one_to_one(pairs))
    return tuple(_one_to_one_apart(pairs, apart))


def _exact_words(left: tuple[str, ...], right: tuple[str, ...]) -> dict[int, int]:
    """The words written once in each name, by position in ``left``: their position in ``right``."""
    return {i: right.index(a) for i, a in enumerate(left) if a in right and left.count(a) == right.count(a) == 1}


def _scored_pairs(
    q: NameForm, c: NameForm, exact: dict[int, int], strict: bool, organisations: bool, person: bool
) -> list[tuple[float, int, int]]:
    """The pairs of words (similarity, i, j), similarity above 0 (:func:`token_similarity`), that
    :func:`one_to_one` may take. A word of ``exact`` (written once in each name) pairs with its partner alone: that
    pair is similarity 1, which no other pair sharing one of its words reaches (only equal words are 1), so it is
    taken before them and the rest of its row and column would be passed over."""
    taken = set(exact.values())
    right = [(j, b, pb) for j, (b, pb) in enumerate(zip(c.tokens, c.phonetic, strict=True)) if j not in taken]
    return [(1.0, i, j) for i, j in exact.items()] + [
        (value, i, j)
        for i, (a, pa) in enumerate(zip(q.tokens, q.phonetic, strict=True))
        if i not in exact
        for j, b, pb in right
        if (value := token_similarity(a, b, pa, pb, strict, organisations, person)) > 0
    ]


WRITTEN_APART_MIN = 0.8
MAX_WRITTEN_APART = 3


@lru_cache(maxsize=64)
def _runs(words: int) -> tuple[tuple[int, int], ...]:
    """The runs of two or three neighbouring words (start, end) of a name of ``words`` words."""
    return tuple((k, k + n) for n in range(2, MAX_WRITTEN_APART + 1) for k in range(words - n + 1))


def _apart_value(parts: tuple[str, ...], word: str, query_first: bool, organisations: bool, person: bool) -> float:
    """:func:`token_similarity` of neighbouring words ``parts`` written as one against ``word`` of the other name
    (the query's word first), when the joined word could be it (a letter longer or shorter at most, no part an
    initial; the callers pair only a word with runs that begin with its first letter, the cheapest test) and is
    alike enough (:data:`WRITTEN_APART_MIN`); else 0. Before the phonetic keys, the cheap half of
    :func:`token_similarity`'s terms: it reaches :data:`WRITTEN_APART_MIN` only within one edit of its spelling
    tolerance, for a nickname, or for an abbreviation in an organisation's name (1 in 400 joined words do)."""
    if abs(sum(map(len, parts)) - len(word)) > 1 or word in parts:
        return 0.0
    if any(len(part) < 2 for part in parts):
        return 0.0
    joined = "".join(parts)
    near = _edits_allowed(min(len(joined), len(word))) + 1
    if (
        OSA.distance(joined, word, score_cutoff=near) > near
        and nickname_groups(joined).isdisjoint(nickname_groups(word))
        and not (organisations and (joined.startswith(word) or word.startswith(joined)))
    ):
        return 0.0
    pj, pw = phonetic_key(joined), phonetic_key(word)
    value = token_similarity(
        *((joined, word, pj, pw) if query_first else (word, joined, pw, pj)), False, organisations, person
    )
    return value if value >= WRITTEN_APART_MIN else 0.0


def written_apart(
    q: NameForm, c: NameForm, organisations: bool, person: bool
) -> list[tuple[float, tuple[int, ...], tuple[int, ...]]]:
    """One word of a name written as two or three neighbouring words in the other (Patr ushev / Patrushev, Abdul
    Rahman / Abdulrahman, Hizb Allah / Hezbollah, van der Bilt / Vanderbilt): (similarity of the joined words, the
    words of ``q``, the words of ``c``)."""
    out: list[tuple[float, tuple[int, ...], tuple[int, ...]]] = []
    for apart, one, query_apart in ((q, c, True), (c, q, False)):
        for start, end in _runs(len(apart.tokens)):
            parts = apart.tokens[start:end]
            for j, word in enumerate(one.tokens):
                if word[0] == parts[0][0] and (value := _apart_value(parts, word, query_apart, organisations, person)):
                    words = tuple(range(start, end))
                    out.append((value, words, (j,)) if query_apart else (value, (j,), words))
    return out


def _one_to_one_apart(
    pairs: list[tuple[float, int, int]], apart: list[tuple[float, tuple[int, ...], tuple[int, ...]]]
) -> list[tuple[int, int, float]]:
    """:func:`one_to_one` with words written apart (:func:`written_apart`) among the pairs: the most similar first,
    each word used once; words written apart are each a pair with the other's one word."""
    items = sorted([(value, (i,), (j,)) for value, i, j in pairs] + apart, reverse=True)
    used_l: set[int] = set()
    used_r: set[int] = set()
    matched: list[tuple[int, int, float]] = []
    for value, lefts, rights in items:
        if used_l.intersection(lefts) or used_r.intersection(rights):
            continue
        used_l.update(lefts)
        used_r.update(rights)
        matched += [(i, j, value) for i in lefts for j in rights]
    return sorted(matched)


@lru_cache(maxsize=65536)
def spells(abbreviation: str, words: tuple[str, ...], skippable: frozenset[str]) -> bool:
    """``abbreviation`` is the beginnings of ``words`` written together, in order, each word giving at least its
    first letter (a word of ``skippable``, such as and or of, may give none, but not the first or the last): the
    acronyms and syllabic abbreviations of organisation names (SKB = Simbirskoe Konstruktorskoe Byuro, NDT =
    Non-Destructive Testing, ITs = Inzhiniringoviy TSentr, Gazflot = GAZprom FLOT, Norilskpromtransport =
    NORILSKii PROMyshlennyi TRANSPORT)."""

    def from_word(position: int, k: int) -> bool:
        if k == len(words):
            return position == len(abbreviation)
        word = words[k]
        if 0 < k < len(words) - 1 and word in skippable and from_word(position, k + 1):
            return True
        for n in range(1, min(len(word), len(abbreviation) - position) + 1):
            if abbreviation[position + n - 1] != word[n - 1]:
                break
            if from_word(position + n, k + 1):
                return True
        return False

    return from_word(0, 0)


def _abbreviating(word: str, skippable: frozenset[str]) -> bool:
    """A word that may abbreviate others: two letters or more, letters only, not a connector or organisation
    word."""
    return len(word) >= 2 and word.isalpha() and word not in skippable


def _runs_spelt(
    word: str, words: tuple[str, ...], free: frozenset[int], skippable: frozenset[str]
) -> Iterator[tuple[int, ...]]:
    """The runs of two to six neighbouring free positions of ``words`` that ``word`` abbreviates, by their start. A run
    whose words' first letters are not in ``word`` in their order is not tried, nor any longer one from its start."""
    for start in sorted(free):
        if words[start][0] != word[0] or words[start] in skippable:
            continue
        initial = 0  # where the last first letter was found in ``word``
        end = start + 1
        while end in free and end - start < ABBREVIATION_MAX_WORDS:
            if words[end] not in skippable:
                initial = word.find(words[end][0], initial + 1)
                if initial < 0:
                    break
                if spells(word, words[start : end + 1], skippable):
                    yield tuple(range(start, end + 1))
            end += 1


@lru_cache(maxsize=16384)
def abbreviations(
    left: tuple[str, ...], right: tuple[str, ...], free_left: frozenset[int], free_right: frozenset[int]
) -> tuple[tuple[int, int, tuple[int, ...]], ...]:
    """The words of one name (``left`` or ``right``, among the positions ``free_*``) that abbreviate a run of two
    to six neighbouring words of the other (:func:`spells`), each word in one abbreviation at most, the first
    run found taken: (side, word, run), side 0 for a word of ``left`` abbreviating words of ``right``."""
    skippable = weak_tokens()
    found: list[tuple[int, int, tuple[int, ...]]] = []
    free = [set(free_left), set(free_right)]
    for side, (mine, theirs) in enumerate(((left, right), (right, left))):
        for k in sorted(free[side]):
            if not _abbreviating(mine[k], skippable):
                continue
            run = next(_runs_spelt(mine[k], theirs, frozenset(free[1 - side]), skippable), ())
            if run:
                found.append((side, k, run))
                free[side].discard(k)
                free[1 - side].difference_update(run)
    return tuple(found)


@lru_cache(maxsize=16384)
def abbreviable(left: tuple[str, ...], right: tuple[str, ...]) -> tuple[frozenset[int], frozenset[int]]:
    """The positions of ``left`` and of ``right`` that some abbreviation could pair, whatever else is paired (every
    run each abbreviating word spells, not only the first): what :func:`abbreviations` can return is among them."""
    skippable = weak_tokens()
    found: tuple[set[int], set[int]] = (set(), set())
    for side, (mine, theirs) in enumerate(((left, right), (right, left))):
        everywhere = frozenset(range(len(theirs)))
        for k, word in enumerate(mine):
            if not _abbreviating(word, skippable):
                continue
            for run in _runs_spelt(word, theirs, everywhere, skippable):
                found[side].add(k)
                found[1 - side].update(run)
    return frozenset(found[0]), frozenset(found[1])


@lru_cache(maxsize=4096)
def aligned_words(
    q: NameForm, c: NameForm
) -> tuple[tuple[tuple[int, int, float], ...], tuple[tuple[int, int, float], ...]]:
    """The words of ``q`` and ``c`` paired as :func:`token_alignment` pairs them: one to one (:func:`word_pairs`),
    and, in organisation names, a word abbreviating a run of neighbouring words of the other
    (:func:`abbreviations`, read as spoken: OKB, not its symbol) among the words not paired as well as that, as
    pairs (i, j, ABBREVIATION), one for each word of the run (the abbreviating word repeats; the weaker pairs of
    those words are dropped). Only a name known to be an organisation's (by its schema, legal form or an
    organisation word) is abbreviated, as for :func:`acronym`; an abbreviation of two letters counts only beside
    the same paired word as its words (PO Tulamashzavod, Proizvodstvennoe Obedinenie Tulamashzavod): elsewhere
    it is too short to tell (No. 28 is not Northern Ocean)."""
    paired = word_pairs(q, c)
    if q.person or c.person or not (q.organisation or c.organisation) or strict_spelling(q, c):
        return paired, ()
    free_q = frozenset(range(len(q.tokens))) - {i for i, _, v in paired if v >= ABBREVIATION}
    free_c = frozenset(range(len(c.tokens))) - {j for _, j, v in paired if v >= ABBREVIATION}
    if not free_q or not free_c:
        return paired, ()
    good = [(i, j) for i, j, v in paired if v >= ABBREVIATION]
    beside = ({(i, j) for i, j in good}, {(j, i) for i, j in good})  # (abbreviating side, run side)
    abbreviated: list[tuple[int, int, float]] = []
    for side, k, run in abbreviations(q.sounds, c.sounds, free_q, free_c):
        short, long_ = (q, c) if side == 0 else (c, q)
        if not long_.organisation:
            continue
        if len(short.sounds[k]) < 3 and not _in_place(k, run, beside[side]):
            continue
        abbreviated += [(k, j, ABBREVIATION) if side == 0 else (j, k, ABBREVIATION) for j in run]
    if not abbreviated:
        return paired, ()
    used_q = {i for i, _, _ in abbreviated}
    used_c = {j for _, j, _ in abbreviated}
    return tuple(p for p in paired if p[0] not in used_q and p[1] not in used_c), tuple(abbreviated)


def _in_place(k: int, run: tuple[int, ...], paired: set[tuple[int, int]]) -> bool:
    """Word ``k`` of one side stands where the ``run`` of the other does: the word after it is paired with the word
    after the run, or the word before it with the word before the run (``paired``: (this side, other side))."""
    return (k + 1, run[-1] + 1) in paired or (k - 1, run[0] - 1) in paired


def token_alignment(q: NameForm, c: NameForm) -> float:
    """Word-by-word match of the names, tolerant of typos and spelling variants (Mohammed/Muhammad) and initials;
    every word of the shorter name must find a partner, extra words in the longer name cost a little (more in
    organisation names: "Banco Santander Mexico" is not "Banco Santander").

    A patronymic weighs a quarter (lists drop and add them), but a full word when both names carry one: Sergey
    Ivanovich Lavrov and Sergey Viktorovich Lavrov have different fathers. Two people's names in Chinese characters
    count only the characters they share, however alike they read (:func:`han_characters_share`). In organisation
    names a word may abbreviate several words of the other name (:func:`aligned_words`: SKB PIRANYA and
    Simbirskoe Konstruktorskoe Byuro Piranya)."""
    organisations = not (q.person or c.person)
    paired, abbreviated = aligned_words(q, c)
    covered = coverage(
        q.tokens,
        c.tokens,
        paired,
        ORG_LONG_W if organisations else HAN_PERSON_LONG_W if "han" in (q.script, c.script) else 0.0,
        weak=not strict_spelling(q, c),
        patronymics_weak=_patronymics_weak(q, c),
        abbreviated=abbreviated,
    )
    if q.script not in HAN_SCRIPTS or c.script not in HAN_SCRIPTS:
        return covered
    share = han_characters_share(q, c)
    return covered * float(share**SHORT_EXP)


def _patronymics_weak(q: NameForm, c: NameForm) -> bool:
    """Whether a patronymic weighs a quarter in :func:`token_alignment` (not when both names of three words or more
    carry one)."""
    return not (min(len(q.tokens), len(c.tokens)) >= 3 and _has_patronymic(q) and _has_patronymic(c))


def _has_patronymic(form: NameForm) -> bool:
    """Whether a name carries a patronymic (:func:`is_patronymic`)."""
    return any(is_patronymic(t, len(form.tokens)) for t in form.tokens)


def alignment_ceiling(q: NameForm, c: NameForm, floor: float = 0.0, swapped: bool = False) -> float:
    """An upper bound on :func:`token_alignment` without pairing the words one to one: the coverage of the side
    whose words weigh less (the one the score counts most) were each of its words paired with its most similar
    word on the other side, to the power the score takes; the longer side counted as fully covered. Words not yet
    looked at count as covered, so the bound holds at every step: it is returned as soon as it is below ``floor``.
    When the longer side may hold words written apart as one word of the other (:func:`written_apart`), which can
    make it the shorter one, the larger of both sides' bounds (``swapped``: the bound of the side weighing more)."""
    strict, organisations, person = _spelling_terms(q, c)
    patronymics_weak = _patronymics_weak(q, c)
    weights_q, total_q = _token_weights(q.tokens, not strict, patronymics_weak)
    weights_c, total_c = _token_weights(c.tokens, not strict, patronymics_weak)
    q_short = (total_q <= total_c) != swapped  # the side coverage takes as the shorter
    short, others, weights, total = (q, c, weights_q, total_q) if q_short else (c, q, weights_c, total_c)
    apart_others = apart = False  # words of the other side written apart as one of the shorter side's; either way
    if not strict:
        c_apart, q_apart = _may_be_apart(q, c)
        apart_others, apart = (c_apart if q_short else q_apart), c_apart or q_apart
    missed = 0.0  # the weight of the shorter side's words not covered
    bound = 1.0
    abbreviated: frozenset[int] | None = None  # the shorter side's words an abbreviation may pair
    for k, (a, pa, weight) in enumerate(zip(short.tokens, short.phonetic, weights, strict=True)):
        if a in others.tokens:
            continue
        pairs = zip(others.tokens, others.phonetic, strict=True)  # similarity asks for the query's word first
        if q_short:
            best = max([token_similarity(a, b, pa, pb, strict, organisations, person) for b, pb in pairs])
        else:
            best = max([token_similarity(b, a, pb, pa, strict, organisations, person) for b, pb in pairs])
        if best < 1.0 and apart:  # the word written apart in the other name, or with its neighbour in its own
            best = max(best, _apart_ceiling(short.tokens, k, others.tokens, q_short, organisations, person))
        if best < ABBREVIATION and organisations and not strict and (q.organisation or c.organisation):
            if abbreviated is None:
                abbreviated = abbreviable(short.sounds, others.sounds)[0]
            if k in abbreviated:
                best = ABBREVIATION
        missed += weight * (1.0 - best)
        bound = ((total - missed) / total) ** SHORT_EXP
        if bound < floor:
            break
    if not swapped and bound < 1.0 and apart_others:
        return max(bound, alignment_ceiling(q, c, floor, True))
    return bound


@lru_cache(maxsize=4096)
def _apart_lengths(tokens: tuple[str, ...]) -> tuple[dict[str, frozenset[int]], dict[str, frozenset[int]]]:
    """By first letter, the lengths a run of neighbouring words of another name may have to be one word of this
    name, and the lengths a word of another name may have to be one run of this name's (:func:`_runs`) joined: a
    letter longer or shorter at most, as :func:`_apart_value` asks. Kept: a query's name meets many list names."""
    shapes: tuple[dict[str, set[int]], dict[str, set[int]]] = ({}, {})
    for word in tokens:
        shapes[0].setdefault(word[0], set()).update((len(word) - 1, len(word), len(word) + 1))
    for s, e in _runs(len(tokens)):
        joined = sum(map(len, tokens[s:e]))
        shapes[1].setdefault(tokens[s][0], set()).update((joined - 1, joined, joined + 1))
    return {k: frozenset(v) for k, v in shapes[0].items()}, {k: frozenset(v) for k, v in shapes[1].items()}


def _may_be_apart(q: NameForm, c: NameForm) -> tuple[bool, bool]:
    """Whether neighbouring words of ``c`` may be written apart as one word of ``q``, and neighbouring words of ``q``
    as one word of ``c`` (a run is paired only with a word of its first letter and a letter longer or shorter at
    most, as :func:`_apart_value` asks): the list name's words and runs looked up in the query's shapes
    (:func:`_apart_lengths`)."""
    words, runs = _apart_lengths(q.tokens)
    tokens = c.tokens
    q_apart = any(len(word) in runs.get(word[0], ()) for word in tokens)
    for s, e in _runs(len(tokens)):
        lengths = words.get(tokens[s][0])
        if lengths and sum(map(len, tokens[s:e])) in lengths:
            return True, q_apart
    return False, q_apart


def _apart_ceiling(
    own: tuple[str, ...], k: int, others: tuple[str, ...], query_own: bool, organisations: bool, person: bool
) -> float:
    """The most a word ``own[k]`` can be credited by :func:`written_apart`: against neighbouring words of the other
    name joined, or joined with its neighbours against one word of the other."""
    a = own[k]
    values = [
        _apart_value(others[s:e], a, not query_own, organisations, person)
        for s, e in _runs(len(others))
        if others[s][0] == a[0]
    ]
    for s, e in _runs(len(own)):
        if s <= k < e:
            first = own[s][0]
            values += [_apart_value(own[s:e], w, query_own, organisations, person) for w in others if w[0] == first]
    return max(values, default=0.0)


def joined_spelling(q: NameForm, c: NameForm) -> float:
    """The names written without spaces are nearly the same (joined or split words: JanDaniel / Jan Daniel)."""
    if len(q.tokens) == len(c.tokens):
        return 0.0
    a, b = q.fingerprint, c.fingerprint
    if min(len(a), len(b)) < 6:
        return 0.0
    if "han" in (q.script, c.script) or _same_characters_script(q, c):
        return 1.0 if a == b and han_characters_share(q, c) == 1.0 else 0.0
    edits = OSA.distance(a, b, score_cutoff=3)
    return max(0.0, 1.0 - 0.07 * edits) if edits <= max(1, min(len(a), len(b)) // 8) else 0.0


def reads_across(q: NameForm, c: NameForm) -> bool:
    """The names are compared by their readings (:func:`reading_similarity`), not their spellings: exactly one is
    a lossy reading, or they are an Arabic or Hebrew reading and another script's lossy one."""
    if q.lossy != c.lossy:
        return True
    scripts = {q.script, c.script}
    return q.lossy and len(scripts) == 2 and bool(scripts & ABJADS)


def cross_script(q: NameForm, c: NameForm) -> float:
    """The names sound alike word by word across scripts: the consonant skeletons agree and the readings are close
    (vowels kept, or consonants only against Arabic or Hebrew), as when a name comes back from katakana, Arabic,
    Hebrew or Hangul spelling (ラヴロフ → ravurofu ≈ Lavrov, محمد → mhmd ≈ Muhammad). Only used when exactly one
    side is such a lossy reading, or the two are an Arabic or Hebrew reading and another lossy one (فضل رحيم and
    ファザル・ラヒム); scaled down when fewer than three consonants agree (six against Arabic or Hebrew, whose
    readings are consonants only; against kana, those of the kana reading key), since short skeletons collide by
    chance."""
    if not reads_across(q, c):
        return 0.0
    scripts = {q.script, c.script}
    abjad = bool(scripts & ABJADS)
    score, _ = _aligned_readings(q, c)
    if "kana" in (q.script, c.script) and len(q.tokens) != len(c.tokens):
        # チェ・チュンヨン (che chunyon) = CHOE CHUN YONG, ハッサン・アルワルディヤーン = Hassan AL-WARDIAN: katakana
        # writes a Korean given name, or an article and its noun, as one word; two neighbours of the longer name
        # joined count when the joined word finds its partner and the words keep their order (チャン・ソンナム is
        # not SON MUN SAN).
        longer = q if len(q.tokens) > len(c.tokens) else c
        for k, merged in enumerate(joined_neighbours(longer)):
            value, matched = _aligned_readings(merged, c) if longer is q else _aligned_readings(q, merged)
            pairs = sorted((i, j) if longer is q else (j, i) for i, j, _ in matched)  # (merged side, other side)
            others = [o for _, o in pairs]
            if any(m == k for m, _ in pairs) and others == sorted(others):
                score = max(score, value)
    if _words(q) != _words(c):  # パク・チョルナム → "chorunamu" vs "Chol Nam": compare the joined names
        a, b = "".join(q.skeleton), "".join(c.skeleton)
        joined = skeleton_similarity(a, b)
        if len(a) > CROSS_SCRIPT_CONSONANTS and joined >= JOINED_MIN:
            key, minimum = _reading_key(scripts)
            a_key = "".join(key(t) for t in q.sounds)
            b_key = "".join(key(t) for t in c.sounds)
            if not abjad:
                score = max(score, 0.9 * _reading(a_key, b_key, joined, READING_MIN))
            elif min(len(a_key), len(b_key)) >= CROSS_SCRIPT_CONSONANTS_ABJAD:
                score = max(score, 0.9 * _consonants(a_key, b_key, joined, minimum))
    return score


def _words(form: NameForm) -> int:
    """The words of a name less its initials: a name that has one more initial (SUSAN Y. GIMM) has not written two
    words as one, so its joined skeleton is not compared (수진 김 *sujin gim* is not Susan Y. Gimm)."""
    return sum(len(t) > 1 for t in form.tokens)


def cross_script_ceiling(q: NameForm, c: NameForm, floor: float = 0.0) -> float:
    """An upper bound on :func:`cross_script`: 1 when the names are compared by their readings, else 0."""
    return 1.0 if reads_across(q, c) else 0.0


def _aligned_readings(q: NameForm, c: NameForm) -> tuple[float, list[tuple[int, int, float]]]:
    """:func:`align` by :func:`reading_similarity`, scaled down when fewer than three consonants agree (six of
    the consonant keys against Arabic or Hebrew; against kana, :func:`_kana_consonants`)."""
    score, matched = align(q.tokens, c.tokens, lambda i, j: reading_similarity(q, c, i, j), CROSS_SCRIPT_LONG_W)
    if {q.script, c.script} & ABJADS:
        consonants = sum(min(len(abjad_key(q.sounds[i])), len(abjad_key(c.sounds[j]))) for i, j, _ in matched)
        return score * min(1.0, consonants / CROSS_SCRIPT_CONSONANTS_ABJAD), matched
    if "kana" in (q.script, c.script):
        consonants = sum(min(_kana_consonants(q.sounds[i]), _kana_consonants(c.sounds[j])) for i, j, _ in matched)
    else:
        consonants = sum(min(len(q.skeleton[i]), len(c.skeleton[j])) for i, j, _ in matched)
    return score * min(1.0, consonants / CROSS_SCRIPT_CONSONANTS), matched


def _kana_consonants(token: str) -> int:
    """The consonants of a word's kana reading key (:func:`kana_reading_key`): katakana adds vowels, not
    consonants, and the key keeps the h, y and w and the consonants of one class that the skeleton folds (アリ・アトワ
    ari atowa and Ali Atwa agree on r, t, w: three consonants, as the skeleton's r and t are two)."""
    return sum(1 for ch in kana_reading_key(token) if ch not in "aeiou")


MAX_JOINED_TOKENS = 6


def joined_neighbours(form: NameForm) -> list[NameForm]:
    """The form with each pair of neighbouring words written as one (for names of at most six words)."""
    if not 2 <= len(form.tokens) <= MAX_JOINED_TOKENS:
        return []
    out = []
    for k in range(len(form.tokens) - 1):
        tokens = (*form.tokens[:k], form.tokens[k] + form.tokens[k + 1], *form.tokens[k + 2 :])
        sounds = (*form.sounds[:k], form.sounds[k] + form.sounds[k + 1], *form.sounds[k + 2 :])
        out.append(
            replace(
                form,
                tokens=tokens,
                phonetic=tuple(phonetic_key(t) for t in tokens),
                skeleton=tuple(skeleton(t) for t in sounds),
                spoken=sounds if form.spoken else (),
            )
        )
    return out


def acronym(q: NameForm, c: NameForm) -> float:
    """One name is the acronym of the other (BUAA = Beijing University of Aeronautics and Astronautics), of its
    words as written or as organisation symbols (LMZ = Lipetskii Mekhanicheskii Zavod, whose Zavod is the symbol
    *factory*); an acronym may be written in words of a few letters (NII SVT = Nauchno Issledovatelskii Institut
    Sredstv Vychislitelnoi Tekhniki). Only an organisation's name (by its schema, legal form or an organisation
    word) expands to an acronym, so "Harsh Urvi Modi" is not HUM."""
    if q.person or c.person:
        return 0.0
    for short, long_ in ((q, c), (c, q)):
        if not long_.organisation or len(long_.tokens) < 3:
            continue
        letters = acronym_word(short)
        if letters is None:
            continue
        weak = weak_tokens()
        for words in {long_.tokens, long_.sounds}:
            if letters in ("".join(t[0] for t in words if t not in weak or t in ("co",)), "".join(t[0] for t in words)):
                return 1.0
    return 0.0


ACRONYM_PART = 4


def acronym_word(form: NameForm) -> str | None:
    """The letters of a name that may be an acronym: its one word of three to eight letters, or its words of two
    to four letters written together (NII SVT → *niisvt*) when there are two or three of them; else None."""
    tokens = form.tokens
    if len(tokens) > 1 and not (len(tokens) <= 3 and all(2 <= len(t) <= ACRONYM_PART and t.isalpha() for t in tokens)):
        return None
    letters = "".join(tokens)
    return letters if 3 <= len(letters) <= 8 else None


# --- adjust features -----------------------------------------------------------------------------------------


def country_match(query: QueryContext, party: Party, q: NameForm, c: NameForm) -> float:
    """The query and the list entry share a country."""
    return 1.0 if query.countries and query.countries & set(party.countries) else 0.0


def country_mismatch(query: QueryContext, party: Party, q: NameForm, c: NameForm) -> float:
    """Both have countries and none is shared."""
    return 1.0 if query.countries and party.countries and not query.countries & set(party.countries) else 0.0


def has_countries(query: QueryContext) -> float:
    """1 when the query names a country (else no country feature applies), 0 otherwise."""
    return 1.0 if query.countries else 0.0


def has_identifiers(query: QueryContext) -> float:
    """1 when the query carries an identifier, 0 otherwise."""
    return 1.0 if query.identifiers else 0.0


def identifier_match(query: QueryContext, party: Party, q: NameForm, c: NameForm) -> float:
    """An identifier (passport, registration, IMO number …) of the query equals one of the list entry."""
    if not query.identifiers:
        return 0.0
    theirs = {"".join(ch for ch in i.upper() if ch.isalnum()) for i in party.identifiers}
    return 1.0 if query.identifiers & theirs else 0.0


def schema_mismatch(query: QueryContext, party: Party, q: NameForm, c: NameForm) -> float:
    """A person was compared with an organisation, a vessel or an aircraft, or the other way round."""
    if query.schema in ("LegalEntity", "Thing", "") or party.schema == "LegalEntity":
        return 0.0
    return 1.0 if (query.schema == "Person") != (party.schema == "Person") else 0.0


def number_mismatch(query: QueryContext, party: Party, q: NameForm, c: NameForm) -> float:
    """Both names contain numbers and the numbers differ (140 Repair Plant vs 558 Repair Plant)."""
    a = {t for t in q.tokens if t.isdigit()}
    if not a:
        return 0.0
    b = {t for t in c.tokens if t.isdigit()}
    return 1.0 if b and a != b else 0.0


PATRONYMIC_PARTICLES = frozenset({"bin", "ibn", "bint", "ben", "ould"})


def _father_positions(form: NameForm) -> frozenset[int]:
    """The positions of the words that follow a patronymic particle (bin, ibn, bint, ben, ould): the father's and
    forefathers' names."""
    tokens = form.tokens
    if PATRONYMIC_PARTICLES.isdisjoint(tokens):
        return frozenset()
    return frozenset(i + 1 for i in range(len(tokens) - 1) if tokens[i] in PATRONYMIC_PARTICLES)


def _fathers(form: NameForm) -> set[str]:
    """The words that follow a patronymic particle: the father's and forefathers' names."""
    return {form.tokens[i] for i in _father_positions(form)}


def patronymic_swap(query: QueryContext, party: Party, q: NameForm, c: NameForm) -> float:
    """The names hold the same words but father and son are swapped: one name's own given name is the other's
    father, named after bin or ibn (Muhammad bin Salman vs Salman bin Muhammad)."""
    fq = _fathers(q)
    if not fq:
        return 0.0
    fc = _fathers(c)
    if not fc or fq == fc or q.tokens[0] == c.tokens[0]:
        return 0.0
    return 1.0 if q.tokens[0] in fc or c.tokens[0] in fq else 0.0


def _patronymics(form: NameForm) -> set[str]:
    tokens = len(form.tokens)
    return {t for t in form.tokens if is_patronymic(t, tokens)} if tokens >= 3 else set()  # none in fewer words


def patronymic_mismatch(query: QueryContext, party: Party, q: NameForm, c: NameForm) -> float:
    """Both names carry a patronymic and no two are alike: another father, so another person (Sergey Ivanovich
    Lavrov vs Sergey Viktorovich Lavrov); a patronymic on one side only costs little."""
    mine = _patronymics(q)
    if not mine:
        return 0.0
    theirs = _patronymics(c)
    if not theirs:
        return 0.0
    across = reads_across(q, c)  # アンドレイェヴィッチ (andorevich) is Andreyevich: compared by their skeletons
    alike = any(
        OSA.distance(a, b) <= 2 or (across and skeleton_similarity(skeleton(a), skeleton(b)) >= SKELETON_MIN)
        for a in mine
        for b in theirs
    )
    return 0.0 if alike else 1.0


EXACT_WORD = 0.95


def _same_word(q: NameForm, c: NameForm, i: int, j: int, value: float) -> bool:
    """Two paired words are one name: spelt alike, a letter apart and sounding alike (Mohamed / Mohammed), or a
    nickname (Bob / Robert)."""
    if value >= EXACT_WORD or not nickname_groups(q.tokens[i]).isdisjoint(nickname_groups(c.tokens[j])):
        return True
    return q.phonetic[i] == c.phonetic[j] and OSA.distance(q.tokens[i], c.tokens[j]) <= 1


def extra_names(query: QueryContext, party: Party, q: NameForm, c: NameForm) -> float:
    """People's names compared by spelling where the longer holds a name the shorter lacks and a pair of words is
    not one word (Elizabeth Bryan Williams vs Byron Williams, Oscar Andreas Öhman vs Oscar Osman): two doubts at
    once, each common on its own among one person's names (a dropped middle name; another spelling).

    Not across scripts, where no reading is spelt alike; a letter apart and sounding alike (Mohamed Ali Hassan vs
    Mohammed Hassan) is one word, and a word the shorter name also holds (ABDUL AZIZ Aziz) no extra name."""
    if not (q.person or c.person) or len(q.tokens) == len(c.tokens) or reads_across(q, c):
        return 0.0
    matched = word_pairs(q, c)
    paired = [(i, j, v) for i, j, v in matched if v >= 0.5]
    if not paired or all(_same_word(q, c, i, j, v) for i, j, v in paired):
        return 0.0
    longer, side = (q, 0) if len(q.tokens) > len(c.tokens) else (c, 1)
    used = {pair[side] for pair in paired}
    shorter = c if longer is q else q
    unpaired = [t for k, t in enumerate(longer.tokens) if k not in used and t not in shorter.tokens]
    return 1.0 if any(_token_weight(t, len(longer.tokens)) == 1.0 for t in unpaired) else 0.0


def _family_name(form: NameForm) -> set[int]:
    """The positions of a person's family name: the words before a comma (lists write SURNAME, Given), else the
    last word; none in a name of one word."""
    if len(form.tokens) < 2:
        return set()
    words = _words_before_comma(form.original) if "," in form.original else frozenset()
    found = {k for k, t in enumerate(form.tokens) if t in words}
    return found or {len(form.tokens) - 1}


@lru_cache(maxsize=65536)
def _words_before_comma(name: str) -> frozenset[str]:
    """The normalised words of a name before its first comma (kept: a list name is compared with many queries)."""
    head = name_forms(name.split(",")[0], True)
    return frozenset(head[0].tokens) if head else frozenset()


def family_name_unpaired(query: QueryContext, party: Party, q: NameForm, c: NameForm) -> float:
    """People's names compared by spelling where every word of the shorter name found a partner but one name's
    family name (the words before a comma, else the last word) found none: Ron Simon Eriksen vs Ronald Simon
    shares given names, not the family. Not for a name of one word (a given name or a family name?), across
    scripts, nor for a family name that is a particle or an initial."""
    if not (q.person or c.person) or not q.script == c.script == "latin" or reads_across(q, c):
        return 0.0
    if min(len(q.tokens), len(c.tokens)) < 2:  # one word: no telling a given name from a family name
        return 0.0
    matched = word_pairs(q, c)
    paired = [(i, j) for i, j, v in matched if v >= 0.5]
    if min(len({i for i, _ in paired}), len({j for _, j in paired})) < min(len(q.tokens), len(c.tokens)):
        return 0.0
    for form, used in ((q, {i for i, _ in paired}), (c, {j for _, j in paired})):
        family = _family_name(form)
        strong = [k for k in family if _token_weight(form.tokens[k], len(form.tokens)) == 1.0]
        if strong and not family & used:
            return 1.0
    return 0.0


def legal_form_mismatch(query: QueryContext, party: Party, q: NameForm, c: NameForm) -> float:
    """Both names carry a legal form and the forms are of different kinds (LLC vs JSC)."""
    return 1.0 if q.legal_form and c.legal_form and q.legal_form != c.legal_form else 0.0


FEATURES: tuple[Feature, ...] = (
    Feature("name_literal", "name", 1.0, name_literal),
    Feature("token_alignment", "name", 1.0, token_alignment, alignment_ceiling),
    Feature("joined_spelling", "name", 0.9, joined_spelling),
    Feature("cross_script", "name", 1.0, cross_script, cross_script_ceiling),
    Feature("acronym", "name", 0.9, acronym),
    Feature("country_match", "adjust", 0.03, country_match, has_countries),
    Feature("country_mismatch", "adjust", -0.1, country_mismatch),
    Feature("identifier_match", "adjust", 0.15, identifier_match, has_identifiers),
    Feature("schema_mismatch", "adjust", -0.15, schema_mismatch),
    Feature("number_mismatch", "adjust", -0.3, number_mismatch),
    Feature("legal_form_mismatch", "adjust", -0.05, legal_form_mismatch),
    Feature("patronymic_swap", "adjust", -0.3, patronymic_swap),
    Feature("patronymic_mismatch", "adjust", -0.3, patronymic_mismatch),
    Feature("extra_names", "adjust", -0.1, extra_names),
    Feature("family_name_unpaired", "adjust", -0.05, family_name_unpaired),
)
NAME_FEATURES = tuple(f for f in FEATURES if f.kind == "name")
ADJUST_FEATURES = tuple(f for f in FEATURES if f.kind == "adjust")
