"""Classifications (該非判定): a product's assessment as recorded, with who classified and who approved it.

Revision ID: 0006_gaihi_classifications
Revises: 0005_orders
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_gaihi_classifications"
down_revision = "0005_orders"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the classification table."""
    op.create_table(
        "classifications",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("part_number", sa.String(200), nullable=False, index=True),
        sa.Column("regime", sa.String(16), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("entry", sa.String(64), nullable=True),
        sa.Column("catch_all", sa.String(64), nullable=True),
        sa.Column("data_version", sa.String(128), nullable=False),
        sa.Column("request", sa.Text(), nullable=False),
        sa.Column("assessment", sa.Text(), nullable=False),
        sa.Column("classified_by", sa.String(256), nullable=False),
        sa.Column("classified_at", sa.String(32), nullable=False),
        sa.Column("approved_by", sa.String(256), nullable=True),
        sa.Column("approved_at", sa.String(32), nullable=True),
        sa.Column("audit_seq", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    """Drop the classifications (their audit records stay)."""
    op.drop_table("classifications")
