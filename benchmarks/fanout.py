"""B6: the daily fan-out to many channels, with the fakes enforcing the platforms' rate limits.

Measured: a *day-2* post, the realistic case. Every channel has a schedule at 09:00 UTC and yesterday's
question open with a few answers, so each slot closes yesterday's post (Discord: edit it and reply with the
reveal; Slack: ``chat.update`` and a reveal in its thread) and posts today's. It runs through
``DailyService.post_due`` (production fan-out, ``FANOUT`` channels at once) with the poster ``quizbot
post-daily`` uses (``plugin.poster_session``: the adapters' real posters and clients, with their pacing),
against fakes running in their own process (see :mod:`benchmarks.platform_process`):

* Discord: 50 requests per second per bot in any one-second window, and per-route buckets (5 per 5 s
  per channel) announced in ``X-RateLimit-*`` headers.
* Slack: one ``chat.postMessage`` per second per channel (thread replies count), 429 with ``Retry-After``.

Baseline: the least time the fan-out can take, the longer of two bounds measured in the same run and both
stated in the row. The platforms' limits: the least time they allow for the requests the fan-out needs.
Discord: R requests, at most 50 in any second, so the last one cannot go before ⌈R/50⌉−1 s. Slack: each
channel needs two posts (reveal, question) a second apart, and channels are independent, so 1 s. The
engine and database alone: the same day-2 fan-out with a poster that sends nothing. Each fake also counts
requests sent into a bucket before the ``Retry-After`` of a 429 there had elapsed: the target is none.

Day 1 (posting the first questions) and the answers are set-up: posted with the limits off and no pacing.
"""

from __future__ import annotations

import math
import random
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import discord

from adapters.discord_bot import plugin as discord_plugin
from adapters.discord_bot.bot import configure_endpoints
from adapters.discord_bot.poster import DiscordChannelPoster
from adapters.slack_app import plugin as slack_plugin
from adapters.slack_app.app import web_client
from adapters.slack_app.poster import SlackChannelPoster
from benchmarks.harness import Benchmark, Context, Options, Row, fmt_s
from benchmarks.platform_process import PlatformProcess, serve
from quizbot.daily import FANOUT, DailyService, Outcome
from quizbot.domain import AskedQuestion, CloseSummary, Leaderboard, OutboxMessage, Place, Player
from quizbot.engine import QuizEngine
from quizbot.plugins import AdapterPlugin, ChannelPoster, Runtime
from quizbot.settings import Settings

FULL_CHANNELS = 1_000
QUICK_CHANNELS = 50
ANSWERS_PER_CHANNEL = 2
PLAYERS = 500
"""Players drawn for the day-1 answers, shared across channels like members of several channels."""
TARGET_RATIO = 1.15
DISCORD_PER_SECOND = 50
SLACK_INTERVAL = 1.0
CUTOFF = timedelta(hours=3)
DAY_1 = datetime(2026, 11, 18, 9, 0, 30, tzinfo=UTC)
"""Half a minute after the 09:00 slot; day 2 is 24 hours later."""


def channels_for(options: Options) -> int:
    return QUICK_CHANNELS if options.quick else FULL_CHANNELS


def row_names(options: Options) -> list[str]:
    return ["B6 fan-out Discord", "B6 fan-out Slack"]


class Clock:
    """The engine's and the scheduler's clock, moved by hand from day 1 to day 2."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass(frozen=True)
class FanOut:
    """One measured day-2 fan-out."""

    seconds: float
    minimum: float
    formula: str
    requests: int
    rate_limited: int
    violations: int
    worst_early_by: float


# -- set-up shared by both platforms -------------------------------------------------------------------------


def _answer(asked: AskedQuestion, right: bool) -> int | str:
    question = asked.question
    if question.has_choices:
        assert question.correct_index is not None
        return question.correct_index if right else (question.correct_index + 1) % len(question.choices)
    return question.accepted[0] if right else "not this"


async def schedule_all(engine: QuizEngine, places: list[Place]) -> None:
    for place in places:
        await engine.set_schedule(place, "09:00", "UTC")


async def post_day_one(engine: QuizEngine, poster: ChannelPoster, clock: Clock, rng: random.Random) -> None:
    """Post every channel's first question and have a few players answer it (set-up, not measured)."""
    service = DailyService(engine, {poster.platform: poster}, cutoff=CUTOFF, clock=clock)
    results = await service.post_due()
    _check_all_posted(results, "day 1")
    for slot, _ in results:
        async with engine.store.unit() as unit:
            row = await unit.get_slot(slot.key)
        asked = await engine.get_asked(row.asked_id) if row is not None and row.asked_id else None
        assert asked is not None, f"day 1 of {slot.key} has no question"
        for who in rng.sample(range(PLAYERS), ANSWERS_PER_CHANNEL):
            player = Player(poster.platform, f"U{who:05d}", f"player {who}")
            await engine.answer(asked.id, player, _answer(asked, rng.random() < 0.6))


