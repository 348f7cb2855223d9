"""Orders filed for release (held, blocked, released, shipped) and the reviewers' resolutions of their reasons.

Revision ID: 0005_orders
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_orders"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the order tables."""
    op.create_table(
        "orders",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("ref", sa.String(200), nullable=False, unique=True),
        sa.Column("regime", sa.String(16), nullable=False),
        sa.Column("ship_date", sa.Date, nullable=False),
        sa.Column("line", sa.Text, nullable=False),
        sa.Column("state", sa.String(16), nullable=False, index=True),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("checked", sa.Text, nullable=False),
        sa.Column("requested_by", sa.String(256), nullable=False),
        sa.Column("submitted_by", sa.String(256), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.Column("audit_seq", sa.Integer, nullable=False),
    )
    op.create_table(
        "order_resolutions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("order_id", sa.Integer, sa.ForeignKey("orders.id"), nullable=False, index=True),
        sa.Column("reason_key", sa.String(400), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("actor", sa.String(256), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("audit_seq", sa.Integer, nullable=False),
        sa.UniqueConstraint("order_id", "reason_key", name="uq_order_resolutions_order_reason"),
    )


def downgrade() -> None:
    """Drop the order tables."""
    op.drop_table("order_resolutions")
    op.drop_table("orders")
