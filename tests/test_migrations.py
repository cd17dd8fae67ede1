"""Schema migrations: quizbot 0.1 databases are adopted and upgraded with every row kept, on SQLite and
PostgreSQL; the models and the newest revision agree; newer databases are refused untouched."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection

from quizbot import migrate
from quizbot.domain import Place, Player
from quizbot.engine import QuizEngine
from quizbot.migrate import NewerSchemaError, OutdatedSchemaError
from quizbot.store import Store, schema_transaction
from quizbot.tables import metadata
from tests.conftest import ROOT, make_settings
from tests.legacy_db import build_legacy_database, every_row, scalar, table_names


def _sqlite_path(url: str) -> Path | None:
    return Path(url.split("///", 1)[1]) if url.startswith("sqlite") else None


async def test_a_quizbot_0_1_database_is_refused_until_upgraded_then_keeps_every_row(db_url: str) -> None:
    await build_legacy_database(db_url)
    before = await every_row(db_url)
    assert sum(len(rows) for rows in before.values()) == 16

    with pytest.raises(OutdatedSchemaError) as refused:
        await Store.open(db_url)
    assert "\n" not in str(refused.value)
    assert "at schema revision 0001_baseline" in str(refused.value)
    assert "run quizbot db upgrade" in str(refused.value)
    assert await every_row(db_url) == before and "alembic_version" not in await table_names(db_url)

    store = await Store.open(db_url, migrate=True)
    await store.aclose()
    assert await every_row(db_url) == before
    assert await scalar(db_url, "SELECT version_num FROM alembic_version") == migrate.head()
    assert await scalar(db_url, "SELECT value FROM quizbot_meta WHERE key = 'schema_version'") == "2"

    async with await QuizEngine.open(make_settings(db_url)) as engine:  # the old scores are served
        board = await engine.leaderboard(Place("slack", "T1", "C1"), Player("slack", "U1", "U1"))
    assert [(e.player_key, e.points, e.rank) for e in board.entries] == [
        ("slack:U2", 2, 1),
        ("slack:U1", 2, 1),
    ]

    path = _sqlite_path(db_url)
    if path is not None:  # the copy taken before migrating holds the old database, rows and all
        (copy,) = path.parent.glob(f"{path.name}.before-upgrade-*")
        copy_url = f"sqlite+aiosqlite:///{copy.as_posix()}"
        assert await every_row(copy_url) == before
        assert "alembic_version" not in await table_names(copy_url)


async def test_processes_on_a_0_1_database_with_auto_migrate_upgrade_it_once(db_url: str) -> None:
    await build_legacy_database(db_url)
    before = await every_row(db_url)
    stores = await asyncio.gather(*(Store.open(db_url, migrate=True) for _ in range(4)))
    await asyncio.gather(*(s.aclose() for s in stores))
    assert await every_row(db_url) == before
    path = _sqlite_path(db_url)
    if path is not None:
        assert len(list(path.parent.glob(f"{path.name}.before-upgrade-*"))) == 1


def _differences(conn: Connection) -> list[object]:
    return compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)


async def test_the_models_and_the_newest_revision_agree(db_url: str) -> None:
    """Fails when tables.py changed without a revision: run quizbot db revision "what changed"."""
    store = await Store.open(db_url)
    try:
        async with store.engine.connect() as conn:
            assert await conn.run_sync(_differences) == []
    finally:
        await store.aclose()


def _step(conn: Connection, target: str) -> None:
    with schema_transaction(conn):
        if target == "head":
            migrate.upgrade(conn)
        else:
            migrate.downgrade(conn, target)


async def test_the_newest_revision_downgrades_and_upgrades_again_keeping_rows(db_url: str) -> None:
    await build_legacy_database(db_url)
    store = await Store.open(db_url, migrate=True)
    before = await every_row(db_url)
    try:
        async with store.engine.connect() as conn:
            await conn.run_sync(_step, "-1")
        assert await scalar(db_url, "SELECT version_num FROM alembic_version") != migrate.head()
        assert await every_row(db_url) == before
        async with store.engine.connect() as conn:
            await conn.run_sync(_step, "head")
            assert await conn.run_sync(_differences) == []
    finally:
        await store.aclose()
    assert await every_row(db_url) == before


async def test_a_database_newer_than_this_quizbot_is_refused_in_one_line_and_untouched(db_url: str) -> None:
    store = await Store.open(db_url)
    async with store.engine.begin() as conn:
        await conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0999_from_the_future'")
    await store.aclose()
    before = await every_row(db_url)
    for migrate_too in (False, True):
        with pytest.raises(NewerSchemaError) as refused:
            await Store.open(db_url, migrate=migrate_too)
        assert "\n" not in str(refused.value) and "upgrade quizbot" in str(refused.value)
    assert await every_row(db_url) == before
    assert await scalar(db_url, "SELECT version_num FROM alembic_version") == "0999_from_the_future"


def _quizbot(args: list[str], url: str, cwd: Path, **env: str) -> subprocess.Popen[str]:
    import os

    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("QUIZBOT_", "SLACK_", "DISCORD_"))
    }
    environment.update(
        QUIZBOT_DATABASE_URL=url, QUIZBOT_QUESTIONS=str(ROOT / "tests" / "data" / "bank"), **env
    )
    return subprocess.Popen(
        [sys.executable, "-m", "quizbot", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
        env=environment,
    )


async def test_two_processes_running_db_upgrade_at_once_upgrade_it_once(db_url: str, tmp_path: Path) -> None:
    await build_legacy_database(db_url)
    before = await every_row(db_url)
    processes = [_quizbot(["db", "upgrade"], db_url, tmp_path) for _ in range(2)]
    outputs = [await asyncio.to_thread(p.communicate, timeout=120) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs
    said = sorted(out.strip() for out, _ in outputs)
    assert said == [f"already at {migrate.head()}", f"upgraded from 0001_baseline to {migrate.head()}"]
    assert await every_row(db_url) == before


async def test_run_refuses_an_outdated_database_in_one_line_naming_db_upgrade(
    sqlite_url: str, tmp_path: Path
) -> None:
    await build_legacy_database(sqlite_url)
    # a platform is configured (run without one refuses earlier); the database is opened before any login
    process = _quizbot(["run"], sqlite_url, tmp_path, DISCORD_TOKEN="configured")
    out, err = await asyncio.to_thread(process.communicate, "", 60)
    assert process.returncode == 2
    last = err.strip().splitlines()[-1]
    assert "Traceback" not in err and last.startswith("quizbot: the database ")
    assert "run quizbot db upgrade (or set QUIZBOT_AUTO_MIGRATE=1)" in last

    process = _quizbot(["play"], sqlite_url, tmp_path, QUIZBOT_AUTO_MIGRATE="1")
    out, err = await asyncio.to_thread(process.communicate, "/leaderboard\n", 60)
    assert process.returncode == 0, err
    assert "Leaderboard" in out
    assert await scalar(sqlite_url, "SELECT version_num FROM alembic_version") == migrate.head()
    assert await scalar(sqlite_url, "SELECT count(*) FROM answers") == 3


async def test_db_current_says_where_the_database_stands(sqlite_url: str, tmp_path: Path) -> None:
    await build_legacy_database(sqlite_url)
    process = _quizbot(["db", "current"], sqlite_url, tmp_path)
    out, _ = await asyncio.to_thread(process.communicate, "", 60)
    assert process.returncode == 1 and "0001_baseline (made by quizbot 0.1); this quizbot needs" in out
    process = _quizbot(["db", "upgrade"], sqlite_url, tmp_path)
    await asyncio.to_thread(process.communicate, "", 60)
    process = _quizbot(["db", "current"], sqlite_url, tmp_path)
    out, _ = await asyncio.to_thread(process.communicate, "", 60)
    assert process.returncode == 0 and f"{migrate.head()} (up to date)" in out
