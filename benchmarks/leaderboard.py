"""B2: the leaderboard (top 10 plus the caller's own rank) on a server with 100,000 players.

Measured: ``QuizEngine.leaderboard(place, player)`` for the server-wide all-time board, the default of
``/quiz leaderboard``, with a caller drawn at random from every player for each call, so most callers
sit far below the top and the "my rank" count does real work. p50 and p99 over all calls; the speed-up
target compares medians, the 5 ms target applies to p99.

Baseline: what the board costs without the score table, one ``GROUP BY`` over the answers table with a
window ``RANK()`` returning the top 10 and the caller, sent through the bare driver (sqlite3 / asyncpg),
so the baseline pays none of the engine's SQLAlchemy and async overhead. The synthetic history is a
single server, so the baseline needs no join with ``asked``: the cheapest a ``GROUP BY`` can be.
"""

from __future__ import annotations

import gc
import random
import sqlite3
import time
from pathlib import Path
from typing import Any

from benchmarks import pg
from benchmarks.dataset import load_postgres, load_sqlite
from benchmarks.harness import (
    Benchmark,
    Context,
    Options,
    Row,
    backends,
    fmt_ms,
    guarded,
    median,
    percentile,
)
from benchmarks.synth import CHANNELS, PLATFORM, SERVER, History, make_history, player_key, player_name
from quizbot.domain import Place, Player
from quizbot.engine import QuizEngine
from quizbot.settings import Settings

P99_TARGET_S = 0.005
SPEEDUP_TARGET = 40.0
WARMUP_CALLS = 30

BASELINE_SQL = """
WITH totals AS (
    SELECT player_key, SUM(points) AS points, COUNT(*) AS answered
    FROM answers GROUP BY player_key
), ranked AS (
    SELECT player_key, points, answered, RANK() OVER (ORDER BY points DESC) AS rank FROM totals
)
SELECT player_key, points, answered, rank FROM ranked WHERE rank <= 10 OR player_key = {param}
ORDER BY rank
"""


async def history(ctx: Context) -> History:
    """The synthetic history shared by B2 and B7."""
    options = ctx.options

    async def build() -> History:
        built = make_history(options.users, options.history, options.seed)
        # Millions of tuples on the heap would make every full collection during the timings walk them
        # all (a 40 ms pause in a 2 ms leaderboard call); frozen, the collector skips them.
        gc.collect()
        gc.freeze()
        return built

    result: History = await ctx.shared("history", build)
    return result


async def sqlite_board(ctx: Context) -> str:
    """The SQLite database holding the shared history (built once per run); its URL."""

    async def build() -> str:
        return await load_sqlite(ctx.path("board", "board.db"), await history(ctx))

    url: str = await ctx.shared("sqlite_board", build)
    return url


def tiny_bank(ctx: Context) -> Path:
    """A one-question bank: the leaderboard never reads questions, so the bank's size is irrelevant here."""
    path = ctx.path("tiny-bank", "tiny.yaml")
    if not path.exists():
        path.write_text(
            "questions:\n"
            "  - id: tiny\n    type: true_false\n    prompt: The leaderboard reads no questions.\n"
            "    answer: true\n    explanation: It reads the score table only.\n",
            encoding="utf-8",
        )
    return path


def row_names(options: Options) -> list[str]:
    return [f"B2 leaderboard {p} {db}" for db in backends(options) for p in ("p50", "p99")]


async def time_engine(url: str, ctx: Context) -> list[float]:
    """Seconds per ``leaderboard`` call, one random caller each."""
    options = ctx.options
    rng = random.Random(options.seed + 2)
    place = Place(PLATFORM, SERVER, CHANNELS[0])
    engine = await QuizEngine.open(Settings(database_url=url, questions=str(tiny_bank(ctx))))
    try:
        samples: list[float] = []
        for call in range(WARMUP_CALLS + options.queries):
            user = rng.randrange(options.users)
            player = Player(PLATFORM, f"u{user}", player_name(user))
            started = time.perf_counter()
            board = await engine.leaderboard(place, player)
            elapsed = time.perf_counter() - started
            if board.me is None or len(board.entries) != 10:
                raise RuntimeError(f"leaderboard is missing rows for {player.key}: {board}")
            if call >= WARMUP_CALLS:
                samples.append(elapsed)
        return samples
    finally:
        await engine.aclose()


