"""Schema migrations: where a database stands, and bringing it to the revision this quizbot needs.

Alembic keeps the revision in the ``alembic_version`` table; the scripts live in ``quizbot/migrations``.
Databases made by quizbot 0.1 have no such table but a ``schema_version`` row of ``"1"`` in
``quizbot_meta``: they hold exactly the baseline schema and are adopted by stamping them with it. Once
Alembic manages a database the row says ``"2"``, so that quizbot 0.1 refuses it instead of using tables it
does not know.

Everything here is synchronous and runs on a connection the store opened (``AsyncConnection.run_sync``),
inside the transaction that holds the schema lock.
"""

from __future__ import annotations

import enum
import functools
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, inspect, select

from quizbot.domain import QuizError
from quizbot.tables import meta

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BASELINE = "0001_baseline"
"""The schema of quizbot 0.1, the first release; its databases are stamped with this revision."""
LEGACY_SCHEMA_VERSION = "1"
MANAGED_SCHEMA_VERSION = "2"
"""Written to ``quizbot_meta`` once Alembic manages the database; quizbot 0.1 refuses any value but 1."""


class SchemaError(QuizError):
    """The database's schema is not the one this quizbot needs; the message says what to do."""


class NewerSchemaError(SchemaError):
    """The database was made or upgraded by a newer quizbot (a revision this one does not know)."""


class OutdatedSchemaError(SchemaError):
    """The database needs ``quizbot db upgrade`` before this quizbot can use it."""


class Standing(enum.StrEnum):
    EMPTY = "empty"
    """No quizbot tables yet: a new database."""
    LEGACY = "legacy"
    """Made by quizbot 0.1: the baseline schema without Alembic's table."""
    OUTDATED = "outdated"
    CURRENT = "current"
    NEWER = "newer"
    """A revision this quizbot does not know, or a schema version it cannot read."""


@dataclass(frozen=True, slots=True)
class SchemaState:
    standing: Standing
    revision: str | None
    """Alembic's revision (the baseline for a quizbot 0.1 database), None when empty."""
    head: str

    def describe(self) -> str:
        """One line for ``quizbot db current``."""
        if self.standing is Standing.EMPTY:
            return f"empty database; quizbot db upgrade creates revision {self.head}"
        if self.standing is Standing.CURRENT:
            return f"{self.revision} (up to date)"
        if self.standing is Standing.NEWER:
            return f"{self.revision}, newer than this quizbot (it knows up to {self.head})"
        made = " (made by quizbot 0.1)" if self.standing is Standing.LEGACY else ""
        return f"{self.revision}{made}; this quizbot needs {self.head}: run quizbot db upgrade"


def config(connection: Connection | None = None) -> Config:
    """Alembic's configuration without an ini file: the packaged scripts and an open connection."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("file_template", "%%(rev)s")
    cfg.attributes["connection"] = connection
    return cfg


@functools.cache
def scripts() -> ScriptDirectory:
    """The packaged revisions, read once per process."""
    return ScriptDirectory.from_config(config())


def head() -> str:
    revision = scripts().get_current_head()
    assert revision is not None, "quizbot/migrations/versions holds no revision"
    return revision


@contextmanager
def _quiet_alembic() -> Iterator[None]:
    """Alembic logs every step at INFO; quizbot says in one line what happened instead."""
    logger = logging.getLogger("alembic")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def read_state(conn: Connection) -> SchemaState:
    """Where the database stands; reads only."""
    latest = head()
    tables = set(inspect(conn).get_table_names())
    if "alembic_version" in tables:
        with _quiet_alembic():
            revision = MigrationContext.configure(conn).get_current_revision()
        if revision is None:
            return SchemaState(Standing.EMPTY, None, latest)
        known = {s.revision for s in scripts().walk_revisions()}
        if revision not in known:
            return SchemaState(Standing.NEWER, revision, latest)
        return SchemaState(Standing.CURRENT if revision == latest else Standing.OUTDATED, revision, latest)
    if meta.name not in tables:
        return SchemaState(Standing.EMPTY, None, latest)
    version = conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")).scalar_one_or_none()
    if version is None:  # quizbot 0.1 wrote the row in the transaction that made the tables
        return SchemaState(Standing.EMPTY, None, latest)
    if version == LEGACY_SCHEMA_VERSION:
        return SchemaState(Standing.LEGACY, BASELINE, latest)
    return SchemaState(Standing.NEWER, f"schema version {version}", latest)


def refuse_newer(state: SchemaState, where: str) -> NewerSchemaError:
    return NewerSchemaError(
        f"the database {where} is at schema revision {state.revision}, newer than this quizbot knows "
        f"({state.head}); upgrade quizbot, or restore a backup made before the upgrade"
    )


def upgrade(conn: Connection, target: str = "head") -> None:
    """Adopt a quizbot 0.1 database if need be, then upgrade to ``target``. Caller holds the lock."""
    state = read_state(conn)
    with _quiet_alembic():
        if state.standing is Standing.LEGACY:
            command.stamp(config(conn), BASELINE)
        command.upgrade(config(conn), target)
    _mark_managed(conn)
    if state.standing is not Standing.EMPTY:
        log.info("upgraded the database schema from %s to %s", state.revision, read_state(conn).revision)


def downgrade(conn: Connection, target: str) -> None:
    """Undo revisions down to ``target``; an unknown or unreachable target is one line naming the rest."""
    try:
        with _quiet_alembic():
            command.downgrade(config(conn), target)
    except CommandError as exc:  # alembic's own message, e.g. "No such revision or branch 'zzz'"
        reason = (str(exc).strip().splitlines() or ["not a revision"])[0]
        known = ", ".join(reversed([s.revision for s in scripts().walk_revisions()]))
        raise SchemaError(
            f"cannot downgrade to {target}: {reason}; give one of {known}, or -N to undo N revisions "
            "(quizbot db current shows where the database is)"
        ) from None


def _mark_managed(conn: Connection) -> None:
    if meta.name not in inspect(conn).get_table_names():  # downgraded below the baseline
        return
    found = conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")).scalar_one_or_none()
    if found is None:
        conn.execute(meta.insert().values(key="schema_version", value=MANAGED_SCHEMA_VERSION))
    elif found != MANAGED_SCHEMA_VERSION:
        conn.execute(meta.update().where(meta.c.key == "schema_version").values(value=MANAGED_SCHEMA_VERSION))


def new_revision(conn: Connection, message: str) -> str:
    """Autogenerate the next revision from the models (``quizbot/tables.py``) against a database at head.

    Ids are numbered (``0002_add_outbox``) so that the files sort in order. Returns the new file's path.
    """
    number = len(list(ScriptDirectory.from_config(config()).walk_revisions())) + 1
    slug = "_".join(message.lower().split())[:40]
    rev_id = f"{number:04d}_{''.join(c for c in slug if c.isalnum() or c == '_')}"
    script = command.revision(config(conn), message, autogenerate=True, rev_id=rev_id)
    assert script is not None and not isinstance(script, list)
    return str(script.path)
