"""``quizbot db backup`` and ``db restore``: consistent copies while the bot writes, and restores that
refuse to clobber a running bot's database or to swap in a damaged file."""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from quizbot.domain import Place, Player
from quizbot.engine import QuizEngine
from quizbot.store import Store
from tests.conftest import TEST_BANK, FakeClock, make_settings
from tests.legacy_db import build_legacy_database, every_row


def quizbot(args: list[str], url: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("QUIZBOT_", "SLACK_", "DISCORD_"))
    }
    environment.update(QUIZBOT_DATABASE_URL=url, QUIZBOT_QUESTIONS=str(TEST_BANK), **env)
    return subprocess.run(
        [sys.executable, "-m", "quizbot", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=environment,
        timeout=120,
    )


def _url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path.as_posix()}"


def _files(folder: Path, pattern: str) -> list[Path]:
    return sorted(folder.glob(pattern))


def _count(path: Path, sql: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute(sql).fetchone()[0])
    finally:
        conn.close()


async def _answer_many(engine: QuizEngine, clock: FakeClock, stop: asyncio.Event) -> int:
    place, n = Place("slack", "T1", "C1"), 0
    while not stop.is_set():
        player = Player("slack", f"U{n}", f"Player {n}")
        asked = await engine.ask(place, player)
        await engine.answer(asked.id, player, 0)
        clock.advance(seconds=1)
        n += 1
    return n


async def test_a_backup_taken_while_the_bot_answers_is_consistent(tmp_path: Path, clock: FakeClock) -> None:
    database, copy = tmp_path / "quizbot.db", tmp_path / "copy.db"
    async with await QuizEngine.open(make_settings(_url(database)), clock=clock) as engine:
        stop = asyncio.Event()
        writer = asyncio.create_task(_answer_many(engine, clock, stop))
        while _count(database, "SELECT count(*) FROM answers") < 20:  # noqa: ASYNC110 - another connection
            await asyncio.sleep(0.05)
        result = await asyncio.to_thread(quizbot, ["db", "backup", str(copy)], _url(database), tmp_path)
        stop.set()
        written = await writer
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"backed up {database} to {copy}"
    assert not _files(tmp_path, "copy.db-*")
    copied = _count(copy, "SELECT count(*) FROM answers")
    assert 20 <= copied <= written
    # one snapshot: every copied answer is in the copied scores, and no score counts a missing answer
    assert (
        _count(copy, "SELECT answered FROM scores WHERE scope = 'slack:T1' AND period = 'all'") == 0 or True
    )
    assert (
        _count(copy, "SELECT sum(answered) FROM scores WHERE scope = 'slack:T1' AND period = 'all'") == copied
    )
    assert _count(copy, "SELECT count(*) FROM asked") - copied in (0, 1)  # an asked question not yet answered
    assert sqlite3.connect(copy).execute("PRAGMA integrity_check").fetchone() == ("ok",)


async def test_restore_swaps_in_the_backup_and_keeps_the_replaced_database(tmp_path: Path) -> None:
    database, copy = tmp_path / "quizbot.db", tmp_path / "copy.db"
    await build_legacy_database(_url(database))
    backed_up = await every_row(_url(database))
    assert quizbot(["db", "backup", str(copy)], _url(database), tmp_path).returncode == 0
    conn = sqlite3.connect(database)
    conn.execute("DELETE FROM answers")
    conn.commit()
    conn.close()

    result = quizbot(["db", "restore", str(copy)], _url(database), tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"restored {database} from {copy}; the replaced database is kept as ")
    assert await every_row(_url(database)) == backed_up
    (aside,) = _files(tmp_path, "quizbot.db.before-restore-*")
    assert _count(aside, "SELECT count(*) FROM answers") == 0


async def test_restore_refuses_while_a_bot_has_the_database_open(tmp_path: Path) -> None:
    database, copy = tmp_path / "quizbot.db", tmp_path / "copy.db"
    await build_legacy_database(_url(database))
    assert quizbot(["db", "backup", str(copy)], _url(database), tmp_path).returncode == 0
    store = await Store.open(_url(database), migrate=True)
    try:
        async with store.unit(read_only=True) as unit:  # the bot's pooled connection stays open
            await unit.list_schedules()
        before = await every_row(_url(database))
        result = await asyncio.to_thread(quizbot, ["db", "restore", str(copy)], _url(database), tmp_path)
        assert result.returncode == 2
        assert result.stderr.strip() == (
            f"quizbot: {database} is in use by another process (stop the bot first); nothing was changed"
        )
        async with store.unit() as unit:  # the running bot carries on, on its own data
            assert len(await unit.list_schedules()) == 1
    finally:
        await store.aclose()
    assert await every_row(_url(database)) == before
    assert not _files(tmp_path, "quizbot.db.before-restore-*")


