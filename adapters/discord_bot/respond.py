"""Answering interactions within Discord's deadline, and never with a ping.

Discord fails an interaction the user sees as "This interaction failed" unless it is answered within
**3 seconds**; a deferred answer then has 15 minutes for its follow-up. Engine calls are normally a few
milliseconds, so the reply usually goes out directly in one request; if the work is still running after
``bot.defer_after`` seconds (a database under load, a big reload) the interaction is deferred first.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any, TypeVar

import discord

from adapters.discord_bot.context import bot_of
from adapters.discord_bot.render import MESSAGE_CONTENT_MAX, clip

T = TypeVar("T")

INTERACTION_DEADLINE = 3.0
"""Discord's limit for the first answer to an interaction."""
DEFAULT_DEFER_AFTER = INTERACTION_DEADLINE - 1.0
"""Defer if the work is not done by then, leaving a second of margin for the network."""

NO_MENTIONS = discord.AllowedMentions.none()
"""Text from question files and display names must never ping anyone (``@everyone``, roles, users)."""


async def in_time(interaction: discord.Interaction, work: Awaitable[T], *, ephemeral: bool = True) -> T:
    """Await ``work``, deferring the interaction if it is not done ``defer_after`` after Discord created it.

    The clock starts at the interaction's creation (its snowflake), not when this handler started: time
    spent on the way and waiting in a busy event loop counts against Discord's 3 seconds too.
    """
    task = asyncio.ensure_future(work)
    waited = (discord.utils.utcnow() - interaction.created_at).total_seconds()
    budget = max(0.0, bot_of(interaction).defer_after - max(0.0, waited))
    done, _ = await asyncio.wait({task}, timeout=budget)
    if not done and not interaction.response.is_done():
        await interaction.response.defer(ephemeral=ephemeral, thinking=True)
    return await task


async def reply(interaction: discord.Interaction, *, ephemeral: bool = True, **message: Any) -> None:
    """Send the answer: as the interaction response, or as a follow-up once it was deferred.

    Content is clipped to Discord's 2,000 characters here, once for every caller: an engine message may
    echo what a user typed (an unknown topic) and Discord would reject the whole reply.
    """
    if isinstance(message.get("content"), str):
        message["content"] = clip(message["content"], MESSAGE_CONTENT_MAX)
    if interaction.response.is_done():
        await interaction.followup.send(ephemeral=ephemeral, allowed_mentions=NO_MENTIONS, **message)
    else:
        await interaction.response.send_message(ephemeral=ephemeral, allowed_mentions=NO_MENTIONS, **message)
