"""``python -m benchmarks.reviews``: what personal reviews cost ``/quiz``, against a same-run baseline.

Three players ask on a bank of ``--questions`` questions (SQLite): one who has answered nothing (the
baseline: no cards, an unseen question), one who answered ``--answered`` questions none of which is due yet
(cards read, nothing served from them), and the same player days later with every card due (a review is
served). Each ask is timed ``--asks`` times; the answer that updates a card is timed too. Ratios are to the
baseline ask measured in this run.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.synth import write_bank
from quizbot.domain import Place, Player
from quizbot.engine import QuizEngine
from quizbot.settings import Settings

PLACE = Place("bench", "server", "channel")


class _Clock:
    """The engine's clock, moved by hand so that cards fall due without waiting."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 18, 12, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


async def _timed_asks(engine: QuizEngine, player: Player, asks: int, *, answer: bool = False) -> list[float]:
    samples = []
    for _ in range(asks):
        start = time.perf_counter()
        asked = await engine.ask(PLACE, player)
        if answer:
            await engine.answer(asked.id, player, 0 if asked.question.has_choices else "x")
        samples.append(time.perf_counter() - start)
    return samples


async def run(questions: int, answered: int, asks: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        bank = Path(folder) / "bank"
        bank.mkdir()
        write_bank(bank, questions, 4, seed=1)
        settings = Settings(_env_file=None, database_url=f"sqlite:///{folder}/bench.db", questions=str(bank))
        clock = _Clock()
        async with await QuizEngine.open(settings, clock=clock, rng=random.Random(1)) as engine:
            veteran = Player("bench", "veteran", "Veteran")
            for _ in range(answered):
                asked = await engine.ask(PLACE, veteran)
                await engine.answer(asked.id, veteran, 0 if asked.question.has_choices else "x")
            fresh = [Player("bench", f"new{i}", "New") for i in range(asks)]
            baseline = [statistics.median(await _timed_asks(engine, p, 1)) for p in fresh]
            not_due = await _timed_asks(engine, veteran, asks)
            clock.now += timedelta(days=400)  # every card is due
            due = await _timed_asks(engine, veteran, asks)
            answer_due = await _timed_asks(engine, veteran, asks, answer=True)
    base = statistics.median(baseline)
    print(f"bank {questions:,} questions; veteran answered {answered:,}; {asks} asks each (median)")
    rows = [
        ("ask, new player (baseline)", base),
        (f"ask, {answered:,} cards, none due", statistics.median(not_due)),
        (f"ask, {answered:,} cards, all due (review served)", statistics.median(due)),
        ("ask + answer of a review (card updated)", statistics.median(answer_due)),
    ]
    for name, seconds in rows:
        print(f"{name:<48} {seconds * 1000:8.2f} ms  x{seconds / base:5.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.reviews", description=__doc__)
    parser.add_argument("--questions", type=int, default=2_000)
    parser.add_argument("--answered", type=int, default=1_000)
    parser.add_argument("--asks", type=int, default=50)
    args = parser.parse_args()
    asyncio.run(run(args.questions, args.answered, args.asks))


if __name__ == "__main__":
    main()
