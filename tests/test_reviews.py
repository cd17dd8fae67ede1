"""Personal reviews: every answer schedules its question again (FSRS, in days); due ones come first."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from quizbot.domain import AnswerStatus, AskedQuestion, AskKind, NoReviewDueError, Place, Player
from quizbot.engine import QuizEngine
from tests.conftest import FakeClock, make_settings
from tests.test_practice import TWO_QUESTIONS, right, wrong

PLACE = Place("test", "server1", "general")
OTHER_SERVER = Place("test", "server2", "general")
ANN = Player("test", "u1", "Ann")
BOB = Player("test", "u2", "Bob")

THREE_TOPICS = (
    TWO_QUESTIONS
    + """\
  - id: demo-three
    type: true_false
    prompt: The sun is a star.
    answer: true
    explanation: It is the star of our solar system.
"""
)


@pytest.fixture
async def two(db_url: str, clock: FakeClock, tmp_path: Path) -> AsyncIterator[QuizEngine]:
    """An engine whose bank holds three questions of one topic, on SQLite and on PostgreSQL."""
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "demo.yaml").write_text(THREE_TOPICS, encoding="utf-8")
    engine = await QuizEngine.open(make_settings(db_url, bank), clock=clock, rng=random.Random(5))
    async with engine:
        yield engine


async def answer(engine: QuizEngine, asked: AskedQuestion, *, correct: bool, player: Player = ANN) -> None:
    result = await engine.answer(asked.id, player, right(asked) if correct else wrong(asked))
    assert result.status is AnswerStatus.ACCEPTED


async def test_a_missed_question_comes_back_as_a_review_the_next_day(
    two: QuizEngine, clock: FakeClock
) -> None:
    missed = await two.ask(PLACE, ANN)
    await answer(two, missed, correct=False)
    fresh = await two.ask(PLACE, ANN)
    assert not fresh.review and fresh.question.id != missed.question.id  # not due yet: unseen comes first
    clock.advance(days=1)
    again = await two.ask(PLACE, ANN)
    assert again.review and again.practice and again.question.id == missed.question.id
    result = await two.answer(again.id, ANN, right(again))
    assert result.practice and result.points == 0 and result.correct


async def test_a_right_answer_is_due_later_than_a_wrong_one(two: QuizEngine, clock: FakeClock) -> None:
    first = await two.ask(PLACE, ANN)
    await answer(two, first, correct=True)
    second = await two.ask(PLACE, ANN)
    await answer(two, second, correct=False)
    clock.advance(days=1, hours=1)
    stats = (await two.stats(PLACE, ANN)).reviews
    assert stats is not None and stats.due_now == 1  # only the missed one is due after a day
    assert stats.next_due is not None and stats.next_due > clock()
    review = await two.ask(PLACE, ANN)
    assert review.review and review.question.id == second.question.id


async def test_review_only_says_when_the_next_review_is_due(two: QuizEngine, clock: FakeClock) -> None:
    with pytest.raises(NoReviewDueError, match="No reviews yet"):
        await two.ask(PLACE, ANN, review_only=True)
    asked = await two.ask(PLACE, ANN)
    await answer(two, asked, correct=False)
    with pytest.raises(NoReviewDueError, match="The next one is due tomorrow at 12:00 UTC"):
        await two.ask(PLACE, ANN, review_only=True)
    clock.advance(days=1)
    review = await two.ask(PLACE, ANN, review_only=True)
    assert review.review and review.question.id == asked.question.id


async def test_daily_and_practice_answers_review_the_card_too(two: QuizEngine, clock: FakeClock) -> None:
    daily = await two.ask(PLACE, kind=AskKind.DAILY, daily_seq=1)
    await answer(two, daily, correct=False)
    clock.advance(days=1)
    review = await two.ask(PLACE, ANN)
    assert review.review and review.question.id == daily.question.id
    await answer(two, review, correct=True)  # a practice answer moves the card on
    stats = (await two.stats(PLACE, ANN)).reviews
    assert stats is not None and stats.due_now == 0 and stats.next_due is not None
    assert stats.next_due - clock() >= timedelta(days=1)


async def test_reviews_belong_to_one_player_and_one_server(two: QuizEngine, clock: FakeClock) -> None:
    asked = await two.ask(PLACE, ANN)
    await answer(two, asked, correct=False)
    clock.advance(days=2)
    assert not (await two.ask(PLACE, BOB)).review
    assert not (await two.ask(OTHER_SERVER, ANN)).review
    with pytest.raises(NoReviewDueError):
        await two.ask(OTHER_SERVER, ANN, review_only=True)


async def test_mastery_counts_questions_recalled_above_the_target(two: QuizEngine, clock: FakeClock) -> None:
    for _ in range(3):
        asked = await two.ask(PLACE, ANN)
        await answer(two, asked, correct=asked.question.id != "demo-two")
    stats = (await two.stats(PLACE, ANN)).reviews
    assert stats is not None
    # just answered: the two right ones are mastered, the missed one (demo-two) is not, though FSRS rates
    # any card just shown as recalled
    assert [(t.topic, t.mastered, t.total) for t in stats.topics] == [("demo", 2, 3)]
    clock.advance(days=30)
    later = (await two.stats(PLACE, ANN)).reviews
    assert later is not None and later.due_now == 3
    assert [(t.mastered, t.total) for t in later.topics] == [(0, 3)]  # a month on, all are fading


async def test_a_weekly_reminder_goes_once_to_players_who_opted_in(two: QuizEngine, clock: FakeClock) -> None:
    for player in (ANN, BOB):
        asked = await two.ask(PLACE, player)
        await answer(two, asked, correct=False, player=player)
    clock.advance(days=1)
    assert await two.claim_reminders("test") == []  # off by default
    await two.set_reminders(ANN, True)
    assert await two.reminders_on(ANN) and not await two.reminders_on(BOB)
    [reminder] = await two.claim_reminders("test")
    assert (reminder.player_id, reminder.due, reminder.due_text) == ("u1", 1, "1 review is due")
    assert await two.claim_reminders("test") == []  # once a week
    clock.advance(days=6)
    assert await two.claim_reminders("test") == []
    clock.advance(days=1)
    assert [r.player_id for r in await two.claim_reminders("test")] == ["u1"]
    await two.set_reminders(ANN, False)
    clock.advance(days=7)
    assert await two.claim_reminders("test") == []


async def test_no_reminder_without_due_reviews(two: QuizEngine, clock: FakeClock) -> None:
    await two.set_reminders(ANN, True)
    asked = await two.ask(PLACE, ANN)
    await answer(two, asked, correct=True)
    assert await two.claim_reminders("test") == []


async def test_forgetting_a_player_deletes_their_cards_and_reminder(
    two: QuizEngine, clock: FakeClock
) -> None:
    asked = await two.ask(PLACE, ANN)
    await answer(two, asked, correct=False)
    await two.set_reminders(ANN, True)
    async with two.store.unit() as unit:
        deleted = await unit.forget_player(ANN.key, None)
    assert (deleted["review cards"], deleted["review reminders"]) == (1, 1)
    clock.advance(days=2)
    assert not (await two.ask(PLACE, ANN)).review and not await two.reminders_on(ANN)


def test_a_question_just_missed_is_not_mastered_and_one_just_answered_right_is() -> None:
    from datetime import UTC, datetime

    from quizbot.recall import reviewed

    now = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    missed = reviewed(None, "q1", False, now)
    right = reviewed(None, "q2", True, now)
    assert missed.recall(now) >= 0.9  # FSRS: just shown, so "recalled" for a moment
    assert not missed.mastered(now)
    assert right.mastered(now)
