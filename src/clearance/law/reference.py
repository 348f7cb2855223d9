"""The data-format reference, generated from the pack models and the predicate registry (docs cannot drift)."""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel

from clearance.law import schema as s
from clearance.law.codes import CasNumber
from clearance.law.predicates import COMBINATORS, PREDICATES
from clearance.law.regulations import Regulations

_FILES: list[tuple[str, type[BaseModel]]] = [
    ("pack.yaml", s.PackMeta),
    ("sources.yaml (by id)", s.Source),
    ("country_lists/<id>.yaml", s.CountryList),
    ("country_groups.yaml (by id, in order)", s.DestinationGroup),
    ("control_list/rows.yaml (by id)", s.ControlRow),
    ("control_list/entries.yaml (by id)", s.ControlEntry),
    ("requirements.yaml (by id)", s.Requirement),
    ("exemptions.yaml (by id)", s.Exemption),
    ("licence_types.yaml (by id)", s.LicenceType),
    ("measures/<id>.yaml", s.Measure),
    ("party_lists.yaml (by id)", s.PartyList),
    ("red_flags.yaml (by id)", s.RedFlag),
    ("control_list/row_sets.yaml (by id)", s.RowSet),
]
_PARTS: list[type[BaseModel]] = [
    s.DatedValue,
    s.Repeal,
    s.Exception_,
    s.References,
    s.CodeRange,
    s.DaysCase,
    s.Validity,
]


#: Validated text types, by what they accept.
_NAMED: list[tuple[Any, str]] = [(CasNumber, "CAS registry number (check digit verified)")]


def _type(annotation: Any) -> str:
    named = next((text for kind, text in _NAMED if annotation == kind), None)
    if named is not None:
        return named
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type(a) for a in args)
    if origin is typing.Literal:
        return " or ".join(f"`{a}`" for a in args)
    if origin in (list, tuple):
        return f"list of {_type(args[0])}"
    if origin is dict:
        return f"mapping {_type(args[0])} → {_type(args[1])}"
    if annotation is type(None):
        return "null"
    if isinstance(annotation, type):
        return {"str": "text", "int": "integer", "bool": "true/false", "date": "date (YYYY-MM-DD)"}.get(
            annotation.__name__, annotation.__name__
        )
    return str(annotation).replace("typing.", "")


def _fields(model: type[BaseModel], skip: set[str] | None = None) -> list[str]:
    rows = ["| key | type | required |", "|---|---|---|"]
    for name, field in model.model_fields.items():
        if skip and name in skip:
            continue
        kind = "condition" if name == "when" else _type(field.annotation)
        rows.append(f"| `{name}` | {kind} | {'yes' if field.is_required() else 'no'} |")
    return rows


def _doc(model: type[Any]) -> str:
    return " ".join((model.__doc__ or "").split())


def data_format_markdown() -> str:
    """docs/data-format.md: every pack file, its keys, the dated values they hold, and the predicates."""
    out = [
        "# Regulation-pack data format",
        "",
        "_Generated from `clearance.law.schema` and `clearance.law.predicates` by `scripts/gen_docs.py`;"
        " a test fails when this file and the code disagree._",
        "",
        " ".join((s.__doc__ or "").split("\n\n")[0].split()),
        "",
        "A pack declares `format: 2` in `pack.yaml`; a pack without it (format 1) is rejected, never converted"
        " on the fly: `python scripts/pack_v2.py <folder>` converts one, for review.",
        "",
        "Everything that changes is a `values:` map keyed by ISO effective date; the newest date on or before"
        " the date asked about wins; `{repealed: true, sources: [...], verified: ...}` (a **Repeal**, never"
        " `null`) ends the object's force. Every dated value carries the keys of **DatedValue** below:"
        " `sources` (ids from `sources.yaml`, required) and `verified` (required, never defaulted; must be"
        " `false` unless a cited source's `class` is "
        + " or ".join(f"`{k}`" for k in sorted(s.PROVING_CLASSES))
        + "; a value left `false` from 2017 on says why in `why_unverified`). An exception to a requirement,"
        " an exemption or a measure is a labelled, cited **Exception_** of its value's `exceptions` list; the"
        " provisions an object is cited to are dated `references` (**References**), apart from its `values`,"
        " so a renumbered article is not an amendment; a list of rows named more than once is a row set of"
        " `control_list/row_sets.yaml`, written `{item_in_rows: <set id>}` in a condition.",
        "",
        "## Files",
    ]
    for file, model in _FILES:
        out += ["", f"### `{file}`: {model.__name__}", "", _doc(model), "", *_fields(model, {"values"})]
        value_model = getattr(model, "value_model", None)
        if value_model is s.DatedValue:
            out += ["", "Each entry of `values:` is a plain **DatedValue** (citations and verification only)."]
        elif value_model is not None:
            out += [
                "",
                f"Each entry of `values:` is a **{value_model.__name__}**: {_doc(value_model)}",
                "",
                *_fields(value_model, set(s.DatedValue.model_fields)),
            ]
    out += ["", "## Parts"]
    for model in _PARTS:
        out += ["", f"### {model.__name__}", "", _doc(model), "", *_fields(model)]
    out += [
        "",
        "## Conditions",
        "",
        "A condition is a mapping with one key: a predicate name or a combinator "
        + ", ".join(f"`{c}`" for c in sorted(COMBINATORS))
        + " (`all`/`any` take a list of conditions, `not` one condition). No expressions, no `eval`.",
        "",
        "| predicate | argument | meaning |",
        "|---|---|---|",
    ]
    for name in sorted(PREDICATES):
        spec = PREDICATES[name]
        out.append(f"| `{name}` | {spec.argument} | {' '.join(spec.doc.split())} |")
    return "\n".join(out) + "\n"


