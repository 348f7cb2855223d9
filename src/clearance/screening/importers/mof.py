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


def _spelled(names: list[str]) -> list[str]:
    """Each name, or the name and its spelling in another script when a bracket gives one (see
    :func:`split_spellings`)."""
    out = []
    for name in names:
        parts = split_spellings(name)
        out += [part.strip(" ()（）") for part in parts] if len(parts) > 1 else parts
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

    def written(choose: int | None) -> str:
        """The name with each bracket's word, or with the ``choose``-th spelling a bracket gives (its last if fewer)."""
        parts, end = [], 0
        for n, match in enumerate(matches):
            items = spellings.get(n)
            word = match.group(1) if choose is None or not items else items[min(choose, len(items) - 1)]
            parts += [name[end : match.start()], word]
            end = match.end()
        return " ".join("".join([*parts, name[end:]]).split())

    most = max((len(items) for items in spellings.values()), default=0)
    return written(None), [written(k) for k in range(most)] + others


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
            japanese = " ".join(values.get("日本語表記", "").split())
            names, aliases = _english(values.get("英語表記", ""))
            # A cell split into a name and its spelling keeps its text as a note (provenance).
            notes: list[str] = []
            if known(japanese):
                japanese_names = _spelled([japanese])
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
                    spelled = _spelled(listed)
                    aliases += spelled
                    if len(spelled) > len(listed):
                        notes.append(f"{column}: {value}")
            birth = any(values.get(c) for c in values if "生年月日" in c)
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
                    _schema(sheet.title, birth),
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
