"""Question health: per-question figures, the questions flagged for attention, and problem reports."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from quizbot.domain import AskedQuestion, NotForYouError, Place, Player, QuizError, UnknownAskedError
from quizbot.engine import QuizEngine
from quizbot.health import Flag, HealthReport, QuestionHealth, looks_right
from tests.conftest import TEST_BANK, FakeClock, make_settings

PLACE = Place("test", "server1", "general")
OTHER_SERVER = Place("test", "server2", "general")

BANK = """\
topic: demo
difficulty: easy
questions:
  - id: demo-easy
    type: multiple_choice
    prompt: Which letter is first?
    choices: [Alpha, Beta, Gamma]
    answer: Alpha
    explanation: Alpha comes first.
  - id: demo-hard
    type: multiple_choice
    prompt: Which letter is twelfth?
    choices: [Mu, Nu, Xi]
    answer: Mu
    explanation: Mu is the twelfth letter.
  - id: demo-tool
    type: short_answer
    prompt: Which library did Google release in 2015 for deep learning?
    answers: [TensorFlow]
    explanation: TensorFlow was released in November 2015.
"""
OTHER_TOPIC = """\
topic: other
difficulty: easy
questions:
  - id: other-one
    type: true_false
    prompt: Water is wet.
    answer: true
    explanation: It is.
