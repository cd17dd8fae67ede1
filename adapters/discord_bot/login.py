"""Logging in to Discord and connecting to its gateway, each start-up failure one line naming the setting.

discord.py's ``login`` asks ``GET /users/@me`` with the token: Discord (or a proxy in front of it, see
``QUIZBOT_DISCORD_API_BASE``) answers 401 to a token it does not accept, and a wrong base URL or a network
problem shows up as a connection error. Both stop ``quizbot run`` and ``quizbot post-daily`` with a
:class:`~quizbot.plugins.PluginConfigError` instead of a traceback.
"""

from __future__ import annotations

import aiohttp
import discord

from quizbot.plugins import PluginConfigError
from quizbot.settings import Settings


class DiscordLoginError(PluginConfigError):
    """Discord refused the token or could not be reached; the message says which setting to check."""


def bot_token(settings: Settings) -> str:
    """The bot token; :class:`DiscordLoginError` when ``DISCORD_TOKEN`` is not set."""
    token = settings.discord_token.get_secret_value().strip() if settings.discord_token else ""
    if not token:
        raise DiscordLoginError(
            "DISCORD_TOKEN is not set; copy the bot token from the Developer Portal (Bot tab)"
        )
    return token


async def log_in(client: discord.Client, settings: Settings) -> None:
    """``client.login`` with the configured token; failures become :class:`DiscordLoginError`."""
    base = discord.http.Route.BASE
    try:
        await client.login(bot_token(settings))
    except discord.LoginFailure:
        if settings.discord_api_base:
            raise DiscordLoginError(
                f"the Discord API at {base} answered 401 Unauthorized; check DISCORD_TOKEN, and "
                "QUIZBOT_DISCORD_API_BASE if a proxy is in between"
            ) from None
        raise DiscordLoginError(
            "Discord refused DISCORD_TOKEN (401 Unauthorized); copy the bot token again from the "
            "Developer Portal (Bot tab, Reset Token)"
        ) from None
    except discord.HTTPException as exc:
        if client.user is not None:  # logged in; a later start-up step failed, which is not a setting
            raise
        raise DiscordLoginError(
            f"the Discord API at {base} answered HTTP {exc.status} to GET /users/@me; "
            "check QUIZBOT_DISCORD_API_BASE (unset it to use Discord itself)"
        ) from None
    except (aiohttp.ClientError, OSError) as exc:
        raise DiscordLoginError(
            f"cannot reach the Discord API at {base} ({exc}); check the network and QUIZBOT_DISCORD_API_BASE"
        ) from None


async def connect_gateway(client: discord.Client, settings: Settings) -> None:
    """``client.connect()`` (reconnecting until cancelled); a first connection that fails is one line.

    discord.py 2.7 retries a lost gateway connection with backoff, but when the very first connection
    fails it stops with an ``AttributeError`` on its missing websocket (Rapptz/discord.py#10520).
    """
    try:
        await client.connect()
    except AttributeError:
        if client.ws is not None:
            raise
        gateway = settings.discord_gateway_url or "Discord's gateway"
        raise DiscordLoginError(
            f"cannot connect to the Discord gateway at {gateway}; check the network, and "
            "QUIZBOT_DISCORD_GATEWAY_URL if it points at a proxy"
        ) from None
