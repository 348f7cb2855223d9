"""The Goods Ordinance (貨物等省令) as data: its clauses by number path, in the version in force on a date.

Each version is a folder ``regulations/jp/goods_ordinance/<in force>/`` written by
``scripts/import_goods_ordinance.py`` from the e-Gov text (``version.yaml`` and one file per article, read only
when a clause of that article is asked for); an earlier version imported from an XML excerpt (``sources/``) holds
only the clauses the excerpt holds. ``revisions.yaml`` lists every version since 2017: on a date whose version is
not bundled, or does not hold the clause, a clause is "not bundled", never another version's text.
``concordance.yaml`` says which Appended Table 1 sub-item an item specifies where its paragraph names only the
row. A clause comes back with its in-force date, the version it is read from and the pack entry it specifies
(``7(19)``), so ``classify show`` and assessments cite it exactly.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from clearance.errors import InputError, PackError
from clearance.law.ordinance_text import Clause
from clearance.law.yamlio import read_yaml

ROOT = Path(__file__).resolve().parent.parent / "regulations" / "jp" / "goods_ordinance"
_CLAUSE_REF = re.compile(r"^(?:jp:)?(?:(?:art\.?|article)?\s*(\d.*)|appended\s*table\s*(\d+))$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Version:
    """One imported version of the ordinance."""

    in_force: dt.date
    law_id: str
    amended_by: str
    source_file: str
    source_sha256: str
    articles: tuple[str, ...]
    eo_rows: dict[str, tuple[str, ...]]
    folder: Path
    excerpt: bool = False

    @property
    def url(self) -> str:
        """The e-Gov page of the law as in force on this version's date."""
        return f"https://laws.e-gov.go.jp/law/{self.law_id}/{self.in_force.strftime('%Y%m%d')}"


@dataclass(frozen=True, slots=True)
class OrdinanceClause:
    """A clause with where it comes from: the version in force, and the pack entry (``7(19)``) it specifies.

    ``entry_verified`` is false where the entry comes from the curated concordance rather than the clause's own
    paragraph; ``earlier`` is true when the date asked about precedes the oldest bundled version (the text shown
    is then that version's, which may differ from the law in force on the date).
    """

    clause: Clause
    version: Version
    entry: str | None
    entry_verified: bool
    earlier: bool

    @property
    def id(self) -> str:
        return self.clause.id

    @property
    def label(self) -> str:
        return self.clause.label

    @property
    def text(self) -> str:
        return self.clause.text

    def citation(self) -> dict[str, Any]:
        """The clause as a citation: source id, pinpoint, in-force date, URL."""
        return {
            "source": "kamotsu_ordinance",
            "provision": self.clause.label,
            "in_force": self.version.in_force.isoformat(),
            "url": self.version.url,
            "verified": self.entry_verified,
        }


def _clause(cid: str, raw: dict[str, Any]) -> Clause:
    return Clause(
        cid,
        raw["label"],
        raw["kind"],
        tuple(raw["numbers"]),
        raw.get("parent"),
        raw.get("text", ""),
        raw.get("caption"),
        raw.get("table"),
        raw.get("row"),
    )


def _under(cid: str, prefix: str) -> bool:
    """Whether clause ``cid`` lies under clause ``prefix`` (``6(1)(xix)イ`` under ``6(1)(xix)``, not ``6(1)(x)``)."""
    return cid.startswith(prefix) and re.match(r"[a-z0-9\-]", cid[len(prefix)]) is None


def clause_id(text: str) -> str:
    """``Art. 6(1)(xix) イ (二)``, ``jp:art6(1)(xix)イ（二）`` → ``6(1)(xix)イ(二)``; ``Appended Table 3`` → ``AT3``."""
    found = _CLAUSE_REF.match(text.strip().replace("（", "(").replace("）", ")"))
    if not found:
        raise InputError("ref", f"{text!r} is not a clause of the Goods Ordinance (e.g. Art. 6(1)(xix))")
    if found.group(2):
        return f"AT{found.group(2)}"
    return re.sub(r"\s+", "", found.group(1))


