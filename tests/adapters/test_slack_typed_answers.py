"""Typed answers on Slack: a forgiven typo says what it was accepted as; an invisible answer is refused in
the modal, which stays open for another try. Signed requests to the real Bolt app, replies read from the
fake Slack."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from quizbot.domain import QuestionType
from quizbot.engine import QuizEngine
from tests.adapters.slack_support import SlackHarness, slack_harness


@pytest.fixture
async def slack(tmp_path: Path, engine: QuizEngine) -> AsyncIterator[SlackHarness]:
    async with slack_harness(tmp_path, engine=engine) as harness:
        yield harness


async def type_answer(slack: SlackHarness, text: str) -> str:
    """Ask the short-answer question, type ``text`` in its modal and return the reply's text."""
    question = await slack.ask_until("tools", QuestionType.SHORT_ANSWER)
    click = await slack.client.click(question, slack.alice, button="Type your answer")
    [modal] = [m for m in slack.fake.sent if m.via == "views.open"]
    submitted = await slack.client.submit_view(modal, slack.alice, {"text": text})
    assert submitted.status == 200 and submitted.body == ""
    await slack.fake.wait_for(lambda: bool(slack.fake.responses_to(str(click.response_url))))
    return slack.reply(click).text


async def test_a_forgiven_typo_is_shown_as_accepted_as_the_right_spelling(slack: SlackHarness) -> None:
    text = await type_answer(slack, "Sprak")

    assert "Correct!" in text
    assert "Accepted as *Spark*." in text


async def test_an_exact_answer_says_nothing_about_typos(slack: SlackHarness) -> None:
    text = await type_answer(slack, "Apache-Spark")

    assert "Correct!" in text and "Accepted as" not in text


@pytest.mark.parametrize("invisible", ["\u200b", "\u00ad\ufeff", " \u200d\u2060 "])
async def test_an_answer_of_invisible_characters_is_refused_inside_the_modal(
    slack: SlackHarness, invisible: str
) -> None:
    question = await slack.ask_until("tools", QuestionType.SHORT_ANSWER)
    click = await slack.client.click(question, slack.alice, button="Type your answer")
    [modal] = [m for m in slack.fake.sent if m.via == "views.open"]

    reply = await slack.client.submit_view(modal, slack.alice, {"text": invisible})

    assert reply.json == {"response_action": "errors", "errors": {"answer": "Type an answer first."}}
    assert (await slack.engine.stats(slack.place, slack.player(slack.alice))).answered == 0
    again = await slack.client.submit_view(modal, slack.alice, {"text": "Sp\u200bark"})
    assert again.status == 200 and again.body == ""
    await slack.fake.wait_for(lambda: bool(slack.fake.responses_to(str(click.response_url))))
    assert "Correct!" in slack.reply(click).text
    stats = await slack.engine.stats(slack.place, slack.player(slack.alice))
    assert (stats.answered, stats.correct) == (1, 1)
