"""The fake Discord's message nonces and channel history, as the daily outbox relies on them.

Requests are sent over real HTTP with the bot token, the way discord.py sends them; the fake must answer like
Discord, so that a poster that works against it works against Discord.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from tests.fakes.discord_fake import NONCE_MAX, FakeDiscord


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as server:
        yield server


async def call(fake: FakeDiscord, method: str, path: str, **kw: Any) -> tuple[int, Any]:
    headers = {"Authorization": f"Bot {fake.token}"}
    async with (
        aiohttp.ClientSession() as session,
        session.request(method, fake.api_base + path, headers=headers, **kw) as resp,
    ):
        return resp.status, await resp.json()


async def post(fake: FakeDiscord, channel: int, **body: Any) -> tuple[int, Any]:
    return await call(fake, "POST", f"/channels/{channel}/messages", json=body)


async def test_enforced_nonce_returns_the_first_message_instead_of_posting_again(fake: FakeDiscord) -> None:
    status, first = await post(
        fake, fake.channel_id, content="hello", nonce="q20261118abc", enforce_nonce=True
    )
    _, again = await post(fake, fake.channel_id, content="hello", nonce="q20261118abc", enforce_nonce=True)

    assert status == 200 and first["nonce"] == "q20261118abc"
    assert again["id"] == first["id"]
    assert len(fake.channel_messages()) == 1


async def test_a_nonce_without_enforce_nonce_does_not_deduplicate(fake: FakeDiscord) -> None:
    _, first = await post(fake, fake.channel_id, content="a", nonce="same")
    _, second = await post(fake, fake.channel_id, content="b", nonce="same")

    assert first["id"] != second["id"]
    assert len(fake.channel_messages()) == 2


async def test_a_nonce_longer_than_25_characters_is_refused(fake: FakeDiscord) -> None:
    status, body = await post(
        fake, fake.channel_id, content="x", nonce="n" * (NONCE_MAX + 1), enforce_nonce=True
    )

    assert status == 400 and body["code"] == 50035
    assert fake.channel_messages() == []


async def test_history_is_newest_first_pages_after_an_id_and_does_not_return_nonces(
    fake: FakeDiscord,
) -> None:
    other = fake.add_channel()
    ids = []
    for i in range(5):
        _, message = await post(fake, fake.channel_id, content=f"m{i}", nonce=f"n{i}", enforce_nonce=True)
        ids.append(message["id"])
    await post(fake, other, content="elsewhere")

    _, latest = await call(fake, "GET", f"/channels/{fake.channel_id}/messages", params={"limit": "2"})
    _, after = await call(
        fake, "GET", f"/channels/{fake.channel_id}/messages", params={"after": ids[1], "limit": "2"}
    )
    _, before = await call(fake, "GET", f"/channels/{fake.channel_id}/messages", params={"before": ids[1]})
    status, _ = await call(fake, "GET", f"/channels/{fake.channel_id}/messages", params={"limit": "101"})

    assert [m["content"] for m in latest] == ["m4", "m3"]
    assert [m["content"] for m in after] == ["m3", "m2"]  # the two right after m1, newest first
    assert [m["content"] for m in before] == ["m0"]
    assert all("nonce" not in m for m in latest + after + before)
    assert status == 400


async def test_tap_sees_a_request_before_and_after_the_fake_acted(fake: FakeDiscord) -> None:
    seen: list[tuple[str, str, int]] = []

    async def tap(stage: str, request: object, recorded: Any) -> None:
        seen.append((stage, recorded.method, len(fake.channel_messages())))

    fake.tap = tap
    await post(fake, fake.channel_id, content="hi")

    assert seen == [("received", "POST", 0), ("answering", "POST", 1)]


async def identify(fake: FakeDiscord, shard: list[int]) -> tuple[list[dict[str, Any]], int | None]:
    """IDENTIFY with ``shard`` over a raw websocket; the dispatches received until the fake went quiet
    after the guilds (or closed), and the close code if it closed."""
    frames: list[dict[str, Any]] = []
    async with aiohttp.ClientSession() as session, session.ws_connect(fake.gateway_url) as ws:
        assert (await ws.receive_json())["op"] == 10  # HELLO
        await ws.send_json({"op": 2, "d": {"token": fake.token, "shard": shard}})
        while True:
            message = await ws.receive(timeout=fake.timeout)
            if message.type != aiohttp.WSMsgType.TEXT:
                return frames, ws.close_code
            frame = message.json()
            frames.append(frame)
            guilds = [f for f in frames if f.get("t") == "GUILD_CREATE"]
            ready = next(f for f in frames if f.get("t") == "READY")
            if len(guilds) == len(ready["d"]["guilds"]):
                return frames, None


async def test_identify_with_a_shard_gets_ready_and_the_guilds_of_that_shard_only(fake: FakeDiscord) -> None:
    mine, other = fake.add_guild(1, 2), fake.add_guild(0, 2)
    frames, closed = await identify(fake, [1, 2])

    assert closed is None
    ready = frames[0]
    assert ready["t"] == "READY" and ready["d"]["shard"] == [1, 2]
    created = {f["d"]["id"] for f in frames if f["t"] == "GUILD_CREATE"}
    assert str(mine.id) in created and str(other.id) not in created
    assert created == {str(g.id) for g in fake.guilds if g.shard(2) == 1}
    assert fake.identified_shards == [(1, 2)]


async def test_identify_with_a_shard_outside_the_count_is_closed_4010(fake: FakeDiscord) -> None:
    frames, closed = await identify(fake, [2, 2])

    assert (frames, closed) == ([], 4010)
    assert fake.identified_shards == []