def _check_all_posted(results: list[tuple[Any, Outcome]], day: str) -> None:
    outcomes = Counter(outcome for _, outcome in results)
    if set(outcomes) != {Outcome.POSTED}:
        raise RuntimeError(f"{day}: not every channel was posted: {dict(outcomes)}")


async def timed_day_two(engine: QuizEngine, poster: ChannelPoster, clock: Clock, channels: int) -> float:
    """Seconds for ``post_due`` to close and post every channel on day 2."""
    clock.now = DAY_1 + timedelta(days=1)
    service = DailyService(engine, {poster.platform: poster}, cutoff=CUTOFF, clock=clock)
    started = time.perf_counter()
    results = await service.post_due()
    elapsed = time.perf_counter() - started
    _check_all_posted(results, "day 2")
    if len(results) != channels:
        raise RuntimeError(f"day 2 posted {len(results)} of {channels} channels")
    return elapsed


def _settings(ctx: Context, platform: str, **extra: Any) -> Settings:
    db = ctx.path("b6", platform, "quiz.db").as_posix()
    return Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{db}", **extra)


# -- the engine alone ------------------------------------------------------------------------------------


class SilentPoster:
    """A platform that accepts everything at once: what the fan-out costs the engine and database alone."""

    platform = "bench"

    async def post_question(self, asked: AskedQuestion, *, key: str | None = None) -> str:
        return f"m{asked.id}"

    async def update_answer_count(self, asked: AskedQuestion, message_ref: str, answered: int) -> None:
        return None

    async def post_close(
        self,
        summary: CloseSummary,
        board: Leaderboard,
        message_ref: str,
        *,
        key: str | None = None,
        picture: object = None,
    ) -> None:
        return None

    async def find_sent(self, message: OutboxMessage) -> str | None:
        return None


async def engine_alone(ctx: Context) -> float:
    """Seconds the day-2 fan-out takes with a poster that sends nothing (built once per run)."""

    async def measure() -> float:
        n = channels_for(ctx.options)
        clock = Clock(DAY_1)
        engine = await QuizEngine.open(
            _settings(ctx, "engine"), clock=clock, rng=random.Random(ctx.options.seed)
        )
        try:
            await schedule_all(engine, [Place("bench", "server", f"c{i}") for i in range(n)])
            poster = SilentPoster()
            await post_day_one(engine, poster, clock, random.Random(ctx.options.seed))
            return await timed_day_two(engine, poster, clock, n)
        finally:
            await engine.aclose()

    seconds: float = await ctx.shared("b6-engine-alone", measure)
    return seconds


# -- one platform -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Platform:
    """How to reach one platform's fake and build its posters."""

    name: str
    plugin: AdapterPlugin
    """Its ``poster_session`` is the measured poster (what ``quizbot post-daily`` uses)."""
    settings: Callable[[Context, dict[str, Any]], Settings]
    setup_poster: Callable[[Settings], AbstractAsyncContextManager[ChannelPoster]]
    """A poster without pacing for day 1 (the limits are off then)."""
    minimum: Callable[[dict[str, Any]], tuple[float, str]]
    """The least time the limits allow, and its formula, from the fake's request counts."""


