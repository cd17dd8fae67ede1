"""Personal reviews: one FSRS card per player, question and server, and the weekly reminder opt-in.

Revision ID: 0006_fsrs_cards
Revises: 0005_server_question_files
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_fsrs_cards"
down_revision = "0005_server_question_files"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review_cards",
        sa.Column("scope", sa.String(length=200), nullable=False),
        sa.Column("player_key", sa.String(length=100), nullable=False),
        sa.Column("question_id", sa.String(length=80), nullable=False),
        sa.Column("state", sa.Integer(), nullable=False),
        sa.Column("stability", sa.Float(), nullable=True),
        sa.Column("difficulty", sa.Float(), nullable=True),
        sa.Column("due", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_review", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reps", sa.Integer(), nullable=False),
        sa.Column("lapses", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("scope", "player_key", "question_id"),
    )
    op.create_index("ix_review_cards_due", "review_cards", ["scope", "player_key", "due"], unique=False)
    op.create_table(
        "review_reminders",
        sa.Column("player_key", sa.String(length=100), nullable=False),
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("player_id", sa.String(length=64), nullable=False),
        sa.Column("enabled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("player_key"),
    )
    op.create_index(
        "ix_review_reminders_platform", "review_reminders", ["platform", "last_sent_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_review_reminders_platform", table_name="review_reminders")
    op.drop_table("review_reminders")
    op.drop_index("ix_review_cards_due", table_name="review_cards")
    op.drop_table("review_cards")
