"""Question reports: problems players report with a question from under its result.

Revision ID: 0007_question_reports
Revises: 0006_fsrs_cards
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_question_reports"
down_revision = "0006_fsrs_cards"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "question_reports",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("scope", sa.String(length=200), nullable=False),
        sa.Column("question_id", sa.String(length=80), nullable=False),
        sa.Column("asked_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("player_key", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["asked_id"], ["asked.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("asked_id", "player_key", name="uq_question_reports_one_per_answer"),
    )
    with op.batch_alter_table("question_reports", schema=None) as batch_op:
        batch_op.create_index("ix_question_reports_scope_question", ["scope", "question_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("question_reports", schema=None) as batch_op:
        batch_op.drop_index("ix_question_reports_scope_question")

    op.drop_table("question_reports")
