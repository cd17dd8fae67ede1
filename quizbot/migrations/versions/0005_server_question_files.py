"""Server question files: what each server's admins upload from chat, and whether it serves the bundled bank.

Revision ID: 0005_server_question_files
Revises: 0004_daily_outbox
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_server_question_files"
down_revision = "0004_daily_outbox"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "server_banks",
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("server", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("questions", sa.Integer(), nullable=False),
        sa.Column("topics", sa.String(length=2000), nullable=False),
        sa.Column("uploaded_by", sa.String(length=100), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("platform", "server", "name"),
    )
    op.create_table(
        "server_settings",
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("server", sa.String(length=64), nullable=False),
        sa.Column("bundled_bank", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("platform", "server"),
    )


def downgrade() -> None:
    op.drop_table("server_settings")
    op.drop_table("server_banks")
