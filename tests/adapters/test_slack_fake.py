"""The fake Slack itself: a trivial Bolt app served over real HTTP must work against it like against Slack.

These tests pin down the test double the adapter tests rely on, so an adapter failure is never a fake failure.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiohttp
import pytest
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from tests.adapters.slack_support import assert_all_valid, clean_slack_env, serve_app
from tests.fakes.slack_fake import (
    DEFAULT_APP_TOKEN,
    DEFAULT_BOT_TOKEN,
    DEFAULT_SIGNING_SECRET,
    RESPONSE_URL_MAX_POSTS,
    FakeSlackApi,
    FakeUser,
    SignedSlackClient,
)

PING_BLOCKS = [
    {"type": "section", "block_id": "q", "text": {"type": "mrkdwn", "text": "pong?"}},
    {
        "type": "actions",
        "block_id": "a",
        "elements": [
            {
                "type": "button",
                "action_id": "pong",
                "text": {"type": "plain_text", "text": "Pong"},
                "value": "7",
            }
        ],
    },
]


def ping_app(fake: FakeSlackApi) -> AsyncApp:
    """A minimal app: ``/ping`` answers privately with a button; the button posts in the channel."""
    app = AsyncApp(
        client=AsyncWebClient(token=DEFAULT_BOT_TOKEN, base_url=fake.api_url),
        signing_secret=DEFAULT_SIGNING_SECRET,
        process_before_response=True,
    )

    @app.command("/ping")
    async def ping(ack, respond) -> None:
        await ack()
        await respond(blocks=PING_BLOCKS, text="pong?", response_type="ephemeral")

    @app.action("pong")
    async def pong(ack, body, client) -> None:
        await ack()
        await client.chat_postMessage(
            channel=body["channel"]["id"], text=f"value {body['actions'][0]['value']}"
        )

    return app


@dataclass
class Ping:
    fake: FakeSlackApi
    client: SignedSlackClient
    alice: FakeUser


@pytest.fixture
async def ping() -> AsyncIterator[Ping]:
    with clean_slack_env():
        async with FakeSlackApi() as fake, serve_app(ping_app(fake)) as url:
            client = SignedSlackClient(url, fake)
            try:
                yield Ping(fake, client, fake.add_user("U0ALICE", "alice"))
            finally:
                await client.aclose()


async def test_signed_slash_command_reaches_the_app_and_its_response_url_post_is_recorded(ping: Ping) -> None:
    reply = await ping.client.command("", ping.alice, command="/ping")

    assert reply.status == 200
    [body] = ping.fake.responses_to(reply.response_url)
    assert body["response_type"] == "ephemeral"
    assert body["blocks"] == PING_BLOCKS
    assert [c.method for c in ping.fake.calls] == ["auth.test"]
    assert ping.fake.calls[0].token == DEFAULT_BOT_TOKEN
    assert_all_valid(ping.fake.sent)


async def test_click_sends_back_the_rendered_buttons_ids_and_value(ping: Ping) -> None:
    reply = await ping.client.command("", ping.alice, command="/ping")
    [question] = [m for m in ping.fake.sent if m.via == "response_url"]

    await ping.client.click(question, ping.alice, button="Pong")

    [post] = ping.fake.calls_to("chat.postMessage")
    assert (post.args["channel"], post.args["text"]) == ("C0GENERAL", "value 7")
    assert reply.status == 200


@pytest.mark.parametrize(
    ("timestamp_offset", "secret"),
    [(0, "not-the-secret"), (-10 * 60, DEFAULT_SIGNING_SECRET)],
    ids=["wrong-secret", "stale-timestamp"],
)
async def test_badly_signed_request_is_refused_with_401(
    ping: Ping, timestamp_offset: int, secret: str
) -> None:
    form = ping.client.command_form("", ping.alice, command="/ping")

    reply = await ping.client.send(form, timestamp=int(time.time()) + timestamp_offset, secret=secret)

    assert reply.status == 401
    assert ping.fake.calls == []
    assert ping.fake.responses == []


async def test_response_url_takes_at_most_five_posts(ping: Ping) -> None:
    url = ping.fake.new_response_url()
    async with aiohttp.ClientSession() as session:
        statuses = []
        for _ in range(RESPONSE_URL_MAX_POSTS + 1):
            async with session.post(url, json={"text": "hi"}) as resp:
                statuses.append(resp.status)
    assert statuses == [200] * RESPONSE_URL_MAX_POSTS + [404]


async def test_web_api_refuses_a_wrong_token_and_unknown_users() -> None:
    async with FakeSlackApi() as fake:
        with pytest.raises(SlackApiError, match="invalid_auth"):
            await AsyncWebClient(token="xoxb-wrong", base_url=fake.api_url).auth_test()
        with pytest.raises(SlackApiError, match="user_not_found"):
            await AsyncWebClient(token=DEFAULT_BOT_TOKEN, base_url=fake.api_url).users_info(user="U0NOBODY")


async def test_rate_limit_answers_429_with_retry_after_per_channel() -> None:
    async with FakeSlackApi(rate_limit_interval=60) as fake:
        client = AsyncWebClient(token=DEFAULT_BOT_TOKEN, base_url=fake.api_url)
        await client.chat_postMessage(channel="C1", text="first")
        await client.chat_postMessage(channel="C2", text="other channel")
        with pytest.raises(SlackApiError) as err:
            await client.chat_postMessage(channel="C1", text="too soon")
    assert err.value.response.status_code == 429
    assert err.value.response.headers["Retry-After"] == "1"
    assert [c.args["text"] for c in fake.calls_to("chat.postMessage")] == ["first", "other channel"]


async def test_socket_mode_envelope_is_dispatched_and_acked() -> None:
    with clean_slack_env():
        async with FakeSlackApi() as fake:
            app = ping_app(fake)
            handler = AsyncSocketModeHandler(app, DEFAULT_APP_TOKEN)
            await handler.connect_async()
            try:
                client = SignedSlackClient("unused", fake)
                form = client.command_form("", fake.add_user("U0ALICE", "alice"), command="/ping")
                await client.aclose()
                ack = await fake.send_envelope("slash_commands", form)
                await fake.wait_for(lambda: bool(fake.responses))
            finally:
                await handler.close_async()
    assert ack["envelope_id"].startswith("E")
    assert fake.calls_to("apps.connections.open")[0].token == DEFAULT_APP_TOKEN
    assert fake.responses[0].body["blocks"] == PING_BLOCKS


# -- message metadata and history --------------------------------------------------------------------------


async def test_metadata_is_stored_and_returned_by_history_only_when_asked_for() -> None:
    async with FakeSlackApi() as fake:
        client = AsyncWebClient(token=DEFAULT_BOT_TOKEN, base_url=fake.api_url)
        tagged = {"event_type": "quiz_post", "event_payload": {"key": "k1"}}
        first = await client.chat_postMessage(channel="C1", text="tagged", metadata=tagged)
        await client.chat_postMessage(channel="C1", text="plain")
        await client.chat_postMessage(channel="C2", text="elsewhere")

        with_metadata = await client.conversations_history(channel="C1", include_all_metadata=True)
        without = await client.conversations_history(channel="C1")
        with pytest.raises(SlackApiError, match="invalid_metadata_format"):
            await client.chat_postMessage(channel="C1", text="x", metadata={"event_type": "quiz_post"})

    assert [m["text"] for m in with_metadata["messages"]] == ["plain", "tagged"]  # newest first
    assert with_metadata["messages"][1]["metadata"] == tagged
    assert with_metadata["messages"][1]["ts"] == first["ts"]
    assert all("metadata" not in m for m in without["messages"])


async def test_history_pages_by_cursor_after_oldest_and_leaves_thread_replies_in_their_thread() -> None:
    async with FakeSlackApi() as fake:
        client = AsyncWebClient(token=DEFAULT_BOT_TOKEN, base_url=fake.api_url)
        old = await client.chat_postMessage(channel="C1", text="before")
        parent = await client.chat_postMessage(channel="C1", text="parent")
        meta = {"event_type": "quiz_post", "event_payload": {"key": "reply"}}
        await client.chat_postMessage(channel="C1", text="reply", thread_ts=parent["ts"], metadata=meta)
        for i in range(3):
            await client.chat_postMessage(channel="C1", text=f"later {i}")

        pages, cursor = [], None
        while True:
            page = await client.conversations_history(channel="C1", oldest=old["ts"], limit=2, cursor=cursor)
            pages.append([m["text"] for m in page["messages"]])
            cursor = page["response_metadata"]["next_cursor"]
            if not page["has_more"]:
                break
        thread = await client.conversations_replies(channel="C1", ts=parent["ts"], include_all_metadata=True)
        with pytest.raises(SlackApiError, match="thread_not_found"):
            await client.conversations_replies(channel="C1", ts="1.000000")

    assert pages == [["later 2", "later 1"], ["later 0", "parent"]]  # "before" is not after oldest
    assert [m["text"] for m in thread["messages"]] == ["parent", "reply"]
    assert thread["messages"][1]["metadata"] == meta


async def test_deleted_messages_leave_the_history_and_ts_follow_the_wall_clock() -> None:
    async with FakeSlackApi() as fake:
        client = AsyncWebClient(token=DEFAULT_BOT_TOKEN, base_url=fake.api_url)
        before = time.time()
        gone = await client.chat_postMessage(channel="C1", text="gone")
        kept = await client.chat_postMessage(channel="C1", text="kept")
        fake.delete_message(gone["ts"])
        history = await client.conversations_history(channel="C1")

    assert [m["text"] for m in history["messages"]] == ["kept"]
    assert before <= float(gone["ts"]) < float(kept["ts"]) <= time.time()


async def test_tap_sees_each_call_when_it_arrives_and_when_it_is_answered() -> None:
    seen: list[tuple[str, str, int]] = []
    async with FakeSlackApi() as fake:

        async def tap(stage: str, request: object, call: object) -> None:
            seen.append((stage, call.method, len(fake.history.get("C1", []))))  # type: ignore[attr-defined]

        fake.tap = tap
        await AsyncWebClient(token=DEFAULT_BOT_TOKEN, base_url=fake.api_url).chat_postMessage(
            channel="C1", text="hi"
        )
    assert seen == [("received", "chat.postMessage", 0), ("answering", "chat.postMessage", 1)]
