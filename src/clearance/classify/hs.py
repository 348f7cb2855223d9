"""HS codes: is a code inside a pack's catch-all chapters (read from the pack), and hints from the terms.

The catch-all scope is the pack's own data: the rows defined by HS chapters (``hs_chapters``) in force on
the date asked about, or a residual row that takes every item no other row covers (``classify`` says which).
Hints are the curated terms whose usual HS headings match the code; they are labelled as hints because an
HS heading never decides whether goods are list-controlled.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from clearance.classify.entries import Cited, pack_ref
from clearance.classify.terms import Terms, terms
from clearance.errors import InputError
from clearance.law.codes import hs_digits
from clearance.law.regulations import Regulations

_HS = re.compile(r"^\d{2}(?:\d{2}(?:\d{2}(?:\d{2,4})?)?)?$")

#: Printed with every list of hints.
HINT_NOTICE = (
    "Hints, not classifications: goods often declared under this HS heading that can be list-controlled "
    "(or that are known not to be). The HS code never decides control status; classify by the goods' "
    "technical parameters against the entry text."
)


@dataclass(frozen=True, slots=True)
class HsHint:
    """A curated term whose usual HS headings match the code, and the entries it points to."""

    term: str
    label: str
    hs: tuple[str, ...]
    codes: tuple[str, ...]
    entries: tuple[str, ...]
    listed: bool
    note: str | None


@dataclass(frozen=True, slots=True)
class HsAnswer:
    """Whether an HS code is inside a pack's catch-all chapters on a date, with the row, its sources, hints."""

    hs_code: str
    regime: str
    as_of: dt.date
    chapter: str
    in_catch_all: bool
    row: str | None
    row_label: str | None
    chapters: str
    citations: tuple[Cited, ...]
    verified: bool
    hints: tuple[HsHint, ...]
    notice: str = HINT_NOTICE
    candidates: tuple[str, ...] = ()
    needs: str | None = None


def chapter_ranges(chapters: set[str] | frozenset[str]) -> str:
    """``{"25", …, "40", "63"}`` as ``25-40, 63``."""
    numbers = sorted(int(c) for c in chapters)
    spans: list[str] = []
    start = prev = None
    for n in [*numbers, None]:
        if n is not None and prev is not None and n == prev + 1:
            prev = n
            continue
        if start is not None and prev is not None:
            spans.append(f"{start:02d}" if start == prev else f"{start:02d}-{prev:02d}")
        start = prev = n
    return ", ".join(spans)


def hs_hints(hs_code: str, vocabulary: Terms | None = None, packs: tuple[str, ...] = ()) -> list[HsHint]:
    """Terms with a usual HS heading that contains the code or is contained in it (4 digits at least)."""
    digits = hs_digits(hs_code)
    out = []
    for tid, term in (vocabulary or terms()).terms.items():
        matches = [h for h in term.hs if (d := hs_digits(h)).startswith(digits[:6]) or digits.startswith(d)]
        if len(digits) < 4 or not matches:
            continue
        entries = tuple(pack_ref(p, oid) for p, ids in term.entries.items() if not packs or p in packs for oid in ids)
        out.append(HsHint(tid, term.label, tuple(matches), tuple(term.codes), entries, term.listed, term.note))
    return out


def check_hs(regs: Regulations, hs_code: str, as_of: dt.date, vocabulary: Terms | None = None) -> HsAnswer:
    """Whether ``hs_code`` falls in a catch-all row of ``regs`` on ``as_of``, with hints from the terms."""
    digits = hs_digits(hs_code)
    if not _HS.match(digits):
        raise InputError("hs_code", f"{hs_code!r} is not an HS code like 8479.89")
    snap = regs.at(as_of)
    rows = snap.catch_all_rows()
    covered: set[str] = set()
    for rid in rows:
        covered |= regs.hs_chapters(rid, snap.active["rows"][rid].version.effective)
    found = snap.classify(None, digits)
    row = found.row if found.how in ("hs", "residual") else None
    scope = chapter_ranges(covered)
    if found.how == "residual" and found.row is not None:
        scope = ", ".join(filter(None, [scope, f"every item no other row covers ({pack_ref(regs.id, found.row)})"]))
    cited: tuple[Cited, ...] = ()
    verified = True
    label = None
    if row is not None or rows:
        active = snap.active["rows"][row or rows[0]]
        label = active.obj.model.label if row else None
        verified = active.value.verified
        cited = tuple(
            Cited(sid, regs.sources[sid].title, regs.sources[sid].provision, regs.sources[sid].url, None)
            for sid in active.value.sources
        )
    # a heading the pack leaves open between rows (88.07: parts of 8802.60 or 88.06 goods only): in scope, part open
    candidates = tuple(pack_ref(regs.id, c) for c in found.candidates) if found.how == "hs-undecided" else ()
    return HsAnswer(
        hs_code=hs_code,
        regime=regs.id,
        as_of=as_of,
        chapter=digits[:2],
        in_catch_all=row is not None or bool(candidates),
        row=pack_ref(regs.id, row) if row else None,
        row_label=label,
        chapters=scope,
        citations=cited,
        verified=verified,
        hints=tuple(hs_hints(hs_code, vocabulary, (regs.id,))),
        candidates=candidates,
        needs=found.needs if candidates else None,
    )