async def fan_out(ctx: Context, platform: Platform) -> FanOut:
    n = channels_for(ctx.options)
    side = await PlatformProcess.start(__name__, ctx.path("b6", platform.name, "fake.stderr"))
    try:
        fake = await side.call("start", platform=platform.name, channels=n)
        settings = platform.settings(ctx, fake)
        clock = Clock(DAY_1)
        engine = await QuizEngine.open(settings, clock=clock, rng=random.Random(ctx.options.seed))
        try:
            await schedule_all(engine, [Place(platform.name, fake["server"], c) for c in fake["channels"]])
            async with platform.setup_poster(settings) as poster:
                await post_day_one(engine, poster, clock, random.Random(ctx.options.seed))
            async with platform.plugin.poster_session(Runtime(settings=settings, engine=engine)) as poster:
                await side.call("limits")
                seconds = await timed_day_two(engine, poster, clock, n)
        finally:
            await engine.aclose()
        stats = await side.call("stats", channels=fake["channels"])
    finally:
        await side.aclose()
    minimum, formula = platform.minimum(stats)
    return FanOut(
        seconds,
        minimum,
        formula,
        stats["requests"],
        stats["rate_limited"],
        stats["violations"],
        stats["worst_early_by"],
    )


def _discord_settings(ctx: Context, fake: dict[str, Any]) -> Settings:
    return _settings(
        ctx,
        "discord",
        DISCORD_TOKEN=fake["token"],
        discord_api_base=fake["api_base"],
        discord_gateway_url=fake["gateway_url"],
    )


@asynccontextmanager
async def _discord_setup_poster(settings: Settings) -> AsyncIterator[ChannelPoster]:
    configure_endpoints(settings)
    assert settings.discord_token is not None
    client = discord.Client(intents=discord.Intents(guilds=True))  # no pacing: day 1 has no limits
    async with client:
        await client.login(settings.discord_token.get_secret_value())
        yield DiscordChannelPoster(client)


def _discord_minimum(stats: dict[str, Any]) -> tuple[float, str]:
    requests = stats["global_requests"]
    windows = math.ceil(requests / DISCORD_PER_SECOND)
    return float(windows - 1), f"⌈{requests:,}/{DISCORD_PER_SECOND}⌉−1 s"


def _slack_settings(ctx: Context, fake: dict[str, Any]) -> Settings:
    return _settings(
        ctx,
        "slack",
        SLACK_BOT_TOKEN=fake["bot_token"],
        SLACK_SIGNING_SECRET="unused-no-events-are-received",
        slack_api_url=fake["api_url"],
    )


@asynccontextmanager
async def _slack_setup_poster(settings: Settings) -> AsyncIterator[ChannelPoster]:
    yield SlackChannelPoster(web_client(settings))  # no pacing: day 1 has no limits


def _slack_minimum(stats: dict[str, Any]) -> tuple[float, str]:
    posts = stats["posts_per_channel"]
    return (posts - 1) * SLACK_INTERVAL, f"({posts} posts−1)×{SLACK_INTERVAL:.0f} s per channel"


DISCORD = Platform("discord", discord_plugin, _discord_settings, _discord_setup_poster, _discord_minimum)
SLACK = Platform("slack", slack_plugin, _slack_settings, _slack_setup_poster, _slack_minimum)


def row_for(platform: Platform, result: FanOut, engine_seconds: float, channels: int) -> Row:
    least = max(result.minimum, engine_seconds)
    ratio = result.seconds / least if least > 0 else math.inf
    early = f"{result.violations} sent before Retry-After"
    if result.violations:
        early += f" (worst {result.worst_early_by * 1000:.0f} ms early)"
    note = (
        f"{channels:,} channels, {result.requests:,} requests, {result.rate_limited} × 429, {early}; "
        f"limits alone {fmt_s(result.minimum)} = {result.formula}; engine + database alone "
        f"{fmt_s(engine_seconds)}; fan-out {FANOUT} sends at once"
    )
    return Row(
        name=f"B6 fan-out {platform.name.title()}",
        figure=fmt_s(result.seconds),
        baseline=f"minimum {fmt_s(least)} = max(limits, engine alone)",
        ratio=f"{ratio:.2f}×",
        target=f"≤ {TARGET_RATIO}× min, 0 early",
        passed=ratio <= TARGET_RATIO and result.violations == 0,
        values={
            "seconds": result.seconds,
            "minimum_s": least,
            "limits_minimum_s": result.minimum,
            "ratio": ratio,
            "requests": result.requests,
            "rate_limited": result.rate_limited,
            "violations": result.violations,
            "engine_alone_s": engine_seconds,
        },
        note=note,
    )


