"""Pack files kept parsed between runs: strict YAML parsing is most of loading the packs, and the packs rarely change.

:class:`ParsedYaml` reads a file as :func:`~clearance.law.yamlio.read_yaml` does and keeps the values it built in a
cache folder, named by a digest of the file's bytes and of what else decides a parse (the reading code, PyYAML's
and Python's versions, the limits). A run that meets the same bytes reads the values back (``marshal``: exact for
the text, numbers, booleans, nulls, lists and mappings YAML gives); a changed file has another name and is parsed
afresh, so everything after parsing (validation, references, the content hash ``data_version``) is done on the same
values as without the cache. A file that does not parse is never kept (its error is read_yaml's, every time); a
kept entry that is unreadable, truncated or altered (each carries a digest of itself) is ignored and rewritten.
"""

from __future__ import annotations

import hashlib
import io
import marshal
import os
import sys
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from clearance.law import yamlio

_DIGEST = 32  # bytes of sha256 heading each kept entry
_MISSING = object()


@cache
def _reading() -> bytes:
    """What decides a parse besides the file's bytes."""
    code = hashlib.sha256(Path(yamlio.__file__).read_bytes())
    code.update(f"{yaml.__version__}|{sys.version}|{marshal.version}|{yamlio.LIMITS}".encode())
    return code.digest()


@dataclass(frozen=True)
class ParsedYaml:
    """``read(file, label)`` for :func:`~clearance.law.load_regulations`, keeping each file's values in ``folder``."""

    folder: Path

    def entry(self, raw: bytes) -> Path:
        """Where the values of a file with these bytes are kept."""
        return self.folder / f"yaml-{hashlib.sha256(_reading() + raw).hexdigest()[:32]}.marshal"

    def __call__(self, file: Path, label: str | None = None) -> Any:
        raw = file.read_bytes()
        entry = self.entry(raw)
        kept = _kept(entry)
        if kept is not _MISSING:
            return kept
        text = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8").read()  # as Path.read_text decodes it
        data = yamlio.parse_yaml(text, label or str(file))
        _keep(entry, data)
        return data


def _kept(entry: Path) -> Any:
    try:
        stored = entry.read_bytes()
    except OSError:
        return _MISSING
    body = stored[_DIGEST:]
    if stored[:_DIGEST] != hashlib.sha256(body).digest():
        return _MISSING
    try:
        return marshal.loads(body)
    except (EOFError, ValueError, TypeError):
        return _MISSING


def _keep(entry: Path, data: Any) -> None:
    """Write ``data`` whole under ``entry`` (another process sees the old entry or the new, never half of one);
    a folder that cannot be written just keeps nothing."""
    body = marshal.dumps(data)
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=entry.parent, prefix=".yaml-", delete=False) as out:
            out.write(hashlib.sha256(body).digest() + body)
    except OSError:
        return
    try:
        os.replace(out.name, entry)
    except OSError:
        Path(out.name).unlink(missing_ok=True)
