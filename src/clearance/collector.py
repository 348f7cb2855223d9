"""The garbage collector around large, long-lived heaps (regulation packs, memoised answers, screening indexes).

Python's cyclic collector walks every tracked object of a generation it collects, and the oldest generation holds
all that a process keeps. While a batch runs or an index is built or unpickled (millions of objects, none of them
garbage), those walks are wasted work: :func:`few_collections` freezes what exists and collects less often, then
restores the collector's settings; :func:`long_lived` makes a structure that way, collects once and leaves it
frozen, so later collections never walk it again (objects freed by reference counting are still freed; a frozen
cycle is not). Nested and concurrent uses share one setting: the outermost use restores it.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

#: The collector's thresholds inside :func:`few_collections` (the default is 700, 10, 10).
FEW = (50_000, 50, 1_000)

_lock = threading.Lock()
_users = 0
_saved = gc.get_threshold()


@contextmanager
def few_collections() -> Iterator[None]:
    """Freeze what exists and collect less often; restore the collector's settings after (the outermost use)."""
    global _users, _saved
    with _lock:
        if _users == 0:
            _saved = gc.get_threshold()
            gc.freeze()
            gc.set_threshold(*FEW)
        _users += 1
    try:
        yield
    finally:
        with _lock:
            _users -= 1
            if _users == 0:
                gc.set_threshold(*_saved)
                gc.unfreeze()


@contextmanager
def long_lived() -> Iterator[None]:
    """Make a structure the process keeps (an index built or unpickled) with few collections, then collect once and
    freeze it and everything else that exists: no later collection walks it (within a :func:`few_collections`,
    until that ends). The collection keeps no garbage cycle of the making frozen, and it counts what is kept as the
    oldest generation, so a full collection waits until a quarter as many objects again have grown old (CPython's
    rule), instead of walking the caches that queries fill each time a few thousand of their objects have."""
    with few_collections():
        yield
    gc.collect()
    gc.freeze()
