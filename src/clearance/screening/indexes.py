"""Screening indexes by the list versions they cover, built once and kept: in memory (the few most recently used)
and pickled in a cache folder, so that a process reads an index built by an earlier one instead of normalising
every list name again (which loads the Japanese and Chinese readers: about 300 MB). A cached index is read back
only by the code that built it, over the same list versions: a changed list, normaliser or name data is a new key.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from importlib import metadata
from pathlib import Path

from clearance.collector import long_lived
from clearance.digests import package_digest
from clearance.screening.features import ALGORITHM
from clearance.screening.index import ScreeningIndex
from clearance.screening.model import ListVersion

INDEX_FORMAT = 1
#: The libraries that read names in other scripts: another version may read a name otherwise.
_READERS = ("anyascii", "cutlet", "fugashi", "unidic-lite", "pypinyin")
#: Index pickles kept in the cache folder (the most recently used ones): a few per set of lists in use.
KEEP_PICKLES = 8


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return ""


@cache
def _code_digest() -> str:
    """The screening package's code and data (the normaliser, its name data, the learned weights) and the
    versions of the readers of other scripts."""
    readers = "|".join(f"{d}={_version(d)}" for d in _READERS).encode()
    return hashlib.sha256(package_digest(Path(__file__).resolve().parent).encode() + readers).hexdigest()


def index_key(versions: Mapping[str, str]) -> str:
    """What an index over these list versions is cached under: it changes with the algorithm, with the code and
    data that normalise names and build the index, and with the readers of other scripts, so an index pickled by
    other code is never read back."""
    text = "|".join([ALGORITHM, str(INDEX_FORMAT), _code_digest(), *sorted(versions.values())])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _read_pickle(path: Path) -> ScreeningIndex | None:
    try:
        with path.open("rb") as handle:
            index = pickle.load(handle)
        os.utime(path)  # most recently used
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None  # a missing, stale or broken cache is rebuilt
    return index if isinstance(index, ScreeningIndex) else None


def _write_pickle(path: Path, index: ScreeningIndex) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as handle:
            pickle.dump(index, handle, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
        cached = sorted(path.parent.glob("screening-index-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in cached[KEEP_PICKLES:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass  # caching is an optimisation only


def stored_index(
    versions: Mapping[str, str], load: Callable[[], Iterable[ListVersion]], cache_dir: Path | None
) -> ScreeningIndex:
    """The index over ``versions`` (list id → version) pickled in ``cache_dir``, else built from ``load()`` (and
    pickled there; ``None``: built, not kept), made with few collections and then frozen
    (:func:`~clearance.collector.long_lived`)."""
    path = cache_dir / f"screening-index-{index_key(versions)}.pickle" if cache_dir else None
    with long_lived():  # millions of objects kept for the process: not walked by the collector again
        index = _read_pickle(path) if path else None
        if index is None or index.versions != dict(versions):
            index = ScreeningIndex.build(load())
            if path:
                _write_pickle(path, index)
    return index


class IndexCache:
    """Indexes by the list versions they cover: the few most recently used in memory (an index over every bundled
    list takes about 400 MB), the rest pickled in a cache folder; each is built once even when threads ask at once."""

    def __init__(self, keep: int = 3) -> None:
        self.keep = keep
        self._items: OrderedDict[str, ScreeningIndex] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[str, threading.Lock] = {}

    def get(
        self, versions: Mapping[str, str], load: Callable[[], Iterable[ListVersion]], cache_dir: Path | None = None
    ) -> ScreeningIndex:
        """The index over ``versions`` (list id → version); ``load`` gives the lists when it must be built."""
        key = index_key(versions)
        with self._lock:
            building = self._building.setdefault(key, threading.Lock())
        with building:
            with self._lock:
                found = self._items.get(key)
                if found is not None:
                    self._items.move_to_end(key)
                    return found
            index = stored_index(versions, load, cache_dir)
            with self._lock:
                self._items[key] = index
                while len(self._items) > self.keep:
                    self._items.popitem(last=False)
                self._building.pop(key, None)
        return index


#: The process's indexes (shared by every store: list versions are immutable, so an index is too).
INDEXES = IndexCache()
