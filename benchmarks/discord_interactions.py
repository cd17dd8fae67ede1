"""B5: Discord button clicks, from INTERACTION_CREATE to the interaction callback, through the real bot.

Measured: the production bot (``create_bot``: persistent buttons routed by custom id, the engine on a SQLite
file, the answer embed) answering clicks on a daily post, each click by a different member, with
``CONCURRENCY`` clicks in flight at once (a channel answering a fresh daily question). The bot runs in a
fresh process of its own. The latency of one click is taken by the fake Discord, which runs in another (see
:mod:`benchmarks.platform_process`): from just before it sends the INTERACTION_CREATE frame on the gateway
to the moment the bot's ``POST /interactions/{id}/{token}/callback`` arrives, as Discord would see it. The
note adds the same bot answering clicks one at a time, i.e. its latency without a queue.

Baseline: the same fake, load and process layout, with a bare ``discord.Client`` whose ``on_interaction``
answers every click at once with a fixed ephemeral text. That is the cost of the protocol itself (gateway
frame, discord.py's parsing, the HTTP callback) with no bot logic, so the ratio is what routing, the engine
and rendering add. The first ``WARMUP`` clicks of each run are not counted.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import sys
import time
from collections import Counter, deque
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import discord

from adapters.discord_bot.bot import configure_endpoints, create_bot
from adapters.discord_bot.components import choice_id
from adapters.discord_bot.pacing import pacing_trace
from adapters.discord_bot.poster import DiscordChannelPoster
from adapters.discord_bot.respond import DEFAULT_DEFER_AFTER as DEFER_AFTER_S
from benchmarks.arrivals import ARRIVALS_SEED, arrivals, at_moments
from benchmarks.harness import (
    Benchmark,
    Context,
    Options,
    Row,
    fmt_ms,
    fmt_rate,
    latency_rows,
    median,
    percentile,
)
from benchmarks.platform_process import PlatformProcess, serve
from quizbot.domain import AskedQuestion, AskKind, Place
from quizbot.engine import QuizEngine
from quizbot.plugins import Runtime
from quizbot.settings import Settings

P99_RATIO_TARGET = 1.5
"""The bot's p99 at most 1.5× the bare client's under the same clicks (issue: bursts and scale-out)."""
CONCURRENCY = 50
WARMUP = 50
FULL_CLICKS = 2_000
QUICK_CLICKS = 300
SEQUENTIAL_CLICKS = 200
READY_TIMEOUT = 10.0
FAST_START = {"guild_ready_timeout": 0.05}
"""discord.py waits 2 s for more guilds before it is ready; the fake has one. Start-up is not measured."""

SOMETHING_WRONG = "Something went wrong"
BOT_SIDE, DISCORD_SIDE = "bot", "discord"
"""Which side ``python -m benchmarks.discord_interactions`` plays (see :mod:`benchmarks.platform_process`)."""
ANSWERED, DEFERRED = "4", "5"
"""Callback types: the answer itself, or "thinking..." when the work outlasted the bot's ``defer_after``."""


def clicks_for(options: Options) -> int:
    return QUICK_CLICKS if options.quick else FULL_CLICKS


def row_names(options: Options) -> list[str]:
    return ["B5 Discord click→callback p50", "B5 Discord click→callback p99"]


@dataclass(frozen=True)
class ClickRun:
    """What the fake measured for one run of clicks."""

    latencies: list[float]
    elapsed: float
    callback_types: dict[str, int]
    failures: int
    """Callbacks that told the user something went wrong."""

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.elapsed


# -- the bot's side (a child process) ----------------------------------------------------------------------


class BareClient(discord.Client):
    """The baseline: answers every interaction at once with a fixed text, no routing, no database."""

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("ok", ephemeral=True)


@contextlib.asynccontextmanager
async def started(client: discord.Client, token: str) -> AsyncIterator[discord.Client]:
    """Log ``client`` in to the fake and yield it once ready; close it afterwards."""
    runner = asyncio.create_task(client.start(token))
    ready = asyncio.create_task(client.wait_until_ready())
    try:
        done, _ = await asyncio.wait(
            {runner, ready}, timeout=READY_TIMEOUT, return_when=asyncio.FIRST_COMPLETED
        )
        if runner in done:
            runner.result()
            raise RuntimeError("the Discord client stopped before it was ready")
        if ready not in done:
            raise RuntimeError(f"the Discord client was not ready within {READY_TIMEOUT} s")
        yield client
    finally:
        ready.cancel()
        await client.close()
        with contextlib.suppress(asyncio.CancelledError):
            await runner


