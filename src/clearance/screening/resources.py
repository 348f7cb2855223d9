"""Curated name knowledge bundled with clearance, and the converter that builds it from rigour's resource files.

The bundled file ``data/names.json`` is derived mechanically from ../shared/data/rigour-name-and-territory-resources
(MIT, OpenSanctions) by :func:`build_name_data`; a test rebuilds it and checks that it has not drifted. The
Hangul surname spellings are our own curated list (``data/hangul_surnames.json``). The Korean readings of Chinese
characters (``data/hanja_readings.json``) are the ``kHangul`` field of Unicode's Unihan database (Unicode License
v3), converted by :func:`build_hanja_readings`; the simplified forms of traditional and Japanese characters
(``data/han_simplified.json``) are its ``kSimplifiedVariant`` field, converted by :func:`build_han_simplified`.
"""

from __future__ import annotations

import bz2
import json
import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent / "data"
NAME_DATA = DATA / "names.json"


def _fold(text: str) -> str:
    """Casefolded NFKC text with single spaces (the form keys are stored in)."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _is_spaceless_script(text: str) -> bool:
    """True for text in a script written without spaces (CJK ideographs, kana, Hangul)."""
    return any(
        "\u3040" <= ch <= "\u30ff" or "\u3400" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7a3" or ch == "㈜"
        for ch in text
    )


def build_name_data(rigour_dir: Path) -> dict[str, Any]:
    """Convert rigour's YAML resources into the compact JSON that the normaliser reads."""
    org_types = yaml.safe_load((rigour_dir / "names" / "org_types.yml").read_text(encoding="utf-8"))["types"]
    legal_forms: dict[str, str] = {}
    spaceless: dict[str, str] = {}
    for entry in org_types:
        label = str(entry.get("generic") or entry.get("compare") or entry.get("display") or "")
        forms = [str(a) for a in entry.get("aliases", [])] + [
            str(entry[k]) for k in ("display", "compare") if k in entry
        ]
        for alias in forms:
            key = _fold(alias)
            if not key:
                continue
            target = spaceless if _is_spaceless_script(key) and " " not in key else legal_forms
            target.setdefault(key, label or key)
    stop = yaml.safe_load((rigour_dir / "names" / "stopwords.yml").read_text(encoding="utf-8"))
    symbols = yaml.safe_load((rigour_dir / "names" / "symbols.yml").read_text(encoding="utf-8"))
    org_symbols: dict[str, str] = {}
    groups = [*(symbols.get("org_symbols") or {}).items(), *(symbols.get("org_domains") or {}).items()]
    for symbol, terms in groups:
        for term in terms or []:
            key = _fold(str(term))
            if key and " " not in key:
                org_symbols.setdefault(key, str(symbol))
    nicknames: dict[str, list[str]] = {}
    for group, terms in (symbols.get("person_nick") or {}).items():
        for term in terms or []:  # a nickname may stand for several names: Ted for Edward and for Theodore
            nicknames.setdefault(_fold(str(term)), []).append(str(group))
    return {
        "source": "rigour-name-and-territory-resources (MIT, OpenSanctions Datenbanken GmbH)",
        "legal_forms": dict(sorted(legal_forms.items())),
        "legal_forms_spaceless": dict(sorted(spaceless.items())),
        "person_prefixes": sorted({_fold(str(p)) for p in stop["PERSON_NAME_PREFIXES"]}),
        "org_prefixes": sorted({_fold(str(p)) for p in stop["ORG_NAME_PREFIXES"]}),
        "org_symbols": dict(sorted(org_symbols.items())),  # org_symbols and org_domains of symbols.yml
        "nicknames": {term: sorted(set(groups)) for term, groups in sorted(nicknames.items())},
        "countries": build_country_names(rigour_dir),
    }