"""


def players(n: int) -> list[Player]:
    return [Player("test", f"u{i:02d}", f"P{i:02d}") for i in range(n)]


@pytest.fixture
async def quiz(db_url: str, clock: FakeClock, tmp_path: Path) -> AsyncIterator[QuizEngine]:
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "demo.yaml").write_text(BANK, encoding="utf-8")
    (bank / "other.yaml").write_text(OTHER_TOPIC, encoding="utf-8")
    engine = await QuizEngine.open(make_settings(db_url, bank), clock=clock, rng=random.Random(3))
    async with engine:
        yield engine


async def ask_until(engine: QuizEngine, place: Place, player: Player, question_id: str) -> AskedQuestion:
    """Ask ``player`` questions on demand until ``question_id`` comes up (unanswered ones come first)."""
    for _ in range(10):
        asked = await engine.ask(place, player, topic=question_id.split("-")[0])
        if asked.question.id == question_id:
            return asked
    raise AssertionError(f"{question_id} never came up")


async def answer(engine: QuizEngine, player: Player, question_id: str, response: int | str | bool) -> None:
    """``player`` answers ``question_id``: True/False for the right or a wrong choice, or typed text."""
    asked = await ask_until(engine, PLACE, player, question_id)
    q = asked.question
    if isinstance(response, bool):
        assert q.correct_index is not None
        response = q.correct_index if response else (q.correct_index + 1) % len(q.choices)
    await engine.answer(asked.id, player, response)


async def pick(engine: QuizEngine, player: Player, question_id: str, choice: str) -> None:
    asked = await ask_until(engine, PLACE, player, question_id)
    await engine.answer(asked.id, player, asked.question.choices.index(choice))


def one(report: HealthReport, question_id: str) -> QuestionHealth:
    return next(q for q in report.questions if q.question_id == question_id)


async def test_figures_count_asked_answered_players_and_each_wrong_choice(quiz: QuizEngine) -> None:
    people = players(6)
    for p in people[:3]:
        await pick(quiz, p, "demo-hard", "Mu")
    for p in people[3:5]:
        await pick(quiz, p, "demo-hard", "Nu")
    await ask_until(quiz, PLACE, people[5], "demo-hard")  # asked, never answered

    health = one(await quiz.health(PLACE.server_scope), "demo-hard")

    assert (health.asked, health.answered, health.players, health.right) == (6, 5, 5, 3)
    assert health.share_right == pytest.approx(0.6)
    assert dict(health.wrong_choices) == {"Nu": 2, "Xi": 0}


async def test_a_question_nearly_everyone_gets_right_is_too_easy_once_enough_players_answered(
    quiz: QuizEngine,
) -> None:
    for p in players(4):
        await answer(quiz, p, "demo-easy", True)
    before = one(await quiz.health(PLACE.server_scope), "demo-easy")
    await answer(quiz, players(5)[4], "demo-easy", True)
    after = one(await quiz.health(PLACE.server_scope), "demo-easy")

    assert before.flags == ()
    assert after.flags == (Flag.TOO_EASY,)


async def test_a_question_almost_nobody_gets_right_is_too_hard(quiz: QuizEngine) -> None:
    for p in players(7):
        await answer(quiz, p, "demo-hard", p.id == "u00")

    report = await quiz.health(PLACE.server_scope, min_players=5)

    assert Flag.TOO_HARD in one(report, "demo-hard").flags
    assert [q.question_id for q in report.attention] == ["demo-hard"]


async def test_min_players_decides_when_a_share_counts(quiz: QuizEngine) -> None:
    for p in players(3):
        await answer(quiz, p, "demo-hard", False)

    assert one(await quiz.health(PLACE.server_scope), "demo-hard").flags == ()
    assert one(await quiz.health(PLACE.server_scope, min_players=3), "demo-hard").flags == (Flag.TOO_HARD,)
    with pytest.raises(QuizError):
        await quiz.health(PLACE.server_scope, min_players=0)


async def test_a_question_the_top_quarter_misses_and_the_bottom_quarter_gets_is_flagged(
    quiz: QuizEngine,
) -> None:
    people = players(8)
    strong, weak = people[:2], people[6:]
    for p in people:  # overall: the strong get 3 of 4 right, the middle 2 of 4, the weak 1 of 4
        await answer(quiz, p, "demo-easy", p not in weak)
        asked = await ask_until(quiz, PLACE, p, "other-one")
        await quiz.answer(asked.id, p, 0 if p not in weak else 1)
        await answer(quiz, p, "demo-tool", "TensorFlow" if p in strong else "Keras")
        await answer(quiz, p, "demo-hard", p in weak)  # the hard one catches everyone but the weak

    health = one(await quiz.health(PLACE.server_scope), "demo-hard")

    assert health.top is not None and health.bottom is not None
    assert health.top.share < health.bottom.share
    assert Flag.TOP_MISS in health.flags
    assert Flag.TOP_MISS not in one(await quiz.health(PLACE.server_scope), "demo-easy").flags


async def test_typed_answers_that_look_right_come_with_the_yaml_that_accepts_them(quiz: QuizEngine) -> None:
    people = players(5)
    for p, typed in zip(
        people, ["Tensorflow 2", "tensorflow-2", "TensorFlow 2", "PyTorch", "PyTorch"], strict=True
    ):
        await answer(quiz, p, "demo-tool", typed)

    health = one(await quiz.health(PLACE.server_scope), "demo-tool")

    assert health.wrong_typed[0][1] == 3 and health.wrong_typed[1] == ("PyTorch", 2)
    assert Flag.LOOKS_RIGHT in health.flags
    [suggestion] = health.suggestions
    assert suggestion.players == 3
    assert suggestion.yaml == f"answers: [TensorFlow, {suggestion.typed}]"


def test_numbers_and_rejected_answers_never_look_right() -> None:
    from quizbot.domain import Difficulty, Question, QuestionType

    question = Question(
        "q", QuestionType.SHORT_ANSWER, "When?", (), None, ("1991", "Supervised"), "", Difficulty.EASY, "t",
        reject=("unsupervised",),
    )  # fmt: skip

    assert not looks_right("1990", question)
    assert not looks_right("Unsupervised", question)
    assert looks_right("Supervized learning", question) or looks_right("supervisd", question)


async def test_reports_are_stored_per_server_and_shown_with_their_reasons(quiz: QuizEngine) -> None:
    ann, bob = players(2)
    asked = await ask_until(quiz, PLACE, ann, "demo-easy")
    await quiz.answer(asked.id, ann, 0)
    elsewhere = await ask_until(quiz, OTHER_SERVER, bob, "demo-hard")

    thanks = await quiz.report_problem(str(asked.id), ann, "wrong-answer", "Beta is\u200b first in my book")
    await quiz.report_problem(asked.id, ann, "ambiguous", "two fit")  # a second report replaces the first
    await quiz.report_problem(elsewhere.id, bob, "typo")

    health = one(await quiz.health(PLACE.server_scope), "demo-easy")
    assert "admins" in thanks
    assert Flag.REPORTED in health.flags
    assert [(r.reason, r.text) for r in health.reports] == [("ambiguous", "two fit")]
    assert all(q.question_id != "demo-hard" for q in (await quiz.health(PLACE.server_scope)).questions)
    assert one(await quiz.health(None), "demo-hard").flags == (Flag.REPORTED,)


async def test_a_report_with_a_forged_id_or_reason_or_on_someone_elses_question_is_refused(
    quiz: QuizEngine,
) -> None:
    ann, bob = players(2)
    asked = await ask_until(quiz, PLACE, ann, "demo-easy")

    for forged in ("²", "99999999999999999999", "-1", ""):
        with pytest.raises(UnknownAskedError):
            await quiz.report_problem(forged, ann, "typo")
    with pytest.raises(QuizError, match="reason"):
        await quiz.report_problem(asked.id, ann, "DROP TABLE")
    with pytest.raises(NotForYouError):
        await quiz.report_problem(asked.id, bob, "typo")
    assert all(not q.reports for q in (await quiz.health(None)).questions)


async def test_a_topic_filter_keeps_only_that_topics_questions(quiz: QuizEngine) -> None:
    ann = players(1)[0]
    await answer(quiz, ann, "demo-easy", True)
    asked = await ask_until(quiz, PLACE, ann, "other-one")
    await quiz.answer(asked.id, ann, 0)

    report = await quiz.health(PLACE.server_scope, topic="Other")

    assert [q.question_id for q in report.questions] == ["other-one"]


async def test_forgetting_a_player_removes_their_reports(quiz: QuizEngine) -> None:
    from quizbot.forget import forget_player

    ann = players(1)[0]
    asked = await ask_until(quiz, PLACE, ann, "demo-easy")
    await quiz.report_problem(asked.id, ann, "other", "my name is Ann")

    done = await forget_player(quiz.store, ann.key)

    assert done.deleted["problem reports"] == 1
    assert all(not q.reports for q in (await quiz.health(None)).questions)


# -- quizbot health ----------------------------------------------------------------------------------------


def run_health(args: list[str], url: str, bank: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QUIZBOT_", "SLACK_", "DISCORD_"))}
    env.update(QUIZBOT_DATABASE_URL=url, QUIZBOT_QUESTIONS=str(bank), COLUMNS="200")
    return subprocess.run(
        [sys.executable, "-m", "quizbot", "health", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


async def test_the_health_command_lists_each_question_then_what_needs_attention(
    quiz: QuizEngine, db_url: str, tmp_path: Path
) -> None:
    people = players(6)
    for p, typed in zip(
        people, ["Tensorflow 2", "Tensorflow 2", "[bold]x[/bold] :fire:", "PyTorch", "", ""], strict=True
    ):
        if typed:
            await answer(quiz, p, "demo-tool", typed)
    for p in people:
        await answer(quiz, p, "demo-easy", True)
    reported = await ask_until(quiz, PLACE, people[0], "demo-hard")
    await quiz.report_problem(reported.id, people[0], "ambiguous", "Mu and [red]Nu[/red] both fit")

    result = run_health(["--server", "test:server1"], db_url, tmp_path / "bank", tmp_path)

    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "demo-easy" in out and "demo-tool" in out and "demo-hard" in out
    assert "3 of 3 questions in test:server1 need attention." in out
    assert "demo-easy (demo): too easy" in out
    assert "2 players typed 'Tensorflow 2'; to accept it: answers: [TensorFlow, Tensorflow 2]" in out
    assert "reported: 1 × More than one answer fits" in out
    assert '"Mu and [red]Nu[/red] both fit"' in out  # printed as typed, never as markup
    assert "[bold]x[/bold] :fire: ×1" in out


async def test_the_health_command_filters_by_topic_and_min_players(
    quiz: QuizEngine, db_url: str, tmp_path: Path
) -> None:
    for p in players(3):
        await answer(quiz, p, "demo-hard", False)
    asked = await ask_until(quiz, PLACE, players(1)[0], "other-one")
    await quiz.answer(asked.id, players(1)[0], 0)

    few = run_health(["--min-players", "3", "--topic", "demo"], db_url, tmp_path / "bank", tmp_path)
    other = run_health(["--topic", "other"], db_url, tmp_path / "bank", tmp_path)

    assert "demo-hard (demo): too hard" in few.stdout and "other-one" not in few.stdout
    assert "0 of 1 questions on other need attention." in other.stdout


def test_the_health_command_refuses_bad_arguments_in_one_line(sqlite_url: str, tmp_path: Path) -> None:
    bad_server = run_health(["--server", "discord"], sqlite_url, TEST_BANK, tmp_path)
    bad_min = run_health(["--min-players", "0"], sqlite_url, TEST_BANK, tmp_path)
    missing = run_health([], sqlite_url, TEST_BANK, tmp_path)

    for result in (bad_server, bad_min, missing):
        assert result.returncode != 0
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert "Traceback" not in result.stderr
    assert "PLATFORM:SERVER" in bad_server.stderr
    assert "at least 1" in bad_min.stderr
