"""Names to comparable forms: Unicode clean-up, Latin readings, honorifics, legal forms and organisation symbols.

:func:`normalise_text` is the string-level step (idempotent, never raises). :func:`name_forms` turns one name into
one :class:`NameForm` per plausible Latin reading, each with its tokens, phonetic keys and skeleton keys.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass, fields
from functools import cache, lru_cache
from typing import Any

from anyascii import anyascii

from clearance.errors import InputError
from clearance.screening.phonetic import phonetic_key, skeleton
from clearance.screening.resources import cjk_legal_forms, name_data
from clearance.screening.transliterate import (
    HANJA,
    TRANSCRIBED,
    korean_readings,
    latin_variants,
    script_of,
    transcribed_han,
    translated_readings,
    wade_giles_reading,
)

_INVISIBLE = re.compile(r"[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202f\u2060-\u206f\ufeff]")
_APOSTROPHES = re.compile(r"[\'`´ʼʻʹ’‘′]")
_PUNCT = re.compile(r"[^\w]+|_")
MAX_LEGAL_FORM_TOKENS = 5
LOSSY_SCRIPTS = frozenset({"kana", "hangul", "arabic", "hebrew", "khmer", TRANSCRIBED})


def normalise_text(text: str) -> str:
    """NFKC, casefold, drop invisible characters and apostrophes, turn other punctuation into single spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text).casefold()
    text = unicodedata.normalize("NFKC", text)
    text = _APOSTROPHES.sub("", text)
    text = _PUNCT.sub(" ", text)
    return " ".join(text.split())


def lossy_name(name: str, person: bool) -> bool:
    """Whether every reading of ``name`` is lossy (:attr:`NameForm.lossy`): kana, Hangul, Arabic, Hebrew, Khmer, or a
    person's name in Chinese characters written for its sounds (:func:`transcribed_han`)."""
    script = script_of(name)
    return script in LOSSY_SCRIPTS or (person and script == "han" and transcribed_han(name))


def fold_ascii(text: str) -> str:
    """:func:`normalise_text` of the ASCII reading of ``text`` (diacritics and ligatures folded: é → e, ß → ss)."""
    text = normalise_text(text)
    return text if text.isascii() else normalise_text(anyascii(text))  # ASCII reads as itself, normalised already


@dataclass(frozen=True, slots=True)
class NameForm:
    """One Latin reading of a name, ready to compare."""

    original: str
    tokens: tuple[str, ...]
    phonetic: tuple[str, ...]
    skeleton: tuple[str, ...]
    legal_form: str | None
    script: str
    person: bool = False
    spoken: tuple[str, ...] = ()
    """The tokens before organisation words were mapped to their symbols (``development``, not ``dev``): what the
    name sounds like, for comparisons with a lossy reading (デベロップメント → *deberoppumento*). Empty when no
    word was mapped; use :attr:`sounds`."""

    organisation: bool = False
    """The name is an organisation's: its entry's schema says so, or it carries a legal form or an organisation
    word (company, university, министерство …). Only such names expand to acronyms."""

    def __reduce__(self) -> tuple[type[NameForm], tuple[Any, ...]]:
        """Pickled as its fields, read back by one call to the class: a slotted frozen dataclass's default state
        is set field by field in Python, half of the time of reading a kept screening index (12,000 forms)."""
        return NameForm, tuple(getattr(self, name) for name in _FORM_FIELDS)

    @property
    def sounds(self) -> tuple[str, ...]:
        """The tokens as they are pronounced: :attr:`spoken` when an organisation word was mapped, else the tokens."""
        return self.spoken or self.tokens

    @property
    def text(self) -> str:
        """The tokens joined by spaces."""
        return " ".join(self.tokens)

    @property
    def fingerprint(self) -> str:
        """The tokens in order without spaces (catches joined and split words)."""
        return "".join(self.tokens)

    @property
    def lossy(self) -> bool:
        """True when the reading lost sounds on the way (kana, Hangul, Arabic and Hebrew without vowels, Khmer
        without its inherent vowels, a foreign name's sounds in Chinese characters)."""
        return self.script in LOSSY_SCRIPTS


_FORM_FIELDS = tuple(field.name for field in fields(NameForm))


