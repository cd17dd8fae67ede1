"""Building the Bolt ``AsyncApp`` from settings, and serving it over HTTP or Socket Mode.

Two ways to receive Slack's events:

* **Socket Mode** (``SLACK_APP_TOKEN`` + ``SLACK_BOT_TOKEN``): the bot opens a websocket to Slack; no public
  URL needed. Chosen whenever an app token is configured.
* **HTTP** (``SLACK_BOT_TOKEN`` + ``SLACK_SIGNING_SECRET``): Slack POSTs to ``/slack/events`` on
  ``QUIZBOT_SLACK_PORT``; every request's signature is checked against the signing secret.

``QUIZBOT_SLACK_API_URL`` moves the Web API (GovSlack, an enterprise proxy, or a local fake). Production
always acks before working (``process_before_response=False``): Slack shows an error after 3 s without one.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
from aiohttp import web
from pydantic import SecretStr
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack_app.commands import register
from adapters.slack_app.http import EVENTS_PATH, events_web_app
from adapters.slack_app.pacing import ChannelPacer
from adapters.slack_app.poster import SlackChannelPoster
from quizbot.logs import OneLineRecords
from quizbot.plugins import PluginConfigError, Runtime
from quizbot.settings import Settings

log = logging.getLogger(__name__)

DEFAULT_API_URL = "https://slack.com/api/"
HTTP_HOST = "0.0.0.0"
BOLT_APP_NAME = "quizbot-slack"
"""Bolt's name for the app, which it also uses as a logger name: on every request it sets that logger's
level to the root logger's (WARNING). Named ``quizbot`` it silenced every INFO line of quizbot's own
loggers (daily posts, shutdown) after the first Slack request; this name is outside their hierarchy."""
RATE_LIMIT_RETRIES = 3
OAUTH_VARIABLES = ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET")
SOCKET_RETRY_FIRST_SECONDS = 1.0
SOCKET_RETRY_MAX_SECONDS = 60.0
REFUSED_TOKEN_ERRORS = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "not_allowed_token_type",
    }
)
"""Web API errors that mean the token itself is wrong: retrying cannot help, the operator must act."""


class _TokenUnusedWarning(logging.Filter):
    """Drops Bolt's "As you gave `client` as well, `token` will be unused." at start-up.

    Bolt reads ``SLACK_BOT_TOKEN`` from the environment even when it is given a client, and then warns that
    the token is unused; quizbot's client is built from that very token, so the warning is always noise.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


logging.getLogger(f"slack_bolt.{AsyncApp.__name__}").addFilter(_TokenUnusedWarning())


class SlackConfigError(PluginConfigError):
    """The Slack settings cannot work; the message says which variables to set.

    A :class:`quizbot.domain.QuizError`, so ``quizbot run`` prints it as one line instead of a traceback.
    """


class Mode(enum.StrEnum):
    SOCKET = "socket"
    HTTP = "http"


def _secret(value: SecretStr | None) -> str:
    return value.get_secret_value().strip() if value is not None else ""


def has_credentials(settings: Settings) -> bool:
    return any(
        _secret(v)
        for v in (settings.slack_bot_token, settings.slack_app_token, settings.slack_signing_secret)
    )


def require_bot_token(settings: Settings) -> str:
    """The bot token, which every Web API call needs; :class:`SlackConfigError` when it is not set."""
    token = _secret(settings.slack_bot_token)
    if not token:
        raise SlackConfigError(
            "SLACK_BOT_TOKEN (xoxb-...) is not set; it is needed in both Socket Mode and HTTP mode."
        )
    return token


def connection_mode(settings: Settings) -> Mode:
    """Socket Mode when an app token is set, else HTTP; :class:`SlackConfigError` names what is missing."""
    require_bot_token(settings)
    if _secret(settings.slack_app_token):
        return Mode.SOCKET
    if _secret(settings.slack_signing_secret):
        return Mode.HTTP
    raise SlackConfigError(
        "Set SLACK_APP_TOKEN (xapp-..., Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode) "
        "next to SLACK_BOT_TOKEN."
    )


def api_url(settings: Settings) -> str:
    """The Web API base URL, with the trailing slash ``AsyncWebClient`` needs (it joins method names on)."""
    url = settings.slack_api_url or DEFAULT_API_URL
    return url if url.endswith("/") else url + "/"


def web_client(settings: Settings, session: aiohttp.ClientSession | None = None) -> AsyncWebClient:
    """The bot's Web API client; it waits out 429 ``Retry-After`` answers instead of failing.

    With a ``session`` every call (and Bolt's per-request copies of the client) reuses its connections;
    without one, slack_sdk opens a new connection, a TLS handshake with Slack, for each call.
    """
    client = AsyncWebClient(
        token=_secret(settings.slack_bot_token), base_url=api_url(settings), session=session
    )
    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES))
    return client


def build_app(
    runtime: Runtime,
    *,
    process_before_response: bool = False,
    session: aiohttp.ClientSession | None = None,
) -> AsyncApp:
    """The Bolt app with the quiz listeners; ``process_before_response=True`` is for deterministic tests only.

    ``session`` is the HTTP session for the Web API and ``response_url`` replies (see :func:`http_session`).

    Bolt silently switches to multi-workspace OAuth when ``SLACK_CLIENT_ID`` and ``SLACK_CLIENT_SECRET`` are
    in the environment and then ignores the bot token; quizbot is a single-workspace app, so that is refused.
    """
    settings = runtime.settings
    connection_mode(settings)
    if all(os.environ.get(name) for name in OAUTH_VARIABLES):
        raise SlackConfigError(
            "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set: Bolt would switch to OAuth installs, "
            "which quizbot does not support. Unset them."
        )
    app = AsyncApp(
        name=BOLT_APP_NAME,
        client=web_client(settings, session),
        signing_secret=_secret(settings.slack_signing_secret),
        process_before_response=process_before_response,
    )
    register(app, runtime, session)
    return app


