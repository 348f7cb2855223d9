"""``clearance serve``: the HTTP API and the web pages (uvicorn), optionally seeded as a demo."""

from __future__ import annotations

import ipaddress
import os
import sys
from typing import Annotated

import typer

from clearance.cli._common import ENV, Database, catalogue_at, fail, open_store, regulations
from clearance.errors import ClearanceError


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
        with open_store(database):
            pass  # migrate once, before any worker starts
    catalogue_at(catalogue)  # a catalogue that does not read stops here, not in a worker
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
    from clearance.demo import examples, seed
    from clearance.store import default_path

    try:
        files = examples()
    except ClearanceError as exc:
        fail(str(exc))
    url = database or f"sqlite:///{default_path().with_name('demo.db')}"
    sys.stderr.write("seeding the demo (the first run builds the screening index, about 10 seconds)...\n")
    with open_store(url) as store:
        done = seed(store, regulations(), files)
        print(
            f"clearance demo on {url}: {done.licences} licences registered, {done.determinations} shipments "
            f"determined, {done.drawdowns} drawdowns, {done.screened} parties screened ({done.hits} hits to review), "
            f"{done.orders} order lines filed"
        )
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    print(f"Open http://{shown}:{port}/ and sign in with one click as viewer, analyst, officer or admin.")
    print("API keys for this run (shown once; earlier demo keys are revoked):")
    for role, token in done.tokens.items():
        print(f"  {role:<8} {token}")
    return url, catalogue or str(files.catalogue), portfolio or str(files.portfolio)
