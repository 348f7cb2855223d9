"""The pack files a Spark job ships (clearance.spark.law.PackFiles): written once per machine and shared, not a
folder per worker left behind."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from clearance.spark.law import PackFiles


def test_workers_share_one_folder_per_set_of_pack_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    files = PackFiles((("jp/pack.yaml", b"id: jp\n"), ("kr/pack.yaml", b"id: kr\n")))
    first = files.write()
    assert files.write() == first  # a second worker, a later job
    assert sorted(p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file()) == [
        "jp/pack.yaml",
        "kr/pack.yaml",
    ]
    assert (first / "jp" / "pack.yaml").read_bytes() == b"id: jp\n"
    changed = PackFiles((("jp/pack.yaml", b"id: jp2\n"), ("kr/pack.yaml", b"id: kr\n")))
    assert changed.write() != first
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([first.name, changed.write().name])


def test_the_bundled_packs_written_are_the_bundled_packs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    files = PackFiles.of()
    assert PackFiles.of(files.write()) == files
