"""Storage: one SQLAlchemy async engine, SQLite by default and PostgreSQL when configured.

All SQL lives here; the engine calls these methods inside a :class:`Unit` (one transaction). SQLite runs in
WAL mode with ``synchronous=FULL`` so an acknowledged answer survives a crash or power loss, and every
transaction starts with ``BEGIN IMMEDIATE`` so a check-then-write (is the question still open? then record
the answer) can never interleave with another writer. On PostgreSQL the same guarantee comes from locking
the asked row (``FOR SHARE`` while answering, ``FOR UPDATE`` when closing).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Iterator, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager, contextmanager
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import (
    Connection,
    Engine,
    Float,
    Row,
    and_,
    bindparam,
    case,
    cast,
    delete,
    event,
    exists,
    func,
    or_,
    select,
    text,
    update,
)
from sqlalchemy import create_engine as create_blocking_engine
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from quizbot import migrate as migrations
from quizbot.backup import backup_beside, sqlite_file
from quizbot.database_url import (
    async_database_url,
    database_label,
    is_sqlite,
    postgres_options,
    sqlite_path,
)
from quizbot.domain import DatabaseUnavailableError
from quizbot.group_commit import GroupCommit
from quizbot.tables import (
    answers,
    asked,
    daily_outbox,
    daily_posts,
    daily_streaks,
    question_reports,
    review_cards,
    review_reminders,
    schedules,
    scored_questions,
    scores,
    server_banks,
    server_settings,
)

T = TypeVar("T")
R = TypeVar("R")

FORGOTTEN_UPLOADER = "forgotten"
"""What ``players forget`` writes over a forgotten player's name or id as the uploader of a server's file."""

UNAVAILABLE_MESSAGE = "The quiz database is unavailable right now — try again in a minute."

SQLITE_PRAGMAS = (
    "PRAGMA busy_timeout=10000",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA cache_size=-16384",
)
"""Set on every connection after the switch to WAL (see :func:`_switch_to_wal`). WAL lets readers run
beside the writer; FULL fsyncs each commit (durable across power loss); busy_timeout makes a second writer
wait instead of failing. The page cache is 16 MiB per connection instead of SQLite's 2 MiB: a rank on a
100,000-player board counts through ~4 MB of index, which then stays cached instead of being read back on
every ``/quiz leaderboard``."""

WAL_SWITCH_TRY_MS = 100
WAL_SWITCH_PATIENCE_S = 10.0


@dataclass(frozen=True, slots=True)
class ScoreChange:
    """One score row's increment from an answer."""

    scope: str
    period: str


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """One row of the daily outbox (see ``tables.daily_outbox``)."""

    key: str
    kind: str
    platform: str
    server: str
    channel: str
    local_date: str
    asked_id: int
    created_at: datetime
    claimed_at: datetime | None = None
    attempts: int = 0
    sent_at: datetime | None = None
    message_ref: str | None = None

    @classmethod
    def of(cls, row: Any) -> OutboxEntry:
        return cls(**{f.name: getattr(row, f.name) for f in fields(cls)})


@dataclass(frozen=True, slots=True)
class QuestionFigures:
    """One question's answers in a scope, counted in SQL (see :meth:`Unit.question_figures`).

    ``top_*``/``bottom_*`` count the answers of the players in the top and bottom quarter of the scope by
    their overall share of right answers."""

    question_id: str
    answered: int
    players: int
    right: int
    top_answered: int
    top_right: int
    bottom_answered: int
    bottom_right: int


@dataclass(frozen=True, slots=True)
class ReportRow:
    """One stored problem report (see ``tables.question_reports``)."""

    question_id: str
    reason: str
    text: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ScoreRow:
    player_key: str
    name: str
    points: int
    answered: int
    correct: int
    streak: int
    best_streak: int


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let us issue BEGIN ourselves (see module docstring)
        cursor = dbapi_connection.cursor()
        _switch_to_wal(cursor)
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        cursor = connection.connection.cursor()
        cursor.execute("BEGIN" if connection.get_execution_options().get(_READ_ONLY) else "BEGIN IMMEDIATE")
        cursor.close()


def _switch_to_wal(cursor: Any) -> None:
    """Put the file in WAL mode, retrying in short waits while other connections race for the same switch.

    On a new (rollback-journal) file the switch needs an exclusive lock. When several processes open the
    file at once, two connections can each hold a shared lock while waiting for the other's to go: with
    one long busy timeout that wait lasts the whole timeout and ends in "database is locked". Short tries
    break the tie (the loser lets go of its shared lock and tries again); a file already in WAL mode
    answers at once.
    """
    cursor.execute(f"PRAGMA busy_timeout={WAL_SWITCH_TRY_MS}")
    deadline = time.monotonic() + WAL_SWITCH_PATIENCE_S
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except Exception as exc:  # the driver's OperationalError, whichever driver module raised it
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise


_READ_ONLY = "quizbot_read_only"

SCHEMA_LOCK = 0x717569_7A626F74  # "quizbot", the advisory lock id that serialises schema changes
DEFAULT_CONNECT_TIMEOUT = 3.0
DEFAULT_COMMAND_TIMEOUT = 3.0

log = logging.getLogger(__name__)

_UNAVAILABLE = (OperationalError, InterfaceError, OSError, TimeoutError)
"""What a database that is down, unreachable or silent raises: the network's errors, asyncpg's command
timeout, and the driver errors SQLAlchemy wraps them in. Integrity and programming errors are not here."""


def _is_outage(exc: BaseException) -> bool:
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, _UNAVAILABLE)


