"""A loopback fake of the Discord REST API and gateway, good enough for the real discord.py ``Bot``.

The bot under test is the production one, started with ``bot.start(token)``; only the REST base
(``discord.http.Route.BASE``) and the gateway URL (``DiscordWebSocket.DEFAULT_GATEWAY``) point here. The fake
plays Discord's side of the protocol:

* REST: ``users/@me``, ``oauth2/applications/@me``, command sync (global and guild), interaction callbacks,
  webhook follow-ups and edits, channel messages. Every request is recorded (method, path, query, JSON body).
* Gateway: HELLO, heartbeat ACKs, IDENTIFY -> READY (``resume_gateway_url`` pointing back here) and a
  GUILD_CREATE with one guild, one text channel, an admin with Manage Server and an ordinary member.
* Shards: an IDENTIFY may carry ``shard: [id, count]`` (absent means ``[0, 1]``: every guild). As on
  Discord, a guild belongs to shard ``(guild_id >> 22) % count``; READY echoes the shard and lists only its
  guilds, a GUILD_CREATE follows for each of them, and every event of a guild (INTERACTION_CREATE) goes
  only to the connection running its shard; direct messages go to shard 0. A shard id outside the count is
  closed with 4010 (Invalid shard). :meth:`FakeDiscord.add_guild` makes more guilds, in a chosen shard, and
  :attr:`FakeDiscord.identified_shards` records each IDENTIFY's shard, so several bot processes can share
  one fake.
* Channel history: ``GET /channels/{id}/messages`` with ``limit``, ``before`` and ``after``, newest first,
  as Discord pages it. Message ``nonce`` (at most 25 characters) with ``enforce_nonce``: a second create with
  the same nonce within :data:`NONCE_WINDOW` returns the first message instead of posting again. Like
  Discord, the nonce is echoed in the create answer only; fetched messages do not carry it.
* Taps: :attr:`FakeDiscord.tap` is awaited when a request arrives and again when its answer is ready, so a
  test can act at exactly that point (the crash test kills the sending process there).
* Interactions: a test injects slash commands, autocompletes, button clicks and modal submissions as
  INTERACTION_CREATE events and gets an :class:`InteractionHandle` to await what the bot answered.
* Rate limits (off unless :class:`RateLimits` are passed, as benchmarks do): Discord's global limit per bot
  and its per-route buckets, with the headers and 429 answers Discord sends, and a count of every request
  a client sent into a bucket it had already been told to wait for.

Nothing here sleeps for a fixed time: every wait is on a condition with a timeout, so a test fails fast and
says what it was waiting for.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import itertools
import json
import math
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from aiohttp import WSMsgType, web

T = TypeVar("T")

DEFAULT_TIMEOUT = 5.0
"""How long a test waits for the bot before failing; generous, since a failing wait is the only cost."""

API_PREFIX = "/api/v10"
GATEWAY_PATH = "/gateway"

# Permission bits (https://discord.com/developers/docs/topics/permissions), spelled out so the fake does not
# depend on the library it is testing.
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
EMBED_LINKS = 1 << 14
READ_MESSAGE_HISTORY = 1 << 16
USE_APPLICATION_COMMANDS = 1 << 31
MANAGE_GUILD = 1 << 5
EVERYONE_PERMISSIONS = (
    VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | READ_MESSAGE_HISTORY | USE_APPLICATION_COMMANDS
)

JSON_BODY = web.RequestKey("json_body", object)
"""The parsed JSON body, stored on the request by the recording middleware."""
ARRIVED = web.RequestKey("arrived", float)
FILES = web.RequestKey("files", list)
"""Files sent as ``files[n]`` parts of a multipart body: (filename, content type, bytes)."""
ATTACHMENTS_PATH = "/attachments"
"""Where the fake serves files a user attached to a command, as Discord's CDN does."""
"""``time.perf_counter()`` when the request reached the fake, before its body was read."""

EPHEMERAL_FLAG = 1 << 6
LOADING_FLAG = 1 << 7

# Interaction types and callback types (Discord's numbers).
PING, APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 1, 2, 3, 4, 5
CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE = 4, 5, 6, 7
AUTOCOMPLETE_RESULT, MODAL = 8, 9

_snowflakes = itertools.count(1_300_000_000_000_000_000)

NONCE_MAX = 25
"""Discord refuses a message ``nonce`` longer than 25 characters."""
NONCE_WINDOW = 300.0
"""Seconds during which ``enforce_nonce`` returns the earlier message ("the past few minutes")."""
HISTORY_LIMIT_MAX = 100
"""``GET /channels/{id}/messages`` returns at most 100 messages per page (50 by default)."""

Tap = Callable[[str, web.Request, "RecordedRequest"], Awaitable[None]]
"""Awaited with ``"received"`` before the fake acts on a request and ``"answering"`` after it acted."""


DISCORD_EPOCH_MS = 1_420_070_400_000


def snowflake(age: float = 0.0) -> int:
    """A fresh id made like Discord's: creation time in its top bits, so ``created_at`` is right.

    ``age`` makes it as if Discord created it that many seconds ago (an interaction delivered late).
    """
    created_ms = int((time.time() - age) * 1000)
    return ((created_ms - DISCORD_EPOCH_MS) << 22) | (next(_snowflakes) & 0x3FFFFF)


def shard_snowflake(shard_id: int, shard_count: int) -> int:
    """A fresh id of a guild in shard ``shard_id`` of ``shard_count``: ``(id >> 22) % shard_count``, the
    creation time in milliseconds, is moved back (by less than ``shard_count`` ms) to match."""
    created_ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
    created_ms -= (created_ms - shard_id) % shard_count
    return (created_ms << 22) | (next(_snowflakes) & 0x3FFFFF)


def _now() -> str:
    return datetime.now(UTC).isoformat()


def token_for(user_id: int) -> str:
    """A bot token in Discord's shape: the first segment is the base64 of the bot user id."""
    first = base64.b64encode(str(user_id).encode()).decode().rstrip("=")
    return f"{first}.fake-timestamp.fake-hmac"


@dataclass(frozen=True)
class FakeUser:
    """A guild member the test can act as."""

    id: int
    name: str
    roles: tuple[int, ...] = ()
    bot: bool = False

    def user_payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "username": self.name.lower(),
            "global_name": self.name,
            "discriminator": "0",
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
            "flags": 0,
        }


@dataclass(frozen=True)
class FakeGuild:
    """A guild the bot is in, with its one text channel; every :class:`FakeUser` is a member."""

    id: int
    channel_id: int

    def shard(self, shard_count: int) -> int:
        """The shard whose gateway connection receives this guild's events (Discord's formula)."""
        return (self.id >> 22) % shard_count


@dataclass(frozen=True)
class RecordedRequest:
    """One REST call the bot made."""

    method: str
    path: str
    """Relative to the API base, e.g. ``/channels/123/messages``."""
    query: dict[str, str]
    json: Any


