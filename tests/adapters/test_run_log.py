"""The log of ``quizbot run`` as an operator reads it: start, connected platforms, daily posts; no noise.

Real runs of the ``quizbot`` command against the fake Discord and the fake Slack (Socket Mode).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from quizbot.domain import Place
from quizbot.engine import QuizEngine
from quizbot.settings import Settings
from tests.adapters.slack_support import clean_slack_env
from tests.cli_process import LOG_RECORD, closed_port, start_quizbot, stderr_until
from tests.conftest import TEST_BANK
from tests.fakes.discord_fake import FakeDiscord
from tests.fakes.slack_fake import DEFAULT_APP_TOKEN, DEFAULT_BOT_TOKEN, FakeSlackApi
from tests.test_cli import run_quizbot

NOISE = (
    "apscheduler",  # "Running job ...", "Job ... executed successfully", "Added job ...", "Scheduler started"
    "PyNaCl is not installed",
    "davey is not installed",
    "will be unused",  # slack_bolt: "As you gave `client` as well, `token` will be unused."
    "A retry handler found",  # slack_sdk, at every connection retry
    "Traceback",
)


@pytest.fixture
async def discord_fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as server:
        yield server


@pytest.fixture
async def slack_fake() -> AsyncIterator[FakeSlackApi]:
    with clean_slack_env():
        async with FakeSlackApi() as api:
            yield api


async def test_a_run_logs_what_an_operator_needs_and_none_of_the_noise(
    tmp_path: Path, discord_fake: FakeDiscord, slack_fake: FakeSlackApi
) -> None:
    database = f"sqlite:///{tmp_path / 'bot.db'}"
    engine = await QuizEngine.open(Settings(_env_file=None, database_url=database, questions=str(TEST_BANK)))
    channel = Place("discord", str(discord_fake.guild_id), str(discord_fake.channel_id))
    await engine.set_schedule(channel, "00:00", "UTC")  # due at once: the catch-up posts it
    await engine.aclose()

    proc = await start_quizbot(
        ["run"],
        tmp_path,
        QUIZBOT_DATABASE_URL=database,
        QUIZBOT_QUESTIONS=str(TEST_BANK),
        QUIZBOT_DAILY_START_DELAY_SECONDS="0",
        QUIZBOT_DAILY_CUTOFF_MINUTES="1440",
        DISCORD_TOKEN=discord_fake.token,
        QUIZBOT_DISCORD_API_BASE=discord_fake.api_base,
        QUIZBOT_DISCORD_GATEWAY_URL=discord_fake.gateway_url,
        SLACK_BOT_TOKEN=DEFAULT_BOT_TOKEN,
        SLACK_APP_TOKEN=DEFAULT_APP_TOKEN,
        QUIZBOT_SLACK_API_URL=slack_fake.api_url,
    )
    wanted = ("Discord: logged in as", "slack: connected in Socket Mode", ": posted")
    log = await stderr_until(proc, lambda lines: all(any(w in line for line in lines) for w in wanted))
    text = "\n".join(log)

    assert re.search(
        rf"INFO quizbot: quizbot \S+ starting; data in {re.escape(str(tmp_path / 'bot.db'))}$", log[0]
    )
    for line in wanted:
        assert line in text, text
    assert "daily catch-up ('discord'" in text
    for noise in NOISE:
        assert noise not in text, text
    assert all(LOG_RECORD.match(line) for line in log), text  # one line a record


async def test_socket_mode_that_cannot_connect_logs_one_line_per_retry_with_backoff(tmp_path: Path) -> None:
    with clean_slack_env():
        proc = await start_quizbot(
            ["run"],
            tmp_path,
            QUIZBOT_QUESTIONS=str(TEST_BANK),
            SLACK_BOT_TOKEN=DEFAULT_BOT_TOKEN,
            SLACK_APP_TOKEN=DEFAULT_APP_TOKEN,
            QUIZBOT_SLACK_API_URL=f"http://127.0.0.1:{closed_port()}/api/",
        )
        log = await stderr_until(proc, lambda lines: sum("retrying in" in line for line in lines) >= 3)
    text = "\n".join(log)

    retries = [line for line in log if "slack: cannot open a Socket Mode connection" in line]
    assert [line.rsplit("retrying in ", 1)[1] for line in retries[:3]] == ["1 s", "2 s", "4 s"], text
    assert all(LOG_RECORD.match(line) for line in log), text  # one line a record, no traceback
    for noise in NOISE:
        assert noise not in text, text


async def test_a_refused_app_token_stops_socket_mode_with_one_line(
    tmp_path: Path, slack_fake: FakeSlackApi
) -> None:
    proc = await start_quizbot(
        ["run"],
        tmp_path,
        QUIZBOT_QUESTIONS=str(TEST_BANK),
        SLACK_BOT_TOKEN=DEFAULT_BOT_TOKEN,
        SLACK_APP_TOKEN="xapp-revoked",
        QUIZBOT_SLACK_API_URL=slack_fake.api_url,
    )
    log = await stderr_until(proc, lambda lines: False)  # until it exits on its own
    assert await proc.wait() != 0
    messages = [line for line in log if not LOG_RECORD.match(line)]
    assert messages == ["quizbot: Slack refused SLACK_APP_TOKEN: invalid_auth"], log


def test_an_unknown_log_level_is_one_line(tmp_path: Path) -> None:
    result = run_quizbot(["run"], tmp_path, "", QUIZBOT_LOG_LEVEL="loud")
    assert result.returncode != 0
    assert result.stderr.splitlines() == [
        "quizbot: invalid setting QUIZBOT_LOG_LEVEL: 'loud' is not a log level; "
        "use one of DEBUG, INFO, WARNING, ERROR"
    ]


def test_debug_shows_the_libraries_and_warning_hides_the_start_line(tmp_path: Path) -> None:
    # a platform is configured (run without one refuses before starting) but cannot be reached: run
    # starts, logs as its level says, and stops with one line
    unreachable = {"DISCORD_TOKEN": "x.y.z", "QUIZBOT_DISCORD_API_BASE": "http://127.0.0.1:9/api/v10"}
    quiet = run_quizbot(
        ["run"], tmp_path, "", QUIZBOT_LOG_LEVEL="warning", QUIZBOT_QUESTIONS=str(TEST_BANK), **unreachable
    )
    assert quiet.returncode != 0 and "Traceback" not in quiet.stderr, quiet.stderr
    assert "starting" not in quiet.stderr
    debug = run_quizbot(
        ["run"], tmp_path, "", QUIZBOT_LOG_LEVEL="DEBUG", QUIZBOT_QUESTIONS=str(TEST_BANK), **unreachable
    )
    assert "INFO quizbot: quizbot" in debug.stderr and "DEBUG asyncio" in debug.stderr
