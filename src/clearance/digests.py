"""Digests of code and data, which caches kept across runs are filed under: a cache written by other code or over
other data is never read back."""

from __future__ import annotations

import hashlib
from pathlib import Path


def package_digest(folder: Path) -> str:
    """A digest of the code and data of the package in ``folder``: every module and every file of its ``data``
    folder (not a list of them, which a new module or data file could escape)."""
    digest = hashlib.sha256()
    for path in sorted([*folder.rglob("*.py"), *(p for p in (folder / "data").glob("*") if p.is_file())]):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
