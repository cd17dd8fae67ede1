"""The discord.py ``Bot``: construction, start-up (command sync, persistent buttons) and error handling."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import discord
import yarl
from discord import app_commands
from discord.ext import commands
from discord.state import AutoShardedConnectionState, ConnectionState

from adapters.discord_bot.admin import AdminCommands
from adapters.discord_bot.commands import PlayerCommands
from adapters.discord_bot.components import ANSWERS_AT_ONCE, DYNAMIC_ITEMS, on_modal_submit
from adapters.discord_bot.pacing import GlobalPacer, pacing_trace, shard_budget
from adapters.discord_bot.reports import on_report_submit
from adapters.discord_bot.respond import DEFAULT_DEFER_AFTER, NO_MENTIONS, reply
from quizbot.logs import OneLineRecords
from quizbot.plugins import Runtime
from quizbot.settings import Settings
from quizbot.supervisor import one_line

log = logging.getLogger(__name__)

DISCORD_API_BASE = discord.http.Route.BASE
DISCORD_GATEWAY = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY

# quizbot never joins a voice channel, so discord.py's start-up warnings that its optional voice libraries
# (PyNaCl, davey) are missing are noise in an operator's log.
discord.VoiceClient.warn_nacl = False
discord.VoiceClient.warn_dave = False
# While the gateway cannot be reached discord.py retries with backoff, logging a traceback at each attempt.
logging.getLogger("discord.client").addFilter(OneLineRecords("Attempting a reconnect"))
# A sharded client retries a shard's first connection every 5 s, logging a traceback at each attempt.
logging.getLogger("discord.shard").addFilter(OneLineRecords("Failed to connect for shard_id"))

DEFAULT_GUILD_READY_TIMEOUT = 2.0
"""discord.py's default: how long to wait for more GUILD_CREATEs before declaring the bot ready."""


def configure_endpoints(settings: Settings) -> None:
    """Point discord.py at the configured REST base and gateway (a proxy in front of Discord, or Discord).

    discord.py reads both from class attributes, so this is process-wide; it is set from settings on every
    start so that the defaults are restored when the settings name none.
    """
    discord.http.Route.BASE = (settings.discord_api_base or DISCORD_API_BASE).rstrip("/")
    gateway = settings.discord_gateway_url
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway) if gateway else DISCORD_GATEWAY


