"""Daily questions in a channel: the :class:`~quizbot.plugins.ChannelPoster` for Discord.

The scheduler decides when; this posts, updates and closes. The public post carries the same buttons as a
private ``/quiz`` (same custom ids), and the engine knows the asked question is a daily one, so a click is
answered privately to the clicker in both cases. The message id is returned as the ``message_ref`` and
handed back later, so nothing is kept in memory between calls.
"""

from __future__ import annotations

import discord

from adapters.discord_bot import render
from adapters.discord_bot.components import question_view
from adapters.discord_bot.context import DM_SERVER, PLATFORM
from adapters.discord_bot.respond import NO_MENTIONS
from quizbot.domain import AskedQuestion, CloseSummary, Leaderboard, Place


class DiscordChannelPoster:
    """Posts through a logged-in client's REST API: the serving bot, or a REST-only client for cron.

    Channels are addressed by id (partial channels), so no gateway connection or cache is needed. Both
    clients pace their requests under Discord's global limit (see ``pacing.py``), so a fan-out to many
    channels queues instead of drawing 429s.
    """

    platform = PLATFORM

    def __init__(self, client: discord.Client) -> None:
        self.client = client

    def _channel(self, place: Place) -> discord.PartialMessageable:
        if self.client.user is None:  # fails the slot; the scheduler's sweep retries it
            raise RuntimeError("not logged in to Discord yet")
        guild_id = None if place.server == DM_SERVER else int(place.server)
        return self.client.get_partial_messageable(int(place.channel), guild_id=guild_id)

    async def post_question(self, asked: AskedQuestion) -> str:
        message = await self._channel(asked.place).send(
            embed=render.question_embed(asked, answered=0),
            view=question_view(asked),
            allowed_mentions=NO_MENTIONS,
        )
        return str(message.id)

    async def update_answer_count(self, asked: AskedQuestion, message_ref: str, answered: int) -> None:
        message = self._channel(asked.place).get_partial_message(int(message_ref))
        await message.edit(
            embed=render.question_embed(asked, answered=answered), allowed_mentions=NO_MENTIONS
        )

    async def post_close(self, summary: CloseSummary, board: Leaderboard, message_ref: str) -> None:
        """Take the buttons off the question and reply to it with the reveal.

        Without a ``message_ref`` (the post's id was never recorded) the reveal is posted on its own.
        """
        channel = self._channel(summary.asked.place)
        reveal = render.close_embed(summary, board)
        if not message_ref.isdigit():
            await channel.send(embed=reveal, allowed_mentions=NO_MENTIONS)
            return
        question = channel.get_partial_message(int(message_ref))
        try:
            await question.edit(
                embed=render.closed_question_embed(summary.asked), view=None, allowed_mentions=NO_MENTIONS
            )
        except discord.NotFound:  # someone deleted the post; the reveal is still worth posting
            await channel.send(embed=reveal, allowed_mentions=NO_MENTIONS)
            return
        # Replying needs Read Message History (see invite.py).
        await channel.send(
            embed=reveal,
            reference=question.to_reference(fail_if_not_exists=False),
            allowed_mentions=NO_MENTIONS,
        )
