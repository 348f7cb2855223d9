"""Pack files kept parsed between runs (clearance.law.parsed): the same values as reading afresh, a changed file
read again, a damaged entry ignored and rewritten, a file that does not parse never kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from clearance import law
from clearance.cli import app
from clearance.errors import PackError
from clearance.law import BUNDLED, RegulationSet, load_regulations, yamlio
from clearance.law.loader import load_regulations_dir
from clearance.law.parsed import ParsedYaml
from clearance.law.yamlio import read_yaml


def _refuse_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def parse(*_: Any, **__: Any) -> Any:
        raise AssertionError("parsed again")

    monkeypatch.setattr(yamlio, "parse_yaml", parse)


def test_the_packs_load_the_same_and_come_back_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = {regime: pack.data_version for regime, pack in load_regulations().items()}
    first = RegulationSet(load_regulations_dir(BUNDLED, ParsedYaml(tmp_path)))
    assert {regime: pack.data_version for regime, pack in first.items()} == fresh
    assert len(list(tmp_path.glob("yaml-*.marshal"))) >= 20
    _refuse_parsing(monkeypatch)
    again = RegulationSet(load_regulations_dir(BUNDLED, ParsedYaml(tmp_path)))
    assert {regime: pack.data_version for regime, pack in again.items()} == fresh


def test_a_process_loads_the_packs_once_whatever_reader_a_later_call_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(law, "_loaded", {})
    first = load_regulations(read=ParsedYaml(tmp_path))  # as the CLI loads them
    _refuse_parsing(monkeypatch)
    assert load_regulations() is first  # as clearance.impact.runs asks for them


def test_each_bundled_file_reads_back_as_read_yaml_reads_it(tmp_path: Path) -> None:
    read = ParsedYaml(tmp_path)
    for file in sorted(BUNDLED.glob("*/**/*.yaml"))[:40]:
        expected = read_yaml(file, file.name)
        assert read(file, file.name) == expected
        assert read(file, file.name) == expected  # from the cache


def test_line_ends_and_values_are_as_read_yaml_gives_them(tmp_path: Path) -> None:
    file = tmp_path / "a.yaml"
    file.write_bytes(b"a: |\r\n  one\r\n  two\r\nb: [1, 2.5, .nan, null, true, NO, 2024-01-01]\r\n")
    read = ParsedYaml(tmp_path / "cache")
    kept = read(file, "a.yaml")
    assert repr(kept) == repr(read_yaml(file)) == repr(read(file, "a.yaml"))
    assert kept["a"] == "one\ntwo\n" and kept["b"][5:] == ["NO", "2024-01-01"]


def test_a_changed_file_is_read_again(tmp_path: Path) -> None:
    file = tmp_path / "a.yaml"
    read = ParsedYaml(tmp_path / "cache")
    file.write_text("value: 1\n", encoding="utf-8")
    assert read(file, "a.yaml") == {"value": 1}
    file.write_text("value: 2\n", encoding="utf-8")
    assert read(file, "a.yaml") == {"value": 2}
    file.write_text("value: [\n", encoding="utf-8")
    with pytest.raises(PackError, match="not valid YAML"):
        read(file, "a.yaml")


@pytest.mark.parametrize(
    "damage",
    [
        lambda stored: stored[: len(stored) // 2],  # cut short
        lambda stored: stored[:-1] + bytes([stored[-1] ^ 1]),  # one bit changed
        lambda stored: b"",  # empty
        lambda stored: b"\x00" * 32 + b"\xff\xfe",  # not marshal
    ],
)
def test_a_damaged_entry_is_ignored_and_rewritten(tmp_path: Path, damage: Any) -> None:
    file = tmp_path / "a.yaml"
    file.write_text("value: {text: abc, list: [1, 2, 3]}\n", encoding="utf-8")
    read = ParsedYaml(tmp_path / "cache")
    expected = read(file, "a.yaml")
    entry = read.entry(file.read_bytes())
    stored = entry.read_bytes()
    entry.write_bytes(damage(stored))
    assert read(file, "a.yaml") == expected
    assert entry.read_bytes() == stored


def test_a_file_that_does_not_parse_is_never_kept(tmp_path: Path) -> None:
    file = tmp_path / "a.yaml"
    file.write_text("a: 1\na: 2\n", encoding="utf-8")
    read = ParsedYaml(tmp_path / "cache")
    for _ in range(2):
        with pytest.raises(PackError, match="duplicate key"):
            read(file, "a.yaml")
    assert not list((tmp_path / "cache").glob("*"))


def test_a_folder_that_cannot_be_written_keeps_nothing(tmp_path: Path) -> None:
    file = tmp_path / "a.yaml"
    file.write_text("value: 1\n", encoding="utf-8")
    (tmp_path / "taken").write_text("a file, not a folder", encoding="utf-8")
    read = ParsedYaml(tmp_path / "taken")
    assert read(file, "a.yaml") == read(file, "a.yaml") == {"value": 1}


def test_the_cli_keeps_the_packs_parsed_in_the_cache_folder_and_reads_them_without(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(law, "_loaded", {})  # each run as a fresh process
    kept = CliRunner().invoke(app, ["regs", "show", "jp"], env={"CLEARANCE_CACHE_DIR": str(tmp_path)})
    assert kept.exit_code == 0 and list((tmp_path / "packs").glob("yaml-*.marshal"))
    env = {"CLEARANCE_CACHE_DIR": str(tmp_path / "unread"), "CLEARANCE_MAX_BATCH": "many"}  # settings that do not load
    monkeypatch.setattr(law, "_loaded", {})
    fresh = CliRunner().invoke(app, ["regs", "show", "jp"], env=env)
    assert fresh.exit_code == 0 and fresh.output == kept.output and not (tmp_path / "unread").exists()
