"""Shared set-up for the Discord tests: the fake, a runtime on a fresh database, and a bot started for real.

The bot is the production one (``create_bot`` + ``bot.start(token)``, exactly what ``plugin.serve`` runs);
only its REST base and gateway URL point at the fake, through the same settings an operator would set.
Fixtures are named ``*_fixture`` and registered under their short names (``fake``, ``settings``, ``runtime``,
``recorder``, ``bot``): a test module imports the ones it uses, and its tests take them by the short name.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from adapters.discord_bot.bot import QuizBot, create_bot
from quizbot.engine import Clock, QuizEngine, system_clock
from quizbot.plugins import Runtime
from quizbot.settings import Settings
from tests.fakes.discord_fake import EPHEMERAL_FLAG, FakeDiscord, walk_components

FAST_START = {"guild_ready_timeout": 0.05}
"""discord.py waits this long for more guilds before it is ready (2 s by default); the fake has one."""


class ScheduleRecorder:
    """Counts ``runtime.schedules_changed()`` calls, as the scheduler would see them."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> None:
        self.calls += 1


@pytest.fixture(name="fake")
async def fake_fixture() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as server:
        yield server


def discord_settings(fake: FakeDiscord, database_url: str, questions: Path | str, **extra: Any) -> Settings:
    """Settings as an operator would write them, pointing the bot at ``fake``."""
    return Settings(
        database_url=database_url,
        questions=str(questions),
        DISCORD_TOKEN=fake.token,
        discord_api_base=fake.api_base,
        discord_gateway_url=fake.gateway_url,
        **extra,
    )


@pytest.fixture(name="settings")
def settings_fixture(fake: FakeDiscord, sqlite_url: str, bank_dir: Path) -> Settings:
    return discord_settings(fake, sqlite_url, bank_dir)


@pytest.fixture(name="recorder")
def recorder_fixture() -> ScheduleRecorder:
    return ScheduleRecorder()


@contextlib.asynccontextmanager
async def open_runtime(
    settings: Settings, recorder: ScheduleRecorder | None = None, clock: Clock | None = None
) -> AsyncIterator[Runtime]:
    """The engine and runtime ``quizbot run`` would build from ``settings``; ``clock`` pins the week."""
    engine = await QuizEngine.open(settings, clock=clock or system_clock)
    runtime = Runtime(settings=settings, engine=engine)
    if recorder is not None:
        runtime.on_schedules_changed.append(recorder)
    try:
        yield runtime
    finally:
        await engine.aclose()


@pytest.fixture(name="runtime")
async def runtime_fixture(
    settings: Settings, recorder: ScheduleRecorder, clock: Clock
) -> AsyncIterator[Runtime]:
    async with open_runtime(settings, recorder, clock) as rt:
        yield rt


READY_TIMEOUT = 5.0
"""How long a bot on one connection gets to become ready."""
IDENTIFY_INTERVAL = 5.0
"""discord.py identifies a process's shards one after the other, 5 s apart (Discord's session start limit
of one IDENTIFY per 5 s), so a bot running ``n`` shards is ready after about ``5 * (n - 1)`` s."""
STOP_TIMEOUT = 10.0
"""How long a closed bot gets to return from ``start``; a sharded bot closed while it still launches its
shards keeps retrying them (discord.py), so it is cancelled after that."""


@contextlib.asynccontextmanager
async def running_bot(runtime: Runtime, **options: Any) -> AsyncIterator[QuizBot]:
    """Start the production bot with ``bot.start(token)`` and yield it once ready; close it afterwards."""
    bot = create_bot(runtime, **{**FAST_START, **options})
    token = runtime.settings.discord_token
    assert token is not None
    plan = runtime.settings.discord_shard_plan
    within = READY_TIMEOUT + IDENTIFY_INTERVAL * (len(plan.ids) - 1 if plan else 0)
    started = asyncio.create_task(bot.start(token.get_secret_value()))
    ready = asyncio.create_task(bot.wait_until_ready())
    try:
        done, _ = await asyncio.wait({started, ready}, timeout=within, return_when=asyncio.FIRST_COMPLETED)
        if started in done:
            started.result()  # raises what stopped the bot
            raise AssertionError("the bot stopped before it was ready")
        assert ready in done, f"the bot did not become ready within {within:.0f} s"
        yield bot
    finally:
        ready.cancel()
        await bot.close()
        await asyncio.wait({started}, timeout=STOP_TIMEOUT)
        started.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await started


@pytest.fixture(name="bot")
async def bot_fixture(runtime: Runtime) -> AsyncIterator[QuizBot]:
    async with running_bot(runtime) as running:
        yield running


# ------------------------------------------------------------------ reading what the bot sent


def components(message: dict[str, Any]) -> list[dict[str, Any]]:
    """Every button (or other interactive component) on a message, in order."""
    return [c for c in walk_components(message.get("components", [])) if "custom_id" in c]


def custom_ids(message: dict[str, Any]) -> list[str]:
    return [c["custom_id"] for c in components(message)]


def labels(message: dict[str, Any]) -> list[str]:
    return [c.get("label", "") for c in components(message)]


def asked_id_of(message: dict[str, Any]) -> int:
    """The asked-question id the buttons of ``message`` refer to."""
    ids = {int(m["asked"]) for cid in custom_ids(message) if (m := re.match(r"quiz:(?P<asked>\d+):", cid))}
    assert len(ids) == 1, f"expected buttons for one question, got {custom_ids(message)}"
    return ids.pop()


def embed(message: dict[str, Any]) -> dict[str, Any]:
    assert message["embeds"], f"expected an embed, got content {message['content']!r}"
    return message["embeds"][0]


def field(message: dict[str, Any], name: str) -> str:
    for item in embed(message).get("fields", []):
        if item["name"] == name:
            return item["value"]
    raise AssertionError(f"no field {name!r} in {embed(message)}")


def text_of(message: dict[str, Any]) -> str:
    """All visible text of a message: content, embed titles, descriptions, fields and footers."""
    parts = [message.get("content") or ""]
    for e in message.get("embeds", []):
        parts += [e.get("title", ""), e.get("description", ""), (e.get("footer") or {}).get("text", "")]
        parts += [f"{f['name']}: {f['value']}" for f in e.get("fields", [])]
    return "\n".join(p for p in parts if p)


def is_ephemeral(message: dict[str, Any]) -> bool:
    return bool(message.get("flags", 0) & EPHEMERAL_FLAG)
