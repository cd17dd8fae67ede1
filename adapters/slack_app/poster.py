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

Daily posts carry the scheduler's outbox key in the message ``metadata`` (``event_type``
:data:`METADATA_EVENT`, ``event_payload`` ``{"key": ...}``). After a crash,
:meth:`SlackChannelPoster.find_sent` looks for it with ``conversations.history`` (and
``conversations.replies`` for a reveal in the question's thread) with ``include_all_metadata``, which needs
``channels:history`` / ``groups:history``. A workspace that installed the app without those scopes is
posted to as before, without the check.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from adapters.slack_app.blocks import (
    close_reveal_message,
    closed_question_message,
    question_message,
    reminder_text,
)
from adapters.slack_app.pacing import ChannelPacer
from adapters.slack_app.pictures import share_picture
from quizbot.charts import Picture
from quizbot.domain import AskedQuestion, CloseSummary, Leaderboard, OutboxKind, OutboxMessage, Reminder

log = logging.getLogger(__name__)

_POST_GONE = frozenset({"message_not_found", "cant_update_message"})
"""chat.update errors that mean the daily post is gone, so the reveal goes to the channel instead."""

METADATA_EVENT = "quizbot_daily_post"
"""The ``event_type`` of the metadata on every daily post (question and reveal)."""
HISTORY_PAGE = 200
HISTORY_PAGES = 5
"""Up to 1,000 messages are searched for an earlier post, 200 per request as Slack recommends."""
CLOCK_MARGIN = timedelta(minutes=5)
"""The history is searched from this long before the first attempt, in case our clock runs ahead."""
_CANNOT_READ = frozenset({"missing_scope", "not_in_channel", "channel_not_found", "thread_not_found"})
"""History errors that mean the check cannot be made (or there is no thread): post without it."""


class SlackChannelPoster:
    """Posts, updates and closes public daily questions through the Slack Web API.

    With a ``pacer`` (what ``quizbot run`` and ``quizbot post-daily`` use) each channel's messages wait for
    its turn instead of drawing a 429; without one, every post goes at once and 429s are retried.
    """

    platform = "slack"

    def __init__(self, client: AsyncWebClient, *, pacer: ChannelPacer | None = None) -> None:
        self.client = client
        self.pacer = pacer

    async def send_reminder(self, reminder: Reminder) -> None:
        """The weekly reminder as a direct message: ``conversations.open`` (``im:write``) gives the app's
        DM channel with the player, then ``chat.postMessage`` posts to it (paced like any channel)."""
        opened = await self.client.conversations_open(users=reminder.player_id)
        channel = str((opened.get("channel") or {}).get("id") or "")
        async with self._turn(channel):
            await self.client.chat_postMessage(channel=channel, text=reminder_text(reminder))

    async def wait_for_turn(self, channel: str) -> None:
        """Return once ``channel`` may take another ``chat.postMessage`` (see :class:`ChannelPacer`)."""
        if self.pacer is not None:
            await self.pacer.ready(channel)

    def _turn(self, channel: str) -> contextlib.AbstractAsyncContextManager[None]:
        return self.pacer.turn(channel) if self.pacer is not None else contextlib.nullcontext()

    async def post_question(self, asked: AskedQuestion, *, key: str | None = None) -> str:
        message = question_message(asked, answered=0)
        async with self._turn(asked.place.channel):
            response = await self.client.chat_postMessage(
                channel=asked.place.channel,
                unfurl_links=False,
                unfurl_media=False,
                **message.kwargs(),
                **_metadata(key),
            )
        return str(response["ts"])

    async def find_sent(self, message: OutboxMessage) -> str | None:
        """The ``ts`` of an earlier post carrying ``message.key`` in its metadata, or None.

        A reveal is normally a reply in the question's thread, which ``conversations.history`` does not
        list, so that thread is searched first.
        """
        channel = message.asked.place.channel
        oldest = f"{(message.since - CLOCK_MARGIN).timestamp():.6f}"
        if message.kind is OutboxKind.CLOSE and message.question_ref:
            found = await self._search(
                self.client.conversations_replies, message.key, channel=channel, ts=message.question_ref
            )
            if found is not None:
                return found
        return await self._search(
            self.client.conversations_history, message.key, channel=channel, oldest=oldest
        )

    async def _search(
        self, method: Callable[..., Awaitable[AsyncSlackResponse]], key: str, **args: Any
    ) -> str | None:
        cursor: str | None = None
        for _ in range(HISTORY_PAGES):
            try:
                page = await method(limit=HISTORY_PAGE, include_all_metadata=True, cursor=cursor, **args)
            except SlackApiError as exc:
                error = exc.response.get("error")
                if error not in _CANNOT_READ:
                    raise
                if error != "thread_not_found":
                    log.warning("cannot read Slack channel history (%s); posting without checking", error)
                return None
            for found in page.get("messages") or []:
                metadata = found.get("metadata") or {}
                payload = metadata.get("event_payload") or {}
                if metadata.get("event_type") == METADATA_EVENT and payload.get("key") == key:
                    return str(found["ts"])
            cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
            if not page.get("has_more") or cursor is None:
                return None
        return None

    async def update_answer_count(self, asked: AskedQuestion, message_ref: str, answered: int) -> None:
        message = question_message(asked, answered=answered)
        await self.client.chat_update(channel=asked.place.channel, ts=message_ref, **message.kwargs())

    async def post_close(
        self,
        summary: CloseSummary,
        board: Leaderboard,
        message_ref: str,
        *,
        key: str | None = None,
        picture: Picture | None = None,
    ) -> str:
        """Take the buttons off the post (with a one-line outcome) and reveal the details in its thread.

        A ``picture`` (Monday's final standings of last week) is uploaded into the channel itself, not the
        thread, so everyone sees it beside the new question; it follows the reveal and is never retried, so
        a crash can cost the picture but never doubles it. Returns the reveal's ``ts``.
        """
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
            response = await self.client.chat_postMessage(
                channel=channel,
                unfurl_links=False,
                unfurl_media=False,
                **({"thread_ts": thread} if thread else {}),
                **reveal.kwargs(),
                **_metadata(key),
            )
        if picture is not None:
            await self._share_standings(channel, picture)
        return str(response["ts"])

    async def _share_standings(self, channel: str, picture: Picture) -> None:
        """Upload last week's standings; a refusal (an install without ``files:write``) is only logged."""
        try:
            async with self._turn(channel):  # a shared file is a message in the channel too
                await share_picture(
                    self.client,
                    channel,
                    picture,
                    title="Last week's final standings",
                    comment=":bar_chart: Last week's final standings",
                )
        except SlackApiError as exc:
            log.warning(
                "could not upload last week's standings to %s: %s", channel, exc.response.get("error")
            )


def _metadata(key: str | None) -> dict[str, Any]:
    """The outbox key as message metadata, which ``conversations.history`` returns with the message."""
    return {"metadata": {"event_type": METADATA_EVENT, "event_payload": {"key": key}}} if key else {}
