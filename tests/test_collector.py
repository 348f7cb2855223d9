"""The garbage collector around long-lived heaps: settings restored by the outermost use, a kept structure frozen."""

from __future__ import annotations

import gc
import threading
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
