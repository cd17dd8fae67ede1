"""Baseline: the schema of quizbot 0.1, exactly as its ``create_all`` made it.

Databases made by quizbot 0.1 are stamped with this revision instead of running it.

Revision ID: 0001_baseline
Revises:
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_baseline"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "asked",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("question_id", sa.String(length=80), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("server", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("ask_scope", sa.String(length=200), nullable=False),
        sa.Column("player_key", sa.String(length=100), nullable=True),
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("message_ref", sa.String(length=100), nullable=True),
        sa.Column("daily_seq", sa.Integer(), nullable=True),
        sa.Column("reveal_at_close", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("asked", schema=None) as batch_op:
        batch_op.create_index("ix_asked_scope_question", ["ask_scope", "question_id"], unique=False)

    op.create_table(
        "daily_streaks",
        sa.Column("scope", sa.String(length=200), nullable=False),
        sa.Column("player_key", sa.String(length=100), nullable=False),
        sa.Column("current", sa.Integer(), nullable=False),
        sa.Column("best", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("scope", "player_key"),
    )
    op.create_table(
        "quizbot_meta",
        sa.Column("key", sa.String(length=50), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "schedules",
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("server", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("time", sa.String(length=5), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("weekdays", sa.String(length=20), nullable=False),
        sa.Column("reveal_at_close", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("platform", "server", "channel"),
    )
    op.create_table(
        "scores",
        sa.Column("scope", sa.String(length=200), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("player_key", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("answered", sa.Integer(), nullable=False),
        sa.Column("correct", sa.Integer(), nullable=False),
        sa.Column("streak", sa.Integer(), nullable=False),
        sa.Column("best_streak", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("scope", "period", "player_key"),
    )
    with op.batch_alter_table("scores", schema=None) as batch_op:
        batch_op.create_index("ix_scores_rank", ["scope", "period", "points", "player_key"], unique=False)

    op.create_table(
        "answers",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("asked_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("player_key", sa.String(length=100), nullable=False),
        sa.Column("player_name", sa.String(length=100), nullable=False),
        sa.Column("response", sa.String(length=300), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["asked_id"], ["asked.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("asked_id", "player_key", name="uq_answers_one_per_player"),
    )
    op.create_table(
        "daily_posts",
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("server", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("local_date", sa.String(length=10), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("asked_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("message_ref", sa.String(length=100), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["asked_id"], ["asked.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("platform", "server", "channel", "local_date"),
        sa.UniqueConstraint("platform", "server", "channel", "seq", name="uq_daily_posts_seq"),
    )
    with op.batch_alter_table("daily_posts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_daily_posts_open", ["platform", "server", "channel", "closed_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("daily_posts", schema=None) as batch_op:
        batch_op.drop_index("ix_daily_posts_open")

    op.drop_table("daily_posts")
    op.drop_table("answers")
    with op.batch_alter_table("scores", schema=None) as batch_op:
        batch_op.drop_index("ix_scores_rank")

    op.drop_table("scores")
    op.drop_table("schedules")
    op.drop_table("quizbot_meta")
    op.drop_table("daily_streaks")
    with op.batch_alter_table("asked", schema=None) as batch_op:
        batch_op.drop_index("ix_asked_scope_question")

    op.drop_table("asked")
