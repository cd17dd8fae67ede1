"""B9: scale-out. Answers recorded per second by two bot processes sharing one PostgreSQL database, against
one process, in the same run.

Measured: ``QuizEngine.answer`` (the whole answer use case of B1, group commit included) driven with
``IN_FLIGHT`` answers waiting at any moment, as clicks on busy daily posts: different players on the same
questions. Each engine runs in a fresh process of its own (``python -m benchmarks.scale_out``, see
:mod:`benchmarks.platform_process`), as ``quizbot run`` would, with its own event loop and connection pool.
*One process* records every answer of a block with ``IN_FLIGHT`` in flight; *two processes* split the same
number of answers on the same questions between them, every other one, each with half as many in flight:
the same offered load, spread by a load balancer. The figure is the two processes' combined rate (first
answer sent to the last one committed, timed by the suite), the baseline the one process's rate; the two
modes run in alternating blocks so that drift hits both alike.

The answers are generated inside each bot process (no HTTP in front): what is measured is what a second
process adds to the answer path and what the shared database takes away. On a 2-core machine the
PostgreSQL server shares the cores with the bot processes.
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from benchmarks import pg
from benchmarks.answers import ASKED, Planned, _across_players, bank, plan
from benchmarks.harness import Benchmark, Context, Options, Row, fmt_rate, guarded
from benchmarks.platform_process import PlatformProcess, serve
from benchmarks.synth import CHANNELS, PLATFORM, SERVER
from quizbot.domain import AnswerStatus, Place, Player
from quizbot.engine import QuizEngine
from quizbot.settings import Settings

IN_FLIGHT = 50
"""Answers waiting at any moment, in all: 50 in one process, or 25 in each of two."""
RATIO_TARGET = 1.6
"""Two processes should record at least 1.6 times as many answers per second as one."""
BLOCKS = 3
"""Blocks per mode, alternating one process, two processes, one process..."""
WARMUP = 50
ROW = "B9 scale-out answers/s 2 processes, PostgreSQL"


def row_names(options: Options) -> list[str]:
    return [ROW] if options.postgres else []


def _wire(answers: list[Planned]) -> list[list[Any]]:
    return [[a.asked_id, a.player.id, a.player.name, a.response] for a in answers]


async def _block(engine: QuizEngine, count: int, seed: int) -> list[Planned]:
    """``count`` answers to ``ASKED`` newly asked public questions, ordered question by question, by
    players of their own (``u<seed>-<n>``): each answer is a first answer that scores, as in B1."""
    place = Place(PLATFORM, SERVER, CHANNELS[0])
    asked = [await engine.ask(place) for _ in range(ASKED)]
    ordered = _across_players(plan(asked, count, seed))
    return [replace(a, player=Player(PLATFORM, f"u{seed}-{a.player.id[1:]}", a.player.name)) for a in ordered]


def machine_cpu() -> tuple[float, float] | None:
    """(busy, all) CPU seconds of the whole machine since boot, from ``/proc/stat``; None elsewhere."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = [float(v) for v in stat.readline().split()[1:9]]
    except OSError:
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + fields[4]  # idle and iowait
    return (sum(fields) - idle) / ticks, sum(fields) / ticks


def postgres_cpu() -> float | None:
    """CPU seconds used so far by every ``postgres`` process on this machine (server and backends), from
    ``/proc``; None where there is no ``/proc``. Other clients of the same server count too."""
    proc = Path("/proc")
    if not (proc / "stat").exists():
        return None
    ticks = 0
    for stat in proc.glob("[0-9]*/stat"):
        try:
            text = stat.read_text(encoding="ascii", errors="replace")
        except OSError:  # the process ended meanwhile
            continue
        name, _, rest = text.partition(") ")
        if name.endswith("(postgres"):
            fields = rest.split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


@dataclass
class Mode:
    """What one mode (one process or two) took over all its blocks."""

    seconds: float = 0.0
    commits: int = 0
    bot_cpu: float = 0.0
    """CPU seconds the bot processes spent, all together."""
    busy: float = 0.0
    """CPU seconds the whole machine was busy (bots, PostgreSQL, the suite and anything else)."""
    capacity: float = 0.0
    """CPU seconds the machine had (cores × wall time)."""
    postgres_cpu: float = 0.0
    """CPU seconds PostgreSQL's processes spent."""


async def _timed(bots: list[PlatformProcess], answers: list[Planned], mode: Mode) -> None:
    """``bots`` record ``answers`` together, split every other one between them; adds to ``mode``."""
    shares = [answers[i :: len(bots)] for i in range(len(bots))]
    in_flight = IN_FLIGHT // len(bots)
    cpu_before, pg_before = machine_cpu(), postgres_cpu()
    started = time.perf_counter()
    done = await asyncio.gather(
        *(
            bot.call("answer", answers=_wire(share), in_flight=in_flight)
            for bot, share in zip(bots, shares, strict=True)
        )
    )
    mode.seconds += time.perf_counter() - started
    cpu_after, pg_after = machine_cpu(), postgres_cpu()
    recorded = sum(d["recorded"] for d in done)
    if recorded != len(answers):
        raise RuntimeError(f"recorded {recorded} of {len(answers)} answers")
    mode.commits += sum(d["commits"] for d in done)
    mode.bot_cpu += sum(d["cpu"] for d in done)
    if cpu_before is not None and cpu_after is not None:
        mode.busy += cpu_after[0] - cpu_before[0]
        mode.capacity += cpu_after[1] - cpu_before[1]
    if pg_before is not None and pg_after is not None:
        mode.postgres_cpu += pg_after - pg_before


