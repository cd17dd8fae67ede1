"""Typed answers through the engine: forgiven typos say what they were taken as, authors' near misses and
``typos: false`` hold, and an answer of invisible characters is refused without using up the turn."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from quizbot.domain import AnswerStatus, Place, Player
from quizbot.engine import QuizEngine
from tests.conftest import FakeClock, make_settings

PLACE = Place("test", "server1", "general")
ANN = Player("test", "u1", "Ann")

BANK = """\
topic: typed
questions:
  - id: hadoop
    type: short_answer
    prompt: Which Apache framework stores big data in HDFS?
    answers: [Apache Hadoop, Hadoop]
    explanation: Hadoop.
  - id: bacta
    type: short_answer
    prompt: What heals wounds in a Star Wars tank?
    answers: [Bacta]
    reject: [Bacca]
    explanation: Bacta.
  - id: strict
    type: short_answer
    prompt: Which engine processes data in memory?
    answers: [Spark]
    typos: false
    explanation: Spark.
  - id: kingston
    type: short_answer
    prompt: Capital of Jamaica?
    answers: [Kingston]
    explanation: Kingston.
  - id: kingstown
    type: short_answer
    prompt: Capital of Saint Vincent and the Grenadines?
    answers: [Kingstown]
    explanation: Kingstown.
"""


@pytest.fixture
async def typed_engine(tmp_path: Path, clock: FakeClock) -> AsyncIterator[QuizEngine]:
    (tmp_path / "bank").mkdir()
    (tmp_path / "bank" / "typed.yaml").write_text(BANK, encoding="utf-8")
    settings = make_settings(f"sqlite+aiosqlite:///{(tmp_path / 'q.db').as_posix()}", tmp_path / "bank")
    async with await QuizEngine.open(settings, clock=clock, rng=random.Random(3)) as engine:
        yield engine


async def _answer(engine: QuizEngine, question_id: str, text: str, player: Player = ANN):
    for _ in range(len(engine.bank) * 3):
        asked = await engine.ask(PLACE, player)
        if asked.question.id == question_id:
            return await engine.answer(asked.id, player, text)
    raise AssertionError(f"{question_id} was never asked")


async def test_a_forgiven_typo_says_which_answer_it_was_taken_as(typed_engine: QuizEngine) -> None:
    result = await _answer(typed_engine, "hadoop", "Hadopp")
    assert (result.status, result.correct, result.accepted_as) == (AnswerStatus.ACCEPTED, True, "Hadoop")
    assert result.given == "Hadopp"


async def test_an_exact_answer_is_not_reported_as_a_typo(typed_engine: QuizEngine) -> None:
    result = await _answer(typed_engine, "hadoop", "apache HADOOP!")
    assert (result.correct, result.accepted_as) == (True, None)


async def test_a_near_miss_the_author_listed_is_wrong(typed_engine: QuizEngine) -> None:
    result = await _answer(typed_engine, "bacta", "Bacca")
    assert (result.status, result.correct, result.accepted_as) == (AnswerStatus.ACCEPTED, False, None)


async def test_typos_false_needs_the_exact_answer(typed_engine: QuizEngine) -> None:
    assert not (await _answer(typed_engine, "strict", "Sprak")).correct
    assert (await _answer(typed_engine, "strict", "spark", Player("test", "u2", "Bob"))).correct


async def test_another_questions_answer_is_not_a_typo(typed_engine: QuizEngine) -> None:
    result = await _answer(typed_engine, "kingston", "Kingstown")  # the English list does not know it
    assert not result.correct


async def test_zero_width_and_soft_hyphen_inside_a_word_are_ignored(typed_engine: QuizEngine) -> None:
    result = await _answer(typed_engine, "hadoop", "Had\u200boo\u00adp\ufeff")
    assert (result.correct, result.accepted_as, result.given) == (True, None, "Hadoop")


async def test_an_answer_of_invisible_characters_is_refused_and_the_player_may_answer_again(
    typed_engine: QuizEngine,
) -> None:
    for _ in range(len(typed_engine.bank) * 3):
        asked = await typed_engine.ask(PLACE, ANN)
        if asked.question.id == "hadoop":
            break
    refused = await typed_engine.answer(asked.id, ANN, "\u200b\u00ad \ufeff\u200d")
    assert refused.status is AnswerStatus.INVALID
    assert (await typed_engine.stats(PLACE, ANN)).answered == 0
    again = await typed_engine.answer(asked.id, ANN, "Hadoop")
    assert (again.status, again.correct) == (AnswerStatus.ACCEPTED, True)