class BotSide:
    """The production bot (or the bare baseline client), logged in to the fake, with the engine."""

    def __init__(self) -> None:
        self.engine: QuizEngine | None = None
        self.settings: Settings | None = None
        self.asked: AskedQuestion | None = None
        self.sessions = 0
        self.running: contextlib.AsyncExitStack | None = None

    async def start(self, database: str, fake: dict[str, Any], seed: int) -> dict[str, Any]:
        self.settings = Settings(
            _env_file=None,
            database_url=f"sqlite+aiosqlite:///{database}",
            DISCORD_TOKEN=fake["token"],
            discord_api_base=fake["api_base"],
            discord_gateway_url=fake["gateway_url"],
        )
        configure_endpoints(self.settings)
        self.engine = await QuizEngine.open(self.settings, rng=random.Random(seed))
        self.asked = await daily_question(self.engine, Place("discord", fake["guild_id"], fake["channel_id"]))
        return {}

    async def start_client(self, bare: bool) -> dict[str, Any]:
        """Log in the bare client or the bot and post the daily question through it."""
        assert self.settings is not None and self.engine is not None and self.asked is not None
        client: discord.Client
        if bare:
            client = BareClient(intents=discord.Intents(guilds=True), http_trace=pacing_trace(), **FAST_START)
        else:
            client = create_bot(Runtime(settings=self.settings, engine=self.engine), **FAST_START)
        token = self.settings.discord_token
        assert token is not None
        self.running = contextlib.AsyncExitStack()
        await self.running.enter_async_context(started(client, token.get_secret_value()))
        self.sessions += 1
        ref = await DiscordChannelPoster(client).post_question(self.asked)
        return {
            "session": self.sessions,
            "message_id": ref,
            "asked_id": self.asked.id,
            "choices": len(self.asked.question.choices),
        }

    async def stop_client(self) -> dict[str, Any]:
        if self.running is not None:
            await self.running.aclose()
            self.running = None
        return {}

    async def recorded(self) -> dict[str, Any]:
        assert self.engine is not None and self.asked is not None
        async with self.engine.store.unit() as unit:
            return {"answers": await unit.count_answers(self.asked.id)}

    async def aclose(self) -> None:
        await self.stop_client()
        if self.engine is not None:
            await self.engine.aclose()


async def daily_question(engine: QuizEngine, place: Place) -> AskedQuestion:
    """A daily question with choice buttons (short-answer questions open a modal instead)."""
    for _ in range(50):
        asked = await engine.ask(place, kind=AskKind.DAILY)
        if asked.question.has_choices:
            return asked
    raise RuntimeError("the bank has no multiple-choice question")


async def click_run(
    platform: PlatformProcess,
    post: dict[str, Any],
    count: int,
    seed: int,
    *,
    concurrency: int = CONCURRENCY,
    warmup: int = WARMUP,
) -> ClickRun:
    """Have ``count`` members click ``post`` (what :meth:`BotSide.start_client` posted) after a warm-up."""
    answer = await platform.call(
        "clicks",
        session=post["session"],
        message_id=post["message_id"],
        custom_ids=[choice_id(post["asked_id"], i) for i in range(post["choices"])],
        count=count,
        warmup=warmup,
        concurrency=concurrency,
        seed=seed,
    )
    return ClickRun(answer["latencies"], answer["elapsed"], answer["callback_types"], answer["failures"])


@dataclass(frozen=True)
class Measured:
    baseline: ClickRun
    bot: ClickRun
    one_at_a_time: ClickRun
    """The bot answering ``SEQUENTIAL_CLICKS`` clicks one after the other: its latency without a queue."""
    recorded: int
    """Answers the bot recorded in the database."""


async def measure(ctx: Context) -> Measured:
    count = clicks_for(ctx.options)
    seed = ctx.options.seed
    platform = await PlatformProcess.start(__name__, ctx.path("b5", "fake-discord.stderr"), DISCORD_SIDE)
    bot = await PlatformProcess.start(__name__, ctx.path("b5", "bot.stderr"), BOT_SIDE)
    try:
        fake = await platform.call("start")
        await bot.call("start", database=ctx.path("b5", "quiz.db").as_posix(), fake=fake, seed=seed)
        post = await bot.call("start_client", bare=True)
        baseline = await click_run(platform, post, count, seed)
        await bot.call("stop_client")
        post = await bot.call("start_client", bare=False)
        measured = await click_run(platform, post, count, seed + 1)
        alone = await click_run(platform, post, SEQUENTIAL_CLICKS, seed + 2, concurrency=1, warmup=0)
        await bot.call("stop_client")
        recorded = (await bot.call("recorded"))["answers"]
    finally:
        await bot.aclose()
        await platform.aclose()
    return Measured(baseline, measured, alone, recorded)


def _check(result: Measured) -> None:
    bot = result.bot
    expected = len(bot.latencies) + WARMUP + len(result.one_at_a_time.latencies)
    kinds = set(bot.callback_types) | set(result.one_at_a_time.callback_types)
    if result.recorded != expected or bot.failures or not kinds <= {ANSWERED, DEFERRED}:
        raise RuntimeError(
            f"the bot recorded {result.recorded} of {expected} answers; callbacks {bot.callback_types}, "
            f"{bot.failures} errors"
        )


