"""B4: Slack button clicks over loopback HTTP to the real app, as Slack sends them: signed, 50 at a time.

Measured: the production Bolt app, wired the way ``quizbot run`` wires it (``build_app`` with the shared HTTP
session; signature check; ack before any work, i.e. ``process_before_response=False``; the engine on a
SQLite file; the daily answer-count updates), served on a loopback port. Each click is a different member
answering the day's public post, sent as Slack sends it: a form-encoded ``block_actions`` payload with a
fresh ``response_url``, signed with the signing secret. The app runs in a fresh process of its own; the
clients, and the fake Slack that receives the private results on those ``response_url`` s, run in another
(see :mod:`benchmarks.platform_process`), like Slack's servers.

A click's *ack latency* is the HTTP round trip of its request, timed by the client: what Slack holds against
its 3-second limit. (In that mode Bolt starts the listener as a task and polls for its ``ack()`` every 10 ms,
so an ack takes at least that long.) clicks/s is clicks acked per second over the run; the note adds when
the last private result reached the fake, i.e. when the work behind the acks was done.

Baseline: the same client, concurrency, payloads and signing against a bare aiohttp handler that reads the
body and answers 200, served the same way. The first ``WARMUP`` clicks of each run are not counted.
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time
import urllib.parse
from collections import Counter, deque
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from aiohttp import web

from adapters.slack_app.app import EVENTS_PATH, build_app, http_session
from adapters.slack_app.http import events_web_app
from adapters.slack_app.pacing import ChannelPacer
from adapters.slack_app.poster import SlackChannelPoster
from benchmarks.arrivals import ARRIVALS_SEED, arrivals, at_moments
from benchmarks.harness import (
    Benchmark,
    Context,
    Options,
    Row,
    fmt_rate,
    fmt_s,
    latency_rows,
    median,
    percentile,
)
from benchmarks.platform_process import PlatformProcess, serve
from quizbot.daily import DailyService
from quizbot.domain import AskedQuestion, AskKind, Place
from quizbot.engine import QuizEngine
from quizbot.plugins import Runtime
from quizbot.settings import Settings

P99_TARGET_S = 0.100
P99_RATIO_TARGET = 2.0
CONCURRENCY = 50
WARMUP = 50
FULL_CLICKS = 2_000
QUICK_CLICKS = 300
CHANNEL = "C0QUIZ"
SIGNING_SECRET = "benchmark-signing-secret"
RESULTS_TIMEOUT = 120.0
APP_SIDE, SLACK_SIDE = "app", "slack"
"""Which side ``python -m benchmarks.slack_clicks`` plays (see :mod:`benchmarks.platform_process`)."""


def clicks_for(options: Options) -> int:
    return QUICK_CLICKS if options.quick else FULL_CLICKS


def row_names(options: Options) -> list[str]:
    return ["B4 Slack click ack p50", "B4 Slack click ack p99", "B4 Slack clicks/s"]


@dataclass(frozen=True)
class ClickRun:
    """What the clients measured for one run."""

    latencies: list[float]
    elapsed: float
    statuses: dict[str, int]
    results_after: float | None
    """Seconds from the first counted click until every private result had reached the fake."""

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.elapsed


# -- the suite's side: orchestration ------------------------------------------------------------------------


async def measure(
    ctx: Context, folder: str = "b4", database: str = "quiz.db", **clicks: Any
) -> tuple[ClickRun, ClickRun, int]:
    """(baseline, app, answers recorded by the app): the bare handler, then the app, each clicked the same
    way (``clicks``: a ``count`` or ``warmup`` other than B4's, or a ``spread_s`` for arrivals over time,
    as B8 has)."""
    clicks = {"count": clicks_for(ctx.options), "warmup": WARMUP, "concurrency": CONCURRENCY, **clicks}
    slack = await PlatformProcess.start(__name__, ctx.path(folder, "fake-slack.stderr"), SLACK_SIDE)
    app = await PlatformProcess.start(__name__, ctx.path(folder, "app.stderr"), APP_SIDE)
    try:
        fake = await slack.call("start")
        served_at = await app.call(
            "start",
            database=ctx.path(folder, database).as_posix(),
            api_url=fake["api_url"],
            bot_token=fake["bot_token"],
            team_id=fake["team_id"],
            seed=ctx.options.seed,
        )
        clicks["message_ts"] = served_at["message_ts"]
        baseline = await click_run(
            slack, served_at["bare_url"], seed=ctx.options.seed, results=False, **clicks
        )
        measured = await click_run(
            slack, served_at["app_url"], seed=ctx.options.seed + 1, results=True, **clicks
        )
        recorded = (await app.call("recorded"))["answers"]
    finally:
        await app.aclose()
        await slack.aclose()
    return baseline, measured, recorded


async def click_run(slack: PlatformProcess, url: str, **arguments: Any) -> ClickRun:
    answer = await slack.call("clicks", app_url=url, secret=SIGNING_SECRET, channel=CHANNEL, **arguments)
    return ClickRun(answer["latencies"], answer["elapsed"], answer["statuses"], answer["results_after"])


async def run(ctx: Context) -> list[Row]:
    baseline, app, recorded = await measure(ctx)
    expected = len(app.latencies) + WARMUP
    for name, result in (("baseline", baseline), ("app", app)):
        if set(result.statuses) != {"200"}:
            raise RuntimeError(f"{name}: not every click was acked with 200: {result.statuses}")
    if recorded != expected:
        raise RuntimeError(f"the app recorded {recorded} of {expected} answers")
    p50, p99 = median(app.latencies), percentile(app.latencies, 99)
    base_p50, base_p99 = median(baseline.latencies), percentile(baseline.latencies, 99)
    values = {
        "p50_s": p50,
        "p99_s": p99,
        "baseline_p50_s": base_p50,
        "baseline_p99_s": base_p99,
        "clicks_per_s": app.rate,
        "baseline_clicks_per_s": baseline.rate,
        "results_after_s": app.results_after or 0.0,
    }
    done = app.results_after or 0.0
    note = (
        f"{len(app.latencies):,} signed clicks by different members, {CONCURRENCY} in flight; "
        f"every private result delivered after {fmt_s(done)} ({fmt_rate(len(app.latencies) / done)})"
    )
    return [
        *latency_rows(
            "B4 Slack click ack",
            "bare aiohttp",
            (p50, p99),
            (base_p50, base_p99),
            P99_TARGET_S,
            values,
            note,
            ratio_target=P99_RATIO_TARGET,
        ),
        Row(
            name="B4 Slack clicks/s",
            figure=fmt_rate(app.rate),
            baseline=f"bare aiohttp {fmt_rate(baseline.rate)}",
            ratio=f"{app.rate / baseline.rate:.2f}×",
            target="",
            passed=None,
            values=values,
            note=note,
        ),
    ]


BENCHMARK = Benchmark("B4", "Slack button clicks over signed HTTP", row_names, run)


# -- the app's side (a child process) ---------------------------------------------------------------------


@asynccontextmanager
async def served(app: web.Application) -> AsyncIterator[str]:
    """Serve ``app`` on a free loopback port; yields its events URL."""
    from tests.fakes.loopback import serve_loopback

    async with serve_loopback(app) as base:
        yield base + EVENTS_PATH


def bare_app() -> web.Application:
    """The baseline: reads the body and answers 200, checking nothing and doing nothing."""

    async def ok(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(status=200)

    app = web.Application()
    app.router.add_post(EVENTS_PATH, ok)
    return app


async def daily_question(engine: QuizEngine, place: Place) -> AskedQuestion:
    for _ in range(50):
        asked = await engine.ask(place, kind=AskKind.DAILY)
        if asked.question.has_choices:
            return asked
    raise RuntimeError("the bank has no multiple-choice question")


class AppSide:
    """The Slack app as ``quizbot run`` serves it (short of the public port), and the bare baseline."""

    def __init__(self) -> None:
        self.stack = AsyncExitStack()
        self.engine: QuizEngine | None = None
        self.asked: AskedQuestion | None = None

    async def start(
        self, database: str, api_url: str, bot_token: str, team_id: str, seed: int
    ) -> dict[str, Any]:
        settings = Settings(
            _env_file=None,
            database_url=f"sqlite+aiosqlite:///{database}",
            SLACK_BOT_TOKEN=bot_token,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            slack_api_url=api_url,
        )
        engine = self.engine = await QuizEngine.open(settings, rng=random.Random(seed))
        self.stack.push_async_callback(engine.aclose)
        session = await self.stack.enter_async_context(http_session())
        runtime = Runtime(settings=settings, engine=engine)
        app = build_app(runtime, session=session)
        poster = SlackChannelPoster(app.client, pacer=ChannelPacer())
        runtime.register_poster(poster)
        daily = DailyService(engine, runtime.posters, cutoff=timedelta(hours=3))
        engine.daily_answer_listeners.append(daily.answer_recorded)  # as ``quizbot run`` does
        self.stack.push_async_callback(daily.cancel_counts)
        self.asked = await daily_question(engine, Place("slack", team_id, CHANNEL))
        message_ts = await poster.post_question(self.asked)
        return {
            "message_ts": message_ts,
            "bare_url": await self.stack.enter_async_context(served(bare_app())),
            "app_url": await self.stack.enter_async_context(served(events_web_app(app, SIGNING_SECRET))),
        }

    async def recorded(self) -> dict[str, Any]:
        assert self.engine is not None and self.asked is not None
        async with self.engine.store.unit() as unit:
            return {"answers": await unit.count_answers(self.asked.id)}

    async def aclose(self) -> None:
        await self.stack.aclose()


# -- Slack's side (the child process) --------------------------------------------------------------------


class FakeSlackSide:
    """The fake Slack Web API (it receives the private results) and the members who click."""

    def __init__(self) -> None:
        from tests.fakes.slack_fake import FakeSlackApi

        self.fake = FakeSlackApi()

    async def start(self) -> dict[str, Any]:
        await self.fake.start()
        return {"bot_token": self.fake.bot_token, "api_url": self.fake.api_url, "team_id": self.fake.team_id}

    async def clicks(
        self,
        app_url: str,
        secret: str,
        channel: str,
        message_ts: str,
        count: int,
        warmup: int,
        concurrency: int,
        seed: int,
        results: bool,
        spread_s: float | None = None,
    ) -> dict[str, Any]:
        """Signed clicks by ``warmup + count`` members, ``concurrency`` at a time; with ``spread_s`` the
        counted ones arrive at random moments within that many seconds instead."""
        from tests.fakes.slack_fake import FakeUser, SignedSlackClient

        post = next(s for s in reversed(self.fake.sent) if s.via == "chat.postMessage")
        buttons = [e["action_id"] for b in post.blocks if b.get("type") == "actions" for e in b["elements"]]
        client = SignedSlackClient(app_url, self.fake, signing_secret=secret)
        rng = random.Random(seed)
        statuses: Counter[str] = Counter()
        responses_before = len(self.fake.responses)

        def form(i: int) -> tuple[bytes, dict[str, str]]:
            user = FakeUser(f"U{seed}{i:06d}", f"player{seed}-{i}")
            payload = client.click_payload(
                post,
                user,
                button=rng.choice(buttons),
                channel=channel,
                ephemeral=False,
                message_ts=message_ts,
            )
            raw = urllib.parse.urlencode({"payload": json.dumps(payload)})
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                **client.sign(raw, int(time.time())),
            }
            return raw.encode(), headers

        async def burst(first: int, n: int, spread: float | None = None) -> list[float]:
            jobs = deque(range(n))
            latencies = [0.0] * n

            async def click(i: int) -> None:
                body, headers = form(first + i)
                started = time.perf_counter()
                async with client.session.post(app_url, data=body, headers=headers) as response:
                    await response.read()
                latencies[i] = time.perf_counter() - started
                statuses[str(response.status)] += 1

            async def member() -> None:
                while jobs:
                    await click(jobs.popleft())

            if spread is None:
                await asyncio.gather(*(member() for _ in range(concurrency)))
            else:
                await at_moments(click, arrivals(n, spread, seed=ARRIVALS_SEED))
            return latencies

        try:
            await burst(0, warmup)
            statuses.clear()
            started_at = time.perf_counter()
            latencies = await burst(warmup, count, spread_s)
            elapsed = time.perf_counter() - started_at
            results_after = None
            if results:
                wanted = responses_before + warmup + count
                await self.fake.wait_for(lambda: len(self.fake.responses) >= wanted, within=RESULTS_TIMEOUT)
                results_after = time.perf_counter() - started_at
        finally:
            await client.aclose()
        return {
            "latencies": latencies,
            "elapsed": elapsed,
            "statuses": dict(statuses),
            "results_after": results_after,
        }

    async def aclose(self) -> None:
        await self.fake.aclose()


def main() -> None:
    if sys.argv[1:] == [APP_SIDE]:
        app = AppSide()
        serve({"start": app.start, "recorded": app.recorded}, on_exit=app.aclose)
    else:
        side = FakeSlackSide()
        serve({"start": side.start, "clicks": side.clicks}, on_exit=side.aclose)


if __name__ == "__main__":
    sys.exit(main())
