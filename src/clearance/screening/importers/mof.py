"""Japan MOF asset-freeze list (経済制裁措置及び対象者リスト), the official Excel workbook: one sheet per programme."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from rapidfuzz.fuzz import ratio

from clearance.errors import ListFormatError
from clearance.screening.importers.common import (
    UniqueIds,
    countries_in,
    date_in_name,
    known,
    open_workbook,
    sheet_rows,
)
from clearance.screening.importers.spellings import split_spellings
from clearance.screening.model import ListVersion, Party

LIST_ID = "jp-mof-asset-freeze"
TITLE = "MOF asset-freeze list (資産凍結等対象者)"
HEADER_ROWS = 8
_ORIGINAL_SCRIPT = re.compile(r"[(（]?\s*original scr?ipt\s*[:：]\s*([^)）]+)[)）]?", re.I)
_ALTERNATIVE = re.compile(r"(\S+)\s*[(（]([^()（）]+)[)）]")
#: How alike (rapidfuzz ratio) a bracketed word is to the word before it to be its spelling (Saveljev, Saveliev).
_ALIKE = 50
#: A katakana word and a bracket of its other spellings after it, separated by a slash (:func:`_person_spellings`).
_KANA_WORD = "[\u30a1-\u30fa\u30fc-\u30ff]+"
_KANA_ALTERNATIVE = re.compile(rf"({_KANA_WORD})[(（]({_KANA_WORD}(?:[/／]{_KANA_WORD})*)[)）]")
_SLASH = re.compile("[/／]")
#: Words joined by a slash, each with a letter: one word's spellings (not "140／14").
_SLASHED = re.compile(r"[^\W\d_][\w’'-]*(?:[/／][^\W\d_][\w’'-]*)+")
_BRACKET = re.compile(r"[(（]")
_ENUM = re.compile(
    r"[(（]\s*[a-zａ-ｚ]{1,2}\s*[)）]|\n|;|；|,?\s*[(（]?\s*\b[af]\.k\.a\.?\s*[:：]?|[(（]?formerly listed as", re.I
)
# "別称、A、B、C", "旧称、A、別称、B" or "（別名1）A、B": a labelled list of names separated by 、 (elsewhere a 、
# inverts a name: アル・ハク、アミン).
_LABEL = re.compile(r"(?:^|、)\s*(?:別称|旧称|別名\d*)\s*[、：:）)]\s*")


def _split_values(text: str) -> list[str]:
    """Alias cells: '(a)X(b)Y', one per line, separated by semicolons or 'a.k.a.', or a list after 別称/旧称
    separated by 、; wrappers removed; an '(original script: …)' note is a name of its own ("Abu-Shaima (original
    script: أبو شیماء)" is two names, not one Latin name with Arabic in it)."""
    out = []
    for item in _ENUM.split(text):
        out += [name for name in (m.strip(" ()（）.,、") for m in _ORIGINAL_SCRIPT.findall(item)) if known(name)]
        item = _ORIGINAL_SCRIPT.sub(" ", item).strip(" ()（）.,、")
        parts = _LABEL.sub("、", item).split("、") if _LABEL.match(item) else [item]
        out += [name for part in parts if known(name := part.strip(" ()（）.,、「」")) and re.search(r"\w", name)]
    return out


def _spelled(names: list[str], person: bool) -> list[str]:
    """Each name, or the name and its spelling in another script when a bracket gives one (see
    :func:`split_spellings`); a person's name in katakana also with the other spellings its brackets give
    (:func:`_person_spellings`)."""
    out = []
    for name in names:
        parts = split_spellings(name)
        parts = [part.strip(" ()（）") for part in parts] if len(parts) > 1 else parts
        out += [spelt for part in parts for spelt in _person_spellings(part)] if person else parts
    return out


