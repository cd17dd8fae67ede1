"""Bulk-loading a synthetic history into a database the engine can open.

Going through ``QuizEngine.answer`` a million times would take longer than every benchmark together, so
the tables are created by the engine's own :class:`~quizbot.store.Store` (same schema, same indexes) and
then filled directly: ``executemany`` in one transaction on SQLite, ``COPY`` on PostgreSQL. The rows are
those the engine would have written (see :mod:`benchmarks.synth`).
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks import pg
from benchmarks.synth import COLUMNS, History
from quizbot.store import Store

TABLES = ("asked", "answers", "scores")


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path.as_posix()}"


def sqlite_time(value: object) -> object:
    """A datetime as SQLAlchemy stores it in SQLite: naive UTC text with microseconds."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
    return value


def _sqlite_rows(table: str, rows: list[tuple[object, ...]]) -> Any:
    times = [i for i, name in enumerate(COLUMNS[table]) if name.endswith("_at")]
    if not times:
        return rows

    def convert(row: tuple[object, ...]) -> list[object]:
        values = list(row)
        for i in times:
            values[i] = sqlite_time(values[i])
        return values

    return map(convert, rows)


async def load_sqlite(path: Path, history: History) -> str:
    """Create the engine's schema in a new SQLite file, fill it with ``history``; return its URL."""
    url = sqlite_url(path)
    store = await Store.open(url)
    await store.aclose()
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous=OFF")  # this connection only: a crash while loading loses nothing
        conn.execute("BEGIN")
        for table in TABLES:
            columns = COLUMNS[table]
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
            conn.executemany(sql, _sqlite_rows(table, getattr(history, table)))
        conn.execute("COMMIT")
    finally:
        conn.close()
    return url


async def load_postgres(url: str, history: History) -> None:
    """Create the engine's schema in the (empty) database at ``url`` and COPY ``history`` into it."""
    store = await Store.open(url)
    await store.aclose()
    conn = await pg.connect(url)
    try:
        for table in TABLES:
            await conn.copy_records_to_table(table, records=getattr(history, table), columns=COLUMNS[table])
        for table in ("asked", "answers"):  # later inserts by the engine must not collide with copied ids
            await conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
        # What autovacuum does soon after a bulk load: statistics for the planner, and the visibility map
        # without which a count over the rank index has to visit the table too.
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()
