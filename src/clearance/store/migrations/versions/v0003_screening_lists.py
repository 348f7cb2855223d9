"""Imported screening list versions (immutable, by content hash), so that the service screens against them.

Delta re-screening needs nothing more: the hits each party had at its last screening are the review queue's rows
(``screening_hits``: entry fingerprint, list version and score per party and entry), and reviewer decisions stay in
``screening_decisions``.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the list-version table."""
    op.create_table(
        "screening_lists",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("version", sa.String(128), nullable=False),
        sa.Column("list_id", sa.String(64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("list_date", sa.String(10), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.String(32), nullable=False),
        sa.Column("imported_by", sa.String(256), nullable=False),
        sa.Column("audit_seq", sa.Integer(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.UniqueConstraint("version", name="uq_screening_lists_version"),
    )
    op.create_index("ix_screening_lists_list_id_id", "screening_lists", ["list_id", "id"])


def downgrade() -> None:
    """Drop the list versions (their import records stay in the audit trail)."""
    op.drop_index("ix_screening_lists_list_id_id", table_name="screening_lists")
    op.drop_table("screening_lists")
