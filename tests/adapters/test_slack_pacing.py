"""Posting under Slack's per-channel limit, and answering a burst of clicks, as the running bot does.

The fake enforces one ``chat.postMessage`` per interval per channel (shortened here so the tests stay fast)
and answers 429 beyond it; the production poster must wait for the channel's turn instead.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest

from adapters.slack_app.app import build_app, web_client
from adapters.slack_app.commands import ANSWERS_AT_ONCE
from adapters.slack_app.pacing import ChannelPacer
from adapters.slack_app.poster import SlackChannelPoster
from quizbot.daily import DailyService, Outcome
from quizbot.domain import AskedQuestion, AskKind, Period, Place, QuestionType
from quizbot.engine import QuizEngine
from quizbot.plugins import Runtime
from quizbot.settings import Settings
from tests.adapters.slack_support import (
    CHANNEL,
    SlackHarness,
    clean_slack_env,
    serve_app,
    slack_harness,
)
from tests.conftest import FakeClock
from tests.fakes.slack_fake import (
    DEFAULT_BOT_TOKEN,
    DEFAULT_SIGNING_SECRET,
    FakeSlackApi,
    SentMessage,
    SignedSlackClient,
)

INTERVAL = 0.3
"""Seconds between two messages in one channel, for the fake and the poster alike (Slack: about 1 s)."""


@pytest.fixture
async def slack(tmp_path: Path, engine: QuizEngine) -> AsyncIterator[SlackHarness]:
    async with slack_harness(tmp_path, engine=engine) as harness:
        harness.fake.limit_posts(INTERVAL)
        yield harness


@pytest.fixture
def paced(slack: SlackHarness) -> SlackChannelPoster:
    return SlackChannelPoster(web_client(slack.runtime.settings), pacer=ChannelPacer(INTERVAL))


async def choice_question(engine: QuizEngine, place: Place) -> AskedQuestion:
    for _ in range(len(engine.bank)):
        asked = await engine.ask(place, kind=AskKind.DAILY, topic="ml")
        if asked.question.type is QuestionType.MULTIPLE_CHOICE:
            return asked
    raise AssertionError("no multiple-choice question in the ml topic")


async def test_todays_question_waits_for_yesterdays_reveal_instead_of_drawing_a_429(
    slack: SlackHarness, paced: SlackChannelPoster
) -> None:
    yesterday = await choice_question(slack.engine, slack.place)
    ts = await paced.post_question(yesterday)
    summary = await slack.engine.close_question(yesterday.id)
    board = await slack.engine.leaderboard(slack.place, period=Period.WEEK, limit=5, channel_only=True)

    await paced.post_close(summary, board, ts)  # the reveal, a moment after the first post
    await paced.post_question(await choice_question(slack.engine, slack.place))

    posts = slack.fake.calls_to("chat.postMessage")
    assert [("thread_ts" in p.args) for p in posts] == [False, True, False]
    assert slack.fake.rate_limited == [] and slack.fake.violations == []


async def test_a_channel_waiting_for_its_turn_does_not_hold_up_another(
    slack: SlackHarness, paced: SlackChannelPoster
) -> None:
    other = Place("slack", slack.place.server, "C0OTHER")
    first = await choice_question(slack.engine, slack.place)
    second = await choice_question(slack.engine, slack.place)
    elsewhere = await choice_question(slack.engine, other)

    await paced.post_question(first)
    await asyncio.gather(paced.post_question(second), paced.post_question(elsewhere))

    channels = [c.args["channel"] for c in slack.fake.calls_to("chat.postMessage")]
    assert channels == [CHANNEL, "C0OTHER", CHANNEL]
    assert slack.fake.rate_limited == []


async def test_every_click_of_a_burst_gets_its_private_result(
    slack: SlackHarness, paced: SlackChannelPoster
) -> None:
    asked = await choice_question(slack.engine, slack.place)
    await paced.post_question(asked)
    post = next(m for m in slack.fake.sent if m.via == "chat.postMessage")
    players = [slack.fake.add_user(f"U0P{i:03d}", f"player{i}") for i in range(ANSWERS_AT_ONCE * 3)]

    replies = await asyncio.gather(*(slack.click(post, p, ephemeral=False) for p in players))

    assert all(asked.question.explanation in slack.reply(r).text for r in replies)
    board = await slack.engine.leaderboard(slack.place, limit=50)
    assert sum(e.answered for e in board.entries) == len(players)


async def test_replies_to_clicks_go_through_the_apps_shared_http_session(
    tmp_path: Path, engine: QuizEngine
) -> None:
    sent_through_session: list[str] = []

    async def on_request_start(
        session: object, context: object, params: aiohttp.TraceRequestStartParams
    ) -> None:
        sent_through_session.append(str(params.url))

    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(on_request_start)
    with clean_slack_env():
        async with FakeSlackApi() as fake, aiohttp.ClientSession(trace_configs=[trace]) as session:
            settings = Settings(
                _env_file=None,
                database_url=f"sqlite+aiosqlite:///{(tmp_path / 'unused.db').as_posix()}",
                SLACK_BOT_TOKEN=DEFAULT_BOT_TOKEN,
                SLACK_SIGNING_SECRET=DEFAULT_SIGNING_SECRET,
                slack_api_url=fake.api_url,
            )
            app = build_app(
                Runtime(settings=settings, engine=engine), process_before_response=True, session=session
            )
            async with serve_app(app) as url:
                client = SignedSlackClient(url, fake)
                try:
                    asked = await choice_question(engine, Place("slack", fake.team_id, CHANNEL))
                    await SlackChannelPoster(app.client).post_question(asked)
                    post = next(m for m in fake.sent if m.via == "chat.postMessage")
                    reply = await client.click(post, fake.add_user("U0ALICE", "alice"), ephemeral=False)
                finally:
                    await client.aclose()

    assert reply.response_url in sent_through_session
    assert any(url.endswith("/api/chat.postMessage") for url in sent_through_session)
    [result] = [SentMessage("response_url", b) for b in fake.responses_to(str(reply.response_url))]
    assert asked.question.explanation in result.text


async def test_a_days_fanout_closes_and_asks_every_channel_without_a_429(
    slack: SlackHarness, paced: SlackChannelPoster, clock: FakeClock
) -> None:
    clock.set(datetime(2026, 11, 18, 9, 0, 30, tzinfo=UTC))
    channels = [CHANNEL, "C0SECOND", "C0THIRD"]
    for channel in channels:
        await slack.engine.set_schedule(Place("slack", slack.place.server, channel), "09:00", "UTC")
    service = DailyService(slack.engine, {"slack": paced}, cutoff=timedelta(hours=3), clock=clock, fanout=1)
    assert {o for _, o in await service.post_due()} == {Outcome.POSTED}
    clock.advance(days=1)
    assert {o for _, o in await service.post_due()} == {Outcome.POSTED}  # reveal, then the new question

    for channel in channels:
        posts = slack.fake.channel_posts(channel)
        assert [("thread_ts" in p) for p in posts] == [False, True, False]
    assert slack.fake.rate_limited == [] and slack.fake.violations == []
