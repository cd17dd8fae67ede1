"""How ``quizbot`` finds and runs the Discord adapter (see :mod:`quizbot.plugins`)."""

from __future__ import annotations

import argparse
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import discord

from adapters.discord_bot.bot import configure_endpoints, create_bot
from adapters.discord_bot.invite import add_invite_command
from adapters.discord_bot.login import connect_gateway, log_in
from adapters.discord_bot.pacing import GlobalPacer, pacing_trace, shard_budget
from adapters.discord_bot.poster import DiscordChannelPoster
from adapters.discord_bot.respond import NO_MENTIONS
from quizbot.domain import QuizError
from quizbot.plugins import Runtime
from quizbot.settings import Settings


class DiscordPlugin:
    name = "discord"

    def add_commands(self, commands: argparse._SubParsersAction) -> None:
        add_invite_command(commands)

    def check_address(self, server: str, channel: str) -> None:
        """``quizbot schedule add discord:SERVER:CHANNEL``: both are Discord ids (snowflakes), all digits."""
        if not (server.isascii() and server.isdigit() and channel.isascii() and channel.isdigit()):
            raise QuizError(
                f"discord:{server}:{channel} is not a Discord channel address; use "
                "discord:SERVER_ID:CHANNEL_ID with the numeric ids "
                "(Developer Mode, then right-click: Copy Server ID / Copy Channel ID)"
            )

    def enabled(self, settings: Settings) -> bool:
        """Served by ``quizbot run`` when ``DISCORD_TOKEN`` is set."""
        return settings.discord_token is not None and bool(settings.discord_token.get_secret_value())

    async def serve(self, runtime: Runtime, **bot_options: Any) -> None:
        """Log in, sync the commands and run until cancelled; daily posts go through the same bot.

        A refused token or an unreachable API raises :class:`~adapters.discord_bot.login.DiscordLoginError`.

        ``bot_options`` pass through to the bot (tests shorten ``guild_ready_timeout``).
        """
        bot = create_bot(runtime, **bot_options)
        poster = DiscordChannelPoster(bot)
        runtime.register_poster(poster)
        runtime.register_messenger(poster)
        async with bot:  # what bot.start(token) does, with login failures as one line (see login.py)
            await log_in(bot, runtime.settings)
            await connect_gateway(bot, runtime.settings)

    @asynccontextmanager
    async def poster_session(self, runtime: Runtime) -> AsyncIterator[DiscordChannelPoster]:
        """A REST-only client for ``quizbot post-daily``: logs in, posts, logs out; no gateway connection.

        Clicks on what it posts are answered by the serving bot (``quizbot run``), which routes buttons by
        custom_id alone.
        """
        configure_endpoints(runtime.settings)
        # Never connects to the gateway; ``guilds`` only keeps discord.py from warning about missing state.
        # Paced at the same share of the global limit as ``quizbot run`` with the same settings.
        client = discord.Client(
            intents=discord.Intents(guilds=True),
            allowed_mentions=NO_MENTIONS,
            http_trace=pacing_trace(GlobalPacer(shard_budget(runtime.settings))),
        )
        async with client:
            await log_in(client, runtime.settings)
            yield DiscordChannelPoster(client)
