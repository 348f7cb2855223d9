"""The arrows point one way (docs/architecture.md): each part of ``clearance`` imports only the layers below its
own, never a layer above it or a part beside it; the database, web and command-line frameworks are imported only
by the parts whose job they are; and the web pages never import the API's routes."""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "clearance"

#: The layers, lowest first. A part may import the parts of lower layers only (and itself).
LAYERS: tuple[tuple[str, ...], ...] = (
    (
        "errors",
        "cellvalues",
        "headers",
        "charts",
        "collector",
        "digests",
    ),  # exceptions; cells, headers, charts; the GC; digests
    ("decoding", "problems", "parquetfile"),  # bytes to text; validation problems in one wording; Parquet opened
    ("tables", "batchfile", "columnar", "settings", "inputs", "data", "regulations"),  # rows, batch files, Parquet
    ("law",),  # effective-dated, cited law as frozen data; timelines; questions about the law
    ("engine",),  # determine(): facts -> Determination with its steps
    ("classify", "screening"),  # control-list search and the catalogue; restricted-party matching
    ("licences", "impact"),  # the licence register's rules; what a change of the law does to a portfolio
    ("checks", "orders"),  # a shipment read as the service reads it; an order line checked for release
    ("spark",),  # the batch jobs on Apache Spark (the optional extra)
    ("audit",),  # the hash chain and replaying a recorded answer
    ("store",),  # the only part that touches the database
    ("render", "demo"),  # terminal rendering; the demo seeded through the store
    ("api",),  # the HTTP API (FastAPI)
    ("web", "cli"),  # the web pages (on the API's app, using its auth, errors and settings) and the command line
)
#: The package root (``clearance.__version__``, the public names) may be imported from anywhere.
ROOT = "__init__"
#: Imports into a lower layer that are still forbidden: module prefix -> the prefixes it must not import.
FORBIDDEN = {"clearance.web": ("clearance.api.routes",)}
#: The one import upward: the app factory mounts the web pages on the API's app (its composition point).
MOUNTS = {"clearance.api.app": ("clearance.web",)}
#: Third-party (and standard-library) packages tied to one job -> the parts (or modules) that may import them.
OWNERS = {
    "pydantic_settings": ("settings",),
    "platformdirs": ("settings",),
    "sqlalchemy": ("store",),
    "alembic": ("store",),
    "psycopg": ("store",),
    # the control lists' in-memory full-text index; the screening results and the keys' answers kept across runs,
    # cache files beside the screening index pickles (not the database: screenings, reviews and the audit trail are
    # the store's)
    "sqlite3": ("classify", "screening", "engine.kept"),
    "dbm": (),
    "shelve": (),
    "fastapi": ("api", "web"),
    "starlette": ("api", "web"),
    "uvicorn": ("cli",),
    "typer": ("cli",),
    "click": ("cli",),
    "pyspark": ("spark",),
}

LEVEL = {part: level for level, parts in enumerate(LAYERS) for part in parts}


def _part(path: Path) -> str:
    return path.relative_to(SRC).parts[0].removesuffix(".py")


def _module(path: Path) -> str:
    return ".".join(("clearance", *path.relative_to(SRC).with_suffix("").parts)).removesuffix(".__init__")


def imports(path: Path) -> Iterator[str]:
    """The absolute module names a source file imports (relative imports stay inside their package)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module == "clearance":  # a submodule, or a name of the root
            yield from (f"clearance.{a.name}" if a.name in LEVEL else "clearance" for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def violation(module: str, part: str, name: str) -> str | None:
    """Why ``module`` (in ``part``) may not import ``name``, or None if it may."""
    top = name.split(".")[0]
    if top != "clearance":
        owners = OWNERS.get(top)
        if owners is None or part in owners or module.removeprefix("clearance.") in owners:
            return None
        return f"{top} belongs to {', '.join(owners) or 'nobody'}"
    target = name.split(".")[1] if "." in name else ROOT
    if target in (ROOT, part) or any(module == m and name.startswith(p) for m, p in MOUNTS.items()):
        return None
    if target not in LEVEL:
        return f"{target} is in no layer (add it to LAYERS)"
    if LEVEL[target] > LEVEL[part]:
        return f"upward: {part} (layer {LEVEL[part]}) imports {target} (layer {LEVEL[target]})"
    if LEVEL[target] == LEVEL[part]:
        return f"sideways: {part} and {target} share layer {LEVEL[part]}"
    for prefix, banned in FORBIDDEN.items():
        if module.startswith(prefix) and name.startswith(banned):
            return f"{prefix} must not import {', '.join(banned)}"
    return None


def test_every_part_is_in_a_layer() -> None:
    parts = {_part(p) for p in SRC.rglob("*.py")} | {p.name for p in SRC.iterdir() if p.is_dir()}
    parts -= {ROOT, "__pycache__"}
    assert parts <= set(LEVEL), f"not in any layer: {sorted(parts - set(LEVEL))}"


@pytest.mark.parametrize("part", sorted(LEVEL))
def test_imports_point_down(part: str) -> None:
    files = sorted((SRC / part).rglob("*.py")) if (SRC / part).is_dir() else [SRC / f"{part}.py"]
    found = [
        f"{path.relative_to(SRC)} imports {name}: {why}"
        for path in files
        if path.exists()
        for name in imports(path)
        if name.split(".")[0] not in sys.stdlib_module_names or name.split(".")[0] in OWNERS
        if (why := violation(_module(path), part, name))
    ]
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    ("module", "part", "name"),
    [
        ("clearance.engine.io", "engine", "clearance.classify.catalogue"),  # upward
        ("clearance.classify.index", "classify", "clearance.screening.matcher"),  # sideways
        ("clearance.web.routes.law", "web", "clearance.api.routes.law"),  # the web into the API's routes
        ("clearance.web.routes.check", "web", "clearance.cli._common"),  # sideways between edges
        ("clearance.law.loader", "law", "clearance.store"),  # upward, far
        ("clearance.screening.index", "screening", "sqlalchemy.orm"),  # the database outside the store
        ("clearance.impact.runs", "impact", "typer"),  # the command line outside the CLI
        ("clearance.engine.determine", "engine", "fastapi"),  # the web framework in the core
        ("clearance.engine.keyed", "engine", "sqlite3"),  # storage outside the store
        ("clearance.api.routes.law", "api", "clearance.web.pages"),  # upward, outside the app factory
    ],
)
def test_the_rule_catches_what_it_must(module: str, part: str, name: str) -> None:
    assert violation(module, part, name) is not None


@pytest.mark.parametrize(
    ("module", "part", "name"),
    [
        ("clearance.engine.determine", "engine", "clearance.law.regulations"),
        ("clearance.web.errors", "web", "clearance.api.errors"),
        ("clearance.cli.serve", "cli", "uvicorn"),
        ("clearance.api.app", "api", "clearance"),
        ("clearance.store.database", "store", "sqlalchemy"),
    ],
)
def test_the_rule_allows_downward_imports(module: str, part: str, name: str) -> None:
    assert violation(module, part, name) is None
