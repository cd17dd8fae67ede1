"""Settings from environment variables (and a ``.env`` file if present).

Every knob lives here so that an operator finds them in one place; the defaults run the bot with no
configuration at all: a SQLite file in the working directory and the bundled questions.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from quizbot import database_url
from quizbot.shards import ShardPlan, parse_shards

DEFAULT_DB_FILE = "quizbot.db"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def bundled_questions_dir() -> Path:
    """The question bank shipped with quizbot, wherever quizbot was installed from.

    A wheel (``pip install .``, the Docker image) carries it inside the package as ``quizbot/questions/``;
    a source checkout or an editable install reads the top-level ``questions/`` folder next to the package.
    Never the working directory: ``quizbot play`` must find its bank from any folder.
    """
    package = Path(__file__).resolve().parent
    installed = package / "questions"
    return installed if installed.is_dir() else package.parent / "questions"


VARIABLES: dict[str, str] = {
    "QUIZBOT_DATABASE_URL": "where scores live (default: quizbot.db in the current folder)",
    "QUIZBOT_QUESTIONS": "question files or folders, separated by ':' (default: the bundled bank)",
    "QUIZBOT_MAX_BANK_FILE_BYTES": "larger question files are refused (default 2 MiB)",
    "QUIZBOT_DAILY_CUTOFF_MINUTES": "post a missed daily question if at most this late (default 180)",
    "DISCORD_TOKEN": "the Discord bot token; Discord is served when it is set",
    "QUIZBOT_DISCORD_GUILD": "register the Discord commands in this one server only (for testing)",
    "QUIZBOT_DISCORD_SHARDS": "Discord shards this process runs, e.g. 0-1/4 (default: all, one process)",
    "SLACK_BOT_TOKEN": "the Slack bot token (xoxb-...); Slack is served when it is set",
    "SLACK_APP_TOKEN": "Slack Socket Mode token (xapp-...)",
    "SLACK_SIGNING_SECRET": "Slack HTTP mode signing secret",
    "QUIZBOT_SLACK_PORT": "Slack HTTP mode port (default 3000)",
    "QUIZBOT_SLACK_ADMINS": "Slack user ids allowed to run admin commands, comma-separated",
    "QUIZBOT_LOG_LEVEL": "DEBUG, INFO (default), WARNING or ERROR",
    "QUIZBOT_AUTO_MIGRATE": "1: upgrade an outdated database schema at start instead of refusing it",
    "QUIZBOT_DB_CONNECT_TIMEOUT": "PostgreSQL: seconds to wait for a connection (default 3)",
    "QUIZBOT_DB_COMMAND_TIMEOUT": "PostgreSQL: seconds one statement may take (default 3)",
    "QUIZBOT_SERVE_DRAFTS": "1: also serve questions still marked status: draft",
    "QUIZBOT_MAX_UPLOAD_BYTES": "largest question file a server admin may upload (default 1 MiB)",
    "QUIZBOT_MAX_SERVER_QUESTIONS": "most questions a server may upload, all files together (default 5000)",
}
"""The settings people set most, for ``--help``; docs/operations.md lists every one."""


def environment_help(*names: str) -> str:
    """An ``--help`` epilog naming the environment variables a command reads (also read from ``.env``)."""
    width = max(len(n) for n in names)
    lines = [f"  {name:<{width}}  {VARIABLES[name]}" for name in names]
    return "environment variables (also read from a .env file in the current folder):\n" + "\n".join(lines)


def default_database_url() -> str:
    return f"sqlite+aiosqlite:///{(Path.cwd() / DEFAULT_DB_FILE).as_posix()}"


class Settings(BaseSettings):
    """quizbot's configuration. Variables are prefixed ``QUIZBOT_`` except the platforms' own tokens."""

    model_config = SettingsConfigDict(
        env_prefix="QUIZBOT_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    database_url: str = Field(default_factory=default_database_url)
    """Read as ``postgresql://``, ``postgres://`` or ``sqlite:///PATH``; held as the async URL (see
    :mod:`quizbot.database_url`)."""
    log_level: str = "INFO"
    """DEBUG, INFO, WARNING or ERROR: how much ``quizbot run`` logs (other commands log warnings only)."""
    auto_migrate: bool = False
    """Upgrade an outdated database schema on start instead of refusing it (``QUIZBOT_AUTO_MIGRATE=1``).
    Off by default: an upgrade is a step the operator takes with a backup at hand, and processes of the
    previous release still running against the database must not have their tables changed under them.
    A brand-new database is always created."""
    db_connect_timeout: float = Field(default=3.0, gt=0)
    """Seconds to wait for a PostgreSQL connection before telling the player to try again."""
    db_command_timeout: float = Field(default=3.0, gt=0)
    """Seconds one PostgreSQL statement may take; a server that stopped answering fails fast instead of
    holding every answer until the network gives up. Schema upgrades are exempt."""
    questions: str = ""
    """Question files or folders, separated by the OS path separator; empty means the bundled bank."""
    serve_drafts: bool = False
    """``QUIZBOT_SERVE_DRAFTS=1`` serves questions still marked ``status: draft`` (never rejected ones)."""
    max_bank_file_bytes: int = 2 * 1024 * 1024
    """Question files above this size are refused; YAML is slow to parse and big files are a DoS vector."""
    max_upload_bytes: int = 1024 * 1024
    """A question file uploaded from chat above this size is refused before it is read."""
    max_server_questions: int = 5000
    """A server's own uploaded questions, all files together, are capped at this many."""

    # Discord
    discord_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("DISCORD_TOKEN", "QUIZBOT_DISCORD_TOKEN")
    )
    discord_api_base: str | None = None
    discord_gateway_url: str | None = None
    discord_guild: int | None = None
    discord_shards: str | None = None
    """``FIRST-LAST/COUNT`` (or ``0,2/4``): the Discord shards this process runs; unset, every guild on one
    connection. Kept as written and checked at start (see :mod:`quizbot.shards`); read it as
    :attr:`discord_shard_plan`."""

    # Slack
    slack_bot_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_BOT_TOKEN", "QUIZBOT_SLACK_BOT_TOKEN")
    )
    slack_app_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_APP_TOKEN", "QUIZBOT_SLACK_APP_TOKEN")
    )
    slack_signing_secret: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("SLACK_SIGNING_SECRET", "QUIZBOT_SLACK_SIGNING_SECRET"),
    )
    slack_port: int = 3000
    slack_api_url: str | None = None
    slack_admins: str = ""
    """Comma-separated Slack user ids that may run admin subcommands besides workspace admins/owners."""

    @field_validator("database_url")
    @classmethod
    def _async_database_url(cls, value: str) -> str:
        return database_url.async_database_url(value)

    @field_validator("log_level")
    @classmethod
    def _known_log_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in LOG_LEVELS:
            raise ValueError(f"'{value}' is not a log level; use one of {', '.join(LOG_LEVELS)}")
        return level

    @field_validator("discord_shards")
    @classmethod
    def _shard_plan(cls, value: str | None) -> str | None:
        if value is None or not value.strip():  # ``QUIZBOT_DISCORD_SHARDS=`` in an env file: unset
            return None
        parse_shards(value)
        return value.strip()

    @property
    def discord_shard_plan(self) -> ShardPlan | None:
        """The shards this process runs, or None for discord.py's default (no sharding)."""
        return parse_shards(self.discord_shards) if self.discord_shards else None

    @property
    def database_label(self) -> str:
        """Where data is kept, for people: the SQLite file path, or the URL without its password."""
        return database_url.database_label(self.database_url)

    @property
    def question_paths(self) -> list[Path]:
        parts = [p for p in self.questions.split(os.pathsep) if p.strip()]
        return [Path(p).expanduser() for p in parts] or [bundled_questions_dir()]

    @property
    def slack_admin_ids(self) -> frozenset[str]:
        return frozenset(u.strip() for u in self.slack_admins.split(",") if u.strip())

    # Daily question
    daily_cutoff_minutes: int = 180
    """After downtime, a missed daily slot is still posted if it is at most this late; otherwise skipped."""
    daily_start_delay_seconds: float = 5.0
    """How long ``quizbot run`` lets the platforms connect before catching up on missed daily slots."""
