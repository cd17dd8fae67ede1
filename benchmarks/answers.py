"""B1: answers recorded per second through ``QuizEngine.answer``, one at a time (B1) and 50 in flight (B1c).

Measured: the whole use case, as an adapter calls it: read the asked question, check the answer (a
button index, or typed text for short answers), enforce one answer per player and points once per question
(the ``scored_questions`` claim), record it, and update the six score rows (server and channel; all-time,
this week and this month) with points and streaks, committed durably.
B1 sends answers one after another: each is alone in its transaction. B1c keeps 50 in flight, as players
clicking one daily post: answers that wait together share one transaction and one commit (group commit).

Baseline: the cheapest durable write the same database can do, one row inserted per transaction
(``BEGIN IMMEDIATE; INSERT; COMMIT``) through the bare driver (sqlite3 / asyncpg), with the engine's own
SQLite pragmas (WAL, ``synchronous=FULL``...). The notes add the same inserts through aiosqlite, the
engine's SQLite driver, to show how much of the gap is the hop to its thread. Engine and baselines run in
alternating blocks, so disk and cache drift hit all of them alike.
"""

from __future__ import annotations

import asyncio
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

RATIO_TARGET = {"SQLite": 0.25, "PostgreSQL": 0.35}
"""One at a time, an answer does several statements where the baseline does one insert."""
IN_FLIGHT = 50
IN_FLIGHT_TARGET = 1.0
"""With 50 answers in flight, group commit shares one durable commit among them: the engine must record
at least as many answers per second as the bare driver commits single rows one at a time."""
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
    return [name for db in backends(options) for name in _names(db)]


def _names(db: str) -> list[str]:
    return [f"B1 answers/s {db}", f"B1c answers/s {IN_FLIGHT} in flight {db}"]


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


async def _record_in_flight(engine: QuizEngine, answers: list[Planned], in_flight: int) -> float:
    """``answers`` with ``in_flight`` of them waiting at any moment, as clicks on a busy daily post."""
    queue = iter(answers)

    async def clicker() -> None:
        for item in queue:
            result = await engine.answer(item.asked_id, item.player, item.response)
            if result.status is not AnswerStatus.ACCEPTED:
                raise RuntimeError(f"answer not recorded: {result.status} for {item}")

    started = time.perf_counter()
    await asyncio.gather(*(clicker() for _ in range(in_flight)))
    return time.perf_counter() - started


def _across_players(answers: list[Planned]) -> list[Planned]:
    """The same answers ordered question by question: clicks in flight together come from different
    players on the same question, as on a daily post (not one player answering 50 questions at once)."""
    return sorted(answers, key=lambda a: (a.asked_id, int(a.player.id[1:])))


def _raw_values(i: int) -> tuple[object, ...]:
    return (i % ASKED + 1, f"{PLATFORM}:u{i // ASKED}", f"Player {i // ASKED}", "Option", i % 3 == 0, 2)


def _sqlite_raw(path: Path, first: int, count: int) -> float:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in ("PRAGMA journal_mode=WAL", *SQLITE_PRAGMAS):
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
        for pragma in ("PRAGMA journal_mode=WAL", *SQLITE_PRAGMAS):
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
        clicked = [await engine.ask(place) for _ in range(ASKED)]
        clicks = _across_players(plan(clicked, options.answers, options.seed + 2))
        await _record(engine, answers[:WARMUP])
        raw_path = ctx.path("b1", "raw.db")
        block = -(-options.answers // BLOCKS)
        engine_s = raw_s = async_s = flight_s = 0.0
        commits = 0
        for start in range(0, options.answers, block):
            chunk = answers[WARMUP + start : WARMUP + start + block]
            if db == "SQLite":
                raw_s += _sqlite_raw(raw_path, start, len(chunk))
                async_s += await _aiosqlite_raw(ctx.path("b1", "raw_async.db"), start, len(chunk))
            else:
                raw_s += await _postgres_raw(url, start, len(chunk))
            engine_s += await _record(engine, chunk)
            before = engine.store.commits
            flight_s += await _record_in_flight(engine, clicks[start : start + block], IN_FLIGHT)
            commits += engine.store.commits - before
    finally:
        await engine.aclose()
    rate, raw_rate, flight = (options.answers / s for s in (engine_s, raw_s, flight_s))
    note = f"{options.answers} answers, {1000 / rate:.2f} ms each; raw {1000 / raw_rate:.3f} ms"
    values = {"answers_per_s": rate, "baseline_per_s": raw_rate, "ms_per_answer": 1000 / rate}
    if async_s:
        values["aiosqlite_raw_per_s"] = options.answers / async_s
        note += f"; raw through aiosqlite {fmt_rate(options.answers / async_s)}"
    one, many = _names(db)
    return [
        Row(
            one,
            fmt_rate(rate),
            f"raw insert {fmt_rate(raw_rate)}",
            f"{rate / raw_rate:.3f}",
            f"≥ {RATIO_TARGET[db]}",
            rate / raw_rate >= RATIO_TARGET[db],
            values,
            note,
        ),
        Row(
            many,
            fmt_rate(flight),
            f"raw insert {fmt_rate(raw_rate)}",
            f"{flight / raw_rate:.3f}",
            f"≥ {IN_FLIGHT_TARGET}",
            flight / raw_rate >= IN_FLIGHT_TARGET,
            {"answers_per_s": flight, "baseline_per_s": raw_rate, "commits": commits},
            f"{options.answers} answers in {commits} commits, {options.answers / max(commits, 1):.1f} each",
        ),
    ]


async def _measure_postgres(ctx: Context, admin_url: str) -> list[Row]:
    async with pg.scratch_database(admin_url, "answers") as url:
        return await _measure(ctx, "PostgreSQL", url)


async def run(ctx: Context) -> list[Row]:
    url = sqlite_url(ctx.path("b1", "engine.db"))
    rows = await guarded(_names("SQLite"), _measure(ctx, "SQLite", url))
    if ctx.options.postgres:
        rows += await guarded(_names("PostgreSQL"), _measure_postgres(ctx, ctx.options.postgres))
    return rows


BENCHMARK = Benchmark("B1", "answers recorded per second", row_names, run)
