"""Clicks that arrive at random moments, as members react to a daily post, rather than N at a time.

A fixed number in flight (B4, B5) lets a slow bot slow its own clicks down; real members do not wait for
each other. Here each click has its moment, uniformly spread over a window, and the same seed gives the
bot and its bare baseline the very same arrivals.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable

ARRIVALS_SEED = 20_261_130


def arrivals(count: int, spread_s: float, *, seed: int) -> list[float]:
    """``count`` moments within ``spread_s`` seconds from the start, in order."""
    rng = random.Random(seed)
    return sorted(rng.uniform(0.0, spread_s) for _ in range(count))


async def at_moments(click: Callable[[int], Awaitable[None]], moments: list[float]) -> None:
    """Start ``click(i)`` at ``moments[i]`` seconds from now, each on its own, and wait for all."""
    loop = asyncio.get_running_loop()
    start = loop.time()

    async def one(i: int) -> None:
        await asyncio.sleep(max(0.0, start + moments[i] - loop.time()))
        await click(i)

    await asyncio.gather(*(one(i) for i in range(len(moments))))