@asynccontextmanager
async def http_session() -> AsyncIterator[aiohttp.ClientSession]:
    """One HTTP session for everything the bot sends to Slack, closed when the bot stops.

    Keeping connections alive matters under load: a burst of clicks means a burst of replies, and a daily
    fan-out a burst of posts; each new connection to Slack is a TCP and TLS handshake.
    """
    async with aiohttp.ClientSession() as session:
        yield session


async def serve_http(app: AsyncApp, port: int, signing_secret: str, host: str = HTTP_HOST) -> None:
    """Serve ``/slack/events`` until cancelled (inside the running loop, unlike ``AsyncApp.start``).

    Each request's signature is checked before its body is parsed (see :mod:`adapters.slack_app.http`).
    A port that cannot be listened on (in use, or below 1024 without privileges) is a
    :class:`SlackConfigError` naming ``QUIZBOT_SLACK_PORT``.
    """
    runner = web.AppRunner(events_web_app(app, signing_secret), handle_signals=False)
    await runner.setup()
    try:
        try:
            await web.TCPSite(runner, host, port).start()
        except OSError as exc:
            raise SlackConfigError(
                f"cannot listen for Slack events on port {port}: {exc.strerror or exc}; "
                "set QUIZBOT_SLACK_PORT to a free port or stop what uses this one"
            ) from None
        log.info("slack: listening for events on http://%s:%d%s", host, port, EVENTS_PATH)
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


async def open_socket_url(client: AsyncWebClient, app_token: str) -> str:
    """A Socket Mode websocket URL from ``apps.connections.open``, retried with backoff until Slack answers.

    slack_sdk's own loop retries every 10 s forever and logs a full traceback each time; here each failed
    attempt is one warning line and the wait doubles up to :data:`SOCKET_RETRY_MAX_SECONDS`. A refused app
    token is a :class:`SlackConfigError`: retrying cannot fix it.
    """
    delay = SOCKET_RETRY_FIRST_SECONDS
    while True:
        try:
            response = await client.apps_connections_open(app_token=app_token)
            return str(response["url"])
        except SlackApiError as exc:
            error = str(exc.response.get("error"))
            if error in REFUSED_TOKEN_ERRORS:
                raise SlackConfigError(f"Slack refused SLACK_APP_TOKEN: {error}") from None
            reason = error
            if error == "ratelimited":
                delay = max(delay, float(exc.response.headers.get("Retry-After", delay)))
        except (aiohttp.ClientError, OSError) as exc:
            reason = str(exc) or type(exc).__name__
        log.warning("slack: cannot open a Socket Mode connection (%s); retrying in %g s", reason, delay)
        await asyncio.sleep(delay)
        delay = min(delay * 2, SOCKET_RETRY_MAX_SECONDS)


SOCKET_LOG = logging.getLogger("slack_sdk.socket_mode.aiohttp")
"""The Socket Mode client's own logger (Bolt would hand it the app's), with one line a record."""
SOCKET_LOG.addFilter(OneLineRecords())  # each failed reconnect: one line, not a 35-line traceback


async def serve_socket_mode(app: AsyncApp, app_token: str) -> None:
    """Hold a Socket Mode connection until cancelled; after the first connection the handler reconnects."""
    handler = AsyncSocketModeHandler(app, app_token, logger=SOCKET_LOG)
    try:
        handler.client.wss_uri = await open_socket_url(app.client, app_token)
        await handler.connect_async()
        log.info("slack: connected in Socket Mode")
        await asyncio.Event().wait()
    finally:
        await handler.close_async()


async def _check_bot_token(client: AsyncWebClient) -> None:
    """Fail at start-up on a revoked or mistyped bot token, instead of on every command later.

    A network error is only logged: Slack may be briefly unreachable, and the clients retry on their own.
    """
    try:
        who = await client.auth_test()
    except SlackApiError as exc:
        raise SlackConfigError(f"Slack refused SLACK_BOT_TOKEN: {exc.response.get('error')}") from None
    except (aiohttp.ClientError, OSError) as exc:
        log.warning("slack: cannot reach the Web API yet (%s); carrying on", exc)
        return
    log.info("slack: bot @%s in workspace %s (%s)", who.get("user"), who.get("team"), who.get("team_id"))


@asynccontextmanager
async def rest_poster(settings: Settings) -> AsyncIterator[SlackChannelPoster]:
    """A daily-question poster over the Web API alone, for ``quizbot post-daily`` run from cron.

    No HTTP server and no Socket Mode connection: posting, editing and closing daily posts are plain Web
    API calls, so only ``SLACK_BOT_TOKEN`` is needed. The token is checked first, so a revoked one is
    reported as one clear line instead of as a failed post per channel.
    """
    require_bot_token(settings)
    async with http_session() as session:
        client = web_client(settings, session)
        await _check_bot_token(client)
        yield SlackChannelPoster(client, pacer=ChannelPacer())


async def serve(runtime: Runtime) -> None:
    """Build the app, register the daily poster, and serve in the configured mode until cancelled."""
    mode = connection_mode(runtime.settings)
    async with http_session() as session:
        app = build_app(runtime, session=session)
        await _check_bot_token(app.client)
        poster = SlackChannelPoster(app.client, pacer=ChannelPacer())
        runtime.register_poster(poster)
        runtime.register_messenger(poster)
        if mode is Mode.SOCKET:
            await serve_socket_mode(app, _secret(runtime.settings.slack_app_token))
        else:
            await serve_http(app, runtime.settings.slack_port, _secret(runtime.settings.slack_signing_secret))