def create_engine(
    url: str,
    *,
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
    command_timeout: float | None = DEFAULT_COMMAND_TIMEOUT,
) -> AsyncEngine:
    """The async engine for ``url``: SQLite with its pragmas, PostgreSQL with timeouts and pre-ping.

    Without timeouts a PostgreSQL server whose packets are silently dropped keeps every answer waiting
    for the kernel's TCP retransmission timeout (minutes); with them an answer fails after at most
    ``command_timeout`` (the pre-ping) plus ``connect_timeout`` (the reconnect) seconds and the player is
    told to try again. Pre-ping replaces connections that died while idle in the pool, so service
    resumes by itself when the server comes back. ``command_timeout=None`` is for schema changes, which
    may rightly take minutes on a large database.
    """
    if url.startswith("sqlite"):
        engine = create_async_engine(url)
        _sqlite_setup(engine.sync_engine)
        return engine
    options = postgres_options(url)  # libpq's URL parameters, as asyncpg's connect() arguments
    connect_timeout = options.connect_timeout or connect_timeout  # the URL's connect_timeout wins
    connect_args: dict[str, object] = {**options.connect_args, "timeout": connect_timeout}
    if command_timeout is not None:
        connect_args["command_timeout"] = command_timeout
    return create_async_engine(
        options.url,
        pool_pre_ping=True,
        pool_timeout=connect_timeout + (command_timeout or 0.0),
        connect_args=connect_args,
    )


def _reason(exc: BaseException) -> str:
    cause = getattr(exc, "orig", None) or exc
    if isinstance(cause, TimeoutError) and not str(cause):
        return "no reply from the server in time (QUIZBOT_DB_COMMAND_TIMEOUT / QUIZBOT_DB_CONNECT_TIMEOUT)"
    return f"{type(cause).__name__}: {cause}".rstrip(": ")


@contextmanager
def schema_transaction(conn: Connection) -> Iterator[None]:
    """One transaction holding the schema lock, for creating, upgrading or downgrading the schema.

    PostgreSQL serialises these with an advisory lock, SQLite with its write lock (``BEGIN IMMEDIATE``),
    so processes starting together change the schema once. On SQLite foreign keys are off meanwhile (a
    batch table rebuild drops the old table, which would otherwise cascade) and checked before commit.
    """
    is_sqlite = conn.dialect.name == "sqlite"
    if is_sqlite:
        _foreign_keys(conn, on=False)
    try:
        with conn.begin():
            if not is_sqlite:
                conn.execute(text(f"SELECT pg_advisory_xact_lock({SCHEMA_LOCK})"))
            yield
            if is_sqlite and conn.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                raise migrations.SchemaError("the schema change broke a foreign key; nothing was changed")
    finally:
        if is_sqlite:
            _foreign_keys(conn, on=True)


def prepare_schema(conn: Connection, migrate: bool, url: str) -> migrations.SchemaState:
    """Bring the schema to head under the schema lock, or refuse (see :meth:`Store.open`); returns where
    the database stood before."""
    with schema_transaction(conn):
        state = migrations.read_state(conn)
        standing = state.standing
        if standing is migrations.Standing.NEWER:
            raise migrations.refuse_newer(state, _label(url))
        if standing is migrations.Standing.CURRENT:
            return state
        adopt_only = standing is migrations.Standing.LEGACY and state.head == migrations.BASELINE
        if standing is not migrations.Standing.EMPTY and not adopt_only:
            if not migrate:
                raise migrations.OutdatedSchemaError(
                    f"the database {_label(url)} is at schema revision {state.revision}, this quizbot "
                    f"needs {state.head}; back it up and run quizbot db upgrade "
                    "(or set QUIZBOT_AUTO_MIGRATE=1)"
                )
            path = sqlite_file(url)
            if path is not None:
                copy = backup_beside(path, state.revision)
                log.warning("backed up %s to %s before upgrading its schema", path, copy)
        migrations.upgrade(conn)
        return state


def _foreign_keys(conn: Connection, *, on: bool) -> None:
    """Set SQLite's foreign-key enforcement; it can only change outside a transaction."""
    cursor = conn.connection.cursor()
    cursor.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
    cursor.close()


def _label(url: str) -> str:
    path = sqlite_file(url)
    if path is not None:
        return str(path)
    return make_url(url).render_as_string(hide_password=True)


def missing_sqlite_file(url: str, *, create: bool) -> DatabaseUnavailableError | None:
    """Why a SQLite file cannot be opened as asked, or None: read-only commands never create one."""
    path = sqlite_path(url)
    if path is None or path.exists():
        return None
    if not create:
        return DatabaseUnavailableError(
            f"no database at {path}; set QUIZBOT_DATABASE_URL or run from the bot's folder"
        )
    if not path.parent.is_dir():
        return DatabaseUnavailableError(
            f"cannot create the database {path}: the folder {path.parent} does not exist; "
            "create it or set QUIZBOT_DATABASE_URL"
        )
    return None


def _unreachable(url: str, exc: BaseException, connect_timeout: float) -> DatabaseUnavailableError:
    """The one line for a database that cannot be reached at start: DNS, a refused port, or silence."""
    cause = getattr(exc, "orig", None) or exc
    reason = str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__
    if isinstance(cause, TimeoutError):
        reason = f"no answer within {connect_timeout:g} s"
    return DatabaseUnavailableError(
        f"cannot use the database {database_label(url)}: no connection ({reason}); "
        "check the host and port in QUIZBOT_DATABASE_URL and that PostgreSQL is running there"
    )


