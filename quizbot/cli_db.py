"""The operator's data commands: ``quizbot db ...`` (schema, backup, restore), ``quizbot export`` and
``quizbot players forget``. :func:`add_commands` registers them on the ``quizbot`` parser.

Commands that only read (``db current``, ``export``) never create or upgrade a schema; ``db upgrade``
is the one command that changes it on purpose.
"""

from __future__ import annotations

import argparse
import asyncio
import shlex
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import TextIO

from sqlalchemy import Connection

from quizbot import migrate as migrations
from quizbot.backup import (
    BackupError,
    backup_sqlite,
    pg_dump_command,
    pg_env,
    pg_restore_command,
    restore_sqlite,
    sqlite_file,
)
from quizbot.cli_help import add_command
from quizbot.domain import QuizError
from quizbot.export import FORMATS, KINDS, server_scope, write_export
from quizbot.forget import forget_player, forget_scope
from quizbot.output_file import cannot_write, check_output_file
from quizbot.settings import Settings
from quizbot.store import Store, create_engine, missing_sqlite_file, prepare_schema, schema_transaction

DB_VARIABLES = ("QUIZBOT_DATABASE_URL", "QUIZBOT_DB_CONNECT_TIMEOUT")
BACKUP_EXAMPLE = "quizbot-backup.db"
"""The file name a refused ``db backup FOLDER`` suggests."""


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    db = add_command(
        commands,
        "db",
        "database schema, backup and restore",
        "Upgrade the database schema to this release, say where it stands, back it up or restore it. "
        "See docs/data.md.",
        *DB_VARIABLES,
    )
    actions = db.add_subparsers(dest="action", metavar="ACTION", required=True)
    upgrade = add_command(
        actions,
        "upgrade",
        "bring the database schema up to this quizbot's revision",
        "Apply every schema revision the database lacks, under a lock, keeping every row; on SQLite a "
        "backup is taken beside the file first.",
        *DB_VARIABLES,
    )
    upgrade.set_defaults(handler=cmd_db_upgrade)
    current = add_command(
        actions,
        "current",
        "say which schema revision the database is at",
        "Print the database's schema revision and whether it is current, outdated or newer.",
        *DB_VARIABLES,
    )
    current.set_defaults(handler=cmd_db_current)
    downgrade = add_command(
        actions,
        "downgrade",
        "undo schema revisions down to REVISION",
        "Undo schema revisions, newest first, down to REVISION (for going back to an older release).",
        *DB_VARIABLES,
    )
    downgrade.add_argument("revision", metavar="REVISION", help="e.g. 0001_baseline, or -1 for one step")
    downgrade.set_defaults(handler=cmd_db_downgrade)
    backup = add_command(
        actions,
        "backup",
        "copy the database to FILE (safe while the bot runs)",
        "SQLite: a consistent copy through the online backup API. PostgreSQL: pg_dump, or the exact "
        "command to run when pg_dump is missing.",
        *DB_VARIABLES,
    )
    backup.add_argument("file", type=Path, metavar="FILE")
    backup.set_defaults(handler=cmd_db_backup)
    restore = add_command(
        actions,
        "restore",
        "replace the database with the backup in FILE",
        "Check the backup, set the current database aside and put the backup in its place; refused while "
        "a bot has the SQLite database open.",
        *DB_VARIABLES,
    )
    restore.add_argument("file", type=Path, metavar="FILE")
    restore.set_defaults(handler=cmd_db_restore)
    revision = add_command(
        actions,
        "revision",
        "(contributors) autogenerate a new schema revision",
        "Compare quizbot/tables.py with the newest revision and write the difference as a new revision.",
    )
    revision.add_argument("message", metavar="MESSAGE", help="what the revision changes, in a few words")
    revision.set_defaults(handler=cmd_db_revision)

    export = add_command(
        commands,
        "export",
        "write scores or answers as CSV or JSON",
        "Write every score row or every answer, of one server or all, for a spreadsheet.",
        *DB_VARIABLES,
    )
    export.add_argument("kind", choices=KINDS, metavar="{" + ",".join(KINDS) + "}")
    export.add_argument("--server", metavar="S", help="only this server: PLATFORM:SERVER")
    export.add_argument("--format", choices=FORMATS, default="csv")
    export.add_argument("--out", type=Path, help="write to this file instead of standard output")
    export.set_defaults(handler=cmd_export)

    players = add_command(
        commands,
        "players",
        "manage stored player data",
        "Delete what is stored about a player (see docs/data.md for every stored column).",
        *DB_VARIABLES,
    )
    player_actions = players.add_subparsers(dest="action", metavar="ACTION", required=True)
    forget = add_command(
        player_actions,
        "forget",
        "delete a player's answers, scores, streaks and reports",
        "Delete a player's answers, private questions, score rows and streaks, in one server or all; the "
        "boards rank everyone else as if the player had never played.",
        *DB_VARIABLES,
    )
    forget.add_argument("player", metavar="PLAYER_KEY", help="PLATFORM:USER_ID, e.g. slack:U0123")
    forget.add_argument("--server", metavar="S", help="only in this server, as PLATFORM:SERVER")
    forget.set_defaults(handler=cmd_players_forget)


