"""No point farming: a question earns a player points once per server; repeats on demand are practice."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from quizbot.domain import AnswerStatus, AskedQuestion, AskKind, Period, Place, Player
from quizbot.engine import QuizEngine
from tests.conftest import FakeClock, make_settings

PLACE = Place("test", "server1", "general")
OTHER_SERVER = Place("test", "server2", "general")
ANN = Player("test", "u1", "Ann")
BOB = Player("test", "u2", "Bob")

TWO_QUESTIONS = """\
topic: demo
difficulty: hard
questions:
  - id: demo-one
    type: multiple_choice
    prompt: Which letter is second?
    choices: [Alpha, Beta, Gamma]
    answer: Beta
    explanation: Beta is the second letter of the Greek alphabet.
  - id: demo-two
    type: short_answer
    prompt: Which planet is second from the sun?
    answers: [Venus]
    explanation: Venus orbits between Mercury and Earth.
"""


def right(asked: AskedQuestion) -> int | str:
    q = asked.question
    return q.correct_index if q.correct_index is not None else q.accepted[0]


def wrong(asked: AskedQuestion) -> int | str:
    q = asked.question
    return (q.correct_index + 1) % len(q.choices) if q.correct_index is not None else "Mars"


@pytest.fixture
async def two(db_url: str, clock: FakeClock, tmp_path: Path) -> AsyncIterator[QuizEngine]:
    """An engine whose bank holds two questions, on SQLite and on PostgreSQL."""
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "demo.yaml").write_text(TWO_QUESTIONS, encoding="utf-8")
    engine = await QuizEngine.open(make_settings(db_url, bank), clock=clock, rng=random.Random(5))
    async with engine:
        yield engine


async def boards(engine: QuizEngine, player: Player) -> list[tuple[int, int, int] | None]:
    """The player's (points, correct, answered) on every board they could farm."""
    found: list[tuple[int, int, int] | None] = []
    for period in Period:
        for channel_only in (False, True):
            board = await engine.leaderboard(PLACE, player, period=period, channel_only=channel_only)
            me = board.me
            found.append((me.points, me.correct, me.answered) if me else None)
    return found


async def test_eight_right_answers_to_two_questions_earn_two_questions_worth(two: QuizEngine) -> None:
    results = []
    for _ in range(8):
        asked = await two.ask(PLACE, ANN)
        results.append(await two.answer(asked.id, ANN, right(asked)))

    assert [r.correct for r in results] == [True] * 8
    assert [r.practice for r in results] == [False, False] + [True] * 6
    assert [r.points for r in results] == [3, 3] + [0] * 6
    stats = await two.stats(PLACE, ANN)
    assert (stats.points, stats.answered, stats.correct, stats.streak) == (6, 2, 2, 2)
    assert await boards(two, ANN) == [(6, 2, 2)] * 6  # all time, week and month; server and channel


async def test_a_repeat_is_marked_practice_when_asked_and_explained_when_answered(two: QuizEngine) -> None:
    first = [await two.ask(PLACE, ANN) for _ in range(2)]
    assert [a.practice for a in first] == [False, False]
    for asked in first:
        await two.answer(asked.id, ANN, wrong(asked))

    repeat = await two.ask(PLACE, ANN)
    result = await two.answer(repeat.id, ANN, right(repeat))

    assert repeat.practice and repeat.question.id in {a.question.id for a in first}
    assert result.status is AnswerStatus.ACCEPTED and result.correct and result.practice
    assert (result.points, result.streak) == (0, 0)
    assert result.explanation and result.correct_answer  # still answered and explained
    stats = await two.stats(PLACE, ANN)
    assert (stats.answered, stats.correct, stats.points, stats.best_streak) == (2, 0, 0, 0)


async def test_answering_the_same_practice_question_twice_gives_the_first_result(two: QuizEngine) -> None:
    for _ in range(2):
        asked = await two.ask(PLACE, ANN)
        await two.answer(asked.id, ANN, right(asked))
    repeat = await two.ask(PLACE, ANN)
    await two.answer(repeat.id, ANN, wrong(repeat))

    again = await two.answer(repeat.id, ANN, right(repeat))

    assert again.status is AnswerStatus.ALREADY_ANSWERED and again.practice and not again.correct


