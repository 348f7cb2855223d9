"""What every command shares, defined once: failing with one line, printing JSON or a table, the ``--json``,
``--as-of``, ``--database`` and batch options, reading input, and the store as a context.

A command fails with :func:`fail` (status 2, one line on stderr, nothing on stdout); library errors
(:class:`~clearance.errors.ClearanceError`) are turned into that line where the command calls the library.
"""

from __future__ import annotations

import datetime as dt
import getpass
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any, NoReturn

import orjson
import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from clearance.batchfile import LineNumbers, file_lines, is_parquet
from clearance.cellvalues import read_date
from clearance.decoding import decode_text
from clearance.errors import ClearanceError
from clearance.law import RegulationSet, load_regulations
from clearance.law.loader import Reader
from clearance.law.parsed import ParsedYaml
from clearance.law.yamlio import read_yaml
from clearance.problems import first_problem

if TYPE_CHECKING:
    from clearance.classify.catalogue import Catalogue
    from clearance.store import Store

#: The database URL variable (``clearance.store.ENV``; the store, SQLAlchemy and Alembic load only when used).
ENV = "CLEARANCE_DATABASE_URL"

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
AsOf = Annotated[str, typer.Option("--as-of", help="Law in force on this date (YYYY-MM-DD); default today.")]
Database = Annotated[
    str | None,
    typer.Option("--database", envvar=ENV, help="Database URL (default: SQLite in the user data directory)."),
]
CatalogueOption = Annotated[
    str, typer.Option("--catalogue", help='Product catalogue (CSV/XLSX) for items given as {"product": PART}.')
]
#: The options of the batch commands (``determine --batch``, ``screen --batch``): see :mod:`clearance.batchfile`.
OutputOption = Annotated[
    Path | None,
    typer.Option("-o", "--output", help="Write the batch's JSON Lines here, each record as it is answered."),
]
ResumeFlag = Annotated[
    bool,
    typer.Option("--resume", help="Keep the records already in the --output file and answer only the rest."),
]
ProgressFlag = Annotated[
    bool | None,
    typer.Option(
        "--progress/--no-progress",
        help="Show the batch's progress (count, rate, time left) on stderr (default: if stderr is a terminal).",
        show_default=False,
    ),
]


def fail(message: str) -> NoReturn:
    """Exit with status 2 and one line on stderr; nothing on stdout."""
    sys.stderr.write(f"error: {message}\n")
    raise typer.Exit(2)


def emit(data: Any) -> None:
    """Print ``data`` as indented JSON on stdout (dates, decimals and other values as strings)."""
    sys.stdout.buffer.write(orjson.dumps(data, default=str, option=orjson.OPT_INDENT_2) + b"\n")


def console() -> Console:
    """A console for tables: the terminal's width, or 160 columns when piped."""
    probe = Console()
    return Console(soft_wrap=False, width=None if probe.is_terminal else 160)


def print_table(title: str, columns: list[str], rows: list[list[Any]]) -> None:
    """Print a table of plain values (None as blank)."""
    shown = Table(title=title)
    for column in columns:
        shown.add_column(column)
    for row in rows:
        shown.add_row(*("" if v is None else str(v) for v in row))
    Console().print(shown)


def parse_date(value: str, option: str) -> dt.date:
    """``value`` as a date as people write it (:func:`clearance.cellvalues.read_date`), or fail naming ``option``."""
    try:
        return read_date(value)
    except ValueError:
        fail(f"{option}: {value!r} is not a date (e.g. 2019-07-15, 2019/7/15, 令和元年7月15日)")


def optional_date(value: str, option: str) -> dt.date | None:
    """:func:`parse_date`, with an empty value meaning no date."""
    return parse_date(value, option) if value else None


def as_of_date(value: str) -> dt.date:
    """The ``--as-of`` date: today when not given."""
    return parse_date(value, "--as-of") if value else dt.date.today()


