"""Storage: one SQLAlchemy async engine, SQLite by default and PostgreSQL when configured.

All SQL lives here; the engine calls these methods inside a :class:`Unit` (one transaction). SQLite runs in
WAL mode with ``synchronous=FULL`` so an acknowledged answer survives a crash or power loss, and every
transaction starts with ``BEGIN IMMEDIATE`` so a check-then-write (is the question still open? then record
the answer) can never interleave with another writer. On PostgreSQL the same guarantee comes from locking
the asked row (``FOR SHARE`` while answering, ``FOR UPDATE`` when closing).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, and_, bindparam, case, delete, event, func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from quizbot.domain import QuizError
from quizbot.tables import (
    answers,
    asked,
    daily_posts,
    daily_streaks,
    meta,
    metadata,
    schedules,
    scores,
    server_banks,
    server_settings,
)

SQLITE_PRAGMAS = (
    "PRAGMA busy_timeout=10000",
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA cache_size=-16384",
)
"""busy_timeout comes first, so that even the switch to WAL waits for a lock instead of failing when
several processes open a new database at once. WAL lets readers run beside the writer; FULL fsyncs each
commit (durable across power loss); busy_timeout makes a second writer wait instead of failing. The page
cache is 16 MiB per connection instead of SQLite's 2 MiB: a rank on a 100,000-player board counts through
~4 MB of index, which then stays cached instead of being read back on every ``/quiz leaderboard``."""


@dataclass(frozen=True, slots=True)
class ScoreChange:
    """One score row's increment from an answer."""

    scope: str
    period: str


@dataclass(frozen=True, slots=True)
class ScoreRow:
    player_key: str
    name: str
    points: int
    answered: int
    correct: int
    streak: int
    best_streak: int


