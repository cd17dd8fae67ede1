"""QUIZBOT_DATABASE_URL as people write it: every mistake is one line through the real CLI, never a traceback.

The forms copied from the PostgreSQL and SQLite docs work as they are; quizbot picks the async driver.
"""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from quizbot.database_url import DatabaseUrlError, async_database_url, postgres_options
from quizbot.settings import Settings
from quizbot.store import DEFAULT_CONNECT_TIMEOUT as CONNECT_TIMEOUT_SECONDS
from quizbot.store import Store
from tests.cli_process import closed_port
from tests.conftest import TEST_BANK
from tests.test_cli import run_quizbot

SUPPORTED = "postgresql://USER:PASSWORD@HOST:PORT/DATABASE or sqlite:///PATH"


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    """The single stderr line of a failed command; fails if there is a traceback or more than one line."""
    stderr = result.stderr
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


INVALID = "quizbot: invalid setting QUIZBOT_DATABASE_URL:"
UNUSABLE = {
    "garbage": f"{INVALID} 'garbage' is not a database URL; use {SUPPORTED}",
    "": f"{INVALID} it is empty; unset it to keep data in quizbot.db",
    "mysql://bot:secret@db/quiz": f"{INVALID} 'mysql' databases are not supported; use {SUPPORTED}",
    "postgresql+psycopg2://db/quiz": f"{INVALID} 'postgresql+psycopg2' databases are not supported",
    "postgresql://bot:secret@db:port/quiz": f"{INVALID} the value given is not a database URL",
}
CASES = [(["schedule", "list"], url) for url in UNUSABLE] + [
    (command, url) for command in (["play"], ["run"], ["post-daily"]) for url in ("garbage", "")
]


@pytest.mark.parametrize(("command", "url"), CASES, ids=[f"{' '.join(c)}-{u or 'empty'}" for c, u in CASES])
def test_an_unusable_url_is_one_line_naming_the_supported_forms(
    tmp_path: Path, command: list[str], url: str
) -> None:
    result = run_quizbot(command, tmp_path, "", QUIZBOT_DATABASE_URL=url, QUIZBOT_QUESTIONS=str(TEST_BANK))
    line = one_line_error(result)
    assert line.startswith(UNUSABLE[url])
    assert "secret" not in line


@pytest.mark.parametrize("command", [["schedule", "list"], ["play"]])
def test_a_closed_port_fails_at_once_naming_the_setting(tmp_path: Path, command: list[str]) -> None:
    url = f"postgresql://bot:secret@127.0.0.1:{closed_port()}/quiz"
    result = run_quizbot(command, tmp_path, "", QUIZBOT_DATABASE_URL=url, QUIZBOT_QUESTIONS=str(TEST_BANK))
    line = one_line_error(result)
    assert line.startswith("quizbot: cannot use the database postgresql+asyncpg://bot:***@127.0.0.1:")
    assert "check the host and port in QUIZBOT_DATABASE_URL" in line
    assert "secret" not in line


