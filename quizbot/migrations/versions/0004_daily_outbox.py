"""The daily outbox: every daily question and reveal is recorded under its key before it is sent.

Slots claimed by quizbot before this revision keep working: posted and closed ones are read from
daily_posts as before.

Revision ID: 0004_daily_outbox
Revises: 0003_points_once_per_question
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_daily_outbox"
down_revision = "0003_points_once_per_question"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "daily_outbox",
        sa.Column("key", sa.String(length=25), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("server", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("local_date", sa.String(length=10), nullable=False),
        sa.Column("asked_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("message_ref", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(["asked_id"], ["asked.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("key"),
    )
    with op.batch_alter_table("daily_outbox", schema=None) as batch_op:
        batch_op.create_index("ix_daily_outbox_asked", ["asked_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("daily_outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_daily_outbox_asked")

    op.drop_table("daily_outbox")
