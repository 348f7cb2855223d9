"""The arrows point one way: the pure cores (licences, audit, screening) touch no database or web framework; only
the store touches the database (imported screening lists, hits and decisions included); nothing below the API and
web edges imports them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "clearance"

#: package → prefixes it may import (besides the standard library and its own modules)
ALLOWED = {
    "licences": (
        "clearance.licences",
        "clearance.engine",
        "clearance.law",
        "clearance.cellvalues",
        "clearance.errors",
        "pydantic",
    ),
    "audit": ("clearance.audit", "clearance.checks", "clearance.engine", "clearance.law", "clearance.errors", "orjson"),
    "orders": (
        "clearance.orders",
        "clearance.engine",
        "clearance.law",
        "clearance.licences",
        "clearance.screening",
        "clearance.classify",
        "clearance.impact",
        "clearance.cellvalues",
        "clearance.charts",
        "clearance.errors",
        "clearance.inputs",
        "pydantic",
        "orjson",
        "jinja2",
        "matplotlib",
        "openpyxl",
    ),
    "store": (
        "clearance.store",
        "clearance.audit",
        "clearance.licences",
        "clearance.checks",
        "clearance.engine",
        "clearance.inputs",
        "clearance.law",
        "clearance.screening",
        "clearance.orders",
        "clearance.inputs",
        "clearance.errors",
        "clearance.inputs",
        "sqlalchemy",
        "alembic",
        "platformdirs",
        "orjson",
        "pydantic",
    ),
}
FORBIDDEN_ANYWHERE_BELOW_API = ("clearance.api", "clearance.web", "fastapi", "starlette", "uvicorn")
#: package → what it must never import, the standard library's databases included (its storage is the store's)
FORBIDDEN = {
    "screening": (
        "clearance.store",
        "clearance.api",
        "clearance.web",
        "sqlalchemy",
        "alembic",
        "psycopg",
        "sqlite3",
        "dbm",
        "shelve",
        "fastapi",
        "typer",
    ),
}


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_imports_point_one_way(package: str) -> None:
    import sys

    stdlib = sys.stdlib_module_names
    for path in sorted((SRC / package).rglob("*.py")):
        for name in _imports(path):
            top = name.split(".")[0]
            if top in stdlib or top == "__future__":
                continue
            assert name.startswith(ALLOWED[package]), f"{path.relative_to(SRC)} imports {name}"
            assert not name.startswith(FORBIDDEN_ANYWHERE_BELOW_API), f"{path.relative_to(SRC)} imports {name}"


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_pure_packages_touch_no_database(package: str) -> None:
    for path in sorted((SRC / package).rglob("*.py")):
        for name in _imports(path):
            assert not name.startswith(FORBIDDEN[package]), f"{path.relative_to(SRC)} imports {name}"