class Store:
    """The database behind the engine. Create with :meth:`open`; close with :meth:`aclose`."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self._sqlite_writer = asyncio.Lock() if self.dialect == "sqlite" else None
        """SQLite has one writer at a time. Queueing this process's writers here (first come, first served)
        beats letting them collide on the file lock, where each loser backs off for up to 100 ms."""
        self._blocking = _blocking_sqlite_engine(engine)
        """The same SQLite file through the blocking driver, for batches of answers (see
        :mod:`quizbot.group_commit`); None for PostgreSQL and in-memory databases."""
        in_thread = self._sqlite_batch if self._blocking is not None else None
        self._group: GroupCommit[Unit] = GroupCommit(self.unit, _is_outage, in_thread)
        """Answers share transactions and commits (see :mod:`quizbot.group_commit`)."""

    @classmethod
    async def open(
        cls,
        url: str,
        *,
        create: bool = True,
        migrate: bool = False,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        command_timeout: float = DEFAULT_COMMAND_TIMEOUT,
    ) -> Store:
        """Connect, creating the schema in a new database.

        ``url`` is anything :func:`~quizbot.database_url.async_database_url` accepts. With ``create=False``
        (commands that only read) a SQLite file that does not exist is refused instead of created empty.
        A file or server that cannot be reached raises :class:`DatabaseUnavailableError` in one line.

        An existing database must be at this quizbot's schema revision. An older one is upgraded only
        with ``migrate`` (``quizbot db upgrade``, or ``QUIZBOT_AUTO_MIGRATE=1``), else refused with a
        :class:`~quizbot.migrate.OutdatedSchemaError`; a newer one is always refused, untouched.
        """
        url = async_database_url(url)
        if is_sqlite(url) and (missing := missing_sqlite_file(url, create=create)) is not None:
            raise missing
        engine = create_engine(url, connect_timeout=connect_timeout, command_timeout=command_timeout)
        # on PostgreSQL the schema step has its own connection without the command timeout: an upgrade
        # that builds an index on a large table may take minutes and must not be cut off halfway
        schema = engine
        if engine.dialect.name != "sqlite":
            schema = create_engine(url, connect_timeout=connect_timeout, command_timeout=None)
        try:
            async with schema.connect() as conn:
                await conn.run_sync(prepare_schema, migrate, url)
        except (OSError, OperationalError, InterfaceError) as exc:  # DNS, refused port, silence
            await engine.dispose()
            if not _is_outage(exc):
                raise
            timeout = None if is_sqlite(url) else postgres_options(url).connect_timeout
            raise _unreachable(url, exc, timeout or connect_timeout) from None
        except BaseException:
            await engine.dispose()
            raise
        finally:
            if schema is not engine:
                await schema.dispose()
        return cls(engine)

    async def aclose(self) -> None:
        await self.engine.dispose()
        if self._blocking is not None:
            self._blocking.dispose()

    @asynccontextmanager
    async def unit(self, *, read_only: bool = False) -> AsyncIterator[Unit]:
        """One transaction: committed when the block ends, rolled back if it raises.

        ``read_only`` units (boards, stats, lookups) start a plain ``BEGIN`` on SQLite: in WAL mode they
        read a snapshot beside the writer instead of queueing behind every answer for the write lock.
        """
        try:
            async with AsyncExitStack() as stack:
                if self._sqlite_writer is not None and not read_only:
                    await stack.enter_async_context(self._sqlite_writer)
                conn = await stack.enter_async_context(self.engine.connect())
                if read_only:
                    await conn.execution_options(**{_READ_ONLY: True})
                async with conn.begin():
                    yield Unit(conn, self.dialect)
        except Exception as exc:
            if not _is_outage(exc):
                raise
            log.warning("database unavailable: %s", _reason(exc))
            raise DatabaseUnavailableError(UNAVAILABLE_MESSAGE) from exc

    async def batched(self, job: Callable[[Unit], Awaitable[T]]) -> T:
        """Run ``job`` inside the next shared transaction (group commit) and return its result once that
        transaction committed durably. An exception of ``job`` rolls back only its own work; a database
        outage fails the whole batch with :class:`DatabaseUnavailableError`."""
        return await self._group.run(job)

    async def _sqlite_batch(self, work: Callable[[Unit], R]) -> R:
        """Run ``work`` in one transaction on a worker thread, queued with this process's other writers."""
        assert self._sqlite_writer is not None
        async with self._sqlite_writer:
            return await asyncio.to_thread(self._sqlite_batch_blocking, work)

    def _sqlite_batch_blocking(self, work: Callable[[Unit], R]) -> R:
        assert self._blocking is not None
        try:
            with self._blocking.connect() as conn, conn.begin():
                return work(Unit(_BlockingConnection(conn), self.dialect))  # type: ignore[arg-type]
        except Exception as exc:
            if not _is_outage(exc):
                raise
            log.warning("database unavailable: %s", _reason(exc))
            raise DatabaseUnavailableError(UNAVAILABLE_MESSAGE) from exc

    @property
    def commits(self) -> int:
        """Shared transactions run so far by :meth:`batched` (one commit each, whatever their size)."""
        return self._group.batches


def _blocking_sqlite_engine(engine: AsyncEngine) -> Engine | None:
    """A blocking (pysqlite) engine on the async engine's SQLite file, with the same pragmas and
    ``BEGIN IMMEDIATE``; used from one worker thread at a time (the writer lock), hence no thread check."""
    url = engine.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    blocking = create_blocking_engine(
        url.set(drivername="sqlite"), connect_args={"check_same_thread": False}, pool_size=1
    )
    _sqlite_setup(blocking)
    return blocking


