"""B7: peak memory of a bot with a 10,000-question bank loaded and 100,000 players scored.

Each figure is the peak resident set size of a fresh interpreter (see :mod:`benchmarks.rss_probe`), so
nothing the benchmark harness itself holds leaks into it:

- baseline: a process that imports the libraries the engine runs on (and the engine's modules) and stops;
- measured: a process that opens a ``QuizEngine`` on the 10k-question bank and the B2 database (100k
  players' score rows), then serves leaderboards (server and channel, all-time and weekly) and stats
  for a few hundred random players.

The difference is what the bank and the data cost a running bot. The probes live in
:mod:`benchmarks.rss_probe`, which imports nothing of the suite.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

from benchmarks.bank_loading import shared_bank
from benchmarks.harness import Benchmark, Context, Options, Row, fmt_mb
from benchmarks.leaderboard import sqlite_board
from benchmarks.rss_probe import PROBE_CALLS

TARGET_MB = 150.0


def row_names(options: Options) -> list[str]:
    return ["B7 peak RSS"]


ROOT = Path(__file__).resolve().parent.parent


async def _run_probe(*args: str) -> dict[str, float]:
    root = ROOT
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")])),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "benchmarks.rss_probe",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
    )
    out, err = await process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"memory probe {args[0]} failed: {err.decode(errors='replace')[-500:]}")
    figures: dict[str, float] = json.loads(out.decode().strip().splitlines()[-1])
    return figures


async def run(ctx: Context) -> list[Row]:
    options = ctx.options
    bank = await shared_bank(ctx)
    url = await sqlite_board(ctx)
    base = await _run_probe("baseline")
    loaded = await _run_probe("loaded", url, str(bank), str(options.users))
    if int(loaded["questions"]) != options.questions:
        raise RuntimeError(f"probe loaded {loaded['questions']:.0f} questions, expected {options.questions}")
    delta = loaded["peak_mb"] - base["peak_mb"]
    return [
        Row(
            "B7 peak RSS",
            fmt_mb(loaded["peak_mb"]),
            f"libraries only {fmt_mb(base['peak_mb'])}",
            f"+{fmt_mb(delta)}",
            f"≤ +{TARGET_MB:.0f} MB",
            delta <= TARGET_MB,
            {"peak_mb": loaded["peak_mb"], "baseline_mb": base["peak_mb"], "delta_mb": delta},
            f"{options.questions:,} questions, {options.users:,} players, {PROBE_CALLS} boards + stats",
        )
    ]


BENCHMARK = Benchmark("B7", "peak memory", row_names, run)
