"""Discord's global REST limit: a burst of posts is paced under it, and clicks are never held up by it.

The fake enforces the global limit (lowered here so the tests stay fast) and answers 429 beyond it; it also
counts requests sent while a 429's ``Retry-After`` was still running.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import discord
import pytest

from adapters.discord_bot.bot import configure_endpoints
from adapters.discord_bot.components import ANSWERS_AT_ONCE
from adapters.discord_bot.pacing import GlobalPacer, counts_globally, pacing_trace
from adapters.discord_bot.poster import DiscordChannelPoster
from quizbot.domain import AskKind, Place
from quizbot.settings import Settings
from tests.adapters.discord_support import custom_ids, embed, is_ephemeral, open_runtime, running_bot
from tests.fakes.discord_fake import FakeDiscord, FakeUser, RateLimits, snowflake

PER_SECOND = 10
"""The global limit for these tests (Discord: 50)."""
CHANNELS = PER_SECOND + 4
"""More posts than one second allows."""


@asynccontextmanager
async def logged_in(fake: FakeDiscord, **options: object) -> AsyncIterator[discord.Client]:
    """A REST-only client (like ``quizbot post-daily``'s) logged in to ``fake``."""
    configure_endpoints(Settings(_env_file=None, discord_api_base=fake.api_base))
    client = discord.Client(intents=discord.Intents(guilds=True), **options)
    async with client:
        await client.login(fake.token)
        yield client


async def post_everywhere(client: discord.Client, channels: list[int]) -> None:
    await asyncio.gather(*(client.get_partial_messageable(c).send("daily question") for c in channels))


@pytest.fixture
async def limited() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord(rate_limits=RateLimits(global_per_second=PER_SECOND)) as fake:
        yield fake


async def test_a_burst_of_posts_is_paced_under_the_global_limit(limited: FakeDiscord) -> None:
    channels = [limited.add_channel() for _ in range(CHANNELS)]

    async with logged_in(limited, http_trace=pacing_trace(GlobalPacer(PER_SECOND))) as client:
        await post_everywhere(client, channels)

    assert all(len(limited.channel_messages(c)) == 1 for c in channels)
    assert limited.rate_limited == [] and limited.violations == []


async def test_without_pacing_the_same_burst_is_refused_with_429s(limited: FakeDiscord) -> None:
    channels = [limited.add_channel() for _ in range(CHANNELS)]

    async with logged_in(limited) as client:
        await post_everywhere(client, channels)

    assert limited.rate_limited, "the fake let a burst beyond the global limit through"
    assert all(len(limited.channel_messages(c)) == 1 for c in channels), "discord.py retries after a 429"


def test_interaction_answers_are_exempt_from_the_global_limit() -> None:
    base = discord.http.Route.BASE
    assert counts_globally(f"{base}/channels/1/messages")
    assert not counts_globally(f"{base}/interactions/1/token/callback")
    assert not counts_globally(f"{base}/webhooks/1/token")
    assert not counts_globally("wss://gateway.discord.gg/?v=10")


async def test_every_click_of_a_burst_on_the_daily_post_is_answered(sqlite_url: str, bank_dir: Path) -> None:
    async with FakeDiscord() as fake:
        settings = Settings(
            _env_file=None,
            database_url=sqlite_url,
            questions=str(bank_dir),
            DISCORD_TOKEN=fake.token,
            discord_api_base=fake.api_base,
            discord_gateway_url=fake.gateway_url,
        )
        async with open_runtime(settings) as runtime, running_bot(runtime) as bot:
            place = Place("discord", str(fake.guild_id), str(fake.channel_id))
            asked = await runtime.engine.ask(place, topic="ml", kind=AskKind.DAILY)
            ref = await DiscordChannelPoster(bot).post_question(asked)
            button = custom_ids(fake.messages[int(ref)])[0]
            players = [FakeUser(snowflake(), f"Player {i}") for i in range(ANSWERS_AT_ONCE * 3)]

            clicks = await asyncio.gather(*(fake.click(p, ref, button) for p in players))
            replies = await asyncio.gather(*(c.reply() for c in clicks))
            async with runtime.engine.store.unit() as unit:
                recorded = await unit.count_answers(asked.id)

    assert recorded == len(players)
    assert all(is_ephemeral(r) and asked.question.prompt[:200] in embed(r)["title"] for r in replies)
