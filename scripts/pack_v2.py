"""Convert a regulation pack from format 1 to format 2, in place, for review (``git diff`` shows every change).

    python scripts/pack_v2.py src/clearance/regulations/kr

What it does, mechanically (comments and anchors are kept; see ``clearance.law.format2`` for the format):

- ``pack.yaml`` gets ``format: 2``;
- every dated value without ``verified`` gets ``verified: true`` (format 1's default, now written);
- an exemption's ``unless`` exclusions become ``exceptions`` with an id from their label, cited to the sources of
  the value they qualify;
- a measure that ``overrides`` another becomes an exception of that measure (dated values of the overridden
  measure from the exception's dates; the exception's file is removed);
- a trailing run of values that differ only in their citations and verification becomes one value with dated
  ``references`` (a renumbered article is not an amendment);
- a list of three or more rows named by two or more conditions becomes a named row set;
- conditions are written in block style.

It stops, changing nothing, at what it cannot convert without a lawyer: a ``null`` repeal (a repeal must cite).
It does not turn an unlabelled ``not:`` into an exception: which negations are carve-outs is a legal reading, done
by hand and reviewed.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from clearance.law.loader import COLLECTIONS

_PROVENANCE = {"sources", "verified", "note", "caveat", "announced", "published"}
_yaml = YAML()
_yaml.preserve_quotes = True
_yaml.width = 4096
_yaml.indent(mapping=2, sequence=4, offset=2)


def _slug(label: str) -> str:
    """An id from a label's first words (whole words, at most 40 characters)."""
    words = [w for w in re.findall(r"[a-z0-9]+", label.lower()) if w not in {"an", "the", "of", "for", "to", "in"}]
    out = words[0]
    for word in words[1:]:
        if len(out) + len(word) + 1 > 40:
            break
        out += f"_{word}"
    return out


def _block(node: Any) -> None:
    """Write a condition's mappings in block style (lists of scalars stay inline)."""
    if isinstance(node, CommentedMap):
        node.fa.set_block_style()
        for value in node.values():
            _block(value)
    elif isinstance(node, CommentedSeq):
        if any(isinstance(item, (CommentedMap, CommentedSeq)) for item in node):
            node.fa.set_block_style()
        for item in node:
            _block(item)


def _values(obj: Any) -> Any:
    return obj.get("values") if isinstance(obj, CommentedMap) else None


def _law(value: Any) -> dict[str, Any]:
    return {k: v for k, v in value.items() if k not in _PROVENANCE}


def _convert_value(value: Any, where: str) -> None:
    if value is None:
        raise SystemExit(f"{where}: a null repeal must be written {{repealed: true, sources: [...]}} by hand")
    if "verified" not in value:
        value.insert(list(value).index("sources") + 1, "verified", True)
    unless = value.pop("unless", None)
    if unless:
        value["exceptions"] = CommentedSeq(
            CommentedMap(
                id=_slug(item["label"]),
                label=item["label"],
                when=item["when"],
                sources=copy.deepcopy(value["sources"]),
                verified=value["verified"],
            )
            for item in unless
        )
    for key in ("when",):
        if key in value:
            _block(value[key])
    for exception in value.get("exceptions", []):
        _block(exception["when"])


#: Source kinds that name a provision of a legal text: what a renumbering changes.
_PROVISIONS = {"statute", "cabinet_order", "ordinance", "primary"}


def _references(obj: CommentedMap, provisions: set[str]) -> None:
    """Fold a trailing run of values equal but for their citations into one value with dated references: the
    value keeps the sources all of them cite and those that are not provisions; each date's other provisions
    become its references."""
    values = obj["values"]
    dates = list(values)
    run = [dates[-1]]
    for date in reversed(dates[:-1]):
        before, after = values[date], values[run[0]]
        if before is None or after is None or "repealed" in before or "repealed" in after:
            break
        if _law(before) != _law(after) or any(k in after for k in ("note", "caveat", "announced", "published")):
            break
        run.insert(0, date)
    if len(run) < 2:
        return
    runs = [values[d] for d in run]
    cited = [list(v["sources"]) for v in runs]
    kept = [sid for sid in cited[0] if sid not in provisions or all(sid in c for c in cited)] or cited[0]
    first = runs[0]
    first["sources"] = CommentedSeq(kept)
    first["sources"].fa.set_flow_style()
    refs = CommentedMap()
    for date, value, sources in zip(run, runs, cited, strict=True):
        seq = CommentedSeq([sid for sid in sources if sid not in kept] or sources)
        seq.fa.set_flow_style()
        key = dt.date.fromisoformat(str(date))  # a new key object: no YAML anchor shared with the value's date
        refs[key] = CommentedMap(sources=seq, verified=value["verified"])
        refs[key].fa.set_flow_style()
    first["verified"] = all(v["verified"] for v in runs) and first["verified"]
    for date in run[1:]:
        del values[date]
    obj["references"] = refs


