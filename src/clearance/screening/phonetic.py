"""Phonetic keys of name tokens: a fine key for spelling variants and a coarse skeleton for cross-script readings.

Both keys work on the ASCII tokens that :mod:`clearance.screening.normalise` produces.

- :func:`phonetic_key` folds spelling variants of one sound (ph/f, ck/k, c/k/s, y/i, doubled letters) and drops
  vowels after the first letter: *Mohammed*, *Muhammad* and *Mohamed* all give ``md``.
- :func:`skeleton` is coarser: consonant classes (labials, dentals, sibilants and affricates, velars, liquids,
  nasals), no vowels at all. It is built for readings that lost information on the way through another script:
  katakana (ラヴロフ → *ravurofu* vs *Lavrov*: r/l and v/b merge, epenthetic vowels vanish), Arabic and Hebrew
  (no written vowels), Hangul romanisations (g/k, j/ch). Both sides of a comparison go through the same key.
- :func:`abjad_key` keeps the consonants only, finely: for a reading from Arabic or Hebrew, which write no short
  vowels (محمد → *mhmd*, the key of *Muhammad* too); :func:`onsets_agree` keeps apart the words it folds together
  that open one with a vowel and the other with h (احسان Ehsan, حسين Hussein: both ``hsn``).
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache

_FINE_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), r)
    for p, r in [
        (r"[^a-z0-9]", ""),
        (r"tch|tsch|ch", "C"),
        (r"ph", "f"),
        (r"ck", "k"),
        (r"q", "k"),
        (r"x", "ks"),
        (r"c(?=[eiy])", "s"),
        (r"c", "k"),
        (r"dh", "d"),
        (r"th", "t"),
        (r"kh", "h"),
        (r"gh", "g"),
        (r"sch|sh", "s"),
        (r"w", "v"),
        (r"z", "s"),
        (r"y", "i"),
        (r"(?<=[^sC])h", ""),
        (r"(.)\1+", r"\1"),
    ]
]

_SKELETON_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), r)
    for p, r in [
        (r"[^a-z0-9]", ""),
        (r"(?<=[aeiouy])kh$", "f"),  # a final х or خ is フ (fu) in katakana: Gladkikh グラトキフ guratokifu
        (r"^kh(?=[lr])", "f"),  # х before r or l is フ in katakana: Khromov フロモフ (furomofu)
        (r"kh", "h"),
        # Korean hw is ファ/フィ (fa/fi) in katakana: Hwang ファン, after a syllable's final ng too: Ponghwa ポンファ
        (r"(?:(?<=ng)|(?<![cgkpst]))hw", "f"),
        (r"ija", "iya"),
        (r"(?<=[aeiou])j(?=[^aeiouy])", "y"),
        (r"c$", "ch"),
        (r"(?<=[bcdfgklmnprstvz])j", "y"),
        # Japanese syllables that replace foreign ones: ti→chi, di→ji, si→shi, hu→fu; tsu is read as tu.
        (r"t(?=[iy])", "ch"),
        (r"d(?=[iy])", "j"),
        (r"s(?=[iy])", "sh"),
        (r"tsu", "tu"),
        # A syllable's final ng is ン (n), before y too (Pyongyang ピョンヤン); not before w: Singwang, Kwangwang
        (r"ng(?![aeiouw])", "n"),  # (sin-gwang), as シングァン (shingan)
        (r"(?<![bcdfgjklmnpqrstvwxz])hu", "fu"),
        (r"(?<=[aeiou])fu(?=[^aeiou])", "h"),
        (r"[dt]+(?=j|ch)", ""),
        (r"cch", "ch"),  # ッチ in cutlet's Hepburn (アッチム acchimu, Achim)
        (r"ph", "f"),
        (r"th", "s"),
        (r"ck", "k"),
        (r"c(?=[eiy])", "s"),
        (r"x", "ks"),
        (r"tsh|shch|sch|tch|sh|ch|tz|ts|dzh|zh|[szj]", "S"),
        (r"kh|gh|q|c|g|k", "K"),
        (r"^w", "B"),  # ワレリー warerii = Valery; inside a word w is a vowel glide (ダーウード daauudo = Dawood)
        (r"w", ""),
        (r"[bpfv]", "B"),
        (r"[dt]", "T"),
        (r"[lr]", "R"),
        (r"[mn]", "N"),
        (r"[aeiouyh]", ""),
        (r"(.)\1+", r"\1"),
    ]
]


@lru_cache(maxsize=262144)
def phonetic_key(token: str) -> str:
    """A fine phonetic key: spelling variants of one sound fold together; vowels after the first letter drop.
    Interned (one string for every name form that has it, as the index keeps them)."""
    return sys.intern(_phonetic_key(token))


def _phonetic_key(token: str) -> str:
    if token.isdigit():
        return token
    key = token
    for pattern, repl in _FINE_RULES:
        key = pattern.sub(repl, key)
    if not key:
        return token
    head, tail = key[0], re.sub(r"[aeiou]", "", key[1:])
    head = "a" if head in "aeiou" else head
    return re.sub(r"(.)\1+", r"\1", head + tail).lower()


@lru_cache(maxsize=262144)
def skeleton(token: str) -> str:
    """A coarse consonant-class key that survives a round trip through katakana, Arabic or Hangul spelling.
    Interned, as :func:`phonetic_key`."""
    if token.isdigit():
        return sys.intern(token)
    key = token
    for pattern, repl in _SKELETON_RULES:
        key = pattern.sub(repl, key)
    return sys.intern(key.lower())


_READING_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), r)
    for p, r in [
        (r"[^a-z0-9]", ""),
        (r"zh", "j"),
        (r"ng(?![aeiouy])", "n"),
        (r"l", "r"),
        (r"[vw]", "b"),
        (r"(?<=[bcdfgjkmnpqrstvxz])h", ""),
        (r"ou", "o"),
        (r"ei", "e"),
        (r"(.)\1+", r"\1"),
    ]
]
_FINAL_EPENTHETIC = re.compile(r"(?<=[^aeiou])[uo]$")
_EPENTHETIC = re.compile(r"(?<=[bcdfgjkmnpqrstvxz])[ou](?=[bcdfgjkmnpqrstvxz])")
# What katakana does to foreign sounds, undone on both sides before the reading key: Cyrillic х and Arabic خ (kh)
# become the h row (オブホフ obuhofu = Obukhov), and v and ph become the f of フ (ロフ rofu = -rov), so f joins b/v.
_KANA_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), r) for p, r in [(r"kh", "h"), (r"ph", "f"), (r"f", "b")]
]


@lru_cache(maxsize=262144)
def reading_key(token: str) -> str:
    """A light key that keeps vowels: r/l and v/b/w merge, doubled letters and long vowels shrink, and a final
    epenthetic u or o goes (ハッカーニ → hakkaani → hakani ≈ haqqani → haqani). Used beside :func:`skeleton`."""
    return _FINAL_EPENTHETIC.sub("", hangul_reading_key(token))


@lru_cache(maxsize=262144)
def hangul_reading_key(token: str) -> str:
    """:func:`reading_key` that keeps a final u or o: Hangul writes every vowel, and 우 or 오 at the end of a word is
    a syllable of its own, not a vowel katakana adds (진우 *jinu* is not Jong, *jon*)."""
    key = token
    for pattern, repl in _READING_RULES:
        key = pattern.sub(repl, key)
    return key or token


@lru_cache(maxsize=262144)
def kana_reading_key(token: str) -> str:
    """:func:`reading_key` less an o or u between consonants, as katakana inserts (ジトコ jitoko → jitk ≈ zhidko →
    jidk), with kh read as h and f as b/v (オブホフ obuhofu ≈ Obukhov); for comparisons with a kana reading only."""
    key = token
    for pattern, repl in _KANA_RULES:
        key = pattern.sub(repl, key)
    return _EPENTHETIC.sub("", reading_key(key)) or token


_ABJAD_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), r)
    for p, r in [
        (r"[^a-z0-9]", ""),
        (r"(?<=[^sckgtd])h$", ""),  # a Latin final h (Fatimah); not that of sh, ch, kh, gh, th, dh (ش, خ, غ, ث, ذ)
        (r"ou|oo", "u"),
        (r"ee", "i"),
        (r"dj|dzh|zh", "j"),
        (r"sh|ch", "S"),
        (r"kh", "x"),
        (r"gh", "g"),
        (r"th", "t"),
        (r"dh", "d"),
        (r"ph", "f"),
        (r"c(?=[eiy])", "s"),
        (r"[qckg]", "k"),
        (r"[pb]", "b"),
        (r"v", "f"),
        (r"l", "r"),
        (r"(?<=.)[wy]", ""),
        (r"[aeiou]", ""),
        (r"(.)\1+", r"\1"),
    ]
]


@lru_cache(maxsize=262144)
def abjad_key(token: str) -> str:
    """The consonants of a token, for comparing a reading from Arabic or Hebrew (no short vowels written, و and ي
    are long vowels or glides, a final ة reads a) with a vowelled spelling: vowels, w and y after the first letter
    and a final h (Fatimah; not the h of a final sh, kh, th: درويش Darwish is ``drS``, ستایش not *societies*) go,
    spelling variants of one consonant fold (q/k/c/g, sh/ch, dj/j, ou/u, r/l as katakana merges
    them): محمد *mhmd* and *Muhammad* → ``mhmd``, حسين *hsyn* and *Hussein* → ``hsn``, لاغوب *lghwb* and
    *Laagoub* → ``rkb``. Arabic writes ش (sh) and س (s) apart, so sh and ch stay ``S``: شامل *shml* (Shamil,
    ``Smr``) is not Samir (``smr``)."""
    key = token
    for pattern, repl in _ABJAD_RULES:
        key = pattern.sub(repl, key)
    return key or token


def onsets_agree(a: str, b: str) -> bool:
    """Two words, one a reading from Arabic or Hebrew, do not open one with a vowel and the other with h: the
    consonant keys drop vowels, so احسان (Ehsan, *ahsn*) and حسين (Hussein, *hsyn*) both give ``hsn``, but a word
    that opens with an alif or ع is read with a vowel (:mod:`clearance.screening.transliterate`), and ح and ه are
    written h in every romanisation."""
    return {a[:1] in "aeiou", b[:1] in "aeiou"} != {True, False} or "h" not in (a[:1], b[:1])


def abjad_kana_key(token: str, th_as_s: bool = False) -> str:
    """:func:`abjad_key` for comparing Arabic with katakana, which has no ḥ and writes a doubled m with ン: ح and ه
    are often written with フ (أحمد *hmd* and アフメド *afumedo* → ``hmd``), محمد and ムハンマド *muhanmado* →
    ``mhmd``. ``th_as_s``: an Arabic th read as katakana writes ث, with ス (عثمان *thmn* and オスマン → ``smn``);
    anyascii writes ط followed by ه (طاهر *thr*, ターヒル) alike, so both readings are tried. Katakana writes the s
    of si as シ (shi): sh and s are one consonant here (ياسين *ysyn*, ヤシン *yashin*)."""
    if th_as_s:
        token = token.replace("th", "s")
    return abjad_key(token).replace("f", "h").replace("nm", "m").replace("S", "s")