@cache
def _lexicon() -> tuple[
    dict[tuple[str, ...], str], dict[str, str], frozenset[str], dict[str, str], dict[str, frozenset[str]]
]:
    """Legal forms (as token tuples), spaceless legal forms, honorifics, organisation symbols and nicknames."""
    data = name_data()
    legal: dict[tuple[str, ...], str] = {}
    for alias, generic in data["legal_forms"].items():
        tokens = tuple(fold_ascii(alias).split())
        if tokens and len(tokens) <= MAX_LEGAL_FORM_TOKENS:
            legal.setdefault(tokens, generic)
    prefixes = frozenset(fold_ascii(p) for p in data["person_prefixes"] + data["org_prefixes"])
    symbols = _symbol_keys()[None]
    nicknames = {fold_ascii(k): frozenset(v) for k, v in data["nicknames"].items()}
    spaceless = {**cjk_legal_forms(), **data["legal_forms_spaceless"]}
    return legal, spaceless, prefixes, symbols, nicknames


#: Scripts whose Latin reading of a symbol's term is no word of other scripts' names: Arabic and Hebrew readings
#: are consonants (معمل *mml*, lab; حزب *hzb*, party), and one Chinese character's pinyin is a syllable of many
#: words (厂 *chang*, factory; 商 *shang*).
OWN_SCRIPT_SYMBOLS = frozenset({"arabic", "hebrew"})


@cache
def _symbol_keys() -> dict[str | None, dict[str, str]]:
    """rigour's organisation symbols keyed by the ASCII reading of each term: under None the keys any name's
    words may take, under a script those only its own readings take (:data:`OWN_SCRIPT_SYMBOLS`, and one Chinese
    character: "Chang Hong" is a name, not "factory hong")."""
    keys: dict[str | None, dict[str, str]] = {None: {}}
    for term, symbol in name_data()["org_symbols"].items():
        key = fold_ascii(term)
        if key and " " not in key and len(key) > 2:
            script = script_of(term)
            own = script in OWN_SCRIPT_SYMBOLS or (script == "han" and len(term) == 1)
            keys.setdefault(script if own else None, {}).setdefault(key, symbol)
    return keys


def _strip_spaceless_legal_form(text: str) -> tuple[str, str | None]:
    """Remove 株式会社, 주식회사, (주) … at the start or end of a CJK or Hangul name."""
    _, spaceless, _, _, _ = _lexicon()
    stripped = text.strip()
    for alias in sorted(spaceless, key=len, reverse=True):
        if stripped.startswith(alias) and len(stripped) > len(alias):
            return stripped[len(alias) :].strip(), spaceless[alias]
        if stripped.endswith(alias) and len(stripped) > len(alias):
            return stripped[: -len(alias)].strip(), spaceless[alias]
    return stripped, None


def strip_legal_forms(tokens: tuple[str, ...]) -> tuple[tuple[str, ...], str | None]:
    """Remove legal-form tokens (LLC, Co Ltd, OOO, Kabushiki Kaisha …) from both ends; keep at least one token."""
    legal, _, _, _, _ = _lexicon()
    found: str | None = None
    changed = True
    while changed and len(tokens) > 1:
        changed = False
        for size in range(min(MAX_LEGAL_FORM_TOKENS, len(tokens) - 1), 0, -1):
            tail, head = tokens[-size:], tokens[:size]
            if tail in legal:
                found, tokens, changed = found or legal[tail], tokens[:-size], True
                break
            if head in legal:
                found, tokens, changed = found or legal[head], tokens[size:], True
                break
    return tokens, found


