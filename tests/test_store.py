"""Storage set-up: creating the schema concurrently, and refusing a database of another schema version."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import text

from quizbot.domain import Place
from quizbot.engine import QuizEngine
from quizbot.migrate import NewerSchemaError
from quizbot.store import Store


async def test_processes_starting_together_on_an_empty_database_all_come_up(db_url: str) -> None:
    stores = await asyncio.gather(*(Store.open(db_url) for _ in range(8)))
    try:
        async with stores[0].unit() as unit:
            assert await unit.list_schedules() == []
    finally:
        await asyncio.gather(*(s.aclose() for s in stores))


async def test_eight_stores_opening_one_new_sqlite_file_together_never_time_out(tmp_path: Path) -> None:
    """Switching a new file to WAL needs an exclusive lock; eight connections racing for it once left one
    waiting out the whole busy timeout and failing with "database is locked" (about 1 start in 10)."""
    for attempt in range(12):
        url = f"sqlite+aiosqlite:///{tmp_path / f'race{attempt}.db'}"
        stores = await asyncio.wait_for(asyncio.gather(*(Store.open(url) for _ in range(8))), timeout=8)
        await asyncio.gather(*(s.aclose() for s in stores))


async def test_a_database_of_an_unknown_revision_is_refused_with_a_message(db_url: str) -> None:
    store = await Store.open(db_url)
    async with store.engine.begin() as conn:
        await conn.execute(text("UPDATE alembic_version SET version_num = '0999_from_the_future'"))
    await store.aclose()
    with pytest.raises(NewerSchemaError, match="at schema revision 0999_from_the_future, newer than"):
        await Store.open(db_url)


async def test_boards_are_read_while_an_answer_holds_the_write_lock(engine: QuizEngine) -> None:
    place = Place("test", "s", "c")
    async with engine.store.unit() as writer:  # a long answer transaction holding SQLite's write lock
        await writer.asked_counts("x")
        board = await asyncio.wait_for(engine.leaderboard(place), timeout=2)
        schedules = await asyncio.wait_for(engine.list_schedules(), timeout=2)
    assert board.entries == () and schedules == []
