"""The regulation packs as a Spark job ships them: the pack files themselves (about 1.4 MB of YAML), written to a
folder on each executor and loaded there once per Python worker, so the executors answer under exactly the law
the driver read (checked by each pack's ``data_version``, a hash of its content)."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from clearance.errors import PackError
from clearance.impact.runs import Comparison, ImpactRequest, comparison
from clearance.law import BUNDLED, RegulationSet
from clearance.law.loader import load_regulations_dir
from clearance.law.regulations import Regulations
from clearance.law.scenario import Scenario


@dataclass(frozen=True)
class PackFiles:
    """Every file of a regulations folder, by path relative to it."""

    files: tuple[tuple[str, bytes], ...]

    @classmethod
    def of(cls, root: Path = BUNDLED) -> PackFiles:
        """The files under ``root`` (default: the packs bundled with clearance)."""
        paths = sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        return cls(tuple((p.relative_to(root).as_posix(), p.read_bytes()) for p in paths))

    @property
    def size(self) -> int:
        """Bytes shipped to each executor."""
        return sum(len(data) for _, data in self.files)

    def digest(self) -> str:
        """A digest of the files' names and contents."""
        found = hashlib.sha256()
        for name, data in self.files:
            found.update(b"%d:%s%d:" % (len(name), name.encode(), len(data)) + data)
        return found.hexdigest()[:32]

    def write(self) -> Path:
        """The files in a folder of the temporary folder named by their :meth:`digest`: written once per machine
        (into a new folder put in place whole), then shared by every worker and every later job with the same
        files, so that workers leave no folder each behind (the packs are loaded from it once per worker)."""
        root = Path(tempfile.gettempdir()) / f"clearance-packs-{self.digest()}"
        if root.is_dir():
            return root
        staging = Path(tempfile.mkdtemp(prefix="clearance-packs-", suffix=".writing"))
        for name, data in self.files:
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            (staging / name).write_bytes(data)
        try:
            staging.rename(root)
        except OSError:  # another worker put the same files in place first
            shutil.rmtree(staging, ignore_errors=True)
        return root


@dataclass(frozen=True)
class Packs:
    """A recipe (:class:`clearance.spark.session.Recipe`) for every pack of a folder, as the driver loaded it."""

    files: PackFiles
    data_versions: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, regulations: Mapping[str, Regulations], root: Path = BUNDLED) -> Packs:
        """The packs ``regulations`` (loaded from ``root``) as they are shipped."""
        return cls(PackFiles.of(root), tuple(sorted((k, r.data_version) for k, r in regulations.items())))

    def build(self) -> RegulationSet:
        """The packs, loaded on this worker; :class:`PackError` unless they are the driver's."""
        packs = RegulationSet(load_regulations_dir(self.files.write()))
        found = tuple(sorted((k, r.data_version) for k, r in packs.items()))
        if found != self.data_versions:
            message = f"the executor loaded packs {found}, the driver {self.data_versions}: install the same clearance"
            raise PackError("executor", "data_version", message)
        return packs


@dataclass(frozen=True)
class Compared:
    """A recipe for the two law versions of an impact run (:func:`clearance.impact.runs.comparison`: two dates, a
    scenario, or pending changes), built on each worker from the pack files as the driver built it."""

    files: PackFiles
    request: ImpactRequest
    scenario: Scenario | None
    data_versions: tuple[str, str]

    @classmethod
    def of(cls, compared: Comparison, request: ImpactRequest, scenario: Scenario | None = None) -> Compared:
        """How workers build ``compared``, what ``request`` (with ``scenario``, one already read) compares over
        the bundled packs."""
        return cls(PackFiles.of(), request, scenario, compared.data_versions)

    def build(self) -> Comparison:
        """The comparison, read on this worker; :class:`PackError` unless its packs are the driver's."""
        compared = comparison(self.request, self.scenario, self.files.write())
        if compared.data_versions != self.data_versions:
            found, driver = compared.data_versions, self.data_versions
            message = f"the executor read the law {found}, the driver {driver}: install the same clearance"
            raise PackError("executor", "data_version", message)
        return compared
