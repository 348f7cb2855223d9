"""How far a Spark job has got, in input lines, for a progress display: Spark's status tracker is polled for the
tasks finished by the jobs started in a block, a task being one input partition, so progress moves a partition's
share of the lines at a time (about: partitions differ a little in size)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING

from clearance.spark.files import Numbering
from clearance.spark.session import is_connect

if TYPE_CHECKING:
    from pyspark import SparkContext
    from pyspark.sql import SparkSession

#: Opens a progress display of a job over so many lines, and yields what to call with the lines done since the
#: last call (e.g. ``partial(clearance.render.batch_progress, "Determining", show=True)``).
Watch = Callable[[int], AbstractContextManager[Callable[[int], None]]]
#: Seconds between two looks at the status tracker.
POLL = 1.0


@contextmanager
def watched(spark: SparkSession, numbering: Numbering, watch: Watch | None, every: float = POLL) -> Iterator[None]:
    """Show the progress of the Spark jobs the block starts over ``numbering``'s lines with ``watch`` (nothing
    without one, or under Spark Connect, which has no status tracker); all the lines when the block ends well."""
    if watch is None or is_connect(spark):
        yield
        return
    context = spark.sparkContext
    group = f"clearance-{uuid.uuid4().hex}"
    context.setJobGroup(group, "clearance")
    stop = threading.Event()
    with watch(numbering.count) as advance:
        shown = 0

        def show(lines: int) -> None:
            nonlocal shown
            if lines > shown:
                advance(lines - shown)
                shown = lines

        def poll() -> None:
            while not stop.wait(every):
                show(int(numbering.count * _share_done(context, group)))

        thread = threading.Thread(target=poll, name="clearance-progress", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()
            context.setLocalProperty("spark.jobGroup.id", None)  # type: ignore[arg-type]
        show(numbering.count)


def _share_done(context: SparkContext, group: str) -> float:
    """The share of its tasks the largest stage of ``group``'s jobs has finished (0 before it starts)."""
    tracker = context.statusTracker()
    best = (0, 0)
    for job in tracker.getJobIdsForGroup(group):
        info = tracker.getJobInfo(job)
        for stage in info.stageIds if info else ():
            found = tracker.getStageInfo(stage)
            if found and found.numTasks > best[1]:
                best = (found.numCompletedTasks, found.numTasks)
    return best[0] / best[1] if best[1] else 0.0