def _strip_prefixes(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """Drop honorifics and titles (Mr, Dr, His Excellency, The …) at the start of a name."""
    _, _, prefixes, _, _ = _lexicon()
    while len(tokens) > 1 and tokens[0] in prefixes:
        tokens = tokens[1:]
    if len(tokens) > 2 and " ".join(tokens[:2]) in prefixes:
        tokens = tokens[2:]
    return tokens


#: The Arabic article as Latin spellings write it after ʿAbd, assimilated to a sun letter or not (al, el, ul, ar,
#: as, ad, an, az, at, ash …).
ABD_ARTICLES = frozenset(
    {"al", "el", "ul", "il", "ar", "ur", "as", "us", "ad", "ud", "an", "un", "az", "uz", "at", "ut", "ash", "ush"}
)


def join_abd(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """ʿAbd and the article after it as one word, as most spellings write it: Abd al-Aziz, Abd el Kader and
    Abd ar-Rahman are also Abdul Aziz, Abdul Kader and Abdul Rahman ("servant of the …": the article belongs to
    the next word, but Latin spellings attach it to Abd, and lists write both)."""
    if "abd" not in tokens[:-2]:
        return tokens
    out: list[str] = []
    for k, token in enumerate(tokens):
        if out and out[-1] == "abd" and token in ABD_ARTICLES and k + 1 < len(tokens):
            out[-1] = "abdul"
            continue
        out.append(token)
    return tuple(out)


_VOWELS = frozenset("aeiouy")
MAX_JOINED_INITIALS = 3


def split_initials(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """A person's initials written together apart again: a word of two or three letters without a vowel before
    another word is initials (JC Juncker is J. C. Juncker, JRR Tolkien J. R. R. Tolkien); not the last word (Jr,
    PAO TZ) nor a legal form (LLC, JSC: a query without a schema is also read as a person's name). Kept beside the
    name as written, which it may also be (Ng)."""
    legal = _lexicon()[0]
    out: list[str] = []
    for k, token in enumerate(tokens):
        if (
            k + 1 < len(tokens)
            and 2 <= len(token) <= MAX_JOINED_INITIALS
            and token.isalpha()
            and _VOWELS.isdisjoint(token)
            and (token,) not in legal
        ):
            out += token
        else:
            out.append(token)
    return tuple(out)


def _join_initials(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """Runs of single letters become one token in organisation names: "A.B.C. Company" → ("abc", "company")."""
    out: list[str] = []
    run = ""
    for token in tokens:
        if len(token) == 1 and token.isalpha():
            run += token
            continue
        if run:
            out.append(run)
            run = ""
        out.append(token)
    if run:
        out.append(run)
    return tuple(out)


_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ORDINALS = ["_", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"]
NUMBER_WORDS = {
    **{w: n for n, w in enumerate(_UNITS)},
    **{w: 10 * n for n, w in enumerate(_TENS) if w != "_"},
    **{w: n for n, w in enumerate(_ORDINALS) if w != "_"},
}
_ORDINAL_SUFFIX = re.compile(r"^(\d+)(?:st|nd|rd|th)$")


def numbers_as_digits(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """English number words and ordinals as digits in organisation names: "Forty-Four" → 44, "First" and "1st" → 1,
    "Three Percenters" → "3 percenters"; a tens word and a unit (in words or digits) join into one number."""
    out: list[str] = []
    for token in tokens:
        ordinal = _ORDINAL_SUFFIX.match(token)
        value = int(ordinal.group(1)) if ordinal else NUMBER_WORDS.get(token)
        if value is None and token.isdigit() and len(token) == 1:
            value = int(token)
        if value is None:
            out.append(token)
            continue
        if out and value < 10 and out[-1].isdigit() and len(out[-1]) == 2 and out[-1].endswith("0") and out[-1] != "10":
            out[-1] = str(int(out[-1]) + value)  # forty four → 44
        else:
            out.append(str(value))
    return tuple(out)


def canonical_token(token: str, person: bool = False, script: str = "latin") -> str:
    """A token's organisation symbol (университет, universidad → university), else itself; not in personal names
    ("Mir" is a name, not мир "world"). A symbol whose term reads as no word of another script (:func:`_symbol_keys`)
    applies to a reading of its own script only: MML is a name, not معمل (lab)."""
    if person:
        return token
    _, _, _, symbols, _ = _lexicon()
    found = symbols.get(token)
    if found is None and script != "latin":
        found = _symbol_keys().get(script, {}).get(token)
    return found or token


@cache
def organisation_symbols() -> frozenset[str]:
    """The organisation symbols (co, university, ministry, bank …): a name with one is an organisation's."""
    return frozenset(symbol for keys in _symbol_keys().values() for symbol in keys.values())


@lru_cache(maxsize=65536)
def nickname_groups(token: str) -> frozenset[str]:
    """The groups of a given name and its nicknames (Bob, Rob, Robert → one group) it belongs to: none, one, or
    several for a nickname of several names (Ted: Edward's and Theodore's). Kept: asked for each pair of words
    compared."""
    _, _, _, _, nicknames = _lexicon()
    return nicknames.get(token, frozenset())


def _readings(text: str, script: str, person: bool) -> list[tuple[str, str]]:
    """The Latin readings of a name with the script each is compared as: the transliterations, and for Chinese
    characters their Korean readings (``hanja``), for an organisation's name in Chinese characters or Hangul its
    organisation words translated; for a Chinese name in Wade–Giles its pinyin (:func:`wade_giles_reading`: Mao
    Tse-tung is Mao Zedong). A person's name in Chinese characters written for its sounds (:func:`transcribed_han`:
    贝拉克·奥巴马) has its pinyin only, a lossy reading (``han_sounds``)."""
    if script == "han" and person and transcribed_han(text):
        return [(latin_variants(text)[0], TRANSCRIBED)]
    readings = [(reading, script) for reading in latin_variants(text)]
    if script == "latin" and (pinyin := wade_giles_reading(text)):
        readings.append((pinyin, script))
    if script == "han":
        readings += [(reading, HANJA) for reading in korean_readings(text, person)]
    if script in ("han", "hangul", "kana") and not person:
        readings += translated_readings(text)
    return readings


def _word_readings(text: str, script: str, person: bool) -> list[tuple[tuple[str, ...], str]]:
    """The words of each Latin reading (:func:`_readings`); a name in Latin letters without its leading titles,
    and also with ʿAbd and its article as one word (:func:`join_abd`) when it has them."""
    out: list[tuple[tuple[str, ...], str]] = []
    for reading, reading_script in _readings(text, script, person):
        tokens = tuple(fold_ascii(reading).split())
        if script == "latin":  # a transliteration can look like a title: فارع → "fr" is not "Fr." (Father)
            tokens = _strip_prefixes(tokens)
            variants = (tokens, join_abd(tokens), split_initials(tokens) if person else tokens)
            out += [(words, reading_script) for words in dict.fromkeys(variants)]
        else:
            out.append((tokens, reading_script))
    return out


_JOINED_NAMES = re.compile(r"([A-Z][a-z]{3,})(?=[A-Z][a-z]{2})")


def split_joined_names(text: str) -> str:
    """A person's names written together, each capitalised, apart again: AlekseyKrivoruchko → Aleksey Krivoruchko
    (the MOF list writes some names so); only after a word of four letters or more, so that McDonald, MacArthur
    and JanDaniel stay whole."""
    return _JOINED_NAMES.sub(r"\1 ", text)


@lru_cache(maxsize=131072)
def name_forms(name: str, person: bool = False, organisation: bool = False) -> tuple[NameForm, ...]:
    """All comparable forms of one name; an empty tuple when nothing nameable is left (e.g. only punctuation).

    Legal forms are stripped from names that are not known to be a person's ("Thomas Sá" keeps its "Sa").
    ``organisation``: the name is known to be an organisation's (else a form is one when it has a legal form or an
    organisation word).
    """
    text = unicodedata.normalize("NFKC", name)
    script = script_of(text)
    if person and script == "latin":
        text = split_joined_names(text)
    legal_form: str | None = None
    if script in ("kana", "han", "hangul") and not person:
        text, legal_form = _strip_spaceless_legal_form(text)
    forms: list[NameForm] = []
    seen: set[tuple[str, ...]] = set()
    for tokens, reading_script in _word_readings(text, script, person):
        found: str | None = None
        if not person:  # legal forms off, runs of initials joined ("A.B.C."), and legal forms off again ("N.O." → no)
            tokens, found = strip_legal_forms(tokens)
            tokens = _join_initials(tokens)
            tokens, again = strip_legal_forms(tokens)
            found = found or again
        spoken = tuple(map(sys.intern, tokens))
        if not person:
            tokens = numbers_as_digits(tokens)
            if len(tokens) != len(spoken):  # number words joined (forty four → 44): the digits are the sound
                spoken = tokens
        symbols = tuple(sys.intern(canonical_token(t, person, reading_script)) for t in tokens)  # interned: shared
        org_words = bool(found or legal_form) or any(t in organisation_symbols() for t in symbols)
        tokens = symbols
        if not tokens or tokens in seen:
            continue
        seen.add(tokens)
        if spoken == tokens:
            spoken = ()
        forms.append(
            NameForm(
                original=name,
                tokens=tokens,
                phonetic=tuple(map(phonetic_key, tokens)),  # interned, as the skeletons
                skeleton=tuple(map(skeleton, spoken or tokens)),  # the sound, not the symbol
                legal_form=legal_form or found,
                script=reading_script,
                person=person,
                spoken=spoken,
                organisation=not person and (organisation or org_words),
            )
        )
    return tuple(forms)


def query_forms(
    name: str, field: str = "name", person: bool = False, organisation: bool = False
) -> tuple[NameForm, ...]:
    """:func:`name_forms` for user input: an empty or unnameable name raises :class:`InputError`."""
    if not name or not name.strip():
        raise InputError(field, "is empty")
    forms = name_forms(name, person, organisation)
    if not forms:
        raise InputError(field, f"{name!r} has no letters or digits to match on")
    return forms