def _english(text: str) -> tuple[list[str], list[str]]:
    """The English name cell: the name, and as aliases an '(original script: …)' note and what its brackets give
    (:func:`_bracketed`)."""
    aliases = [m.strip() for m in _ORIGINAL_SCRIPT.findall(text)]
    name = " ".join(_ORIGINAL_SCRIPT.sub(" ", text).split())
    if not known(name):
        return [], aliases
    plain, others = _bracketed(name)
    return [plain], aliases + [o for o in others if o not in (plain, name)]


def _bracketed(name: str) -> tuple[str, list[str]]:
    """A name without its brackets, and the names its brackets give: a bracket of single words, one of them alike
    to the word before it, gives spellings of that word ("Dmitrii (Dmitry) Saveljev (Saveliev)" is also Dmitry
    Saveliev; "Serhiy (Sergei, Sergii)" also Sergei and Sergii), other words inside the name are words of it written
    without brackets ("… Technical (Proprietary) Limited"), and a bracket ending the name is a name of its own
    ("AFGHAN SUPPORT COMMITTEE (ASC)" is also ASC, not AFGHAN SUPPORT ASC; "Belinvestbank (Belarusian Bank for
    Development and Reconstruction)")."""
    matches = list(_ALTERNATIVE.finditer(name))
    spellings: dict[int, list[str]] = {}  # by bracket: the spellings of the word before it
    others: list[str] = []
    for n, match in enumerate(matches):
        word, inside = match.groups()
        items = [item.strip() for item in inside.split(",") if item.strip()]
        alike = any(ratio(word.casefold(), item.casefold()) >= _ALIKE for item in items)
        if alike and all(" " not in item for item in items):
            spellings[n] = items
        elif name[match.end() :].strip():  # words inside the name: "Technical (Proprietary) Limited"
            spellings[n] = [f"{word} {' '.join(inside.split())}"]
        else:
            others.append(" ".join(inside.split()))

    most = max((len(items) for items in spellings.values()), default=0)
    return _written(name, matches, spellings, None), [
        _written(name, matches, spellings, k) for k in range(most)
    ] + others


def _written(name: str, matches: list[re.Match[str]], spellings: dict[int, list[str]], choose: int | None) -> str:
    """The name with each bracket's word, or with the ``choose``-th spelling a bracket gives (its last if fewer)."""
    parts, end = [], 0
    for n, match in enumerate(matches):
        items = spellings.get(n)
        word = match.group(1) if choose is None or not items else items[min(choose, len(items) - 1)]
        parts += [name[end : match.start()], word]
        end = match.end()
    return " ".join("".join([*parts, name[end:]]).split())


def _person_spellings(name: str) -> list[str]:
    """A person's name whose words carry their other spellings: in katakana in brackets after the word, one or
    several separated by a slash ("アレクサンドル(オレクサンドル)・ホダコフスキー(ホダコウスキー)",
    "ケリモヴァ（ハンバラエヴァ）": the Ukrainian and the Russian reading, or a maiden name), or in any script joined
    to it by a slash ("Oleksandr KHODAKOVSKYY/KHODAKOVSKII", "Vyacheslav/Vyacheclav PONOMAREV/PONOMAROV"): the name
    with each word, then with each word's first, second … spelling, as the English cell's brackets are read
    (:func:`_bracketed`). Katakana spells a Ukrainian name and its Russian form too differently for the English
    cell's likeness test (エウヘン, エヴゲーニー), so any bracket of katakana words right after a katakana word
    counts; a name with another bracket is left as written."""
    matches = list(_KANA_ALTERNATIVE.finditer(name))
    if any(not any(k.start(2) - 1 == m.start() for k in matches) for m in _BRACKET.finditer(name)):
        return [name]
    spellings = {n: _SLASH.split(m.group(2)) for n, m in enumerate(matches)}
    most = max((len(items) for items in spellings.values()), default=0)
    out = []
    for written in dict.fromkeys(_written(name, matches, spellings, k) for k in (None, *range(most))):
        words = [_SLASH.split(word) if _SLASHED.fullmatch(word) else [word] for word in written.split(" ")]
        most_words = max(len(w) for w in words)
        out += [" ".join(w[min(k, len(w) - 1)] for w in words) for k in range(most_words)]
    return list(dict.fromkeys(out))


