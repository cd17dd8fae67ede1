"""B1: answers recorded per second through ``QuizEngine.answer``, one transaction per answer.

Measured: the whole use case, as an adapter calls it: read the asked question, check the answer (a
button index, or typed text for short answers), enforce one answer per player and points once per question
(the ``scored_questions`` claim), record it, and update the six score rows (server and channel; all-time,
this week and this month) with points and streaks, committed durably.
Answers come one after another, as SQLite serialises writers anyway.

Baseline: the cheapest durable write the same database can do, one row inserted per transaction
(``BEGIN IMMEDIATE; INSERT; COMMIT``) through the bare driver (sqlite3 / asyncpg), with the engine's own
SQLite pragmas (WAL, ``synchronous=FULL``...). The notes add the same inserts through aiosqlite, the
engine's SQLite driver, to show how much of the gap is the hop to its thread. Engine and baselines run in
alternating blocks, so disk and cache drift hit all of them alike.
"""

from __future__ import annotations

import random
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite

from benchmarks import pg
from benchmarks.dataset import sqlite_url
from benchmarks.harness import Benchmark, Context, Options, Row, backends, fmt_rate, guarded
from benchmarks.synth import CHANNELS, PLATFORM, SERVER, write_bank
from quizbot.domain import AnswerStatus, AskedQuestion, Place, Player
from quizbot.engine import QuizEngine
from quizbot.settings import Settings
from quizbot.store import SQLITE_PRAGMAS

RATIO_TARGET = 0.5
ASKED = 50
"""Public questions answered in turn, so each player answers up to 50 and streaks keep moving."""
WARMUP = 50
BLOCKS = 5

RAW_TABLE = """
CREATE TABLE IF NOT EXISTS raw_answers (
    id {id},
    asked_id INTEGER NOT NULL,
    player_key VARCHAR(100) NOT NULL,
    player_name VARCHAR(100) NOT NULL,
    response VARCHAR(300) NOT NULL,
    correct BOOLEAN NOT NULL,
    points INTEGER NOT NULL,
    answered_at {time} NOT NULL,
    UNIQUE (asked_id, player_key)
)
"""
RAW_INSERT = (
    "INSERT INTO raw_answers (asked_id, player_key, player_name, response, correct, points, answered_at) "
    "VALUES ({})"
)


@dataclass(frozen=True)
class Planned:
    asked_id: int
    player: Player
    response: int | str


def row_names(options: Options) -> list[str]:
    return [f"B1 answers/s {db}" for db in backends(options)]


def bank(ctx: Context) -> Path:
    """A 200-question bank of every type: the answer path reads one question, so size does not matter."""
    folder = ctx.path("b1-bank", "bank_000.yaml").parent
    if not any(folder.iterdir()):
        write_bank(folder, questions=200, files=1, seed=ctx.options.seed)
    return folder


def plan(asked: list[AskedQuestion], count: int, seed: int) -> list[Planned]:
    """``count`` answers: answer ``i`` goes to question ``i % 50`` from player ``i // 50``; most right."""
    rng = random.Random(seed)
    planned: list[Planned] = []
    for i in range(count):
        target = asked[i % len(asked)]
        question = target.question
        user = i // len(asked)
        right = rng.random() < 0.7
        response: int | str
        if question.has_choices:
            assert question.correct_index is not None
            wrong = (question.correct_index + 1) % len(question.choices)
            response = question.correct_index if right else wrong
        else:  # typed: the accepted text with its last letter mistyped (matching decides), or a guess
            response = question.accepted[0][:-1] + "x" if right else "no idea"
        planned.append(Planned(target.id, Player(PLATFORM, f"u{user}", f"Player {user}"), response))
    return planned


async def _record(engine: QuizEngine, answers: list[Planned]) -> float:
    started = time.perf_counter()
    for item in answers:
        result = await engine.answer(item.asked_id, item.player, item.response)
        if result.status is not AnswerStatus.ACCEPTED:
            raise RuntimeError(f"answer not recorded: {result.status} for {item}")
    return time.perf_counter() - started


def _raw_values(i: int) -> tuple[object, ...]:
    return (i % ASKED + 1, f"{PLATFORM}:u{i // ASKED}", f"Player {i // ASKED}", "Option", i % 3 == 0, 2)


