"""Curated name knowledge bundled with clearance, and the converter that builds it from rigour's resource files.

The bundled file ``data/names.json`` is derived mechanically from ../shared/data/rigour-name-and-territory-resources
(MIT, OpenSanctions) by :func:`build_name_data`; a test rebuilds it and checks that it has not drifted. The
Hangul surname spellings are our own curated list (``data/hangul_surnames.json``).
"""

from __future__ import annotations

import json
import unicodedata
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
    nicknames: dict[str, str] = {}
    for group, terms in (symbols.get("person_nick") or {}).items():
        for term in terms or []:
            nicknames.setdefault(_fold(str(term)), str(group))
    return {
        "source": "rigour-name-and-territory-resources (MIT, OpenSanctions Datenbanken GmbH)",
        "legal_forms": dict(sorted(legal_forms.items())),
        "legal_forms_spaceless": dict(sorted(spaceless.items())),
        "person_prefixes": sorted({_fold(str(p)) for p in stop["PERSON_NAME_PREFIXES"]}),
        "org_prefixes": sorted({_fold(str(p)) for p in stop["ORG_NAME_PREFIXES"]}),
        "org_symbols": dict(sorted(org_symbols.items())),  # org_symbols and org_domains of symbols.yml
        "nicknames": dict(sorted(nicknames.items())),
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