class _BlockingConnection:
    """What :class:`Unit` uses of an async connection, over a blocking one: every await completes at once,
    so a batch of answers runs in the writer thread without a hop per statement."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def execute(self, statement: Any, parameters: Any = None) -> Any:
        return self._conn.execute(statement, parameters)

    def begin_nested(self) -> _BlockingSavepoint:
        return _BlockingSavepoint(self._conn)


class _BlockingSavepoint:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def __aenter__(self) -> None:
        self._savepoint = self._conn.begin_nested()

    async def __aexit__(self, exc_type: type[BaseException] | None, *_: object) -> None:
        if exc_type is None:
            self._savepoint.commit()
        else:
            self._savepoint.rollback()


class Unit:
    """Operations inside one transaction."""

    def __init__(self, conn: AsyncConnection, dialect: str) -> None:
        self.conn = conn
        self.dialect = dialect

    def savepoint(self) -> AbstractAsyncContextManager[Any]:
        """A nested transaction: rolled back alone if its block raises (one answer of a batch)."""
        return self.conn.begin_nested()

    def _insert(self, table: Any) -> Any:
        return (postgresql.insert if self.dialect == "postgresql" else sqlite.insert)(table)

    # -- asking -----------------------------------------------------------------------------------------

    async def asked_counts(self, ask_scope: str, *, posted_only: bool = False) -> dict[str, int]:
        """How often each question was asked in ``ask_scope``; questions never asked are absent.

        ``posted_only`` (a channel's daily questions) leaves out questions whose post has not gone out: a
        process that died before posting must not make the channel skip a question nobody saw.
        """
        query = select(asked.c.question_id, func.count()).where(asked.c.ask_scope == ask_scope)
        if posted_only:
            query = query.where(~exists().where(_UNSENT_QUESTION))
        rows = await self.conn.execute(query.group_by(asked.c.question_id))
        return {qid: n for qid, n in rows.all()}

    async def insert_asked(self, values: dict[str, Any]) -> int:
        result = await self.conn.execute(asked.insert().values(**values).returning(asked.c.id))
        return int(result.scalar_one())

    async def get_asked(self, asked_id: int, *, lock: str | None = None) -> Row[Any] | None:
        """The asked row; ``lock`` = "share" or "update" locks it on PostgreSQL until the transaction ends."""
        query = _ASKED_LOCKED[lock] if lock and self.dialect == "postgresql" else _ASKED_BY_ID
        return (await self.conn.execute(query, {"asked_id": asked_id})).first()

    async def set_message_ref(self, asked_id: int, message_ref: str) -> None:
        await self.conn.execute(_SET_MESSAGE_REF, {"b_asked_id": asked_id, "b_message_ref": message_ref})

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

    async def scored_question_ids(self, scope: str, player_key: str) -> set[str]:
        """The questions whose answer already counted for the player in ``scope`` (a server)."""
        rows = await self.conn.execute(_SCORED_IDS, {"scope": scope, "player_key": player_key})
        return {qid for (qid,) in rows}

    async def claim_score(
        self, scope: str, player_key: str, question_id: str, asked_id: int, now: datetime
    ) -> bool:
        """Make this the answer that counts for the player's question in ``scope``; False when one already
        did. Whichever of two concurrent answers inserts first wins; the other waits for it and gets False."""
        values = {
            "scope": scope,
            "player_key": player_key,
            "question_id": question_id,
            "asked_id": asked_id,
            "answered_at": now,
        }
        return (await self.conn.execute(_SCORE_CLAIM[self.dialect], values)).first() is not None

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

    async def top_accuracy(self, scope: str, period: str, min_answers: int, limit: int) -> list[ScoreRow]:
        """The ``limit`` players with the highest share of right answers among those with ``min_answers``.

        Unlike the points board this reads every row of the board (a share has no index); ~10^5 players
        of one server stay within tens of milliseconds.
        """
        params = {"scope": scope, "period": period, "min_answers": min_answers, "limit": limit}
        return [ScoreRow(*r) for r in await self.conn.execute(_TOP_ACCURACY, params)]

    async def accuracy_standing(
        self, scope: str, period: str, player_key: str, min_answers: int
    ) -> tuple[ScoreRow, int] | None:
        """The player's row and accuracy rank (1 + players with a strictly higher share); None if unranked."""
        params = {"scope": scope, "period": period, "player_key": player_key, "min_answers": min_answers}
        row = (await self.conn.execute(_ACCURACY_STANDING, params)).first()
        return (ScoreRow(*row[:-1]), 1 + int(row[-1])) if row else None

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
        totals = (await self.conn.execute(_ANSWER_TOTALS, {"asked_id": asked_id})).one()
        names = await self.conn.execute(_FIRST_CORRECT, {"asked_id": asked_id, "first": first})
        return int(totals[0]), int(totals[1]), [n for (n,) in names]

    async def scored_answers_since(
        self, platform: str, server: str, player_key: str, since: datetime
    ) -> list[tuple[datetime, bool]]:
        """(answered_at, correct) of a player's answers in one server since ``since``, oldest first.

        Only answers the boards count: no practice, and no held answer to a question that has not closed
        (its verdict is still secret). Served by the player index on ``answers``.
        """
        rows = await self.conn.execute(
            select(answers.c.answered_at, answers.c.correct)
            .join(asked, asked.c.id == answers.c.asked_id)
            .where(
                answers.c.player_key == player_key,
                answers.c.answered_at >= since,
                answers.c.practice.is_(False),
                asked.c.platform == platform,
                asked.c.server == server,
                or_(asked.c.reveal_at_close.is_(False), asked.c.closed_at.is_not(None)),
            )
            .order_by(answers.c.answered_at, answers.c.id)
        )
        return [(when, bool(correct)) for when, correct in rows.all()]

    # -- question health ----------------------------------------------------------------------------------

    async def asked_totals(self, server_scope: str | None) -> dict[str, int]:
        """How often each question was asked in a server (every server when None)."""
        query = select(asked.c.question_id, func.count()).where(*_in_server(asked, server_scope))
        rows = await self.conn.execute(query.group_by(asked.c.question_id))
        return {qid: int(n) for qid, n in rows.all()}

    async def latest_snapshots(self, server_scope: str | None) -> dict[str, str]:
        """Each question's most recent snapshot as asked: its current type, choices, answers and topic."""
        latest = (
            select(func.max(asked.c.id))
            .where(*_in_server(asked, server_scope))
            .group_by(asked.c.question_id)
            .scalar_subquery()
        )
        rows = await self.conn.execute(
            select(asked.c.question_id, asked.c.question).where(asked.c.id.in_(latest))
        )
        return {qid: snapshot for qid, snapshot in rows.all()}

    async def question_figures(self, server_scope: str | None) -> list[QuestionFigures]:
        """Answers, players and right answers per question, and how the top and bottom quarter of players
        (by their share right over every question in the scope) did on each. Practice answers (a repeat
        asked on demand) are left out: a player who has seen the answer before says little about a question.

        One aggregate over the answers joined to their asked rows; the quarters come from ``NTILE(4)`` over
        each player's share, which SQLite (3.25+) and PostgreSQL both compute.
        """
        scoped = answers.join(asked, asked.c.id == answers.c.asked_id)
        counted = [answers.c.practice.is_(False), *_in_server(asked, server_scope)]
        right = case((answers.c.correct, 1), else_=0)
        share = cast(func.sum(right), Float) / func.count()
        players = (
            select(
                answers.c.player_key,
                func.ntile(4).over(order_by=(share.desc(), answers.c.player_key)).label("quarter"),
            )
            .select_from(scoped)
            .where(*counted)
            .group_by(answers.c.player_key)
            .subquery()
        )

        def count_in(quarter: int, only_right: bool = False) -> Any:
            hit = (players.c.quarter == quarter) & (answers.c.correct if only_right else True)
            return func.coalesce(func.sum(case((hit, 1), else_=0)), 0)

        query = (
            select(
                asked.c.question_id,
                func.count(),
                func.count(func.distinct(answers.c.player_key)),
                func.coalesce(func.sum(right), 0),
                count_in(1),
                count_in(1, True),
                count_in(4),
                count_in(4, True),
            )
            .select_from(scoped.join(players, players.c.player_key == answers.c.player_key))
            .where(*counted)
            .group_by(asked.c.question_id)
        )
        return [QuestionFigures(str(r[0]), *(int(v) for v in r[1:])) for r in await self.conn.execute(query)]

    async def wrong_responses(self, server_scope: str | None) -> list[tuple[str, str, int]]:
        """(question id, response as recorded, players) for every wrong answer given, most given first. A
        choice is recorded as its text, so a wrong choice counts under the text the player clicked."""
        players = func.count(func.distinct(answers.c.player_key))
        query = (
            select(asked.c.question_id, answers.c.response, players)
            .select_from(answers.join(asked, asked.c.id == answers.c.asked_id))
            .where(
                answers.c.practice.is_(False), answers.c.correct.is_(False), *_in_server(asked, server_scope)
            )
            .group_by(asked.c.question_id, answers.c.response)
            .order_by(players.desc(), answers.c.response)
        )
        return [(str(q), str(r), int(n)) for q, r, n in await self.conn.execute(query)]

    async def add_report(self, values: dict[str, Any]) -> None:
        """Store a report; a player's second report on the same asked question replaces the first."""
        stmt = self._insert(question_reports).values(**values)
        await self.conn.execute(
            stmt.on_conflict_do_update(
                index_elements=["asked_id", "player_key"],
                set_={k: stmt.excluded[k] for k in ("reason", "text", "created_at")},
            )
        )

    async def reports(self, server_scope: str | None) -> list[ReportRow]:
        """Every report in a server (every server when None), newest first."""
        query = select(
            question_reports.c.question_id,
            question_reports.c.reason,
            question_reports.c.text,
            question_reports.c.created_at,
        ).order_by(question_reports.c.created_at.desc(), question_reports.c.id.desc())
        if server_scope is not None:
            query = query.where(question_reports.c.scope == server_scope)
        return [ReportRow(*r) for r in await self.conn.execute(query)]

    # -- daily posts ------------------------------------------------------------------------------------

    async def claim_slot(
        self, platform: str, server: str, channel: str, local_date: str, now: datetime
    ) -> int | None:
        """Claim a channel's daily slot; its sequence number if this caller won it, None if it is taken.

        The insert can be won by one writer only (the primary key). The winner asks the question and writes
        its outbox entry in the same transaction, so a slot is never claimed without both.
        """
        where = {"b_platform": platform, "b_server": server, "b_channel": channel}
        last = (await self.conn.execute(_LAST_SEQ, where)).scalar_one()
        seq = int(last or 0) + 1
        place = {"platform": platform, "server": server, "channel": channel}
        values = {**place, "local_date": local_date, "seq": seq, "claimed_at": now}
        return seq if (await self.conn.execute(_CLAIM_SLOT[self.dialect], values)).first() else None

    async def set_slot_asked(self, key: tuple[str, str, str, str], asked_id: int) -> None:
        await self.conn.execute(_SET_SLOT_ASKED, {**_slot_params(key), "b_asked_id": asked_id})

    async def get_slot(self, key: tuple[str, str, str, str]) -> Row[Any] | None:
        return (await self.conn.execute(_SLOT, _slot_params(key))).first()

    async def open_posts(self, platform: str, server: str, channel: str, before: str) -> list[Row[Any]]:
        """Posted daily questions of a channel from before ``before`` (a local date) whose reveal has not
        gone out yet: the closes still to deliver."""
        rows = await self.conn.execute(
            select(daily_posts)
            .where(
                daily_posts.c.platform == platform,
                daily_posts.c.server == server,
                daily_posts.c.channel == channel,
                daily_posts.c.local_date < before,
                daily_posts.c.closed_at.is_(None),
                daily_posts.c.posted_at.is_not(None),
            )
            .order_by(daily_posts.c.local_date)
        )
        return list(rows.all())

    async def slots_on(self, local_dates: Collection[str]) -> list[Row[Any]]:
        """Every channel's slot on these local dates: the daily fan-out reads them in one query."""
        return list(
            (
                await self.conn.execute(select(daily_posts).where(daily_posts.c.local_date.in_(local_dates)))
            ).all()
        )

    async def all_open_posts(self) -> list[Row[Any]]:
        """:meth:`open_posts` of every channel at once (oldest first), for the daily fan-out."""
        rows = await self.conn.execute(
            select(daily_posts)
            .where(daily_posts.c.closed_at.is_(None), daily_posts.c.posted_at.is_not(None))
            .order_by(daily_posts.c.local_date)
        )
        return list(rows.all())

    # -- the daily outbox -------------------------------------------------------------------------------

    async def outbox_on(self, kind: str, local_dates: Collection[str]) -> list[OutboxEntry]:
        """The ``kind`` messages of the slots on these local dates, in one query."""
        rows = await self.conn.execute(
            select(daily_outbox).where(
                daily_outbox.c.kind == kind, daily_outbox.c.local_date.in_(local_dates)
            )
        )
        return [OutboxEntry.of(row) for row in rows]

    async def add_outbox(self, entry: OutboxEntry) -> OutboxEntry | None:
        """Record a message before it is sent, leased to the caller; None if it was recorded before."""
        values = {f.name: getattr(entry, f.name) for f in fields(OutboxEntry)}
        row = (await self.conn.execute(_ADD_OUTBOX[self.dialect], values)).first()
        return OutboxEntry.of(row) if row else None

    async def get_outbox(self, key: str) -> OutboxEntry | None:
        row = (await self.conn.execute(_OUTBOX, {"b_key": key})).first()
        return OutboxEntry.of(row) if row else None

    async def lease_outbox(self, key: str, now: datetime, stale_before: datetime) -> OutboxEntry | None:
        """Take the lease on an unsent message that nobody holds, or whose holder's lease ran out before
        ``stale_before`` (its process died mid-send). Only one writer can win; it counts one more attempt."""
        params = {"b_key": key, "b_now": now, "b_stale_before": stale_before}
        row = (await self.conn.execute(_LEASE_OUTBOX, params)).first()
        return OutboxEntry.of(row) if row else None

    async def release_outbox(self, key: str) -> None:
        """Give up the lease on an unsent message (sending failed), so a retry may take it at once."""
        await self.conn.execute(
            update(daily_outbox)
            .where(daily_outbox.c.key == key, daily_outbox.c.sent_at.is_(None))
            .values(claimed_at=None)
        )

    async def outbox_sent(self, key: str, message_ref: str | None, now: datetime) -> bool:
        """Mark a message sent: the one place that decides a daily question was posted or closed.

        A question's slot gets ``posted_at`` and the post's ref (the asked question too, for count updates
        and the close); a close's slot gets ``closed_at``. False if the message was marked sent before.
        """
        params = {"b_key": key, "b_now": now, "b_message_ref": message_ref}
        row = (await self.conn.execute(_OUTBOX_SENT, params)).first()
        if row is None:
            return False
        slot = _slot_params((row.platform, row.server, row.channel, row.local_date))
        if row.kind == "question":
            await self.conn.execute(_SLOT_POSTED, {**slot, "b_now": now, "b_message_ref": message_ref})
            if message_ref is not None:
                await self.set_message_ref(row.asked_id, message_ref)
        else:
            await self.conn.execute(_SLOT_CLOSED, {**slot, "b_now": now})
        return True

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
        params = {"b_platform": platform, "b_server": server, "b_channel": channel}
        return int((await self.conn.execute(_LAST_CLOSED_SEQ, params)).scalar_one() or 0)

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
        params = {"b_platform": platform, "b_server": server, "b_channel": channel}
        return (await self.conn.execute(_SCHEDULE, params)).first()

    # -- personal reviews -------------------------------------------------------------------------------

    async def get_card(self, scope: str, player_key: str, question_id: str) -> Row[Any] | None:
        """The player's review card for a question in ``scope`` (a server), None before their first answer."""
        params = {"scope": scope, "player_key": player_key, "question_id": question_id}
        return (await self.conn.execute(_CARD, params)).first()

    async def put_card(self, scope: str, player_key: str, values: dict[str, Any]) -> None:
        """Create or replace the player's card (the answer that reviewed it holds the asked row's lock)."""
        await self.conn.execute(
            _CARD_UPSERT[self.dialect], {"scope": scope, "player_key": player_key, **values}
        )

    async def due_cards(self, scope: str, player_key: str, now: datetime) -> list[tuple[str, datetime]]:
        """(question id, due) of the player's reviews due at ``now`` in ``scope``, most overdue first."""
        rows = await self.conn.execute(_DUE, {"scope": scope, "player_key": player_key, "now": now})
        return [(qid, due) for qid, due in rows.all()]

    async def cards_of(self, scope: str, player_key: str) -> list[Row[Any]]:
        """Every review card of the player in ``scope``."""
        query = select(review_cards).where(
            review_cards.c.scope == scope, review_cards.c.player_key == player_key
        )
        return list((await self.conn.execute(query)).all())

    async def set_reminders(
        self, player_key: str, platform: str, player_id: str, on: bool, now: datetime
    ) -> None:
        """Opt the player in to (or out of) the weekly reminder of due reviews."""
        if not on:
            await self.conn.execute(
                delete(review_reminders).where(review_reminders.c.player_key == player_key)
            )
            return
        stmt = self._insert(review_reminders).values(
            player_key=player_key, platform=platform, player_id=player_id, enabled_at=now
        )
        await self.conn.execute(stmt.on_conflict_do_nothing(index_elements=["player_key"]))

    async def reminders_on(self, player_key: str) -> bool:
        query = select(review_reminders.c.player_key).where(review_reminders.c.player_key == player_key)
        return (await self.conn.execute(query)).first() is not None

    async def reminder_candidates(self, platform: str, sent_before: datetime) -> list[Row[Any]]:
        """Opted-in players of ``platform`` not reminded since ``sent_before``."""
        query = select(review_reminders).where(
            review_reminders.c.platform == platform, _not_reminded_since(sent_before)
        )
        return list((await self.conn.execute(query.order_by(review_reminders.c.player_key))).all())

    async def count_due(self, player_key: str, now: datetime) -> int:
        """The player's reviews due at ``now`` in every server."""
        query = select(func.count()).where(review_cards.c.player_key == player_key, review_cards.c.due <= now)
        return int((await self.conn.execute(query)).scalar_one())

    async def claim_reminder(self, player_key: str, sent_before: datetime, now: datetime) -> bool:
        """Mark this week's reminder as sent; False when another process already claimed it."""
        result = await self.conn.execute(
            update(review_reminders)
            .where(
                review_reminders.c.player_key == player_key,
                or_(
                    review_reminders.c.last_sent_at.is_(None), review_reminders.c.last_sent_at <= sent_before
                ),
            )
            .values(last_sent_at=now)
        )
        return bool(result.rowcount)

    # -- player data ------------------------------------------------------------------------------------

    async def forget_player(self, player_key: str, server_scope: str | None) -> dict[str, int]:
        """Delete everything stored about a player (in one server, or everywhere); rows deleted by table.

        Scores are per-player running totals and ranks are counted from them at read time, so removing
        the player's rows is the whole board rebuild: everyone below moves up on the next read.
        """
        names = await self._names_of(player_key, server_scope)  # before the rows that hold them go
        in_server = _in_server(asked, server_scope)
        asked_ids = select(asked.c.id).where(*in_server)
        answer_filter = [answers.c.player_key == player_key]
        if server_scope is not None:
            answer_filter.append(answers.c.asked_id.in_(asked_ids))
        deleted = {
            "answers": (await self.conn.execute(delete(answers).where(*answer_filter))).rowcount,
            "private questions": (
                await self.conn.execute(delete(asked).where(asked.c.player_key == player_key, *in_server))
            ).rowcount,
        }
        reports = [question_reports.c.player_key == player_key]
        if server_scope is not None:
            reports.append(question_reports.c.scope == server_scope)
        deleted["problem reports"] = (
            await self.conn.execute(delete(question_reports).where(*reports))
        ).rowcount
        for name, table in (
            ("score rows", scores),
            ("scored questions", scored_questions),
            ("daily streaks", daily_streaks),
            ("review cards", review_cards),
        ):
            where = [table.c.player_key == player_key, *_scope_in_server(table, server_scope)]
            deleted[name] = (await self.conn.execute(delete(table).where(*where))).rowcount
        if server_scope is None:
            reminders = delete(review_reminders).where(review_reminders.c.player_key == player_key)
            deleted["review reminders"] = (await self.conn.execute(reminders)).rowcount
        deleted["uploader names"] = await self._forget_uploader(player_key, names, server_scope)
        return deleted

    async def _names_of(self, player_key: str, server_scope: str | None) -> set[str]:
        """The names the player's answers and scores were recorded under (read before they are deleted)."""
        in_scope = [answers.c.player_key == player_key]
        if server_scope is not None:
            in_scope.append(
                answers.c.asked_id.in_(select(asked.c.id).where(*_in_server(asked, server_scope)))
            )
        answered = select(answers.c.player_name).where(*in_scope)
        scored = select(scores.c.name).where(
            scores.c.player_key == player_key, *_scope_in_server(scores, server_scope)
        )
        return set((await self.conn.execute(answered.union(scored))).scalars().all())

    async def _forget_uploader(self, player_key: str, names: set[str], server_scope: str | None) -> int:
        """Replace the player as the uploader of their servers' question files with ``forgotten``.

        The file is the server's, not the player's: its questions stay served. Uploads record the user id;
        Discord files uploaded before that hold a user name, matched by the names the player played under.
        """
        platform, _, user_id = player_key.partition(":")
        where = [
            server_banks.c.platform == platform,
            server_banks.c.uploaded_by.in_({user_id, player_key, *names}),
        ]
        if server_scope is not None:
            where.append(server_banks.c.server == server_scope.partition(":")[2])
        stmt = update(server_banks).where(*where).values(uploaded_by=FORGOTTEN_UPLOADER)
        return (await self.conn.execute(stmt)).rowcount

    def export_query(self, kind: str, server_scope: str | None) -> Any:
        """The rows ``quizbot export`` writes, oldest or highest first."""
        if kind == "scores":
            return (
                select(scores)
                .where(*_scope_in_server(scores, server_scope))
                .order_by(scores.c.scope, scores.c.period, scores.c.points.desc(), scores.c.player_key)
            )
        return (
            select(
                answers.c.answered_at,
                asked.c.platform,
                asked.c.server,
                asked.c.channel,
                asked.c.question_id,
                asked.c.kind,
                answers.c.player_key,
                answers.c.player_name,
                answers.c.response,
                answers.c.correct,
                answers.c.points,
            )
            .join(asked, asked.c.id == answers.c.asked_id)
            .where(*_in_server(asked, server_scope))
            .order_by(answers.c.answered_at, answers.c.id)
        )

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


def _in_server(table: Any, server_scope: str | None) -> list[Any]:
    """Rows of ``asked`` in the server ``PLATFORM:SERVER`` (no condition when None)."""
    if server_scope is None:
        return []
    platform, _, server = server_scope.partition(":")
    return [table.c.platform == platform, table.c.server == server]


def _scope_in_server(table: Any, server_scope: str | None) -> list[Any]:
    """Score and streak rows whose scope is the server or one of its channels (no condition when None)."""
    if server_scope is None:
        return []
    return [(table.c.scope == server_scope) | table.c.scope.startswith(server_scope + ":", autoescape=True)]


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


_UNSENT_QUESTION = and_(
    daily_outbox.c.asked_id == asked.c.id,
    daily_outbox.c.kind == "question",
    daily_outbox.c.sent_at.is_(None),
)


def _slot_params(key: tuple[str, str, str, str]) -> dict[str, str]:
    platform, server, channel, local_date = key
    return {"b_platform": platform, "b_server": server, "b_channel": channel, "b_local_date": local_date}


# The daily fan-out's statements, built once: a fan-out runs each of them for every channel, and building
# and caching a statement cost more than running it on SQLite.
_CHANNEL = (
    daily_posts.c.platform == bindparam("b_platform"),
    daily_posts.c.server == bindparam("b_server"),
    daily_posts.c.channel == bindparam("b_channel"),
)
_SLOT_KEY = (*_CHANNEL, daily_posts.c.local_date == bindparam("b_local_date"))
_SLOT = select(daily_posts).where(*_SLOT_KEY)
_LAST_SEQ = select(func.max(daily_posts.c.seq)).where(*_CHANNEL)
_LAST_CLOSED_SEQ = select(func.max(daily_posts.c.seq)).where(*_CHANNEL, daily_posts.c.closed_at.is_not(None))
_CLAIM_SLOT = {
    name: insert(daily_posts).on_conflict_do_nothing().returning(daily_posts.c.seq)
    for name, insert in (("postgresql", postgresql.insert), ("sqlite", sqlite.insert))
}
_SET_SLOT_ASKED = update(daily_posts).where(*_SLOT_KEY).values(asked_id=bindparam("b_asked_id"))
_SLOT_POSTED = (
    update(daily_posts)
    .where(*_SLOT_KEY)
    .values(posted_at=bindparam("b_now"), message_ref=bindparam("b_message_ref"))
)
_SLOT_CLOSED = update(daily_posts).where(*_SLOT_KEY).values(closed_at=bindparam("b_now"))
_OUTBOX = select(daily_outbox).where(daily_outbox.c.key == bindparam("b_key"))
_ADD_OUTBOX = {
    name: insert(daily_outbox).on_conflict_do_nothing().returning(daily_outbox)
    for name, insert in (("postgresql", postgresql.insert), ("sqlite", sqlite.insert))
}
_LEASE_OUTBOX = (
    update(daily_outbox)
    .where(
        daily_outbox.c.key == bindparam("b_key"),
        daily_outbox.c.sent_at.is_(None),
        or_(daily_outbox.c.claimed_at.is_(None), daily_outbox.c.claimed_at < bindparam("b_stale_before")),
    )
    .values(claimed_at=bindparam("b_now"), attempts=daily_outbox.c.attempts + 1)
    .returning(daily_outbox)
)
_OUTBOX_SENT = (
    update(daily_outbox)
    .where(daily_outbox.c.key == bindparam("b_key"), daily_outbox.c.sent_at.is_(None))
    .values(sent_at=bindparam("b_now"), message_ref=bindparam("b_message_ref"), claimed_at=None)
    .returning(daily_outbox)
)
_SET_MESSAGE_REF = (
    update(asked).where(asked.c.id == bindparam("b_asked_id")).values(message_ref=bindparam("b_message_ref"))
)
_SCHEDULE = select(schedules).where(
    schedules.c.platform == bindparam("b_platform"),
    schedules.c.server == bindparam("b_server"),
    schedules.c.channel == bindparam("b_channel"),
)
_ANSWER_TOTALS = select(
    func.count(), func.coalesce(func.sum(case((answers.c.correct, 1), else_=0)), 0)
).where(answers.c.asked_id == bindparam("asked_id"))
_FIRST_CORRECT = (
    select(answers.c.player_name)
    .where(and_(answers.c.asked_id == bindparam("asked_id"), answers.c.correct))
    .order_by(answers.c.answered_at, answers.c.id)
    .limit(bindparam("first"))
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

_SCORED_IDS = select(scored_questions.c.question_id).where(
    scored_questions.c.scope == bindparam("scope"), scored_questions.c.player_key == bindparam("player_key")
)
_SCORE_CLAIM = {
    name: insert(scored_questions).on_conflict_do_nothing().returning(scored_questions.c.question_id)
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

_RANKED = scores.c.answered >= bindparam("min_answers")
_TOP_ACCURACY = (
    select(*_SCORE_COLUMNS)
    .where(*_BOARD, _RANKED)
    .order_by(
        (cast(scores.c.correct, Float) / scores.c.answered).desc(),
        scores.c.answered.desc(),
        scores.c.player_key.desc(),
    )
    .limit(bindparam("limit"))
)
_ACCURACY_STANDING = select(
    *_SCORE_COLUMNS,
    select(func.count())
    .where(
        _above.c.scope == scores.c.scope,
        _above.c.period == scores.c.period,
        _above.c.answered >= bindparam("min_answers"),
        _above.c.correct * scores.c.answered > scores.c.correct * _above.c.answered,  # exact, no floats
    )
    .scalar_subquery(),
).where(*_BOARD, _RANKED, scores.c.player_key == bindparam("player_key"))


def _not_reminded_since(sent_before: datetime) -> Any:
    last = review_reminders.c.last_sent_at
    return or_(last.is_(None), last <= sent_before)


_CARD = select(review_cards).where(
    review_cards.c.scope == bindparam("scope"),
    review_cards.c.player_key == bindparam("player_key"),
    review_cards.c.question_id == bindparam("question_id"),
)
_CARD_STATE = ("state", "stability", "difficulty", "due", "last_review", "reps", "lapses")
_CARD_UPSERT = {
    name: (stmt := insert(review_cards)).on_conflict_do_update(
        index_elements=["scope", "player_key", "question_id"],
        set_={column: stmt.excluded[column] for column in _CARD_STATE},
    )
    for name, insert in (("sqlite", sqlite.insert), ("postgresql", postgresql.insert))
}
_DUE = (
    select(review_cards.c.question_id, review_cards.c.due)
    .where(
        review_cards.c.scope == bindparam("scope"),
        review_cards.c.player_key == bindparam("player_key"),
        review_cards.c.due <= bindparam("now"),
    )
    .order_by(review_cards.c.due, review_cards.c.question_id)
)
