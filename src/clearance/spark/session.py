"""A Spark session for the jobs, and what a job ships to its executors once (:class:`Shared`).

PySpark is an optional extra: :func:`spark_session` raises :class:`~clearance.errors.SparkUnavailableError` naming
what is missing (the extra, or Java for a local master) instead of a stack trace."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from clearance.errors import SparkUnavailableError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

#: Spark settings every job session gets (a cluster's own defaults stay for everything else).
SETTINGS = {
    "spark.ui.showConsoleProgress": "false",  # progress is ours to report; the bar garbles --json output
    "spark.sql.execution.arrow.maxRecordsPerBatch": "5000",  # lines per Arrow batch handed to a partition
}
#: Extra settings of a local master (``local[N]``): no web UI, and the workers run this Python.
LOCAL_SETTINGS = {"spark.ui.enabled": "false"}


def require_pyspark() -> None:
    """Raise :class:`SparkUnavailableError` unless the ``spark`` extra (PySpark, PyArrow, pandas) is installed."""
    missing = [name for name in ("pyspark", "pyarrow", "pandas") if importlib.util.find_spec(name) is None]
    if missing:
        raise SparkUnavailableError(
            f"the Spark extra is not installed ({', '.join(missing)} missing): pip install 'clearance[spark]'"
        )


def spark_session(master: str = "local[*]", app_name: str = "clearance") -> SparkSession:
    """A session on ``master`` (``local[N]``, ``spark://host:port``, ``yarn``, ``k8s://...``, or ``sc://host`` for
    Spark Connect); an existing session is reused as it is."""
    require_pyspark()
    from pyspark.sql import SparkSession

    if master.startswith("sc://"):
        return SparkSession.builder.remote(master).getOrCreate()
    local = master.startswith("local")
    if local and shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise SparkUnavailableError("Spark needs Java 17 (or newer): install it or set JAVA_HOME")
    if local:
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # the executors run the same environment
    builder = SparkSession.builder.master(master).appName(app_name)
    for key, value in {**SETTINGS, **(LOCAL_SETTINGS if local else {})}.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


#: Values built in this Python worker, by :attr:`Shared.key`, the most recently used last; only the
#: :data:`BUILT_LIMIT` used last are kept (a job uses at most two, and a worker of a long-lived session would
#: otherwise keep every earlier job's, e.g. a :class:`~clearance.engine.keyed.Keyed` with its record templates).
_BUILT: OrderedDict[str, Any] = OrderedDict()
BUILT_LIMIT = 4


class Recipe(Protocol[T_co]):
    """What a job ships to its executors: small, picklable data and how to build the value from it."""

    def build(self) -> T_co:
        """The value (built once per Python worker)."""
        ...


@dataclass(frozen=True)
class Given(Generic[T]):
    """A picklable value shipped as it is (a screening index)."""

    value: T

    def build(self) -> T:
        """The value."""
        return self.value


@dataclass(frozen=True)
class Shared(Generic[T]):
    """A value shipped to each executor once (a Spark broadcast of its :class:`Recipe`) and built once per Python
    worker, e.g. the regulation packs. Under Spark Connect, which has no broadcasts, the recipe travels with each
    task instead."""

    broadcast: Any
    recipe: Recipe[T] | None = None
    key: str = field(default_factory=lambda: uuid.uuid4().hex)

    @classmethod
    def of(cls, spark: SparkSession, recipe: Recipe[T]) -> Shared[T]:
        """``recipe`` shared with ``spark``'s executors."""
        if is_connect(spark):
            return cls(None, recipe)
        return cls(spark.sparkContext.broadcast(recipe))

    @property
    def value(self) -> T:
        """The value, built on first use in this worker."""
        if self.key in _BUILT:
            _BUILT.move_to_end(self.key)
        else:
            recipe = self.recipe if self.recipe is not None else self.broadcast.value
            _BUILT[self.key] = recipe.build()
            while len(_BUILT) > BUILT_LIMIT:
                _BUILT.popitem(last=False)
        return _BUILT[self.key]  # type: ignore[no-any-return]


def is_connect(spark: SparkSession) -> bool:
    """Whether ``spark`` is a Spark Connect session (no JVM, no broadcasts, no Hadoop file system here)."""
    return type(spark).__module__.startswith("pyspark.sql.connect")
