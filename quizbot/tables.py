"""The database schema (SQLAlchemy Core), the same on SQLite and PostgreSQL.

Questions live in the YAML banks, not here: the database keeps only what happened (who was asked what,
who answered what) and the running totals that make leaderboards a single indexed read.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC and always hands back an aware datetime (SQLite would otherwise return a naive one)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


Id = BigInteger().with_variant(Integer(), "sqlite")
"""64-bit ids on PostgreSQL; SQLite's INTEGER PRIMARY KEY is already 64-bit and must be spelt INTEGER."""

metadata = MetaData()

asked = Table(
    "asked",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("question_id", String(80), nullable=False),
    Column("question", Text, nullable=False),
    Column("kind", String(10), nullable=False),
    Column("platform", String(20), nullable=False),
    Column("server", String(64), nullable=False),
    Column("channel", String(64), nullable=False),
    Column("ask_scope", String(200), nullable=False),
    Column("player_key", String(100)),
    Column("zone", String(64), nullable=False, default="UTC"),
    Column("asked_at", UTCDateTime(), nullable=False),
    Column("closed_at", UTCDateTime()),
    Column("message_ref", String(100)),
    Column("daily_seq", Integer),
    Column("reveal_at_close", Boolean, nullable=False, default=False),
    Index("ix_asked_scope_question", "ask_scope", "question_id"),
)
"""Every question put to a player (``player_key`` set) or a channel. ``ask_scope`` is whose history rules
out repeats; ``zone`` is the time zone whose Monday starts the week for the channel's weekly board. Daily
questions carry their channel sequence number (for streaks) and whether answers stay hidden until close.
``question`` is the question as asked (JSON): answers and closes never depend on the bank's current text."""

answers = Table(
    "answers",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("asked_id", Id, ForeignKey("asked.id", ondelete="CASCADE"), nullable=False),
    Column("player_key", String(100), nullable=False),
    Column("player_name", String(100), nullable=False),
    Column("response", String(300), nullable=False),
    Column("correct", Boolean, nullable=False),
    Column("points", Integer, nullable=False),
    Column("answered_at", UTCDateTime(), nullable=False),
    Column("practice", Boolean, nullable=False, default=False, server_default=false()),
    UniqueConstraint("asked_id", "player_key", name="uq_answers_one_per_player"),
    Index("ix_answers_player", "player_key"),
)
"""One row per player per asked question; the unique constraint *is* the one-answer rule. ``practice``
marks a repeat of a question the player had already answered in that server: recorded, never scored. The
player index serves ``quizbot players forget`` and per-player exports without reading every answer."""

scored_questions = Table(
    "scored_questions",
    metadata,
    Column("scope", String(200), primary_key=True),
    Column("player_key", String(100), primary_key=True),
    Column("question_id", String(80), primary_key=True),
    Column("asked_id", Id),
    Column("answered_at", UTCDateTime(), nullable=False),
)
"""The first answer of a player to a question in a server (``scope``): the one that counts. Its primary key
*is* the no-farming rule: whichever answer inserts the row first scores; a later answer to the same question
there (asked again on demand) is practice. Daily answers add their row too, and always score."""

