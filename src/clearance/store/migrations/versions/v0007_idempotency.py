"""Idempotency keys: the answer to a request sent with an ``Idempotency-Key``, kept to answer a repeat with.

Revision ID: 0007_idempotency
Revises: 0006_gaihi_classifications
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_idempotency"
down_revision = "0006_gaihi_classifications"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the idempotency key table."""
    op.create_table(
        "idempotency_keys",
        sa.Column("owner", sa.String(32), primary_key=True),
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("headers", sa.JSON(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False, index=True),
    )


def downgrade() -> None:
    """Drop the idempotency keys (repeats are then recorded again)."""
    op.drop_table("idempotency_keys")