def _proof_share(regs: Regulations) -> list[str]:
    """The share of dated values verified against a primary source, overall and from 2017 (e-Gov's history)."""
    counts = {"all": [0, 0], "2017": [0, 0]}
    versions = [v for objs in regs.objects.values() for obj in objs.values() for v in obj.timeline.versions]
    for version in versions:  # with the dated references of format 2, each citation period counts
        if version.value is None and version.repeal is None:
            continue
        primary = version.verified and any(regs.sources[sid].source_class == "primary" for sid in version.sources)
        for key in ("all", "2017") if version.starts.year >= 2017 else ("all",):
            counts[key][0] += primary
            counts[key][1] += 1
    lines = ["## Proven from the primary text", ""]
    for key, label in (("all", "All dated values"), ("2017", "Dated values from 2017 on")):
        proven, total = counts[key]
        share = f"{100 * proven / total:.0f}%" if total else "-"
        lines.append(f"- {label}: {proven} of {total} verified against a primary source ({share}).")
    return lines


def regime_markdown(regs: Regulations) -> str:
    """docs/regimes/<id>.md: what a pack encodes, from which sources, and what is unverified and why."""
    meta = regs.meta
    out = [
        f"# {meta.name}",
        "",
        "_Generated from the pack by `scripts/gen_docs.py`; a test keeps it current._",
        "",
        " ".join((meta.description or "").split()),
        "",
        f"- Pack `{meta.id}`, exporting country {meta.country}, authority: {meta.authority}.",
        f"- Coverage from {meta.coverage_from}; values in {meta.currency}; `data_version` `{regs.data_version}`.",
        "",
        "## Known limitations",
        "",
        *[f"- {item}" for item in meta.limitations],
        "",
        "## What is encoded",
    ]
    titles = {
        "country_lists": "Country lists",
        "destination_groups": "Destination groups",
        "rows": "Control-list rows",
        "entries": "Explicit control-list entries",
        "requirements": "Licence requirements",
        "exemptions": "Exemptions",
        "licence_types": "Licence types",
        "measures": "Measures",
        "party_lists": "Restricted-party lists",
        "red_flags": "Red flags (the vocabulary of a shipment's `red_flags`)",
    }
    for kind, title in titles.items():
        objects = regs.objects.get(kind, {})
        if not objects:
            continue
        out += ["", f"### {title}", "", "| id | label | versions (effective dates) |", "|---|---|---|"]
        for oid, obj in objects.items():
            dates = ", ".join(
                f"{v.effective}" + ("" if v.value is not None else " (repealed)")
                for v in obj.timeline.versions
                if v.cited_from is None
            )
            local = f" ({obj.model.label_local})" if obj.model.label_local else ""
            out.append(f"| `{oid}` | {obj.model.label}{local} | {dates} |")
    out += ["", *_proof_share(regs)]
    out += ["", "## Unverified values", "", "Values not checked against a primary legal text, and why:", ""]
    for _, version in regs.versions():
        meta_value = version.value if version.value is not None else version.repeal
        if meta_value is None or version.verified:
            continue
        why = meta_value.why_unverified or " ".join(filter(None, [meta_value.note, meta_value.caveat]))
        if {regs.sources[sid].source_class for sid in meta_value.sources} <= {"press", "secondary"}:
            why = f"**Rests on press or secondary reports only.** {why}"
        out.append(f"- `{version.object_id}` from {version.effective}: {why}")
    out += ["", "## Sources", "", "| id | class | kind | source | provision | date |", "|---|---|---|---|---|---|"]
    for sid, source in regs.sources.items():
        title = f"[{source.title}]({source.url})" if source.url else source.title
        out.append(
            f"| `{sid}` | {source.source_class} | {source.kind} | {title} | {source.provision or ''}"
            f" | {source.date or ''} |"
        )
    return "\n".join(out) + "\n"