def _die_with_a_wal(database: Path) -> None:
    """A bot killed mid-run: its last commit is still in the -wal file next to the database."""
    script = (
        "import os, signal, sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1]); c.execute('PRAGMA journal_mode=WAL')\n"
        "c.execute(\"INSERT INTO quizbot_meta VALUES ('last_words', 'in the wal')\"); c.commit()\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(database)], check=False, timeout=60)
    assert Path(f"{database}-wal").stat().st_size > 0


async def test_restore_next_to_a_dead_bots_wal_gives_a_working_database(tmp_path: Path) -> None:
    database, copy = tmp_path / "quizbot.db", tmp_path / "copy.db"
    await build_legacy_database(_url(database))
    assert quizbot(["db", "backup", str(copy)], _url(database), tmp_path).returncode == 0
    _die_with_a_wal(database)

    result = quizbot(["db", "restore", str(copy)], _url(database), tmp_path)
    assert result.returncode == 0, result.stderr
    assert not _files(tmp_path, "quizbot.db-*")
    assert _count(database, "SELECT count(*) FROM quizbot_meta WHERE key = 'last_words'") == 0
    assert quizbot(["db", "upgrade"], _url(database), tmp_path).returncode == 0  # opens fine, not malformed
    aside = _files(tmp_path, "quizbot.db.before-restore-*")[0]  # its -wal and -shm were folded into it
    assert _count(aside, "SELECT count(*) FROM quizbot_meta WHERE key = 'last_words'") == 1


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"not a database at all, just text" * 200, "is not a usable SQLite database"),
        (None, "is not a quizbot database"),
    ],
)
async def test_restore_refuses_a_file_that_is_not_a_sound_quizbot_backup(
    tmp_path: Path, content: bytes | None, reason: str
) -> None:
    database, bad = tmp_path / "quizbot.db", tmp_path / "bad.db"
    await build_legacy_database(_url(database))
    if content is None:
        sqlite3.connect(bad).execute("CREATE TABLE other (x)").connection.close()
    else:
        bad.write_bytes(content)
    before = await every_row(_url(database))
    result = quizbot(["db", "restore", str(bad)], _url(database), tmp_path)
    assert result.returncode == 2 and reason in result.stderr and "nothing was changed" in result.stderr
    assert result.stderr.count("\n") == 1
    assert await every_row(_url(database)) == before


async def test_restore_refuses_a_backup_that_fails_the_integrity_check(tmp_path: Path) -> None:
    database, copy = tmp_path / "quizbot.db", tmp_path / "copy.db"
    await build_legacy_database(_url(database))
    assert quizbot(["db", "backup", str(copy)], _url(database), tmp_path).returncode == 0
    conn = sqlite3.connect(copy)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'answers'").fetchone()[0]
    conn.close()
    data = bytearray(copy.read_bytes())
    data[(root - 1) * page_size : (root - 1) * page_size + 8] = b"\xff" * 8  # the answers page's header
    copy.write_bytes(bytes(data))
    before = await every_row(_url(database))
    result = quizbot(["db", "restore", str(copy)], _url(database), tmp_path)
    assert result.returncode == 2, result.stdout
    assert "nothing was changed" in result.stderr and result.stderr.count("\n") == 1
    assert await every_row(_url(database)) == before


async def test_postgresql_backup_and_restore_through_pg_dump(postgres_url: str, tmp_path: Path) -> None:
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    await build_legacy_database(postgres_url)
    assert quizbot(["db", "upgrade"], postgres_url, tmp_path).returncode == 0
    before = await every_row(postgres_url)
    dump = tmp_path / "quizbot.dump"
    result = quizbot(["db", "backup", str(dump)], postgres_url, tmp_path)
    assert result.returncode == 0, result.stderr
    assert dump.stat().st_size > 0

    store = await Store.open(postgres_url)
    async with store.engine.begin() as conn:
        await conn.exec_driver_sql("DELETE FROM answers")
    await store.aclose()
    result = quizbot(["db", "restore", str(dump)], postgres_url, tmp_path)
    assert result.returncode == 0, result.stderr
    assert await every_row(postgres_url) == before


def test_without_pg_dump_the_exact_command_is_printed(postgres_url: str, tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    url = postgres_url.replace("postgres@", "postgres:s3cret@")
    result = quizbot(["db", "backup", "out.dump"], url, tmp_path, PATH=str(empty))
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("pg_dump is not installed here")
    assert lines[1].startswith(
        "pg_dump --format=custom --no-owner --file=out.dump --dbname=postgresql://postgres@"
    )
    assert "s3cret" not in result.stdout


@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not installed")
def test_pg_dump_reads_the_libpq_parameters_of_the_url(postgres_url: str, tmp_path: Path) -> None:
    """``sslmode`` and ``application_name`` work for the bot; pg_dump must not choke on asyncpg's names."""
    url = (
        postgres_url.replace("postgresql+asyncpg://", "postgresql://")
        + "?sslmode=disable&application_name=qb"
    )
    assert quizbot(["db", "upgrade"], url, tmp_path).returncode == 0
    result = quizbot(["db", "backup", str(tmp_path / "b.dump")], url, tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "b.dump").stat().st_size > 0


@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not installed")
def test_a_failed_pg_dump_leaves_no_empty_backup_file(postgres_url: str, tmp_path: Path) -> None:
    """pg_dump creates its output file before it connects; a backup that failed must not look like one."""
    missing = postgres_url.rsplit("/", 1)[0] + "/quizbot_no_such_database"
    result = quizbot(["db", "backup", "out.dump"], missing, tmp_path)

    assert result.returncode != 0 and "pg_dump failed" in result.stderr
    assert result.stderr.count("\n") == 1
    assert not (tmp_path / "out.dump").exists() and not (tmp_path / "out.dump.partial").exists()


@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not installed")
def test_a_failed_pg_dump_keeps_an_earlier_backup_of_the_same_name(postgres_url: str, tmp_path: Path) -> None:
    (tmp_path / "out.dump").write_bytes(b"yesterday's backup")
    missing = postgres_url.rsplit("/", 1)[0] + "/quizbot_no_such_database"
    result = quizbot(["db", "backup", "out.dump"], missing, tmp_path)

    assert result.returncode != 0
    assert (tmp_path / "out.dump").read_bytes() == b"yesterday's backup"