class _TolerantParsing:
    """discord.py's gateway state, except that an event it cannot parse is dropped instead of ending the bot.

    discord.py parses each gateway event in ``ConnectionState.parse_<event>``, called directly from the
    websocket's receive loop (``DiscordWebSocket.received_message``). An exception there — a ``KeyError``
    on an INTERACTION_CREATE whose ``data`` is ``null`` or lacks ``custom_id``, a ``TypeError`` on a
    ``custom_id`` that is not a string — escapes ``Client.connect`` and stops the client, and with it every
    player's session. Discord itself never sends such payloads, but a gateway proxy, a bug or a forged frame
    may, and one bad event must not cost every other player the bot.

    ``ConnectionState.__init__`` builds its table of parsers per instance (``self.parsers``, event name to
    bound method), and the websocket looks events up in that table. This subclass wraps each entry of its
    own table: a parser that raises is logged as one line naming the event and the error, the event is
    dropped, and the connection carries on. Nothing in discord.py changes for any other client. The client
    builds its state through ``Client._get_state``, the hook discord.py's own ``AutoShardedClient``
    overrides to use its own state class; :class:`QuizBot` overrides it the same way, with
    :class:`TolerantConnectionState` for one connection and :class:`TolerantAutoShardedConnectionState` for a
    sharded bot (discord.py's ``AutoShardedConnectionState`` plus the same guard).

    Interactions get a shape check first (:func:`interaction_problem`): a slash command without a name
    would otherwise pass parsing and fail later in a task of discord.py's command tree, as a traceback.
    """

    parsers: dict[str, Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parsers = {event: _dropping_unparsable(event, parse) for event, parse in self.parsers.items()}

    def parse_interaction_create(self, data: Any) -> None:
        problem = interaction_problem(data)
        if problem is not None:
            log.warning("discord: dropped a malformed INTERACTION_CREATE (%s)", problem)
            return
        super().parse_interaction_create(data)  # type: ignore[misc]  # ConnectionState's, after this mixin


class TolerantConnectionState(_TolerantParsing, ConnectionState):
    """The gateway state of a bot on one connection, dropping what it cannot parse (see
    :class:`_TolerantParsing`)."""


class TolerantAutoShardedConnectionState(_TolerantParsing, AutoShardedConnectionState):
    """The gateway state of a sharded bot (``QUIZBOT_DISCORD_SHARDS``), dropping what it cannot parse (see
    :class:`_TolerantParsing`). discord.py's ``AutoShardedConnectionState`` keeps one ready state per shard
    and its own READY and GUILD_CREATE parsers; the guard wraps those like every other parser."""


_APPLICATION_COMMAND, _COMPONENT, _AUTOCOMPLETE, _MODAL_SUBMIT = 2, 3, 4, 5


def interaction_problem(payload: Any) -> str | None:
    """What is wrong with an INTERACTION_CREATE payload's shape for the fields discord.py relies on, or None.

    Only the keys discord.py reads without checking (``data['custom_id']``, ``data['name']``...) are
    checked, with the types Discord documents; everything else is left to discord.py.
    """
    if not isinstance(payload, dict) or not isinstance(payload.get("type"), int):
        return "no interaction type"
    kind, data = payload["type"], payload.get("data")
    if kind not in (_APPLICATION_COMMAND, _COMPONENT, _AUTOCOMPLETE, _MODAL_SUBMIT):
        return None
    if not isinstance(data, dict):
        return f"'data' is {type(data).__name__}, not an object"
    if kind in (_APPLICATION_COMMAND, _AUTOCOMPLETE):
        if not isinstance(data.get("name"), str) or not isinstance(data.get("type"), int) or "id" not in data:
            return "a command without a name, type or id"
        if not isinstance(data.get("options", []), list):
            return "command options that are not a list"
        return None
    if not isinstance(data.get("custom_id"), str):
        return "no text 'custom_id'"
    if kind == _COMPONENT and not isinstance(data.get("component_type"), int):
        return "no 'component_type'"
    if kind == _MODAL_SUBMIT and not isinstance(data.get("components"), list):
        return "no 'components' list"
    return None


def _dropping_unparsable(event: str, parse: Any) -> Any:
    def guarded(data: Any) -> None:
        try:
            parse(data)
        except Exception as exc:
            log.warning(
                "discord: dropped a gateway event discord.py cannot parse: %s (%s)", event, one_line(exc)
            )

    return guarded


class QuizTree(app_commands.CommandTree):
    """The command tree, with errors answered instead of leaving the user with "interaction failed"."""

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        if isinstance(error, app_commands.CheckFailure):
            return  # the check already told the user why (see AdminCommands.interaction_check)
        log.error(
            "/%s failed", interaction.command.qualified_name if interaction.command else "?", exc_info=error
        )
        try:
            await reply(interaction, content="Something went wrong on our side; please try again.")
        except discord.HTTPException:
            log.warning("could not report the error to the user")


class QuizBot(commands.Bot):
    """The quiz on Discord. Holds the runtime so every handler reaches the engine without globals."""

    def __init__(
        self,
        runtime: Runtime,
        *,
        defer_after: float = DEFAULT_DEFER_AFTER,
        guild_ready_timeout: float = DEFAULT_GUILD_READY_TIMEOUT,
        **options: Any,
    ) -> None:
        # Slash commands, buttons and modals need no intents; ``guilds`` only keeps channels in the cache.
        # Without the privileged message-content intent the bot never reads channel messages.
        # ``http_trace`` paces REST requests under this process's share of Discord's global limit
        # (see pacing.py): all of it, or the part of it its shards stand for.
        options.setdefault("http_trace", pacing_trace(GlobalPacer(shard_budget(runtime.settings))))
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=discord.Intents(guilds=True),
            tree_cls=QuizTree,
            allowed_mentions=NO_MENTIONS,
            chunk_guilds_at_startup=False,
            guild_ready_timeout=guild_ready_timeout,
            **options,
        )
        self.runtime = runtime
        self.defer_after = defer_after
        """Seconds before a slow interaction is deferred; Discord allows 3 s for the first answer."""
        self.answering = asyncio.Semaphore(ANSWERS_AT_ONCE)
        """Turns for recording answers (see ``components.ANSWERS_AT_ONCE``)."""

    def _get_state(self, **options: Any) -> ConnectionState:
        """Parse gateway events with :class:`TolerantConnectionState`, or its sharded twin (see there why)."""
        state = (
            TolerantAutoShardedConnectionState
            if isinstance(self, discord.AutoShardedClient)
            else TolerantConnectionState
        )
        return state(
            dispatch=self.dispatch, handlers=self._handlers, hooks=self._hooks, http=self.http, **options
        )

    async def setup_hook(self) -> None:
        await self.add_cog(PlayerCommands(self.runtime))
        self.tree.add_command(AdminCommands(self.runtime))
        self.add_dynamic_items(*DYNAMIC_ITEMS)
        await self.sync_commands()

    async def sync_commands(self) -> list[app_commands.AppCommand]:
        """Publish the commands: to one guild (instant, for testing) or globally.

        Discord limits an app to 200 *new* commands a day (per guild, and globally); overwriting the list
        with the same commands creates none, so syncing at every start is safe.
        """
        guild_id = self.runtime.settings.discord_guild
        if guild_id is None:
            synced = await self.tree.sync()
        else:
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
        log.info("synced %d commands %s", len(synced), f"to guild {guild_id}" if guild_id else "globally")
        return synced

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        await on_modal_submit(interaction)
        await on_report_submit(interaction)

    async def on_ready(self) -> None:
        plan = self.runtime.settings.discord_shard_plan
        shards = f" (shards {plan})" if plan else ""
        log.info("Discord: logged in as %s in %d servers%s", self.user, len(self.guilds), shards)


class ShardedQuizBot(QuizBot, commands.AutoShardedBot):
    """The quiz on some of the bot's shards: one gateway connection per shard, all in this process.

    discord.py's ``AutoShardedBot`` given ``shard_ids`` and ``shard_count`` identifies each listed shard
    (IDENTIFY's ``shard: [id, count]``) and never asks ``GET /gateway/bot`` for a count; Discord then sends
    this process the events of the guilds whose ``(guild_id >> 22) % count`` is one of its shards. REST
    needs no shard: any process can post to any channel.
    """


def create_bot(runtime: Runtime, **options: Any) -> QuizBot:
    """A bot for ``runtime``; ``options`` pass through to :class:`QuizBot` (e.g. ``guild_ready_timeout``).

    With ``QUIZBOT_DISCORD_SHARDS`` set, a :class:`ShardedQuizBot` running those shards; unset, discord.py's
    default: one connection for every guild.
    """
    configure_endpoints(runtime.settings)
    plan = runtime.settings.discord_shard_plan
    if plan is None:
        return QuizBot(runtime, **options)
    return ShardedQuizBot(runtime, shard_ids=list(plan.ids), shard_count=plan.count, **options)
