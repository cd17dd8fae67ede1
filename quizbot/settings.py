"""Settings from environment variables (and a ``.env`` file if present).

Every knob lives here so that an operator finds them in one place; the defaults run the bot with no
configuration at all: a SQLite file in the working directory and the bundled questions.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DB_FILE = "quizbot.db"


def bundled_questions_dir() -> Path:
    """The ``questions/`` folder shipped next to the package (a source checkout or editable install)."""
    here = Path(__file__).resolve().parent.parent / "questions"
    return here if here.is_dir() else Path.cwd() / "questions"


def default_database_url() -> str:
    return f"sqlite+aiosqlite:///{(Path.cwd() / DEFAULT_DB_FILE).as_posix()}"


class Settings(BaseSettings):
    """quizbot's configuration. Variables are prefixed ``QUIZBOT_`` except the platforms' own tokens."""

    model_config = SettingsConfigDict(
        env_prefix="QUIZBOT_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    database_url: str = Field(default_factory=default_database_url)
    questions: str = ""
    """Question files or folders, separated by the OS path separator; empty means the bundled bank."""
    serve_drafts: bool = False
    """``QUIZBOT_SERVE_DRAFTS=1`` serves questions still marked ``status: draft`` (never rejected ones)."""
    max_bank_file_bytes: int = 2 * 1024 * 1024
    """Question files above this size are refused; YAML is slow to parse and big files are a DoS vector."""

    # Discord
    discord_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("DISCORD_TOKEN", "QUIZBOT_DISCORD_TOKEN")
    )
    discord_api_base: str | None = None
    discord_gateway_url: str | None = None
    discord_guild: int | None = None

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

    @property
    def database_label(self) -> str:
        """Where data is kept, for people: the SQLite file path, or the URL without its password."""
        from sqlalchemy.engine import make_url

        url = make_url(self.database_url)
        if url.get_backend_name() == "sqlite":
            return str(Path(url.database or ":memory:").resolve()) if url.database else ":memory:"
        return url.render_as_string(hide_password=True)

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
