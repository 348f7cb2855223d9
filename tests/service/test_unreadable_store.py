"""An unreadable or corrupted database: one line naming it from the CLI (exit 2), 503 with an error body from the
API, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from apiutil import Service, service

from clearance.errors import StoreError
from clearance.store import Store
from support import run_cli


def _not_a_database(tmp_path: Path) -> str:
    path = tmp_path / "garbage.db"
    path.write_bytes(bytes(range(256)) * 80)
    return f"sqlite:///{path}"


def _malformed(tmp_path: Path) -> str:
    """A real database whose pages after the first were overwritten (the header still reads)."""
    path = tmp_path / "malformed.db"
    store = Store(f"sqlite:///{path}")
    store.keys.create("erp", "analyst", "test")
    store.close()
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek(4096)
        handle.write(b"\xff" * (size - 4096))
    return f"sqlite:///{path}"


def _folder(tmp_path: Path) -> str:
    (tmp_path / "folder.db").mkdir()
    return f"sqlite:///{tmp_path / 'folder.db'}"


BROKEN = {"not_a_database": _not_a_database, "malformed": _malformed, "a_folder": _folder}


@pytest.mark.parametrize("broken", sorted(BROKEN))
def test_the_store_names_the_database_in_one_line(tmp_path: Path, broken: str) -> None:
    url = BROKEN[broken](tmp_path)
    with pytest.raises(StoreError) as caught:
        store = Store(url)
        store.audit.verify()
    message = str(caught.value)
    assert message.startswith(f"{url}: ") and "\n" not in message and "Background" not in message


@pytest.mark.parametrize(
    "command",
    [["audit", "verify"], ["licences", "list"], ["keys", "list"], ["db", "current"], ["db", "upgrade"], ["serve"]],
)
def test_cli_commands_fail_with_one_line_naming_the_database(tmp_path: Path, command: list[str]) -> None:
    url = _not_a_database(tmp_path)
    result = run_cli(*command, "--database", url)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"error: {url}: file is not a database\n"


def test_a_malformed_database_is_one_line_too(tmp_path: Path) -> None:
    url = _malformed(tmp_path)
    result = run_cli("audit", "verify", "--database", url)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"error: {url}: database disk image is malformed\n"


def _break(svc: Service, path: Path) -> None:
    """Drop the pooled connections, then overwrite the database under the running app."""
    svc.store.close()
    for leftover in path.parent.glob(f"{path.name}-*"):
        leftover.unlink()
    path.write_bytes(bytes(range(256)) * 80)


def test_the_api_answers_503_with_an_error_body(tmp_path: Path) -> None:
    path = tmp_path / "api.db"
    with service(f"sqlite:///{path}") as svc:
        assert svc.client.get("/licences", headers=svc.headers("viewer")).status_code == 200
        _break(svc, path)
        answer = svc.client.get("/licences", headers=svc.headers("viewer"))
    assert answer.status_code == 503
    problem = answer.json()
    assert answer.headers["content-type"] == "application/problem+json"
    assert problem["type"] == "urn:clearance:problem:StoreError"
    assert problem["detail"] == f"sqlite:///{path}: file is not a database"
