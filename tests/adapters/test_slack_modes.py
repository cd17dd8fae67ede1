"""Running the adapter: the production ack-first setting, Socket Mode, HTTP mode, and configuration errors."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import AsyncIterator, Awaitable, Iterator
from pathlib import Path

import aiohttp
import pytest
import yaml
from pydantic import SecretStr

import adapters.slack_app
from adapters.slack_app.app import EVENTS_PATH, Mode, SlackConfigError, api_url, build_app, connection_mode
from adapters.slack_app.plugin import check_connection
from adapters.slack_app.poster import SlackChannelPoster
from quizbot.engine import QuizEngine
from quizbot.plugins import Runtime
from quizbot.settings import Settings
from tests.adapters.slack_support import SlackHarness, clean_slack_env, slack_harness
from tests.fakes.slack_fake import DEFAULT_APP_TOKEN, Reply, SignedSlackClient

plugin = adapters.slack_app.plugin


@pytest.fixture
async def production(tmp_path: Path, engine: QuizEngine) -> AsyncIterator[SlackHarness]:
    """The app exactly as ``quizbot run`` builds it: ``process_before_response=False``."""
    async with slack_harness(tmp_path, engine=engine, process_before_response=False) as harness:
        yield harness


@pytest.fixture
async def slack(tmp_path: Path, engine: QuizEngine) -> AsyncIterator[SlackHarness]:
    async with slack_harness(tmp_path, engine=engine) as harness:
        yield harness


@contextlib.contextmanager
def no_slack_env() -> Iterator[None]:
    with clean_slack_env():
        yield


def settings(**values: str) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


@contextlib.asynccontextmanager
async def serving(runtime: Runtime) -> AsyncIterator[asyncio.Task[None]]:
    """``plugin.serve`` in a task, cancelled at the end as ``quizbot run`` would on shutdown."""
    task = asyncio.create_task(plugin.serve(runtime))
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_production_setting_acks_before_it_replies(production: SlackHarness) -> None:
    fake = production.fake

    async def acked_while_replies_are_held(send: Awaitable[Reply]) -> Reply:
        """The HTTP answer must come while every response_url post is held back: ack first, work after."""
        fake.responses_open.clear()
        try:
            async with asyncio.timeout(2):
                reply = await send
        finally:
            fake.responses_open.set()
        await fake.wait_for(lambda: bool(fake.responses_to(str(reply.response_url))))
        return reply

    reply = await acked_while_replies_are_held(production.client.command("ml", production.alice))
    assert (reply.status, reply.body) == (200, "")
    question = production.reply(reply)
    assert "Your question" in question.text

    click = await acked_while_replies_are_held(production.client.click(question, production.alice))
    assert click.status == 200
    assert (
        await production.engine.stats(production.place, production.player(production.alice))
    ).answered == 1


async def test_handling_a_request_leaves_quizbots_own_log_level_alone(slack: SlackHarness) -> None:
    """Bolt sets the level of the logger named after the app to the root's on every request; the app's
    name must not be ``quizbot``, or ``quizbot run`` would stop logging its INFO lines after one click."""
    own = logging.getLogger("quizbot")
    before = own.level
    own.setLevel(logging.INFO)
    try:
        await slack.quiz("help")
        assert own.level == logging.INFO
    finally:
        own.setLevel(before)


async def test_socket_mode_serves_quiz_and_registers_the_daily_poster(slack: SlackHarness) -> None:
    socket_settings = slack.runtime.settings.model_copy(
        update={"slack_app_token": SecretStr(DEFAULT_APP_TOKEN)}
    )
    runtime = Runtime(settings=socket_settings, engine=slack.engine)

    async with serving(runtime):
        form = slack.client.command_form("help", slack.alice)
        ack = await slack.fake.send_envelope("slash_commands", form)
        await slack.fake.wait_for(lambda: bool(slack.fake.responses_to(form["response_url"])))

    assert set(ack) == {"envelope_id"}  # an empty ack, so Slack shows nothing in the channel
    [help_reply] = slack.fake.responses_to(form["response_url"])
    assert "Quiz commands" in help_reply["text"]
    assert slack.fake.calls_to("apps.connections.open")
    assert isinstance(runtime.posters["slack"], SlackChannelPoster)


async def test_http_mode_serves_signed_events_on_the_configured_port(slack: SlackHarness) -> None:
    port = free_port()
    runtime = Runtime(
        settings=slack.runtime.settings.model_copy(update={"slack_port": port}), engine=slack.engine
    )
    client = SignedSlackClient(f"http://127.0.0.1:{port}{EVENTS_PATH}", slack.fake)

    async with serving(runtime):
        for _ in range(100):  # until the server listens
            with contextlib.suppress(aiohttp.ClientConnectionError):
                reply = await client.command("stats", slack.alice)
                break
            await asyncio.sleep(0.02)
        await slack.fake.wait_for(lambda: bool(slack.fake.responses_to(str(reply.response_url))))
    await client.aclose()

    assert reply.status == 200
    assert "not answered any question yet" in slack.fake.responses_to(str(reply.response_url))[0]["text"]
    assert isinstance(runtime.posters["slack"], SlackChannelPoster)


async def test_a_refused_bot_token_stops_serving_at_start_with_a_clear_error(slack: SlackHarness) -> None:
    revoked = slack.runtime.settings.model_copy(update={"slack_bot_token": SecretStr("xoxb-revoked")})
    runtime = Runtime(settings=revoked, engine=slack.engine)

    with pytest.raises(SlackConfigError, match="Slack refused SLACK_BOT_TOKEN: invalid_auth"):
        await plugin.serve(runtime)
    assert runtime.posters == {}


@pytest.mark.parametrize(
    ("values", "enabled"),
    [
        ({}, False),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, True),
        ({"SLACK_APP_TOKEN": "xapp-1"}, True),
        ({"SLACK_SIGNING_SECRET": "s"}, True),
        ({"SLACK_BOT_TOKEN": "  "}, False),
    ],
)
def test_enabled_whenever_a_slack_credential_is_present(values: dict[str, str], enabled: bool) -> None:
    with no_slack_env():
        assert plugin.enabled(settings(**values)) is enabled


@pytest.mark.parametrize(
    ("values", "mode"),
    [
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}, Mode.SOCKET),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}, Mode.HTTP),
        (
            {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "SLACK_SIGNING_SECRET": "s"},
            Mode.SOCKET,
        ),
    ],
)
def test_an_app_token_means_socket_mode_else_http(values: dict[str, str], mode: Mode) -> None:
    with no_slack_env():
        assert connection_mode(settings(**values)) is mode


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"SLACK_APP_TOKEN": "xapp-1"}, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
    ],
)
def test_incomplete_credentials_fail_naming_the_missing_variable(values: dict[str, str], named: str) -> None:
    with no_slack_env(), pytest.raises(SlackConfigError, match=named):
        connection_mode(settings(**values))


async def test_oauth_client_variables_are_refused_rather_than_silently_ignoring_the_token(
    slack: SlackHarness,
) -> None:
    os.environ.update({"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "x"})
    try:
        with pytest.raises(SlackConfigError, match="SLACK_CLIENT_ID"):
            build_app(slack.runtime)
    finally:
        del os.environ["SLACK_CLIENT_ID"], os.environ["SLACK_CLIENT_SECRET"]


def test_api_url_gets_the_trailing_slash_the_web_client_needs() -> None:
    with no_slack_env():
        assert api_url(settings(slack_api_url="http://proxy.internal/api")) == "http://proxy.internal/api/"
        assert api_url(settings()) == "https://slack.com/api/"


async def test_slack_check_names_the_workspace_or_the_refusal(slack: SlackHarness) -> None:
    ok, line = await check_connection(slack.runtime.settings)
    assert ok and "workspace Quiz Team (T0QUIZ)" in line and "HTTP mode" in line

    wrong = slack.runtime.settings.model_copy(update={"slack_bot_token": SecretStr("xoxb-revoked")})
    ok, line = await check_connection(wrong)
    assert not ok and "invalid_auth" in line

    unreachable = slack.runtime.settings.model_copy(
        update={"slack_api_url": f"http://127.0.0.1:{free_port()}/api/"}
    )
    ok, line = await check_connection(unreachable)
    assert not ok and "Cannot reach the Slack Web API" in line


def test_manifest_declares_the_command_scopes_and_interactivity_the_adapter_uses() -> None:
    manifest = yaml.safe_load(
        (Path(__file__).resolve().parents[2] / "manifest.yml").read_text(encoding="utf-8")
    )

    assert [c["command"] for c in manifest["features"]["slash_commands"]] == ["/quiz"]
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"commands", "chat:write", "chat:write.public", "users:read"} <= scopes
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["socket_mode_enabled"] is True
