"""The control-list index: every code, pack row, sub-item and entry in SQLite FTS5, with equivalents.

Search order (explained per hit in ``match``): an exact code, CAS number or pack reference first, then
full-text hits ranked by SQLite's bm25 with the column weights below. Latin-script queries use the Porter
stemmed index; queries holding Japanese or Korean use the trigram index (see :mod:`clearance.classify.text`).
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

from clearance.classify.ccl import CclExtract, ccl_extract
from clearance.classify.entries import IndexEntry, code_entries, extra_code_entry, listed_codes, pack_entries, pack_ref
from clearance.classify.equivalents import Equivalence, Equivalent, Missing, build_equivalence
from clearance.classify.numbering import Numbering, numbering
from clearance.classify.terms import Term, Terms, terms
from clearance.classify.text import build_query, fold, has_cjk
from clearance.errors import PackError
from clearance.law.codes import CAS_NUMBER, normalise_code
from clearance.law.regulations import Regulations

#: bm25 weight of each column of the Latin-script index: code, title, aliases (curated names), text.
LATIN_WEIGHTS = (2.0, 4.0, 6.0, 1.0)
#: bm25 weight of each column of the trigram index: local title, aliases (curated names), local text.
CJK_WEIGHTS = (4.0, 6.0, 1.0)

_PACK_REF = re.compile(r"^([a-z][a-z0-9_-]*)\s*[: ]\s*(\S+)$")


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result: the record, how it matched (``code``, ``cas``, ``ref`` or ``text``), its bm25
    score (higher is better; ``None`` for exact matches), a snippet and the refs of its equivalents."""

    ref: str
    kind: str
    systems: tuple[str, ...]
    title: str
    title_local: str
    snippet: str
    match: str
    score: float | None
    equivalents: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SearchResult:
    """The hits for a query, the FTS5 expression run and which index it ran on, and notes for the reader."""

    query: str
    as_of: dt.date
    expression: str | None
    index: str | None
    hits: tuple[Hit, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TermLink:
    """A curated term attached to a record (search vocabulary, not a legal concordance)."""

    id: str
    label: str
    names: tuple[str, ...]
    note: str | None


@dataclass(slots=True)
class Attached:
    """Curated names, CAS numbers and terms attached to one record (search vocabulary)."""

    aliases: list[str] = field(default_factory=list)
    cas: list[str] = field(default_factory=list)
    terms: list[TermLink] = field(default_factory=list)


class ControlIndex:
    """Records by ref, their equivalents and curated terms, and a full-text index over them (in memory)."""

    def __init__(
        self,
        entries: Mapping[str, IndexEntry],
        equivalence: Equivalence,
        attached: Mapping[str, Attached],
        as_of: dt.date,
        numbering: Numbering,
        terms: Terms,
    ) -> None:
        self.entries = dict(entries)
        self.equivalence = equivalence
        self.as_of = as_of
        self.numbering = numbering
        self.terms = terms
        self.packs = equivalence.systems
        self._attached = dict(attached)
        self._rowid = {ref: i for i, ref in enumerate(self.entries, start=1)}
        self._refs = list(self.entries)
        self._by_cas: dict[str, list[str]] = {}
        for ref, entry in self.entries.items():
            for cas in (*entry.cas, *self.attached(ref).cas):
                if ref not in self._by_cas.setdefault(cas, []):
                    self._by_cas[cas].append(ref)
        self.db = sqlite3.connect(":memory:", check_same_thread=False)  # read-only once filled
        self._fill()

    def attached(self, ref: str) -> Attached:
        """The curated aliases, CAS numbers and terms attached to a record."""
        return self._attached.get(ref, Attached())

    def _fill(self) -> None:
        db = self.db
        db.execute(
            "CREATE VIRTUAL TABLE latin USING fts5(code, title, aliases, text,"
            " tokenize='porter unicode61 remove_diacritics 2')"
        )
        db.execute("CREATE VIRTUAL TABLE cjk USING fts5(title_local, aliases_local, text_local, tokenize='trigram')")
        latin, cjk = [], []
        for ref, entry in self.entries.items():
            rowid = self._rowid[ref]
            names = self.attached(ref).aliases
            local_names = [fold(n) for n in names if has_cjk(n)]
            latin_names = [n for n in names if not has_cjk(n)]
            latin.append((rowid, entry.code, entry.title, " | ".join(latin_names), entry.text))
            if entry.title_local or entry.text_local or local_names:
                cjk.append((rowid, fold(entry.title_local), " | ".join(local_names), fold(entry.text_local)))
        db.executemany("INSERT INTO latin(rowid, code, title, aliases, text) VALUES (?, ?, ?, ?, ?)", latin)
        db.executemany("INSERT INTO cjk(rowid, title_local, aliases_local, text_local) VALUES (?, ?, ?, ?)", cjk)
        for table, weights in (("latin", LATIN_WEIGHTS), ("cjk", CJK_WEIGHTS)):
            rank = f"bm25({', '.join(map(str, weights))})"
            db.execute(f"INSERT INTO {table}({table}, rank) VALUES ('rank', ?)", (rank,))
        db.commit()

    # -- lookups -------------------------------------------------------------------------------------------

    def get(self, ref: str) -> IndexEntry | None:
        """The record of a ref, if indexed."""
        return self.entries.get(ref)

    def resolve(self, text: str) -> str | None:
        """The ref a user means: a code (or its nearest indexed ancestor), ``jp:7(19)`` / ``jp 7(19)``,
        ``us:3C002`` / ``wa:3C002``."""
        raw = text.strip()
        match = _PACK_REF.match(raw)
        if match and match.group(1) in ("us", "wa"):
            raw = match.group(2)
        elif match:
            ref = pack_ref(match.group(1), match.group(2))
            return ref if ref in self.entries else None
        try:
            code = normalise_code(raw)
        except ValueError:
            return None
        parts = code.split(".")
        for n in range(len(parts), 0, -1):
            candidate = ".".join(parts[:n])
            if candidate in self.entries:
                return candidate
        return None

    def equivalents(self, ref: str) -> list[Equivalent]:
        """Links of ``ref`` to other numbering systems, including those inherited from its parent codes."""
        return self.equivalence.of(ref)

    def missing(self, ref: str) -> list[Missing]:
        """Numbering systems in which ``ref`` has no equivalent, with the reason."""
        return self.equivalence.missing(ref, self.numbering)

    def children(self, ref: str) -> list[str]:
        """Refs whose parent is ``ref``, in index order."""
        return [r for r, e in self.entries.items() if e.parent == ref]

    # -- search --------------------------------------------------------------------------------------------

    def search(self, query: str, limit: int = 10, systems: Collection[str] | None = None) -> SearchResult:
        """Records matching ``query``: exact code / CAS / ref matches first, then bm25-ranked text hits."""
        wanted = set(systems) if systems else None

        def keep(ref: str) -> bool:
            return wanted is None or bool(wanted & set(self.entries[ref].systems))

        hits: list[Hit] = []
        seen: set[str] = set()
        for ref, how in self._exact(query):
            if ref not in seen and keep(ref):
                hits.append(self._hit(ref, how, None, ""))
                seen.add(ref)
        fts = build_query(query, phrase_only=bool(hits))
        notes: list[str] = []
        short = fts.dropped if fts is not None else tuple(t for t in query.split() if has_cjk(t))
        if short:
            notes.append(
                f"{', '.join(short)}: Japanese and Korean words under 3 characters are matched only inside the"
                " whole phrase (trigram index)"
            )
        if fts is None and not hits:
            notes.append("nothing searchable in the query")
        if fts is not None and len(hits) < limit:
            for ref, score, snippet in self._fts(fts.expression, fts.index, None if wanted else limit + len(seen)):
                if len(hits) >= limit:
                    break
                if ref not in seen and keep(ref):
                    hits.append(self._hit(ref, "text", score, snippet))
                    seen.add(ref)
        return SearchResult(
            query,
            self.as_of,
            fts.expression if fts else None,
            fts.index if fts else None,
            tuple(hits[:limit]),
            tuple(notes),
        )

    def _exact(self, query: str) -> list[tuple[str, str]]:
        text = query.strip()
        if CAS_NUMBER.match(text):
            return [(ref, "cas") for ref in self._by_cas.get(text, [])]
        ref = self.resolve(text)
        if ref is None:
            return []
        return [(ref, "ref" if self.entries[ref].pack else "code")]

    def _fts(self, expression: str, index: str, limit: int | None) -> Iterable[tuple[str, float, str]]:
        # ORDER BY rank (bm25 with the column weights, configured in _fill) lets FTS5 sort before SQLite
        # asks for snippets, so only the rows returned pay for them.
        text, title, aliases = (3, 1, 2) if index == "latin" else (2, 0, 1)
        snippets = ", ".join(f"snippet({index}, {c}, '[', ']', '…', 12)" for c in (text, title, aliases))
        sql = f"SELECT rowid, rank, {snippets} FROM {index} WHERE {index} MATCH ? ORDER BY rank, rowid"
        params: tuple[object, ...] = (expression,)
        if limit is not None:
            sql += " LIMIT ?"
            params = (expression, limit)
        for rowid, score, in_text, in_title, in_aliases in self.db.execute(sql, params):
            yield self._refs[rowid - 1], -float(score), _snippet(in_text, in_title, in_aliases)

    def _hit(self, ref: str, match: str, score: float | None, snippet: str) -> Hit:
        entry = self.entries[ref]
        title = entry.title or entry.title_local or (entry.text or entry.text_local).split("\n")[0][:100]
        if not snippet:
            snippet = (entry.text or entry.text_local).split("\n")[0][:160]
        equivalents = tuple(dict.fromkeys(e.ref for e in self.equivalents(ref)))
        return Hit(
            ref,
            entry.kind,
            entry.systems,
            title,
            entry.title_local,
            snippet,
            match,
            round(score, 4) if score is not None else None,
            equivalents,
        )


def _snippet(in_text: str, in_title: str, in_aliases: str) -> str:
    """The most telling snippet: matched text, else matched title, else the curated names that matched."""
    for found in (in_text, in_title):
        if "[" in found:
            return found
    names = [n for n in in_aliases.split(" | ") if "[" in n]
    return "curated name: " + "; ".join(names) if names else ""


def _attach(
    vocabulary: Terms,
    entries: Mapping[str, IndexEntry],
    packs: Mapping[str, Regulations],
    as_of: dt.date,
) -> dict[str, Attached]:
    """Curated names (and CAS numbers) on the records each term targets; unknown targets are data errors."""
    out: dict[str, Attached] = {}

    def add(ref: str, tid: str, term: Term) -> None:
        found = out.setdefault(ref, Attached())
        found.aliases += [n for n in term.names.all() if n not in found.aliases]
        found.cas += [c for c in term.cas if c not in found.cas]
        found.terms.append(TermLink(tid, term.label, tuple(term.names.all()), term.note))

    for tid, term in vocabulary.terms.items():
        for i, code in enumerate(term.codes):
            if code not in entries:
                raise PackError("terms.yaml", f"terms.{tid}.codes[{i}]", f"unknown code {code!r} (not in the index)")
            add(code, tid, term)
        for pack, ids in term.entries.items():
            if pack not in packs:
                continue
            for i, oid in enumerate(ids):
                ref = pack_ref(pack, oid)
                if ref not in entries:
                    raise PackError(
                        "terms.yaml", f"terms.{tid}.entries.{pack}[{i}]", f"the {pack} pack has no row or entry {oid!r}"
                    )
                add(ref, tid, term)
        if term.listed:
            continue
        for pack, regs in packs.items():
            snap = regs.at(as_of)
            for hs in term.hs:
                found = snap.classify(None, hs)
                if found.how in ("hs", "residual") and found.row is not None:
                    add(pack_ref(pack, found.row), tid, term)
    return out


def build_index(
    packs: Mapping[str, Regulations],
    as_of: dt.date,
    vocabulary: Terms | None = None,
    extract: CclExtract | None = None,
) -> ControlIndex:
    """Build the index of the packs' control lists in force on ``as_of`` and the CCL extract."""
    extract = extract or ccl_extract()
    numbers = numbering()
    vocabulary = vocabulary or terms()
    entries = code_entries(extract, numbers)
    for regs in packs.values():
        for codes in listed_codes(regs, as_of).values():
            for code in codes:
                if code not in entries:
                    parent = code.rsplit(".", 1)[0] if "." in code else None
                    entries[code] = extra_code_entry(code, extract, numbers, parent if parent in entries else None)
    for regs in packs.values():
        entries.update(pack_entries(regs, as_of))
    equivalence = build_equivalence(entries, packs, as_of)
    attached = _attach(vocabulary, entries, packs, as_of)
    return ControlIndex(entries, equivalence, attached, as_of, numbers, vocabulary)
