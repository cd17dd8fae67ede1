"""Slack's posting limit: about one ``chat.postMessage`` per second per channel.

Beyond it Slack answers 429 with ``Retry-After``; the web client retries those (see ``app.py``), but it
waits ``Retry-After`` plus up to a second of random jitter, and every 429 is a wasted request. A day's post
is exactly that case: closing yesterday's question posts its reveal in the channel, and today's question
follows a moment later. So the daily poster waits for the channel's turn itself, counting the second from
the answer to the previous post (Slack has received that post by then, so the gap Slack sees is never
shorter, whatever the network does).

Only the channel waits: the poster goes on with other channels in the meantime. ``chat.update`` is not under
this limit (it has a per-workspace method tier, which the daily fan-out does not come near for a few dozen
channels).
"""

from __future__ import annotations

import asyncio
import contextlib
import math
from collections.abc import AsyncIterator

CHANNEL_MESSAGE_INTERVAL = 1.0
"""Seconds between two messages in one channel."""

_PRUNE_ABOVE = 1_000
"""Channels remembered before idle ones are forgotten (their second is long over)."""


class ChannelPacer:
    """One message per ``interval`` per channel: posts to a channel take turns; other channels never wait."""

    def __init__(self, interval: float = CHANNEL_MESSAGE_INTERVAL) -> None:
        self.interval = interval
        self._last: dict[str, float] = {}
        self._turns: dict[str, asyncio.Lock] = {}

    @contextlib.asynccontextmanager
    async def turn(self, channel: str) -> AsyncIterator[None]:
        """Wait until ``channel`` may take another message; send it inside the block."""
        loop = asyncio.get_running_loop()
        self._prune(loop.time())
        turn = self._turns.setdefault(channel, asyncio.Lock())
        async with turn:
            delay = self._last.get(channel, -math.inf) + self.interval - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            try:
                yield
            finally:
                self._last[channel] = loop.time()

    async def ready(self, channel: str) -> None:
        """Wait until ``channel``'s second since its last message has passed, without taking a turn.

        The daily fan-out waits here before it takes one of its places, so the wait between a channel's
        reveal and its next question holds no place (:meth:`turn` still guards the post itself).
        """
        loop = asyncio.get_running_loop()
        delay = self._last.get(channel, -math.inf) + self.interval - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)

    def _prune(self, now: float) -> None:
        if len(self._turns) <= _PRUNE_ABOVE:
            return
        for channel, turn in list(self._turns.items()):
            if not turn.locked() and now - self._last.get(channel, -math.inf) >= self.interval:
                del self._turns[channel]
                self._last.pop(channel, None)
