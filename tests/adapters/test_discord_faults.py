"""Hostile input over the gateway: a malformed event never stops the bot, a forged id gets an answer."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from typing import Any

import pytest
from pydantic import SecretStr

from adapters.discord_bot import plugin
from quizbot.cli import serve
from quizbot.plugins import Runtime
from quizbot.settings import Settings
from quizbot.supervisor import Backoff
from tests.adapters.discord_support import (  # noqa: F401  (the *_fixture names are used as fixtures)
    FAST_START,
    asked_id_of,
    bot_fixture,
    fake_fixture,
    recorder_fixture,
    runtime_fixture,
    settings_fixture,
    text_of,
)
from tests.fakes.discord_fake import APPLICATION_COMMAND, MESSAGE_COMPONENT, MODAL_SUBMIT, FakeDiscord

MALFORMED: list[tuple[int, Any]] = [
    (MESSAGE_COMPONENT, None),
    (MESSAGE_COMPONENT, {}),
    (MESSAGE_COMPONENT, {"component_type": 2}),  # no custom_id
    (MESSAGE_COMPONENT, {"custom_id": 12345, "component_type": 2}),  # custom_id not a string
    (MESSAGE_COMPONENT, {"custom_id": ["quiz:1:0"], "component_type": 2}),
    (MESSAGE_COMPONENT, {"custom_id": "quiz:1:0"}),  # no component_type
    (MODAL_SUBMIT, None),
    (MODAL_SUBMIT, {}),
    (MODAL_SUBMIT, {"custom_id": 7, "components": []}),
    (MODAL_SUBMIT, {"custom_id": "quiz:1:modal"}),  # no components
    (APPLICATION_COMMAND, None),
    (APPLICATION_COMMAND, {}),
    (APPLICATION_COMMAND, {"name": "quiz"}),  # no id, type or options
    (APPLICATION_COMMAND, {"id": "1", "name": 5, "type": 1}),
]

NO_LONGER_AVAILABLE = "That question is no longer available"
SHARDING_REQUIRED = 4011
"""A close code after which discord.py stops reconnecting and raises out of ``Client.start``."""


class FastStartingDiscord:
    """The Discord plugin as ``quizbot run`` serves it, with the fake's one guild ready at once."""

    name = "discord"

    def add_commands(self, commands: object) -> None:
        pass

    def enabled(self, settings: Settings) -> bool:
        return plugin.enabled(settings)

    async def serve(self, runtime: Runtime) -> None:
        await plugin.serve(runtime, **FAST_START)


@contextlib.asynccontextmanager
async def served(runtime: Runtime) -> Any:
    """The bot as ``quizbot run`` serves it (``plugin.serve``), connected to the fake."""
    serving = asyncio.create_task(plugin.serve(runtime, **FAST_START))
    try:
        yield serving
    finally:
        serving.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await serving


async def test_malformed_interactions_are_dropped_and_the_connection_keeps_serving(
    fake: FakeDiscord, runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    async with served(runtime) as serving:
        await fake.wait_identified()
        question = await (await fake.slash(fake.member, "quiz")).reply()
        for kind, data in MALFORMED:
            await fake.inject(kind, fake.member, data, message=question)

        after = await (await fake.slash(fake.member, "quiz")).reply()

        assert asked_id_of(after) != asked_id_of(question)
        assert not serving.done(), "the bot stopped"
        assert fake.identify_count == 1, "the gateway connection was dropped and made again"
    dropped = [r for r in caplog.records if "discord: dropped" in r.getMessage()]
    assert len(dropped) == len(MALFORMED)
    assert all("\n" not in r.getMessage() and r.exc_info is None for r in dropped)
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert [e for e in errors if "_delay_ready" not in e] == []  # (discord.py's own, when a bot closes)


@pytest.mark.parametrize(
    "asked",
    [
        str(2**63),  # one past the largest id a database column holds
        "9" * 90,  # thousands of digits would pass too; Discord caps custom_id at 100 characters
        "²",  # a superscript two: str.isdigit() says yes, int() says no
        "٣",  # an Arabic-Indic three: a decimal digit to regexes and int(), not an id we ever write
        "-1",
        "0",
    ],
)
async def test_a_forged_id_on_a_button_is_answered_as_no_longer_available(
    fake: FakeDiscord, runtime: Runtime, bot: Any, asked: str, caplog: pytest.LogCaptureFixture
) -> None:
    question = await (await fake.slash(fake.member, "quiz", {"topic": "ml"})).reply()

    for custom_id in (f"quiz:{asked}:0", f"quiz:{asked}:answer"):
        handle = await fake.forge_click(fake.member, question["id"], custom_id)
        if custom_id.endswith(":answer"):  # opening the modal does no database work ...
            modal = await handle.modal()
            # ... its submission is where the id is checked
            handle = await fake.submit_modal(fake.member, modal, {"answer": "x"})
        assert NO_LONGER_AVAILABLE in text_of(await handle.reply())
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_forged_modal_id_is_answered_as_no_longer_available(
    fake: FakeDiscord, runtime: Runtime, bot: Any
) -> None:
    for asked in (str(2**64), "²", "1e3"):
        modal = {
            "custom_id": f"quiz:{asked}:modal",
            "components": [{"type": 1, "components": [{"type": 4, "custom_id": "answer"}]}],
        }
        handle = await fake.submit_modal(fake.member, modal, {"answer": "Spark"})
        assert NO_LONGER_AVAILABLE in text_of(await handle.reply())


async def test_a_client_that_dies_is_restarted_by_run_and_answers_again(
    fake: FakeDiscord, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="quizbot")
    settings = settings.model_copy(update={"daily_start_delay_seconds": 60.0})
    running = asyncio.create_task(serve(settings, [FastStartingDiscord()], backoff=Backoff(first=0.01)))
    try:
        await fake.wait_identified()
        await fake.close_gateway(SHARDING_REQUIRED)

        await fake.wait_identified(2)
        question = await (await fake.slash(fake.member, "quiz")).reply()
        assert custom_ids_of(question)
    finally:
        os.kill(os.getpid(), signal.SIGTERM)
        assert await asyncio.wait_for(running, 10) == 0
    failures = [r.getMessage() for r in caplog.records if r.name == "quizbot.supervisor"]
    assert len(failures) == 1 and failures[0].startswith("discord failed (ConnectionClosed")
    assert [r.getMessage() for r in caplog.records].count("quizbot stopped") == 1


def custom_ids_of(message: dict[str, Any]) -> list[str]:
    return [c["custom_id"] for row in message.get("components", []) for c in row.get("components", [])]


async def test_a_refused_token_stops_run_with_one_line_instead_of_restarting(
    fake: FakeDiscord, settings: Settings
) -> None:
    from quizbot.plugins import PluginConfigError

    wrong = settings.model_copy(update={"discord_token": SecretStr("not-the-token")})

    with pytest.raises(PluginConfigError, match="answered 401 Unauthorized; check DISCORD_TOKEN") as refused:
        await asyncio.wait_for(serve(wrong, [FastStartingDiscord()], backoff=Backoff(first=0.01)), 10)

    assert "\n" not in str(refused.value)
    assert len(fake.requests_to("GET", r"/users/@me")) == 1  # tried once, not again and again
