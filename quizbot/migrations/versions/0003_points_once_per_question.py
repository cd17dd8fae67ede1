"""Points once per question and server: the scored_questions claim table and answers.practice.

Answers recorded before this revision are written into scored_questions, so a question a player already
answered on a server stays answered after the upgrade: it is practice from then on, as it would have been.

Revision ID: 0003_points_once_per_question
Revises: 0002_index_answers_by_player
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_points_once_per_question"
down_revision = "0002_index_answers_by_player"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scored_questions",
        sa.Column("scope", sa.String(length=200), nullable=False),
        sa.Column("player_key", sa.String(length=100), nullable=False),
        sa.Column("question_id", sa.String(length=80), nullable=False),
        sa.Column("asked_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("scope", "player_key", "question_id"),
    )
    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("practice", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.execute(
        "INSERT INTO scored_questions (scope, player_key, question_id, asked_id, answered_at) "
        "SELECT q.platform || ':' || q.server, a.player_key, q.question_id, MIN(q.id), MIN(a.answered_at) "
        "FROM answers a JOIN asked q ON q.id = a.asked_id "
        "GROUP BY q.platform || ':' || q.server, a.player_key, q.question_id"
    )


def downgrade() -> None:
    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.drop_column("practice")
    op.drop_table("scored_questions")
