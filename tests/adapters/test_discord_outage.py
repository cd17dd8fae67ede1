"""Discord while PostgreSQL is silent: the player is told privately to try again in a minute, and the same
button works once the database answers again. The real
discord.py client against the fake gateway and REST API, with a TCP proxy the test pauses in front of the
real server."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from adapters.discord_bot.bot import QuizBot
from quizbot.domain import Player
from quizbot.engine import ANSWER_NOT_SAVED
from quizbot.plugins import Runtime
from quizbot.settings import Settings
from tests.adapters.discord_support import (  # noqa: F401  (the *_fixture names are used as fixtures)
    asked_id_of,
    bot_fixture,
    discord_settings,
    embed,
    fake_fixture,
    is_ephemeral,
    open_runtime,
    recorder_fixture,
    text_of,
)
from tests.conftest import TEST_BANK
from tests.fakes.discord_fake import FakeDiscord
from tests.fakes.tcp_proxy import TcpProxy
from tests.test_outage import TIMEOUTS, proxy, through

__all__ = ["proxy"]  # the fixture


@pytest.fixture(name="settings")
def proxied_settings(fake: FakeDiscord, proxy: TcpProxy, postgres_url: str) -> Settings:
    return discord_settings(fake, through(proxy, postgres_url), TEST_BANK, **TIMEOUTS)


@pytest.fixture(name="runtime")
async def proxied_runtime(settings: Settings) -> AsyncIterator[Runtime]:
    async with open_runtime(settings) as runtime:
        yield runtime


async def test_a_click_while_the_database_is_silent_says_try_again_and_works_after(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot, proxy: TcpProxy
) -> None:
    while True:
        question = await (await fake.slash(fake.member, "quiz", {"topic": "ml"})).reply()
        asked = await runtime.engine.get_asked(asked_id_of(question))
        assert asked is not None
        if asked.question.correct_index is not None:
            break
    button = f"quiz:{asked.id}:{asked.question.correct_index}"

    proxy.pause()
    failed = await (await fake.click(fake.member, question["id"], button)).reply()
    assert is_ephemeral(failed) and ANSWER_NOT_SAVED in text_of(failed)

    proxy.resume()
    result = await (await fake.click(fake.member, question["id"], button)).reply()
    assert embed(result)["description"].startswith("✅ Right!")
    stats = await runtime.engine.stats(asked.place, Player("discord", str(fake.member.id), "Grace"))
    assert (stats.answered, stats.correct) == (1, 1)
