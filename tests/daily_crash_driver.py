"""One bot process posting daily questions, for the crash test (``python -m tests.daily_crash_driver``).

It does what ``quizbot post-daily`` does, with the production pieces only: the platform's REST poster from
its plugin (``poster_session``) and :class:`quizbot.daily.DailyService`. Two things are set the way a test
needs them: the clock (days of the test, advancing with the wall clock from a shared ``--epoch`` so that
every process agrees on it) and the claim lease (seconds instead of ten minutes). It posts each day in turn,
sweeping until every channel has that day's question and the previous day's reveal, then exits 0. The test
kills it at chosen points (from the fake platform, when a request arrives or is answered) and starts another.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from datetime import UTC, date, datetime, timedelta
from importlib.metadata import entry_points

from sqlalchemy import func, select

from quizbot.daily import DailyService
from quizbot.engine import QuizEngine
from quizbot.plugins import ENTRY_POINT_GROUP, Runtime
from quizbot.settings import Settings
from quizbot.tables import daily_posts

SWEEP_SECONDS = 0.2
"""Between sweeps, like the scheduler's minute: waiting for another process's lease costs no CPU."""


class TestClock:
    """``day`` at 09:00 UTC plus the wall-clock seconds since ``epoch``: the same in every process."""

    def __init__(self, epoch: float) -> None:
        self.epoch = epoch
        self.day = date(2026, 11, 18)

    def __call__(self) -> datetime:
        start = datetime.combine(self.day, datetime.min.time(), UTC).replace(hour=9)
        return start + timedelta(seconds=time.time() - self.epoch)


async def day_done(engine: QuizEngine, day: date, channels: int) -> bool:
    """Every channel has ``day``'s question out, and the previous day's reveal too (if there was one)."""
    today, yesterday = day.isoformat(), (day - timedelta(days=1)).isoformat()
    async with engine.store.unit(read_only=True) as unit:
        posted = await unit.conn.scalar(
            select(func.count()).where(
                daily_posts.c.local_date == today, daily_posts.c.posted_at.is_not(None)
            )
        )
        earlier = await unit.conn.scalar(select(func.count()).where(daily_posts.c.local_date == yesterday))
        closed = await unit.conn.scalar(
            select(func.count()).where(
                daily_posts.c.local_date == yesterday, daily_posts.c.closed_at.is_not(None)
            )
        )
    return posted == channels and closed == earlier


async def run(args: argparse.Namespace) -> None:
    credentials: dict[str, object] = (
        {"DISCORD_TOKEN": args.token, "discord_api_base": args.api}
        if args.platform == "discord"
        else {"SLACK_BOT_TOKEN": args.token, "slack_api_url": args.api}
    )
    settings = Settings(_env_file=None, database_url=args.db, questions=args.bank, **credentials)  # type: ignore[arg-type]
    clock = TestClock(args.epoch)
    [entry] = entry_points(group=ENTRY_POINT_GROUP, name=args.platform)  # only this platform's imports
    plugin = entry.load()
    async with await QuizEngine.open(settings, clock=clock) as engine:
        runtime = Runtime(settings=settings, engine=engine)
        async with plugin.poster_session(runtime) as poster:
            service = DailyService(
                engine,
                {args.platform: poster},
                cutoff=timedelta(days=1),
                clock=clock,
                fanout=1,  # one channel at a time: a request that arrives means the one before is recorded
                lease=timedelta(seconds=args.lease),
            )
            for day in args.days:
                clock.day = day
                while not await day_done(engine, day, args.channels):
                    await service.post_due()
                    await asyncio.sleep(SWEEP_SECONDS)
    print("done", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--platform", choices=("discord", "slack"), required=True)
    parser.add_argument("--api", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--bank", required=True)
    parser.add_argument("--epoch", type=float, required=True)
    parser.add_argument("--lease", type=float, required=True)
    parser.add_argument("--channels", type=int, required=True)
    parser.add_argument("--days", type=date.fromisoformat, nargs="+", required=True)
    args = parser.parse_args()
    if not sys.stdin.readline():  # a spare started ahead (imports done) waits here until it is needed
        return
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
