"""Alembic environment: migrations run on the connection :func:`clearance.store.migrate.upgrade` passes in."""

from __future__ import annotations

from alembic import context

from clearance.store.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `clearance db upgrade` (clearance.store.migrate.upgrade)")
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
