"""CLI sub-apps of the service: ``serve``, ``db``, ``keys``, ``audit`` and ``licences`` (thin over the store; the
screening commands ``screen``, ``lists`` and ``decisions`` are in :mod:`clearance.api.screening_cli`).

Register them in the main CLI::

    app.command("serve")(serve)
    for name, sub in SUBAPPS.items():
        app.add_typer(sub, name=name)
"""

from __future__ import annotations

import datetime as dt
import getpass
import ipaddress
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import orjson
import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from clearance.audit.replay import replay_stored
from clearance.checks import check, read_drawdown
from clearance.decoding import decode_text
from clearance.errors import ClearanceError
from clearance.inputs import input_error
from clearance.law import load_regulations
from clearance.licences.model import LicenceAmendment, LicenceTerms

if TYPE_CHECKING:
    from clearance.classify.catalogue import Catalogue
    from clearance.store import Store

#: The database URL variable (``clearance.store.ENV``; the store, SQLAlchemy and Alembic load only when used).
ENV = "CLEARANCE_DATABASE_URL"

Database = Annotated[
    str | None,
    typer.Option("--database", envvar=ENV, help="Database URL (default: SQLite in the user data directory)."),
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
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

db_app = typer.Typer(help="The service database: migrations.", no_args_is_help=True)
keys_app = typer.Typer(help="API keys of the HTTP service (stored hashed; shown once).", no_args_is_help=True)
audit_app = typer.Typer(help="The hash-chained audit trail: list, show, verify, replay.", no_args_is_help=True)
licences_app = typer.Typer(help="The licence register: held licences and drawdowns.", no_args_is_help=True)


def _fail(message: str) -> NoReturn:
    sys.stderr.write(f"error: {message}\n")
    raise typer.Exit(2)


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"


def _emit(data: Any) -> None:
    sys.stdout.buffer.write(orjson.dumps(data, default=str, option=orjson.OPT_INDENT_2) + b"\n")


def _table(title: str, columns: list[str], rows: list[list[Any]]) -> None:
    table = Table(title=title)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    Console().print(table)


def _read_json(source: str) -> Any:
    try:
        data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except OSError as exc:
        _fail(f"FILE: cannot read {source!r}: {exc.strerror}")
    try:
        return orjson.loads(decode_text(data, "input"))
    except orjson.JSONDecodeError as exc:
        _fail(f"input: not valid JSON: {exc}")
    except ClearanceError as exc:
        _fail(str(exc))


def _catalogue(path: str | None) -> Catalogue | None:
    """The product catalogue at ``path`` (checked against the packs), or None without one."""
    from clearance.api.app import catalogue_of
    from clearance.api.settings import Settings

    try:
        return catalogue_of(Settings(catalogue=path), load_regulations())
    except ClearanceError as exc:
        _fail(str(exc))


@contextmanager
def _store(database: str | None, migrate: bool = True) -> Iterator[Store]:
    """The store, with ClearanceError (and model validation) turned into one line on stderr and status 2."""
    from clearance.store import Store

    store: Store | None = None
    try:
        store = Store(database, migrate=migrate)
        yield store
    except ValidationError as exc:
        _fail(str(input_error(exc)))
    except ClearanceError as exc:
        _fail(str(exc))
    finally:
        if store is not None:
            store.close()


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 1,
    database: Database = None,
    max_batch: Annotated[int, typer.Option(min=1, help="Most shipments per batch request.")] = 1000,
    max_body: Annotated[int, typer.Option(min=1024, help="Largest request body in bytes.")] = 1_048_576,
    catalogue: Annotated[
        str | None,
        typer.Option(
            help='Product catalogue (CSV/XLSX): {"product": PART} items resolve against it (API, web, drawdowns).',
            envvar="CLEARANCE_CATALOGUE",
        ),
    ] = None,
    portfolio: Annotated[
        str | None, typer.Option(help="Portfolio folder for impact runs.", envvar="CLEARANCE_PORTFOLIO")
    ] = None,
    demo: Annotated[
        bool,
        typer.Option(
            "--demo",
            help="Seed a demo from examples/ (its own SQLite file unless --database is given), print a key per "
            "role and offer one-click demo sign-in.",
        ),
    ] = False,
) -> None:
    """Run the HTTP API and the web pages (uvicorn); the database is migrated first. Pages at /ui/, OpenAPI at
    /openapi.json, API docs at /docs."""
    import uvicorn

    if demo:
        database, catalogue, portfolio = _demo(database, catalogue, portfolio, host, port)
    else:
        with _store(database):
            pass  # migrate once, before any worker starts
    _catalogue(catalogue)  # a catalogue that does not read stops here, not in a worker
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        sys.stderr.write(f"warning: listening on {host}, not loopback: put TLS in front of it\n")
    os.environ.update(CLEARANCE_MAX_BATCH=str(max_batch), CLEARANCE_MAX_BODY_BYTES=str(max_body))
    os.environ["CLEARANCE_DEMO"] = "1" if demo else ""
    for name, value in ((ENV, database), ("CLEARANCE_CATALOGUE", catalogue), ("CLEARANCE_PORTFOLIO", portfolio)):
        if value:
            os.environ[name] = value
    uvicorn.run(
        "clearance.api.app:from_environment", factory=True, host=host, port=port, workers=workers, log_level="warning"
    )


