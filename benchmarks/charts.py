"""Render time of the pictures: ``python -m benchmarks.charts [--repeats N]``.

Prints, as ratios against baselines measured in the same run:

- the weekly top 10 and a player's 8 weeks, against an empty matplotlib figure of the same size saved as a
  PNG (what any picture costs before anything is drawn on it);
- the first render in a fresh process (matplotlib import and font loading included) against the same;
- how long the event loop is stalled while a picture renders: inline, versus in a worker thread as the bot
  does it (the largest gap between ticks of a 1 ms ticker).

No timing is asserted anywhere; the figures are for people to read.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta

from quizbot import charts
from quizbot.domain import Leaderboard, LeaderboardEntry, Period, Player, PlayerHistory, WeekActivity

NAMES = [
    "Ada Lovelace",
    "grace_hopper",
    "Linus",
    "Zoë Ünïcode",
    "a" * 60,
    "Bob",
    "Carol",
    "Dave",
    "Erin",
    "Frank",
]


def sample_board() -> Leaderboard:
    entries = tuple(
        LeaderboardEntry(rank, f"k{n}", NAMES[n], 120 - 11 * n, 12 - n, 14)
        for n, rank in enumerate([1, 2, 2, 4, 5, 6, 7, 8, 9, 10])
    )
    return Leaderboard("bench", Period.WEEK, entries, week_start=date(2026, 11, 16), final=True)


def sample_history() -> PlayerHistory:
    start = date(2026, 10, 5)
    weeks = tuple(
        WeekActivity(start + timedelta(weeks=n), a, c, s)
        for n, (a, c, s) in enumerate(
            [(0, 0, 0), (5, 3, 2), (12, 10, 6), (3, 1, 1), (0, 0, 0), (20, 15, 9), (8, 8, 8), (2, 1, 1)]
        )
    )
    return PlayerHistory(Player("bench", "u1", "Ada Lovelace"), weeks)


def empty_png() -> bytes:
    """The baseline: an empty figure of the pictures' size, saved as a PNG."""
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(charts.WIDTH, charts.HEIGHT), dpi=charts.DPI)
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def median_ms(work: Callable[[], object], repeats: int) -> float:
    work()  # warm: imports and font caches are measured separately
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def first_render_ms(code: str) -> float:
    """Milliseconds for ``code`` in a fresh interpreter (imports included), minus the interpreter's start."""
    probe = f"import time; t = time.perf_counter(); {code}; print((time.perf_counter() - t) * 1000)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


async def loop_stall_ms(render: Callable[[], object], threaded: bool) -> float:
    """The longest gap between ticks of a 1 ms ticker while one picture renders."""
    gaps: list[float] = []
    done = asyncio.Event()

    async def ticker() -> None:
        last = time.perf_counter()
        while not done.is_set():
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            gaps.append((now - last) * 1000)
            last = now

    task = asyncio.create_task(ticker())
    await asyncio.sleep(0.01)
    if threaded:
        await asyncio.to_thread(render)
    else:
        render()
    await asyncio.sleep(0.01)
    done.set()
    await task
    return max(gaps)


def run(repeats: int) -> list[tuple[str, float, str]]:
    board, history = sample_board(), sample_history()
    baseline = median_ms(empty_png, repeats)
    week = median_ms(lambda: charts.weekly_top_png(board), repeats)
    weeks = median_ms(lambda: charts.history_png(history), repeats)
    cold_base = first_render_ms("from benchmarks.charts import empty_png; empty_png()")
    cold = first_render_ms(
        "from benchmarks.charts import charts, sample_board; charts.weekly_top_png(sample_board())"
    )
    module_import = first_render_ms("import quizbot.charts")
    inline = asyncio.run(loop_stall_ms(lambda: charts.weekly_top_png(board), threaded=False))
    threaded = asyncio.run(loop_stall_ms(lambda: charts.weekly_top_png(board), threaded=True))
    return [
        ("empty figure to PNG (baseline)", baseline, "1.00×"),
        ("weekly top 10", week, f"{week / baseline:.2f}× baseline"),
        ("player's 8 weeks", weeks, f"{weeks / baseline:.2f}× baseline"),
        ("fresh process: empty figure (baseline)", cold_base, "1.00×"),
        ("fresh process: weekly top 10", cold, f"{cold / cold_base:.2f}× baseline"),
        (
            "import quizbot.charts (matplotlib not loaded)",
            module_import,
            f"{module_import / cold_base:.3f}× baseline",
        ),
        ("event loop stall, render inline", inline, "1.00×"),
        ("event loop stall, render in a worker thread", threaded, f"{threaded / inline:.2f}× inline"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.charts", description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20, help="renders timed per picture (median shown)")
    args = parser.parse_args(argv)
    rows = run(args.repeats)
    width = max(len(name) for name, _, _ in rows)
    print(f"{'what':<{width}}  {'ms':>8}  ratio")
    for name, ms, ratio in rows:
        print(f"{name:<{width}}  {ms:8.1f}  {ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
