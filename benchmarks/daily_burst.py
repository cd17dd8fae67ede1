"""B8: the daily burst: 5,000 members click one daily post within 10 s, on Discord and on Slack.

Measured: the production bot (Discord) and app (Slack) as B5 and B4 run them, with the engine on a SQLite
file, each in a process of its own beside the fake platform's process. Each member's click arrives at its
own random moment within the window (:mod:`benchmarks.arrivals`), not N at a time, so a slow bot cannot slow
its own clicks down. Both platforms drop a reply that is not there within 3 s (Discord's interaction
callback, Slack's HTTP acknowledgement): a reply later than that is counted as lost, as are errors.

Baseline: the bare discord.py client and the bare aiohttp server of B5 and B4, under the very same
arrivals. Target: no late reply, no error, and a p99 within 1.5× the bare client's.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from adapters.discord_bot.components import choice_id
from benchmarks import discord_interactions as b5
from benchmarks import slack_clicks as b4
from benchmarks.harness import Benchmark, Context, Options, Row, fmt_ms, guarded, median, percentile
from benchmarks.platform_process import PlatformProcess

FULL_CLICKS, FULL_SPREAD_S = 5_000, 10.0
QUICK_CLICKS, QUICK_SPREAD_S = 150, 1.0
DEADLINE_S = 3.0
"""Discord and Slack both give up on a reply after 3 s."""
RATIO_TARGET = 1.5
WARMUP = 20
RECORD_WAIT_S = 120.0


def sizes(options: Options) -> tuple[int, float]:
    return (QUICK_CLICKS, QUICK_SPREAD_S) if options.quick else (FULL_CLICKS, FULL_SPREAD_S)


def row_names(options: Options) -> list[str]:
    return ["B8 daily burst Discord p99", "B8 daily burst Slack p99"]


def _row(name: str, latencies: list[float], base: list[float], errors: int, spread: float, note: str) -> Row:
    p50, p99 = median(latencies), percentile(latencies, 99)
    base_p99 = percentile(base, 99)
    late = sum(1 for s in latencies if s > DEADLINE_S)
    base_late = sum(1 for s in base if s > DEADLINE_S)
    ratio = p99 / base_p99
    return Row(
        name,
        fmt_ms(p99),
        f"bare client p99 {fmt_ms(base_p99)}",
        f"{ratio:.2f}×",
        f"0 late, 0 errors, ≤ {RATIO_TARGET}×",
        late == 0 and errors == 0 and ratio <= RATIO_TARGET,
        {"p50_s": p50, "p99_s": p99, "baseline_p99_s": base_p99, "late": late, "errors": errors},
        f"{len(latencies):,} clicks within {spread:g} s; p50 {fmt_ms(p50)}; {late} later than "
        f"{DEADLINE_S:g} s (bare {base_late}); {errors} errors; {note}",
    )


async def _discord(ctx: Context) -> Row:
    count, spread = sizes(ctx.options)
    seed = ctx.options.seed
    platform = await PlatformProcess.start(
        b5.__name__, ctx.path("b8", "fake-discord.stderr"), b5.DISCORD_SIDE
    )
    bot = await PlatformProcess.start(b5.__name__, ctx.path("b8", "bot.stderr"), b5.BOT_SIDE)
    burst: dict[str, Any] = {"count": count, "warmup": WARMUP, "spread_s": spread}
    try:
        fake = await platform.call("start")
        await bot.call("start", database=ctx.path("b8", "discord.db").as_posix(), fake=fake, seed=seed)
        post = await bot.call("start_client", bare=True)
        baseline = await _clicks(platform, post, seed, burst)
        await bot.call("stop_client")
        post = await bot.call("start_client", bare=False)
        measured = await _clicks(platform, post, seed + 1, burst)
        recorded = await _all_recorded(bot, count + WARMUP)  # deferred answers finish after their callback
        await bot.call("stop_client")
    finally:
        await bot.aclose()
        await platform.aclose()
    kinds = measured["callback_types"]
    errors = measured["failures"] + sum(n for k, n in kinds.items() if k not in (b5.ANSWERED, b5.DEFERRED))
    errors += abs(count + WARMUP - recorded)
    deferred = kinds.get(b5.DEFERRED, 0)
    note = f"{recorded:,} answers recorded, {deferred} deferred"
    return _row(
        "B8 daily burst Discord p99", measured["latencies"], baseline["latencies"], errors, spread, note
    )


async def _all_recorded(bot: PlatformProcess, expected: int) -> int:
    """The answers the bot recorded, once all ``expected`` are in or ``RECORD_WAIT_S`` passed."""
    deadline = time.monotonic() + RECORD_WAIT_S
    while True:
        recorded = int((await bot.call("recorded"))["answers"])
        if recorded >= expected or time.monotonic() > deadline:
            return recorded
        await asyncio.sleep(0.5)


async def _clicks(platform: PlatformProcess, post: dict[str, Any], seed: int, burst: dict[str, Any]) -> Any:
    return await platform.call(
        "clicks",
        session=post["session"],
        message_id=post["message_id"],
        custom_ids=[choice_id(post["asked_id"], i) for i in range(post["choices"])],
        concurrency=b5.CONCURRENCY,
        seed=seed,
        **burst,
    )


async def _slack(ctx: Context) -> Row:
    count, spread = sizes(ctx.options)
    baseline, measured, recorded = await b4.measure(
        ctx, "b8", "slack.db", count=count, warmup=WARMUP, spread_s=spread
    )
    errors = sum(n for status, n in measured.statuses.items() if status != "200")
    errors += abs(count + WARMUP - recorded)
    done = measured.results_after or 0.0
    note = f"{recorded:,} answers recorded; every private result delivered after {done:.1f} s"
    return _row("B8 daily burst Slack p99", measured.latencies, baseline.latencies, errors, spread, note)


async def run(ctx: Context) -> list[Row]:
    async def one(measure: Any) -> list[Row]:
        return [await measure]

    rows = await guarded(["B8 daily burst Discord p99"], one(_discord(ctx)))
    rows += await guarded(["B8 daily burst Slack p99"], one(_slack(ctx)))
    return rows


BENCHMARK = Benchmark("B8", "daily burst: 5,000 clicks on one post within 10 s", row_names, run)
