"""The initial schema: API keys, licences, drawdowns, the audit records and the chain head.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from clearance.audit.chain import GENESIS
from clearance.store.tables import Money

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the tables and the genesis chain head."""
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("key_id", sa.String(32), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("created_by", sa.String(256), nullable=False),
        sa.Column("revoked_at", sa.String(32), nullable=True),
    )
    op.create_table(
        "licences",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("regime", sa.String(16), nullable=False, index=True),
        sa.Column("licence_type", sa.String(64), nullable=False),
        sa.Column("number", sa.String(128), nullable=False),
        sa.Column("authority", sa.String(256), nullable=False),
        sa.Column("holder", sa.String(256), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=False, index=True),
        sa.Column("destinations", sa.JSON(), nullable=False),
        sa.Column("control_entries", sa.JSON(), nullable=False),
        sa.Column("counterparties", sa.JSON(), nullable=False),
        sa.Column("value_limit", Money(), nullable=True),
        sa.Column("currency", sa.String(3), nullable=True),
        sa.Column("quantity_limit", Money(), nullable=True),
        sa.Column("unit", sa.String(32), nullable=True),
        sa.Column("conditions", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("value_used", Money(), nullable=False),
        sa.Column("quantity_used", Money(), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.UniqueConstraint("regime", "number", name="uq_licences_regime_number"),
    )
    op.create_table(
        "drawdowns",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("licence_id", sa.Integer(), sa.ForeignKey("licences.id"), nullable=False, index=True),
        sa.Column("key", sa.String(200), nullable=True),
        sa.Column("request", sa.Text(), nullable=False),
        sa.Column("shipment_ref", sa.Text(), nullable=True),
        sa.Column("shipment_date", sa.Date(), nullable=False),
        sa.Column("destination", sa.String(2), nullable=False),
        sa.Column("value", Money(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=True),
        sa.Column("quantity", Money(), nullable=False),
        sa.Column("unit", sa.String(32), nullable=True),
        sa.Column("actor", sa.String(256), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("audit_seq", sa.Integer(), nullable=False),
        sa.UniqueConstraint("licence_id", "key", name="uq_drawdowns_licence_key"),
    )
    op.create_table(
        "audit_records",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("kind", sa.String(32), nullable=False, index=True),
        sa.Column("actor", sa.String(256), nullable=False, index=True),
        sa.Column("at", sa.String(32), nullable=False, index=True),
        sa.Column("subject", sa.String(256), nullable=True, index=True),
        sa.Column("inputs", sa.Text(), nullable=False),
        sa.Column("outputs", sa.Text(), nullable=False),
        sa.Column("data_version", sa.String(128), nullable=True),
        sa.Column("list_versions", sa.Text(), nullable=False),
        sa.Column("key", sa.String(256), nullable=True, unique=True),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_audit_records_kind_seq", "audit_records", ["kind", "seq"])
    head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": GENESIS}])


def downgrade() -> None:
    """Drop everything (the audit trail included: only for throw-away databases)."""
    for table in ("audit_head", "audit_records", "drawdowns", "licences", "api_keys"):
        op.drop_table(table)