def _fold_exception_measures(folder: Path) -> None:
    """A format-1 measure that overrides another becomes the other's exception, on the other's dates."""
    measures = folder / "measures"
    for path in sorted(measures.glob("*.yaml")) if measures.is_dir() else []:
        exception = _yaml.load(path)
        if "overrides" not in exception:
            continue
        target_path = measures / f"{exception['overrides']}.yaml"
        target = _yaml.load(target_path)
        values = target["values"]
        dates = list(exception["values"])
        for i, date in enumerate(dates):
            value = exception["values"][date]
            if "repealed" in value:
                continue
            ends = dates[i + 1] if i + 1 < len(dates) else None
            base_date = max(d for d in values if str(d) <= str(date))
            base = values[base_date]
            if "repealed" in base:
                continue
            entry = CommentedMap(
                id=path.stem,
                label=exception["label"],
                **({"label_local": exception["label_local"]} if "label_local" in exception else {}),
                when=value["when"],
                sources=value["sources"],
                verified=value.get("verified", True),
                overrides=value.get("restores", []),
                **{key: value[key] for key in ("why_unverified", "note") if key in value},
            )
            with_exception = base
            if base_date != date:  # the measure as it stood, from the exception's date (its condition shared)
                with_exception = copy.deepcopy(base)
                with_exception["when"] = base["when"]
                for key in ("announced", "published", "note"):
                    with_exception.pop(key, None)
            with_exception.setdefault("exceptions", CommentedSeq()).append(entry)
            values[date] = with_exception
            if ends is not None and ends not in values:
                values[ends] = copy.deepcopy(base)
        target["values"] = CommentedMap(sorted(values.items(), key=lambda kv: str(kv[0])))
        _yaml.dump(target, target_path)
        path.unlink()


def _row_sets(docs: dict[Path, Any], folder: Path) -> None:
    """Lists of three or more rows used by two or more conditions become named row sets."""
    seen: Counter[tuple[str, ...]] = Counter()

    def walk(node: Any, visit: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "item_in_rows" and isinstance(value, list) and len(value) >= 3:
                    visit(node, tuple(str(r) for r in value))
                else:
                    walk(value, visit)
        elif isinstance(node, list):
            for item in node:
                walk(item, visit)

    for doc in docs.values():
        walk(doc, lambda node, rows: seen.update([rows]))
    order = [str(r) for r in _yaml.load(folder / "control_list" / "rows.yaml")]

    def set_id(rows: tuple[str, ...]) -> str:
        span = order[order.index(rows[0]) : order.index(rows[-1]) + 1]
        missing = [r for r in span if r not in rows]
        name = f"rows_{rows[0]}_to_{rows[-1]}" + (f"_except_{'_'.join(missing)}" if missing else "")
        return name.replace("-", "_")

    names = {rows: set_id(rows) for rows, n in seen.items() if n >= 2}
    if not names:
        return

    def name(node: Any, rows: tuple[str, ...]) -> None:
        if rows in names:
            node["item_in_rows"] = names[rows]

    for doc in docs.values():
        walk(doc, name)
    sets = CommentedMap()
    for rows, set_id in names.items():
        seq = CommentedSeq(rows)
        seq.fa.set_flow_style()
        sets[set_id] = CommentedMap(label=f"Rows {', '.join(rows)}", rows=seq)
    _yaml.dump(sets, folder / "control_list" / "row_sets.yaml")


def _pack_files(folder: Path) -> list[Path]:
    """The files of a pack's collections (other data in the folder, such as classification sheets, is not a pack)."""
    files = []
    for where, _ in COLLECTIONS.values():
        files += sorted((folder / where).glob("*.yaml")) if where.endswith("/") else [folder / where]
    return [path for path in files if path.exists()]


def convert(folder: Path) -> None:
    """Convert the pack in ``folder`` to format 2, in place."""
    meta_path = folder / "pack.yaml"
    meta = _yaml.load(meta_path)
    if meta.get("format") == 2:
        raise SystemExit(f"{folder}: already format 2")
    _fold_exception_measures(folder)
    sources = _yaml.load(folder / "sources.yaml")
    provisions = {sid for sid, source in sources.items() if source.get("kind") in _PROVISIONS}
    docs: dict[Path, Any] = {}
    for path in _pack_files(folder):
        doc = docs[path] = _yaml.load(path)
        objects = {path.stem: doc} if "values" in doc else doc
        for oid, obj in objects.items():
            if _values(obj) is None:
                continue
            for date, value in obj["values"].items():
                _convert_value(value, f"{path.relative_to(folder)}: {oid}.values.{date}")
            _references(obj, provisions)
    _row_sets(docs, folder)
    for path, doc in docs.items():
        _yaml.dump(doc, path)
    meta.insert(list(meta).index("id") + 1, "format", 2)
    _yaml.dump(meta, meta_path)


def label_negations(folder: Path, spec: dict[str, Any]) -> None:
    """Turn each top-level ``not: <spec["not"]>`` conjunct of a requirement's condition into the labelled
    exception ``spec`` describes (``id``, ``label``), cited to the sources of the value it qualifies: the legal
    reading (which negation is a carve-out) is the spec's, the edit is mechanical."""
    path = folder / "requirements.yaml"
    doc = _yaml.load(path)
    for obj in doc.values():
        for value in obj["values"].values():
            conjuncts = value.get("when", {}).get("all") if isinstance(value.get("when"), dict) else None
            if not conjuncts:
                continue
            hits = [c for c in conjuncts if isinstance(c, dict) and list(c) == ["not"] and c["not"] == spec["not"]]
            for hit in hits:
                conjuncts.remove(hit)
                entry = CommentedMap(id=spec["id"], label=spec["label"], when=hit["not"])
                entry.update(sources=copy.deepcopy(value["sources"]), verified=value["verified"])
                if "why_unverified" in value:
                    entry["why_unverified"] = value["why_unverified"]
                _block(entry["when"])
                value.setdefault("exceptions", CommentedSeq()).append(entry)
    _yaml.dump(doc, path)


if __name__ == "__main__":
    # pack_v2.py <pack folder> [<exceptions spec.yaml>]: convert, then label the negations the spec names
    convert(Path(sys.argv[1]))
    for spec in _yaml.load(Path(sys.argv[2])) if len(sys.argv) > 2 else []:
        label_negations(Path(sys.argv[1]), spec)
