"""``clearance determine``: one shipment, or a batch of JSON Lines, through the law in force."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import typer

from clearance import render
from clearance.batchfile import is_parquet, open_output
from clearance.checks import check_shipment, read_shipment
from clearance.classify.catalogue import Catalogue
from clearance.cli._common import (
    CatalogueOption,
    JsonFlag,
    OutputOption,
    ProgressFlag,
    ResumeFlag,
    batch_source,
    catalogue_at,
    fail,
    read_input,
    regulations,
)
from clearance.engine.batch import SLICE, Reader, determine_lines, record_slices
from clearance.engine.encode import to_json
from clearance.engine.kept import KeptAnswers, scope
from clearance.errors import ClearanceError
from clearance.problems import BatchError
from clearance.screening import BundledScreener
from clearance.settings import Settings


def _screener() -> BundledScreener:
    """End users are screened against the bundled restricted-party lists the law in force refers to, the indexes
    over them and the results kept in the cache folder (``CLEARANCE_CACHE_DIR``) for the next run."""
    return BundledScreener(Settings().index_cache)


def _kept(regs: Any, screener: BundledScreener) -> KeptAnswers:
    """The keys' answers kept in the cache folder for the next batch (:mod:`clearance.engine.kept`)."""
    assert screener.cache_dir is not None
    return KeptAnswers(screener.cache_dir, scope(regs, screener.lists_digest))


def determine(
    source: Annotated[str, typer.Argument(metavar="FILE|-", help="A shipment as JSON, or - for stdin.")] = "-",
    batch: Annotated[
        bool, typer.Option("--batch", help="Read JSON Lines (or Parquet: FILE.parquet), one shipment per line.")
    ] = False,
    catalogue_path: CatalogueOption = "",
    output: OutputOption = None,
    resume: ResumeFlag = False,
    progress: ProgressFlag = None,
    as_json: JsonFlag = False,
) -> None:
    """Decide whether a shipment needs a licence, which licences can authorise it and how long review takes.

    The answer is required, not needed, or undecided (licence_required null in --json, with the open questions
    and the facts each needs); undecided exits 0 like any answer. Bad input exits 2.

        clearance determine --json shipment.json

    A batch (--batch) writes one JSON record per shipment line, with its input "line"
    (an error record for a bad line). With -o FILE the records go to FILE as each is answered;
    --resume keeps the records already in FILE and answers only the lines after them,
    so a batch that was interrupted is finished, each line answered once:

        clearance determine --batch orders.jsonl -o answers.jsonl --resume

    A batch is read as it is answered. FILE.parquet is read as Parquet (a row per shipment,
    struct columns for item and end_user); -o FILE.parquet writes the records as Parquet
    (position, ref, licence_required, basis... and the whole record as JSON):

        clearance determine --batch orders.parquet -o answers.parquet

    Progress (count, rate, time left) is shown on stderr when it is a terminal, or with --progress.
    """
    if (output or resume) and not batch:
        fail("-o/--output and --resume go with --batch")
    if resume and output is None:
        fail("--resume: give the output file to resume with -o/--output")
    regs = regulations()
    products = catalogue_at(catalogue_path)
    if batch:
        lines, numbers = batch_source(source, resume=resume)
        _batch(lines(), numbers, regs, products, as_json, output, resume, progress)
        return
    data = read_input(source)
    try:
        result = check_shipment(read_shipment(data, products), regs, _screener())
    except ClearanceError as exc:
        fail(str(exc))
    if as_json:
        sys.stdout.buffer.write(to_json(result, indent=True) + b"\n")
    else:
        render.console().print(render.determination(result))


def _batch(
    lines: Iterable[bytes],
    numbers: Sequence[int] | None,
    regs: Any,
    products: Catalogue | None,
    as_json: bool,
    output: Path | None,
    resume: bool,
    progress: bool | None,
) -> None:
    read = partial(read_shipment, catalogue=products)  # each line decoded on its own (a BOM concerns one line)
    if output is not None:
        _batch_to_file(lines, numbers, output, resume, progress, regs, read)
        return
    failed = False
    with render.batch_progress("Determining", _count(numbers), show=progress) as advance:
        if as_json:
            for data, count, errors, _ in _blocks(lines, regs, read, streamed=numbers is None):
                failed |= errors > 0
                sys.stdout.buffer.write(data)
                advance(count)
        else:
            rows: list[tuple[int, Any]] = []
            for number, result in determine_lines(lines, regs, read, _screener()):
                failed |= isinstance(result, BatchError)
                rows.append((number, str(result.problem.error()) if isinstance(result, BatchError) else result))
                advance()
            render.console().print(render.batch_table(rows))
    if failed:
        raise typer.Exit(2)


def _batch_to_file(
    lines: Iterable[bytes],
    numbers: Sequence[int] | None,
    output: Path,
    resume: bool,
    progress: bool | None,
    regs: Any,
    read: Reader,
) -> None:
    parquet = is_parquet(output)
    if resume and parquet:
        fail("--resume: a Parquet output is written whole; resume with a JSON Lines output (-o FILE.jsonl)")
    if parquet:
        from clearance.columnar import RecordWriter  # pyarrow loads only for Parquet
    try:
        out = RecordWriter(output) if parquet else open_output(output, "position", numbers or (), resume=resume)
    except ClearanceError as exc:
        fail(str(exc))
    before = out.done
    with out, render.batch_progress("Determining", _count(numbers), before, progress) as advance:
        for data, count, errors, last_line in _blocks(lines, regs, read, out.last_line, numbers is None):
            out.write_many(data, count, errors, last_line)
            advance(count)
    sys.stderr.write(f"{output}: {out.done} lines answered ({before} by an earlier run), {out.errors} with errors\n")
    if out.errors:
        raise typer.Exit(2)


def _blocks(
    lines: Iterable[bytes], regs: Any, read: Reader, after: int = 0, streamed: bool = False
) -> Iterator[tuple[bytes | memoryview, int, int, int]]:
    """The batch's records a slice of lines at a time: a Parquet file's answered as columns
    (:mod:`clearance.engine.columns`; the same records as line by line), other lines by the per-line path, each
    line's as it comes when ``streamed`` (stdin): the records (each with its newline), how many, how many of them
    are error records, and the number of the last line they answer."""
    tables, screener = getattr(lines, "tables", None), _screener()  # tables: a Parquet file's rows (ParquetRows)
    if tables is None:
        yield from record_slices(lines, regs, read, screener, after, 1 if streamed else SLICE, _kept(regs, screener))
        return
    from clearance.columnar import arrow_without_pandas, lean_memory_pool  # pyarrow loads only for Parquet
    from clearance.engine.columns import record_tables

    lean_memory_pool()
    arrow_without_pandas()
    for records in record_tables(tables(), regs, read, screener, after, _kept(regs, screener)):
        yield records.lines, len(records), int(records.errors.sum()), int(records.numbers[-1])


def _count(numbers: Sequence[int] | None) -> int | None:
    return None if numbers is None else len(numbers)