def _require_existing(settings: Settings) -> None:
    """Commands that only read or delete refuse a SQLite file that is not there instead of creating it."""
    missing = missing_sqlite_file(settings.database_url, create=False)
    if missing is not None:
        raise missing


def _open(settings: Settings, *, migrate: bool = False) -> Store:
    if not migrate:
        _require_existing(settings)
    return asyncio.run(
        Store.open(
            settings.database_url,
            migrate=migrate,
            connect_timeout=settings.db_connect_timeout,
            command_timeout=settings.db_command_timeout,
        )
    )


# -- schema -------------------------------------------------------------------------------------------


def cmd_db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    async def go() -> str:
        engine = create_engine(
            settings.database_url, connect_timeout=settings.db_connect_timeout, command_timeout=None
        )
        try:
            async with engine.connect() as conn:
                before = await conn.run_sync(prepare_schema, True, settings.database_url)
        finally:
            await engine.dispose()
        if before.standing is migrations.Standing.CURRENT:
            return f"already at {before.head}"
        return f"upgraded from {before.revision or 'an empty database'} to {before.head}"

    print(asyncio.run(go()))
    return 0


async def _state(settings: Settings) -> migrations.SchemaState:
    """Where the database stands, read without changing anything."""
    engine = create_engine(
        settings.database_url,
        connect_timeout=settings.db_connect_timeout,
        command_timeout=settings.db_command_timeout,
    )
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(migrations.read_state)
    finally:
        await engine.dispose()


def cmd_db_current(args: argparse.Namespace, settings: Settings) -> int:
    _require_existing(settings)  # reads only: never create an empty database to describe it
    state = asyncio.run(_state(settings))
    print(f"{settings.database_label}: {state.describe()}")
    return 0 if state.standing is migrations.Standing.CURRENT else 1


def cmd_db_downgrade(args: argparse.Namespace, settings: Settings) -> int:
    _require_existing(settings)

    async def go() -> str:
        engine = create_engine(
            settings.database_url, connect_timeout=settings.db_connect_timeout, command_timeout=None
        )
        try:
            async with engine.connect() as conn:
                return await conn.run_sync(_downgrade, args.revision)
        finally:
            await engine.dispose()

    print(asyncio.run(go()))
    return 0


def _downgrade(conn: Connection, target: str) -> str:
    with schema_transaction(conn):
        state = migrations.read_state(conn)
        if state.standing in (migrations.Standing.EMPTY, migrations.Standing.LEGACY):
            raise QuizError(f"the database is at {state.revision or 'no revision'}; nothing to downgrade")
        if state.standing is migrations.Standing.NEWER:
            raise QuizError(f"the database is at {state.revision}, which this quizbot does not know")
        migrations.downgrade(conn, target)
        after = migrations.read_state(conn)
    return f"downgraded from {state.revision} to {after.revision or 'an empty database'}"


def cmd_db_revision(args: argparse.Namespace, settings: Settings) -> int:
    """Autogenerate a revision against a scratch in-memory database at head, so no real data is needed."""
    from sqlalchemy import create_engine as create_sync_engine

    engine = create_sync_engine("sqlite://")
    with engine.begin() as conn:
        migrations.upgrade(conn)
        path = migrations.new_revision(conn, args.message)
    print(f"wrote {path}; read it, then run: ruff format {path}")
    return 0