async def run(ctx: Context) -> list[Row]:
    channels = channels_for(ctx.options)
    engine_seconds = await engine_alone(ctx)
    rows = []
    for platform in (DISCORD, SLACK):
        rows.append(row_for(platform, await fan_out(ctx, platform), engine_seconds, channels))
    return rows


BENCHMARK = Benchmark("B6", "daily fan-out under platform rate limits", row_names, run)


# -- the platforms' side (the child process) ---------------------------------------------------------------


class FakePlatform:
    """One fake (Discord or Slack) with many channels; switches its limits on and reports what it saw."""

    def __init__(self) -> None:
        self.platform = ""
        self.fake: Any = None
        self.mark = 0

    async def start(self, platform: str, channels: int) -> dict[str, Any]:
        self.platform = platform
        if platform == "discord":
            from tests.fakes.discord_fake import FakeDiscord

            discord = FakeDiscord()
            await discord.start()
            self.fake = discord
            ids = [discord.channel_id] + [discord.add_channel() for _ in range(channels - 1)]
            return {
                "token": discord.token,
                "api_base": discord.api_base,
                "gateway_url": discord.gateway_url,
                "server": str(discord.guild_id),
                "channels": [str(i) for i in ids],
            }
        from tests.fakes.slack_fake import FakeSlackApi

        slack = FakeSlackApi()
        await slack.start()
        self.fake = slack
        return {
            "bot_token": slack.bot_token,
            "api_url": slack.api_url,
            "server": slack.team_id,
            "channels": [f"C{i:07d}" for i in range(channels)],
        }

    async def limits(self) -> dict[str, Any]:
        """Switch the platform's limits on; requests from now on are the measured ones."""
        if self.platform == "discord":
            from tests.fakes.discord_fake import RateLimits

            self.fake.rate_limits = RateLimits(global_per_second=DISCORD_PER_SECOND)
            self.mark = len(self.fake.requests)
        else:
            self.fake.limit_posts(SLACK_INTERVAL)
            self.mark = len(self.fake.calls)
        self.fake.rate_limited.clear()
        self.fake.violations.clear()
        return {}

    async def stats(self, channels: list[str]) -> dict[str, Any]:
        violations = self.fake.violations
        common = {
            "rate_limited": len(self.fake.rate_limited),
            "violations": len(violations),
            "worst_early_by": max((v.early_by for v in violations), default=0.0),
        }
        if self.platform == "discord":
            measured = self.fake.requests[self.mark :]
            per_channel = Counter(m["channel_id"] for m in self.fake.messages.values())
            wrong = {c: per_channel[c] for c in channels if per_channel[c] != 3}
            if wrong:
                raise RuntimeError(f"channels without question, reveal and new question: {list(wrong)[:5]}")
            counted = [r for r in measured if not r.path.startswith(("/interactions/", "/webhooks/"))]
            needed = len(counted) - len(self.fake.rate_limited)  # a request answered 429 is sent again
            return {**common, "requests": len(measured), "global_requests": needed}
        measured = self.fake.calls[self.mark :]
        posts = Counter(c.args.get("channel") for c in measured if c.method == "chat.postMessage")
        updates = Counter(c.args.get("channel") for c in measured if c.method == "chat.update")
        if any(posts[c] != 2 or updates[c] != 1 for c in channels):
            raise RuntimeError("a channel did not get its close (update + reveal) and its new question")
        return {**common, "requests": len(measured) + len(self.fake.rate_limited), "posts_per_channel": 2}

    async def aclose(self) -> None:
        if self.fake is not None:
            await self.fake.aclose()


def main() -> None:
    side = FakePlatform()
    serve({"start": side.start, "limits": side.limits, "stats": side.stats}, on_exit=side.aclose)


if __name__ == "__main__":
    sys.exit(main())
