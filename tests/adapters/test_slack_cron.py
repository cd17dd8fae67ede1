"""Slack outside ``quizbot run``: ``quizbot post-daily`` from cron, and configuration errors as one line."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

import adapters.slack_app
from adapters.slack_app.app import SlackConfigError
from quizbot.cli import post_daily
from quizbot.domain import Place, QuizError
from quizbot.engine import QuizEngine
from quizbot.plugins import ChannelPoster, PluginConfigError, Runtime
from quizbot.settings import Settings
from tests.adapters.slack_support import CHANNEL, TEST_BANK, clean_slack_env
from tests.cli_process import LOG_RECORD
from tests.fakes.slack_fake import DEFAULT_BOT_TOKEN, FakeSlackApi, SentMessage

plugin = adapters.slack_app.plugin


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlackApi]:
    with clean_slack_env():
        async with FakeSlackApi() as api:
            yield api


def cron_settings(tmp_path: Path, fake: FakeSlackApi, **values: object) -> Settings:
    """What a crontab line would set: the database, the bot token and nothing else of Slack's."""
    fields: dict[str, object] = {
        "database_url": f"sqlite+aiosqlite:///{(tmp_path / 'cron.db').as_posix()}",
        "questions": str(TEST_BANK),
        "SLACK_BOT_TOKEN": DEFAULT_BOT_TOKEN,
        "slack_api_url": fake.api_url,
        "daily_cutoff_minutes": 1440,
        **values,
    }
    return Settings(_env_file=None, **fields)  # type: ignore[arg-type]


async def test_post_daily_posts_a_due_slack_question_once_over_the_web_api_alone(
    tmp_path: Path, fake: FakeSlackApi, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = cron_settings(tmp_path, fake)  # no signing secret, no app token: cron needs neither
    engine = await QuizEngine.open(settings)
    await engine.set_schedule(Place("slack", fake.team_id, CHANNEL), "00:00", "UTC")  # due every day
    await engine.aclose()

    first = await post_daily(settings, [plugin])
    first_out = capsys.readouterr().out
    second = await post_daily(settings, [plugin])
    second_out = capsys.readouterr().out

    assert (first, second) == (0, 0)
    [post] = fake.calls_to("chat.postMessage")
    assert post.args["channel"] == CHANNEL
    assert "Question of the day" in SentMessage("chat.postMessage", post.args).text
    assert f"slack:{fake.team_id}:{CHANNEL}:" in first_out and ": posted" in first_out
    assert "nothing due" in second_out
    assert fake.calls_to("apps.connections.open") == []  # REST only: no Socket Mode connection


async def test_poster_session_yields_a_channel_poster(
    tmp_path: Path, fake: FakeSlackApi, engine: QuizEngine
) -> None:
    async with plugin.poster_session(Runtime(cron_settings(tmp_path, fake), engine)) as poster:
        assert isinstance(poster, ChannelPoster) and poster.platform == "slack"
    assert [c.method for c in fake.calls] == ["auth.test"]  # the token is checked, nothing is posted


@pytest.mark.parametrize(
    ("token", "named"),
    [
        ("", r"SLACK_BOT_TOKEN \(xoxb-...\) is not set"),
        ("xoxb-revoked", "refused SLACK_BOT_TOKEN: invalid_auth"),
    ],
    ids=["missing-token", "refused-token"],
)
async def test_poster_session_refuses_a_missing_or_refused_bot_token_by_name(
    tmp_path: Path, fake: FakeSlackApi, engine: QuizEngine, token: str, named: str
) -> None:
    settings = cron_settings(tmp_path, fake, SLACK_BOT_TOKEN=token)

    with pytest.raises(SlackConfigError, match=named):
        async with plugin.poster_session(Runtime(settings, engine)):
            pass
    assert fake.calls_to("chat.postMessage") == []


def test_slack_config_errors_are_plugin_config_errors_the_cli_prints_as_one_line() -> None:
    assert issubclass(SlackConfigError, PluginConfigError) and issubclass(SlackConfigError, QuizError)


def test_run_with_a_bot_token_but_no_signing_secret_or_app_token_exits_with_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QUIZBOT_", "SLACK_", "DISCORD_"))}
    env.update(
        SLACK_BOT_TOKEN="xoxb-only-the-bot-token",
        QUIZBOT_DATABASE_URL=f"sqlite+aiosqlite:///{(tmp_path / 'run.db').as_posix()}",
        QUIZBOT_QUESTIONS=str(TEST_BANK),
    )

    run = subprocess.run(
        [sys.executable, "-m", "quizbot", "run"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )

    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    [line] = [text for text in run.stderr.strip().splitlines() if not LOG_RECORD.match(text)]  # not the log
    assert line.startswith("quizbot: ") and "SLACK_SIGNING_SECRET" in line and "SLACK_APP_TOKEN" in line