# -- backup and restore -------------------------------------------------------------------------------


def cmd_db_backup(args: argparse.Namespace, settings: Settings) -> int:
    check_output_file(args.file, BACKUP_EXAMPLE, option="")
    path = sqlite_file(settings.database_url)
    if path is not None:
        if not path.is_file():
            raise BackupError(f"there is no database at {path}")
        try:
            backup_sqlite(path, args.file)
        except (OSError, sqlite3.Error) as exc:  # no permission, disk full: one line, no partial copy left
            raise BackupError(f"cannot write {args.file}: {exc}") from None
        print(f"backed up {path} to {args.file}")
        return 0
    done = f"backed up {settings.database_label} to {args.file}"
    if shutil.which("pg_dump") is None:  # prints the command to run elsewhere, with the real file name
        return _run_pg_tool(pg_dump_command(settings.database_url, args.file), settings, done)
    # pg_dump creates its file before it even connects: it writes beside the target, which is replaced only
    # by a whole dump, so a failed backup neither leaves an empty file nor truncates an earlier backup
    partial = args.file.with_name(args.file.name + ".partial")
    try:
        _run_pg_tool(pg_dump_command(settings.database_url, partial), settings, "")
        partial.replace(args.file)
    finally:
        partial.unlink(missing_ok=True)
    print(done)
    return 0


def cmd_db_restore(args: argparse.Namespace, settings: Settings) -> int:
    path = sqlite_file(settings.database_url)
    if path is not None:
        restored = restore_sqlite(args.file, path)
        kept = f"; the replaced database is kept as {restored.previous}" if restored.previous else ""
        print(f"restored {path} from {args.file}{kept}")
        return 0
    if not args.file.is_file():
        raise BackupError(f"no backup file at {args.file}")
    command = pg_restore_command(settings.database_url, args.file)
    return _run_pg_tool(command, settings, f"restored {settings.database_label} from {args.file}")


def _run_pg_tool(command: list[str], settings: Settings, done: str) -> int:
    """Run ``pg_dump``/``pg_restore`` with the password in the environment; print the command without
    it when the tool is not installed here."""
    printable = shlex.join(command)  # the URL in it carries no password
    if shutil.which(command[0]) is None:
        print(f"{command[0]} is not installed here; run this where it is (password in PGPASSWORD):")
        print(printable)
        return 1
    result = subprocess.run(command, env=pg_env(settings.database_url), capture_output=True, text=True)
    if result.returncode != 0:
        reason = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackupError(f"{command[0]} failed: {reason}")
    if done:
        print(done)
    return 0


# -- export and forget --------------------------------------------------------------------------------


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    server_scope(args.server)  # a malformed --server is the mistake to report, before the database

    async def go(out: TextIO) -> int:
        store = await Store.open(
            settings.database_url,
            create=False,  # reads only: a missing SQLite file is refused, never created empty
            connect_timeout=settings.db_connect_timeout,
            command_timeout=settings.db_command_timeout,
        )
        try:
            return await write_export(store, args.kind, args.format, out, server=args.server)
        finally:
            await store.aclose()

    if args.out is None:
        count = asyncio.run(go(sys.stdout))
    else:
        check_output_file(args.out, f"{args.kind}.{args.format}")
        _require_existing(settings)  # before the file is opened: a refused export must not empty it
        try:
            out = args.out.open("w", encoding="utf-8", newline="")
        except OSError as exc:
            raise cannot_write(args.out, exc) from None
        with out:
            count = asyncio.run(go(out))
        print(f"wrote {count} {args.kind} rows to {args.out}", file=sys.stderr)
    return 0


def cmd_players_forget(args: argparse.Namespace, settings: Settings) -> int:
    forget_scope(args.player, args.server)  # malformed arguments first, before the database

    async def go() -> str:
        store = await Store.open(
            settings.database_url,
            create=False,  # nothing to forget in a database that is not there
            connect_timeout=settings.db_connect_timeout,
            command_timeout=settings.db_command_timeout,
        )
        try:
            report = await forget_player(store, args.player, server=args.server)
        finally:
            await store.aclose()
        return report.describe(args.player, args.server)

    print(asyncio.run(go()))
    return 0
