"""``/quiz`` for players: private questions, answer buttons, short answers in a modal, boards and help.

Every test drives the real Bolt app over HTTP with signed requests and reads what it sent to the fake Slack.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from quizbot.domain import Place, Player, QuestionType
from quizbot.engine import QuizEngine
from tests.adapters.slack_support import SlackHarness, slack_harness
from tests.fakes.slack_fake import RESPONSE_URL_MAX_POSTS, find_button


@pytest.fixture
async def slack(tmp_path: Path, engine: QuizEngine) -> AsyncIterator[SlackHarness]:
    async with slack_harness(tmp_path, engine=engine) as harness:
        yield harness


def buttons(blocks: list[dict]) -> list[dict]:
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"] if e["type"] == "button"]


async def test_quiz_shows_a_private_question_with_one_button_per_choice(slack: SlackHarness) -> None:
    reply = await slack.quiz()

    assert reply.body == ""  # acked with an empty body: nothing shows in the channel
    message = slack.reply(reply)
    assert message.body["response_type"] == "ephemeral"
    asked = await slack.asked_in(message)
    assert asked.question.prompt in message.text
    if asked.question.has_choices:
        labels = [b["text"]["text"] for b in buttons(message.blocks)]
        assert len(labels) == len(asked.question.choices)
        assert all(choice in label for choice, label in zip(asked.question.choices, labels, strict=True))
    assert asked.player_key == slack.player(slack.alice).key


async def test_right_choice_privately_shows_correct_answer_and_explanation(slack: SlackHarness) -> None:
    question = await slack.ask_until("ml", QuestionType.MULTIPLE_CHOICE)
    asked = await slack.asked_in(question)

    click = await slack.click(question, button=asked.question.correct_answer)

    result = slack.reply(click)
    assert result.body["replace_original"] is True  # the private question turns into its result
    assert [b["action_id"] for b in buttons(result.blocks)] == ["quiz:report"]  # no choice buttons left
    assert "Correct!" in result.text
    assert asked.question.explanation in result.text
    stats = await slack.engine.stats(slack.place, slack.player(slack.alice))
    assert (stats.answered, stats.correct, stats.points) == (1, 1, asked.question.points)


async def test_wrong_choice_shows_the_correct_answer_and_explanation(slack: SlackHarness) -> None:
    question = await slack.ask_until("ml", QuestionType.MULTIPLE_CHOICE)
    asked = await slack.asked_in(question)
    wrong = next(c for c in asked.question.choices if c != asked.question.correct_answer)

    result = slack.reply(await slack.click(question, button=wrong))

    assert "Not quite" in result.text
    assert f"Correct answer:* {asked.question.correct_answer}" in result.text
    assert asked.question.explanation in result.text


async def test_second_click_is_told_first_answer_stands(slack: SlackHarness) -> None:
    question = await slack.ask_until("ml", QuestionType.MULTIPLE_CHOICE)
    asked = await slack.asked_in(question)
    wrong = next(c for c in asked.question.choices if c != asked.question.correct_answer)
    await slack.click(question, button=wrong)

    second = slack.reply(await slack.click(question, button=asked.question.correct_answer))

    assert "first answer stands" in second.text
    assert second.body["response_type"] == "ephemeral"
    assert second.body["replace_original"] is False
    stats = await slack.engine.stats(slack.place, slack.player(slack.alice))
    assert (stats.answered, stats.correct, stats.points) == (1, 0, 0)


async def test_topic_filter_asks_only_questions_on_that_topic(slack: SlackHarness) -> None:
    topics = set()
    for _ in range(2):
        topics.add((await slack.asked_in(slack.reply(await slack.quiz("TOOLS")))).question.topic)
    assert topics == {"tools"}


async def test_unknown_word_gets_the_help_not_an_error(slack: SlackHarness) -> None:
    message = slack.reply(await slack.quiz("quantum"))

    assert "`quantum` is neither a command nor a topic" in message.text
    assert "/quiz leaderboard [week|month|accuracy]" in message.text
    assert "`ml`" in message.text and "`tools`" in message.text
    assert await slack.engine.get_asked(1) is None


async def test_help_lists_the_commands_and_topics(slack: SlackHarness) -> None:
    message = slack.reply(await slack.quiz("help"))

    for command in (
        "/quiz`",
        "/quiz <topic>",
        "/quiz leaderboard",
        "/quiz stats",
        "/quiz schedule",
        "/quiz reload",
    ):
        assert command.replace("<", "&lt;").replace(">", "&gt;") in message.text


async def test_short_answer_opens_a_modal_whose_submission_the_engine_checks(slack: SlackHarness) -> None:
    question = await slack.ask_until("tools", QuestionType.SHORT_ANSWER)
    click = await slack.client.click(question, slack.alice, button="Type your answer")
    assert click.status == 200
    [opened] = slack.fake.calls_to("views.open")
    assert opened.args["trigger_id"].startswith("trigger-U0ALICE")
    [modal] = [m for m in slack.fake.sent if m.via == "views.open"]

    submitted = await slack.client.submit_view(modal, slack.alice, {"text": "  apache SPARK "})

    assert submitted.status == 200 and submitted.body == ""  # an empty ack closes the modal
    await slack.fake.wait_for(lambda: bool(slack.fake.responses_to(str(click.response_url))))
    result = slack.reply(click)  # shown where the question was, through the click's response_url
    assert result.body["replace_original"] is True
    assert "Correct!" in result.text
    assert "Apache Spark is a distributed" in result.text
    stats = await slack.engine.stats(slack.place, slack.player(slack.alice))
    assert (stats.answered, stats.correct) == (1, 1)


async def test_blank_typed_answer_is_refused_inside_the_modal(slack: SlackHarness) -> None:
    question = await slack.ask_until("tools", QuestionType.SHORT_ANSWER)
    await slack.client.click(question, slack.alice, button="Type your answer")
    [modal] = [m for m in slack.fake.sent if m.via == "views.open"]

    reply = await slack.client.submit_view(modal, slack.alice, {"text": "   "})

    assert reply.json == {"response_action": "errors", "errors": {"answer": "Type an answer first."}}
    stats = await slack.engine.stats(slack.place, slack.player(slack.alice))
    assert stats.answered == 0


async def test_modal_result_falls_back_to_an_ephemeral_post_when_response_url_is_spent(
    slack: SlackHarness,
) -> None:
    question = await slack.ask_until("tools", QuestionType.SHORT_ANSWER)
    click = await slack.client.click(question, slack.alice, button="Type your answer")
    async with aiohttp.ClientSession() as session:
        for _ in range(RESPONSE_URL_MAX_POSTS):
            async with session.post(str(click.response_url), json={"text": "filler"}):
                pass
    [modal] = [m for m in slack.fake.sent if m.via == "views.open"]

    await slack.client.submit_view(modal, slack.alice, {"text": "hadoop"})

    await slack.fake.wait_for(lambda: bool(slack.fake.calls_to("chat.postEphemeral")))
    [post] = slack.fake.calls_to("chat.postEphemeral")
    assert (post.args["channel"], post.args["user"]) == ("C0GENERAL", "U0ALICE")
    assert "Not quite" in post.args["text"]


async def test_leaderboard_shows_the_top_ten_and_the_callers_rank_below_them(slack: SlackHarness) -> None:
    place = Place("slack", slack.fake.team_id, "C0OTHER")  # the board is workspace-wide
    for n in range(11):
        player = Player("slack", f"U1{n:04d}", f"player{n}")
        for _ in range(2):
            asked = await slack.engine.ask(place, player, topic="ml")
            await slack.engine.answer(asked.id, player, asked.question.correct_index or 0)
    asked = await slack.engine.ask(place, slack.player(slack.alice), topic="ml")
    wrong = ((asked.question.correct_index or 0) + 1) % len(asked.question.choices)
    await slack.engine.answer(asked.id, slack.player(slack.alice), wrong)  # on the board with 0 points

    board = slack.reply(await slack.quiz("leaderboard"))

    top = next(b for b in board.blocks if b.get("block_id") == "quiz-top")["text"]["text"]
    assert len(top.splitlines()) == 10
    assert "alice" not in top
    me = next(b for b in board.blocks if b.get("block_id") == "quiz-me")["text"]["text"]
    assert me.startswith("*12.* alice") and me.endswith("← you")
    assert "Leaderboard · All time" in board.text


async def test_weekly_leaderboard_and_usage_for_a_bad_period(slack: SlackHarness) -> None:
    weekly = slack.reply(await slack.quiz("leaderboard week"))  # the fake clock says Wed 18 Nov 2026
    assert "Leaderboard · This week (from Mon 16 Nov)" in weekly.text
    assert "No scores yet" in weekly.text

    wrong = slack.reply(await slack.quiz("leaderboard yesterday"))
    assert "Usage: `/quiz leaderboard [all|week|month|accuracy]`" in wrong.text


async def test_stats_show_the_callers_answers_accuracy_points_and_streak(slack: SlackHarness) -> None:
    for _ in range(2):
        asked = await slack.engine.ask(slack.place, slack.player(slack.alice), topic="ml")
        await slack.engine.answer(asked.id, slack.player(slack.alice), asked.question.correct_index or 0)

    stats = slack.reply(await slack.quiz("stats"))

    fields = [f["text"] for b in stats.blocks if b.get("block_id") == "quiz-stats" for f in b["fields"]]
    assert "*Answered*\n2" in fields
    assert "*Correct*\n2 (100%)" in fields
    assert "*Streak*\n2 (best 2)" in fields


async def test_stats_before_any_answer_invite_to_play(slack: SlackHarness) -> None:
    assert "not answered any question yet" in slack.reply(await slack.quiz("stats", slack.bob)).text


async def test_click_on_someone_elses_private_question_records_nothing(slack: SlackHarness) -> None:
    question = slack.reply(await slack.quiz("ml"))

    stranger = slack.reply(await slack.click(question, slack.bob))

    assert "asked to someone else" in stranger.text
    assert stranger.body["replace_original"] is False
    assert (await slack.engine.stats(slack.place, slack.player(slack.bob))).answered == 0


async def test_forged_button_value_gets_a_polite_message(slack: SlackHarness) -> None:
    question = slack.reply(await slack.quiz("ml"))
    forged = {"blocks": [dict(b) for b in question.blocks]}
    _, element = find_button(forged["blocks"])
    element["value"] = "9999:0"

    reply = await slack.click(forged, slack.alice)

    assert "no longer available" in slack.reply(reply).text
