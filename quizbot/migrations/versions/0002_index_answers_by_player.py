"""Index answers by player: `quizbot players forget` and exports read one player's answers directly.

Revision ID: 0002_index_answers_by_player
Revises: 0001_baseline
Create Date: 2026-11-30
"""

from __future__ import annotations

from alembic import op

revision = "0002_index_answers_by_player"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.create_index("ix_answers_player", ["player_key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.drop_index("ix_answers_player")
