"""The Slack :class:`quizbot.plugins.AdapterPlugin`: found through the ``quizbot.adapters`` entry point."""

from __future__ import annotations

import argparse
import asyncio
import re
from contextlib import AbstractAsyncContextManager

import aiohttp
from slack_sdk.errors import SlackApiError

from adapters.slack_app.app import (
    SlackConfigError,
    api_url,
    connection_mode,
    has_credentials,
    rest_poster,
    serve,
    web_client,
)
from quizbot.domain import QuizError
from quizbot.plugins import ChannelPoster, Runtime
from quizbot.settings import Settings, environment_help

SLACK_TEAM_ID = re.compile(r"T[A-Z0-9]+")
SLACK_CHANNEL_ID = re.compile(r"[CG][A-Z0-9]+")


class SlackPlugin:
    """Serves Slack whenever any Slack credential is configured; incomplete ones fail loudly at start."""

    name = "slack"

    def add_commands(self, commands: argparse._SubParsersAction) -> None:
        check = commands.add_parser(
            "slack-check",
            help="check the Slack tokens and show the connection mode",
            description="Ask Slack which workspace SLACK_BOT_TOKEN belongs to and show the connection mode "
            "(Socket Mode with SLACK_APP_TOKEN, else HTTP mode with SLACK_SIGNING_SECRET).",
            epilog=environment_help(
                "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "QUIZBOT_SLACK_PORT"
            ),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        check.set_defaults(handler=cmd_slack_check)

    def check_address(self, server: str, channel: str) -> None:
        """``quizbot schedule add slack:TEAM:CHANNEL``: a team id ``T…`` and a channel id ``C…`` (``G…`` for
        older private channels), as Slack writes them: capital letters and digits."""
        if not (SLACK_TEAM_ID.fullmatch(server) and SLACK_CHANNEL_ID.fullmatch(channel)):
            raise QuizError(
                f"slack:{server}:{channel} is not a Slack channel address; use slack:TEAM_ID:CHANNEL_ID, "
                "e.g. slack:T0123ABCD:C0456EFGH (quizbot slack-check shows the team id; the channel id is at "
                "the bottom of the channel's About tab)"
            )

    def enabled(self, settings: Settings) -> bool:
        return has_credentials(settings)

    async def serve(self, runtime: Runtime) -> None:
        await serve(runtime)

    def poster_session(self, runtime: Runtime) -> AbstractAsyncContextManager[ChannelPoster]:
        """A REST-only poster for ``quizbot post-daily``; needs only ``SLACK_BOT_TOKEN``."""
        return rest_poster(runtime.settings)


async def check_connection(settings: Settings) -> tuple[bool, str]:
    """Ask Slack who the bot token belongs to; returns (ok, a line for the admin)."""
    try:
        mode = connection_mode(settings)
        who = await web_client(settings).auth_test()
    except SlackConfigError as exc:
        return False, str(exc)
    except SlackApiError as exc:
        return False, f"Slack refused the bot token: {exc.response.get('error')}"
    except (aiohttp.ClientError, OSError) as exc:
        return False, f"Cannot reach the Slack Web API at {api_url(settings)}: {exc}"
    mode_text = "Socket Mode" if mode.value == "socket" else f"HTTP mode on port {settings.slack_port}"
    return (
        True,
        f"OK: bot @{who.get('user')} in workspace {who.get('team')} ({who.get('team_id')}); {mode_text}.",
    )


def cmd_slack_check(args: argparse.Namespace, settings: Settings) -> int:
    ok, line = asyncio.run(check_connection(settings))
    print(line)
    return 0 if ok else 1


plugin = SlackPlugin()