async def run(ctx: Context) -> list[Row]:
    result = await measure(ctx)
    _check(result)
    bot, baseline, alone = result.bot, result.baseline, result.one_at_a_time
    p50, p99 = median(bot.latencies), percentile(bot.latencies, 99)
    base_p50, base_p99 = median(baseline.latencies), percentile(baseline.latencies, 99)
    alone_p50, alone_p99 = median(alone.latencies), percentile(alone.latencies, 99)
    values = {
        "p50_s": p50,
        "p99_s": p99,
        "baseline_p50_s": base_p50,
        "baseline_p99_s": base_p99,
        "clicks_per_s": bot.rate,
        "baseline_clicks_per_s": baseline.rate,
        "one_at_a_time_p50_s": alone_p50,
        "one_at_a_time_p99_s": alone_p99,
    }
    deferred = bot.callback_types.get(DEFERRED, 0)
    note = (
        f"{len(bot.latencies):,} clicks by different members, {CONCURRENCY} in flight: "
        f"{fmt_rate(bot.rate)} (bare client {fmt_rate(baseline.rate)})"
        + (f", {deferred} deferred (> {DEFER_AFTER_S:.0f} s)" if deferred else "")
        + f"; one at a time: p50 {fmt_ms(alone_p50)}, p99 {fmt_ms(alone_p99)}"
    )
    return [
        *latency_rows(
            "B5 Discord click→callback",
            "bare client",
            (p50, p99),
            (base_p50, base_p99),
            None,
            values,
            note,
            ratio_target=P99_RATIO_TARGET,
        ),
    ]


BENCHMARK = Benchmark("B5", "Discord button interactions", row_names, run)


# -- Discord's side (the child process) -------------------------------------------------------------------


class FakeDiscordSide:
    """The fake Discord and the members who click, driven by the commands the parent sends."""

    def __init__(self) -> None:
        from tests.fakes.discord_fake import FakeDiscord

        self.fake = FakeDiscord()

    async def start(self) -> dict[str, Any]:
        await self.fake.start()
        return {
            "token": self.fake.token,
            "api_base": self.fake.api_base,
            "gateway_url": self.fake.gateway_url,
            "guild_id": str(self.fake.guild_id),
            "channel_id": str(self.fake.channel_id),
        }

    async def clicks(
        self,
        session: int,
        message_id: str,
        custom_ids: list[str],
        count: int,
        warmup: int,
        concurrency: int,
        seed: int,
        spread_s: float | None = None,
    ) -> dict[str, Any]:
        """Clicks by ``warmup + count`` new members, ``concurrency`` at a time, once gateway session
        number ``session`` is up (each client logging in opens one). With ``spread_s`` the counted clicks
        arrive instead at random moments within that many seconds, whoever is still waiting (see
        :func:`benchmarks.arrivals.arrivals`)."""
        from tests.fakes.discord_fake import FakeUser, snowflake

        await self.fake.wait_identified(session)
        rng = random.Random(seed)
        kinds: Counter[str] = Counter()
        failures = 0

        async def burst(n: int, spread: float | None = None) -> list[float]:
            nonlocal failures
            jobs = deque(range(n))
            latencies = [0.0] * n

            async def click(i: int) -> None:
                nonlocal failures
                user = FakeUser(snowflake(), f"Player {seed}-{i}")
                handle = await self.fake.click(user, message_id, rng.choice(custom_ids))
                async with asyncio.timeout(30):
                    await handle.called_back.wait()
                assert handle.called_back_at is not None and handle.callback_body is not None
                latencies[i] = handle.called_back_at - handle.dispatched_at
                kinds[str(handle.callback_body["type"])] += 1
                content = (handle.callback_body.get("data") or {}).get("content") or ""
                failures += SOMETHING_WRONG in content

            async def member() -> None:
                while jobs:
                    await click(jobs.popleft())

            if spread is None:
                await asyncio.gather(*(member() for _ in range(concurrency)))
            else:
                await at_moments(click, arrivals(n, spread, seed=ARRIVALS_SEED))
            return latencies

        await burst(warmup)
        kinds.clear()
        failures = 0
        started_at = time.perf_counter()
        latencies = await burst(count, spread_s)
        elapsed = time.perf_counter() - started_at
        return {
            "latencies": latencies,
            "elapsed": elapsed,
            "callback_types": dict(kinds),
            "failures": failures,
        }

    async def aclose(self) -> None:
        await self.fake.aclose()


def main() -> None:
    if sys.argv[1:] == [BOT_SIDE]:
        bot = BotSide()
        handlers = {
            "start": bot.start,
            "start_client": bot.start_client,
            "stop_client": bot.stop_client,
            "recorded": bot.recorded,
        }
        serve(handlers, on_exit=bot.aclose)
    else:
        side = FakeDiscordSide()
        serve({"start": side.start, "clicks": side.clicks}, on_exit=side.aclose)


if __name__ == "__main__":
    sys.exit(main())