def _schema(title: str, has_birth: bool) -> str:
    if "個人" in title:
        return "Person"
    if "団体" in title or "銀行" in title:
        return "Organization"
    return "Person" if has_birth else "LegalEntity"


def read(path: Path, list_date: dt.date | None = None) -> ListVersion:
    """Every named row of every programme sheet; deleted entries (削除 with no names) are not parties."""
    book = open_workbook(path)
    parties: list[Party] = []
    ids = UniqueIds()
    for sheet in book.worksheets:
        match = re.match(r"\s*(\d+)\s*[.．]", sheet.title)
        if not match:
            continue
        programme = match[1]
        header: tuple[str, ...] | None = None
        for number, row in sheet_rows(sheet):
            if header is None:
                if "日本語表記" in row and "英語表記" in row:
                    header = row
                elif number > HEADER_ROWS:
                    raise ListFormatError(
                        f"{path}[{sheet.title}]", number, "no header row with 日本語表記 and 英語表記"
                    )
                continue
            values = dict(zip(header, row, strict=False))
            schema = _schema(sheet.title, any(values.get(c) for c in values if "生年月日" in c))
            person = schema == "Person"
            japanese = " ".join(values.get("日本語表記", "").split())
            names, aliases = _english(values.get("英語表記", ""))
            if person and names:  # "Oleksandr KHODAKOVSKYY/KHODAKOVSKII": a name of each spelling
                spelt = _person_spellings(names[0])
                names, aliases = spelt[:1], [*spelt[1:], *(a for alias in aliases for a in _person_spellings(alias))]
            # A cell split into a name and its spelling keeps its text as a note (provenance).
            notes: list[str] = []
            if known(japanese):
                japanese_names = _spelled([japanese], person)
                names.insert(0, japanese_names[0])
                aliases += japanese_names[1:]
                if len(japanese_names) > 1:
                    notes.append(f"日本語表記: {values['日本語表記']}")
            if not names:
                # Rows without a name: more notes of the entry above, a deleted entry (削除), or an empty entry
                # (date and number only): none of them is a party. A numbered row with data but no name is an error.
                numbered, data = bool(row[0] or row[1]), any(row[2:])
                if numbered and data and not any("削除" in v for v in row[:2]):
                    raise ListFormatError(f"{path}[{sheet.title}]", number, "a row with data but no name")
                continue
            for column, value in values.items():
                if value and ("別名" in column or "別称" in column or "旧称" in column) and "確定" not in column:
                    listed = _split_values(value)
                    spelled = _spelled(listed, person)
                    aliases += spelled
                    if len(spelled) > len(listed):
                        notes.append(f"{column}: {value}")
            countries = countries_in(values.get("国籍", ""))
            identifiers = [
                v for c in ("旅券番号", "ID番号") for v in _split_values(values.get(c, "")) if re.search(r"\d", v)
            ]
            notice = re.sub(r"\s+", "", values.get("告示番号", "")) or str(number)
            where = f"{path.name}[{sheet.title}]:{number}"
            parties.append(
                Party.build(
                    LIST_ID,
                    ids.claim(f"{programme}-{notice}", where),
                    schema,
                    names,
                    aliases=aliases,
                    countries=countries,
                    identifiers=identifiers,
                    programs=[sheet.title],
                    notes=notes,
                    source_row=where,
                )
            )
    if not parties:
        raise ListFormatError(str(path), None, "no programme sheets with named rows found")
    when = list_date or date_in_name(path)
    return ListVersion(LIST_ID, TITLE, when, path.name, tuple(parties), warnings=tuple(ids.warnings))
