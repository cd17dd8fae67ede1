"""Index what the daily sweep reads: slots and outbox rows by local date, posts whose reveal is still due.

Every sweep (start-up, each minute, ``quizbot post-daily``) reads the slots and outbox rows of today's
dates and every posted question not yet closed. Without these indexes each read scans every slot and
message since the bot started: a year of 1,000 channels is 365,000 slots and 730,000 outbox rows, read
once a minute.

Revision ID: 0008_index_daily_sweeps
Revises: 0007_question_reports
Create Date: 2026-11-30
"""

from __future__ import annotations

from alembic import op

revision = "0008_index_daily_sweeps"
down_revision = "0007_question_reports"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("daily_posts", schema=None) as batch_op:
        batch_op.create_index("ix_daily_posts_local_date", ["local_date"], unique=False)
        batch_op.create_index("ix_daily_posts_closed_at", ["closed_at"], unique=False)
    with op.batch_alter_table("daily_outbox", schema=None) as batch_op:
        batch_op.create_index("ix_daily_outbox_kind_date", ["kind", "local_date"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("daily_outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_daily_outbox_kind_date")
    with op.batch_alter_table("daily_posts", schema=None) as batch_op:
        batch_op.drop_index("ix_daily_posts_closed_at")
        batch_op.drop_index("ix_daily_posts_local_date")