@dataclass(frozen=True)
class RateLimits:
    """Discord's REST rate limits, enforced by the fake when given (benchmarks; unit tests leave them off).

    * **Global**: at most ``global_per_second`` requests per bot in any one-second interval. Interaction
      callbacks and interaction webhooks (follow-ups) are exempt, as on Discord.
    * **Per route**: each bucket (a route and its major parameter: channel, guild or webhook) takes
      ``route_limit`` requests per ``route_window`` seconds, announced on every answer in the headers
      ``X-RateLimit-Limit``, ``-Remaining``, ``-Reset``, ``-Reset-After`` and ``-Bucket``. Discord does not
      publish bucket sizes (clients must read the headers); 5 per 5 s is the bucket it has long announced
      for sending messages to a channel.

    Beyond either limit the answer is 429 with ``Retry-After``, a JSON ``retry_after`` and ``global``, and
    ``X-RateLimit-Global``/``X-RateLimit-Scope`` headers, as Discord sends them.
    """

    global_per_second: int = 50
    route_limit: int = 5
    route_window: float = 5.0


@dataclass(frozen=True)
class RateLimitViolation:
    """A request sent into a bucket before the ``Retry-After`` of a 429 in that bucket had elapsed."""

    request: RecordedRequest
    bucket: str
    """``global`` or the route bucket's key."""
    early_by: float
    """How many seconds before the end of the wait it arrived."""


@dataclass
class _Bucket:
    """One per-route bucket: a fixed window that opens with its first request."""

    hash: str
    opened: float = -math.inf
    used: int = 0


@dataclass
class InteractionHandle:
    """One injected interaction and everything the bot answered to it, in order."""

    id: int
    token: str
    payload: dict[str, Any]
    fake: FakeDiscord
    callback_body: dict[str, Any] | None = None
    messages: list[dict[str, Any]] = field(default_factory=list)
    """Messages the user sees as this interaction's answer (created or edited), latest last."""
    dispatched_at: float = 0.0
    """``time.perf_counter()`` just before the INTERACTION_CREATE frame was sent to the bot."""
    called_back_at: float | None = None
    """``time.perf_counter()`` when the bot's interaction callback reached the fake."""
    called_back: asyncio.Event = field(default_factory=asyncio.Event)
    """Set when the callback arrived; cheaper to await than :meth:`callback` for thousands of handles."""
    shard: tuple[int, int] = (0, 1)
    """``(shard_id, shard_count)`` of the gateway connection the INTERACTION_CREATE went out on."""

    @property
    def channel_id(self) -> str:
        return self.payload["channel_id"]

    async def callback(self) -> dict[str, Any]:
        """The interaction callback body (``{"type": ..., "data": ...}``) once the bot sent it."""
        return await self.fake.wait_until(lambda: self.callback_body, f"callback for {self.id}")

    async def reply(self, index: int = 0) -> dict[str, Any]:
        """The ``index``-th visible answer: an immediate message, or the follow-up/edit after a deferral."""
        return await self.fake.wait_until(
            lambda: self.messages[index] if len(self.messages) > index else None,
            f"reply #{index} to interaction {self.id}",
        )

    async def modal(self) -> dict[str, Any]:
        """The modal the bot opened in answer to this interaction."""
        body = await self.callback()
        assert body["type"] == MODAL, f"expected a modal, the bot answered with callback type {body['type']}"
        return body["data"]

    async def choices(self) -> list[dict[str, Any]]:
        """The autocomplete choices the bot offered."""
        body = await self.callback()
        assert body["type"] == AUTOCOMPLETE_RESULT, f"expected autocomplete, got callback type {body['type']}"
        return body["data"]["choices"]


class _GatewaySession:
    """One websocket connection from the bot."""

    def __init__(self, ws: web.WebSocketResponse) -> None:
        self.ws = ws
        self.sequence = 0
        self.session_id = f"session-{snowflake()}"
        self.shard: tuple[int, int] = (0, 1)
        """``[shard_id, shard_count]`` of its IDENTIFY (or of the session it resumed)."""

    def runs(self, guild: FakeGuild | None) -> bool:
        """Whether Discord would send this connection the events of ``guild`` (None: a direct message)."""
        shard_id, count = self.shard
        return shard_id == (0 if guild is None else guild.shard(count))

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        self.sequence += 1
        await self.ws.send_str(json.dumps({"op": 0, "t": event, "s": self.sequence, "d": data}))