def _sqlite_raw(path: Path, first: int, count: int) -> float:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in SQLITE_PRAGMAS:
            conn.execute(pragma)
        conn.execute(RAW_TABLE.format(id="INTEGER PRIMARY KEY", time="DATETIME"))
        sql = RAW_INSERT.format(", ".join("?" * 7))
        started = time.perf_counter()
        for i in range(first, first + count):
            now = datetime.now(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(sql, (*_raw_values(i), now))
            conn.execute("COMMIT")
        return time.perf_counter() - started
    finally:
        conn.close()


async def _aiosqlite_raw(path: Path, first: int, count: int) -> float:
    """The baseline's inserts through aiosqlite, the driver the engine uses: what the async hop costs."""
    async with aiosqlite.connect(path, isolation_level=None) as conn:
        for pragma in SQLITE_PRAGMAS:
            await conn.execute(pragma)
        await conn.execute(RAW_TABLE.format(id="INTEGER PRIMARY KEY", time="DATETIME"))
        sql = RAW_INSERT.format(", ".join("?" * 7))
        started = time.perf_counter()
        for i in range(first, first + count):
            now = datetime.now(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
            await conn.execute("BEGIN IMMEDIATE")
            await conn.execute(sql, (*_raw_values(i), now))
            await conn.execute("COMMIT")
        return time.perf_counter() - started


async def _postgres_raw(url: str, first: int, count: int) -> float:
    conn = await pg.connect(url)
    try:
        await conn.execute(RAW_TABLE.format(id="BIGSERIAL PRIMARY KEY", time="TIMESTAMPTZ"))
        sql = RAW_INSERT.format(", ".join(f"${n}" for n in range(1, 8)))
        started = time.perf_counter()
        for i in range(first, first + count):
            async with conn.transaction():
                await conn.execute(sql, *_raw_values(i), datetime.now(UTC))
        return time.perf_counter() - started
    finally:
        await conn.close()


async def _measure(ctx: Context, db: str, url: str) -> list[Row]:
    options = ctx.options
    engine = await QuizEngine.open(
        Settings(database_url=url, questions=str(bank(ctx))), rng=random.Random(options.seed)
    )
    try:
        place = Place(PLATFORM, SERVER, CHANNELS[0])
        asked = [await engine.ask(place) for _ in range(ASKED)]
        answers = plan(asked, WARMUP + options.answers, options.seed + 1)
        await _record(engine, answers[:WARMUP])
        raw_path = ctx.path("b1", "raw.db")
        block = -(-options.answers // BLOCKS)
        engine_s = raw_s = async_s = 0.0
        for start in range(0, options.answers, block):
            chunk = answers[WARMUP + start : WARMUP + start + block]
            if db == "SQLite":
                raw_s += _sqlite_raw(raw_path, start, len(chunk))
                async_s += await _aiosqlite_raw(ctx.path("b1", "raw_async.db"), start, len(chunk))
            else:
                raw_s += await _postgres_raw(url, start, len(chunk))
            engine_s += await _record(engine, chunk)
    finally:
        await engine.aclose()
    rate, raw_rate = options.answers / engine_s, options.answers / raw_s
    targeted = db == "SQLite"
    note = f"{options.answers} answers, {1000 / rate:.2f} ms each; raw {1000 / raw_rate:.3f} ms"
    values = {"answers_per_s": rate, "baseline_per_s": raw_rate, "ms_per_answer": 1000 / rate}
    if async_s:
        values["aiosqlite_raw_per_s"] = options.answers / async_s
        note += f"; raw through aiosqlite {fmt_rate(options.answers / async_s)}"
    return [
        Row(
            f"B1 answers/s {db}",
            fmt_rate(rate),
            f"raw insert {fmt_rate(raw_rate)}",
            f"{rate / raw_rate:.3f}",
            f"≥ {RATIO_TARGET}" if targeted else "none yet",
            rate / raw_rate >= RATIO_TARGET if targeted else None,
            values,
            note,
        )
    ]


async def _measure_postgres(ctx: Context, admin_url: str) -> list[Row]:
    async with pg.scratch_database(admin_url, "answers") as url:
        return await _measure(ctx, "PostgreSQL", url)


async def run(ctx: Context) -> list[Row]:
    url = sqlite_url(ctx.path("b1", "engine.db"))
    rows = await guarded(["B1 answers/s SQLite"], _measure(ctx, "SQLite", url))
    if ctx.options.postgres:
        rows += await guarded(["B1 answers/s PostgreSQL"], _measure_postgres(ctx, ctx.options.postgres))
    return rows


BENCHMARK = Benchmark("B1", "answers recorded per second", row_names, run)
