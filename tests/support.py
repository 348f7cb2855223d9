"""Helpers shared by the tests: paths, running the real CLI, the shared folder, scenario files.

(Kept out of conftest.py so that test folders with conftest files of their own can import them by a name
of their own.)
"""

from __future__ import annotations

import csv
import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CLI = Path(sys.executable).parent / "clearance"

#: Five of the 36 sample orders with cells no reader can take (issue 11's cells, such as ``9,600,000`` and
#: ``2019/7/5``, are read since issue 15): order id -> (column, value).
BAD_ORDER_CELLS = {
    "SO-19-0601": ("value", "9.600.000"),
    "SO-19-0602": ("ship_date", "2019/07/32"),
    "SO-19-0604": ("value", "¥7,2000,000"),
    "SO-19-0613": ("quantity", "1,2"),
    "SO-19-0701": ("ship_date", "next week"),
}

#: Issue 11's cells as people type them, which every reader takes since issue 15: order id -> (column, value).
TYPED_ORDER_CELLS = {
    "SO-19-0601": ("value", "9,600,000"),
    "SO-19-0602": ("ship_date", "2019/07/15"),
    "SO-19-0604": ("value", "¥7,200,000"),
    "SO-19-0613": ("quantity", "1,200"),
    "SO-19-0701": ("ship_date", "2019/7/5"),
}


def portfolio_with_bad_rows(
    folder: Path, cells: dict[str, tuple[str, str]] = BAD_ORDER_CELLS
) -> dict[tuple[str, int, str], str]:
    """examples/portfolio copied to ``folder`` with ``cells`` (by default :data:`BAD_ORDER_CELLS`) written in;
    returns each changed cell as ``(file, row, field) -> value`` (the header is row 1)."""
    shutil.copytree(ROOT / "examples" / "portfolio", folder)
    path = folder / "orders.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns, rows = list(reader.fieldnames or ()), list(reader)
    bad = {}
    for number, row in enumerate(rows, start=2):
        if row["order_id"] in cells:
            column, value = cells[row["order_id"]]
            row[column] = value
            bad[("orders.csv", number, column)] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    assert len(bad) == len(cells) and len(rows) == 36
    return bad


def load_script(name: str, folder: str = "scripts") -> ModuleType:
    """A script of ``scripts/`` (or of ``folder``, e.g. ``bench``; ``name`` without ``.py``) imported as a module,
    to test or use its functions."""
    spec = importlib.util.spec_from_file_location(name, ROOT / folder / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def edit(folder: Path, relative: str, old: str, new: str) -> None:
    """Replace the first ``old`` in ``folder/relative`` by ``new``; the file must hold ``old``."""
    path = folder / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture {relative} lacks {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed ``clearance`` command."""
    return subprocess.run([str(CLI), *args], input=stdin, capture_output=True, text=True, timeout=120)


def shared_path(*parts: str) -> Path:
    """A path under ../shared, skipping the test with a clear reason when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not found: the shared folder (../shared) is not beside this checkout")
    return path


def load_scenarios(path: Path) -> list[dict[str, Any]]:
    """Scenario YAML; a ``name:`` holding ': ' (invalid plain YAML, seen in the shared file) is quoted first."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^- name: (.*)$", lambda m: "- name: " + json.dumps(m.group(1)), text, flags=re.M)
    return yaml.safe_load(text)


def as_json(data: Any) -> str:
    return json.dumps(data, default=lambda o: o.isoformat())


def check_expectations(expect: dict[str, Any], out: dict[str, Any]) -> list[str]:
    """The scenario expectation keys of ../shared/scenarios, plus ``citations_include``, ``warnings_include`` and
    ``undecided_missing`` (exactly the input fields the open questions name; ``[]`` when nothing is open)."""
    problems = []
    for key in ("licence_required", "destination_group", "processing_days"):
        if key in expect and out.get(key) != expect[key]:
            problems.append(f"{key}={out.get(key)!r}, want {expect[key]!r}")
    for key in ("basis", "licence_options"):
        if key in expect and set(out.get(key) or []) != set(expect[key]):
            problems.append(f"{key}={out.get(key)!r}, want exactly {expect[key]!r}")
    for key, field in (
        ("basis_includes", "basis"),
        ("licence_options_include", "licence_options"),
        ("exemptions_include", "exemptions"),
    ):
        for want in expect.get(key, []):
            if want not in (out.get(field) or []):
                problems.append(f"{field}={out.get(field)!r} lacks {want!r}")
    for bad in expect.get("licence_options_exclude", []):
        if bad in (out.get("licence_options") or []):
            problems.append(f"licence_options={out.get('licence_options')!r} has {bad!r}")
    if "undecided_missing" in expect:
        missing = {f for question in out.get("undecided", []) for f in question["missing"]}
        if missing != set(expect["undecided_missing"]):
            problems.append(f"undecided names {sorted(missing)}, want {sorted(expect['undecided_missing'])}")
    cited = {c["id"] for c in out.get("citations", [])}
    for want in expect.get("citations_include", []):
        if want not in cited:
            problems.append(f"citations lack {want!r} (have {sorted(cited)})")
    for want in expect.get("warnings_include", []):
        if not any(want in w for w in out.get("warnings", [])):
            problems.append(f"no warning mentions {want!r}")
    return problems


def alias_bomb(levels: int = 6, fanout: int = 9) -> str:
    """A "billion laughs" document: each level lists the one before ``fanout`` times (fanout**levels leaves)."""
    lines = [f"l0: &l0 [{', '.join(['lol'] * fanout)}]"]
    for level in range(1, levels):
        lines.append(f"l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * fanout)}]")
    return "\n".join(lines) + "\n"


#: Documents that ask a YAML reader for unbounded work, with the words of the error that refuses each.
BOMBS = {
    "alias_bomb": (alias_bomb(), "aliases expand to more than"),
    "recursive_sequence": ("a: &a [1, *a]\n", "alias *a is recursive"),
    "recursive_mapping": ("a: &a {b: {c: *a}}\n", "alias *a is recursive"),
    "deep_flow": ("[" * 5000 + "]" * 5000, "nested deeper than"),
    "deep_block": ("".join(" " * i + "- \n" for i in range(200)), "nested deeper than"),
}