def time_sqlite_baseline(path: Path, ctx: Context) -> list[float]:
    options = ctx.options
    rng = random.Random(options.seed + 3)
    conn = sqlite3.connect(path)
    try:
        samples: list[float] = []
        for _ in range(options.baseline_queries):
            key = player_key(rng.randrange(options.users))
            started = time.perf_counter()
            rows = conn.execute(BASELINE_SQL.format(param="?"), (key,)).fetchall()
            samples.append(time.perf_counter() - started)
            _check_baseline(rows, key)
        return samples
    finally:
        conn.close()


async def time_postgres_baseline(url: str, ctx: Context) -> list[float]:
    options = ctx.options
    rng = random.Random(options.seed + 3)
    conn = await pg.connect(url)
    try:
        statement = await conn.prepare(BASELINE_SQL.format(param="$1"))
        samples: list[float] = []
        for _ in range(options.baseline_queries):
            key = player_key(rng.randrange(options.users))
            started = time.perf_counter()
            rows = await statement.fetch(key)
            samples.append(time.perf_counter() - started)
            _check_baseline(rows, key)
        return samples
    finally:
        await conn.close()


def _check_baseline(rows: list[Any], key: str) -> None:
    if len(rows) < 10 or all(r[0] != key for r in rows):
        raise RuntimeError(f"baseline query lost the top 10 or the caller {key}")


def rows_for(db: str, engine: list[float], baseline: list[float]) -> list[Row]:
    base_p50, base_p99 = median(baseline), percentile(baseline, 99)
    p50, p99 = median(engine), percentile(engine, 99)
    targeted = db == "SQLite"
    values = {"p50_s": p50, "p99_s": p99, "baseline_p50_s": base_p50, "baseline_p99_s": base_p99}
    note = f"{len(engine)} calls, baseline {len(baseline)} calls"
    return [
        Row(
            f"B2 leaderboard p50 {db}",
            fmt_ms(p50),
            f"GROUP BY p50 {fmt_ms(base_p50)}",
            f"{base_p50 / p50:,.0f}× faster",
            f"≥ {SPEEDUP_TARGET:.0f}× faster" if targeted else "none yet",
            base_p50 / p50 >= SPEEDUP_TARGET if targeted else None,
            values,
            note,
        ),
        Row(
            f"B2 leaderboard p99 {db}",
            fmt_ms(p99),
            f"GROUP BY p99 {fmt_ms(base_p99)}",
            f"{base_p99 / p99:,.0f}× faster",
            f"≤ {fmt_ms(P99_TARGET_S)}" if targeted else "none yet",
            p99 <= P99_TARGET_S if targeted else None,
            values,
            note,
        ),
    ]


async def _measure_sqlite(ctx: Context) -> list[Row]:
    url = await sqlite_board(ctx)
    engine = await time_engine(url, ctx)
    return rows_for("SQLite", engine, time_sqlite_baseline(ctx.path("board", "board.db"), ctx))


async def _measure_postgres(ctx: Context, admin_url: str) -> list[Row]:
    async with pg.scratch_database(admin_url, "board") as url:
        await load_postgres(url, await history(ctx))
        engine = await time_engine(url, ctx)
        return rows_for("PostgreSQL", engine, await time_postgres_baseline(url, ctx))


async def run(ctx: Context) -> list[Row]:
    names = row_names(ctx.options)
    rows = await guarded(names[:2], _measure_sqlite(ctx))
    if ctx.options.postgres:
        rows += await guarded(names[2:], _measure_postgres(ctx, ctx.options.postgres))
    ctx.release("history")  # B7 needs only the SQLite file
    return rows


BENCHMARK = Benchmark("B2", "leaderboard top 10 + caller's rank", row_names, run)
