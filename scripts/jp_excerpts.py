"""Regenerate the primary-text excerpts of the Japanese pack from e-Gov XML, and report what a new version changes.

usage: .venv/bin/python scripts/jp_excerpts.py XML... [--store src/clearance/regulations/jp/excerpts]

Each XML file is an e-Gov standard law XML (a whole law or a fragment holding the elements kept) named
``<law id>_<YYYYMMDD>_<amending act>.xml`` as e-Gov and xyna-bpinelab/law-as-code-fefta name them. For each one
the script writes its excerpt and prints, element by element, what differs from the version stored before it
and which pack values rest on that element; for a country table it also says whether the pack agrees.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from clearance.law import load_regulations
from clearance.law.countries import resolve_country
from clearance.law.excerpts import Excerpt, dump, file_name, from_xml, load

STORE = Path(__file__).resolve().parents[1] / "src" / "clearance" / "regulations" / "jp" / "excerpts"
#: element title -> the pack objects whose values rest on it.
RESTS_ON = {
    "第一条": ["requirements.informed"],
    "第四条": ["requirements.catch_all_*", "requirements.informed", "exemptions.low_value"],
    "別表第三": ["country_lists.appended_table_3", "destination_groups.A"],
    "別表第三の二": ["country_lists.appended_table_3_2", "destination_groups.D", "exemptions.low_value"],
    "別表第三の三": ["exemptions.low_value"],
    "別表第四": ["country_lists.appended_table_4", "destination_groups.D", "exemptions.low_value"],
    "第十四条の二": ["rows.16(1)"],
}
#: country table title -> the pack's country list.
COUNTRY_LISTS = {"別表第三": "appended_table_3", "別表第三の二": "appended_table_3_2", "別表第四": "appended_table_4"}


def report(new: Excerpt, before: list[Excerpt]) -> list[str]:
    """What ``new`` changes against the stored versions of the same law before it."""
    jp = load_regulations()["jp"].at(new.in_force)
    lines = [f"{new.law_number} in force {new.in_force} ({new.amended_by}):"]
    for title, text in new.texts.items():
        older = [e for e in before if e.law_id == new.law_id and e.in_force < new.in_force and title in e.texts]
        if older and older[-1].texts[title] == text:
            continue
        since = f"changed since {older[-1].in_force}" if older else "no earlier version stored"
        lines.append(f"  {title}: {since}; pack values resting on it: {', '.join(RESTS_ON[title])}")
        if title in COUNTRY_LISTS:
            codes = sorted(resolve_country(name) for name in new.countries(title))
            held = sorted(jp.list_members(COUNTRY_LISTS[title]) or [])
            verdict = "agrees" if codes == held else f"differs: text {codes}, pack {held}"
            lines.append(f"    pack country_lists.{COUNTRY_LISTS[title]} on {new.in_force} {verdict}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("xml", nargs="+", type=Path)
    parser.add_argument("--store", type=Path, default=STORE)
    args = parser.parse_args()
    stored = load(args.store)
    for path in args.xml:
        excerpt = from_xml(path)
        target = args.store / file_name(excerpt)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(dump(excerpt), encoding="utf-8")
        print("\n".join(report(excerpt, stored)))
        stored = load(args.store)


if __name__ == "__main__":
    main()
