"""Daily questions in Slack channels: the :class:`quizbot.plugins.ChannelPoster` the scheduler drives.

The public post carries the same answer buttons as a private ``/quiz`` question; the engine knows the
asked question is a daily one, and each click is confirmed privately to the clicker only. The message
``ts`` is the reference the scheduler stores to update or close the post later.

``chat.postMessage`` allows about one message per second per channel and answers 429 with
``Retry-After`` beyond. Closing yesterday's question posts its reveal just before today's question goes to
the same channel, so the poster the bot runs with paces each channel itself (see ``pacing.py``); the web
client built in ``app.py`` still retries any 429, so a burst slows down instead of failing. Posting needs
``chat:write``; ``chat:write.public`` lets the bot post in public channels it was not invited to (private
channels still need an invitation).
"""

from __future__ import annotations

import contextlib

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack_app.blocks import close_reveal_message, closed_question_message, question_message
from adapters.slack_app.pacing import ChannelPacer
from quizbot.domain import AskedQuestion, CloseSummary, Leaderboard

_POST_GONE = frozenset({"message_not_found", "cant_update_message"})
"""chat.update errors that mean the daily post is gone, so the reveal goes to the channel instead."""


class SlackChannelPoster:
    """Posts, updates and closes public daily questions through the Slack Web API.

    With a ``pacer`` (what ``quizbot run`` and ``quizbot post-daily`` use) each channel's messages wait for
    its turn instead of drawing a 429; without one, every post goes at once and 429s are retried.
    """

    platform = "slack"

    def __init__(self, client: AsyncWebClient, *, pacer: ChannelPacer | None = None) -> None:
        self.client = client
        self.pacer = pacer

    def _turn(self, channel: str) -> contextlib.AbstractAsyncContextManager[None]:
        return self.pacer.turn(channel) if self.pacer is not None else contextlib.nullcontext()

    async def post_question(self, asked: AskedQuestion) -> str:
        message = question_message(asked, answered=0)
        async with self._turn(asked.place.channel):
            response = await self.client.chat_postMessage(
                channel=asked.place.channel, unfurl_links=False, unfurl_media=False, **message.kwargs()
            )
        return str(response["ts"])

    async def update_answer_count(self, asked: AskedQuestion, message_ref: str, answered: int) -> None:
        message = question_message(asked, answered=answered)
        await self.client.chat_update(channel=asked.place.channel, ts=message_ref, **message.kwargs())

    async def post_close(self, summary: CloseSummary, board: Leaderboard, message_ref: str) -> None:
        """Take the buttons off the post (with a one-line outcome) and reveal the details in its thread."""
        channel = summary.asked.place.channel
        thread: str | None = message_ref or None
        if thread:
            closed = closed_question_message(summary)
            try:
                await self.client.chat_update(channel=channel, ts=thread, **closed.kwargs())
            except SlackApiError as exc:
                if exc.response.get("error") not in _POST_GONE:
                    raise
                thread = None  # the post was deleted: reveal in the channel itself instead of its thread
        reveal = close_reveal_message(summary, board)
        async with self._turn(channel):  # a thread reply counts as a message in the channel
            await self.client.chat_postMessage(
                channel=channel,
                unfurl_links=False,
                unfurl_media=False,
                **({"thread_ts": thread} if thread else {}),
                **reveal.kwargs(),
            )
