"""The language each API key's user chose for the web pages (remembered across browsers).

Revision ID: 0008_i18n_key_language
Revises: 0007_idempotency
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_i18n_key_language"
down_revision = "0007_idempotency"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the language column (empty: the browser's language until the user chooses)."""
    with op.batch_alter_table("api_keys") as batch:
        batch.add_column(sa.Column("language", sa.String(8), nullable=True))


def downgrade() -> None:
    """Drop the language column."""
    with op.batch_alter_table("api_keys") as batch:
        batch.drop_column("language")
