"""What the daily sweep's reads cost after a year of daily questions, with and without their indexes.

Every sweep (at start-up, once a minute, and ``quizbot post-daily``) reads three things at once: the slots
and the outbox rows of the dates now due, and every posted question whose reveal has not gone out. This
fills a SQLite file with a year of history for many channels (every slot posted and closed, two outbox
rows each, as the bot leaves them), then times those three reads through the engine's own
:class:`~quizbot.store.Store`: first with the schema's indexes, then, in the same run and on the same file,
with the three sweep indexes dropped (the schema before revision ``0008_index_daily_sweeps``).

Run ``python -m benchmarks.daily_sweep [--channels 1000] [--days 365]``; it prints both timings and their
ratio. Timings are medians of several rounds; the ratio is what to read, not the milliseconds.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from benchmarks.dataset import sqlite_time, sqlite_url
from quizbot.store import Store

SWEEP_INDEXES = ("ix_daily_posts_local_date", "ix_daily_posts_closed_at", "ix_daily_outbox_kind_date")
ROUNDS = 7


def fill(path: Path, channels: int, days: int, today: date) -> None:
    """A year of closed daily questions: one slot per channel and day, its question and close sent."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous=OFF")  # this connection only: a crash while filling loses nothing
        conn.execute("BEGIN")
        asked_at = sqlite_time(datetime(2026, 1, 1, tzinfo=UTC))
        conn.execute(
            "INSERT INTO asked (id, question_id, question, kind, platform, server, channel, ask_scope,"
            " zone, asked_at, reveal_at_close)"
            " VALUES (1, 'q', '{}', 'daily', 'discord', 's', 'c', 's', 'UTC', ?, 0)",
            (asked_at,),
        )
        posts = []
        outbox = []
        for day in range(days, 0, -1):
            local = (today - timedelta(days=day)).isoformat()
            moment = sqlite_time(datetime.fromisoformat(local).replace(tzinfo=UTC) + timedelta(hours=9))
            for c in range(channels):
                server, channel = f"{100000 + c // 10}", f"{200000 + c}"
                posts.append(
                    ("discord", server, channel, local, days - day + 1, 1, "m", moment, moment, moment)
                )
                for kind in ("question", "close"):
                    key = (
                        kind[0]
                        + local.replace("-", "")
                        + hashlib.sha256(f"{kind}{channel}".encode()).hexdigest()[:16]
                    )
                    outbox.append(
                        (key, kind, "discord", server, channel, local, 1, moment, moment, 1, moment, "m")
                    )
        conn.executemany(
            "INSERT INTO daily_posts (platform, server, channel, local_date, seq, asked_id, message_ref,"
            " claimed_at, posted_at, closed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            posts,
        )
        conn.executemany(
            "INSERT INTO daily_outbox (key, kind, platform, server, channel, local_date, asked_id,"
            " created_at, claimed_at, attempts, sent_at, message_ref)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            outbox,
        )
        conn.execute("COMMIT")
        conn.execute("ANALYZE")
    finally:
        conn.close()


async def sweep_reads(url: str, today: date) -> float:
    """Median seconds for the sweep's three reads, as
    :meth:`~quizbot.daily.DailyService.post_due` makes them."""
    store = await Store.open(url, create=False)
    try:
        dates = {today.isoformat()}
        times = []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            async with store.unit(read_only=True) as unit:
                await unit.slots_on(dates)
                await unit.outbox_on("question", dates)
                await unit.all_open_posts()
            times.append(time.perf_counter() - start)
        return statistics.median(times)
    finally:
        await store.aclose()


async def run(channels: int, days: int) -> tuple[float, float]:
    """(with the sweep indexes, without them) in seconds, on one file."""
    today = date(2027, 1, 1)
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "sweep.db"
        url = sqlite_url(path)
        store = await Store.open(url)  # the schema at head, indexes included
        await store.aclose()
        fill(path, channels, days, today)
        indexed = await sweep_reads(url, today)
        conn = sqlite3.connect(path, isolation_level=None)
        try:
            for name in SWEEP_INDEXES:
                conn.execute(f"DROP INDEX {name}")
        finally:
            conn.close()
        # The schema check on open compares revisions, not indexes, so the same file still opens.
        bare = await sweep_reads(url, today)
    return indexed, bare


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--channels", type=int, default=1000)
    parser.add_argument("--days", type=int, default=365)
    args = parser.parse_args(argv)
    indexed, bare = asyncio.run(run(args.channels, args.days))
    slots = args.channels * args.days
    print(f"daily sweep reads, SQLite, {args.channels} channels × {args.days} days ({slots:,} slots,")
    print(f"{2 * slots:,} outbox rows), median of {ROUNDS}:")
    print(f"  without the sweep indexes (before 0008): {bare * 1000:9.1f} ms")
    print(f"  with them:                               {indexed * 1000:9.1f} ms")
    print(f"  ratio: {bare / indexed:.0f}× faster with the indexes")


if __name__ == "__main__":
    main()
