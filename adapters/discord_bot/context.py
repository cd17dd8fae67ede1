"""Who is asking and where: the translation from a Discord interaction to the engine's Player and Place."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

import discord

from quizbot.domain import Place, Player

if TYPE_CHECKING:
    from adapters.discord_bot.bot import QuizBot
    from quizbot.plugins import Runtime

PLATFORM = "discord"
DM_SERVER = "dm"
"""The ``server`` of a Place in a direct message, which has no guild."""


def bot_of(interaction: discord.Interaction) -> QuizBot:
    """The bot that received ``interaction``; it carries the runtime, so handlers keep no globals."""
    return cast("QuizBot", interaction.client)


def runtime_of(interaction: discord.Interaction) -> Runtime:
    return bot_of(interaction).runtime


def player_of(interaction: discord.Interaction) -> Player:
    user = interaction.user
    return Player(PLATFORM, str(user.id), user.display_name)


def place_of(interaction: discord.Interaction) -> Place:
    """Scores are per guild (server) and per channel. A DM is a server of its own for that one user, so a
    board or stats asked for in a DM never shows people from other servers' DMs."""
    if interaction.guild_id is not None:
        server = str(interaction.guild_id)
    else:
        server = f"{DM_SERVER}-{interaction.user.id}"
    return Place(PLATFORM, server, str(interaction.channel_id))
