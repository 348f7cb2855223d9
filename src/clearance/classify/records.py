"""What a recorded classification does after the assessment: it enters the product catalogue once approved (so
``determine`` with ``item.product`` reads and cites it), and it is re-checked when the law changes.

Both work on plain data (the request and assessment as recorded, see :mod:`clearance.store.classifications`),
so this module needs no database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clearance.classify.assess import Assessor, parse_request
from clearance.classify.catalogue import Catalogue, Product, ProductClassification
from clearance.classify.tabular import load_catalogue, write_catalogue
from clearance.classify.views import assessment_view
from clearance.errors import InputError
from clearance.law.regulations import Regulations


def catalogue_classification(
    assessment: Mapping[str, Any], record: Mapping[str, Any], regulations: Regulations
) -> ProductClassification:
    """The catalogue's classification of the product under the assessment's regime: listed with the entry's
    control code (the pack's concordance, e.g. ``1C350`` for ``3(1)``) or not listed; the evidence names the
    certificate, the clause and the law's version. :class:`InputError` for an undecided assessment."""
    verdict = assessment["verdict"]
    if verdict == "undecided":
        raise InputError("verdict", "an undecided classification cannot enter the catalogue")
    when = dt.date.fromisoformat(assessment["date"])
    listed = [e for e in assessment["entries"] if e["verdict"] == "listed"]
    code, entry = None, None
    if listed:
        entry = listed[0]["ref"].split(":", 1)[1]
        active = regulations.at(when).active["entries"].get(entry)
        codes = list(active.value.codes) if active is not None else []
        code = codes[0] if codes else None
        if code is None:
            raise InputError("entry", f"the pack gives no control code for {listed[0]['ref']} on {when}")
    clauses = ", ".join(e["clause"] for e in listed if e["clause"]) or "no entry caught"
    evidence = (
        f"該非判定書 {record['id']}: {verdict}"
        + (f" {', '.join(e['ref'] for e in listed)} ({clauses})" if listed else "")
        + f"; catch-all {assessment['catch_all'] or 'none'}; Goods Ordinance in force"
        f" {assessment['law']['goods_ordinance_in_force']}; data_version {assessment['data_version']};"
        f" approved by {record['approved_by']}"
    )
    return ProductClassification(
        regime=assessment["regime"],
        status="listed" if listed else "not_listed",
        control_code=code,
        entry=entry,
        classified_by=record["classified_by"],
        classified_on=when,
        evidence=evidence,
    )


def enter_into_catalogue(
    path: Path,
    assessment: Mapping[str, Any],
    record: Mapping[str, Any],
    regulations: Regulations,
    packs: Mapping[str, Regulations],
) -> Product:
    """Add the approved classification to the catalogue at ``path`` (created if missing), replacing the product's
    classification under the same regime; returns the product as written."""
    catalogue = load_catalogue(path, packs) if path.exists() else Catalogue(name=path.name)
    found = catalogue_classification(assessment, record, regulations)
    spec = assessment["product"]
    part = record["part_number"]
    before = catalogue.get(part)
    others = tuple(c for c in (before.classifications if before else ()) if c.regime != found.regime)
    composition = spec.get("composition") or []
    product = Product(
        part_number=part,
        description=before.description if before else (spec.get("description") or spec["name"]),
        hs_code=(before.hs_code if before else None) or spec.get("hs_code"),
        cas=(before.cas if before else None) or (composition[0]["cas"] if len(composition) == 1 else None),
        kind=spec.get("kind", "goods"),
        classifications=(*others, found),
    )
    merged, _, _ = catalogue.merged(Catalogue([product], path.name))
    write_catalogue(merged, path)
    return product


@dataclass(frozen=True, slots=True)
class Change:
    """A recorded classification whose answer differs under the law of another date or data version."""

    id: str
    part_number: str
    before: str
    after: str
    entries_before: dict[str, str]
    entries_after: dict[str, str]
    clauses: tuple[str, ...]
    data_version_before: str
    data_version_after: str


def _tests(assessment: Mapping[str, Any]) -> dict[tuple[str, str, str], tuple[str, Any]]:
    return {
        (e["ref"], t["clause"], t["parameter"]): (t["clause_text"], t["result"])
        for e in assessment["entries"]
        for t in e["tests"]
    }


def changed_clauses(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """The clauses whose text or answer differs between two assessments of one product (entries that appear or
    disappear count by their clause)."""
    old, new = _tests(before), _tests(after)
    out = [key[1] for key in {**old, **new} if old.get(key) != new.get(key)]
    entries_old = {e["ref"]: e for e in before["entries"]}
    entries_new = {e["ref"]: e for e in after["entries"]}
    for ref in entries_old.keys() ^ entries_new.keys():
        entry = entries_old.get(ref) or entries_new[ref]
        out.append(entry["clause"] or ref)
    return list(dict.fromkeys(out))


def recheck(
    recorded: Iterable[tuple[str, str, Mapping[str, Any], Mapping[str, Any]]], worker: Assessor, when: dt.date
) -> list[Change]:
    """Each recorded classification ``(id, part, request, assessment)`` assessed again under the law of ``when``;
    those whose verdict or entries' verdicts change, with the clauses that changed."""
    out = []
    for cid, part, request, before in recorded:
        again = assessment_view(worker.assess(parse_request({**request, "date": when.isoformat()})))
        entries_before = {e["ref"]: e["verdict"] for e in before["entries"]}
        entries_after = {e["ref"]: e["verdict"] for e in again["entries"]}
        if again["verdict"] == before["verdict"] and entries_after == entries_before:
            continue
        out.append(
            Change(
                cid,
                part,
                before["verdict"],
                again["verdict"],
                entries_before,
                entries_after,
                tuple(changed_clauses(before, again)),
                before["data_version"],
                again["data_version"],
            )
        )
    return out
