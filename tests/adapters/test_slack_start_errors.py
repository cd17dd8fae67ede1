"""Slack start-up failures through the real ``quizbot run``: one line naming the setting to change."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.adapters.slack_support import TEST_BANK, clean_slack_env
from tests.cli_process import run_quizbot_async
from tests.fakes.slack_fake import DEFAULT_BOT_TOKEN, DEFAULT_SIGNING_SECRET, FakeSlackApi


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlackApi]:
    with clean_slack_env():
        async with FakeSlackApi() as api:
            yield api


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A port another program listens on, on every interface (as the HTTP mode listens)."""
    with socket.socket() as s:
        s.bind(("", 0))
        s.listen()
        yield int(s.getsockname()[1])


async def test_http_mode_on_a_port_in_use_names_quizbot_slack_port(
    tmp_path: Path, fake: FakeSlackApi, busy_port: int
) -> None:
    result = await run_quizbot_async(
        ["run"],
        tmp_path,
        QUIZBOT_QUESTIONS=str(TEST_BANK),
        SLACK_BOT_TOKEN=DEFAULT_BOT_TOKEN,
        SLACK_SIGNING_SECRET=DEFAULT_SIGNING_SECRET,
        QUIZBOT_SLACK_API_URL=fake.api_url,
        QUIZBOT_SLACK_PORT=str(busy_port),
    )
    assert result.code != 0
    assert "Traceback" not in result.stderr
    [line] = result.messages
    assert line.startswith(f"quizbot: cannot listen for Slack events on port {busy_port}: ")
    assert line.endswith("set QUIZBOT_SLACK_PORT to a free port or stop what uses this one")
