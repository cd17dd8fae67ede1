"""The benchmarks ``python -m benchmarks`` runs, in table order.

To add one (B4 Slack, B5 Discord, B6 fan-out...), write a module exposing ``BENCHMARK =
Benchmark(key, title, rows, run)`` where ``run(ctx)`` is an async callable returning
:class:`~benchmarks.harness.Row` objects and ``rows(options)`` names them, then list it here.
"""

from __future__ import annotations

from benchmarks import (
    answers,
    bank_loading,
    daily_burst,
    discord_interactions,
    fanout,
    leaderboard,
    memory,
    scale_out,
    slack_clicks,
)
from benchmarks.harness import Benchmark, Options

SUITE: list[Benchmark] = [
    answers.BENCHMARK,
    leaderboard.BENCHMARK,
    bank_loading.BENCHMARK,
    slack_clicks.BENCHMARK,
    discord_interactions.BENCHMARK,
    fanout.BENCHMARK,
    memory.BENCHMARK,
    daily_burst.BENCHMARK,
    scale_out.BENCHMARK,
]


def selected(options: Options) -> list[Benchmark]:
    return [b for b in SUITE if options.wants(b.key)]


def expected_rows(options: Options) -> list[str]:
    """Every row name a run with ``options`` prints, in order."""
    return [name for b in selected(options) for name in b.rows(options)]