class GoodsOrdinance:
    """The bundled versions of the ordinance and the concordance of its items with Appended Table 1."""

    def __init__(self, root: Path = ROOT) -> None:
        self.root = root
        versions = []
        for folder in sorted(p for p in root.iterdir() if (p / "version.yaml").exists()):
            raw = read_yaml(folder / "version.yaml", f"goods_ordinance/{folder.name}/version.yaml")
            versions.append(
                Version(
                    dt.date.fromisoformat(raw["in_force"]),
                    raw["law_id"],
                    raw["amended_by"],
                    raw["source_file"],
                    raw["source_sha256"],
                    tuple(raw["articles"]),
                    {row: tuple(a) for row, a in raw["eo_rows"].items()},
                    folder,
                    bool(raw.get("excerpt", False)),
                )
            )
        if not versions:
            raise PackError(f"{root}", "", "no version of the Goods Ordinance is bundled")
        self.versions = tuple(versions)
        listed = read_yaml(root / "revisions.yaml", "goods_ordinance/revisions.yaml")["versions"]
        self.revisions = tuple((dt.date.fromisoformat(r["in_force"]), str(r["amended_by"])) for r in listed)
        unlisted = {v.in_force for v in versions} - {day for day, _ in self.revisions}
        if unlisted:
            raise PackError("goods_ordinance/revisions.yaml", "versions", f"bundled but not listed: {sorted(unlisted)}")
        concordance = read_yaml(root / "concordance.yaml", "goods_ordinance/concordance.yaml")
        self.concordance: dict[str, str] = dict(concordance["items"])
        self._articles: dict[tuple[dt.date, str], dict[str, Clause]] = {}

    @cached_property
    def data_version(self) -> str:
        """A content hash of every bundled version and the concordance."""
        digest = hashlib.sha256()
        for path in sorted(self.root.rglob("*.yaml")):
            digest.update(path.relative_to(self.root).as_posix().encode())
            digest.update(path.read_bytes())
        return f"goods-ordinance-{digest.hexdigest()[:16]}"

    def version_on(self, when: dt.date) -> tuple[Version, bool]:
        """The newest bundled version on or before ``when`` (and whether ``when`` precedes every bundled version);
        :meth:`gap` says whether it is the version in force."""
        found = [v for v in self.versions if v.in_force <= when]
        return (found[-1], False) if found else (self.versions[0], True)

    def gap(self, when: dt.date) -> str | None:
        """Why the text in force on ``when`` is not bundled (the listed version in force is not a bundled one), or
        ``None`` (before the first listed version the oldest bundled text is shown, said ``earlier``)."""
        listed = [r for r in self.revisions if r[0] <= when]
        version, earlier = self.version_on(when)
        if not listed or (not earlier and listed[-1][0] == version.in_force):
            return None
        day, act = listed[-1]
        return f"the Goods Ordinance in force on {when} is the version of {day} ({act}), whose text is not bundled"

    def missing(self, ref: str, when: dt.date) -> str | None:
        """Why clause ``ref`` as in force on ``when`` is not bundled, or ``None`` when it is."""
        try:
            self.clause(ref, when)
        except InputError as exc:
            return exc.message
        return None

    def reading(self, ref: str, version: Version) -> dict[str, str] | None:
        """The texts a sheet reads for clause ``ref`` in ``version``: the clause, every clause under it and the
        clauses above it, by id (``None`` when the version does not hold the clause)."""
        cid = clause_id(ref)
        article = cid.split("(")[0]
        if article not in version.articles or cid not in self._article(version, article):
            return None
        item = OrdinanceClause(self._article(version, article)[cid], version, None, False, False)
        held = [c for _, c in self.tree(item)] + self.ancestors(item)
        return {c.id: c.text for c in held}

    def _article(self, version: Version, article: str) -> dict[str, Clause]:
        key = (version.in_force, article)
        if key not in self._articles:
            path = version.folder / f"{article}.yaml"
            raw = read_yaml(path, f"goods_ordinance/{version.folder.name}/{article}.yaml")
            self._articles[key] = {cid: _clause(cid, c) for cid, c in raw["clauses"].items()}
        return self._articles[key]

    def _entry(self, clause: Clause) -> tuple[str | None, bool]:
        if clause.table != "eo":
            return None, False
        within = [k for k in self.concordance if clause.id == k or _under(clause.id, k)]
        if within:
            return self.concordance[max(within, key=len)], False
        return clause.row, True

    def clause(self, ref: str, when: dt.date) -> OrdinanceClause:
        """The clause ``ref`` in the version in force on ``when``; :class:`InputError` on ``ref`` if there is none."""
        cid = clause_id(ref)
        version, earlier = self.version_on(when)
        gap = self.gap(when)
        if gap:
            raise InputError("ref", f"{ref!r}: {gap}")
        article = cid.split("(")[0]
        found = self._article(version, article).get(cid) if article in version.articles else None
        if found is None and version.excerpt:
            raise InputError(
                "ref", f"{ref!r} is not among the clauses bundled from the Goods Ordinance of {version.in_force}"
            )
        if article not in version.articles:
            raise InputError("ref", f"{ref!r}: the Goods Ordinance ({version.in_force}) has no article {article}")
        if found is None:
            raise InputError("ref", f"{ref!r}: no such clause in Art. {article} of the Goods Ordinance")
        entry, verified = self._entry(found)
        return OrdinanceClause(found, version, entry, verified, earlier)

    def children(self, item: OrdinanceClause) -> Iterator[OrdinanceClause]:
        """The clauses directly under ``item``, in order."""
        for clause in self._article(item.version, item.id.split("(")[0]).values():
            if clause.parent == item.id:
                entry, verified = self._entry(clause)
                yield OrdinanceClause(clause, item.version, entry, verified, item.earlier)

    def ancestors(self, item: OrdinanceClause) -> list[OrdinanceClause]:
        """The clauses above ``item`` from the article down (whose lead text ``item`` completes)."""
        article = self._article(item.version, item.id.split("(")[0])
        out: list[OrdinanceClause] = []
        parent = item.clause.parent
        while parent is not None:
            clause = article[parent]
            entry, verified = self._entry(clause)
            out.insert(0, OrdinanceClause(clause, item.version, entry, verified, item.earlier))
            parent = clause.parent
        return out

    def tree(self, item: OrdinanceClause) -> list[tuple[int, OrdinanceClause]]:
        """``item`` and every clause under it, in order, with their depth below ``item``."""
        out = [(0, item)]
        for child in self.children(item):
            out += [(depth + 1, c) for depth, c in self.tree(child)]
        return out

    def specifying(self, entry: str, when: dt.date) -> list[OrdinanceClause]:
        """The items (or paragraphs) of the version in force on ``when`` that specify the pack entry ``entry``
        (``7(19)``, or a row ``7``): the clauses to read for it."""
        version, earlier = self.version_on(when)
        out: list[OrdinanceClause] = []
        if self.gap(when):
            return out
        for article in version.eo_rows.get(entry.split("(")[0], ()):
            for clause in self._article(version, article).values():
                if clause.kind == "article" or clause.table != "eo":
                    continue
                mapped, verified = self._entry(clause)
                parent_mapped = self._entry_of_parent(version, clause)
                if mapped == entry and parent_mapped != entry:
                    out.append(OrdinanceClause(clause, version, mapped, verified, earlier))
        return out

    def _entry_of_parent(self, version: Version, clause: Clause) -> str | None:
        if clause.parent is None:
            return None
        parent = self._article(version, clause.id.split("(")[0]).get(clause.parent)
        return self._entry(parent)[0] if parent is not None and parent.kind != "article" else None
