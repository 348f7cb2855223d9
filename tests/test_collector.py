"""The garbage collector around long-lived heaps: settings restored by the outermost use, a kept structure frozen."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterator

import pytest

from clearance.collector import FEW, few_collections, long_lived


@pytest.fixture(autouse=True)
def _restored() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_few_collections_restores_the_settings_after_nested_uses() -> None:
    gc.set_threshold(700, 10, 10)
    with few_collections():
        assert gc.get_threshold() == FEW
        assert gc.get_freeze_count() > 0
        with few_collections():
            assert gc.get_threshold() == FEW
        assert gc.get_threshold() == FEW  # the inner use does not restore what the outer one set
    assert gc.get_threshold() == (700, 10, 10)
    assert gc.get_freeze_count() == 0


def test_overlapping_uses_in_threads_restore_the_settings() -> None:
    gc.set_threshold(700, 10, 10)
    entered, release = threading.Event(), threading.Event()

    def other() -> None:
        with few_collections():
            entered.set()
            release.wait()

    thread = threading.Thread(target=other)
    with few_collections():
        thread.start()
        entered.wait()
    assert gc.get_threshold() == FEW  # the other thread's batch still runs
    release.set()
    thread.join()
    assert gc.get_threshold() == (700, 10, 10)


def test_long_lived_leaves_what_it_made_frozen() -> None:
    gc.set_threshold(700, 10, 10)
    with long_lived():
        kept = [[i] for i in range(1_000)]
    assert gc.get_threshold() == (700, 10, 10)
    assert gc.get_freeze_count() >= len(kept)
    assert all(o is not kept for o in gc.get_objects())  # in no generation a collection walks


def test_long_lived_keeps_no_garbage_cycle_frozen() -> None:
    class Node:
        pass

    with long_lived():
        cycle = Node()
        cycle.self = cycle  # type: ignore[attr-defined]
        dead = weakref.ref(cycle)
        del cycle
    assert dead() is None


def test_a_long_lived_heap_defers_full_collections() -> None:
    gc.set_threshold(700, 10, 10)
    gc.freeze()
    gc.collect()  # the oldest generation empty, as in a process whose heap is frozen
    full: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2:
            full.append(1)

    with long_lived():
        kept = [[i] for i in range(500_000)]
    gc.callbacks.append(count)
    try:
        grown = [[i] for i in range(100_000)]  # through many young collections into the oldest generation
    finally:
        gc.callbacks.remove(count)
    assert len(kept) + len(grown) == 600_000
    assert not full  # a fifth of the kept heap grew old: no full collection walked the caches yet
