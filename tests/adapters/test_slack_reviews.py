"""Slack: a missed question comes back as a review on a later day; ``/quiz review``, ``/quiz stats`` and the
weekly reminder by direct message. Signed requests to the real Bolt app; the engine's clock is injected."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from adapters.slack_app.app import web_client
from adapters.slack_app.poster import SlackChannelPoster
from quizbot.scheduler import send_reminders
from tests.adapters.slack_support import SlackHarness, slack_harness
from tests.adapters.test_discord_reviews import ONE_QUESTION
from tests.conftest import FakeClock


@pytest.fixture
async def slack(tmp_path: Path, clock: FakeClock) -> AsyncIterator[SlackHarness]:
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "planets.yaml").write_text(ONE_QUESTION, encoding="utf-8")
    async with slack_harness(tmp_path, bank=bank, clock=clock) as harness:
        yield harness


async def test_a_missed_question_comes_back_as_a_review_on_a_later_day(
    slack: SlackHarness, clock: FakeClock
) -> None:
    question = slack.reply(await slack.quiz())
    assert "*Your question* · planets" in question.text
    result = slack.reply(await slack.click(question, button="Mars"))
    assert ":x: *Not quite.*" in result.text
    none_due = slack.reply(await slack.quiz("review"))
    assert "No reviews are due. The next one is due tomorrow at 12:00 UTC." in none_due.text

    clock.advance(days=1)
    stats = slack.reply(await slack.quiz("stats"))
    assert "Reviews: 1 due now" in stats.text
    review = slack.reply(await slack.quiz("review"))
    assert "*Review* · planets · easy · you answered this before and it is due again" in review.text
    result = slack.reply(await slack.click(review, button="Venus"))
    assert ":white_check_mark: *Correct!*" in result.text and "(practice — no points)" in result.text
    stats = slack.reply(await slack.quiz("stats"))
    assert "Reviews: 0 due now (next due on " in stats.text
    assert "Mastered (recall ≥ 90%): planets 1 of 1" in stats.text


async def test_quiz_serves_a_due_review_first(slack: SlackHarness, clock: FakeClock) -> None:
    question = slack.reply(await slack.quiz())
    slack.reply(await slack.click(question, button="Venus"))
    assert "*Practice — no points*" in slack.reply(await slack.quiz()).text  # not due yet: a repeat
    clock.advance(days=5)
    assert "*Review* · planets" in slack.reply(await slack.quiz()).text


async def test_weekly_reminders_are_direct_messages_to_players_who_opted_in(
    slack: SlackHarness, clock: FakeClock
) -> None:
    question = slack.reply(await slack.quiz())
    slack.reply(await slack.click(question, button="Mars"))
    clock.advance(days=1)
    messengers = {"slack": SlackChannelPoster(web_client(slack.runtime.settings))}
    assert await send_reminders(slack.engine, messengers) == 0  # off by default

    usage = slack.reply(await slack.quiz("reminders"))
    assert "Usage: `/quiz reminders on`" in usage.text
    on = slack.reply(await slack.quiz("reminders on"))
    assert "Weekly reminders are on" in on.text
    assert await send_reminders(slack.engine, messengers) == 1
    assert await send_reminders(slack.engine, messengers) == 0  # once a week
    [opened] = slack.fake.calls_to("conversations.open")
    assert opened.args["users"] == slack.alice.id
    [post] = slack.fake.calls_to("chat.postMessage")
    assert post.args["channel"] == slack.alice.id.replace("U", "D", 1)  # the DM channel it opened
    [dm] = [m for m in slack.fake.sent if m.via == "chat.postMessage"]
    assert dm.text.startswith("1 review is due in your quiz. Run `/quiz review`")

    assert "Weekly reminders are off." in slack.reply(await slack.quiz("reminders off")).text
    clock.advance(days=8)
    assert await send_reminders(slack.engine, messengers) == 0
