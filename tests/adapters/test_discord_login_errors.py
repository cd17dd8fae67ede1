"""Discord start-up failures through the real ``quizbot`` command: one line naming the setting to check.

``quizbot run`` and ``quizbot post-daily`` run as subprocesses with the real discord.py client, pointed at the
fake Discord (``QUIZBOT_DISCORD_API_BASE``) exactly as an operator points the bot at a proxy.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from quizbot.engine import QuizEngine
from quizbot.settings import Settings
from tests.cli_process import closed_port, run_quizbot_async
from tests.conftest import TEST_BANK
from tests.fakes.discord_fake import FakeDiscord

DATABASE = {"QUIZBOT_QUESTIONS": str(TEST_BANK)}


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as server:
        yield server


async def _existing_database(tmp_path: Path) -> None:
    """``post-daily`` only reads: the database a running bot made must exist."""
    settings = Settings(
        _env_file=None, database_url=f"sqlite:///{tmp_path / 'bot.db'}", questions=str(TEST_BANK)
    )
    await (await QuizEngine.open(settings)).aclose()


CASES = ["bad-token", "unreachable", "proxy-401"]


def _setup(case: str, fake: FakeDiscord) -> dict[str, str]:
    env = {
        "DISCORD_TOKEN": fake.token,
        "QUIZBOT_DISCORD_API_BASE": fake.api_base,
        "QUIZBOT_DISCORD_GATEWAY_URL": fake.gateway_url,
    }
    if case == "bad-token":
        env["DISCORD_TOKEN"] = "not-the-bot-token"
    elif case == "unreachable":
        env["QUIZBOT_DISCORD_API_BASE"] = f"http://127.0.0.1:{closed_port()}/api/v10"
    else:
        fake.refuse_all = True
    return env


EXPECTED = {
    "bad-token": "answered 401 Unauthorized; check DISCORD_TOKEN, and QUIZBOT_DISCORD_API_BASE if a proxy",
    "unreachable": "cannot reach the Discord API at http://127.0.0.1:",
    "proxy-401": "answered 401 Unauthorized; check DISCORD_TOKEN, and QUIZBOT_DISCORD_API_BASE if a proxy",
}


@pytest.mark.parametrize("case", CASES)
async def test_run_stops_with_one_line_naming_what_to_check(
    tmp_path: Path, fake: FakeDiscord, case: str
) -> None:
    result = await run_quizbot_async(["run"], tmp_path, **_setup(case, fake), **DATABASE)
    assert result.code != 0
    assert "Traceback" not in result.stderr
    [line] = result.messages
    assert line.startswith("quizbot: ") and EXPECTED[case] in line, line
    assert "QUIZBOT_DISCORD_API_BASE" in line
    assert fake.token not in result.stderr


@pytest.mark.parametrize("case", CASES)
async def test_post_daily_stops_with_one_line_naming_what_to_check(
    tmp_path: Path, fake: FakeDiscord, case: str
) -> None:
    await _existing_database(tmp_path)
    result = await run_quizbot_async(["post-daily"], tmp_path, **_setup(case, fake), **DATABASE)
    assert result.code != 0
    assert "Traceback" not in result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith("quizbot: discord: ") and EXPECTED[case] in line, line


async def test_run_with_an_unreachable_gateway_stops_with_one_line(tmp_path: Path, fake: FakeDiscord) -> None:
    gateway = f"ws://127.0.0.1:{closed_port()}/gateway"
    env = {**_setup("proxy-401", fake), "QUIZBOT_DISCORD_GATEWAY_URL": gateway}
    fake.refuse_all = False  # REST works; only the gateway is out of reach
    result = await run_quizbot_async(["run"], tmp_path, **env, **DATABASE)
    assert result.code != 0
    assert "Traceback" not in result.stderr
    assert result.messages == [
        f"quizbot: cannot connect to the Discord gateway at {gateway}; check the network, and "
        "QUIZBOT_DISCORD_GATEWAY_URL if it points at a proxy"
    ]
    [retry] = [line for line in result.log if "Attempting a reconnect" in line]
    assert "Cannot connect to host 127.0.0.1" in retry  # the reason, on the same line
