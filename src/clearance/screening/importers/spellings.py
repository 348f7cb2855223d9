"""A name followed by its spelling in another script in brackets ("ボジゼ・ヤングボンダ（Bozize Yangouvonda）",
"Jin Tiesan (金铁三)"): two names, split where the bracket opens."""

from __future__ import annotations

import unicodedata

_OPEN, _CLOSE = "(（", ")）"


def _scripts(text: str) -> set[str]:
    """'latin' and/or 'other' for the letters of ``text`` (full-width Latin letters are Latin)."""
    return {"latin" if "LATIN" in unicodedata.name(ch, "") else "other" for ch in text if ch.isalpha()}


def _final_group(text: str) -> tuple[int, int] | None:
    """Where the bracket group that ends ``text`` opens and closes (its end when never closed), or None."""
    depth, start, closed = 0, -1, -1
    for i, ch in enumerate(text):
        if ch in _OPEN:
            if depth == 0:
                start = i
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
            if depth == 0:
                closed = i
    if depth:
        return start, len(text)
    if start >= 0 and closed == len(text.rstrip()) - 1:
        return start, closed
    return None


def split_spellings(text: str) -> list[str]:
    """``text`` as two names (or more) when it ends with a bracket (closed or not) whose letters are all Latin
    after a name with letters of another script, or all of another script after a Latin name; else ``[text]``
    unchanged. A bracket in the same script ("アブ・アフマド（戦闘員名）", "Abu Ahmad (nom de guerre)") or mixing
    scripts is a note or part of the name, and ・ and / never split."""
    group = _final_group(text)
    if group is None:
        return [text]
    name, spelling = text[: group[0]].strip(), text[group[0] + 1 : group[1]].strip()
    outer, inner = _scripts(name), _scripts(spelling)
    if ("other" in outer and inner == {"latin"}) or (outer == {"latin"} and inner == {"other"}):
        # "神の抵抗運動（Lord’s Resistance Movement）（LRM）": the name before may end with a spelling of its own.
        return [*split_spellings(name), spelling]
    return [text]