class FakeDiscord:
    """The fake server. Use as ``async with FakeDiscord() as fake:``; then point the bot at ``api_base``
    and ``gateway_url`` and start it with ``fake.token``.

    ``rate_limits`` switches on Discord's REST rate limits (see :class:`RateLimits`); off by default.
    """

    def __init__(self, *, rate_limits: RateLimits | None = None) -> None:
        self.timeout = DEFAULT_TIMEOUT
        """How long every wait for the bot lasts before the test fails."""
        self.bot_user = FakeUser(snowflake(), "QuizBot", bot=True)
        self.application_id = self.bot_user.id  # true of every bot created since 2020
        self.token = token_for(self.bot_user.id)
        self.guild_id = snowflake()
        self.channel_id = snowflake()
        self.dm_channel_id = snowflake()
        """The direct-message channel between the bot and whoever runs a command with ``dm=True``."""
        self.admin_role_id = snowflake()
        self.admin = FakeUser(snowflake(), "Ada", roles=(self.admin_role_id,))
        self.member = FakeUser(snowflake(), "Grace")
        self.members: list[FakeUser] = [self.admin, self.member]

        self.requests: list[RecordedRequest] = []
        self.global_commands: list[dict[str, Any]] | None = None
        self.guild_commands: dict[int, list[dict[str, Any]]] = {}
        self.messages: dict[int, dict[str, Any]] = {}
        """Every message the bot created, by id, in its latest state."""
        self.identify_count = 0
        self.tap: Tap | None = None
        """Called at each request's arrival and answer (see :data:`Tap`); None does nothing."""
        self._nonces: dict[str, tuple[int, float]] = {}
        """Message nonce -> (message id, monotonic time created), for ``enforce_nonce``."""
        self.unauthorized: list[RecordedRequest] = []
        self.refuse_all = False
        """Answer 401 to every REST request, whatever the token: a proxy in front of Discord that does not
        accept the bot's credentials. (A wrong token alone is refused whatever this says.)"""
        self.dm_channels: dict[int, int] = {}
        """Direct-message channels the bot opened with ``POST /users/@me/channels``: user id -> channel id."""
        self.closed_dms: set[int] = set()
        """Users who do not accept direct messages from the bot (Discord answers 403, code 50007)."""
        self.refuse_files = False
        """True: a file posted into a channel is refused (403 Missing Permissions), as Discord does for a bot
        without the Attach Files permission there. Interaction replies carry files without it."""
        self.channel_ids: set[int] = {self.channel_id}
        """Guild text channels the bot may post in; :meth:`add_channel` adds more (fan-out benchmarks)."""
        self.guild = FakeGuild(self.guild_id, self.channel_id)
        """The guild interactions come from unless a test names another."""
        self.guilds: list[FakeGuild] = [self.guild]
        """Every guild the bot is in; :meth:`add_guild` adds more (sharding tests)."""
        self.identified_shards: list[tuple[int, int]] = []
        """The ``(shard_id, shard_count)`` of every IDENTIFY, in order (``(0, 1)`` when it named none)."""

        self.rate_limits = rate_limits
        self.rate_limited: list[RecordedRequest] = []
        """Requests answered 429."""
        self.violations: list[RateLimitViolation] = []
        """Requests sent into a bucket while a 429's ``Retry-After`` was still running (should be none)."""
        self._global_window: deque[float] = deque()
        self._buckets: dict[str, _Bucket] = {}
        self._blocked_until: dict[str, float] = {}

        self._interactions: dict[int, InteractionHandle] = {}
        self._by_token: dict[str, InteractionHandle] = {}
        self._originals: dict[str, int] = {}
        self._interaction_messages: set[int] = set()
        self.attachments: dict[int, tuple[str, bytes, str]] = {}
        """Files users attached (id -> filename, bytes, content type) and files the bot sent in messages."""
        """Ids of messages sent as interaction answers (as opposed to posted in the channel)."""
        self._gateway: _GatewaySession | None = None
        """The latest connection that identified or resumed."""
        self._sessions: list[_GatewaySession] = []
        """Every connection that identified or resumed, oldest first."""
        self._shard_of_session: dict[str, tuple[int, int]] = {}
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # ----------------------------------------------------------------- lifecycle

    async def __aenter__(self) -> FakeDiscord:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def start(self) -> None:
        app = web.Application(middlewares=[self._record])
        app.router.add_get(GATEWAY_PATH, self._gateway_handler)
        app.router.add_get(ATTACHMENTS_PATH + "/{attachment_id}/{filename}", self._get_attachment)
        api = [
            ("GET", "/users/@me", self._get_me),
            ("GET", "/oauth2/applications/@me", self._get_application),
            ("PUT", "/applications/{app_id}/commands", self._put_global_commands),
            ("GET", "/applications/{app_id}/commands", self._get_global_commands),
            ("PUT", "/applications/{app_id}/guilds/{guild_id}/commands", self._put_guild_commands),
            ("GET", "/applications/{app_id}/guilds/{guild_id}/commands", self._get_guild_commands),
            ("POST", "/interactions/{interaction_id}/{token}/callback", self._interaction_callback),
            ("POST", "/webhooks/{app_id}/{token}", self._followup),
            ("GET", "/webhooks/{app_id}/{token}/messages/{message_id}", self._get_webhook_message),
            ("PATCH", "/webhooks/{app_id}/{token}/messages/{message_id}", self._edit_webhook_message),
            ("DELETE", "/webhooks/{app_id}/{token}/messages/{message_id}", self._delete_webhook_message),
            ("POST", "/users/@me/channels", self._create_dm),
            ("POST", "/channels/{channel_id}/messages", self._create_channel_message),
            ("GET", "/channels/{channel_id}/messages", self._get_channel_history),
            ("GET", "/channels/{channel_id}/messages/{message_id}", self._get_channel_message),
            ("PATCH", "/channels/{channel_id}/messages/{message_id}", self._edit_channel_message),
        ]
        for method, path, handler in api:
            app.router.add_route(method, API_PREFIX + path, handler)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._not_found)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def aclose(self) -> None:
        for session in self._sessions:
            if not session.ws.closed:
                await session.ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}{GATEWAY_PATH}"

    # ----------------------------------------------------------------- waiting

    async def wait_until(self, predicate: Callable[[], T | None], what: str) -> T:
        """Wait until ``predicate`` returns something other than None (or False); fail saying ``what``."""
        try:
            async with asyncio.timeout(self.timeout), self._changed:
                while not (result := predicate()):
                    await self._changed.wait()
                return result
        except TimeoutError:
            raise AssertionError(f"timed out after {self.timeout}s waiting for {what}") from None

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def wait_synced(self) -> list[dict[str, Any]]:
        """The commands the bot synced, global or guild, whichever came first."""
        return await self.wait_until(
            lambda: self.global_commands or next(iter(self.guild_commands.values()), None),
            "command sync",
        )

    async def wait_identified(self, count: int = 1) -> None:
        """Wait until ``count`` gateway sessions have identified (one per bot start)."""
        await self.wait_until(lambda: self.identify_count >= count, f"IDENTIFY #{count}")

    async def wait_shards_identified(self, *shards: tuple[int, int]) -> None:
        """Wait until each ``(shard_id, shard_count)`` has identified at least once."""
        await self.wait_until(
            lambda: set(shards) <= set(self.identified_shards), f"IDENTIFY of shards {sorted(shards)}"
        )

    # ----------------------------------------------------------------- assertions helpers

    def message_bodies(self) -> list[tuple[RecordedRequest, dict[str, Any]]]:
        """Every request body that creates or edits a message, with the part that holds the message."""
        found: list[tuple[RecordedRequest, dict[str, Any]]] = []
        for req in self.requests:
            if not isinstance(req.json, dict):
                continue
            if req.path.endswith("/callback"):
                if req.json.get("type") in (CHANNEL_MESSAGE, UPDATE_MESSAGE):
                    found.append((req, req.json.get("data") or {}))
            elif req.method in ("POST", "PATCH") and (
                req.path.startswith("/webhooks/") or re.fullmatch(r"/channels/\d+/messages(/\d+)?", req.path)
            ):
                found.append((req, req.json))
        return found

    def requests_to(self, method: str, pattern: str) -> list[RecordedRequest]:
        """Recorded requests whose path fully matches the regex ``pattern``."""
        return [r for r in self.requests if r.method == method and re.fullmatch(pattern, r.path)]

    def channel_messages(self, channel_id: int | None = None) -> list[dict[str, Any]]:
        """Public messages the bot posted in a channel (not interaction answers), oldest first."""
        cid = str(channel_id or self.channel_id)
        return [
            m
            for m in self.messages.values()
            if m["channel_id"] == cid and int(m["id"]) not in self._interaction_messages
        ]

    async def close_gateway(self, code: int) -> None:
        """Close the bot's gateway connection with a close ``code``, as Discord does on a fatal error.

        discord.py reconnects by itself after most codes; after 4010-4013 it gives up and raises
        ``ConnectionClosed`` out of ``Client.start``.
        """
        assert self._gateway is not None, "no bot is connected to the gateway"
        await self._gateway.ws.close(code=code, message=b"closed by the test")

    def add_guild(self, shard_id: int = 0, shard_count: int = 1) -> FakeGuild:
        """Another guild with one text channel, in shard ``shard_id`` of ``shard_count``.

        Announced (GUILD_CREATE) to the connections that identify after this call, as Discord announces the
        guilds of a shard at IDENTIFY; add guilds before starting the bot.
        """
        guild = FakeGuild(shard_snowflake(shard_id, shard_count), snowflake())
        self.guilds.append(guild)
        self.channel_ids.add(guild.channel_id)
        return guild

    def guild_of(self, message: dict[str, Any]) -> FakeGuild:
        """The guild whose channel ``message`` is in (the default guild for anything else)."""
        return next((g for g in self.guilds if str(g.channel_id) == message["channel_id"]), self.guild)

    def add_channel(self) -> int:
        """Another text channel in the guild (not announced over the gateway; posting works by id)."""
        channel_id = snowflake()
        self.channel_ids.add(channel_id)
        return channel_id

    def delete_message(self, message_id: int | str) -> None:
        """A moderator deletes a message the bot posted; later edits of it get 404 Unknown Message."""
        del self.messages[int(message_id)]

    # ----------------------------------------------------------------- injecting interactions

    async def slash(
        self,
        user: FakeUser,
        name: str,
        options: dict[str, Any] | None = None,
        *,
        subcommand: str | None = None,
        focused: str | None = None,
        dm: bool = False,
        age: float = 0.0,
        guild: FakeGuild | None = None,
    ) -> InteractionHandle:
        """Run ``/name [subcommand] option:value...`` as ``user``; with ``focused``, ask for autocomplete.

        The command must have been synced, like in Discord; option types come from the synced schema. With
        ``dm`` it runs in a direct message with the bot, where Discord offers only global commands that are
        not guild-only. ``guild``: run it there instead of in the default guild.
        """
        guild = guild or self.guild
        command, guild_scoped = self._registered(name, guild)
        if dm:
            assert not guild_scoped, f"/{name} is a guild command; Discord does not offer it in DMs"
            assert command.get("dm_permission") is not False, f"/{name} is guild-only"
        schema_options: list[dict[str, Any]] = command.get("options", [])
        wire_options = []
        if subcommand is not None:
            *group, leaf = subcommand.split()  # "questions upload": a subcommand inside a group (type 2)
            parent = schema_options
            if group:
                found = next((o for o in schema_options if o["name"] == group[0] and o["type"] == 2), None)
                assert found is not None, f"/{name} has no subcommand group {group[0]!r}"
                parent = found.get("options", [])
            sub = next((o for o in parent if o["name"] == leaf and o["type"] == 1), None)
            assert sub is not None, f"/{name} has no subcommand {subcommand!r}"
            wire_options = [
                {"type": 1, "name": leaf, "options": self._options(sub.get("options", []), options, focused)}
            ]
            if group:
                wire_options = [{"type": 2, "name": group[0], "options": wire_options}]
            sub_options = sub.get("options", [])
        else:
            wire_options = self._options(schema_options, options, focused)
            sub_options = schema_options
        data: dict[str, Any] = {
            "id": command["id"],
            "name": name,
            "type": 1,
            "options": wire_options,
        }
        attached = [  # an ATTACHMENT option (type 11) carries an id; the file itself is in ``resolved``
            int(value)
            for key, value in (options or {}).items()
            if any(o["name"] == key and o["type"] == 11 for o in sub_options)
        ]
        if attached:
            data["resolved"] = {"attachments": {str(a): self._attachment_payload(a) for a in attached}}
        if guild_scoped:
            data["guild_id"] = str(guild.id)
        kind = AUTOCOMPLETE if focused else APPLICATION_COMMAND
        return await self.inject(kind, user, data, dm=dm, age=age, guild=guild)

    async def click(self, user: FakeUser, message_id: int | str, custom_id: str) -> InteractionHandle:
        """Click the button ``custom_id`` on a message the bot sent (it must be on the message)."""
        message = self.messages.get(int(message_id))
        assert message is not None, f"no message {message_id} was sent by the bot"
        ids = [c.get("custom_id") for c in walk_components(message.get("components", []))]
        assert custom_id in ids, f"message {message_id} has no component {custom_id!r}; it has {ids}"
        button = next(c for c in walk_components(message["components"]) if c.get("custom_id") == custom_id)
        assert not button.get("disabled"), f"button {custom_id!r} is disabled"
        data = {"custom_id": custom_id, "component_type": button["type"]}
        dm = message["channel_id"] == str(self.dm_channel_id)
        guild = self.guild_of(message)
        return await self.inject(MESSAGE_COMPONENT, user, data, message=message, dm=dm, guild=guild)

    async def submit_modal(
        self,
        user: FakeUser,
        modal: dict[str, Any],
        values: dict[str, str],
        *,
        message: dict | None = None,
        guild: FakeGuild | None = None,
    ) -> InteractionHandle:
        """Submit a modal the bot opened, typing ``values`` (by text input custom_id) into its inputs.

        In ``guild``, else in the guild of ``message``, else in the default guild."""
        rows = []
        for top in modal["components"]:
            if top["type"] == 1:  # action row holding a text input
                rows.append(
                    {
                        "type": 1,
                        "components": [
                            {
                                "type": c["type"],
                                "custom_id": c["custom_id"],
                                "value": values.get(c["custom_id"], ""),
                            }
                            for c in top["components"]
                        ],
                    }
                )
            elif top["type"] == 18:  # label wrapping one component
                inner = top["component"]
                typed = values.get(inner["custom_id"], "")
                submitted: dict[str, Any] = {"type": inner["type"], "custom_id": inner["custom_id"]}
                if inner["type"] == 3:  # a string select submits the picked option values
                    options = [o["value"] for o in inner.get("options", [])]
                    assert not typed or typed in options, (
                        f"{typed!r} is not an option of {inner['custom_id']}"
                    )
                    submitted["values"] = [typed] if typed else []
                else:
                    submitted["value"] = typed
                rows.append({"type": 18, "component": submitted})
        data = {"custom_id": modal["custom_id"], "components": rows}
        dm = message is not None and message["channel_id"] == str(self.dm_channel_id)
        guild = guild or (self.guild_of(message) if message is not None else self.guild)
        return await self.inject(MODAL_SUBMIT, user, data, message=message, dm=dm, guild=guild)

    async def forge_click(self, user: FakeUser, message_id: int | str, custom_id: Any) -> InteractionHandle:
        """A click on a button the bot never sent: the message arrives carrying a button ``custom_id``.

        Models a frame altered on the way (a gateway proxy, a modified client); discord.py only routes a
        click to a button that is on the clicked message, so the forged one is put there.
        """
        message = self.messages.get(int(message_id))
        assert message is not None, f"no message {message_id} was sent by the bot"
        button = {"type": 2, "style": 2, "label": "forged", "custom_id": custom_id}
        forged = {**message, "components": [{"type": 1, "components": [button]}]}
        data = {"custom_id": custom_id, "component_type": 2}
        return await self.inject(MESSAGE_COMPONENT, user, data, message=forged, guild=self.guild_of(message))

    async def inject(
        self,
        kind: int,
        user: FakeUser,
        data: Any,
        *,
        message: dict | None = None,
        dm: bool = False,
        age: float = 0.0,
        guild: FakeGuild | None = None,
    ) -> InteractionHandle:
        """Send an INTERACTION_CREATE over the live gateway session: from a guild, or from a DM.

        ``age``: Discord created the interaction that many seconds before it reaches the bot. ``data`` is
        sent as given, malformed or not (``None``, ``{}``, a ``custom_id`` that is not a string). ``guild``
        (default: the default guild) picks the connection: the latest one running that guild's shard.
        """
        guild = guild or self.guild
        session = self._session_for(None if dm else guild)
        interaction_id = snowflake(age)
        token = f"interaction-token-{interaction_id}"
        payload: dict[str, Any] = {
            "id": str(interaction_id),
            "application_id": str(self.application_id),
            "type": kind,
            "data": data,
            "guild_id": str(guild.id),
            "channel_id": str(guild.channel_id),
            "channel": self._channel_payload(guild),
            "member": self._member_payload(user),
            "token": token,
            "version": 1,
            "locale": "en-US",
            "guild_locale": "en-US",
            "app_permissions": str(EVERYONE_PERMISSIONS),
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(guild.id)},
            "context": 0,
            "attachment_size_limit": 10 * 1024 * 1024,
        }
        if dm:  # no guild: the user instead of a member, the DM channel, the "bot DM" context
            for key in ("guild_id", "member", "guild_locale"):
                del payload[key]
            payload.update(
                channel_id=str(self.dm_channel_id),
                channel={"id": str(self.dm_channel_id), "type": 1, "recipients": [user.user_payload()]},
                user=user.user_payload(),
                context=1,
                authorizing_integration_owners={"0": str(user.id)},
            )
        if message is not None:
            payload["message"] = message
        handle = InteractionHandle(interaction_id, token, payload, self, shard=session.shard)
        self._interactions[interaction_id] = handle
        self._by_token[token] = handle
        handle.dispatched_at = time.perf_counter()
        await session.dispatch("INTERACTION_CREATE", payload)
        return handle

    def _session_for(self, guild: FakeGuild | None) -> _GatewaySession:
        """The latest open connection that runs ``guild``'s shard (shard 0 for a direct message)."""
        for session in reversed(self._sessions):
            if not session.ws.closed and session.runs(guild):
                return session
        where = "direct messages" if guild is None else f"guild {guild.id}"
        raise AssertionError(f"no bot is connected to the gateway on the shard of {where}")

    def _registered(self, name: str, guild: FakeGuild) -> tuple[dict[str, Any], bool]:
        for command in self.guild_commands.get(guild.id, []):
            if command["name"] == name:
                return command, True
        for command in self.global_commands or []:
            if command["name"] == name:
                return command, False
        raise AssertionError(f"/{name} was never synced; Discord would not offer it")

    @staticmethod
    def _options(
        schema: list[dict[str, Any]], values: dict[str, Any] | None, focused: str | None
    ) -> list[dict[str, Any]]:
        out = []
        for name, value in (values or {}).items():
            option = next((o for o in schema if o["name"] == name), None)
            assert option is not None, f"no option {name!r}; the command has {[o['name'] for o in schema]}"
            if option.get("choices") and name != focused:  # Discord only sends one of the listed values
                listed = [c["value"] for c in option["choices"]]
                assert value in listed, f"option {name!r} takes one of {listed}, not {value!r}"
            entry: dict[str, Any] = {"name": name, "type": option["type"], "value": value}
            if name == focused:
                entry["focused"] = True
            out.append(entry)
        return out

    # ----------------------------------------------------------------- payloads

    def _channel_payload(self, guild: FakeGuild) -> dict[str, Any]:
        return {
            "id": str(guild.channel_id),
            "type": 0,
            "guild_id": str(guild.id),
            "name": "quiz",
            "position": 0,
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": None,
            "topic": None,
            "rate_limit_per_user": 0,
            "last_message_id": None,
        }

    def _permissions_of(self, user: FakeUser) -> int:
        permissions = EVERYONE_PERMISSIONS
        if self.admin_role_id in user.roles:
            permissions |= MANAGE_GUILD
        return permissions

    def _member_payload(self, user: FakeUser) -> dict[str, Any]:
        return {
            "user": user.user_payload(),
            "nick": None,
            "avatar": None,
            "roles": [str(r) for r in user.roles],
            "joined_at": "2024-01-01T00:00:00+00:00",
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "permissions": str(self._permissions_of(user)),
        }

    def _guild_payload(self, guild: FakeGuild) -> dict[str, Any]:
        def role(role_id: int, name: str, permissions: int, position: int) -> dict[str, Any]:
            return {
                "id": str(role_id),
                "name": name,
                "color": 0,
                "hoist": False,
                "icon": None,
                "unicode_emoji": None,
                "position": position,
                "permissions": str(permissions),
                "managed": False,
                "mentionable": False,
                "flags": 0,
            }

        members = [self.bot_user, *self.members]
        return {
            "id": str(guild.id),
            "name": "ML Study Group",
            "icon": None,
            "owner_id": str(self.admin.id),
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 1,
            "explicit_content_filter": 0,
            "roles": [
                role(guild.id, "@everyone", EVERYONE_PERMISSIONS, 0),  # @everyone shares the guild id
                role(self.admin_role_id, "Moderator", EVERYONE_PERMISSIONS | MANAGE_GUILD, 1),
            ],
            "emojis": [],
            "stickers": [],
            "features": [],
            "mfa_level": 0,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "preferred_locale": "en-US",
            "premium_tier": 0,
            "nsfw_level": 0,
            "unavailable": False,
            "large": False,
            "member_count": len(members),
            "joined_at": "2024-01-01T00:00:00+00:00",
            "channels": [self._channel_payload(guild)],
            "threads": [],
            "members": [self._member_payload(m) for m in members],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }

    def _new_message(
        self, channel_id: int | str, body: dict[str, Any], *, interaction: InteractionHandle | None = None
    ) -> dict[str, Any]:
        message_id = snowflake()
        message: dict[str, Any] = {
            "id": str(message_id),
            "channel_id": str(channel_id),
            "author": self.bot_user.user_payload(),
            "content": body.get("content") or "",
            "timestamp": _now(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [self._attachment_payload(a) for a in body.get("_files", [])],
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "pinned": False,
            "type": 0 if interaction is None else 20,
            "flags": body.get("flags") or 0,
        }
        if interaction is not None:
            self._interaction_messages.add(message_id)
            message["application_id"] = str(self.application_id)
            message["webhook_id"] = str(self.application_id)
        if "message_reference" in body:
            reference = body["message_reference"]  # Discord answers with snowflakes as strings
            message["message_reference"] = {
                k: str(v) if k.endswith("_id") else v for k, v in reference.items()
            }
            message["type"] = 19
        self.messages[message_id] = message
        return message

    def attach(self, filename: str, content: bytes, content_type: str = "application/octet-stream") -> int:
        """A file a user attaches to a command; returns its id, to pass as an attachment option's value."""
        attachment_id = snowflake()
        self.attachments[attachment_id] = (filename, content, content_type)
        return attachment_id

    def attachment_bytes(self, attachment: dict[str, Any]) -> bytes:
        """The content of a file on a message the bot sent (from the message's ``attachments``)."""
        return self.attachments[int(attachment["id"])][1]

    def _attachment_payload(self, attachment_id: int) -> dict[str, Any]:
        filename, content, content_type = self.attachments[attachment_id]
        url = f"http://127.0.0.1:{self.port}{ATTACHMENTS_PATH}/{attachment_id}/{filename}"
        return {
            "id": str(attachment_id),
            "filename": filename,
            "size": len(content),
            "url": url,
            "proxy_url": url,
            "content_type": content_type,
        }

    async def _get_attachment(self, request: web.Request) -> web.Response:
        found = self.attachments.get(int(request.match_info["attachment_id"]))
        if found is None or found[0] != request.match_info["filename"]:
            return web.Response(status=404)
        return web.Response(body=found[1], content_type=found[2])

    def _files_of(self, request: web.Request) -> list[int]:
        """Store the files of a multipart request as attachments; their ids, in ``files[n]`` order."""
        return [self.attach(*f) for f in request.get(FILES, [])]

    def _edit_message(self, message: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        for key in ("content", "embeds", "components", "flags"):
            if key in body:
                message[key] = body[key] if body[key] is not None else message[key]
        if "_files" in body:
            message["attachments"] = [self._attachment_payload(a) for a in body["_files"]]
        message["flags"] = (message.get("flags") or 0) & ~LOADING_FLAG
        message["edited_timestamp"] = _now()
        return message

    # ----------------------------------------------------------------- HTTP plumbing

    @web.middleware
    async def _record(self, request: web.Request, handler: Callable) -> web.StreamResponse:
        if not request.path.startswith(API_PREFIX):
            return await handler(request)
        request[ARRIVED] = time.perf_counter()
        body: Any = None
        if request.can_read_body:
            raw = await request.read()
            if request.content_type == "application/json" and raw:
                body = json.loads(raw)
            elif request.content_type.startswith("multipart/"):  # payload_json plus files[n]
                body, request[FILES] = await _read_multipart(request, raw)
        recorded = RecordedRequest(request.method, request.path[len(API_PREFIX) :], dict(request.query), body)
        self.requests.append(recorded)
        # Interaction callbacks and webhooks authenticate by their token; everything else needs the bot token.
        needs_auth = not recorded.path.startswith(("/interactions/", "/webhooks/"))
        authorized = request.headers.get("Authorization") == f"Bot {self.token}"
        if self.refuse_all or (needs_auth and not authorized):
            self.unauthorized.append(recorded)
            return _json({"message": "401: Unauthorized", "code": 0}, status=401)
        request[JSON_BODY] = body
        limited, limit_headers = self._rate_limit(request, recorded)
        if limited is not None:
            return limited
        if self.tap is not None:
            await self.tap("received", request, recorded)
        response = await handler(request)
        response.headers.update(limit_headers)
        await self._notify()
        if self.tap is not None:
            await self.tap("answering", request, recorded)
        return response

    # ----------------------------------------------------------------- rate limits

    def _rate_limit(
        self, request: web.Request, recorded: RecordedRequest
    ) -> tuple[web.Response | None, dict[str, str]]:
        """A 429 answer if ``request`` is over a limit, else the ``X-RateLimit-*`` headers for its answer."""
        limits = self.rate_limits
        if limits is None:
            return None, {}
        now = time.monotonic()
        route_key, bucket_hash = self._bucket_of(request)
        counts_globally = not recorded.path.startswith(("/interactions/", "/webhooks/"))
        for key in ("global", route_key) if counts_globally else (route_key,):
            if now < (until := self._blocked_until.get(key, -math.inf)):
                self.violations.append(RateLimitViolation(recorded, key, until - now))

        if counts_globally:
            window = self._global_window
            while window and now - window[0] >= 1.0:
                window.popleft()
            if len(window) >= limits.global_per_second:
                retry_after = window[0] + 1.0 - now
                return self._too_many(recorded, "global", now, retry_after, {}), {}

        bucket = self._buckets.setdefault(route_key, _Bucket(bucket_hash))
        if now - bucket.opened >= limits.route_window:
            bucket.opened, bucket.used = now, 0
        reset_after = bucket.opened + limits.route_window - now
        headers = {
            "X-RateLimit-Limit": str(limits.route_limit),
            "X-RateLimit-Remaining": str(max(0, limits.route_limit - bucket.used - 1)),
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": bucket.hash,
        }
        if bucket.used >= limits.route_limit:
            return self._too_many(recorded, route_key, now, reset_after, headers), {}
        bucket.used += 1
        if counts_globally:
            self._global_window.append(now)
        return None, headers

    def _bucket_of(self, request: web.Request) -> tuple[str, str]:
        """The bucket key (route + major parameter) and its hash, the way Discord groups requests."""
        resource = request.match_info.route.resource
        template = resource.canonical if resource is not None else request.path
        info = request.match_info
        major = info.get("channel_id") or info.get("guild_id") or info.get("token") or ""
        bucket_hash = hashlib.sha1(f"{request.method} {template}".encode()).hexdigest()[:16]
        return f"{bucket_hash}:{major}", bucket_hash

    def _too_many(
        self, recorded: RecordedRequest, key: str, now: float, retry_after: float, headers: dict[str, str]
    ) -> web.Response:
        self.rate_limited.append(recorded)
        self._blocked_until[key] = max(self._blocked_until.get(key, -math.inf), now + retry_after)
        is_global = key == "global"
        body = {
            "message": "You are being rate limited.",
            "retry_after": round(retry_after, 3),
            "global": is_global,
        }
        response = _json(body, status=429)
        response.headers.update(
            {
                **headers,
                "X-RateLimit-Remaining": "0",
                "Retry-After": str(max(1, math.ceil(retry_after))),
                "X-RateLimit-Scope": "global" if is_global else "user",
                "Via": "1.1 google",  # discord.py takes a 429 without it for a Cloudflare ban
                **({"X-RateLimit-Global": "true"} if is_global else {}),
            }
        )
        return response

    async def _not_found(self, request: web.Request) -> web.Response:
        return _json({"message": f"Unknown route {request.method} {request.path}", "code": 0}, status=404)

    async def _get_me(self, request: web.Request) -> web.Response:
        return _json({**self.bot_user.user_payload(), "verified": True, "mfa_enabled": False})

    async def _get_application(self, request: web.Request) -> web.Response:
        return _json(
            {
                "id": str(self.application_id),
                "name": "QuizBot",
                "description": "",
                "icon": None,
                "bot_public": True,
                "bot_require_code_grant": False,
                "owner": self.admin.user_payload(),
                "verify_key": "0" * 64,
                "flags": 0,
                "team": None,
            }
        )

    def _store_commands(self, body: list[dict[str, Any]], guild_id: int | None) -> list[dict[str, Any]]:
        stored = []
        for command in body:
            entry = {
                **command,
                "id": str(snowflake()),
                "application_id": str(self.application_id),
                "version": str(snowflake()),
            }
            entry.setdefault("type", 1)
            if entry.get("default_member_permissions") is not None:  # Discord answers with a string
                entry["default_member_permissions"] = str(entry["default_member_permissions"])
            entry.setdefault("description", "")
            if guild_id is not None:
                entry["guild_id"] = str(guild_id)
            stored.append(entry)
        return stored

    async def _put_global_commands(self, request: web.Request) -> web.Response:
        self.global_commands = self._store_commands(request[JSON_BODY], None)
        return _json(self.global_commands)

    async def _get_global_commands(self, request: web.Request) -> web.Response:
        return _json(self.global_commands or [])

    async def _put_guild_commands(self, request: web.Request) -> web.Response:
        guild_id = int(request.match_info["guild_id"])
        self.guild_commands[guild_id] = self._store_commands(request[JSON_BODY], guild_id)
        return _json(self.guild_commands[guild_id])

    async def _get_guild_commands(self, request: web.Request) -> web.Response:
        return _json(self.guild_commands.get(int(request.match_info["guild_id"]), []))

    async def _interaction_callback(self, request: web.Request) -> web.Response:
        handle = self._interactions.get(int(request.match_info["interaction_id"]))
        if handle is None or handle.token != request.match_info["token"]:
            return _json({"message": "Unknown interaction", "code": 10062}, status=404)
        if handle.callback_body is not None:
            return _json({"message": "Interaction has already been acknowledged.", "code": 40060}, status=400)
        body: dict[str, Any] = request[JSON_BODY]
        files = self._files_of(request)
        if files:
            body.setdefault("data", {})["_files"] = files
        handle.callback_body = body
        handle.called_back_at = request[ARRIVED]
        handle.called_back.set()
        kind, data = body["type"], body.get("data") or {}
        flags = data.get("flags") or 0
        interaction: dict[str, Any] = {"id": str(handle.id), "type": handle.payload["type"]}
        resource: dict[str, Any] = {"type": kind}
        if kind == CHANNEL_MESSAGE:
            message = self._new_message(handle.channel_id, data, interaction=handle)
            self._originals[handle.token] = int(message["id"])
            handle.messages.append(message)
            resource["message"] = message
            interaction.update(
                response_message_id=message["id"], response_message_ephemeral=bool(flags & EPHEMERAL_FLAG)
            )
        elif kind == DEFERRED_CHANNEL_MESSAGE:
            message = self._new_message(
                handle.channel_id, {"flags": flags | LOADING_FLAG}, interaction=handle
            )
            self._originals[handle.token] = int(message["id"])
            resource["message"] = message
            interaction.update(
                response_message_id=message["id"],
                response_message_loading=True,
                response_message_ephemeral=bool(flags & EPHEMERAL_FLAG),
            )
        elif kind in (UPDATE_MESSAGE, DEFERRED_UPDATE):
            source = handle.payload.get("message")
            assert source is not None, "only a component interaction can update its message"
            self._originals[handle.token] = int(source["id"])
            if kind == UPDATE_MESSAGE:
                message = self._edit_message(self.messages[int(source["id"])], data)
                handle.messages.append(message)
                resource["message"] = message
        return _json({"interaction": interaction, "resource": resource})

    def _webhook_handle(self, request: web.Request) -> InteractionHandle | None:
        if request.match_info["app_id"] != str(self.application_id):
            return None
        return self._by_token.get(request.match_info["token"])

    def _webhook_message(self, request: web.Request, handle: InteractionHandle) -> dict[str, Any] | None:
        ref = request.match_info["message_id"]
        message_id = self._originals.get(handle.token) if ref == "@original" else int(ref)
        return self.messages.get(message_id) if message_id is not None else None

    async def _followup(self, request: web.Request) -> web.Response:
        handle = self._webhook_handle(request)
        if handle is None or handle.callback_body is None:
            return _json({"message": "Unknown Webhook", "code": 10015}, status=404)
        body = dict(request[JSON_BODY] or {})
        if files := self._files_of(request):
            body["_files"] = files
        message = self._new_message(handle.channel_id, body, interaction=handle)
        handle.messages.append(message)
        return _json(message)

    async def _get_webhook_message(self, request: web.Request) -> web.Response:
        handle = self._webhook_handle(request)
        message = self._webhook_message(request, handle) if handle else None
        if message is None:
            return _json({"message": "Unknown Message", "code": 10008}, status=404)
        return _json(message)

    async def _edit_webhook_message(self, request: web.Request) -> web.Response:
        handle = self._webhook_handle(request)
        message = self._webhook_message(request, handle) if handle else None
        if handle is None or message is None:
            return _json({"message": "Unknown Message", "code": 10008}, status=404)
        body = dict(request[JSON_BODY] or {})
        if files := self._files_of(request):
            body["_files"] = files
        self._edit_message(message, body)
        handle.messages.append(message)
        return _json(message)

    async def _delete_webhook_message(self, request: web.Request) -> web.Response:
        handle = self._webhook_handle(request)
        message = self._webhook_message(request, handle) if handle else None
        if message is None:
            return _json({"message": "Unknown Message", "code": 10008}, status=404)
        self.messages.pop(int(message["id"]), None)
        return web.Response(status=204)

    def dm_messages(self, user: FakeUser) -> list[dict[str, Any]]:
        """The messages the bot sent to ``user`` in a direct message, oldest first."""
        channel = self.dm_channels.get(user.id)
        return [m for m in self.messages.values() if channel is not None and m["channel_id"] == str(channel)]

    async def _create_dm(self, request: web.Request) -> web.Response:
        """``POST /users/@me/channels`` with ``recipient_id``: the DM channel with that user (the same one
        every time, as on Discord); an unknown user is 400."""
        body = request[JSON_BODY] or {}
        user = next((u for u in self.members if str(u.id) == str(body.get("recipient_id"))), None)
        if user is None:
            return _json({"message": "Invalid Recipient(s)", "code": 50033}, status=400)
        channel_id = self.dm_channels.setdefault(user.id, snowflake())
        self.channel_ids.add(channel_id)
        return _json(
            {"id": str(channel_id), "type": 1, "last_message_id": None, "recipients": [user.user_payload()]}
        )

    async def _create_channel_message(self, request: web.Request) -> web.Response:
        channel_id = int(request.match_info["channel_id"])
        if any(self.dm_channels.get(u) == channel_id for u in self.closed_dms):
            return _json({"message": "Cannot send messages to this user", "code": 50007}, status=403)
        if channel_id not in self.channel_ids:
            return _json({"message": "Unknown Channel", "code": 10003}, status=404)
        body = request[JSON_BODY] or {}
        nonce = body.get("nonce")
        if nonce is not None and len(str(nonce)) > NONCE_MAX:
            errors = {
                "nonce": {"_errors": [{"code": "BASE_TYPE_BAD_LENGTH", "message": "Must be 25 or fewer"}]}
            }
            return _json({"message": "Invalid Form Body", "code": 50035, "errors": errors}, status=400)
        if nonce is not None and body.get("enforce_nonce"):
            earlier = self._nonces.get(str(nonce))
            if earlier is not None and time.monotonic() - earlier[1] < NONCE_WINDOW:
                message = self.messages.get(earlier[0])
                if message is not None:  # the same author sent this nonce minutes ago: no second message
                    return _json({**message, "nonce": nonce})
        if request.get(FILES) and self.refuse_files:
            return _json({"message": "Missing Permissions", "code": 50013}, status=403)
        if files := self._files_of(request):  # a multipart post: payload_json plus files[n]
            body = {**body, "_files": files}
        message = self._new_message(channel_id, body)
        if nonce is None:
            return _json(message)
        self._nonces[str(nonce)] = (int(message["id"]), time.monotonic())
        return _json({**message, "nonce": nonce})

    async def _get_channel_history(self, request: web.Request) -> web.Response:
        """A page of the channel's messages, newest first, like Discord's ``GET /channels/{id}/messages``.

        ``after`` gives the ``limit`` messages right after that id (still newest first), ``before`` the ones
        right before it; without either, the latest ``limit``. Ephemeral answers are nobody's history.
        """
        channel_id = request.match_info["channel_id"]
        if int(channel_id) not in self.channel_ids | {self.dm_channel_id}:
            return _json({"message": "Unknown Channel", "code": 10003}, status=404)
        query = request.query
        try:
            limit = int(query.get("limit", 50))
            before, after = (int(query[k]) if k in query else None for k in ("before", "after"))
        except ValueError:
            return _json({"message": "Invalid Form Body", "code": 50035}, status=400)
        if not 1 <= limit <= HISTORY_LIMIT_MAX:
            return _json({"message": "Invalid Form Body", "code": 50035}, status=400)
        found = sorted(
            (
                m
                for m in self.messages.values()
                if m["channel_id"] == channel_id and not (m.get("flags") or 0) & EPHEMERAL_FLAG
            ),
            key=lambda m: int(m["id"]),
        )
        if after is not None:
            page = [m for m in found if int(m["id"]) > after][:limit]
        else:
            page = [m for m in found if before is None or int(m["id"]) < before][-limit:]
        return _json(list(reversed(page)))

    async def _get_channel_message(self, request: web.Request) -> web.Response:
        message = self.messages.get(int(request.match_info["message_id"]))
        if message is None or message["channel_id"] != request.match_info["channel_id"]:
            return _json({"message": "Unknown Message", "code": 10008}, status=404)
        return _json(message)

    async def _edit_channel_message(self, request: web.Request) -> web.Response:
        message = self.messages.get(int(request.match_info["message_id"]))
        if message is None or message["channel_id"] != request.match_info["channel_id"]:
            return _json({"message": "Unknown Message", "code": 10008}, status=404)
        return _json(self._edit_message(message, request[JSON_BODY] or {}))

    # ----------------------------------------------------------------- gateway

    async def _gateway_handler(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        session = _GatewaySession(ws)
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}}))
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            frame = json.loads(msg.data)
            op = frame.get("op")
            if op == 1:  # heartbeat
                await ws.send_str(json.dumps({"op": 11}))
            elif op == 2:  # identify
                if frame["d"].get("token") != self.token:
                    await ws.close(code=4004, message=b"Authentication failed.")
                    break
                shard_id, count = frame["d"].get("shard") or (0, 1)
                if not 0 <= shard_id < count:
                    await ws.close(code=4010, message=b"Invalid shard.")
                    break
                session.shard = (shard_id, count)
                self._shard_of_session[session.session_id] = session.shard
                self.identified_shards.append(session.shard)
                self._connected(session)
                await session.dispatch("READY", self._ready_payload(session))
                for guild in self._guilds_of(session):
                    await session.dispatch("GUILD_CREATE", self._guild_payload(guild))
                self.identify_count += 1
                await self._notify()
            elif op == 6:  # resume
                session.shard = self._shard_of_session.get(frame["d"].get("session_id"), (0, 1))
                self._connected(session)
                await session.dispatch("RESUMED", {})
        return ws

    def _connected(self, session: _GatewaySession) -> None:
        self._gateway = session
        self._sessions = [s for s in self._sessions if not s.ws.closed] + [session]

    def _guilds_of(self, session: _GatewaySession) -> list[FakeGuild]:
        return [g for g in self.guilds if session.runs(g)]

    def _ready_payload(self, session: _GatewaySession) -> dict[str, Any]:
        return {
            "v": 10,
            "user": {**self.bot_user.user_payload(), "verified": True, "mfa_enabled": False},
            "guilds": [{"id": str(g.id), "unavailable": True} for g in self._guilds_of(session)],
            "session_id": session.session_id,
            "resume_gateway_url": self.gateway_url,
            "shard": list(session.shard),
            "application": {"id": str(self.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
        }


def _json(data: Any, status: int = 200) -> web.Response:
    """discord.py parses a body as JSON only when Content-Type is exactly ``application/json``."""
    return web.Response(
        body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"}
    )


def walk_components(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every component of a message or modal, depth first (rows, their buttons, labels' inputs)."""
    out: list[dict[str, Any]] = []
    for component in components:
        out.append(component)
        out.extend(walk_components(component.get("components", [])))
        if "component" in component:
            out.extend(walk_components([component["component"]]))
    return out


async def _read_multipart(request: web.Request, raw: bytes) -> tuple[Any, list[tuple[str, bytes, str]]]:
    """Discord's file uploads: a ``payload_json`` part with the message, and ``files[n]`` parts."""
    from aiohttp import BodyPartReader, MultipartReader
    from aiohttp.streams import StreamReader

    class _Bytes(StreamReader):  # the body was already read by the middleware; feed it back to the parser
        pass

    stream = _Bytes(request.protocol, limit=2**16, loop=asyncio.get_running_loop())
    stream.feed_data(raw)
    stream.feed_eof()
    reader = MultipartReader(request.headers, stream)
    body: Any = {}
    files: list[tuple[str, bytes, str]] = []
    while (part := await reader.next()) is not None:
        assert isinstance(part, BodyPartReader)
        data = await part.read()
        if part.name == "payload_json":
            body = json.loads(data)
        elif part.name and part.name.startswith("files["):
            files.append(
                (
                    part.filename or "file",
                    bytes(data),
                    part.headers.get("Content-Type", "application/octet-stream"),
                )
            )
    return body, files
