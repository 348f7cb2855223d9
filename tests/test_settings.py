"""One Settings object: the ``CLEARANCE_*`` variables, their defaults, and passing them to another process."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from clearance.settings import Settings


@pytest.fixture(autouse=True)
def _clean(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import os

    for name in list(os.environ):
        if name.startswith("CLEARANCE_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))


def test_defaults_are_the_user_folders(tmp_path: Path) -> None:
    settings = Settings()
    assert settings.data_dir == tmp_path / "xdg-data" / "clearance"
    assert settings.database == f"sqlite:///{tmp_path / 'xdg-data' / 'clearance' / 'clearance.db'}"
    assert settings.index_cache == tmp_path / "xdg-cache" / "clearance"
    assert (settings.max_batch, settings.max_body_bytes, settings.demo) == (1000, 1_048_576, False)


def test_the_data_dir_moves_the_database_and_the_caches(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CLEARANCE_DATA_DIR", str(tmp_path / "d"))
    settings = Settings()
    assert settings.database == f"sqlite:///{tmp_path / 'd' / 'clearance.db'}"
    assert settings.index_cache == tmp_path / "d" / "cache"
    monkeypatch.setenv("CLEARANCE_CACHE_DIR", str(tmp_path / "c"))
    assert Settings().index_cache == tmp_path / "c"


def test_variables_are_read_and_arguments_win(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLEARANCE_DATABASE_URL", "postgresql://db/x")
    monkeypatch.setenv("CLEARANCE_MAX_BATCH", "20")
    monkeypatch.setenv("CLEARANCE_DEMO", "1")
    monkeypatch.setenv("CLEARANCE_CATALOGUE", "")  # empty is unset
    settings = Settings(max_batch=5)
    assert (settings.database, settings.max_batch, settings.demo, settings.catalogue) == (
        "postgresql://db/x",
        5,
        True,
        None,
    )


def test_a_bad_variable_names_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLEARANCE_MAX_BATCH", "lots")
    with pytest.raises(ValidationError, match="max_batch"):
        Settings()


def test_the_environment_of_a_worker_reads_back_the_same_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    given = Settings(database_url="sqlite:///x.db", max_batch=7, demo=True, portfolio="examples/portfolio")
    env = given.environment({"PATH": "/bin", "CLEARANCE_CATALOGUE": "stale.csv"})
    assert env["PATH"] == "/bin" and "CLEARANCE_CATALOGUE" not in env
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert Settings() == given
