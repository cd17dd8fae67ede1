"""Discord start-up failures through the real ``quizbot`` command: one line naming the setting to check.

``quizbot run`` and ``quizbot post-daily`` run as subprocesses with the real discord.py client, pointed at the
fake Discord (``QUIZBOT_DISCORD_API_BASE``) exactly as an operator points the bot at a proxy.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from pathlib import Path

import pytest

from quizbot.engine import QuizEngine
from quizbot.settings import Settings
from tests.conftest import ROOT, TEST_BANK
from tests.fakes.discord_fake import FakeDiscord


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def quizbot(command: str, tmp_path: Path, **env: str) -> tuple[int, str, str]:
    """Run ``quizbot COMMAND`` with only ``env`` configured; returns (exit code, stdout, stderr)."""
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("QUIZBOT_", "SLACK_", "DISCORD_"))
    }
    environment.update(
        QUIZBOT_DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}", QUIZBOT_QUESTIONS=str(TEST_BANK), **env
    )
    environment["PYTHONPATH"] = str(ROOT)
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "quizbot",
        command,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=tmp_path,
        env=environment,
    )
    try:
        out, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    finally:
        if proc.returncode is None:
            proc.kill()
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


def error_lines(stderr: str) -> list[str]:
    """stderr without log records (``quizbot run`` logs at INFO): what the user is told."""
    return [line for line in stderr.splitlines() if " INFO " not in line]


@pytest.fixture
async def fake() -> FakeDiscord:  # type: ignore[misc]
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
    code, _, stderr = await quizbot("run", tmp_path, **_setup(case, fake))
    assert code != 0
    assert "Traceback" not in stderr
    [line] = error_lines(stderr)
    assert line.startswith("quizbot: ") and EXPECTED[case] in line, line
    assert "QUIZBOT_DISCORD_API_BASE" in line
    assert fake.token not in stderr


@pytest.mark.parametrize("case", CASES)
async def test_post_daily_stops_with_one_line_naming_what_to_check(
    tmp_path: Path, fake: FakeDiscord, case: str
) -> None:
    await _existing_database(tmp_path)
    code, _, stderr = await quizbot("post-daily", tmp_path, **_setup(case, fake))
    assert code != 0
    assert "Traceback" not in stderr
    [line] = stderr.splitlines()
    assert line.startswith("quizbot: discord: ") and EXPECTED[case] in line, line