def test_a_server_that_never_answers_fails_after_the_connect_timeout(tmp_path: Path) -> None:
    """A firewall that swallows packets, or the wrong service on the port: no hang, one line."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()  # the connection is accepted by the kernel; nothing ever answers
        url = f"postgresql://bot@127.0.0.1:{silent.getsockname()[1]}/quiz"
        result = run_quizbot(["schedule", "list"], tmp_path, "", QUIZBOT_DATABASE_URL=url)
    line = one_line_error(result)
    assert f"no connection (no answer within {CONNECT_TIMEOUT_SECONDS:g} s)" in line
    assert "QUIZBOT_DATABASE_URL" in line


def test_an_unresolvable_host_fails_naming_the_setting(tmp_path: Path) -> None:
    url = "postgres://bot@nonexistent.invalid/quiz"
    result = run_quizbot(["schedule", "list"], tmp_path, "", QUIZBOT_DATABASE_URL=url)
    line = one_line_error(result)
    assert line.startswith(
        "quizbot: cannot use the database postgresql+asyncpg://bot@nonexistent.invalid/quiz"
    )
    assert "QUIZBOT_DATABASE_URL" in line


@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_postgres_urls_from_the_postgresql_docs_work(tmp_path: Path, postgres_url: str, scheme: str) -> None:
    url = make_url(postgres_url).set(drivername=scheme).render_as_string(hide_password=False)
    env = {"QUIZBOT_DATABASE_URL": url, "QUIZBOT_QUESTIONS": str(TEST_BANK)}
    added = run_quizbot(["schedule", "add", "terminal:local:terminal", "09:30"], tmp_path, **env)
    assert added.returncode == 0, added.stderr
    listed = run_quizbot(["schedule", "list"], tmp_path, **env)
    assert listed.returncode == 0, listed.stderr
    assert "terminal:local:terminal" in listed.stdout and "09:30" in listed.stdout


def test_libpq_sslmode_is_understood(tmp_path: Path, postgres_url: str) -> None:
    url = make_url(postgres_url).set(drivername="postgresql").update_query_dict({"sslmode": "disable"})
    env = {"QUIZBOT_DATABASE_URL": url.render_as_string(hide_password=False)}
    listed = run_quizbot(["schedule", "list"], tmp_path, **env)
    assert listed.returncode == 0, listed.stderr
    assert "no schedules" in listed.stdout


def test_a_sqlite_url_from_the_sqlite_docs_is_created_relative_to_the_folder(tmp_path: Path) -> None:
    result = run_quizbot(
        ["play", "--user", "Ada"],
        tmp_path,
        "/stats\n/quit\n",
        QUIZBOT_DATABASE_URL="sqlite:///x.db",
        QUIZBOT_QUESTIONS=str(TEST_BANK),
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "x.db").is_file()
    assert f"Scores are kept in {tmp_path / 'x.db'}" in result.stdout


def test_each_accepted_form_becomes_its_async_url() -> None:
    assert async_database_url("sqlite+aiosqlite:///a.db") == "sqlite+aiosqlite:///a.db"
    assert async_database_url("postgresql+asyncpg://u:p@h/d") == "postgresql+asyncpg://u:p@h/d"
    assert async_database_url("postgres://u:p@h:5433/d") == "postgresql+asyncpg://u:p@h:5433/d"
    assert async_database_url("sqlite:///a.db") == "sqlite+aiosqlite:///a.db"
    assert async_database_url("sqlite:///~/a.db") == f"sqlite+aiosqlite:///{Path.home() / 'a.db'}"


def test_settings_hold_the_async_url_and_label_it_for_people(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, database_url="postgres://bot:secret@db/quiz")
    assert settings.database_url == "postgresql+asyncpg://bot:secret@db/quiz"
    assert settings.database_label == "postgresql+asyncpg://bot:***@db/quiz"
    db = tmp_path / "quiz.db"
    assert Settings(_env_file=None, database_url=f"sqlite:///{db}").database_label == str(db)


def test_a_password_never_appears_in_the_message_of_an_unparsable_url() -> None:
    with pytest.raises(DatabaseUrlError) as caught:
        async_database_url("postgresql://bot:secret@db:port/quiz")
    assert "secret" not in str(caught.value)


# ------------------------------------------------------------------ commands that only read


@pytest.mark.parametrize(
    "command",
    [
        ["schedule", "list"],
        ["schedule", "remove", "discord:1:2"],
        ["post-daily"],
        ["questions", "list", "--server", "discord:1"],
        ["questions", "download", "--server", "discord:1", "mine.yaml"],
        ["questions", "remove", "--server", "discord:1", "mine.yaml"],
    ],
)
def test_read_only_commands_refuse_a_missing_sqlite_file_instead_of_creating_it(
    tmp_path: Path, command: list[str]
) -> None:
    missing = tmp_path / "elsewhere.db"
    result = run_quizbot(
        command, tmp_path, QUIZBOT_DATABASE_URL=f"sqlite:///{missing}", QUIZBOT_QUESTIONS=str(TEST_BANK)
    )
    assert one_line_error(result) == (
        f"quizbot: no database at {missing}; set QUIZBOT_DATABASE_URL or run from the bot's folder"
    )
    assert not missing.exists()


def test_the_default_database_is_not_created_by_listing_schedules(tmp_path: Path) -> None:
    """Run from the wrong folder, ``schedule list`` says so instead of showing an empty new database."""
    result = run_quizbot(
        ["schedule", "list"], tmp_path, QUIZBOT_DATABASE_URL=f"sqlite:///{tmp_path / 'quizbot.db'}"
    )
    assert "no database at" in one_line_error(result)
    assert not (tmp_path / "quizbot.db").exists()


def test_schedule_add_creates_the_database_and_list_then_reads_it(tmp_path: Path) -> None:
    env = {"QUIZBOT_DATABASE_URL": "sqlite:///bot.db", "QUIZBOT_QUESTIONS": str(TEST_BANK)}
    assert (
        run_quizbot(["schedule", "add", "terminal:local:terminal", "08:00"], tmp_path, **env).returncode == 0
    )
    listed = run_quizbot(["schedule", "list"], tmp_path, **env)
    assert listed.returncode == 0, listed.stderr
    assert "08:00" in listed.stdout


def test_a_missing_folder_for_a_new_database_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "no-such-folder" / "quiz.db"
    result = run_quizbot(
        ["play"], tmp_path, "", QUIZBOT_DATABASE_URL=f"sqlite:///{path}", QUIZBOT_QUESTIONS=str(TEST_BANK)
    )
    line = one_line_error(result)
    assert line.startswith(
        f"quizbot: cannot create the database {path}: the folder {path.parent} does not exist"
    )


@pytest.mark.parametrize("port", ["99999", "65536"])
def test_a_port_out_of_range_is_one_line(tmp_path: Path, port: str) -> None:
    url = f"postgresql://bot:secret@127.0.0.1:{port}/quiz"
    result = run_quizbot(["schedule", "list"], tmp_path, QUIZBOT_DATABASE_URL=url)
    assert one_line_error(result) == (
        f"{INVALID} the port {port} is out of range; use a port from 1 to 65535 (PostgreSQL's is 5432)"
    )


# ------------------------------------------------------------------ libpq parameters in the URL

LIBPQ_SETTINGS = {
    "connect_timeout": "10",
    "application_name": "quizbot-test",
    "options": "-c statement_timeout=5000 -cwork_mem=8MB",
    "target_session_attrs": "any",
    "client_encoding": "UTF8",
}


def test_libpq_parameters_asyncpg_has_are_translated(tmp_path: Path, postgres_url: str) -> None:
    """URLs copied from the PostgreSQL docs, with their query parameters, work as they are."""
    url = make_url(postgres_url).set(drivername="postgresql").update_query_dict(LIBPQ_SETTINGS)
    env = {"QUIZBOT_DATABASE_URL": url.render_as_string(hide_password=False)}
    listed = run_quizbot(["schedule", "list"], tmp_path, **env)
    assert listed.returncode == 0, listed.stderr
    assert "no schedules" in listed.stdout


async def test_translated_parameters_reach_the_server(postgres_url: str) -> None:
    url = make_url(postgres_url).set(drivername="postgresql").update_query_dict(LIBPQ_SETTINGS)
    store = await Store.open(url.render_as_string(hide_password=False))
    try:
        async with store.engine.connect() as conn:
            shown = [
                (await conn.exec_driver_sql(f"SHOW {name}")).scalar()
                for name in ("application_name", "statement_timeout", "work_mem")
            ]
    finally:
        await store.aclose()
    assert shown == ["quizbot-test", "5s", "8MB"]


def test_the_url_connect_timeout_is_the_connect_timeout() -> None:
    options = postgres_options("postgresql+asyncpg://bot@db/quiz?connect_timeout=10&application_name=a")
    assert options.connect_timeout == 10.0
    assert options.url == "postgresql+asyncpg://bot@db/quiz"
    assert options.connect_args == {"server_settings": {"application_name": "a"}}


REFUSED = {
    "gssencmode=disable": "the parameter gssencmode is not supported; remove it from the URL",
    "channel_binding=require": "the parameter channel_binding is not supported; remove it from the URL",
    "keepalives=1": "the parameter keepalives is not supported; remove it from the URL",
    "sslrootcert=root.crt": "the parameter sslrootcert is not read from the URL; remove it and set the "
    "environment variable PGSSLROOTCERT instead",
    "dbname=quiz": "the parameter dbname is not read from the URL; put the database name after the host: "
    "postgresql://HOST/DATABASE",
    "connect_timeout=soon": "the parameter connect_timeout must be a number of seconds above 0, not 'soon'",
    "target_session_attrs=leader": "the parameter target_session_attrs must be one of any, primary, "
    "standby, read-write, read-only, prefer-standby, not 'leader'",
    "options=--geqo": "the parameter options supports only -c NAME=VALUE settings, not '--geqo'; "
    "change or remove it",
    "client_encoding=LATIN1": "quizbot talks to PostgreSQL in UTF8; remove client_encoding from the URL",
}


@pytest.mark.parametrize("query", list(REFUSED))
def test_a_libpq_parameter_asyncpg_lacks_is_one_line_naming_it(tmp_path: Path, query: str) -> None:
    url = f"postgresql://bot:secret@127.0.0.1:5432/quiz?{query}"
    result = run_quizbot(["schedule", "list"], tmp_path, QUIZBOT_DATABASE_URL=url)
    line = one_line_error(result)
    assert line == f"{INVALID} {REFUSED[query]}"
    assert "secret" not in line
