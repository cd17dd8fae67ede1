"""Group commit: answers that arrive together share one transaction, and each stays exact on its own."""

from __future__ import annotations

import asyncio

from quizbot.domain import AnswerStatus, Place, Player, UnknownAskedError
from quizbot.engine import QuizEngine

PLACE = Place("test", "server1", "general")
PLAYERS = [Player("test", f"u{i}", f"Player {i}") for i in range(50)]


def right(asked) -> int | str:
    q = asked.question
    return q.correct_index if q.has_choices else q.accepted[0]


def wrong(asked) -> int | str:
    q = asked.question
    return (q.correct_index + 1) % len(q.choices) if q.has_choices else "definitely not it"


async def test_fifty_answers_clicked_together_share_a_few_commits_and_all_count(
    any_engine: QuizEngine,
) -> None:
    asked = await any_engine.ask(PLACE)
    commits_before = any_engine.store.commits

    results = await asyncio.gather(*(any_engine.answer(asked.id, p, right(asked)) for p in PLAYERS))

    assert all(r.status is AnswerStatus.ACCEPTED and r.correct for r in results)
    assert any_engine.store.commits - commits_before <= 5  # one commit per batch, not one per answer
    board = await any_engine.leaderboard(PLACE, limit=100)
    assert len(board.entries) == 50
    assert {e.points for e in board.entries} == {asked.question.points}


async def test_a_double_click_in_one_batch_counts_once(any_engine: QuizEngine) -> None:
    asked = await any_engine.ask(PLACE)
    ann = PLAYERS[0]

    first, second = await asyncio.gather(
        any_engine.answer(asked.id, ann, right(asked)), any_engine.answer(asked.id, ann, right(asked))
    )

    assert [first.status, second.status] == [AnswerStatus.ACCEPTED, AnswerStatus.ALREADY_ANSWERED]
    stats = await any_engine.stats(PLACE, ann)
    assert (stats.answered, stats.points) == (1, asked.question.points)


async def test_an_answer_that_fails_in_a_batch_leaves_the_others_recorded(any_engine: QuizEngine) -> None:
    asked = await any_engine.ask(PLACE)
    missing_id = asked.id + 1000

    results = await asyncio.gather(
        any_engine.answer(asked.id, PLAYERS[0], right(asked)),
        any_engine.answer(missing_id, PLAYERS[1], 0),
        any_engine.answer(asked.id, PLAYERS[2], right(asked)),
        return_exceptions=True,
    )

    assert results[0].status is AnswerStatus.ACCEPTED
    assert isinstance(results[1], UnknownAskedError)
    assert results[2].status is AnswerStatus.ACCEPTED
    board = await any_engine.leaderboard(PLACE)
    assert [e.player_key for e in board.entries] == sorted(["test:u0", "test:u2"], reverse=True)


async def test_streaks_stay_exact_when_every_answer_is_batched(any_engine: QuizEngine) -> None:
    questions = [await any_engine.ask(PLACE) for _ in range(3)]

    for asked in questions:  # each round, everyone answers together; Ann always right, Bob wrong last
        await asyncio.gather(
            any_engine.answer(asked.id, PLAYERS[0], right(asked)),
            any_engine.answer(
                asked.id, PLAYERS[1], right(asked) if asked is not questions[-1] else wrong(asked)
            ),
        )

    ann, bob = await any_engine.stats(PLACE, PLAYERS[0]), await any_engine.stats(PLACE, PLAYERS[1])
    assert (ann.streak, ann.best_streak, ann.correct) == (3, 3, 3)
    assert (bob.streak, bob.best_streak, bob.correct) == (0, 2, 2)
