"""Staying under Discord's global REST limit: 50 requests per second per bot.

discord.py waits for the per-route buckets it reads from the ``X-RateLimit-*`` headers, but it learns of the
global limit only from a 429, and by then every request already on its way gets a 429 too. Discord counts
those (10,000 rejected requests in 10 minutes earn a temporary IP ban), and each one costs a round trip and
a wait. A daily fan-out to hundreds of channels is exactly that burst, so the bot paces itself.

The pacing happens in aiohttp's request hooks (discord.py's ``http_trace`` option), so it covers every
request the client sends, at the last moment before sending, after discord.py's own per-route waits. A
request takes a place in the window when it starts and keeps it until one second after its answer came
back. Discord received it somewhere in between, so however long it took to get there, Discord never sees
more than 50 in a second; the price is one round trip per 50 requests.

Interaction callbacks and interaction follow-ups are exempt from the global limit on Discord, so answers to
clicks never queue behind a fan-out.

The limit is per bot, not per connection: every process of a sharded bot (``QUIZBOT_DISCORD_SHARDS``)
draws on the same 50 per second. Each paces itself at its share: a process running ``k`` of ``N`` shards
sends at most ``floor(50 * k / N)`` requests a second (at least 1), so processes that together run every
shard once never add up to more than 50 (see :func:`shard_budget`). Only with more than 50 shards in as
many processes does the floor of 1 let the sum pass 50; a bot that large asks Discord for a higher limit.
"""

from __future__ import annotations

import asyncio
from collections import deque
from types import SimpleNamespace

import aiohttp
import discord

from quizbot.settings import Settings

GLOBAL_REQUESTS_PER_SECOND = 50
"""Discord's global limit per bot token (bots in very many servers can ask Discord for more)."""

WINDOW = 1.0
"""Seconds over which Discord counts the global limit."""

EXEMPT_PATHS = ("/interactions/", "/webhooks/")
"""Interaction callbacks and follow-ups sent with an interaction token (the bot sends no other webhooks)."""


def shard_budget(settings: Settings) -> int:
    """Requests per second this process may send: ``floor(50 * k / N)`` for ``k`` of ``N`` shards, at least 1.

    Rounding down keeps the sum over the processes at or under the limit (the floors of parts never add up
    to more than the floor of their sum); without ``QUIZBOT_DISCORD_SHARDS``, the whole limit.
    """
    plan = settings.discord_shard_plan
    if plan is None:
        return GLOBAL_REQUESTS_PER_SECOND
    return max(1, GLOBAL_REQUESTS_PER_SECOND * len(plan.ids) // plan.count)


class GlobalPacer:
    """At most ``per_second`` requests per ``window`` as the server counts them; first come, first served.

    Counted in the window: requests still on their way, and requests whose answer came back less than
    ``window`` ago.
    """

    def __init__(self, per_second: int = GLOBAL_REQUESTS_PER_SECOND, *, window: float = WINDOW) -> None:
        self.per_second = per_second
        self.window = window
        self._in_flight = 0
        self._answered: deque[float] = deque()
        """When recent requests were answered, oldest first."""
        self._turn = asyncio.Lock()
        self._answer = asyncio.Event()

    async def start(self) -> None:
        """Return when one more request may go; it counts until :meth:`done` plus the window."""
        async with self._turn:
            loop = asyncio.get_running_loop()
            while True:
                now = loop.time()
                while self._answered and now - self._answered[0] >= self.window:
                    self._answered.popleft()
                if self._in_flight + len(self._answered) < self.per_second:
                    self._in_flight += 1
                    return
                self._answer.clear()
                if self._answered:  # the oldest answered request leaves the window first
                    await asyncio.sleep(self._answered[0] + self.window - now)
                else:  # all are still on their way: wait for one to be answered
                    await self._answer.wait()

    def done(self) -> None:
        """A request that :meth:`start` let go was answered (or failed)."""
        self._in_flight -= 1
        self._answered.append(asyncio.get_running_loop().time())
        self._answer.set()


def counts_globally(url: str) -> bool:
    """True for a REST request under the global limit (read at call time: the API base is configurable)."""
    base = discord.http.Route.BASE
    return url.startswith(base + "/") and not url[len(base) :].startswith(EXEMPT_PATHS)


def pacing_trace(pacer: GlobalPacer | None = None) -> aiohttp.TraceConfig:
    """An aiohttp trace that holds each globally limited request until ``pacer`` lets it go."""
    pacer = pacer or GlobalPacer()

    async def on_start(
        session: aiohttp.ClientSession, context: SimpleNamespace, params: aiohttp.TraceRequestStartParams
    ) -> None:
        if counts_globally(str(params.url)):
            await pacer.start()
            context.paced = True

    async def on_end(session: aiohttp.ClientSession, context: SimpleNamespace, params: object) -> None:
        if getattr(context, "paced", False):
            context.paced = False
            pacer.done()

    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(on_start)
    trace.on_request_end.append(on_end)
    trace.on_request_exception.append(on_end)
    return trace