async def test_unanswered_questions_come_before_any_repeat(two: QuizEngine) -> None:
    skipped = await two.ask(PLACE, ANN)  # shown, never answered
    answered = await two.ask(PLACE, ANN)
    assert answered.question.id != skipped.question.id
    await two.answer(answered.id, ANN, right(answered))

    for _ in range(3):  # the skipped question keeps coming back, for points, before any repeat
        again = await two.ask(PLACE, ANN)
        assert (again.question.id, again.practice) == (skipped.question.id, False)
    result = await two.answer(again.id, ANN, right(again))

    assert (result.practice, result.points) == (False, 3)
    assert (await two.ask(PLACE, ANN)).practice


async def test_the_first_answer_counts_even_when_wrong(two: QuizEngine) -> None:
    for _ in range(2):
        asked = await two.ask(PLACE, ANN)
        await two.answer(asked.id, ANN, wrong(asked))

    retries = []
    for _ in range(4):
        asked = await two.ask(PLACE, ANN)
        retries.append(await two.answer(asked.id, ANN, right(asked)))

    assert all(r.correct and r.practice and r.points == 0 for r in retries)
    assert (await two.stats(PLACE, ANN)).points == 0


async def test_points_are_earned_once_per_server(two: QuizEngine) -> None:
    for place in (PLACE, OTHER_SERVER, PLACE, OTHER_SERVER):
        for _ in range(2):
            asked = await two.ask(place, ANN)
            await two.answer(asked.id, ANN, right(asked))

    assert (await two.stats(PLACE, ANN)).points == 6
    assert (await two.stats(OTHER_SERVER, ANN)).points == 6


async def test_other_players_are_not_affected(two: QuizEngine) -> None:
    for _ in range(4):
        asked = await two.ask(PLACE, ANN)
        await two.answer(asked.id, ANN, right(asked))

    asked = await two.ask(PLACE, BOB)
    result = await two.answer(asked.id, BOB, right(asked))

    assert not asked.practice and (result.practice, result.points) == (False, 3)


async def test_daily_questions_always_score(two: QuizEngine, clock: FakeClock) -> None:
    for _ in range(2):  # Ann has answered both questions on demand
        asked = await two.ask(PLACE, ANN)
        await two.answer(asked.id, ANN, right(asked))

    daily = []
    for seq in (1, 2, 3):
        clock.advance(days=1)
        asked = await two.ask(PLACE, kind=AskKind.DAILY, daily_seq=seq)
        daily.append(await two.answer(asked.id, ANN, right(asked)))

    assert [(r.practice, r.points) for r in daily] == [(False, 3)] * 3
    assert (await two.stats(PLACE, ANN)).points == 6 + 9


async def test_a_question_answered_as_the_daily_one_is_practice_on_demand(two: QuizEngine) -> None:
    for seq in (1, 2):
        asked = await two.ask(PLACE, kind=AskKind.DAILY, daily_seq=seq)
        await two.answer(asked.id, ANN, right(asked))

    repeat = await two.ask(PLACE, ANN)
    result = await two.answer(repeat.id, ANN, right(repeat))

    assert repeat.practice and (result.practice, result.points) == (True, 0)


async def test_two_open_copies_of_a_question_answered_at_once_score_once(two: QuizEngine) -> None:
    await two.answer((first := await two.ask(PLACE, ANN)).id, ANN, right(first))
    copies = [await two.ask(PLACE, ANN) for _ in range(2)]  # the other question, twice (never answered)
    assert copies[0].question.id == copies[1].question.id != first.question.id
    assert not any(c.practice for c in copies)

    results = await asyncio.gather(*(two.answer(c.id, ANN, right(c)) for c in copies))

    assert sorted((r.practice, r.points) for r in results) == [(False, 3), (True, 0)]
    assert (await two.stats(PLACE, ANN)).points == 6
