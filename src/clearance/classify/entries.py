"""The records of the control-list index: one per code, code paragraph, pack row, sub-item and pack entry.

Codes (``3C002``, ``3C002.a.2``) come from the bundled US CCL extract and from the codes the packs' explicit
entries list; they carry the numbering systems that use them (``wa``, ``us``). Pack records (``jp:7``,
``jp:7(19)``) come from each pack's rows and explicit entries in force on the index date, with the rows'
official text split into sub-items.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

from clearance.classify.ccl import CclExtract, cas_numbers
from clearance.classify.numbering import US, WA, Numbering
from clearance.classify.subitems import split_row_text
from clearance.law.codes import normalise_code
from clearance.law.regulations import Regulations

Kind = Literal["eccn", "paragraph", "row", "sub_item", "entry"]


@dataclass(frozen=True, slots=True)
class Cited:
    """A source an index record rests on."""

    id: str
    title: str
    provision: str | None
    url: str | None
    date: str | None


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """One record of the index: a code or a pack's row, sub-item or entry, with its text and sources.

    ``ref`` is the code itself for codes and ``<pack>:<id>`` for pack records; ``systems`` are the numbering
    systems that use the ref (``wa``/``us`` for codes, the pack id for pack records).
    """

    ref: str
    kind: Kind
    code: str
    pack: str | None
    systems: tuple[str, ...]
    parent: str | None
    title: str
    title_local: str
    text: str
    text_local: str
    regime: str | None
    reasons: str | None
    cas: tuple[str, ...]
    citations: tuple[Cited, ...]
    notes: tuple[str, ...]
    verified: bool


def pack_ref(pack: str, oid: str) -> str:
    """The ref of a pack record (``jp:7(19)``)."""
    return f"{pack}:{oid}"


def parent_code(code: str, known: Mapping[str, Any]) -> str | None:
    """The nearest ancestor of a code that is in ``known`` (``3C002.a.2`` → ``3C002.a`` or ``3C002``)."""
    parts = code.split(".")
    for n in range(len(parts) - 1, 0, -1):
        candidate = ".".join(parts[:n])
        if candidate in known:
            return candidate
    return None


def _ccl_cite(numbering: Numbering, extract: CclExtract, code: str) -> Cited:
    src = numbering.sources["us_ccl"]
    return Cited("us_ccl", src.title, f"ECCN {code}", src.url, extract.issue or None)


def _code_entry(numbering: Numbering, extract: CclExtract, code: str, **fields: Any) -> IndexEntry:
    series = numbering.series_of(code)
    in_ccl = code.split(".")[0] in extract.entries
    systems = tuple(s for s, ok in ((WA, numbering.multilateral(code) or not in_ccl), (US, in_ccl)) if ok)
    notes = [f"{c}: {d.note}" + ("" if d.verified else " [unverified]") for c, d in numbering.divergences_of(code)]
    if not in_ccl:
        notes.append("Not in the bundled US CCL extract: no US text is shown (the US may still list it).")
    base: dict[str, Any] = {
        "ref": code,
        "code": code,
        "pack": None,
        "systems": systems,
        "title": "",
        "title_local": "",
        "text": "",
        "text_local": "",
        "regime": series.regime if series else None,
        "reasons": None,
        "cas": (),
        "citations": (_ccl_cite(numbering, extract, code),) if in_ccl else (),
        "notes": tuple(notes),
        "verified": True,
    }
    base.update(fields)
    return IndexEntry(**base)


def code_entries(extract: CclExtract, numbering: Numbering) -> dict[str, IndexEntry]:
    """A record per ECCN of the extract and per item paragraph, parents before children."""
    out: dict[str, IndexEntry] = {}
    for eccn, item in extract.entries.items():
        out[eccn] = _code_entry(
            numbering,
            extract,
            eccn,
            kind="eccn",
            parent=None,
            title=item.heading,
            text=item.notes,
            reasons=item.reasons,
            cas=tuple(dict.fromkeys(cas_numbers(item.notes))),
        )
        for path, text in item.paragraphs:
            code = f"{eccn}.{path}"
            out[code] = _code_entry(
                numbering,
                extract,
                code,
                kind="paragraph",
                parent=parent_code(code, out) or eccn,
                text=text,
                reasons=item.reasons,
                cas=tuple(dict.fromkeys(cas_numbers(text))),
            )
    return out


def _cites(regs: Regulations, sources: list[str]) -> tuple[Cited, ...]:
    out = []
    for sid in sources:
        src = regs.sources[sid]
        out.append(Cited(sid, src.title, src.provision, src.url, src.date.isoformat() if src.date else None))
    return tuple(out)


def _value_notes(value: Any) -> list[str]:
    notes = [n for n in (value.note, value.caveat) if n]
    if not value.verified:
        notes.append("Not verified against a primary legal text (verified: false).")
    return notes


def pack_entries(regs: Regulations, as_of: dt.date) -> dict[str, IndexEntry]:
    """A record per row in force on ``as_of``, per sub-item of its official text, and per explicit entry."""
    snap = regs.at(as_of)
    pack = regs.id
    out: dict[str, IndexEntry] = {}
    for rid, active in snap.active["rows"].items():
        model, value = active.obj.model, active.value
        lead, items = split_row_text(rid, model.text_local)
        row_ref = pack_ref(pack, rid)
        row = IndexEntry(
            ref=row_ref,
            kind="row",
            code=rid,
            pack=pack,
            systems=(pack,),
            parent=None,
            title=model.label,
            title_local=model.label_local or "",
            text="",
            text_local=lead,
            regime=model.regime,
            reasons=None,
            cas=(),
            citations=_cites(regs, value.sources),
            notes=tuple(_value_notes(value)),
            verified=value.verified,
        )
        out[row_ref] = row
        for sub in items:
            ref = pack_ref(pack, sub.id)
            out[ref] = replace(
                row,
                ref=ref,
                kind="sub_item",
                code=sub.id,
                parent=row_ref,
                title="",
                title_local="",
                text_local=sub.text,
            )
    for eid, active in snap.active["entries"].items():
        model, value = active.obj.model, active.value
        ref = pack_ref(pack, eid)
        row_ref = pack_ref(pack, model.row)
        base = out.get(ref)
        official = base.text_local if base is not None and base.text_local else model.text_local
        local = "\n".join(dict.fromkeys(t for t in (model.label_local, official) if t))
        out[ref] = IndexEntry(
            ref=ref,
            kind="sub_item" if base is not None else "entry",
            code=eid,
            pack=pack,
            systems=(pack,),
            parent=row_ref if row_ref in out else None,
            title=model.label,
            title_local=model.label_local or "",
            text="",
            text_local=local,
            regime=out[row_ref].regime if row_ref in out else None,
            reasons=None,
            cas=tuple(value.cas),
            citations=_cites(regs, value.sources),
            notes=tuple(_value_notes(value)),
            verified=value.verified,
        )
    return out


def listed_codes(regs: Regulations, as_of: dt.date) -> dict[str, list[str]]:
    """The codes each explicit entry in force on ``as_of`` lists (normalised), by pack ref."""
    snap = regs.at(as_of)
    return {
        pack_ref(regs.id, eid): [normalise_code(c) for c in active.value.codes]
        for eid, active in snap.active["entries"].items()
    }


def extra_code_entry(code: str, extract: CclExtract, numbering: Numbering, parent: str | None) -> IndexEntry:
    """A record for a code a pack lists that the CCL extract does not have (e.g. 2B352)."""
    return _code_entry(numbering, extract, code, kind="paragraph" if "." in code else "eccn", parent=parent)