def _demo(
    database: str | None, catalogue: str | None, portfolio: str | None, host: str, port: int
) -> tuple[str, str, str]:
    """Seed the demo; the database URL, catalogue and portfolio to serve."""
    from clearance.store import default_path
    from clearance.web.demo import examples, seed

    try:
        files = examples()
    except ClearanceError as exc:
        _fail(str(exc))
    url = database or f"sqlite:///{default_path().with_name('demo.db')}"
    sys.stderr.write("seeding the demo (the first run builds the screening index, about 10 seconds)...\n")
    with _store(url) as store:
        done = seed(store, load_regulations(), files)
        print(
            f"clearance demo on {url}: {done.licences} licences registered, {done.determinations} shipments "
            f"determined, {done.drawdowns} drawdowns, {done.screened} parties screened ({done.hits} hits to review)"
        )
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    print(f"Open http://{shown}:{port}/ and sign in with one click as viewer, analyst, officer or admin.")
    print("API keys for this run (shown once; earlier demo keys are revoked):")
    for role, token in done.tokens.items():
        print(f"  {role:<8} {token}")
    return url, catalogue or str(files.catalogue), portfolio or str(files.portfolio)


@db_app.command("upgrade")
def db_upgrade(database: Database = None) -> None:
    """Create or migrate the database to the newest schema."""
    from clearance.store.migrate import head

    with _store(database) as store:
        print(f"{store.db.dialect}: at revision {store.db.revision()} (newest: {head()})")


@db_app.command("current")
def db_current(database: Database = None) -> None:
    """Show the URL (password hidden) and schema revision of the database."""
    from clearance.store import redact
    from clearance.store.migrate import head

    with _store(database, migrate=False) as store:
        print(f"{redact(store.db.url)}: revision {store.db.revision() or 'none'} (newest: {head()})")


@keys_app.command("create")
def keys_create(
    name: Annotated[str, typer.Argument(help="Who or what uses the key, e.g. erp-prod.")],
    role: Annotated[str, typer.Option(help="viewer, analyst, officer or admin.")] = "viewer",
    database: Database = None,
) -> None:
    """Create an API key and print it (once: only its hash is stored)."""
    with _store(database) as store:
        key, token = store.keys.create(name, role, _actor())
        sys.stderr.write(f"created key {key.key_id} ({key.role}) for {key.name}; it is shown only now:\n")
        print(token)


@keys_app.command("list")
def keys_list(database: Database = None, as_json: JsonFlag = False) -> None:
    """List API keys (never the keys themselves)."""
    with _store(database) as store:
        keys = [k.to_dict() for k in store.keys.list()]
    if as_json:
        _emit(keys)
    else:
        columns = ["key_id", "name", "role", "created_at", "revoked_at"]
        _table("API keys", columns, [[k[c] for c in columns] for k in keys])