scores = Table(
    "scores",
    metadata,
    Column("scope", String(200), primary_key=True),
    Column("period", String(16), primary_key=True),
    Column("player_key", String(100), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("points", Integer, nullable=False),
    Column("answered", Integer, nullable=False),
    Column("correct", Integer, nullable=False),
    Column("streak", Integer, nullable=False),
    Column("best_streak", Integer, nullable=False),
    Index("ix_scores_rank", "scope", "period", "points", "player_key"),
)
"""Running totals per scope (server or channel) and period ("all", "w:<monday>" or "m:<first of month>"),
updated in the same transaction as each answer, so a leaderboard never aggregates the answers table."""

schedules = Table(
    "schedules",
    metadata,
    Column("platform", String(20), primary_key=True),
    Column("server", String(64), primary_key=True),
    Column("channel", String(64), primary_key=True),
    Column("time", String(5), nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("weekdays", String(20), nullable=False, default=""),
    Column("reveal_at_close", Boolean, nullable=False, default=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)
"""One daily-question schedule per channel."""

daily_posts = Table(
    "daily_posts",
    metadata,
    Column("platform", String(20), primary_key=True),
    Column("server", String(64), primary_key=True),
    Column("channel", String(64), primary_key=True),
    Column("local_date", String(10), primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("asked_id", Id, ForeignKey("asked.id", ondelete="SET NULL")),
    Column("message_ref", String(100)),
    Column("claimed_at", UTCDateTime(), nullable=False),
    Column("posted_at", UTCDateTime()),
    Column("closed_at", UTCDateTime()),
    Index("ix_daily_posts_open", "platform", "server", "channel", "closed_at"),
    Index("ix_daily_posts_local_date", "local_date"),
    Index("ix_daily_posts_closed_at", "closed_at"),
    UniqueConstraint("platform", "server", "channel", "seq", name="uq_daily_posts_seq"),
)
"""The claim on a channel's daily slot. Its primary key is the exactly-once guarantee: whichever process
inserts the row for (channel, local date) first asks the question (``asked_id``); every other insert does
nothing. ``posted_at``/``message_ref`` (the question went out) and ``closed_at`` (its reveal went out) are
written only by the outbox when it marks the message sent (see ``daily_outbox``)."""

daily_outbox = Table(
    "daily_outbox",
    metadata,
    Column("key", String(25), primary_key=True),
    Column("kind", String(10), nullable=False),
    Column("platform", String(20), nullable=False),
    Column("server", String(64), nullable=False),
    Column("channel", String(64), nullable=False),
    Column("local_date", String(10), nullable=False),
    Column("asked_id", Id, ForeignKey("asked.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("claimed_at", UTCDateTime()),
    Column("attempts", Integer, nullable=False, default=0),
    Column("sent_at", UTCDateTime()),
    Column("message_ref", String(100)),
    Index("ix_daily_outbox_asked", "asked_id"),
    Index("ix_daily_outbox_kind_date", "kind", "local_date"),
)
"""Every daily message the bot must say exactly once: a slot's question (``kind`` "question") and the reveal
that closes it ("close"). A row is written before the message is sent and marked ``sent_at`` after; until
then ``claimed_at`` is the lease of the process sending it. ``key`` is deterministic (kind, local date,
channel) and travels with the message (Discord nonce, Slack metadata), so a process that takes over an
expired lease finds a message that went out before its sender died instead of sending it again."""

daily_streaks = Table(
    "daily_streaks",
    metadata,
    Column("scope", String(200), primary_key=True),
    Column("player_key", String(100), primary_key=True),
    Column("current", Integer, nullable=False),
    Column("best", Integer, nullable=False),
    Column("last_seq", Integer, nullable=False),
)
"""Consecutive daily questions of one channel answered correctly. ``current`` only counts while
``last_seq`` is the channel's latest closed (or open) daily question; a missed question breaks it."""

server_banks = Table(
    "server_banks",
    metadata,
    Column("platform", String(20), primary_key=True),
    Column("server", String(64), primary_key=True),
    Column("name", String(80), primary_key=True),
    Column("content", Text, nullable=False),
    Column("questions", Integer, nullable=False),
    Column("topics", String(2000), nullable=False, default=""),
    Column("uploaded_by", String(100), nullable=False),
    Column("uploaded_at", UTCDateTime(), nullable=False),
)
"""Question files a server's admins uploaded from chat, as quizbot YAML (converted on upload when the file
was a Red list, an Open Trivia DB dump or CSV). Served to that server only, beside the bundled bank."""

server_settings = Table(
    "server_settings",
    metadata,
    Column("platform", String(20), primary_key=True),
    Column("server", String(64), primary_key=True),
    Column("bundled_bank", Boolean, nullable=False, default=True),
)
"""Per-server choices; a server without a row uses the defaults (the bundled bank is served)."""

review_cards = Table(
    "review_cards",
    metadata,
    Column("scope", String(200), primary_key=True),
    Column("player_key", String(100), primary_key=True),
    Column("question_id", String(80), primary_key=True),
    Column("state", Integer, nullable=False),
    Column("stability", Float),
    Column("difficulty", Float),
    Column("due", UTCDateTime(), nullable=False),
    Column("last_review", UTCDateTime()),
    Column("reps", Integer, nullable=False, default=0),
    Column("lapses", Integer, nullable=False, default=0),
    Index("ix_review_cards_due", "scope", "player_key", "due"),
)
"""One FSRS card per player, question and server (``scope``, as in ``scored_questions``), reviewed by every
answer the player gives there: when the question is due again and the memory state FSRS needs to say so.
The index serves "which reviews are due for this player" as one range read."""

review_reminders = Table(
    "review_reminders",
    metadata,
    Column("player_key", String(100), primary_key=True),
    Column("platform", String(20), nullable=False),
    Column("player_id", String(64), nullable=False),
    Column("enabled_at", UTCDateTime(), nullable=False),
    Column("last_sent_at", UTCDateTime()),
    Index("ix_review_reminders_platform", "platform", "last_sent_at"),
)
"""Players who asked for the weekly private reminder of their due reviews (off by default: no row).
``last_sent_at`` is the claim that makes each weekly reminder go out once, whichever process sends it."""

question_reports = Table(
    "question_reports",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("scope", String(200), nullable=False),
    Column("question_id", String(80), nullable=False),
    Column("asked_id", Id, ForeignKey("asked.id", ondelete="SET NULL")),
    Column("player_key", String(100), nullable=False),
    Column("reason", String(20), nullable=False),
    Column("text", String(500), nullable=False, default=""),
    Column("created_at", UTCDateTime(), nullable=False),
    UniqueConstraint("asked_id", "player_key", name="uq_question_reports_one_per_answer"),
    Index("ix_question_reports_scope_question", "scope", "question_id"),
)
"""Problems players reported with a question ("Report a problem" under a result), per server (``scope``).
One report per player per asked question: reporting again replaces the reason and text. ``asked_id``
points at the question as it was shown (its choices in that order) and is cleared if that row goes."""

meta = Table(
    "quizbot_meta",
    metadata,
    Column("key", String(50), primary_key=True),
    Column("value", String(200), nullable=False),
)
"""Facts about the database itself, such as the schema version it was created with."""
