"""Daily questions driven by the real scheduler service: answers held back until close, the live answer count,
closing posts across a week's end, and the channel's daily streak in ``/quiz stats``.

Each test posts through :class:`quizbot.daily.DailyService` with the Slack poster, clicks over signed HTTP and
reads what reached the fake Slack; the clock is moved by hand from day to day.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from adapters.slack_app.app import web_client
from adapters.slack_app.poster import SlackChannelPoster
from quizbot.daily import DailyService, Outcome
from quizbot.domain import AskedQuestion
from tests.adapters.slack_support import CHANNEL, SlackHarness, slack_harness
from tests.conftest import FakeClock
from tests.fakes.slack_fake import FakeUser, SentMessage

# Multiple-choice only, one point each, and no choice inside another: a test can click "the right one" and
# check that its text is nowhere in a reply.
DAILY_BANK = """\
topic: ml
difficulty: easy
questions:
  - id: daily-overfitting
    type: multiple_choice
    prompt: What is it called when a model memorises its training data and fails on new data?
    choices: [Overfitting, Underfitting, Regularisation]
    answer: Overfitting
    explanation: An overfitted model has learned the noise of its training set.
  - id: daily-precision
    type: multiple_choice
    prompt: Which metric is the share of predicted positives that are truly positive?
    choices: [Recall, Precision, Accuracy]
    answer: Precision
    explanation: Precision is TP / (TP + FP).
  - id: daily-leakage
    type: multiple_choice
    prompt: What is it called when test information reaches the model during training?
    choices: [Leakage, Drift, Dropout]
    answer: Leakage
    explanation: Leakage makes offline scores look better than the model will do in production.
"""

CUTOFF = timedelta(hours=3)
# The week of Monday 16 November 2026; 22 November is its Sunday.
FRIDAY, SATURDAY, SUNDAY, MONDAY = (date(2026, 11, d) for d in (20, 21, 22, 23))


@dataclass
class Daily:
    """The Slack harness plus the daily service posting into its channel."""

    slack: SlackHarness
    service: DailyService
    clock: FakeClock

    async def post_day(self, day: date) -> SentMessage:
        """Be at 09:00 UTC on ``day``, let the service post the channel's question, return the public post."""
        self.clock.set(datetime.combine(day, time(9, 0), UTC))
        assert [outcome for _, outcome in await self.service.post_due()] == [Outcome.POSTED]
        posts = [c for c in self.slack.fake.calls_to("chat.postMessage") if "thread_ts" not in c.args]
        return SentMessage("chat.postMessage", posts[-1].args)

    async def answer(self, post: SentMessage, user: FakeUser, *, right: bool) -> SentMessage:
        """Click the right (or a wrong) choice on the public post as ``user``; return the private reply."""
        asked = await self.asked(post)
        correct = asked.question.correct_answer
        choice = correct if right else next(c for c in asked.question.choices if c != correct)
        reply = await self.slack.click(
            post, user, button=choice, ephemeral=False, message_ts=asked.message_ref or ""
        )
        return self.slack.reply(reply)

    async def asked(self, post: SentMessage) -> AskedQuestion:
        return await self.slack.asked_in(post)

    def thread_replies(self) -> list[SentMessage]:
        calls = self.slack.fake.calls_to("chat.postMessage")
        return [SentMessage("chat.postMessage", c.args) for c in calls if "thread_ts" in c.args]


@pytest.fixture
async def daily(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Daily]:
    bank = tmp_path / "daily-bank"
    bank.mkdir()
    (bank / "daily.yaml").write_text(DAILY_BANK, encoding="utf-8")
    async with slack_harness(tmp_path, bank=bank, clock=clock) as slack:
        poster = SlackChannelPoster(web_client(slack.runtime.settings))
        service = DailyService(slack.engine, {"slack": poster}, cutoff=CUTOFF, clock=clock)
        yield Daily(slack, service, clock)
        await service.flush_counts()


# -- answers held back until the question closes ---------------------------------------------------------


async def test_reveal_at_close_confirms_privately_without_verdict_answer_or_explanation(daily: Daily) -> None:
    slack = daily.slack
    await slack.engine.set_schedule(slack.place, "09:00", "UTC", reveal_at_close=True)
    post = await daily.post_day(FRIDAY)
    question = (await daily.asked(post)).question

    right = await daily.answer(post, slack.alice, right=True)
    wrong = await daily.answer(post, slack.bob, right=False)
    again = await daily.answer(post, slack.alice, right=False)

    for reply in (right, wrong, again):
        assert reply.body["response_type"] == "ephemeral"
        assert "Answer recorded — the answer is revealed when the question closes." in reply.text
        assert question.explanation not in reply.text
        for telltale in ("Correct", "Not quite", "point", ":fire:", ":white_check_mark:", ":x:"):
            assert telltale not in reply.text, (telltale, reply.text)
    assert question.correct_answer not in wrong.text  # Bob only sees the choice he made
    assert "your first answer stands" in again.text
    stats = await slack.engine.stats(slack.place, slack.player(slack.alice))
    assert (stats.answered, stats.correct) == (0, 0)  # scores would give the verdict away: counted at close
    await daily.post_day(SATURDAY)  # closes Friday's question
    stats = await slack.engine.stats(slack.place, slack.player(slack.alice))
    assert (stats.answered, stats.correct) == (1, 1)


