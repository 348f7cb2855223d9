"""Digests of code and data, which caches kept across runs are filed under: a cache written by other code or over
other data is never read back."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path


def files_digest(folder: Path, paths: Iterable[Path]) -> str:
    """A digest of the files ``paths`` in ``folder``: each one's path in the folder and its bytes, in path order."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def package_digest(folder: Path) -> str:
    """A digest of the code and data of the package in ``folder``: every module and every file of its ``data``
    folder (not a list of them, which a new module or data file could escape)."""
    return files_digest(folder, [*folder.rglob("*.py"), *(p for p in (folder / "data").glob("*") if p.is_file())])
