"""Pictures on Slack: last week's top 10 is uploaded into the channel on Monday, and ``/quiz stats`` sends the
player's 8 weeks to their direct messages (an ephemeral reply cannot carry a file).

Uploads go through ``files_upload_v2`` (``files.getUploadURLExternal``, the upload, then
``files.completeUploadExternal``) to the fake Slack, which keeps each file with the channel it was shared in.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from adapters.slack_app.app import web_client
from adapters.slack_app.poster import SlackChannelPoster
from quizbot.daily import DailyService
from tests.adapters.slack_support import CHANNEL, slack_harness
from tests.adapters.test_slack_daily_service import (
    CUTOFF,
    DAILY_BANK,
    FRIDAY,
    MONDAY,
    SATURDAY,
    SUNDAY,
    Daily,
    stat_fields,
)
from tests.conftest import FakeClock
from tests.test_charts import png_size


@pytest.fixture
async def daily(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Daily]:
    """The Slack harness with the daily service posting into its channel (as in the daily service tests)."""
    bank = tmp_path / "daily-bank"
    bank.mkdir()
    (bank / "daily.yaml").write_text(DAILY_BANK, encoding="utf-8")
    async with slack_harness(tmp_path, bank=bank, clock=clock) as slack:
        poster = SlackChannelPoster(web_client(slack.runtime.settings))
        service = DailyService(slack.engine, {"slack": poster}, cutoff=CUTOFF, clock=clock)
        yield Daily(slack, service, clock)
        await service.flush_counts()


async def test_mondays_reveal_uploads_last_weeks_top_ten_into_the_channel(daily: Daily) -> None:
    slack = daily.slack
    await slack.engine.set_schedule(slack.place, "09:00", "UTC")
    saturday = await daily.post_day(SATURDAY)
    await daily.answer(saturday, slack.alice, right=True)
    await daily.answer(saturday, slack.bob, right=False)
    await daily.post_day(SUNDAY)  # an ordinary close mid-week: no picture
    assert slack.fake.uploaded() == []

    await daily.post_day(MONDAY)  # closes Sunday's question with last week's final standings

    [picture] = slack.fake.uploaded()
    assert picture.channel == CHANNEL and picture.name == "quiz-week.png"
    assert png_size(picture.content) == (800, 480)
    assert "final standings" in picture.comment
    described = slack.fake.calls_to("files.getUploadURLExternal")[-1].args["alt_txt"]
    assert "1. alice" in described and "bob" in described  # the alt text names the players


async def test_a_workspace_without_file_uploads_still_gets_mondays_reveal(daily: Daily) -> None:
    slack = daily.slack
    slack.fake.refused["files.getUploadURLExternal"] = "missing_scope"
    await slack.engine.set_schedule(slack.place, "09:00", "UTC")
    await daily.answer(await daily.post_day(SUNDAY), slack.alice, right=True)

    await daily.post_day(MONDAY)

    assert slack.fake.uploaded() == []
    assert any("Final standings" in r.text for r in daily.thread_replies())


async def test_quiz_stats_sends_the_players_weeks_to_their_direct_messages(daily: Daily) -> None:
    slack = daily.slack
    await slack.engine.set_schedule(slack.place, "09:00", "UTC")
    for day in (FRIDAY, SATURDAY):
        await daily.answer(await daily.post_day(day), slack.alice, right=True)

    stats = slack.reply(await slack.quiz("stats", slack.alice))

    assert stats.body["response_type"] == "ephemeral" and "*Answered*\n2" in stat_fields(stats)
    assert "in your direct messages" in stats.text
    [picture] = slack.fake.uploaded()
    assert picture.channel == "D" + slack.alice.id.lstrip("U")  # the DM, never the channel
    assert picture.name == "quiz-weeks.png" and png_size(picture.content) == (800, 480)
    assert slack.fake.calls_to("conversations.open")[-1].args["users"] == slack.alice.id


async def test_quiz_stats_without_answers_sends_no_picture(daily: Daily) -> None:
    stats = daily.slack.reply(await daily.slack.quiz("stats", daily.slack.alice))

    assert "not answered any question yet" in stats.text
    assert daily.slack.fake.uploaded() == [] and daily.slack.fake.calls_to("conversations.open") == []


async def test_quiz_stats_still_answer_when_the_picture_cannot_be_sent(daily: Daily) -> None:
    slack = daily.slack
    slack.fake.refused["conversations.open"] = "missing_scope"
    await slack.engine.set_schedule(slack.place, "09:00", "UTC")
    await daily.answer(await daily.post_day(FRIDAY), slack.alice, right=False)

    stats = slack.reply(await slack.quiz("stats", slack.alice))

    assert "*Answered*\n1" in stat_fields(stats)
    assert "could not be sent to you in a direct message" in stats.text
    assert slack.fake.uploaded() == []