@keys_app.command("revoke")
def keys_revoke(
    key_id: Annotated[str, typer.Argument(help="The key id shown by `keys list`.")], database: Database = None
) -> None:
    """Revoke an API key (running servers stop accepting it within seconds)."""
    with _store(database) as store:
        key = store.keys.revoke(key_id, _actor())
        print(f"revoked {key.key_id} ({key.name}) at {key.revoked_at}")


@audit_app.command("verify")
def audit_verify(database: Database = None, as_json: JsonFlag = False) -> None:
    """Check every stored record against the hash chain; exit 1 and name the first record edited, deleted, out of
    order or inserted outside the audit log."""
    with _store(database) as store:
        result = store.audit.verify()
    if as_json:
        _emit(result.to_dict())
    elif result.finding is None:
        print(f"ok: {result.checked} records, head {result.head.seq} {result.head.hash}")
    else:
        print(f"BROKEN at record {result.finding.seq} ({result.finding.problem}): {result.finding.message}")
    if not result.ok:
        raise typer.Exit(1)


@audit_app.command("replay")
def audit_replay(
    seq: Annotated[int, typer.Argument(metavar="ID", help="The audit record's sequence number.")],
    database: Database = None,
    as_json: JsonFlag = False,
) -> None:
    """Re-run a recorded determination under today's regulations and show what changed (exit 1 if anything)."""
    from clearance.store import record_dict

    with _store(database) as store:
        result = replay_stored(record_dict(store.audit.get(seq)), load_regulations(), store.lists.screener())
    if as_json:
        _emit(result.to_dict())
    else:
        print(f"record {seq}: data {result.data_version_then} then, {result.data_version_now} now")
        if result.same:
            print("same answer today")
        else:
            _table(
                "changed",
                ["field", "then", "now"],
                [[d.path, orjson.dumps(d.then).decode(), orjson.dumps(d.now).decode()] for d in result.differences],
            )
    if not result.same:
        raise typer.Exit(1)


@audit_app.command("list")
def audit_list(
    kind: Annotated[str | None, typer.Option(help="Only records of this kind, e.g. determination.")] = None,
    subject: Annotated[str | None, typer.Option(help="Only records about this subject (e.g. a shipment ref).")] = None,
    after: Annotated[int, typer.Option(help="Start after this sequence number.")] = 0,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
    database: Database = None,
    as_json: JsonFlag = False,
) -> None:
    """List audit records, oldest first."""
    from clearance.store import Query, record_dict

    with _store(database) as store:
        entries, _ = store.audit.page(Query(kind=kind, subject=subject), after, limit)
    if as_json:
        _emit([record_dict(e) for e in entries])
    else:
        _table(
            "audit records",
            ["seq", "at", "kind", "actor", "subject", "hash"],
            [[e.seq, e.at, e.kind, e.actor, e.subject, e.hash[:16]] for e in entries],
        )


@audit_app.command("show")
def audit_show(seq: Annotated[int, typer.Argument(metavar="ID")], database: Database = None) -> None:
    """Print one audit record as JSON."""
    from clearance.store import record_dict

    with _store(database) as store:
        _emit(record_dict(store.audit.get(seq)))


@licences_app.command("add")
def licences_add(
    source: Annotated[str, typer.Argument(metavar="FILE|-", help="The licence terms as JSON.")] = "-",
    database: Database = None,
) -> None:
    """Register a held licence from its terms (see docs/service.md for the fields)."""
    from clearance.store import licence_dict

    data = _read_json(source)
    with _store(database) as store:
        terms = LicenceTerms.model_validate(data)
        _emit(licence_dict(store.licences.add(terms, _actor(), load_regulations())))


@licences_app.command("list")
def licences_list(
    regime: Annotated[str | None, typer.Option(help="Only this regime.")] = None,
    status: Annotated[str | None, typer.Option(help="active, suspended or revoked.")] = None,
    database: Database = None,
    as_json: JsonFlag = False,
) -> None:
    """List held licences with what is left on each."""
    from clearance.store import licence_dict

    found = []
    with _store(database) as store:
        after: int | None = 0
        while after is not None:
            page, after = store.licences.page(after, 500, regime, status)
            found += [licence_dict(lic) for lic in page]
    if as_json:
        _emit(found)
    else:
        columns = ["id", "regime", "licence_type", "number", "valid_to", "status", "value_left", "currency"]
        _table("licences", columns, [[lic[c] for c in columns] for lic in found])


