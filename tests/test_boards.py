"""The monthly board (reset on the 1st in the scope's time zone) and the accuracy board (share right)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from quizbot.domain import AskKind, Difficulty, Period, Place, Player, Ranking
from quizbot.engine import ACCURACY_MIN_ANSWERS, QuizEngine
from tests.conftest import FakeClock

PLACE = Place("test", "server1", "general")
ANN = Player("test", "u1", "Ann")
BOB = Player("test", "u2", "Bob")


async def answer_daily(
    engine: QuizEngine, player: Player, *, right: bool = True, place: Place = PLACE
) -> None:
    """One easy (1-point) daily question of the channel, answered right or wrong by ``player``."""
    asked = await engine.ask(place, kind=AskKind.DAILY, difficulty=Difficulty.EASY)
    q = asked.question
    assert q.correct_index is not None
    await engine.answer(
        asked.id, player, q.correct_index if right else (q.correct_index + 1) % len(q.choices)
    )


def points(board) -> list[tuple[str, int]]:
    return [(e.name, e.points) for e in board.entries]


async def test_monthly_board_starts_again_on_the_first(any_engine: QuizEngine, clock: FakeClock) -> None:
    clock.set(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
    await answer_daily(any_engine, ANN)
    clock.set(datetime(2026, 11, 30, 23, 59, tzinfo=UTC))  # last minute of November
    await answer_daily(any_engine, BOB)
    await answer_daily(any_engine, BOB)
    month = await any_engine.leaderboard(PLACE, ANN, period=Period.MONTH)
    assert points(month) == [("Bob", 2), ("Ann", 1)]
    assert (month.month_start, month.week_start, month.final) == (date(2026, 11, 1), None, False)

    clock.set(datetime(2026, 12, 1, 0, 1, tzinfo=UTC))
    assert (await any_engine.leaderboard(PLACE, period=Period.MONTH)).entries == ()
    await answer_daily(any_engine, ANN)
    assert points(await any_engine.leaderboard(PLACE, period=Period.MONTH)) == [("Ann", 1)]
    assert sorted(points(await any_engine.leaderboard(PLACE, period=Period.ALL))) == [("Ann", 2), ("Bob", 2)]
    november = await any_engine.leaderboard(
        PLACE, period=Period.MONTH, week_of=datetime(2026, 11, 15, tzinfo=UTC)
    )
    assert points(november) == [("Bob", 2), ("Ann", 1)] and november.final


async def test_channel_month_follows_the_channel_time_zone(engine: QuizEngine, clock: FakeClock) -> None:
    await engine.set_schedule(PLACE, "09:00", "Pacific/Auckland")
    clock.set(datetime(2026, 11, 30, 12, 30, tzinfo=UTC))  # 30 November in UTC, 1 December in Auckland
    await answer_daily(engine, ANN)

    channel = await engine.leaderboard(PLACE, period=Period.MONTH, channel_only=True)
    server = await engine.leaderboard(PLACE, period=Period.MONTH)  # server boards keep UTC months

    assert points(channel) == [("Ann", 1)] and channel.month_start == date(2026, 12, 1)
    assert points(server) == [("Ann", 1)] and server.month_start == date(2026, 11, 1)
    clock.set(datetime(2026, 11, 30, 23, 0, tzinfo=UTC))  # still 30 November in UTC: the same server month
    assert points(await engine.leaderboard(PLACE, period=Period.MONTH)) == [("Ann", 1)]


async def test_accuracy_board_ranks_by_share_right_from_the_minimum_answers(any_engine: QuizEngine) -> None:
    careful = Player("test", "u3", "Cleo")
    lucky = Player("test", "u4", "Dan")
    for n in range(20):  # Ann: 14/20 right = 70%, most points
        await answer_daily(any_engine, ANN, right=n < 14)
    for n in range(ACCURACY_MIN_ANSWERS):  # Cleo: 9/10 = 90%, fewer points
        await answer_daily(any_engine, careful, right=n < 9)
    for n in range(ACCURACY_MIN_ANSWERS):  # Bob: 7/10 = 70%, a tie with Ann
        await answer_daily(any_engine, BOB, right=n < 7)
    for _ in range(ACCURACY_MIN_ANSWERS - 1):  # Dan: 9/9 = 100%, one answer short of being ranked
        await answer_daily(any_engine, lucky)

    by_points = await any_engine.leaderboard(PLACE, careful)
    accuracy = await any_engine.leaderboard(PLACE, careful, ranking=Ranking.ACCURACY)

    assert [e.name for e in by_points.entries][:2] == ["Ann", "Dan"]
    assert accuracy.ranking is Ranking.ACCURACY and accuracy.min_answers == ACCURACY_MIN_ANSWERS
    assert [(e.rank, e.name, e.correct, e.answered) for e in accuracy.entries] == [
        (1, "Cleo", 9, 10),
        (2, "Ann", 14, 20),  # equal share: the one with more answers is listed first, same rank
        (2, "Bob", 7, 10),
    ]
    assert accuracy.me is not None and accuracy.me.rank == 1 and accuracy.me.accuracy == 0.9
    unranked = await any_engine.leaderboard(PLACE, lucky, ranking=Ranking.ACCURACY)
    assert unranked.me is None  # 9 answers: not on the accuracy board yet
    short = await any_engine.leaderboard(PLACE, BOB, ranking=Ranking.ACCURACY, limit=1)
    assert [e.name for e in short.entries] == ["Cleo"]
    assert short.me is not None and (short.me.rank, short.me.name) == (2, "Bob")  # rank outside the top