def build_country_names(rigour_dir: Path) -> dict[str, str]:
    """Country and territory names in many scripts (日本, 일본, Япония …) mapped to ISO 3166 alpha-2 codes."""
    strong: dict[str, str] = {}
    weak: dict[str, str] = {}
    for line in (rigour_dir / "territories" / "data.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        code = str(item["code"])
        if len(code) != 2 or not (item.get("is_country") or item.get("is_jurisdiction")):
            continue
        for name in [item.get("name"), item.get("full_name"), code, item.get("alpha3"), *item.get("names_strong", [])]:
            if name:
                strong.setdefault(_fold(str(name)), code)
        for name in item.get("names_weak", []):
            weak.setdefault(_fold(str(name)), code)
    merged = {**weak, **strong}
    return dict(sorted(merged.items()))


@cache
def name_data() -> dict[str, Any]:
    """The bundled name knowledge (legal forms, honorifics, organisation symbols, country names)."""
    data: dict[str, Any] = json.loads(NAME_DATA.read_text(encoding="utf-8"))
    return data


@cache
def hangul_surnames() -> dict[str, list[str]]:
    """Common Latin spellings of Korean surnames (김 → Kim, Gim …): curated, not derivable from rules."""
    data: dict[str, list[str]] = json.loads((DATA / "hangul_surnames.json").read_text(encoding="utf-8"))
    return data


HANJA_READINGS = DATA / "hanja_readings.json"


def write_hanja_readings(unihan_dir: Path = Path("/usr/share/unicode")) -> None:
    """Write ``data/hanja_readings.json`` from Unihan (``apt-get install unicode-data`` puts it in the default
    folder): ``python -c 'from clearance.screening.resources import write_hanja_readings as w; w()'``."""
    text = json.dumps(build_hanja_readings(unihan_dir), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    HANJA_READINGS.write_text(text + "\n", encoding="utf-8")


def build_hanja_readings(unihan_dir: Path) -> dict[str, Any]:
    """The Korean readings of Chinese characters from Unihan (``Unihan_Readings.txt`` and ``Unihan_Variants.txt``,
    plain or ``.bz2`` as Debian's unicode-data package installs them): each character's ``kHangul`` readings, the
    ones marked for education (``E``, the everyday reading) first and those marked for names (``N``) after them
    (金: 금, then the surname 김); a character without one (the Japanese and simplified forms 壌, 긴 …) takes the
    readings of its traditional, semantic or Z variant, else its ``kKorean`` reading in Yale romanization turned
    into Hangul (the Japanese forms 壌 YANG → 양, 緑 LOK → 록, 経 KYENG → 경)."""
    readings: dict[str, list[str]] = {}
    variants: dict[str, list[str]] = {}
    version = ""
    yale: dict[str, list[str]] = {}
    for name, fields_wanted in (("Unihan_Readings", {"kHangul", "kKorean"}), ("Unihan_Variants", _HANJA_VARIANTS)):
        for char, field, value in _unihan_records(unihan_dir, name):
            if field == _VERSION:
                version = value
            elif field not in fields_wanted:
                continue
            elif field == "kKorean":
                yale[char] = [h for v in value.split() if (h := yale_syllable(v))]
            elif field == "kHangul":
                values = [v.split(":") for v in value.split()]
                ordered = sorted(values, key=lambda v: "E" not in (v[1] if len(v) > 1 else ""))
                readings[char] = list(dict.fromkeys(v[0] for v in ordered))
            else:
                variants.setdefault(char, []).extend(_unihan_chars(value))
    for char, others in variants.items():
        found = next((readings[o] for o in others if o in readings), None)
        if char not in readings and found:
            readings[char] = found
    for char, hangul in yale.items():
        if char not in readings and hangul:
            readings[char] = hangul
    return {
        "source": f"Unicode Unihan database {version}, kHangul and the variants' (Unicode License v3)",
        "readings": dict(sorted(readings.items())),
    }


_VERSION = "# Unicode version"


def _unihan_records(unihan_dir: Path, name: str) -> Iterator[tuple[str, str, str]]:
    """The ``(character, field, value)`` records of one Unihan file (``.txt`` or ``.txt.bz2``), the Unicode version
    as ``("", _VERSION, version)``."""
    path = next(p for p in (unihan_dir / f"{name}.txt", unihan_dir / f"{name}.txt.bz2") if p.exists())
    opener = bz2.open if path.suffix == ".bz2" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.startswith(_VERSION + ":"):
                yield "", _VERSION, line.split(":", 1)[1].strip()
            fields = line.rstrip("\n").split("\t")
            if len(fields) == 3:
                yield chr(int(fields[0][2:], 16)), fields[1], fields[2]


def _unihan_chars(value: str) -> list[str]:
    """The characters a Unihan variant field names (``U+673A<kMatthews`` → 机)."""
    return [chr(int(v.split("<")[0][2:], 16)) for v in value.split()]


_HANJA_VARIANTS = {"kTraditionalVariant", "kSemanticVariant", "kZVariant", "kSpecializedSemanticVariant"}
# Yale romanization of Korean (Unihan's kKorean): the initial, medial and final letters in Hangul's order.
_YALE_INITIALS = [
    "K", "KK", "N", "T", "TT", "L", "M", "P", "PP", "S", "SS", "-", "C", "CC", "CH", "KH", "TH", "PH", "H",
]  # fmt: skip
_YALE_MEDIALS = [
    "A", "AY", "YA", "YAY", "E", "EY", "YE", "YEY", "O", "WA", "WAY", "OY", "YO", "WU", "WE", "WEY", "WI", "YU", "U",
    "UY", "I",
]  # fmt: skip
_YALE_FINALS = {"": 0, "K": 1, "N": 4, "T": 7, "L": 8, "M": 16, "P": 17, "S": 19, "NG": 21}


def yale_syllable(text: str) -> str | None:
    """One Hangul syllable from its Yale romanization (KYENG → 경, YANG → 양, LOK → 록), or None."""
    for i, initial in enumerate(_YALE_INITIALS):
        head = "" if initial == "-" else initial
        if not text.startswith(head):
            continue
        for m, medial in enumerate(_YALE_MEDIALS):
            rest = text[len(head) :]
            if rest.startswith(medial) and rest[len(medial) :] in _YALE_FINALS:
                return chr(0xAC00 + (i * 21 + m) * 28 + _YALE_FINALS[rest[len(medial) :]])
    return None


@cache
def hanja_readings() -> dict[str, list[str]]:
    """Korean readings (Hangul syllables) of Chinese characters, the everyday one first (朝 → 조, 金 → 금, 김)."""
    data: dict[str, list[str]] = json.loads(HANJA_READINGS.read_text(encoding="utf-8"))["readings"]
    return data


HAN_SIMPLIFIED = DATA / "han_simplified.json"


def write_han_simplified(unihan_dir: Path = Path("/usr/share/unicode")) -> None:
    """Write ``data/han_simplified.json`` from Unihan (as :func:`write_hanja_readings`)."""
    text = json.dumps(build_han_simplified(unihan_dir), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    HAN_SIMPLIFIED.write_text(text + "\n", encoding="utf-8")


def build_han_simplified(unihan_dir: Path) -> dict[str, Any]:
    """The simplified form of each traditional character (Unihan's ``kSimplifiedVariant``: 機 → 机, 電 → 电); a
    Japanese form without one (鉄, 気) takes its semantic or Z variant's (鐵 → 铁)."""
    simplified: dict[str, str] = {}
    variants: dict[str, list[str]] = {}
    version = ""
    for char, field, value in _unihan_records(unihan_dir, "Unihan_Variants"):
        if field == _VERSION:
            version = value
        elif field == "kSimplifiedVariant" and (others := _unihan_chars(value))[0] != char:
            simplified[char] = others[0]
        elif field in ("kSemanticVariant", "kZVariant"):
            variants.setdefault(char, []).extend(_unihan_chars(value))
    for char, others in variants.items():
        found = next((simplified[o] for o in others if o in simplified), None)
        if char not in simplified and found and found != char:
            simplified[char] = found
    return {
        "source": f"Unicode Unihan database {version}, kSimplifiedVariant and the variants' (Unicode License v3)",
        "simplified": dict(sorted(simplified.items())),
    }


@cache
def han_simplified() -> dict[str, str]:
    """The simplified form of traditional and Japanese characters (機 → 机, 鉄 → 铁); simplified ones are absent."""
    data: dict[str, str] = json.loads(HAN_SIMPLIFIED.read_text(encoding="utf-8"))["simplified"]
    return data


KATAKANA_LETTERS = DATA / "katakana_letters.yml"


@cache
def katakana_letters(path: Path = KATAKANA_LETTERS) -> dict[str, str]:
    """The katakana spellings of the Latin letters' names and their letters (``data/katakana_letters.yml``: エー →
    a). A key that is not one letter, or a spelling given twice, fails loudly."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    spellings: dict[str, str] = {}
    for letter, spelt in data["letters"].items():
        if not (isinstance(letter, str) and len(letter) == 1 and letter.isascii() and letter.isalpha()):
            raise ValueError(f"{path.name}: {letter!r} is not one Latin letter")
        for katakana in spelt:
            if katakana in spellings:
                raise ValueError(f"{path.name}: {katakana} is given twice")
            spellings[katakana] = letter
    return spellings


CJK_WORDS = DATA / "cjk_org_words.yml"
_CJK_KEYS = {"terms", "english", "source"}
_CJK_FORM_KEYS = {"terms", "form", "source"}


@cache
def cjk_words(path: Path = CJK_WORDS) -> dict[str, tuple[str, ...]]:
    """Words of organisation names in Chinese characters or Hangul and their English translations, most usual
    first (``data/cjk_org_words.yml``, with rigour's symbols for the terms of two or more characters it has: its
    symbol first, then the table's other translations, so 航空 reads *aviation* as rigour's symbol and also
    *aeronautics*, which English names write and rigour does not fold into *aviation*). A term given twice, an
    unknown key or an unknown source fails loudly."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    sources = data["sources"]
    words: dict[str, tuple[str, ...]] = {}
    for number, entry in enumerate(data["words"]):
        if set(entry) != _CJK_KEYS or entry["source"] not in sources:
            raise ValueError(f"{path.name}: words[{number}] needs exactly {sorted(_CJK_KEYS)} and a known source")
        for term in entry["terms"]:
            if term in words:
                raise ValueError(f"{path.name}: words[{number}]: {term} is given twice")
            words[term] = tuple(entry["english"])
    for term, symbol in name_data()["org_symbols"].items():
        if len(term) >= 2 and _is_spaceless_script(term):
            words[term] = (symbol, *(e for e in words.get(term, ()) if e != symbol))
    return words


@cache
def cjk_legal_forms(path: Path = CJK_WORDS) -> dict[str, str]:
    """Legal forms written without spaces that rigour's table lacks (``legal_forms`` of ``data/cjk_org_words.yml``:
    公共株式会社 → JSC), each with rigour's generic label. A term given twice, an unknown key or an unknown source
    fails loudly."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    forms: dict[str, str] = {}
    for number, entry in enumerate(data.get("legal_forms", [])):
        if set(entry) != _CJK_FORM_KEYS or entry["source"] not in data["sources"]:
            raise ValueError(
                f"{path.name}: legal_forms[{number}] needs exactly {sorted(_CJK_FORM_KEYS)} and a known source"
            )
        for term in entry["terms"]:
            if term in forms:
                raise ValueError(f"{path.name}: legal_forms[{number}]: {term} is given twice")
            forms[term] = str(entry["form"])
    return forms
