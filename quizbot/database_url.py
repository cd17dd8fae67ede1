"""What ``QUIZBOT_DATABASE_URL`` may say, and the async SQLAlchemy URL quizbot opens for it.

People copy URLs from the PostgreSQL and SQLite docs (``postgresql://``, ``postgres://``, ``sqlite:///``);
SQLAlchemy would pick a synchronous driver for those (psycopg, pysqlite) that quizbot's async engine cannot
use, or refuse ``postgres://`` outright. So the driver is chosen here: asyncpg for PostgreSQL, aiosqlite for
SQLite. The explicit ``postgresql+asyncpg://`` and ``sqlite+aiosqlite:///`` forms are accepted as they are;
every other scheme or driver is refused with a message naming the supported forms.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
    rendered = url.render_as_string(hide_password=False)
    if driver == POSTGRES_DRIVER:
        postgres_options(rendered)  # a parameter asyncpg cannot take is refused now, not at connect
    return rendered


# -- libpq's query parameters -----------------------------------------------------------------------

_PASSED_ON = ("ssl", "host", "passfile", "krbsrvname", "prepared_statement_cache_size")
"""Parameters asyncpg (or SQLAlchemy's asyncpg dialect) takes under the same name and meaning; ``host``
may repeat (SQLAlchemy's multi-host form)."""
_CHOICES = {
    "target_session_attrs": ("any", "primary", "standby", "read-write", "read-only", "prefer-standby"),
    "gsslib": ("gssapi", "sspi"),
}
_FROM_ENVIRONMENT = {
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "ssl_min_protocol_version": "PGSSLMINPROTOCOLVERSION",
    "ssl_max_protocol_version": "PGSSLMAXPROTOCOLVERSION",
    "service": "PGSERVICE",
}
"""libpq parameters asyncpg reads only from these environment variables, never from keyword arguments."""
_IN_THE_URL = {
    "dbname": "put the database name after the host: postgresql://HOST/DATABASE",
    "user": "put the user before the host: postgresql://USER:PASSWORD@HOST/DATABASE",
    "password": "put the password before the host: postgresql://USER:PASSWORD@HOST/DATABASE",
    "port": "put the port after the host: postgresql://HOST:PORT/DATABASE",
}
_UTF8 = ("utf8", "utf-8", "unicode")


@dataclass(frozen=True)
class PostgresOptions:
    """A PostgreSQL URL split into what SQLAlchemy passes on and the asyncpg arguments made from the rest."""

    url: str
    """The URL without the parameters translated into :attr:`connect_args`."""
    connect_args: dict[str, Any] = field(default_factory=dict)
    connect_timeout: float | None = None
    """``connect_timeout`` from the URL, in seconds: asyncpg's ``timeout``; None when not given."""


def postgres_options(url: str) -> PostgresOptions:
    """Translate the libpq parameters of a PostgreSQL URL into asyncpg's ``connect()`` arguments.

    SQLAlchemy hands every query parameter to ``asyncpg.connect()`` as a keyword argument, as a string;
    libpq names such as ``connect_timeout`` or ``application_name`` (in every URL copied from the
    PostgreSQL docs) end there as a ``TypeError``. Those asyncpg has under another name or shape become
    ``connect_args``; those it lacks are refused with a :class:`DatabaseUrlError` naming the parameter.
    """
    parsed = make_url(url)
    server_settings: dict[str, str] = {}
    connect_args: dict[str, Any] = {}
    timeout: float | None = None
    fallback: str | None = None
    dropped: list[str] = []
    for name, raw in parsed.query.items():
        if name == "host":
            continue
        if not isinstance(raw, str):
            raise DatabaseUrlError(f"the parameter {name} is given more than once; keep one")
        value = raw.strip()
        if name in _PASSED_ON:
            if name == "prepared_statement_cache_size" and not value.isdigit():
                raise DatabaseUrlError(f"the parameter {name} must be a whole number, not {value!r}")
            continue
        if name in _CHOICES:
            if value not in _CHOICES[name]:
                raise DatabaseUrlError(
                    f"the parameter {name} must be one of {', '.join(_CHOICES[name])}, not {value!r}"
                )
            continue
        dropped.append(name)
        if name == "connect_timeout":
            timeout = _seconds(value)
        elif name == "application_name":
            server_settings["application_name"] = value
        elif name == "fallback_application_name":
            fallback = value
        elif name == "options":
            server_settings.update(_options(value))
        elif name == "client_encoding":
            if value.lower() not in _UTF8:
                raise DatabaseUrlError(
                    "quizbot talks to PostgreSQL in UTF8; remove client_encoding from the URL"
                )
        elif name in _FROM_ENVIRONMENT:
            raise DatabaseUrlError(
                f"the parameter {name} is not read from the URL; remove it and set the environment "
                f"variable {_FROM_ENVIRONMENT[name]} instead"
            )
        elif name in _IN_THE_URL:
            raise DatabaseUrlError(f"the parameter {name} is not read from the URL; {_IN_THE_URL[name]}")
        else:
            raise DatabaseUrlError(f"the parameter {name} is not supported; remove it from the URL")
    if fallback is not None:  # as in libpq: only when no application_name is given
        server_settings.setdefault("application_name", fallback)
    if server_settings:
        connect_args["server_settings"] = server_settings
    rendered = parsed.difference_update_query(dropped).render_as_string(hide_password=False)
    return PostgresOptions(rendered, connect_args, timeout)


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds < float("inf"):
        raise DatabaseUrlError(
            f"the parameter connect_timeout must be a number of seconds above 0, not {value!r}"
        )
    return seconds


def _options(value: str) -> dict[str, str]:
    """libpq's ``options``: ``-c NAME=VALUE`` (or ``-cNAME=VALUE``, ``--NAME=VALUE``) server settings."""
    settings: dict[str, str] = {}
    try:
        words = iter(shlex.split(value))
    except ValueError:
        words = iter([value])
    for word in words:
        setting = ""
        if word == "-c":
            setting = next(words, "")
        elif word.startswith(("-c", "--")):
            setting = word[2:]
        name, equals, setting_value = setting.partition("=")
        if not name or not equals:
            raise DatabaseUrlError(
                f"the parameter options supports only -c NAME=VALUE settings, not {word!r}; "
                "change or remove it"
            )
        settings[name.replace("-", "_")] = setting_value
    return settings


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
