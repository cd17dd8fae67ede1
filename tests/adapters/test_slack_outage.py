"""Slack while PostgreSQL is unreachable: the player's click gets a short "try again in a minute", and the
same button works once the database is back. Driven through the real Bolt app and the fake Slack, with a
TCP proxy that the test pauses in front of the real server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from quizbot.domain import QuestionType
from quizbot.engine import ANSWER_NOT_SAVED, QuizEngine
from tests.adapters.slack_support import SlackHarness, slack_harness
from tests.conftest import make_settings
from tests.fakes.tcp_proxy import TcpProxy
from tests.test_outage import TIMEOUTS, proxy, through

__all__ = ["proxy"]  # the fixture


@pytest.fixture
async def slack(tmp_path: Path, proxy: TcpProxy, postgres_url: str) -> AsyncIterator[SlackHarness]:
    settings = make_settings(through(proxy, postgres_url), **TIMEOUTS)
    async with await QuizEngine.open(settings) as engine, slack_harness(tmp_path, engine=engine) as harness:
        yield harness


async def test_a_click_while_the_database_is_silent_says_try_again_and_works_after(
    slack: SlackHarness, proxy: TcpProxy
) -> None:
    question = await slack.ask_until("ml", QuestionType.MULTIPLE_CHOICE)
    asked = await slack.asked_in(question)

    proxy.pause()
    failed = slack.reply(await slack.click(question, button=asked.question.correct_answer))
    assert ANSWER_NOT_SAVED in failed.text

    proxy.resume()
    result = slack.replies(await slack.click(question, button=asked.question.correct_answer))[-1]
    assert "Correct!" in result.text
    stats = await slack.engine.stats(slack.place, slack.player(slack.alice))
    assert (stats.answered, stats.correct) == (1, 1)
