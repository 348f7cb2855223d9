"""The classify package imports only the law package, the bundled data, the table and decoding helpers and the
exception tree."""

from __future__ import annotations

import ast
from pathlib import Path

import clearance.classify

ALLOWED = (
    "clearance.classify",
    "clearance.law",
    "clearance.errors",
    "clearance.decoding",
    "clearance.cellvalues",
    "clearance.data",
    "clearance.tables",
    "clearance.inputs",
)


def test_imports_point_one_way() -> None:
    folder = Path(clearance.classify.__file__).parent
    for path in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                if name.startswith("clearance"):
                    assert name.startswith(ALLOWED), f"{path.name} imports {name}"