async def _measure(ctx: Context, url: str) -> list[Row]:
    options = ctx.options
    folder = bank(ctx)
    engine = await QuizEngine.open(Settings(database_url=url, questions=str(folder)), rng=random.Random(1))
    bots = [
        await PlatformProcess.start(__name__, ctx.path("b9", f"bot-{name}.stderr"), "bot") for name in "AB"
    ]
    try:
        for i, bot in enumerate(bots):
            await bot.call("start", url=url, questions=str(folder), seed=options.seed + i)
            await bot.call("answer", answers=_wire(await _block(engine, WARMUP, options.seed + 10 + i)))
        per_block = max(ASKED, options.answers // BLOCKS)
        modes = [Mode(), Mode()]
        for block in range(BLOCKS):
            for n, mode in enumerate(modes):
                answers = await _block(engine, per_block, options.seed + 100 * (n + 1) + block)
                await _timed(bots[: n + 1], answers, mode)
    finally:
        for bot in bots:
            await bot.aclose()
        await engine.aclose()
    total = per_block * BLOCKS
    one, two = (total / m.seconds for m in modes)
    ratio = two / one
    note = (
        f"{total:,} answers per mode in {BLOCKS} alternating blocks, {IN_FLIGHT} in flight in all "
        f"({IN_FLIGHT // 2} per process with two); answers generated in the bot processes. "
        + "; ".join(f"{label}: {_usage(m, total)}" for label, m in zip(("one", "two"), modes, strict=True))
    )
    return [
        Row(
            ROW,
            fmt_rate(two),
            f"1 process {fmt_rate(one)}",
            f"{ratio:.2f}×",
            f"≥ {RATIO_TARGET}×",
            ratio >= RATIO_TARGET,
            {"answers_per_s_two": two, "answers_per_s_one": one, "ratio": ratio}
            | {
                f"{k}_{label}": v
                for label, m in zip(("one", "two"), modes, strict=True)
                for k, v in asdict(m).items()
            },
            note,
        )
    ]


def _usage(mode: Mode, total: int) -> str:
    """Answers per commit, the bots' CPU per answer, and how busy the machine's cores were meanwhile."""
    busy = f", machine CPU {mode.busy / mode.capacity:.0%} busy" if mode.capacity else ""
    postgres = f", PostgreSQL CPU {1000 * mode.postgres_cpu / total:.2f} ms" if mode.postgres_cpu else ""
    return (
        f"{total / max(mode.commits, 1):.1f} answers per commit, "
        f"CPU per answer: bots {1000 * mode.bot_cpu / total:.2f} ms{postgres}{busy}"
    )


async def run(ctx: Context) -> list[Row]:
    admin = ctx.options.postgres
    if not admin:
        return []

    async def measure() -> list[Row]:
        async with pg.scratch_database(admin, "scale") as url:
            return await _measure(ctx, url)

    return await guarded([ROW], measure())


BENCHMARK = Benchmark("B9", "scale-out: two bot processes on one PostgreSQL database", row_names, run)


# -- a bot process (the child) ------------------------------------------------------------------------------


class BotSide:
    """One engine, as ``quizbot run`` holds it, recording the answers the suite hands it."""

    def __init__(self) -> None:
        self.engine: QuizEngine | None = None

    async def start(self, url: str, questions: str, seed: int) -> dict[str, Any]:
        settings = Settings(_env_file=None, database_url=url, questions=questions)
        self.engine = await QuizEngine.open(settings, create=False, rng=random.Random(seed))
        return {}

    async def answer(self, answers: list[list[Any]], in_flight: int = 1) -> dict[str, Any]:
        """Record ``answers`` with ``in_flight`` of them waiting at any moment; every one must be accepted."""
        engine = self.engine
        assert engine is not None
        queue = iter(answers)

        async def clicker() -> None:
            for asked_id, player_id, name, response in queue:
                result = await engine.answer(asked_id, Player(PLATFORM, player_id, name), response)
                if result.status is not AnswerStatus.ACCEPTED:
                    raise RuntimeError(f"answer not recorded: {result.status} for {player_id} on {asked_id}")

        before, cpu = engine.store.commits, time.process_time()
        await asyncio.gather(*(clicker() for _ in range(in_flight)))
        return {
            "recorded": len(answers),
            "commits": engine.store.commits - before,
            "cpu": time.process_time() - cpu,
        }

    async def aclose(self) -> None:
        if self.engine is not None:
            await self.engine.aclose()


def main() -> None:
    bot = BotSide()
    serve({"start": bot.start, "answer": bot.answer}, on_exit=bot.aclose)


if __name__ == "__main__":
    sys.exit(main())
