"""``clearance serve``: the HTTP API and the web pages (uvicorn), optionally seeded as a demo."""

from __future__ import annotations

import ipaddress
import os
import subprocess
import sys
from typing import Annotated, Any

import typer

from clearance.cli._common import Database, catalogue_at, fail, open_store, regulations
from clearance.errors import ClearanceError
from clearance.settings import Settings


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
    /openapi.json, API docs at /docs.

    Example:

        clearance serve --demo
    """
    import uvicorn

    given: dict[str, Any] = {"database_url": database, "catalogue": catalogue, "portfolio": portfolio}
    settings = Settings(
        **{k: v for k, v in given.items() if v}, max_batch=max_batch, max_body_bytes=max_body, demo=demo
    )
    if demo:
        settings = _demo(settings, host, port)
    else:
        with open_store(settings.database):
            pass  # migrate once, before any worker starts
    catalogue_at(settings.catalogue)  # a catalogue that does not read stops here, not in a worker
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        sys.stderr.write(f"warning: listening on {host}, not loopback: put TLS in front of it\n")
    if workers == 1:
        from clearance.api import create_app

        uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")
        return
    # Workers are processes of their own: they read the same settings from the environment they are given.
    command = [sys.executable, "-m", "uvicorn", "clearance.api.app:from_environment", "--factory"]
    command += ["--host", host, "--port", str(port), "--workers", str(workers), "--log-level", "warning"]
    raise typer.Exit(subprocess.run(command, env=settings.environment(os.environ), check=False).returncode)


def _demo(settings: Settings, host: str, port: int) -> Settings:
    """Seed the demo; the settings to serve it with (its own database unless one is given, the example catalogue
    and portfolio unless others are)."""
    from clearance.demo import examples, seed

    try:
        files = examples()
    except ClearanceError as exc:
        fail(str(exc))
    url = settings.database_url or f"sqlite:///{settings.data_dir / 'demo.db'}"
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
    demo = {
        "database_url": url,
        "catalogue": settings.catalogue or str(files.catalogue),
        "portfolio": settings.portfolio or str(files.portfolio),
    }
    return settings.model_copy(update=demo)
