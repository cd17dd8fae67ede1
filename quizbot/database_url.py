"""What ``QUIZBOT_DATABASE_URL`` may say, and the async SQLAlchemy URL quizbot opens for it.

People copy URLs from the PostgreSQL and SQLite docs (``postgresql://``, ``postgres://``, ``sqlite:///``);
SQLAlchemy would pick a synchronous driver for those (psycopg, pysqlite) that quizbot's async engine cannot
use, or refuse ``postgres://`` outright. So the driver is chosen here: asyncpg for PostgreSQL, aiosqlite for
SQLite. The explicit ``postgresql+asyncpg://`` and ``sqlite+aiosqlite:///`` forms are accepted as they are;
every other scheme or driver is refused with a message naming the supported forms.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from quizbot.domain import QuizError

SUPPORTED_FORMS = "postgresql://USER:PASSWORD@HOST:PORT/DATABASE or sqlite:///PATH"
"""What error messages offer; ``postgres://`` and the ``+asyncpg``/``+aiosqlite`` forms work too."""

POSTGRES_DRIVER = "postgresql+asyncpg"
SQLITE_DRIVER = "sqlite+aiosqlite"
_ALIASES = {
    "postgresql": POSTGRES_DRIVER,
    "postgres": POSTGRES_DRIVER,
    "postgresql+asyncpg": POSTGRES_DRIVER,
    "postgres+asyncpg": POSTGRES_DRIVER,
    "sqlite": SQLITE_DRIVER,
    "sqlite+aiosqlite": SQLITE_DRIVER,
}


class DatabaseUrlError(QuizError, ValueError):
    """``QUIZBOT_DATABASE_URL`` cannot be used; the message says what to write instead.

    A ``ValueError`` too, so that pydantic reports it as an invalid setting.
    """


def _shown(text: str) -> str:
    """The URL as typed, for an error message; never with what could be a password in it."""
    return "the value given" if "@" in text else repr(text)


def async_database_url(text: str) -> str:
    """The async SQLAlchemy URL for ``text``; :class:`DatabaseUrlError` when it is not one quizbot can use.

    A SQLite path may start with ``~`` (the user's home folder); a relative one is relative to the
    working folder.

    ``sslmode`` (libpq's name, in URLs copied from PostgreSQL's docs) becomes ``ssl``, asyncpg's name for
    the same choice (disable, prefer, require, verify-ca, verify-full).
    """
    text = text.strip()
    if not text:
        raise DatabaseUrlError(
            f"it is empty; unset it to keep data in quizbot.db in the current folder, "
            f"or set {SUPPORTED_FORMS}"
        )
    try:
        url = make_url(text)
    except (ArgumentError, ValueError):
        raise DatabaseUrlError(f"{_shown(text)} is not a database URL; use {SUPPORTED_FORMS}") from None
    driver = _ALIASES.get(url.drivername.lower())
    if driver is None:
        raise DatabaseUrlError(
            f"'{url.drivername}' databases are not supported; use {SUPPORTED_FORMS} "
            "(quizbot picks the asyncpg or aiosqlite driver itself)"
        )
    url = url.set(drivername=driver)
    if url.port is not None and not 0 < url.port < 65536:  # asyncpg would fail deep inside, with a traceback
        raise DatabaseUrlError(
            f"the port {url.port} is out of range; use a port from 1 to 65535 (PostgreSQL's is 5432)"
        )
    if driver == SQLITE_DRIVER and url.database and url.database.startswith("~"):
        url = url.set(database=str(Path(url.database).expanduser()))  # SQLite itself would make a "~" folder
    if driver == POSTGRES_DRIVER and "sslmode" in url.query and "ssl" not in url.query:
        url = url.update_query_dict({"ssl": url.query["sslmode"]}).difference_update_query(["sslmode"])
    return url.render_as_string(hide_password=False)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL, absolute; None for an in-memory database or a PostgreSQL URL."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database).resolve()


def database_label(url: str) -> str:
    """Where data is kept, for people: the SQLite file path, or the URL without its password."""
    parsed: URL = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        return str(path) if path is not None else ":memory:"
    return parsed.render_as_string(hide_password=True)
