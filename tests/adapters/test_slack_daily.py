"""Daily questions: the public post, private confirmations of clicks on it, the count, and the close."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adapters.slack_app.app import web_client
from adapters.slack_app.poster import METADATA_EVENT, SlackChannelPoster
from quizbot.domain import AskedQuestion, AskKind, OutboxKind, OutboxMessage, Period, QuestionType
from quizbot.engine import QuizEngine
from quizbot.plugins import ChannelPoster
from tests.adapters.slack_support import CHANNEL, SlackHarness, slack_harness
from tests.fakes.slack_fake import SentMessage


@pytest.fixture
async def slack(tmp_path: Path, engine: QuizEngine) -> AsyncIterator[SlackHarness]:
    async with slack_harness(tmp_path, engine=engine) as harness:
        yield harness


@pytest.fixture
def poster(slack: SlackHarness) -> SlackChannelPoster:
    return SlackChannelPoster(web_client(slack.runtime.settings))


async def daily_choice_question(slack: SlackHarness) -> AskedQuestion:
    for _ in range(len(slack.engine.bank)):
        asked = await slack.engine.ask(slack.place, kind=AskKind.DAILY, topic="ml")
        if asked.question.type is QuestionType.MULTIPLE_CHOICE:
            return asked
    raise AssertionError("no multiple-choice question in the ml topic")


def posted(slack: SlackHarness) -> SentMessage:
    return next(m for m in slack.fake.sent if m.via == "chat.postMessage")


async def test_poster_implements_the_channel_poster_protocol(poster: SlackChannelPoster) -> None:
    assert isinstance(poster, ChannelPoster)
    assert poster.platform == "slack"


async def test_daily_question_is_posted_publicly_with_one_button_per_choice(
    slack: SlackHarness, poster: SlackChannelPoster
) -> None:
    asked = await daily_choice_question(slack)

    ts = await poster.post_question(asked)

    [call] = slack.fake.calls_to("chat.postMessage")
    assert call.args["channel"] == CHANNEL and ts
    message = posted(slack)
    assert "Question of the day" in message.text and asked.question.prompt in message.text
    labels = [e["text"]["text"] for b in message.blocks if b["type"] == "actions" for e in b["elements"]]
    assert len(labels) == len(asked.question.choices)
    assert "0 answers so far" in message.text


async def test_clicks_on_the_daily_post_are_confirmed_privately_to_each_clicker(
    slack: SlackHarness, poster: SlackChannelPoster
) -> None:
    asked = await daily_choice_question(slack)
    ts = await poster.post_question(asked)
    wrong = next(c for c in asked.question.choices if c != asked.question.correct_answer)

    alice = slack.reply(
        await slack.click(
            posted(slack), slack.alice, button=asked.question.correct_answer, ephemeral=False, message_ts=ts
        )
    )
    bob = slack.reply(
        await slack.click(posted(slack), slack.bob, button=wrong, ephemeral=False, message_ts=ts)
    )

    for reply in (alice, bob):
        assert reply.body["response_type"] == "ephemeral"
        assert reply.body["replace_original"] is False  # the public post stays as everyone sees it
    assert "Correct!" in alice.text and "Not quite" in bob.text
    assert slack.fake.calls_to("chat.update") == []
    board = await slack.engine.leaderboard(slack.place, period=Period.WEEK, channel_only=True)
    assert [e.name for e in board.entries] == ["alice", "bob"]


async def test_answer_count_updates_the_public_post(slack: SlackHarness, poster: SlackChannelPoster) -> None:
    asked = await daily_choice_question(slack)
    ts = await poster.post_question(asked)

    await poster.update_answer_count(asked, ts, 3)

    [update] = slack.fake.calls_to("chat.update")
    assert (update.args["channel"], update.args["ts"]) == (CHANNEL, ts)
    assert "3 answers so far" in SentMessage("chat.update", update.args).text


async def test_close_removes_the_buttons_and_reveals_answer_share_firsts_and_weekly_top(
    slack: SlackHarness, poster: SlackChannelPoster
) -> None:
    asked = await daily_choice_question(slack)
    ts = await poster.post_question(asked)
    wrong = next(c for c in asked.question.choices if c != asked.question.correct_answer)
    await slack.click(posted(slack), slack.alice, button=asked.question.correct_answer, ephemeral=False)
    await slack.click(posted(slack), slack.bob, button=wrong, ephemeral=False)
    summary = await slack.engine.close_question(asked.id)
    board = await slack.engine.leaderboard(slack.place, period=Period.WEEK, limit=5, channel_only=True)

    await poster.post_close(summary, board, ts)

    [update] = slack.fake.calls_to("chat.update")
    closed = SentMessage("chat.update", update.args)
    assert update.args["ts"] == ts
    assert not [b for b in closed.blocks if b["type"] == "actions"]
    assert f"answer: {asked.question.correct_answer}" in closed.text
    reveal_call = slack.fake.calls_to("chat.postMessage")[-1]
    assert reveal_call.args["thread_ts"] == ts
    reveal = SentMessage("chat.postMessage", reveal_call.args)
    assert f"*Answer:* {asked.question.correct_answer}" in reveal.text
    assert asked.question.explanation in reveal.text
    assert "2 answers · 1 correct (50%)" in reveal.text
    assert "*First right:* alice" in reveal.text
    assert "*This week (from Mon 16 Nov)*" in reveal.text and "bob" in reveal.text
    assert "Final standings" not in reveal.text and "Congratulations" not in reveal.text


async def test_click_after_close_is_told_the_question_is_closed(
    slack: SlackHarness, poster: SlackChannelPoster
) -> None:
    asked = await daily_choice_question(slack)
    await poster.post_question(asked)
    await slack.engine.close_question(asked.id)

    late = slack.reply(await slack.click(posted(slack), slack.bob, ephemeral=False))

    assert "closed" in late.text
    assert (await slack.engine.stats(slack.place, slack.player(slack.bob))).answered == 0


async def test_rate_limited_post_is_retried_after_retry_after(
    slack: SlackHarness, poster: SlackChannelPoster
) -> None:
    slack.fake.rate_limit_interval = 0.5
    first, second = await daily_choice_question(slack), await daily_choice_question(slack)

    refs = [await poster.post_question(first), await poster.post_question(second)]

    assert len(set(refs)) == 2
    assert len(slack.fake.rate_limited) == 1
    assert len(slack.fake.calls_to("chat.postMessage")) == 2


async def test_close_of_a_deleted_post_still_reveals_the_answer_in_the_channel(
    slack: SlackHarness, poster: SlackChannelPoster
) -> None:
    asked = await daily_choice_question(slack)
    ts = await poster.post_question(asked)
    slack.fake.delete_message(ts)
    summary = await slack.engine.close_question(asked.id)
    board = await slack.engine.leaderboard(slack.place, period=Period.WEEK, limit=5, channel_only=True)

    await poster.post_close(summary, board, ts)

    reveal_call = slack.fake.calls_to("chat.postMessage")[-1]
    assert "thread_ts" not in reveal_call.args  # no thread to reply in: the reveal goes to the channel
    assert (
        f"*Answer:* {asked.question.correct_answer}" in SentMessage("chat.postMessage", reveal_call.args).text
    )


async def test_slow_replies_to_slack_do_not_hold_back_other_answers(
    tmp_path: Path, engine: QuizEngine
) -> None:
    async with slack_harness(tmp_path, engine=engine, process_before_response=False) as slack:
        asked = await daily_choice_question(slack)
        ts = await SlackChannelPoster(web_client(slack.runtime.settings)).post_question(asked)
        players = [slack.fake.add_user(f"U{i:04}", f"p{i}") for i in range(12)]
        recorded: list[int] = []
        all_recorded = asyncio.Event()

        def on_answer(asked_id: int) -> None:
            recorded.append(asked_id)
            if len(recorded) == len(players):
                all_recorded.set()

        slack.engine.daily_answer_listeners.append(on_answer)
        slack.fake.responses_open.clear()  # Slack is slow to take our replies
        try:
            acks = await asyncio.gather(
                *(slack.client.click(posted(slack), p, ephemeral=False, message_ts=ts) for p in players)
            )
            assert all(a.status == 200 for a in acks)
            # every answer is recorded while all the replies still wait
            await asyncio.wait_for(all_recorded.wait(), timeout=5)
        finally:
            slack.fake.responses_open.set()
        await slack.fake.wait_for(lambda: all(slack.fake.responses_to(str(a.response_url)) for a in acks))


# -- the outbox: keys in message metadata, and finding a post after a crash ---------------------------------


async def test_find_sent_finds_the_question_and_its_threaded_reveal_by_their_metadata(
    slack: SlackHarness, poster: SlackChannelPoster
) -> None:
    asked = await daily_choice_question(slack)
    since = datetime.now(UTC)
    ts = await poster.post_question(asked, key="q20261118feedfacecafebeef")
    question = OutboxMessage("q20261118feedfacecafebeef", OutboxKind.QUESTION, asked, since)
    close = OutboxMessage("c20261118feedfacecafebeef", OutboxKind.CLOSE, asked, since, ts)

    assert await poster.find_sent(question) == ts
    assert await poster.find_sent(close) is None
    summary = await slack.engine.close_question(asked.id)
    board = await slack.engine.leaderboard(slack.place, period=Period.WEEK, limit=5, channel_only=True)
    reveal = await poster.post_close(summary, board, ts, key=close.key)

    assert await poster.find_sent(close) == reveal
    assert slack.fake.calls_to("conversations.replies")[-1].args["include_all_metadata"] in (
        True,
        "true",
        "1",
    )
    [post, reply] = slack.fake.channel_posts(CHANNEL)
    assert post["metadata"] == {"event_type": METADATA_EVENT, "event_payload": {"key": question.key}}
    assert reply["thread_ts"] == ts and reply["metadata"]["event_payload"] == {"key": close.key}


async def test_find_sent_ignores_posts_from_before_the_first_attempt(
    slack: SlackHarness, poster: SlackChannelPoster
) -> None:
    asked = await daily_choice_question(slack)
    await poster.post_question(asked, key="q-key")
    later = OutboxMessage("q-key", OutboxKind.QUESTION, asked, datetime.now(UTC) + timedelta(hours=1))

    assert await poster.find_sent(later) is None
    [call] = slack.fake.calls_to("conversations.history")
    assert float(call.args["oldest"]) > time.time()