def _sqlite_setup(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let us issue BEGIN ourselves (see module docstring)
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        cursor = connection.connection.cursor()
        cursor.execute("BEGIN" if connection.get_execution_options().get(_READ_ONLY) else "BEGIN IMMEDIATE")
        cursor.close()


_READ_ONLY = "quizbot_read_only"

SCHEMA_VERSION = "1"
"""Bumped with every change to the tables; a database of another version is refused, never half-used."""
_SCHEMA_LOCK = 0x717569_7A626F74  # "quizbot", the advisory lock id that serialises schema creation


class SchemaVersionError(QuizError):
    """The database was made by another version of quizbot."""


async def _check_schema_version(conn: AsyncConnection) -> None:
    found = (
        await conn.execute(select(meta.c.value).where(meta.c.key == "schema_version"))
    ).scalar_one_or_none()
    if found is None:
        await conn.execute(meta.insert().values(key="schema_version", value=SCHEMA_VERSION))
    elif found != SCHEMA_VERSION:
        raise SchemaVersionError(
            f"the database has schema version {found}, this quizbot needs {SCHEMA_VERSION}; "
            "use a new database (QUIZBOT_DATABASE_URL) or the quizbot version that made it"
        )


class Store:
    """The database behind the engine. Create with :meth:`open`; close with :meth:`aclose`."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self._sqlite_writer = asyncio.Lock() if self.dialect == "sqlite" else None
        """SQLite has one writer at a time. Queueing this process's writers here (first come, first served)
        beats letting them collide on the file lock, where each loser backs off for up to 100 ms."""

    @classmethod
    async def open(cls, url: str) -> Store:
        """Connect and create missing tables (idempotent)."""
        is_sqlite = url.startswith("sqlite")
        engine = create_async_engine(url, pool_pre_ping=not is_sqlite)
        if is_sqlite:
            _sqlite_setup(engine)
        try:
            async with engine.begin() as conn:
                if not is_sqlite:  # two processes starting on an empty database must not both create it
                    await conn.execute(text(f"SELECT pg_advisory_xact_lock({_SCHEMA_LOCK})"))
                await conn.run_sync(metadata.create_all)
                await _check_schema_version(conn)
        except BaseException:
            await engine.dispose()
            raise
        return cls(engine)

    async def aclose(self) -> None:
        await self.engine.dispose()

    @asynccontextmanager
    async def unit(self, *, read_only: bool = False) -> AsyncIterator[Unit]:
        """One transaction: committed when the block ends, rolled back if it raises.

        ``read_only`` units (boards, stats, lookups) start a plain ``BEGIN`` on SQLite: in WAL mode they
        read a snapshot beside the writer instead of queueing behind every answer for the write lock.
        """
        async with AsyncExitStack() as stack:
            if self._sqlite_writer is not None and not read_only:
                await stack.enter_async_context(self._sqlite_writer)
            conn = await stack.enter_async_context(self.engine.connect())
            if read_only:
                await conn.execution_options(**{_READ_ONLY: True})
            async with conn.begin():
                yield Unit(conn, self.dialect)


class Unit:
    """Operations inside one transaction."""

    def __init__(self, conn: AsyncConnection, dialect: str) -> None:
        self.conn = conn
        self.dialect = dialect

    def _insert(self, table: Any) -> Any:
        return (postgresql.insert if self.dialect == "postgresql" else sqlite.insert)(table)

    # -- asking -----------------------------------------------------------------------------------------

    async def asked_counts(self, ask_scope: str) -> dict[str, int]:
        """How often each question was asked in ``ask_scope``; questions never asked are absent."""
        rows = await self.conn.execute(
            select(asked.c.question_id, func.count())
            .where(asked.c.ask_scope == ask_scope)
            .group_by(asked.c.question_id)
        )
        return {qid: n for qid, n in rows.all()}

    async def insert_asked(self, values: dict[str, Any]) -> int:
        result = await self.conn.execute(asked.insert().values(**values).returning(asked.c.id))
        return int(result.scalar_one())

    async def get_asked(self, asked_id: int, *, lock: str | None = None) -> Row[Any] | None:
        """The asked row; ``lock`` = "share" or "update" locks it on PostgreSQL until the transaction ends."""
        query = _ASKED_LOCKED[lock] if lock and self.dialect == "postgresql" else _ASKED_BY_ID
        return (await self.conn.execute(query, {"asked_id": asked_id})).first()

    async def set_message_ref(self, asked_id: int, message_ref: str) -> None:
        await self.conn.execute(update(asked).where(asked.c.id == asked_id).values(message_ref=message_ref))

    async def close_asked(self, asked_id: int, now: datetime) -> datetime | None:
        """Close the question if open; return when it closed (now, or earlier if it already was)."""
        await self.conn.execute(
            update(asked).where(asked.c.id == asked_id, asked.c.closed_at.is_(None)).values(closed_at=now)
        )
        row = await self.get_asked(asked_id)
        return row.closed_at if row else None

    # -- answering --------------------------------------------------------------------------------------

    async def insert_answer(self, values: dict[str, Any]) -> bool:
        """Record an answer unless the player already answered this question; True when it was recorded."""
        return (await self.conn.execute(_ANSWER_INSERT[self.dialect], values)).first() is not None

    async def answers_of(self, asked_id: int) -> list[Row[Any]]:
        """Every answer to a question, first come first."""
        rows = await self.conn.execute(
            select(answers)
            .where(answers.c.asked_id == asked_id)
            .order_by(answers.c.answered_at, answers.c.id)
        )
        return list(rows.all())

    async def get_answer(self, asked_id: int, player_key: str) -> Row[Any] | None:
        query = select(answers).where(answers.c.asked_id == asked_id, answers.c.player_key == player_key)
        return (await self.conn.execute(query)).first()

    async def add_scores(
        self, changes: Sequence[ScoreChange], player_key: str, name: str, points: int, correct: bool
    ) -> dict[tuple[str, str], tuple[int, int]]:
        """Add one answer to several score rows in one statement; return (streak, best) by (scope, period).

        The statement is built once (:func:`_score_upsert`) and sent with one parameter set per row, which
        SQLAlchemy batches into a single multi-row ``INSERT ... ON CONFLICT`` from its compiled cache. A
        statement built with ``.values(rows)`` has no cache key and was compiled again for every answer,
        which cost more than the rest of the answer together.
        """
        hit = 1 if correct else 0
        rows = [
            {
                "scope": c.scope,
                "period": c.period,
                "player_key": player_key,
                "name": name,
                "points": points,
                "answered": 1,
                "correct": hit,
                "streak": hit,
                "best_streak": hit,
            }
            for c in changes
        ]
        result = await self.conn.execute(_SCORE_UPSERT[self.dialect], rows)
        return {(r.scope, r.period): (r.streak, r.best_streak) for r in result}

    # -- boards -----------------------------------------------------------------------------------------

    async def top_scores(self, scope: str, period: str, limit: int) -> list[ScoreRow]:
        """The best ``limit`` rows, read backwards from the (scope, period, points) index."""
        rows = await self.conn.execute(_TOP_SCORES, {"scope": scope, "period": period, "limit": limit})
        return [ScoreRow(*r) for r in rows]

    async def score_of(self, scope: str, period: str, player_key: str) -> ScoreRow | None:
        params = {"scope": scope, "period": period, "player_key": player_key}
        row = (await self.conn.execute(_SCORE_OF, params)).first()
        return ScoreRow(*row) if row else None

    async def rank_of(self, scope: str, period: str, points: int) -> int:
        """1 + the number of players with more points (ties share a rank)."""
        higher = await self.conn.execute(_HIGHER, {"scope": scope, "period": period, "points": points})
        return 1 + int(higher.scalar_one())

    async def standing(self, scope: str, period: str, player_key: str) -> tuple[ScoreRow, int] | None:
        """The player's score row and rank (as :meth:`rank_of` counts it) in one round trip; None if unscored.

        The rank is a count over the (scope, period, points) index of everyone above the player, so it
        costs time in proportion to the players ahead: the last of 100,000 counts 100,000 index entries.
        """
        params = {"scope": scope, "period": period, "player_key": player_key}
        row = (await self.conn.execute(_STANDING, params)).first()
        return (ScoreRow(*row[:-1]), 1 + int(row[-1])) if row else None

    async def count_players(self, scope: str, period: str) -> int:
        result = await self.conn.execute(
            select(func.count()).where(scores.c.scope == scope, scores.c.period == period)
        )
        return int(result.scalar_one())

    async def answer_summary(self, asked_id: int, first: int) -> tuple[int, int, list[str]]:
        """(answered, correct, names of the first ``first`` correct answerers in order)."""
        totals = (
            await self.conn.execute(
                select(func.count(), func.coalesce(func.sum(case((answers.c.correct, 1), else_=0)), 0)).where(
                    answers.c.asked_id == asked_id
                )
            )
        ).one()
        names = await self.conn.execute(
            select(answers.c.player_name)
            .where(and_(answers.c.asked_id == asked_id, answers.c.correct))
            .order_by(answers.c.answered_at, answers.c.id)
            .limit(first)
        )
        return int(totals[0]), int(totals[1]), [n for (n,) in names]

    # -- daily posts ------------------------------------------------------------------------------------

    async def claim_slot(
        self, platform: str, server: str, channel: str, local_date: str, now: datetime, stale_before: datetime
    ) -> int | None:
        """Claim a channel's daily slot; its sequence number if this caller won it, None if it is taken.

        The insert can be won by one writer only. A claim that was never marked posted and is older than
        ``stale_before`` (its process died mid-post) is taken over by an update only one writer can win.
        """
        key = (platform, server, channel, local_date)
        where = (
            daily_posts.c.platform == platform,
            daily_posts.c.server == server,
            daily_posts.c.channel == channel,
        )
        last = (await self.conn.execute(select(func.max(daily_posts.c.seq)).where(*where))).scalar_one()
        seq = int(last or 0) + 1
        stmt = (
            self._insert(daily_posts)
            .values(
                platform=platform,
                server=server,
                channel=channel,
                local_date=local_date,
                seq=seq,
                claimed_at=now,
            )
            .on_conflict_do_nothing()
            .returning(daily_posts.c.seq)
        )
        if (await self.conn.execute(stmt)).first():
            return seq
        takeover = await self.conn.execute(
            update(daily_posts)
            .where(
                *_slot_where(key), daily_posts.c.posted_at.is_(None), daily_posts.c.claimed_at < stale_before
            )
            .values(claimed_at=now)
            .returning(daily_posts.c.seq)
        )
        row = takeover.first()
        return int(row.seq) if row else None

    async def slot_posted(
        self, key: tuple[str, str, str, str], asked_id: int, message_ref: str, now: datetime
    ) -> None:
        await self.conn.execute(
            update(daily_posts)
            .where(*_slot_where(key))
            .values(asked_id=asked_id, message_ref=message_ref, posted_at=now)
        )

    async def release_slot(self, key: tuple[str, str, str, str]) -> None:
        """Give a claimed slot back when posting failed, so a retry inside the cut-off may post it."""
        await self.conn.execute(
            delete(daily_posts).where(*_slot_where(key), daily_posts.c.posted_at.is_(None))
        )

    async def get_slot(self, key: tuple[str, str, str, str]) -> Row[Any] | None:
        return (await self.conn.execute(select(daily_posts).where(*_slot_where(key)))).first()

    async def open_posts(self, platform: str, server: str, channel: str, before: str) -> list[Row[Any]]:
        """Posted, not yet closed daily questions of a channel from before ``before`` (a local date)."""
        rows = await self.conn.execute(
            select(daily_posts)
            .where(
                daily_posts.c.platform == platform,
                daily_posts.c.server == server,
                daily_posts.c.channel == channel,
                daily_posts.c.local_date < before,
                daily_posts.c.closed_at.is_(None),
                daily_posts.c.asked_id.is_not(None),
            )
            .order_by(daily_posts.c.local_date)
        )
        return list(rows.all())

    async def slot_closed(self, key: tuple[str, str, str, str], now: datetime) -> None:
        await self.conn.execute(update(daily_posts).where(*_slot_where(key)).values(closed_at=now))

    async def due_closes(self, now: datetime) -> list[Row[Any]]:
        """Every posted, open daily question (the caller decides which are past their close time)."""
        rows = await self.conn.execute(
            select(daily_posts).where(daily_posts.c.closed_at.is_(None), daily_posts.c.asked_id.is_not(None))
        )
        return list(rows.all())

    async def count_answers(self, asked_id: int) -> int:
        result = await self.conn.execute(select(func.count()).where(answers.c.asked_id == asked_id))
        return int(result.scalar_one())

    async def add_daily_streak(self, scope: str, player_key: str, seq: int, correct: bool) -> tuple[int, int]:
        """Count one daily answer into the player's channel streak; returns (current, best)."""
        stmt = self._insert(daily_streaks).values(
            scope=scope, player_key=player_key, current=int(correct), best=int(correct), last_seq=seq
        )
        current = case(
            (stmt.excluded.current == 0, 0),
            (daily_streaks.c.last_seq == seq - 1, daily_streaks.c.current + 1),
            else_=1,
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=["scope", "player_key"],
            set_={
                "current": current,
                "best": case((current > daily_streaks.c.best, current), else_=daily_streaks.c.best),
                "last_seq": seq,
            },
        ).returning(daily_streaks.c.current, daily_streaks.c.best)
        row = (await self.conn.execute(stmt)).one()
        return int(row.current), int(row.best)

    async def daily_streaks_of(
        self, scope: str, player_keys: Sequence[str]
    ) -> dict[str, tuple[int, int, int]]:
        """(current, best, last_seq) per player in a channel."""
        if not player_keys:
            return {}
        rows = await self.conn.execute(
            select(
                daily_streaks.c.player_key,
                daily_streaks.c.current,
                daily_streaks.c.best,
                daily_streaks.c.last_seq,
            ).where(daily_streaks.c.scope == scope, daily_streaks.c.player_key.in_(list(player_keys)))
        )
        return {r.player_key: (r.current, r.best, r.last_seq) for r in rows}

    async def last_closed_seq(self, platform: str, server: str, channel: str) -> int:
        """The sequence number of the channel's most recently closed daily question (0 if none)."""
        result = await self.conn.execute(
            select(func.max(daily_posts.c.seq)).where(
                daily_posts.c.platform == platform,
                daily_posts.c.server == server,
                daily_posts.c.channel == channel,
                daily_posts.c.closed_at.is_not(None),
            )
        )
        return int(result.scalar_one() or 0)

    # -- schedules --------------------------------------------------------------------------------------

    async def upsert_schedule(self, values: dict[str, Any]) -> None:
        stmt = self._insert(schedules).values(**values)
        keys = ("platform", "server", "channel")
        stmt = stmt.on_conflict_do_update(
            index_elements=list(keys), set_={k: v for k, v in values.items() if k not in keys}
        )
        await self.conn.execute(stmt)

    async def delete_schedule(self, platform: str, server: str, channel: str) -> bool:
        result = await self.conn.execute(
            delete(schedules).where(
                schedules.c.platform == platform, schedules.c.server == server, schedules.c.channel == channel
            )
        )
        return bool(result.rowcount)

    async def list_schedules(self, platform: str | None = None) -> list[Row[Any]]:
        query = select(schedules).order_by(schedules.c.platform, schedules.c.server, schedules.c.channel)
        if platform:
            query = query.where(schedules.c.platform == platform)
        return list((await self.conn.execute(query)).all())

    async def get_schedule(self, platform: str, server: str, channel: str) -> Row[Any] | None:
        query = select(schedules).where(
            schedules.c.platform == platform, schedules.c.server == server, schedules.c.channel == channel
        )
        return (await self.conn.execute(query)).first()

    # -- per-server question files ----------------------------------------------------------------------

    async def server_banks_of(self, platform: str, server: str, *, content: bool = False) -> list[Row[Any]]:
        """A server's uploaded files by name; ``content`` adds the YAML text (needed only to build a bank)."""
        columns = [c for c in server_banks.c if content or c.name != "content"]
        query = (
            select(*columns)
            .where(server_banks.c.platform == platform, server_banks.c.server == server)
            .order_by(server_banks.c.name)
        )
        return list((await self.conn.execute(query)).all())

    async def server_bank(self, platform: str, server: str, name: str) -> Row[Any] | None:
        query = select(server_banks).where(
            server_banks.c.platform == platform, server_banks.c.server == server, server_banks.c.name == name
        )
        return (await self.conn.execute(query)).first()

    async def put_server_bank(self, values: dict[str, Any]) -> None:
        """Store a file, replacing the server's file of the same name."""
        stmt = self._insert(server_banks).values(**values)
        keep = ("content", "questions", "topics", "uploaded_by", "uploaded_at")
        await self.conn.execute(
            stmt.on_conflict_do_update(
                index_elements=["platform", "server", "name"], set_={k: stmt.excluded[k] for k in keep}
            )
        )

    async def delete_server_bank(self, platform: str, server: str, name: str) -> bool:
        result = await self.conn.execute(
            delete(server_banks).where(
                server_banks.c.platform == platform,
                server_banks.c.server == server,
                server_banks.c.name == name,
            )
        )
        return bool(result.rowcount)

    async def bundled_bank_on(self, platform: str, server: str) -> bool:
        query = select(server_settings.c.bundled_bank).where(
            server_settings.c.platform == platform, server_settings.c.server == server
        )
        found = (await self.conn.execute(query)).scalar_one_or_none()
        return True if found is None else bool(found)

    async def set_bundled_bank(self, platform: str, server: str, on: bool) -> None:
        stmt = self._insert(server_settings).values(platform=platform, server=server, bundled_bank=on)
        await self.conn.execute(
            stmt.on_conflict_do_update(
                index_elements=["platform", "server"], set_={"bundled_bank": stmt.excluded.bundled_bank}
            )
        )


def _score_upsert(insert: Any) -> Any:
    """Add an answer's figures to a score row, creating it on the player's first answer."""
    stmt = insert(scores)
    new_streak = case((stmt.excluded.correct > 0, scores.c.streak + 1), else_=0)
    return stmt.on_conflict_do_update(
        index_elements=["scope", "period", "player_key"],
        set_={
            "name": stmt.excluded.name,
            "points": scores.c.points + stmt.excluded.points,
            "answered": scores.c.answered + 1,
            "correct": scores.c.correct + stmt.excluded.correct,
            "streak": new_streak,
            "best_streak": case((new_streak > scores.c.best_streak, new_streak), else_=scores.c.best_streak),
        },
    ).returning(scores.c.scope, scores.c.period, scores.c.streak, scores.c.best_streak)


_SCORE_UPSERT = {"sqlite": _score_upsert(sqlite.insert), "postgresql": _score_upsert(postgresql.insert)}


def _slot_where(key: tuple[str, str, str, str]) -> tuple[Any, ...]:
    platform, server, channel, local_date = key
    return (
        daily_posts.c.platform == platform,
        daily_posts.c.server == server,
        daily_posts.c.channel == channel,
        daily_posts.c.local_date == local_date,
    )


_SCORE_COLUMNS = (
    scores.c.player_key,
    scores.c.name,
    scores.c.points,
    scores.c.answered,
    scores.c.correct,
    scores.c.streak,
    scores.c.best_streak,
)


# Hot statements are built once with bound parameters. Building a Core statement costs more Python time
# than SQLite takes to run it, and the answer and leaderboard paths run several per call.

_ASKED_BY_ID = select(asked).where(asked.c.id == bindparam("asked_id"))
_ASKED_LOCKED = {
    "share": _ASKED_BY_ID.with_for_update(read=True),
    "update": _ASKED_BY_ID.with_for_update(),
}

_ANSWER_INSERT = {
    name: insert(answers)
    .on_conflict_do_nothing(index_elements=["asked_id", "player_key"])
    .returning(answers.c.id)
    for name, insert in (("sqlite", sqlite.insert), ("postgresql", postgresql.insert))
}

_BOARD = (scores.c.scope == bindparam("scope"), scores.c.period == bindparam("period"))
_TOP_SCORES = (
    select(*_SCORE_COLUMNS)
    .where(*_BOARD)
    .order_by(scores.c.points.desc(), scores.c.player_key.desc())
    .limit(bindparam("limit"))
)
_SCORE_OF = select(*_SCORE_COLUMNS).where(*_BOARD, scores.c.player_key == bindparam("player_key"))
_HIGHER = select(func.count()).where(*_BOARD, scores.c.points > bindparam("points"))
_above = scores.alias("above")
_STANDING = select(
    *_SCORE_COLUMNS,
    select(func.count())
    .where(
        _above.c.scope == scores.c.scope,
        _above.c.period == scores.c.period,
        _above.c.points > scores.c.points,
    )
    .scalar_subquery(),
).where(*_BOARD, scores.c.player_key == bindparam("player_key"))
