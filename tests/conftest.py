"""Shared fixtures: a test bank, an injectable clock, and engines on real SQLite and real PostgreSQL.

PostgreSQL tests run when ``QUIZBOT_TEST_POSTGRES_URL`` is set (CI sets it). Each test gets its own
database, created and dropped here. If the variable is set but the server cannot be reached, the tests
*fail*: a CI that silently skipped its PostgreSQL half would prove nothing.
"""

from __future__ import annotations

import asyncio
import os
import random
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from benchmarks.pg import connect
from quizbot.engine import QuizEngine
from quizbot.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
TEST_BANK = ROOT / "tests" / "data" / "bank"
POSTGRES_ENV = "QUIZBOT_TEST_POSTGRES_URL"

for _name in [n for n in os.environ if n.startswith(("SLACK_", "DISCORD_", "QUIZBOT_"))]:
    if _name != POSTGRES_ENV:  # a developer's own tokens or database must never leak into a test
        del os.environ[_name]


class FakeClock:
    """A clock tests move by hand: no test sleeps until a real 09:00."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 18, 12, 0, tzinfo=UTC)  # a Wednesday

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now

    def set(self, when: datetime) -> datetime:
        self.now = when
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def bank_dir() -> Path:
    return TEST_BANK


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{(tmp_path / 'quizbot.db').as_posix()}"


async def _create_database(admin_url: str) -> str:
    name = f"quizbot_test_{uuid.uuid4().hex[:12]}"
    conn = await connect(admin_url)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


async def _drop_database(admin_url: str, test_url: str) -> None:
    conn = await connect(admin_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{make_url(test_url).database}" WITH (FORCE)')
    finally:
        await conn.close()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test; dropped afterwards.

    Synchronous (its own short event loop) so that sync and async tests and fixtures can all use it.
    """
    admin = os.environ.get(POSTGRES_ENV)
    if not admin:
        pytest.skip(f"{POSTGRES_ENV} is not set")
    try:
        url = asyncio.run(_create_database(admin))
    except Exception as exc:  # unreachable server must fail the run, not skip it
        pytest.fail(f"{POSTGRES_ENV} is set but PostgreSQL is unreachable: {exc!r}", pytrace=False)
    try:
        yield url
    finally:
        asyncio.run(_drop_database(admin, url))


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each storage test runs against a real SQLite file and a real PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{(tmp_path / 'quizbot.db').as_posix()}"
    else:
        yield request.getfixturevalue("postgres_url")


def make_settings(database_url: str, questions: Path | str = TEST_BANK, **extra: object) -> Settings:
    return Settings(database_url=database_url, questions=str(questions), **extra)


@pytest.fixture
async def engine(sqlite_url: str, clock: FakeClock) -> AsyncIterator[QuizEngine]:
    """A QuizEngine on a fresh SQLite file with the test bank, a fake clock and a seeded RNG."""
    eng = await QuizEngine.open(make_settings(sqlite_url), clock=clock, rng=random.Random(7))
    try:
        yield eng
    finally:
        await eng.aclose()


@pytest.fixture
async def any_engine(db_url: str, clock: FakeClock) -> AsyncIterator[QuizEngine]:
    """Like ``engine``, once on SQLite and once on PostgreSQL."""
    eng = await QuizEngine.open(make_settings(db_url), clock=clock, rng=random.Random(7))
    try:
        yield eng
    finally:
        await eng.aclose()
