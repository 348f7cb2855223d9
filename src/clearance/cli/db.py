"""``clearance db``: create, migrate and inspect the service database."""

from __future__ import annotations

import typer

from clearance.cli._common import Database, open_store

app = typer.Typer(help="The service database: migrations.", no_args_is_help=True)


@app.command("upgrade")
def upgrade(database: Database = None) -> None:
    """Create or migrate the database to the newest schema.

    Example:

        clearance db upgrade --database postgresql://clearance@db/clearance
    """
    from clearance.store.migrate import head

    with open_store(database) as store:
        print(f"{store.db.dialect}: at revision {store.db.revision()} (newest: {head()})")


@app.command("current")
def current(database: Database = None) -> None:
    """Show the URL (password hidden) and schema revision of the database.

    Example:

        clearance db current
    """
    from clearance.store import redact
    from clearance.store.migrate import head

    with open_store(database, migrate=False) as store:
        print(f"{redact(store.db.url)}: revision {store.db.revision() or 'none'} (newest: {head()})")
