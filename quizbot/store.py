"""Storage: one SQLAlchemy async engine, SQLite by default and PostgreSQL when configured.

All SQL lives here; the engine calls these methods inside a :class:`Unit` (one transaction). SQLite runs in
WAL mode with ``synchronous=FULL`` so an acknowledged answer survives a crash or power loss, and every
transaction starts with ``BEGIN IMMEDIATE`` so a check-then-write (is the question still open? then record
the answer) can never interleave with another writer. On PostgreSQL the same guarantee comes from locking
the asked row (``FOR SHARE`` while answering, ``FOR UPDATE`` when closing).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, and_, case, delete, event, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from quizbot.tables import answers, asked, metadata, schedules, scores

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=10000",
)
"""WAL lets readers run beside the writer; FULL fsyncs each commit (durable across power loss, ~5k
commits/s); busy_timeout makes a second writer wait instead of failing."""


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
        connection.exec_driver_sql("BEGIN IMMEDIATE")


class Store:
    """The database behind the engine. Create with :meth:`open`; close with :meth:`aclose`."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name

    @classmethod
    async def open(cls, url: str) -> Store:
        """Connect and create missing tables (idempotent)."""
        is_sqlite = url.startswith("sqlite")
        engine = create_async_engine(url, pool_pre_ping=not is_sqlite)
        if is_sqlite:
            _sqlite_setup(engine)
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
        return cls(engine)

    async def aclose(self) -> None:
        await self.engine.dispose()

    @asynccontextmanager
    async def unit(self) -> AsyncIterator[Unit]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        async with self.engine.begin() as conn:
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
        query = select(asked).where(asked.c.id == asked_id)
        if lock and self.dialect == "postgresql":
            query = query.with_for_update(read=lock == "share")
        return (await self.conn.execute(query)).first()

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
        stmt = (
            self._insert(answers)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["asked_id", "player_key"])
            .returning(answers.c.id)
        )
        return (await self.conn.execute(stmt)).first() is not None

    async def get_answer(self, asked_id: int, player_key: str) -> Row[Any] | None:
        query = select(answers).where(answers.c.asked_id == asked_id, answers.c.player_key == player_key)
        return (await self.conn.execute(query)).first()

    async def add_scores(
        self, changes: Sequence[ScoreChange], player_key: str, name: str, points: int, correct: bool
    ) -> dict[tuple[str, str], tuple[int, int]]:
        """Add one answer to several score rows in one statement; return (streak, best) by (scope, period)."""
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
        stmt = self._insert(scores).values(rows)
        new_streak = case((stmt.excluded.correct > 0, scores.c.streak + 1), else_=0)
        stmt = stmt.on_conflict_do_update(
            index_elements=["scope", "period", "player_key"],
            set_={
                "name": stmt.excluded.name,
                "points": scores.c.points + stmt.excluded.points,
                "answered": scores.c.answered + 1,
                "correct": scores.c.correct + stmt.excluded.correct,
                "streak": new_streak,
                "best_streak": case(
                    (new_streak > scores.c.best_streak, new_streak), else_=scores.c.best_streak
                ),
            },
        ).returning(scores.c.scope, scores.c.period, scores.c.streak, scores.c.best_streak)
        result = await self.conn.execute(stmt)
        return {(r.scope, r.period): (r.streak, r.best_streak) for r in result}

    # -- boards -----------------------------------------------------------------------------------------

    async def top_scores(self, scope: str, period: str, limit: int) -> list[ScoreRow]:
        """The best ``limit`` rows, read backwards from the (scope, period, points) index."""
        rows = await self.conn.execute(
            select(*_SCORE_COLUMNS)
            .where(scores.c.scope == scope, scores.c.period == period)
            .order_by(scores.c.points.desc(), scores.c.player_key.desc())
            .limit(limit)
        )
        return [ScoreRow(*r) for r in rows]

    async def score_of(self, scope: str, period: str, player_key: str) -> ScoreRow | None:
        row = (
            await self.conn.execute(
                select(*_SCORE_COLUMNS).where(
                    scores.c.scope == scope, scores.c.period == period, scores.c.player_key == player_key
                )
            )
        ).first()
        return ScoreRow(*row) if row else None

    async def rank_of(self, scope: str, period: str, points: int) -> int:
        """1 + the number of players with more points (ties share a rank)."""
        higher = await self.conn.execute(
            select(func.count()).where(
                scores.c.scope == scope, scores.c.period == period, scores.c.points > points
            )
        )
        return 1 + int(higher.scalar_one())

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


_SCORE_COLUMNS = (
    scores.c.player_key,
    scores.c.name,
    scores.c.points,
    scores.c.answered,
    scores.c.correct,
    scores.c.streak,
    scores.c.best_streak,
)
