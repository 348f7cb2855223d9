"""Latin readings of names written in other scripts, with permissively licensed libraries only.

A name in another script can have several plausible Latin readings (北京 is *Beijing* in Mandarin and *Pekin* in
Japanese; 김 is *Kim* or *Gim*), so :func:`latin_variants` returns a small tuple of them, best first:

- Kana and Japanese text: cutlet (MIT) with unidic-lite through fugashi, Hepburn with and without cutlet's
  foreign-spelling table (ウラジーミル → *Vladimir* as well as *Urajiimiru*).
- Han ideographs without kana: Mandarin pinyin (pypinyin, MIT) first, then the Japanese reading (only when every
  character is one Japanese uses); beside them (:func:`korean_readings`) the Korean reading from Unicode's Unihan
  data (朝鮮 → 조선 → *joseon*), for names in Hanja.
- Organisation words in Chinese characters, Hangul or a Japanese name translated (:func:`translated_readings`,
  data/cjk_org_words.yml and rigour's symbols), ordinals read as numbers: 朝鮮九月山貿易会社 → *korea guwolsan
  trading company*, 北京理工大学 → *beijing institute of technology*, 合同会社モーレ造船所 → *moore shipyard*,
  第二研究院 → *2 research institute*.
- Hangul: the Revised Romanization of Korean, written here (no permissive library implements it with the sound
  changes between syllables), plus the customary spellings of Korean surnames (김 → Kim) from curated data.
- Arabic: anyascii (ISC) after separating the article ال (al-), a word's first alif or ع and a final ة read as
  *a* (احسان *ahsn*, Ehsan; anyascii alone reads *hsn*, as it reads حسين, Hussein).
- Khmer: anyascii, with ប and the sign ៉ read p (:func:`_khmer`); its consonants' inherent vowels are not written,
  so the reading is lossy (ពត *pt*, Pot).
- Cyrillic, Greek, Hebrew and everything else: anyascii.
- A foreign or minority name written in Chinese characters for its sounds, its parts separated by the interpunct
  (贝拉克·奥巴马, Barack Obama: :func:`transcribed_han`): its pinyin only, compared by sound as katakana is.
- A Chinese name in Latin letters written in Wade–Giles: also its pinyin (:func:`wade_giles_reading`, pypinyin's
  Wade–Giles table inverted: Mao Tse-tung → *mao zedong*).

Every reading keeps the Latin letters and digits of a mixed name as words of their own (KBM 株式会社NPK → *kbm
jusikhoesa npk*, 東芝TEC → *dongzhi tec*, 삼성Samsung → *samseong samsung*): a reading of the other script alone
would make two names that share only those characters (here a legal form) one name.

Measured limits are in docs/screening.md: vowels that Arabic and Hebrew do not write stay missing (the phonetic
features compare consonants).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Sequence
from functools import cache, lru_cache
from typing import Any

from anyascii import anyascii

from clearance.screening.resources import (
    cjk_words,
    han_simplified,
    hangul_surnames,
    hanja_readings,
    katakana_letters,
)

KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
HAN_WORDS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
"""A run of Chinese characters, or of other characters."""
HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
HEBREW = re.compile(r"[\u0590-\u05ff\ufb1d-\ufb4f]")
KHMER = re.compile(r"[\u1780-\u17ff\u19e0-\u19ff]")
NON_ASCII_LETTER = re.compile(r"[^\x00-\x7f]")
INTERPUNCT = re.compile(r"[\u00b7\u2022\u2027\u30fb\uff65]")
"""The interpunct between the parts of a foreign name in Chinese or Japanese (·, ‧, •, ・)."""
TRANSCRIBED = "han_sounds"
"""The script of the pinyin of a name in Chinese characters written for its sounds (:func:`transcribed_han`)."""


def script_of(text: str) -> str:
    """The dominant non-Latin script family of ``text``: kana, han, hangul, arabic, hebrew, khmer, other or latin."""
    if text.isascii():  # every ASCII letter is a Latin one, and none of the scripts below is ASCII
        return "latin"
    if KANA.search(text):
        return "kana"
    if HANGUL.search(text):
        return "hangul"
    if HAN.search(text):
        return "han"
    if ARABIC.search(text):
        return "arabic"
    if HEBREW.search(text):
        return "hebrew"
    if KHMER.search(text):
        return "khmer"
    for ch in text:
        if ch.isalpha() and not unicodedata.name(ch, "").startswith("LATIN"):
            return "other"
    return "latin"


def transcribed_han(text: str) -> bool:
    """A name in Chinese characters that writes a foreign or minority name's sounds: parts of characters only,
    separated by the interpunct, as Chinese writes such names (间隔号, GB/T 15834-2011 4.15: 贝拉克·奥巴马, Barack
    Obama; 阿卜杜勒·拉希德). Its characters are chosen for their sounds, so its pinyin is a lossy reading of the
    name (贝拉克 *beilake*, Barack), to compare by sound as katakana is, and neither words to translate nor a
    Korean or Japanese name."""
    parts = INTERPUNCT.split(text)
    return len(parts) > 1 and all(HAN_WORDS.fullmatch(part.strip()) for part in parts)


@lru_cache(maxsize=65536)
def latin_variants(text: str) -> tuple[str, ...]:
    """Plausible Latin readings of ``text``, best first; Latin text comes back as itself."""
    script = script_of(text)
    if script == "latin":
        return (text,)
    if script == "kana":
        readings = list(_japanese(text))
    elif script == "han":
        readings = [*_pinyin(text), *(_japanese(text) if _japanese_charset(text) else [])]
    elif script == "hangul":
        readings = _hangul_variants(text)
    elif script == "arabic":
        readings = [anyascii(_arabic_vowels(_split_arabic_article(text)))]
    elif script == "khmer":
        readings = [anyascii(_khmer(text))]
    else:
        readings = [anyascii(text)]
    unique: list[str] = []
    for reading in readings:
        reading = " ".join(reading.split())
        if reading and reading not in unique:
            unique.append(reading)
    return tuple(unique) or (anyascii(text),)


#: Khmer's p: the letter ba (ប) with the sign muusikatoan (៉, U+17C9), which the romanisations (UNGEGN, ALA-LC)
#: write p; anyascii, which drops the sign, reads b (ប៉ុល ពត *bol pt*, Pol Pot).
KHMER_P = re.compile("\u1794\u17c9")


def _khmer(text: str) -> str:
    """Khmer text with ប៉ written p, for anyascii to read the rest."""
    return KHMER_P.sub("p", text)


@cache
def _cutlet(foreign: bool) -> Any:
    import cutlet

    katsu = cutlet.Cutlet()
    katsu.use_foreign_spelling = foreign
    return katsu


KATAKANA_WORD = re.compile(r"^[\u30a0-\u30ffー]+$")
KATAKANA_RUN = re.compile(
    r"[\u30a1-\u30faー\u30fd-\u30ff]+|[A-Za-z0-9]+|[^\u30a1-\u30faー\u30fd-\u30ffA-Za-z0-9・＝=･\s]+"
)
"""The words of a Japanese name: runs of katakana, of Latin letters and digits, and of other characters, split at
・, ＝ and spaces (cutlet would join 大A into *DaiA*)."""


def _japanese(text: str) -> list[str]:
    """Hepburn romaji via cutlet: with its foreign-spelling table first, then plain, then (when the name has a word
    wholly in katakana) with those words read back as loanwords (:func:`loanword_reading`).

    A word written wholly in katakana (a foreign name, split by ・ or ＝) is read as one word: cutlet's morpheme
    split (ハッカーニ → "hakkaa ni") is undone, and a foreign spelling is kept only when it covers the whole word. A
    run of katakana written against Chinese characters or Latin letters (公共株式会社チメル, NPOエレクトロマシナ) is
    such a word of its own: cutlet would cut it with its neighbours into morphemes (チメル → "chi mel").
    """
    words = KATAKANA_RUN.findall(text)
    readings: list[list[str]] = []
    for foreign in (True, False):
        parts = []
        for word in words:
            if KATAKANA_WORD.match(word):
                reading = _romaji(word, foreign)
                if " " in reading.strip():
                    reading = _romaji(word, False).replace(" ", "")
                parts.append(reading.replace(" ", "").replace("-", ""))  # タマース → "Tama-su"
            else:
                parts.append(_romaji(word, foreign))
        readings.append(parts)
    if any(KATAKANA_WORD.match(word) for word in words):
        plain = readings[1]
        readings.append(
            [loanword_reading(p) if KATAKANA_WORD.match(w) else p for w, p in zip(words, plain, strict=True)]
        )
        spelt = acronym_letters(words)
        if spelt is not None:
            readings.append([letters or p for letters, p in zip(spelt, plain, strict=True)])
    return [" ".join(parts) for parts in readings]


def spelled_letters(word: str) -> str | None:
    """The letters a katakana word spells when it is wholly the names of Latin letters (data/katakana_letters.yml,
    the longest name first): エーディーエフ → *adf*, エム → *m*; else None."""
    names = katakana_letters()
    longest = max(map(len, names))
    out = ""
    i = 0
    while i < len(word):
        size = next((n for n in range(min(longest, len(word) - i), 0, -1) if word[i : i + n] in names), 0)
        if not size:
            return None
        out += names[word[i : i + size]]
        i += size
    return out or None


def acronym_letters(words: list[str]) -> list[str | None] | None:
    """Per word, the letters of an acronym spelt out in katakana (:func:`spelled_letters`), or None when none is:
    a word of two letters or more (エーディーエフ, ADF), or one letter beside another (ディー・シー・ビー, DCB;
    エル・エル・シー, LLC). A single letter alone is not read (アイ is also a name)."""
    spelt = [spelled_letters(w) for w in words]
    single = [s is not None and len(s) == 1 for s in spelt]
    kept = [
        s
        if s is not None and (len(s) > 1 or (k > 0 and single[k - 1]) or (k + 1 < len(words) and single[k + 1]))
        else None
        for k, s in enumerate(spelt)
    ]
    return kept if any(kept) else None


_FIRST_SYLLABLE = re.compile(r"^[^aeiou]*[aeiou]")
_YO = re.compile(r"(?<=[bdfgkmnprv])yo")
_CHO = re.compile(r"(?<=[aeiou])cho")


def loanword_reading(reading: str) -> str:
    """A katakana word's Hepburn reading without what katakana adds to a foreign word: long vowels and doubled
    consonants made single, the vowel u after a consonant dropped past the first syllable (ス, ク, ム are s, k, m;
    not トゥ, ドゥ, which write a u: アブドゥル abdul), a final o after t or d dropped (ト, ド), a final chi read as t
    (Russian ть) and a final tchi as ch (ッチ, -vich), and a Russian ё after a consonant, which katakana writes with
    a small ョ (ピョートル, アルチョム), read e as Latin spellings write it (Petr, Artem): rosuatomu → rosatom
    (ロスアトム, Rosatom), gasupuromu → gasprom, toransunefuchi → toransneft, sutoirikovitchi → stoirikovich,
    aruchomu → artem. One more reading beside the others, never the only one: a first-syllable u is kept
    (ムラドフ, Muradov)."""
    word = re.sub(r"([aeiou])\1+", r"\1", reading.lower())
    word = re.sub(r"([bdfgkmprstz])\1", r"\1", word)
    word = _YO.sub("e", word)  # ピョ, リョ, デョ, フョ: a Russian ё after a consonant, written e (Pyotr / Petr)
    word = _CHO.sub("te", word)  # チョ inside a word: Russian тё (アルチョム, Artem)
    word = re.sub(r"(?<=.)tchi$", "ch", word)  # ッチ: the ch of -vich, -vić (ヴィッチ), past the first syllable
    word = re.sub(r"(?<=.)chi$", "t", word)
    word = re.sub(r"(?<=[td])o$", "", word)
    head = _FIRST_SYLLABLE.match(word)
    cut = head.end() if head else 0
    return word[:cut] + re.sub(r"(?<=[bcfghjkmprsvz])u", "", word[cut:])


#: Katakana's w with a small vowel (ウィ, ウェ, ウォ: William, Wiji, Walter) as the old kana ヰ, ヱ, ヲ, which cutlet
#: reads wi, we, wo; it reads ウィ as i, losing the w.
_W_SYLLABLE = re.compile("ウ([ィェォ])")
_OLD_KANA = {"ィ": "ヰ", "ェ": "ヱ", "ォ": "ヲ"}


def _romaji(text: str, foreign: bool) -> str:
    """Hepburn romaji of ``text`` (with cutlet's foreign spellings when ``foreign``); ウィ, ウェ, ウォ read wi, we, wo
    (cutlet reads ウィリー as irii: Willy)."""
    if not foreign:
        text = _W_SYLLABLE.sub(lambda m: _OLD_KANA[m.group(1)], text)
    try:
        return str(_cutlet(foreign).romaji(text)).replace("/", " ")
    except (RuntimeError, ValueError, IndexError, KeyError):  # pragma: no cover - defensive: odd input to MeCab
        return anyascii(text)


def _japanese_charset(text: str) -> bool:
    """True when every character is in the JIS X 0208 set that Japanese names use: 冯, 杨 or 习 (simplified
    Chinese) mark a Chinese name, whose Japanese reading would only add noise."""
    try:
        "".join(text.split()).encode("shift_jis")
    except UnicodeEncodeError:
        return False
    return True


def _pinyin(text: str) -> list[str]:
    """Mandarin pinyin of Han characters, syllables of one run of characters joined (习近平 → xijinping); other
    characters (Latin letters, digits) stay words of their own as anyascii reads them (東芝TEC → *dongzhi tec*,
    not *dongzhitec*); for a personal name of two to four characters also the surname apart (xi jinping)."""
    from pypinyin import lazy_pinyin

    words = [w for w in re.split(r"[\s・·]+", text) if w]
    reading = " ".join(" ".join(_han_runs(w, lambda run: "".join(map(str, lazy_pinyin(run))), anyascii)) for w in words)
    if len(words) == 1 and 2 <= len(words[0]) <= 4 and HAN_WORDS.fullmatch(words[0]):
        syllables = [str(s) for s in lazy_pinyin(words[0])]
        return [reading, syllables[0] + " " + "".join(syllables[1:])]
    return [reading]


#: Syllables whose Wade–Giles spelling pypinyin's table gets wrong (it reads the final *ai* as *ei*: 来 lai is
#: *lai*, not *lei*; and 国 guo is *kuo*, as in Kuomintang).
WADE_GILES_FIXES = {
    "ai": "ai",
    "hai": "hai",
    "lai": "lai",
    "mai": "mai",
    "nai": "nai",
    "sai": "sai",
    "shai": "shai",
    "wai": "wai",
    "guo": "kuo",
}
_WADE_GILES_MARKS = re.compile(r"[\'`´ʼʻʹ’‘′]")
_HYPHENS = re.compile(r"[-‐‑‒–—]")


@cache
def wade_giles_syllables() -> dict[str, str]:
    """Wade–Giles syllables and the pinyin each writes, from pypinyin's Wade–Giles style (with
    :data:`WADE_GILES_FIXES`) over every syllable of its dictionary: with the aspiration mark (ch'ing → qing) and
    the umlaut (hsü → xu) as Wade–Giles writes them, and without them as Latin lists often do (ching → jing, hsu →
    xu), where the plain syllable is read first (chu → zhu, not ju; ping → bing, not ping)."""
    from pypinyin import Style
    from pypinyin.contrib.tone_convert import to_normal
    from pypinyin.pinyin_dict import pinyin_dict
    from pypinyin.style import convert

    syllables = sorted({to_normal(p) for value in pinyin_dict.values() for p in value.split(",")})
    exact: dict[str, str] = {}
    for syllable in syllables:
        if syllable.isascii() and syllable.isalpha():
            spelt = WADE_GILES_FIXES.get(syllable) or convert(syllable, Style.WADEGILES, strict=False)
            exact.setdefault(_WADE_GILES_MARKS.sub("'", spelt).replace("v", "ü"), syllable)  # ch`ua is ch'ua
    marked = sorted(exact, key=lambda w: ("'" in w or "ü" in w, w))  # plain syllables first
    plain: dict[str, str] = {}
    for spelt in marked:
        plain.setdefault(spelt.replace("'", "").replace("ü", "u"), exact[spelt])
    return {**plain, **exact}


@cache
def pinyin_syllables() -> frozenset[str]:
    """The pinyin syllables Wade–Giles spellings read as (:func:`wade_giles_syllables`)."""
    return frozenset(wade_giles_syllables().values())


@lru_cache(maxsize=65536)
def wade_giles_reading(text: str) -> str | None:
    """A name in Latin letters read as Wade–Giles and written in pinyin, or None when it is not one: every word is
    a Wade–Giles syllable or syllables joined by hyphens, at least two syllables, and some syllable is not pinyin
    or some word is hyphenated (Mao Tse-tung → mao zedong, Hsi Chin-ping → xi jinping, Chiang Ch'ing-kuo → jiang
    jingguo). A hyphenated word is one pinyin word (the syllables of a given name). Without its aspiration mark a
    syllable reads unaspirated (ping → bing): lists often drop the marks."""
    table = wade_giles_syllables()
    words = [_HYPHENS.split(w) for w in _WADE_GILES_MARKS.sub("'", text.casefold()).split()]
    syllables = [s for w in words for s in w]
    if len(syllables) < 2 or any(s not in table for s in syllables):
        return None
    if all(len(w) == 1 for w in words) and all(s.replace("'", "") in pinyin_syllables() for s in syllables):
        return None  # pinyin already (Li Peng), or read alike in both
    return " ".join("".join(table[s] for s in w) for w in words)


def _han_runs(text: str, read: Callable[[str], str | None], other: Callable[[str], str]) -> list[str]:
    """``text`` read run by run: each run of Chinese characters by ``read``, the rest by ``other``; an empty list
    when ``read`` cannot read a run."""
    out = []
    for piece in HAN_RUN.findall(text):
        reading = read(piece) if HAN.match(piece) else other(piece)
        if reading is None:
            return []
        out.append(reading)
    return out


def _split_arabic_article(text: str) -> str:
    """Separate the Arabic article ال at the start of a word so that it reads as the particle *al*."""
    return re.sub(r"(^|\s)ال(?=\S{2,})", r"\1al ", text)


ARABIC_VOWELS = re.compile(r"(?<!\S)[اأإآٱع]|ة")
"""A word's first letter when it is an alif (with or without hamza or madda) or ع, a vowel at the start of a word as
Latin letters write it (احسان Ehsan, أحمد Ahmad, عمر Omar); and ة, the a that ends a name (حمزة Hamza)."""


def _arabic_vowels(text: str) -> str:
    """A word that starts with an alif or ع starts with *a*, and ة reads *a*: anyascii drops a bare alif (احسان →
    *hsn*, the reading of حسين *Hussein* too) and writes ع and a hamza as apostrophes, which normalising drops; kept,
    the reading tells a word that opens with a vowel from one that opens with ح or ه
    (:func:`clearance.screening.phonetic.onsets_agree`). anyascii writes ة as h, which after s, k or t read as
    one letter with it (شركة *shrkh*, the kh of خ)."""
    return ARABIC_VOWELS.sub("a", text)


# Revised Romanization of Korean (2000), written from the rules: initial, medial and final letters, and the
# main sound changes across syllable boundaries inside a word.
RR_INITIAL = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"]
RR_MEDIAL = [
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo",
    "u", "wo", "we", "wi", "yu", "eu", "ui", "i",
]  # fmt: skip
# Final letters (batchim) at the end of a syllable before a consonant or a pause: the representative sound.
RR_FINAL = [
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l",
    "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t",
]  # fmt: skip
# The same final carried over to the next syllable when that starts with the silent ㅇ (liaison).
RR_FINAL_LIAISON = [
    "", "g", "kk", "ks", "n", "nj", "n", "d", "r", "lg", "lm", "lb", "ls", "lt", "lp", "r",
    "m", "b", "bs", "s", "ss", "ng", "j", "ch", "k", "t", "p", "",
]  # fmt: skip


def _decompose(syllable: str) -> tuple[int, int, int] | None:
    code = ord(syllable) - 0xAC00
    if not 0 <= code < 11172:
        return None
    return code // 588, (code % 588) // 28, code % 28


def romanize_hangul(word: str) -> str:
    """Revised Romanization of one Hangul word, with liaison, nasalisation and the ㄴ/ㄹ assimilations."""
    parts = [_decompose(ch) for ch in word]
    out: list[str] = []
    for i, part in enumerate(parts):
        if part is None:
            out.append(anyascii(word[i]))
            continue
        initial, medial, final = part
        nxt = parts[i + 1] if i + 1 < len(parts) else None
        prev = parts[i - 1] if i > 0 else None
        onset = RR_INITIAL[initial]
        if prev is not None and prev[2] and initial == 11:  # previous final moved here by liaison
            onset = RR_FINAL_LIAISON[prev[2]] if RR_FINAL_LIAISON[prev[2]] != "ng" else ""
        elif prev is not None and initial == 5:  # ㄹ after a final
            onset = "l" if RR_FINAL[prev[2]] in ("l", "n") else "n" if prev[2] else "r"
        coda = RR_FINAL[final]
        if nxt is not None and final:
            if nxt[0] == 11:  # liaison: the final sounds in the next syllable
                coda = "ng" if RR_FINAL[final] == "ng" else ""
            elif nxt[0] in (2, 6):  # nasalisation before ㄴ or ㅁ
                coda = {"k": "ng", "t": "n", "p": "m"}.get(coda, coda)
            elif nxt[0] == 5 and coda == "n":  # ㄴ before ㄹ
                coda = "l"
            elif nxt[0] == 5 and coda in ("k", "p", "m", "ng"):
                coda = {"k": "ng", "p": "m"}.get(coda, coda)
        out.append(onset + RR_MEDIAL[medial] + coda)
    return "".join(out)


HANGUL_RUN = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]+|[^\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]+")
"""A run of Hangul, or of other characters."""


def _hangul_words(text: str) -> list[str]:
    """The words of a name in Hangul: runs of Hangul, and the other letters and digits as words of their own
    (:func:`_words_of`; 삼성Samsung → 삼성, Samsung: the Latin word is not glued to the reading)."""
    return [w for run in HANGUL_RUN.findall(text) for w in ([run] if HANGUL.match(run) else _words_of(run).split())]


def read_hangul(text: str) -> str:
    """The Revised Romanization of each Hangul word of a name, the other words as :func:`_hangul_words` keeps them."""
    return " ".join(romanize_hangul(w) if HANGUL.match(w) else w for w in _hangul_words(text))


def _hangul_variants(text: str) -> list[str]:
    """RR of every word, and for a personal name the customary surname spellings with the given name apart."""
    words = _hangul_words(text)
    plain = read_hangul(text)
    variants = [plain]
    surnames = hangul_surnames()
    if 1 <= len(words) <= 3 and all(HANGUL.search(w) for w in words):
        first = words[0]
        if len(words) == 1 and 2 <= len(first) <= 4:
            sur = first[:2] if first[:2] in surnames and len(first) >= 3 else first[:1]
            given = [first[len(sur) :]]
        else:
            sur, given = first, words[1:]
        for spelling in surnames.get(sur, [])[:3]:
            given_rr = [romanize_hangul(g) for g in given]
            variants.append(" ".join([spelling, *given_rr]))
            syllables = [romanize_hangul(ch) for g in given for ch in g]
            variants.append(" ".join([spelling, *syllables]))
    return variants


#: The script label of a Korean reading of Chinese characters: compared as a romanisation (tolerant of one letter,
#: guwolsan ≈ Kuwolsan), not as pinyin syllables.
HANJA = "hanja"
MAX_TERM = 8
MAX_TRANSLATIONS = 4


def _hangul_of(text: str) -> str | None:
    """The Hangul of Chinese characters, each by its everyday Korean reading (Unihan's kHangul); None when a
    character has none."""
    table = hanja_readings()
    out = []
    for ch in text:
        readings = table.get(ch)
        if readings is None:
            return None
        out.append(readings[0])
    return "".join(out)


def _words_of(text: str) -> str:
    """The letters and digits of ``text`` as anyascii reads them, a run of Chinese characters apart from the rest
    (三A → *San A*, not *SanA*); brackets and punctuation left out."""
    return " ".join(re.findall(r"\w+", " ".join(anyascii(run) for run in HAN_RUN.findall(text))))


def _hangul_text(text: str) -> str | None:
    """Chinese characters in Hangul (:func:`_hangul_of`), the other words kept (:func:`_words_of`), a space at each
    boundary between them; None when a character has no Korean reading."""
    runs = _han_runs(text, _hangul_of, _words_of)
    return " ".join(" ".join(runs).split()) if runs else None


def korean_readings(text: str, person: bool) -> list[str]:
    """The Korean readings of a name in Chinese characters, in Revised Romanization and as McCune–Reischauer writes
    it (:func:`mccune_reischauer`; 朝鮮九月山 → 조선구월산 → *joseonguwolsan*, *chosonguwolsan*); for a person's name
    also the customary spellings of the surname, read as names read it (金 → 김 Kim, not 금), and those in
    McCune–Reischauer (金鉄三 → Kim Chol Sam). Brackets and punctuation are left out; Latin letters and digits stay
    words of the reading (KBM 株式会社NPK → *kbm jusikhoesa npk*: a reading of the characters alone would make two
    companies that share only their legal form one name). Empty when a character has no Korean reading."""
    hangul = _hangul_text(text)
    if not hangul:
        return []
    if not person or not all(HANGUL.search(w) for w in hangul.split()):  # a person's name with Latin letters too
        return list(dict.fromkeys([_read_korean(hangul, False), _read_korean(hangul, True)]))
    variants = _hangul_variants(hangul)
    name_reading = hanja_readings()[HAN.findall(text)[0]][1:]  # 金: 금 for gold, 김 for the surname
    for surname in name_reading[:1] or hangul[:1]:
        named = _hangul_variants(surname + hangul[1:])  # MR only with the surname as names read it: Kim Chol Sam
        variants += [*named, *(mccune_reischauer(v) for v in named)]
    return list(dict.fromkeys(variants))


def _read_korean(hangul: str, mr: bool) -> str:
    """The words of :func:`_hangul_text` in Revised Romanization (as McCune–Reischauer writes it when ``mr``); the
    words that are not Hangul as they are."""
    words = []
    for word in hangul.split():
        if HANGUL.search(word):
            word = mccune_reischauer(romanize_hangul(word)) if mr else romanize_hangul(word)
        words.append(word)
    return " ".join(words)


_MR_FIRST = {"g": "k", "d": "t", "b": "p", "j": "ch"}


def mccune_reischauer(reading: str) -> str:
    """A reading in Revised Romanization respelt as McCune–Reischauer writes it without its diacritics, the
    romanisation of North Korea's names in English: eo and eu are o and u, and a word's first g, d, b or j is k, t,
    p or ch (혁신 *hyeoksin* → Hyoksin, 동양 *dongyang* → Tongyang, 삼흥 *samheung* → Samhung)."""
    words = []
    for word in reading.split():
        word = word.replace("eo", "o").replace("eu", "u")
        if word[:1] in _MR_FIRST and word[:2] != word[:1] * 2:
            word = _MR_FIRST[word[0]] + word[1:]
        words.append(word)
    return " ".join(words)


def fold_han(text: str) -> str:
    """Chinese characters in their simplified forms (Unihan; 機器廠 → 机器厂, 國際 → 国际), character for character:
    simplified, traditional and Japanese spellings of one word look it up alike."""
    table = han_simplified()
    return "".join(table.get(ch, ch) for ch in text)


@cache
def _folded_words() -> dict[str, tuple[str, ...]]:
    """:func:`cjk_words` keyed by :func:`fold_han` of each term (the first spelling of a folded term wins)."""
    folded: dict[str, tuple[str, ...]] = {}
    for term, english in cjk_words().items():
        folded.setdefault(fold_han(term), english)
    return folded


HAN_WORD = 2


def pinyin_words(run: str) -> str:
    """The pinyin of a run of Chinese characters in an organisation's name, written as words of two characters
    (a place and a trade name, as English writes Chinese companies: 苏州中盛 → *suzhou zhongsheng*); a run of three,
    or the last three of an odd run, is one word (石家庄 → *shijiazhuang*). Other characters as anyascii reads them."""
    from pypinyin import lazy_pinyin

    words: list[str] = []
    for piece in HAN_RUN.findall(run):
        if not HAN.match(piece):
            words.append(anyascii(piece))
            continue
        syllables = [str(s) for s in lazy_pinyin(piece)]
        cuts = list(range(0, len(syllables), HAN_WORD))
        if len(syllables) % HAN_WORD and len(cuts) > 1:
            cuts.pop()  # the odd one joins the last word
        words += ["".join(syllables[a:b]) for a, b in itertools.pairwise([*cuts, len(syllables)])]
    return " ".join(" ".join(words).split())


HAN_DIGITS = {**{ch: n for n, ch in enumerate("〇一二三四五六七八九")}, "零": 0, "两": 2, "兩": 2}
HAN_UNITS = {"十": 10, "百": 100, "千": 1000}
HAN_ORDINAL = re.compile(r"第([〇零一二两兩三四五六七八九十百千]+|[0-9]+)")
"""第 and a number: an ordinal (第二研究院, the Second Academy; 第810航空機修理工場, the 810 Aircraft Repair Plant)."""


def han_number(numeral: str) -> int:
    """The value of a number in Chinese characters or digits: with 十, 百 or 千 as tens, hundreds and thousands
    (二十三 → 23, 十三 → 13, 一百零五 → 105); without them digit by digit, as the numbers of institutes and plants
    are read (八一一 → 811)."""
    if numeral.isdigit():
        return int(numeral)
    if not any(ch in HAN_UNITS for ch in numeral):
        return int("".join(str(HAN_DIGITS[ch]) for ch in numeral))
    total = digit = 0
    for ch in numeral:
        if ch in HAN_UNITS:
            total += (digit or 1) * HAN_UNITS[ch]
            digit = 0
        else:
            digit = HAN_DIGITS[ch]
    return total + digit


def translated_readings(text: str) -> list[tuple[str, str]]:
    """Readings of an organisation's name in Chinese characters, Hangul or Japanese with its organisation words
    translated (data/cjk_org_words.yml and rigour's symbols: 大学 → university, 朝鮮 → Korea) and ordinals as numbers
    (:func:`han_number`: 第二十三研究所 → *23 research institute*, as "23rd" and "Twenty-Third" normalise), the rest
    read, each as ``(reading, script)``: Chinese characters by pinyin in words of two characters (``han``,
    :func:`pinyin_words`) and by their Korean reading (``hanja``), Hangul by the Revised Romanization (``hangul``),
    a name with kana as Japanese (``kana``, :func:`_japanese_run`: 株式会社商社ロセル → *trading rosel*, the Trading
    House Rosel). Terms are looked up as written, then in simplified forms (:func:`fold_han`: 機器廠 finds 机器厂);
    the longest term wins (理工大学 before 大学); a term with several translations gives several readings (at most
    four). A name in Chinese characters without a term of the table gets its pinyin in words only; one in Hangul or
    kana, nothing."""
    exact, words = cjk_words(), _folded_words()
    folded = fold_han(text)
    parts: list[str | tuple[str, ...]] = []  # a run to read, or a term's translations
    run = ""
    i = 0
    while i < len(text):
        ordinal = HAN_ORDINAL.match(text, i)
        found: tuple[int, tuple[str, ...]] | None = (
            (ordinal.end() - i, (str(han_number(ordinal.group(1))),)) if ordinal else None
        )
        found = found or next(
            (
                (n, exact[text[i : i + n]] if text[i : i + n] in exact else words[folded[i : i + n]])
                for n in range(min(MAX_TERM, len(text) - i), 1, -1)
                if text[i : i + n] in exact or folded[i : i + n] in words
            ),
            None,
        )
        if found is None:
            run += text[i]
            i += 1
            continue
        if run.strip():
            parts.append(run)
        run = ""
        parts.append(found[1])
        i += found[0]
    if run.strip():
        parts.append(run)
    kana = bool(KANA.search(text))
    if all(isinstance(p, str) for p in parts):
        return [] if kana or HANGUL.search(text) else [(pinyin_words(text), "han")]
    readers: list[tuple[str, Any]] = (
        [("kana", _japanese_run)]
        if kana
        else [("hangul", read_hangul)]
        if HANGUL.search(text)
        else [("han", pinyin_words), (HANJA, _korean_run), (HANJA, _korean_run_mr)]
    )
    out: list[tuple[str, str]] = []
    choices = [p if isinstance(p, tuple) else (p,) for p in parts]
    for script, read in readers:
        for chosen in sense_choices(choices):
            texts = [read(w) if isinstance(p, str) else w for p, w in zip(parts, chosen, strict=True)]
            if all(t is not None for t in texts):
                out.append((" ".join(texts), script))
    return out


def sense_choices(choices: Sequence[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """At most MAX_TRANSLATIONS choices of one translation per term: first the k-th translation of every term (its
    last when it has fewer) for each k, then the other combinations in order. Every translation of every term is in
    a reading however many terms have several (中国航天科学技術工業集団…第二研究院 reads *aerospace* and
    *corporation*, the second translations of 航天 and 集団, together, which a name's first four combinations, all
    varying its last terms, never reached)."""
    widest = max((len(c) for c in choices), default=0)
    by_sense = (tuple(c[min(k, len(c) - 1)] for c in choices) for k in range(widest))
    chosen: dict[tuple[str, ...], None] = {}
    for choice in itertools.chain(by_sense, itertools.product(*choices)):
        chosen.setdefault(choice)
        if len(chosen) == MAX_TRANSLATIONS:
            break
    return list(chosen)


def _japanese_run(run: str) -> str:
    """A run of a Japanese name between translated terms, read as the name is (:func:`_japanese`: Hepburn with
    foreign spellings; katakana words whole)."""
    return _japanese(run)[0]


def _korean_run(run: str) -> str | None:
    """The Korean reading of a run of Chinese characters in Revised Romanization (other words as
    :func:`_hangul_text` keeps them), or None when a character has none."""
    hangul = _hangul_text(run)
    return None if hangul is None else _read_korean(hangul, False)


def _korean_run_mr(run: str) -> str | None:
    """:func:`_korean_run` as McCune–Reischauer writes it (the Korean words only: *DEF* stays *DEF*)."""
    hangul = _hangul_text(run)
    return None if hangul is None else _read_korean(hangul, True)
