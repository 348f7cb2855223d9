"""METI/MOFA export-ban entity lists (輸出等に係る禁止措置の対象となる特定団体): the text of the PDFs.

Each entry is a number, the Japanese name (with 別称 aliases in brackets or on a 別称： line), the English name (with
``a.k.a.`` aliases on ``-`` lines or after the name) and a 所在地 address that may run on. PDF line breaks are kept
in the text, and an entry number can follow the end of the previous address on the same line.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from clearance.errors import ListFormatError
from clearance.screening.importers.common import countries_in, read_text
from clearance.screening.model import ListVersion, Party

LIST_ID = "jp-meti-export-ban"
TITLE = "METI/MOFA export-ban entities (Russia, Belarus, third countries)"
_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_ENTRY = re.compile(r"^(\d{1,4})\s*(?=[^\d\s.,])")
_GLUED = re.compile(r"(?<=[A-Za-z.)）])(?=\d{1,4} \S*?[\u3040-\u30ff\u3400-\u9fff])")
_JA = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_AKA = re.compile(r",?\s*a\.k\.a\.?,?\s*(the following [\w-]+ alias(?:es)?:?)?", re.I)
_JA_THEN_EN = re.compile(
    r"^(.*?[\u3040-\u30ff\u3400-\u9fff」）)])\s*([A-Z][A-Za-z0-9.,&'-]*\s+[A-Za-z(][^\u3040-\u30ff\u3400-\u9fff（]*(?:（.*)?)$"
)
_DATE = re.compile(r"最終更新日：\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def _tag(path: Path) -> str:
    name = path.name.lower()
    for tag in ("russia", "belarus", "daisangoku"):
        if tag in name:
            return {"daisangoku": "third"}.get(tag, tag)
    return path.stem


def _blocks(text: str, path: Path) -> list[tuple[int, int, list[str]]]:
    """(entry number, line number, lines) for every numbered entry, in file order."""
    blocks: list[tuple[int, int, list[str]]] = []
    for line_no, raw in enumerate(text.translate(_DIGITS).splitlines(), start=1):
        for piece in _GLUED.split(raw):
            match = _ENTRY.match(piece.strip())
            if match and _JA.search(piece[:60]):
                number = int(match[1])
                expected = blocks[-1][0] + 1 if blocks else 1
                if number == expected:
                    blocks.append((number, line_no, [piece.strip()[match.end() :].strip()]))
                    continue
            if blocks:
                blocks[-1][2].append(piece.strip())
    if not blocks:
        raise ListFormatError(str(path), None, "no numbered entries found")
    return blocks


def _split_aliases(text: str) -> list[str]:
    parts = re.split(r"[;；、]|及び", text)
    cleaned = [re.sub(r"^and\s+", "", p.strip(" .-—–;:、")) for p in parts]
    return [p for p in cleaned if p and p.casefold() != "and"]


def _unclosed(text: str) -> bool:
    """True while a bracket opened in the Japanese name is not closed yet (the name runs onto the next line)."""
    return text.count("（") + text.count("(") > text.count("）") + text.count(")")


@dataclass
class _Entry:
    """The parts of one entry as its lines are read."""

    japanese: str = ""
    english: list[str] = field(default_factory=list)
    ja_aliases: str = ""
    en_aliases: list[str] = field(default_factory=list)
    dash_aliases: list[str] = field(default_factory=list)
    address: list[str] = field(default_factory=list)
    mode: str = "ja"

    def add(self, line: str) -> None:
        """File one line under the right part."""
        if line.startswith("所在地"):
            self.mode = "address"
            line = line.split("：", 1)[-1]
        if self.mode == "address":
            self.address.append(line)
        elif line.startswith("別称"):
            self.mode = "alias"
            self.ja_aliases += line.split("：", 1)[-1]
        elif self.mode == "alias":
            if _JA.search(line) and not line[:1].isascii():
                self.ja_aliases += line
            else:
                self.en_aliases.append(line)
        elif line[:1] in "-—–":
            self.mode = "dash"
            self.dash_aliases.append(line.lstrip("-—– "))
        elif self.mode == "dash" and self.dash_aliases:
            self.dash_aliases[-1] += " " + line
        elif self.mode == "ja" and (not self.japanese or _unclosed(self.japanese) or not line[:1].isascii()):
            self.japanese += line
        else:
            self.mode = "en"
            self.english.append(line)

    def parts(self) -> tuple[list[str], list[str], list[str]]:
        """(names, aliases, address lines)."""
        aliases = _split_aliases(self.ja_aliases) + _split_aliases(" ".join(self.en_aliases))
        aliases += [a for d in self.dash_aliases for a in _split_aliases(d)]
        ja_text = self.japanese
        bracket = re.search(r"[（(]別称[、，,]?(.+)[）)]\s*$", ja_text) or re.search(
            r"[（(]([^（()）]+)[）)]\s*$", ja_text
        )
        if bracket and _JA.search(bracket[1]):
            aliases += _split_aliases(bracket[1])
            ja_text = ja_text[: bracket.start()]
        en_text = " ".join(self.english)
        aka = _AKA.search(en_text)
        if aka:
            aliases += _split_aliases(en_text[aka.end() :])
            en_text = en_text[: aka.start()]
        original = re.search(r"[（(]([^（()）]+)[）)]\s*$", en_text)
        if original and _JA.search(original[1]):
            aliases += _split_aliases(original[1])
            en_text = en_text[: original.start()]
        names = [n.strip(" .,") for n in (en_text, ja_text) if n.strip(" .,")]
        return names, aliases, self.address


def _entry(lines: list[str]) -> tuple[list[str], list[str], list[str]]:
    """(names, aliases, address lines) of one entry."""
    entry = _Entry()
    for raw in (part for line in lines for part in re.split(r"(?<=\S)(?=所在地：)", line)):
        glued = _JA_THEN_EN.match(raw) if entry.mode == "ja" else None
        for line in (glued[1], glued[2]) if glued else (raw,):
            entry.add(line)
    return entry.parts()


def read(path: Path, list_date: dt.date | None = None) -> ListVersion:
    """Every numbered entry of one of the three text files (Russia, Belarus, third countries)."""
    text = read_text(path)
    tag = _tag(path)
    parties = []
    for number, line_no, lines in _blocks(text, path):
        names, aliases, address = _entry(lines)
        if len(names) < 2:
            raise ListFormatError(str(path), line_no, f"entry {number}: expected a Japanese and an English name")
        countries = countries_in(" ".join(address).split(",")[-1]) or countries_in(" ".join(address))
        parties.append(
            Party.build(
                f"{LIST_ID}-{tag}",
                f"{tag}-{number}",
                "Organization",
                names,
                aliases=aliases,
                countries=countries[:3],
                programs=[tag],
                source_row=f"{path.name}:{line_no}",
            )
        )
    date = _DATE.search(text.translate(_DIGITS))
    when = list_date or (dt.date(int(date[1]), int(date[2]), int(date[3])) if date else None)
    return ListVersion(f"{LIST_ID}-{tag}", f"{TITLE}: {tag}", when, path.name, tuple(parties))
