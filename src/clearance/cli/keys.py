"""``clearance keys``: API keys of the HTTP service (stored hashed; a key is shown once)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from clearance.cli._common import Database, JsonFlag, current_actor, emit, open_store, print_table

app = typer.Typer(help="API keys of the HTTP service (stored hashed; shown once).", no_args_is_help=True)


@app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="Who or what uses the key, e.g. erp-prod.")],
    role: Annotated[str, typer.Option(help="viewer, analyst, officer or admin.")] = "viewer",
    database: Database = None,
) -> None:
    """Create an API key and print it (once: only its hash is stored).

    Example:

        clearance keys create erp-prod --role analyst
    """
    with open_store(database) as store:
        key, token = store.keys.create(name, role, current_actor())
        sys.stderr.write(f"created key {key.key_id} ({key.role}) for {key.name}; it is shown only now:\n")
        print(token)


@app.command("list")
def list_keys(database: Database = None, as_json: JsonFlag = False) -> None:
    """List API keys (never the keys themselves).

    Example:

        clearance keys list
    """
    with open_store(database) as store:
        keys = [k.to_dict() for k in store.keys.list()]
    if as_json:
        emit(keys)
    else:
        columns = ["key_id", "name", "role", "created_at", "revoked_at"]
        print_table("API keys", columns, [[k[c] for c in columns] for k in keys])


@app.command("revoke")
def revoke(
    key_id: Annotated[str, typer.Argument(help="The key id shown by `keys list`.")], database: Database = None
) -> None:
    """Revoke an API key (running servers stop accepting it within seconds).

    Example:

        clearance keys revoke k_3f2a
    """
    with open_store(database) as store:
        key = store.keys.revoke(key_id, current_actor())
        print(f"revoked {key.key_id} ({key.name}) at {key.revoked_at}")