async def test_reveal_at_close_shows_the_verdict_once_the_question_has_closed(daily: Daily) -> None:
    slack = daily.slack
    await slack.engine.set_schedule(slack.place, "09:00", "UTC", reveal_at_close=True)
    post = await daily.post_day(FRIDAY)
    question = (await daily.asked(post)).question
    await daily.answer(post, slack.alice, right=True)

    await daily.post_day(SATURDAY)  # closes Friday's question
    after = await daily.answer(post, slack.alice, right=True)

    [reveal] = daily.thread_replies()
    assert f"*Answer:* {question.correct_answer}" in reveal.text
    assert "Correct!" in after.text and question.explanation in after.text


async def test_channels_without_reveal_at_close_still_tell_the_verdict_at_once(daily: Daily) -> None:
    slack = daily.slack
    await slack.engine.set_schedule(slack.place, "09:00", "UTC")
    post = await daily.post_day(FRIDAY)

    reply = await daily.answer(post, slack.alice, right=True)

    assert "Correct!" in reply.text and "Answer recorded" not in reply.text


# -- the live answer count ---------------------------------------------------------------------------------


async def test_two_clicks_on_the_daily_post_give_one_edit_showing_two_answers(
    tmp_path: Path, clock: FakeClock
) -> None:
    bank = tmp_path / "daily-bank"
    bank.mkdir()
    (bank / "daily.yaml").write_text(DAILY_BANK, encoding="utf-8")
    async with slack_harness(tmp_path, bank=bank, clock=clock) as slack:
        poster = SlackChannelPoster(web_client(slack.runtime.settings))
        service = DailyService(
            slack.engine, {"slack": poster}, cutoff=CUTOFF, clock=clock, count_interval=0.5
        )
        slack.engine.daily_answer_listeners.append(service.answer_recorded)
        daily = Daily(slack, service, clock)
        await slack.engine.set_schedule(slack.place, "09:00", "UTC")
        post = await daily.post_day(FRIDAY)
        ts = (await daily.asked(post)).message_ref

        await asyncio.gather(
            daily.answer(post, slack.alice, right=True), daily.answer(post, slack.bob, right=False)
        )
        await service.flush_counts()

        [update] = slack.fake.calls_to("chat.update")
        assert (update.args["channel"], update.args["ts"]) == (CHANNEL, ts)
        edited = SentMessage("chat.update", update.args)
        assert "2 answers so far" in edited.text
        assert len([b for b in edited.blocks if b["type"] == "actions"]) == 1  # still answerable


# -- closing posts across the end of a week ----------------------------------------------------------------


async def test_closing_posts_show_this_week_then_last_weeks_final_top_3_with_daily_streaks(
    daily: Daily,
) -> None:
    slack = daily.slack
    carl, dave = slack.fake.add_user("U0CARL", "carl"), slack.fake.add_user("U0DAVE", "dave")
    await slack.engine.set_schedule(slack.place, "09:00", "UTC")
    friday = await daily.post_day(FRIDAY)
    await daily.answer(friday, slack.alice, right=True)
    saturday = await daily.post_day(SATURDAY)  # closes Friday's question, mid-week
    for user in (slack.alice, slack.bob):
        await daily.answer(saturday, user, right=True)
    sunday = await daily.post_day(SUNDAY)
    for user, right in ((slack.alice, True), (slack.bob, True), (carl, True), (dave, False)):
        await daily.answer(sunday, user, right=right)

    await daily.post_day(MONDAY)  # closes Sunday's question: last week is over

    friday_close, saturday_close, sunday_close = daily.thread_replies()
    assert "*This week (from Mon 16 Nov)*" in friday_close.text
    assert "Final standings" not in friday_close.text
    final = next(b for b in sunday_close.blocks if b.get("block_id") == "quiz-week-top")["text"]["text"]
    lines = final.splitlines()
    assert lines[0] == "*Final standings, week of 16 Nov*"
    assert lines[1] == ":trophy: Last week's top 3: alice, bob and carl. Congratulations!"
    assert lines[2].startswith(":first_place_medal: *alice* · *3 pts*") and lines[2].endswith(":fire: 3")
    assert lines[3].startswith(":second_place_medal: *bob* · *2 pts*") and lines[3].endswith(":fire: 2")
    assert lines[4].startswith(":third_place_medal: *carl* · *1 pt*") and lines[4].endswith(":fire: 1")
    assert lines[5].startswith("*4.* dave") and ":fire:" not in lines[5]
    assert "This week" not in sunday_close.text
    assert ":fire: 2" in saturday_close.text  # alice, two days running


# -- the channel's daily streak in /quiz stats -------------------------------------------------------------


async def test_stats_show_the_daily_streak_of_the_channel_they_are_run_in(daily: Daily) -> None:
    slack = daily.slack
    await slack.engine.set_schedule(slack.place, "09:00", "UTC")
    for day in (FRIDAY, SATURDAY):
        await daily.answer(await daily.post_day(day), slack.alice, right=True)

    here = slack.reply(await slack.quiz("stats", slack.alice))
    elsewhere = slack.reply(await slack.quiz("stats", slack.alice, channel="C0OTHER"))
    await daily.post_day(SUNDAY)  # Alice skips Sunday's question ...
    await daily.post_day(MONDAY)  # ... which closes now, ending her streak
    broken = slack.reply(await slack.quiz("stats", slack.alice))

    assert "*Daily streak here*\n2 (best 2)" in stat_fields(here)
    assert not [f for f in stat_fields(elsewhere) if "Daily streak" in f]
    assert "*Answered*\n2" in stat_fields(elsewhere)  # the workspace-wide figures are the same everywhere
    assert "*Daily streak here*\n0 (best 2)" in stat_fields(broken)


def stat_fields(message: SentMessage) -> list[str]:
    return [f["text"] for b in message.blocks if b.get("block_id") == "quiz-stats" for f in b["fields"]]
