"""Service fixtures: a fresh store on SQLite (a temporary file) or PostgreSQL (a schema of its own, dropped after).

PostgreSQL comes from ``CLEARANCE_TEST_POSTGRES_URL`` (default: the local server's ``test`` database); its
tests are skipped, with the reason, only when it cannot be reached.
"""

from __future__ import annotations

import os
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from clearance.store import Store

warnings.filterwarnings("ignore", message=".*httpx2.*")


def pytest_configure(config: pytest.Config) -> None:
    # starlette's TestClient asks for a successor of httpx that is not needed here
    config.addinivalue_line("filterwarnings", "ignore:.*httpx2.*")


PG_URL = os.environ.get("CLEARANCE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BACKENDS = ("sqlite", "postgresql")

_pg_problem: str | None = None
_pg_checked = False


def postgres_problem() -> str | None:
    """Why PostgreSQL cannot be used (None when it can); asked once per run."""
    global _pg_checked, _pg_problem
    if not _pg_checked:
        _pg_checked = True
        try:
            engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            engine.dispose()
        except Exception as exc:  # any failure to connect means: skip, saying why
            _pg_problem = f"PostgreSQL at {make_url(PG_URL).render_as_string(hide_password=True)} unreachable: {exc}"
    return _pg_problem


def database_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database for one test, cleaned up afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'clearance.db'}"
        return
    problem = postgres_problem()
    if problem:
        pytest.skip(problem)
    schema = f"clr_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield (
            make_url(PG_URL)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database on each backend."""
    yield from database_url(request.param, tmp_path)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> Iterator[str]:
    """An empty SQLite database."""
    yield from database_url("sqlite", tmp_path)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """A migrated store on each backend."""
    opened = Store(db_url)
    yield opened
    opened.close()