def current_actor() -> str:
    """Who the audit trail records for a command: ``cli:`` and the user's login name."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"


def read_input(source: str) -> bytes:
    """The bytes of FILE, or of stdin for ``-``."""
    if source == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(source).read_bytes()
    except OSError as exc:
        fail(f"FILE: cannot read {source!r}: {exc.strerror}")


def batch_source(
    source: str,
    *,
    resume: bool = False,
    count: Callable[[Iterable[bytes]], Sequence[int]] = LineNumbers,
) -> tuple[Callable[[], Iterable[bytes]], Sequence[int] | None]:
    """The lines of a batch FILE (stdin for ``-``), read as they are answered, and the numbers of the lines a
    batch answers (``count``: the non-blank ones), counted in a first pass: a Parquet file (by its extension) gives
    its rows as JSON lines. Stdin is read once, as it is answered: its numbers are unknown (None), unless ``resume``,
    which checks an output against them: stdin is then first copied to a temporary file."""
    if source == "-":
        if not resume:
            return lambda: sys.stdin.buffer, None
        spool = tempfile.TemporaryFile()  # noqa: SIM115 (read during the batch; deleted when the process ends)
        shutil.copyfileobj(sys.stdin.buffer, spool)
        return _lines_of(spool), count(_lines_of(spool)())
    path = Path(source)
    if not path.is_file():
        fail(f"FILE: cannot read {source!r}: no such file")
    if is_parquet(path):
        from clearance.columnar import ParquetRows, parquet_count  # pyarrow loads only for Parquet

        try:
            return lambda: ParquetRows(path), range(1, parquet_count(path) + 1)
        except ClearanceError as exc:
            fail(str(exc))
    return partial(file_lines, path), count(file_lines(path))


def _lines_of(handle: IO[bytes]) -> Callable[[], Iterator[bytes]]:
    """The lines of an open file, from its start each time."""

    def lines() -> Iterator[bytes]:
        handle.seek(0)
        yield from handle

    return lines


def read_json(source: str) -> Any:
    """FILE (or stdin for ``-``) parsed as JSON."""
    try:
        return orjson.loads(decode_text(read_input(source), "input"))
    except orjson.JSONDecodeError as exc:
        fail(f"input: not valid JSON: {exc}")
    except ClearanceError as exc:
        fail(str(exc))


def regulations() -> RegulationSet:
    """The bundled regulation packs."""
    try:
        return load_regulations(read=_pack_reader())
    except ClearanceError as exc:
        fail(str(exc))


def _pack_reader() -> Reader:
    """Pack files kept parsed in the cache folder (:mod:`clearance.law.parsed`), or read afresh when the settings
    do not load (a command that uses them says why; one that only reads the packs is not stopped)."""
    from clearance.settings import Settings

    try:
        return ParsedYaml(Settings().index_cache / "packs")
    except ValidationError:
        return read_yaml


def pack(regime: str) -> Any:
    """One regime's pack, or fail naming the known ones."""
    try:
        return regulations()[regime]
    except ClearanceError as exc:
        fail(str(exc))


def catalogue_at(path: str | None) -> Catalogue | None:
    """The product catalogue at ``path`` (checked against the packs), or None without one."""
    from clearance.classify.tabular import load_catalogue

    try:
        return load_catalogue(Path(path), regulations()) if path else None
    except ClearanceError as exc:
        fail(str(exc))


@contextmanager
def open_store(database: str | None, migrate: bool = True) -> Iterator[Store]:
    """The store, with ClearanceError (and model validation) turned into one line on stderr and status 2."""
    from clearance.store import Store

    opened: Store | None = None
    try:
        opened = Store(database, migrate=migrate)
        yield opened
    except ValidationError as exc:
        fail(str(first_problem(exc).error()))
    except ClearanceError as exc:
        fail(str(exc))
    finally:
        if opened is not None:
            opened.close()
