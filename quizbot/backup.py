"""Backups and restores of the database file: SQLite through its online backup API, PostgreSQL through
``pg_dump``/``pg_restore``.

SQLite's backup API copies the database inside one read transaction, so the copy is consistent while
the bot keeps writing (in WAL mode a reader never blocks the writer). A restore must never be swapped in
under a running bot, nor next to a dead bot's ``-wal`` file: SQLite would replay that journal onto the
restored pages and report "database disk image is malformed".
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from quizbot.domain import QuizError


class BackupError(QuizError):
    """A backup or restore was refused or failed; the message says why and what to do."""


def sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL; None for PostgreSQL or an in-memory database."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    name = parsed.database or ""
    if not name or name == ":memory:" or name.startswith("file:"):
        return None
    return Path(name)


def timestamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def backup_sqlite(source: Path, target: Path) -> None:
    """Copy a live SQLite database to ``target`` (replaced if it exists) through the online backup API."""
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
        try:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst)  # all pages in one step: one read transaction, one consistent snapshot
                dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
            finally:
                dst.close()
        finally:
            src.close()
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)  # a failed copy leaves nothing behind
        raise


def backup_beside(source: Path, revision: str | None) -> Path:
    """Back up a SQLite database next to itself before a migration; returns the copy's path."""
    target = source.with_name(f"{source.name}.before-upgrade-{revision or 'legacy'}-{timestamp()}")
    backup_sqlite(source, target)
    return target


def check_sqlite_file(path: Path) -> None:
    """Refuse a file that is not an intact SQLite database made by quizbot."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchall()
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a usable SQLite database ({exc}); nothing was changed") from exc
    if result != [("ok",)]:
        problem = "; ".join(str(r[0]) for r in result[:3])
        raise BackupError(f"{path} fails SQLite's integrity check ({problem}); nothing was changed")
    if "quizbot_meta" not in tables:
        raise BackupError(f"{path} is not a quizbot database (no quizbot_meta table); nothing was changed")


@dataclass(frozen=True, slots=True)
class Restored:
    previous: Path | None
    """Where the database that was replaced now lies (None when there was none)."""


def restore_sqlite(backup: Path, database: Path) -> Restored:
    """Swap a checked copy of ``backup`` in as ``database``, keeping the replaced database beside it.

    Refuses while any process has ``database`` open. The replaced database first absorbs its own WAL
    (a dead bot's last commits are kept in the set-aside copy) so no stale ``-wal``/``-shm`` is left to be
    replayed onto the restored file.
    """
    if not backup.is_file():
        raise BackupError(f"no backup file at {backup}")
    check_sqlite_file(backup)
    incoming = database.with_name(database.name + ".restoring")
    shutil.copyfile(backup, incoming)
    try:
        check_sqlite_file(incoming)
        previous = _set_aside(database) if database.exists() else None
        _remove_journals(database)
        os.replace(incoming, database)
    finally:
        incoming.unlink(missing_ok=True)
    return Restored(previous)


def _set_aside(database: Path) -> Path:
    """Fold the WAL into the file, proving no one else has it open, then move it aside."""
    try:
        conn = sqlite3.connect(database, timeout=0)
        try:
            conn.execute("PRAGMA busy_timeout=0")
            # Leaving WAL mode needs the only connection to the file: it fails while a bot has it open.
            mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:
        raise _in_use(database) from exc
    except sqlite3.DatabaseError:
        mode = None  # a damaged database: move it and its journals aside as they are
    if mode != ("delete",) and mode is not None:
        raise _in_use(database)
    aside = database.with_name(f"{database.name}.before-restore-{timestamp()}")
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{database}{suffix}")
        if source.exists():
            os.replace(source, Path(f"{aside}{suffix}"))
    return aside


def _in_use(database: Path) -> BackupError:
    return BackupError(f"{database} is in use by another process (stop the bot first); nothing was changed")


def _remove_journals(database: Path) -> None:
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)


def libpq_url(url: str) -> URL:
    """The URL as ``pg_dump`` reads it: no SQLAlchemy driver suffix, libpq's parameter names, and no
    password (that goes in the environment, never on a command line other users can read)."""
    parsed = make_url(url)
    query = dict(parsed.query)
    if "ssl" in query:  # asyncpg's name (``sslmode`` in the URL becomes ``ssl``); same values as libpq's
        query.setdefault("sslmode", query.pop("ssl"))
    query.pop("prepared_statement_cache_size", None)  # SQLAlchemy's own, unknown to libpq
    return URL.create(
        "postgresql",
        username=parsed.username,
        host=parsed.host,
        port=parsed.port,
        database=parsed.database,
        query=query,
    )


def pg_env(url: str) -> dict[str, str]:
    password = make_url(url).password
    env = dict(os.environ)
    if password:
        env["PGPASSWORD"] = str(password)
    return env


def pg_dump_command(url: str, target: Path) -> list[str]:
    rendered = libpq_url(url).render_as_string(hide_password=False)
    return ["pg_dump", "--format=custom", "--no-owner", f"--file={target}", f"--dbname={rendered}"]


def pg_restore_command(url: str, backup: Path) -> list[str]:
    rendered = libpq_url(url).render_as_string(hide_password=False)
    return ["pg_restore", "--clean", "--if-exists", "--no-owner", f"--dbname={rendered}", str(backup)]
