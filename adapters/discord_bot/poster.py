"""Daily questions in a channel: the :class:`~quizbot.plugins.ChannelPoster` for Discord.

The scheduler decides when; this posts, updates and closes. The public post carries the same buttons as a
private ``/quiz`` (same custom ids), and the engine knows the asked question is a daily one, so a click is
answered privately to the clicker in both cases. The message id is returned as the ``message_ref`` and
handed back later, so nothing is kept in memory between calls.

Daily posts carry the scheduler's outbox key as the message ``nonce`` (at most 25 characters), which
discord.py sends with ``enforce_nonce``: a retry within a few minutes gets the first message back instead of
a second one. Discord forgets nonces after minutes and never returns them when messages are fetched, so
:meth:`DiscordChannelPoster.find_sent` recognises an earlier post in the channel's history by what only it
carries: the question's button ids (which hold the asked id), or the reveal's heading.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import discord

from adapters.discord_bot import render
from adapters.discord_bot.components import custom_id_prefix, question_view
from adapters.discord_bot.context import DM_SERVER, PLATFORM
from adapters.discord_bot.pictures import with_picture
from adapters.discord_bot.respond import NO_MENTIONS
from quizbot.charts import Picture
from quizbot.domain import (
    AskedQuestion,
    CloseSummary,
    Leaderboard,
    OutboxKind,
    OutboxMessage,
    Place,
    Reminder,
)

log = logging.getLogger(__name__)

HISTORY_SEARCHED = 500
"""Messages read when looking for an earlier post: five pages of Discord's 100 per request."""
CLOCK_MARGIN = timedelta(minutes=5)
"""The history is searched from this long before the first attempt, in case our clock runs ahead."""


class DiscordChannelPoster:
    """Posts through a logged-in client's REST API: the serving bot, or a REST-only client for cron.

    Channels are addressed by id (partial channels), so no gateway connection or cache is needed. Both
    clients pace their requests under Discord's global limit (see ``pacing.py``), so a fan-out to many
    channels queues instead of drawing 429s.
    """

    platform = PLATFORM

    def __init__(self, client: discord.Client) -> None:
        self.client = client

    async def send_reminder(self, reminder: Reminder) -> None:
        """The weekly reminder as a direct message: ``POST /users/@me/channels`` opens (or finds) the DM
        channel, then the message goes to it. A member who blocks DMs from server members makes Discord
        refuse it (403, code 50007); that is logged by the scheduler and the reminder waits a week."""
        if self.client.user is None:
            raise RuntimeError("not logged in to Discord yet")
        channel = await self.client.create_dm(discord.Object(int(reminder.player_id)))
        await channel.send(render.reminder_text(reminder), allowed_mentions=NO_MENTIONS)

    def _channel(self, place: Place) -> discord.PartialMessageable:
        if self.client.user is None:  # fails the slot; the scheduler's sweep retries it
            raise RuntimeError("not logged in to Discord yet")
        guild_id = None if place.server == DM_SERVER else int(place.server)
        return self.client.get_partial_messageable(int(place.channel), guild_id=guild_id)

    async def post_question(self, asked: AskedQuestion, *, key: str | None = None) -> str:
        message = await self._channel(asked.place).send(
            embed=render.question_embed(asked, answered=0),
            view=question_view(asked),
            allowed_mentions=NO_MENTIONS,
            **_nonce(key),
        )
        return str(message.id)

    async def find_sent(self, message: OutboxMessage) -> str | None:
        """The id of this bot's earlier copy of ``message`` in the channel, searched from its first attempt.

        Needs Read Message History (see invite.py), which replying to the question already needs.
        """
        user = self.client.user
        channel = self._channel(message.asked.place)
        after = discord.Object(id=discord.utils.time_snowflake(message.since - CLOCK_MARGIN))
        async for found in channel.history(limit=HISTORY_SEARCHED, after=after):
            if user is not None and found.author.id == user.id and _is_copy(found, message):
                return str(found.id)
        return None

    async def update_answer_count(self, asked: AskedQuestion, message_ref: str, answered: int) -> None:
        message = self._channel(asked.place).get_partial_message(int(message_ref))
        await message.edit(
            embed=render.question_embed(asked, answered=answered), allowed_mentions=NO_MENTIONS
        )

    async def post_close(
        self,
        summary: CloseSummary,
        board: Leaderboard,
        message_ref: str,
        *,
        key: str | None = None,
        picture: Picture | None = None,
    ) -> str:
        """Take the buttons off the question and reply to it with the reveal; return the reveal's id.

        Without a ``message_ref`` (the post's id was never recorded) the reveal is posted on its own. A
        ``picture`` (Monday's final standings) is attached to the reveal and shown inside its embed, so the
        reveal and its picture are one message under one nonce.
        """
        channel = self._channel(summary.asked.place)
        reveal = render.close_embed(summary, board)
        if not message_ref.isdigit():
            sent = await _send_reveal(channel, reveal, picture, allowed_mentions=NO_MENTIONS, **_nonce(key))
            return str(sent.id)
        question = channel.get_partial_message(int(message_ref))
        try:
            await question.edit(
                embed=render.closed_question_embed(summary.asked), view=None, allowed_mentions=NO_MENTIONS
            )
        except discord.NotFound:  # someone deleted the post; the reveal is still worth posting
            sent = await _send_reveal(channel, reveal, picture, allowed_mentions=NO_MENTIONS, **_nonce(key))
            return str(sent.id)
        # Replying needs Read Message History (see invite.py).
        sent = await _send_reveal(
            channel,
            reveal,
            picture,
            reference=question.to_reference(fail_if_not_exists=False),
            allowed_mentions=NO_MENTIONS,
            **_nonce(key),
        )
        return str(sent.id)


async def _send_reveal(
    channel: discord.PartialMessageable, reveal: discord.Embed, picture: Picture | None, **options: Any
) -> discord.Message:
    """Send the reveal, with its picture if there is one. Uploading a file into a channel needs the Attach
    Files permission (servers that invited the bot before pictures may not have granted it): refused, the
    reveal goes out without the picture rather than not at all."""
    if picture is not None:
        try:
            return await channel.send(embed=reveal, **options, **with_picture(reveal, picture))
        except discord.Forbidden:
            log.warning("no Attach Files permission in channel %s: revealing without the picture", channel.id)
            reveal.set_image(url=None)
    return await channel.send(embed=reveal, **options)


def _nonce(key: str | None) -> dict[str, Any]:
    """The outbox key as the message nonce; discord.py then also sends ``enforce_nonce``."""
    return {"nonce": key} if key else {}


def _is_copy(found: discord.Message, message: OutboxMessage) -> bool:
    """Whether ``found`` is the post ``message`` stands for: the question's buttons, or the reveal heading."""
    if message.kind is OutboxKind.QUESTION:
        prefix = custom_id_prefix(message.asked.id)
        return any(
            (getattr(item, "custom_id", None) or "").startswith(prefix)
            for row in found.components
            for item in getattr(row, "children", ())
        )
    title, description = render.reveal_heading(message.asked.question)
    return any(e.title == title and e.description == description for e in found.embeds)
