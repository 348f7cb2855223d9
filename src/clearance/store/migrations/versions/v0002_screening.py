"""Screening hits and reviewer decisions: the review queue and the good-guy list.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the hit and decision tables."""
    op.create_table(
        "screening_hits",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("party_key", sa.String(256), nullable=False, index=True),
        sa.Column("party_name", sa.String(512), nullable=False),
        sa.Column("party", sa.Text(), nullable=False),
        sa.Column("party_fingerprint", sa.String(64), nullable=False),
        sa.Column("subject", sa.String(256), nullable=True),
        sa.Column("entry_id", sa.String(256), nullable=False),
        sa.Column("entry_name", sa.String(512), nullable=False),
        sa.Column("list_id", sa.String(64), nullable=False, index=True),
        sa.Column("list_version", sa.String(128), nullable=False),
        sa.Column("list_date", sa.String(10), nullable=True),
        sa.Column("entry_fingerprint", sa.String(64), nullable=False),
        sa.Column("candidate", sa.Text(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("algorithm", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("stale_decision", sa.Boolean(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=True),
        sa.Column("first_seen_at", sa.String(32), nullable=False),
        sa.Column("last_seen_at", sa.String(32), nullable=False),
        sa.Column("screened_by", sa.String(256), nullable=False),
        sa.Column("audit_seq", sa.Integer(), nullable=False),
        sa.UniqueConstraint("party_key", "entry_id", name="uq_screening_hits_party_entry"),
    )
    op.create_table(
        "screening_decisions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("hit_id", sa.Integer(), sa.ForeignKey("screening_hits.id"), nullable=False, index=True),
        sa.Column("party_key", sa.String(256), nullable=False, index=True),
        sa.Column("entry_id", sa.String(256), nullable=False),
        sa.Column("list_id", sa.String(64), nullable=False),
        sa.Column("list_version", sa.String(128), nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False, index=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("reviewer", sa.String(256), nullable=False),
        sa.Column("party_fingerprint", sa.String(64), nullable=False),
        sa.Column("entry_fingerprint", sa.String(64), nullable=False),
        sa.Column("decided_at", sa.String(32), nullable=False),
        sa.Column("audit_seq", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    """Drop the screening tables (their audit records stay in the trail)."""
    op.drop_table("screening_decisions")
    op.drop_table("screening_hits")