@licences_app.command("show")
def licences_show(licence_id: Annotated[int, typer.Argument(metavar="ID")], database: Database = None) -> None:
    """Print a licence, its balances and its drawdowns as JSON."""
    from clearance.store import licence_dict

    with _store(database) as store:
        licence = licence_dict(store.licences.get(licence_id))
        history: list[dict[str, Any]] = []
        after: int | None = 0
        while after is not None:
            page, after = store.licences.drawdowns(licence_id, after, 500)
            history += [d.to_dict() for d in page]
    _emit({**licence, "drawdowns": history})


def _decimal(value: str | None, option: str) -> Decimal | None:
    try:
        return None if value is None else Decimal(value)
    except InvalidOperation:
        _fail(f"{option}: {value!r} is not a number")


@licences_app.command("draw")
def licences_draw(
    licence_id: Annotated[int, typer.Argument(metavar="ID")],
    source: Annotated[str, typer.Argument(metavar="FILE|-", help="The shipment as JSON.")] = "-",
    quantity: Annotated[str | None, typer.Option(help="Quantity shipped (with --unit).")] = None,
    unit: Annotated[str | None, typer.Option(help="Unit of the quantity, as on the licence.")] = None,
    key: Annotated[str | None, typer.Option(help="Idempotency key, e.g. the invoice number.")] = None,
    catalogue: Annotated[
        str, typer.Option("--catalogue", help='Product catalogue (CSV/XLSX) for items given as {"product": PART}.')
    ] = "",
    database: Database = None,
) -> None:
    """Draw a shipment down against a licence; refused with a reason if it does not fit."""
    from clearance.store import licence_dict

    shipment = _read_json(source)
    products = _catalogue(catalogue or None)
    with _store(database) as store:
        body = {"shipment": shipment, "quantity": _decimal(quantity, "--quantity"), "unit": unit, "key": key}
        request = read_drawdown(body, products)
        answer = check(request.shipment, load_regulations(), store.lists.screener())
        outcome = store.licences.draw(licence_id, request, answer, _actor())
        _emit(
            {
                "drawdown": outcome.drawdown.to_dict(),
                "licence": licence_dict(outcome.licence),
                "warnings": list(outcome.warnings),
                "repeated": outcome.repeated,
            }
        )


@licences_app.command("amend")
def licences_amend(
    licence_id: Annotated[int, typer.Argument(metavar="ID")],
    reason: Annotated[str, typer.Option(help="Why (recorded in the audit trail).")],
    valid_to: Annotated[str | None, typer.Option(help="New end of validity (YYYY-MM-DD).")] = None,
    status: Annotated[str | None, typer.Option(help="active, suspended or revoked.")] = None,
    database: Database = None,
) -> None:
    """Amend a licence's validity or status."""
    from clearance.store import licence_dict

    with _store(database) as store:
        amendment = LicenceAmendment.model_validate({"valid_to": valid_to, "status": status, "reason": reason})
        _emit(licence_dict(store.licences.amend(licence_id, amendment, _actor())))


@licences_app.command("expiring")
def licences_expiring(
    within_days: Annotated[int, typer.Option(min=0, help="Horizon in days.")] = 30,
    database: Database = None,
) -> None:
    """List active licences that expire soon (exit 1 if any)."""
    with _store(database) as store:
        found = store.licences.expiring(dt.date.today(), within_days)
    _table(
        f"licences expiring within {within_days} days",
        ["id", "number", "valid_to"],
        [[lic.id, lic.terms.number, lic.terms.valid_to] for lic in found],
    )
    if found:
        raise typer.Exit(1)


#: The sub-apps by the name to register them under.
SUBAPPS: dict[str, typer.Typer] = {"db": db_app, "keys": keys_app, "audit": audit_app, "licences": licences_app}

__all__ = ["SUBAPPS", "audit_app", "db_app", "keys_app", "licences_app", "serve"]
