"""Slack: repeats of ``/quiz`` are practice worth no points, and the monthly and accuracy boards.

Every test drives the real Bolt app over HTTP with signed requests and reads what it sent to the fake Slack.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from adapters.slack_app.app import web_client
from adapters.slack_app.poster import SlackChannelPoster
from quizbot.domain import AskKind, Difficulty, Period, Player
from quizbot.engine import ACCURACY_MIN_ANSWERS, QuizEngine
from tests.adapters.slack_support import SlackHarness, slack_harness
from tests.fakes.slack_fake import SentMessage
from tests.test_choice_order import RIGHT_FIRST


@pytest.fixture
async def slack(tmp_path: Path, engine: QuizEngine) -> AsyncIterator[SlackHarness]:
    async with slack_harness(tmp_path, engine=engine) as harness:
        yield harness


async def quiz_and_answer_right(slack: SlackHarness) -> tuple[SentMessage, SentMessage]:
    """``/quiz ml`` as Alice, then a click on the button of the right answer."""
    question = slack.reply(await slack.quiz("ml"))
    asked = await slack.asked_in(question)
    result = slack.reply(await slack.click(question, button=asked.question.correct_answer))
    return question, result


async def test_a_repeated_question_is_marked_practice_and_scores_once(slack: SlackHarness) -> None:
    firsts = [await quiz_and_answer_right(slack) for _ in range(3)]  # the test bank's 3 ml questions

    question, result = await quiz_and_answer_right(slack)

    assert all("*Your question*" in q.text and "point" in r.text for q, r in firsts)
    assert "*Practice — no points* · ml" in question.text
    assert "you have answered every question here" in question.text
    assert ":white_check_mark: *Correct!*" in result.text and "(practice — no points)" in result.text
    assert "*Your question*" not in result.text and "*Practice — no points* · ml" in result.text
    assert "+" not in result.text.split("Correct!")[1].split("\n")[0]  # no "+N points" on the verdict
    stats = await slack.engine.stats(slack.place, slack.player(slack.alice))
    assert (stats.answered, stats.correct, stats.points) == (3, 3, 1 + 2 + 3)


async def test_second_answer_to_the_same_question_says_practice(slack: SlackHarness) -> None:
    for _ in range(3):
        await quiz_and_answer_right(slack)
    question = slack.reply(await slack.quiz("ml"))
    asked = await slack.asked_in(question)
    wrong = next(c for c in asked.question.choices if c != asked.question.correct_answer)

    result = slack.reply(await slack.click(question, button=wrong))

    assert ":x: *Not quite.*" in result.text and "(practice — no points)" in result.text
    assert asked.question.explanation in result.text
    board = slack.reply(await slack.quiz("leaderboard"))
    assert "6 pts* · 3/3 correct" in board.text


async def answer_daily(engine: QuizEngine, slack: SlackHarness, player: Player, *, right: bool) -> None:
    asked = await engine.ask(slack.place, kind=AskKind.DAILY, difficulty=Difficulty.EASY)
    correct = asked.question.correct_index
    assert correct is not None
    await engine.answer(asked.id, player, correct if right else (correct + 1) % len(asked.question.choices))


async def test_monthly_board(slack: SlackHarness) -> None:
    await answer_daily(slack.engine, slack, slack.player(slack.alice), right=True)

    board = slack.reply(await slack.quiz("leaderboard month"))  # the fake clock says Wed 18 Nov 2026

    assert "Leaderboard · This month (from 1 Nov)" in board.text
    assert "alice* · *1 pt* · 1/1 correct ← you" in board.text
    assert "`/quiz leaderboard week`" in board.text and "`/quiz leaderboard month`" not in board.text


async def test_accuracy_board_ranks_the_careful_player_first(slack: SlackHarness) -> None:
    for n in range(30):  # Bob: 21 of 30 right, the most points
        await answer_daily(slack.engine, slack, slack.player(slack.bob), right=n % 10 < 7)
    for n in range(ACCURACY_MIN_ANSWERS):  # Alice: 9 of 10 right
        await answer_daily(slack.engine, slack, slack.player(slack.alice), right=n > 0)

    board = slack.reply(await slack.quiz("leaderboard accuracy"))

    top = next(b for b in board.blocks if b.get("block_id") == "quiz-top")["text"]["text"]
    assert top.splitlines() == [
        ":first_place_medal: *alice* · *90% right* · 9/10 correct ← you",
        ":second_place_medal: *bob* · *70% right* · 21/30 correct",
    ]
    assert "Leaderboard · Accuracy, All time" in board.text
    assert "ranked from 10 answers" in board.text


async def test_accuracy_board_without_enough_answers_says_so(slack: SlackHarness) -> None:
    board = slack.reply(await slack.quiz("leaderboard accuracy"))

    assert "Nobody has 10 answers yet." in board.text


async def test_daily_post_and_its_closed_version_show_the_shuffled_order(tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "imported.yaml").write_text(RIGHT_FIRST, encoding="utf-8")
    async with slack_harness(tmp_path, bank=bank) as slack:  # its engine draws from random.Random(7)
        asked = await slack.engine.ask(slack.place, kind=AskKind.DAILY)
        poster = SlackChannelPoster(web_client(slack.runtime.settings))
        ts = await poster.post_question(asked)
        post = next(m for m in slack.fake.sent if m.via == "chat.postMessage")
        labels = [e["text"]["text"] for b in post.blocks if b["type"] == "actions" for e in b["elements"]]

        right = slack.reply(
            await slack.click(post, slack.alice, button="Paris", ephemeral=False, message_ts=ts)
        )
        summary = await slack.engine.close_question(asked.id)
        board = await slack.engine.leaderboard(slack.place, period=Period.WEEK, channel_only=True)
        await poster.post_close(summary, board, ts)

    assert [label[3:] for label in labels] == list(asked.question.choices)
    assert labels[0] != "A. Paris"  # this seed moved the file's first (right) choice
    assert "Correct!" in right.text
    [update] = slack.fake.calls_to("chat.update")
    listing = next(b for b in update.args["blocks"] if b.get("block_id") == "quiz-choice-list")
    assert listing["text"]["text"].splitlines() == [f"*{label[0]}.* {label[3:]}" for label in labels]
