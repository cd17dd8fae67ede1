"""A fake Slack for protocol-level tests: the Web API the app calls, and a client that signs what Slack sends.

The real ``AsyncApp`` talks to :class:`FakeSlackApi` over real HTTP on 127.0.0.1 (point its
``AsyncWebClient`` at :attr:`FakeSlackApi.api_url`), and :class:`SignedSlackClient` sends it slash commands,
button clicks and modal submissions signed exactly as Slack signs them. Nothing in the app is patched, so a
test exercises signature checking, Bolt's routing and acks, the JSON the app sends, and its use of
``response_url``.

The fake keeps the few rules of the real service that an app can get wrong: tokens are checked, a
``response_url`` takes at most five posts, ``users.info`` fails for unknown users, and (switched on for
benchmarks) ``chat.postMessage`` answers 429 with ``Retry-After`` beyond about one message per second and
channel, and counts every post a client sent into a channel before that ``Retry-After`` had elapsed. It also
serves Socket Mode: ``apps.connections.open`` hands out a websocket on the same server, and
:meth:`FakeSlackApi.send_envelope` delivers a payload through it and waits for the app's ack.

Posted messages are kept per channel with their ``metadata`` (``event_type`` + ``event_payload``), so
``conversations.history`` (top-level messages, newest first) and ``conversations.replies`` (a thread, oldest
first) page through them like Slack, returning metadata only with ``include_all_metadata``. Message ``ts`` are
taken from the wall clock, so ``oldest``/``latest`` bounds work. :attr:`FakeSlackApi.tap` is awaited when a
Web API call arrives and when its answer is ready (the crash test kills the calling process there).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import urllib.parse
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web
from slack_sdk.signature import SignatureVerifier

DEFAULT_TEAM_ID = "T0QUIZ"
DEFAULT_BOT_TOKEN = "xoxb-quizbot-test"
DEFAULT_APP_TOKEN = "xapp-quizbot-test"
DEFAULT_SIGNING_SECRET = "quizbot-signing-secret"
BOT_USER_ID = "UQUIZBOT"
BOT_ID = "BQUIZBOT"

RESPONSE_URL_MAX_POSTS = 5
"""Slack accepts at most five posts to one ``response_url`` (within 30 minutes)."""

MESSAGE_METHODS = ("chat.postMessage", "chat.postEphemeral", "chat.update")
RETRY_AFTER_SECONDS = 1
"""What the fake's 429 tells the client to wait, in whole seconds like Slack's ``Retry-After``."""
HISTORY_LIMIT_DEFAULT = 100
HISTORY_LIMIT_MAX = 999
"""``conversations.history``/``replies`` page size: 100 by default, at most 999 (Slack advises 200)."""


@dataclass
class FakeUser:
    """A workspace member as ``users.info`` describes them."""

    id: str
    name: str
    is_admin: bool = False
    is_owner: bool = False
    tz: str = "Europe/Berlin"
    team_id: str = DEFAULT_TEAM_ID

    def to_api(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "team_id": self.team_id,
            "name": self.name,
            "real_name": self.name.title(),
            "deleted": False,
            "tz": self.tz,
            "is_admin": self.is_admin,
            "is_owner": self.is_owner,
            "is_primary_owner": False,
            "is_bot": False,
            "profile": {"display_name": self.name, "real_name": self.name.title()},
        }


@dataclass(frozen=True)
class ApiCall:
    """One Web API call as the fake received it (JSON, form and query arguments merged)."""

    method: str
    args: dict[str, Any]
    token: str | None


@dataclass(frozen=True)
class RateLimitViolation:
    """A ``chat.postMessage`` sent into a channel before the ``Retry-After`` of its last 429 had elapsed."""

    call: ApiCall
    early_by: float
    """How many seconds before the end of the wait it arrived."""


@dataclass(frozen=True)
class ResponsePost:
    """One post the app made to a ``response_url``."""

    url: str
    body: dict[str, Any]


@dataclass(frozen=True)
class SentMessage:
    """A message body the app sent by any route; ``via`` is the API method or ``"response_url"``."""

    via: str
    body: dict[str, Any]

    @property
    def blocks(self) -> list[dict[str, Any]]:
        return list(self.body.get("blocks") or [])

    @property
    def text(self) -> str:
        """Every text the body would show, joined: the fallback text and all block texts."""
        return "\n".join(texts_in(self.body))


def texts_in(node: Any) -> Iterator[str]:
    """Every ``text`` string anywhere in a message or view body."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "text" and isinstance(value, str):
                yield value
            else:
                yield from texts_in(value)
    elif isinstance(node, list):
        for item in node:
            yield from texts_in(item)


def _truthy(value: Any) -> bool:
    """Slack's boolean arguments arrive as JSON booleans or as form strings ("true", "1")."""
    return value is True or str(value).lower() in ("true", "1")


def _ok(**payload: Any) -> web.Response:
    return web.json_response({"ok": True, **payload})


def _error(error: str, status: int = 200, headers: Mapping[str, str] | None = None) -> web.Response:
    return web.json_response({"ok": False, "error": error}, status=status, headers=headers)


def _decode_json_fields(args: dict[str, Any]) -> dict[str, Any]:
    """Form-encoded calls carry ``blocks``, ``view`` or ``metadata`` as JSON strings; decode them."""
    for key in ("blocks", "view", "attachments", "metadata"):
        value = args.get(key)
        if isinstance(value, str) and value[:1] in "[{":
            args[key] = json.loads(value)
    return args


@dataclass
class FakeFile:
    """A file on the fake workspace: shared by a user, or uploaded by the app into ``channel``."""

    id: str
    name: str
    content: bytes
    title: str = ""
    channel: str | None = None
    comment: str = ""


class FakeSlackApi:
    """The Slack Web API and ``response_url`` endpoints, recording every call; use ``async with``.

    ``rate_limit_interval`` (seconds) switches on per-channel rate limiting of ``chat.postMessage``; leave it
    ``None`` in unit tests.
    """

    def __init__(
        self,
        *,
        team_id: str = DEFAULT_TEAM_ID,
        bot_token: str = DEFAULT_BOT_TOKEN,
        app_token: str = DEFAULT_APP_TOKEN,
        rate_limit_interval: float | None = None,
    ) -> None:
        self.team_id = team_id
        self.bot_token = bot_token
        self.app_token = app_token
        self.rate_limit_interval = rate_limit_interval
        self.users: dict[str, FakeUser] = {}
        self.calls: list[ApiCall] = []
        self.responses: list[ResponsePost] = []
        self.sent: list[SentMessage] = []
        self.rate_limited: list[ApiCall] = []
        self.violations: list[RateLimitViolation] = []
        """Posts sent while a 429's ``Retry-After`` for their channel was still running (should be none)."""
        self._blocked_until: dict[str, float] = {}
        self.acks: list[dict[str, Any]] = []
        self._response_urls: dict[str, int] = {}
        self._last_post: dict[str, float] = {}
        self._ids = itertools.count(1)
        self._changed = asyncio.Condition()
        self._sockets: list[web.WebSocketResponse] = []
        self._pending_acks: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self.posted_ts: set[str] = set()
        """``ts`` of every message the bot posted and nobody deleted (chat.update needs one of these)."""
        self.history: dict[str, list[dict[str, Any]]] = {}
        """Every message the bot posted and nobody deleted, per channel, oldest first, as Slack stores it."""
        self.tap: Callable[[str, web.Request, ApiCall], Awaitable[None]] | None = None
        """Awaited with ``"received"`` before the fake acts on a Web API call and ``"answering"`` after."""
        self._last_ts = 0.0
        self.responses_open = asyncio.Event()
        """Cleared, ``response_url`` posts wait until it is set again: proves an app acks before replying."""
        self.responses_open.set()
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.refused: dict[str, str] = {}
        """Web API methods that fail with the given error, e.g. ``{"conversations.open": "missing_scope"}``
        for a workspace that installed the app before it asked for a scope."""
        self.files: dict[str, FakeFile] = {}
        """Files users shared with the app (served at ``url_private_download``) and files the app uploaded."""

    # -- lifecycle -----------------------------------------------------------------------------------------

    async def start(self) -> FakeSlackApi:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response/{key}", self._response_url)
        app.router.add_get("/socket", self._socket)
        app.router.add_get("/files/{file_id}/{name}", self._download_file)
        app.router.add_post("/upload/{file_id}", self._upload_file)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def aclose(self) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeSlackApi:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # -- what tests set up and read ------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        """The Web API base URL; the trailing slash matters to ``AsyncWebClient`` (it uses urljoin)."""
        return f"{self.base_url}/api/"

    def add_user(self, user_id: str, name: str, **fields: Any) -> FakeUser:
        user = FakeUser(user_id, name, team_id=self.team_id, **fields)
        self.users[user_id] = user
        return user

    def new_response_url(self) -> str:
        """A fresh ``response_url`` as Slack puts in each slash command or interaction."""
        key = f"R{next(self._ids):04d}"
        self._response_urls[key] = 0
        return f"{self.base_url}/response/{key}"

    def limit_posts(self, interval: float | None) -> None:
        """Switch per-channel rate limiting of ``chat.postMessage`` on (or off), forgetting earlier posts."""
        self.rate_limit_interval = interval
        self._last_post.clear()
        self._blocked_until.clear()

    def calls_to(self, method: str) -> list[ApiCall]:
        return [c for c in self.calls if c.method == method]

    def responses_to(self, url: str) -> list[dict[str, Any]]:
        return [r.body for r in self.responses if r.url == url]

    async def wait_for(self, predicate: Callable[[], bool], within: float = 3.0) -> None:
        """Wait until ``predicate()`` holds; for apps that ack first and work afterwards."""
        async with asyncio.timeout(within), self._changed:
            await self._changed.wait_for(predicate)

    async def _record(self, call: ApiCall | None = None, sent: SentMessage | None = None) -> None:
        async with self._changed:
            if call is not None:
                self.calls.append(call)
            if sent is not None:
                self.sent.append(sent)
            self._changed.notify_all()

    # -- files ---------------------------------------------------------------------------------------------

    def share_file(self, name: str, content: bytes, filetype: str = "text") -> dict[str, Any]:
        """A file a user picked in a ``file_input``: the file object Slack puts in ``view_submission``."""
        file = FakeFile(f"F{next(self._ids):06d}", name, content)
        self.files[file.id] = file
        return {
            "id": file.id,
            "name": name,
            "title": name,
            "filetype": filetype,
            "size": len(content),
            "url_private": f"{self.base_url}/files/{file.id}/{name}",
            "url_private_download": f"{self.base_url}/files/{file.id}/{name}",
        }

    def uploaded(self) -> list[FakeFile]:
        """Files the app uploaded and shared (``files.completeUploadExternal``), first first."""
        return [f for f in self.files.values() if f.channel is not None]

    async def _download_file(self, request: web.Request) -> web.Response:
        """``url_private_download``: only with the bot token as a Bearer header, as Slack requires."""
        if request.headers.get("Authorization") != f"Bearer {self.bot_token}":
            return web.Response(status=403, text="no auth")
        file = self.files.get(request.match_info["file_id"])
        if file is None or file.name != request.match_info["name"]:
            return web.Response(status=404)
        return web.Response(body=file.content, content_type="application/octet-stream")

    async def _upload_file(self, request: web.Request) -> web.Response:
        """Step 2 of ``files_upload_v2``: the bytes go to the URL ``files.getUploadURLExternal`` gave."""
        file = self.files.get(request.match_info["file_id"])
        if file is None:
            return web.Response(status=404)
        if request.content_type.startswith("multipart/"):
            form = await request.post()
            part = next(iter(form.values()))
            file.content = part.file.read() if hasattr(part, "file") else str(part).encode()
        else:
            file.content = await request.read()
        return web.Response(text="OK - " + str(len(file.content)))

    async def _files_getUploadURLExternal(self, args: dict[str, Any]) -> web.Response:
        file = FakeFile(f"F{next(self._ids):06d}", str(args.get("filename", "file")), b"")
        self.files[file.id] = file
        return _ok(upload_url=f"{self.base_url}/upload/{file.id}", file_id=file.id)

    async def _files_completeUploadExternal(self, args: dict[str, Any]) -> web.Response:
        listed = args.get("files")
        entries = json.loads(listed) if isinstance(listed, str) else list(listed or [])
        done = []
        for entry in entries:
            file = self.files.get(str(entry.get("id")))
            if file is None:
                return _error("file_not_found")
            file.title = str(entry.get("title") or file.name)
            file.channel = str(args.get("channel_id") or args.get("channels") or "")
            file.comment = str(args.get("initial_comment") or "")
            done.append({"id": file.id, "name": file.name, "title": file.title})
        return _ok(files=done)

    async def _conversations_open(self, args: dict[str, Any]) -> web.Response:
        """The app's direct-message channel with a user (``im:write``)."""
        users = str(args.get("users", ""))
        return _ok(channel={"id": "D" + users.lstrip("U")})

    # -- Web API -------------------------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                args.update(await request.json())
            else:
                args.update(await request.post())
        args = _decode_json_fields(args)
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else args.pop("token", None)
        call = ApiCall(method, args, token)

        expected = self.app_token if method == "apps.connections.open" else self.bot_token
        if token != expected:
            await self._record(call)
            return _error("invalid_auth")
        if method in self.refused:
            await self._record(call)
            return _error(self.refused[method])
        handler = getattr(self, "_" + method.replace(".", "_"), None)
        if handler is None:
            await self._record(call)
            return _error("unknown_method", status=404)
        if method == "chat.postMessage" and self._is_rate_limited(call, str(args.get("channel", ""))):
            self.rate_limited.append(call)
            await self._record()
            return _error("ratelimited", status=429, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
        sent = SentMessage(method, args) if method in MESSAGE_METHODS else None
        if method == "views.open":
            sent = SentMessage(method, dict(args.get("view") or {}))
        if self.tap is not None:
            await self.tap("received", request, call)
        await self._record(call, sent)
        response = await handler(args)
        if self.tap is not None:
            await self.tap("answering", request, call)
        return response

    def _is_rate_limited(self, call: ApiCall, channel: str) -> bool:
        """About one message per second and channel; Slack answers 429 with ``Retry-After`` beyond."""
        if self.rate_limit_interval is None:
            return False
        now = time.monotonic()
        blocked_until = self._blocked_until.get(channel)
        if blocked_until is not None and now < blocked_until:
            self.violations.append(RateLimitViolation(call, blocked_until - now))
        last = self._last_post.get(channel)
        if last is not None and now - last < self.rate_limit_interval:
            self._blocked_until[channel] = now + RETRY_AFTER_SECONDS
            return True
        self._last_post[channel] = now
        return False

    def _next_ts(self) -> str:
        """The wall clock in Slack's ``seconds.micros`` form, strictly increasing."""
        self._last_ts = max(time.time(), self._last_ts + 0.000001)
        return f"{self._last_ts:.6f}"

    async def _auth_test(self, args: dict[str, Any]) -> web.Response:
        return _ok(
            url="https://quiz.example.slack.com/",
            team="Quiz Team",
            user="quizbot",
            team_id=self.team_id,
            user_id=BOT_USER_ID,
            bot_id=BOT_ID,
            is_enterprise_install=False,
        )

    async def _users_info(self, args: dict[str, Any]) -> web.Response:
        user = self.users.get(str(args.get("user", "")))
        if user is None:
            return _error("user_not_found")
        return _ok(user=user.to_api())

    async def _chat_postMessage(self, args: dict[str, Any]) -> web.Response:
        if not args.get("channel"):
            return _error("channel_not_found")
        if not args.get("text") and not args.get("blocks"):
            return _error("no_text")
        metadata = args.get("metadata")
        if metadata is not None and not (
            isinstance(metadata, dict)
            and isinstance(metadata.get("event_type"), str)
            and isinstance(metadata.get("event_payload"), dict)
        ):
            return _error("invalid_metadata_format")
        ts = self._next_ts()
        self.posted_ts.add(ts)
        message: dict[str, Any] = {"type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "ts": ts}
        message.update({k: args[k] for k in ("text", "blocks", "thread_ts", "metadata") if args.get(k)})
        self.history.setdefault(args["channel"], []).append(message)
        return _ok(channel=args["channel"], ts=ts, message=message)

    def delete_message(self, ts: str) -> None:
        """Someone deleted a message the bot posted: updates to it now fail like Slack's."""
        self.posted_ts.discard(ts)
        for messages in self.history.values():
            messages[:] = [m for m in messages if m["ts"] != ts]

    def channel_posts(self, channel: str) -> list[dict[str, Any]]:
        """The bot's messages in ``channel`` (threads included), oldest first."""
        return list(self.history.get(channel, []))

    async def _conversations_history(self, args: dict[str, Any]) -> web.Response:
        """Top-level messages (thread replies stay in their thread), newest first, between ``oldest`` and
        ``latest`` (exclusive unless ``inclusive``), paged by ``limit`` and ``cursor``."""
        channel = str(args.get("channel", ""))
        if not channel:
            return _error("channel_not_found")
        messages = [m for m in self.history.get(channel, []) if m.get("thread_ts", m["ts"]) == m["ts"]]
        return self._page(list(reversed(messages)), args)

    async def _conversations_replies(self, args: dict[str, Any]) -> web.Response:
        """A thread: its parent first, then the replies, oldest first."""
        channel, parent = str(args.get("channel", "")), str(args.get("ts", ""))
        messages = self.history.get(channel, [])
        if not any(m["ts"] == parent for m in messages):
            return _error("thread_not_found")
        thread = [m for m in messages if m["ts"] == parent or m.get("thread_ts") == parent]
        return self._page(thread, args)

    def _page(self, messages: list[dict[str, Any]], args: dict[str, Any]) -> web.Response:
        try:
            limit = int(args.get("limit") or HISTORY_LIMIT_DEFAULT)
            start = int(args.get("cursor") or 0)
            oldest = float(args.get("oldest") or 0)
            latest = float(args.get("latest") or "inf")
        except ValueError:
            return _error("invalid_arguments")
        if not 1 <= limit <= HISTORY_LIMIT_MAX:
            return _error("invalid_limit")
        inclusive = _truthy(args.get("inclusive"))
        in_range = [
            m
            for m in messages
            if (oldest <= float(m["ts"]) <= latest if inclusive else oldest < float(m["ts"]) < latest)
        ]
        page = in_range[start : start + limit]
        if not _truthy(args.get("include_all_metadata")):
            page = [{k: v for k, v in m.items() if k != "metadata"} for m in page]
        more = start + limit < len(in_range)
        return _ok(
            messages=page,
            has_more=more,
            response_metadata={"next_cursor": str(start + limit) if more else ""},
        )

    async def _chat_postEphemeral(self, args: dict[str, Any]) -> web.Response:
        if not args.get("channel") or not args.get("user"):
            return _error("channel_not_found" if not args.get("channel") else "user_not_in_channel")
        if not args.get("text") and not args.get("blocks"):
            return _error("no_text")
        return _ok(message_ts=self._next_ts())

    async def _chat_update(self, args: dict[str, Any]) -> web.Response:
        if not args.get("channel") or args.get("ts") not in self.posted_ts:
            return _error("message_not_found")
        for message in self.history.get(str(args["channel"]), []):
            if message["ts"] == args["ts"]:
                message.update({k: args[k] for k in ("text", "blocks") if k in args})
        return _ok(channel=args["channel"], ts=args["ts"], text=args.get("text", ""))

    async def _views_open(self, args: dict[str, Any]) -> web.Response:
        if not args.get("trigger_id"):
            return _error("invalid_trigger_id")
        view = dict(args.get("view") or {})
        if view.get("type") != "modal":
            return _error("invalid_arguments")
        view_id = f"V{next(self._ids):06d}"
        return _ok(view={"id": view_id, "team_id": self.team_id, "state": {"values": {}}, **view})

    async def _apps_connections_open(self, args: dict[str, Any]) -> web.Response:
        return _ok(url=f"ws://127.0.0.1:{self.port}/socket")

    # -- response_url --------------------------------------------------------------------------------------

    async def _response_url(self, request: web.Request) -> web.Response:
        key = request.match_info["key"]
        if key not in self._response_urls:
            return web.Response(status=404, text="invalid_url")
        if self._response_urls[key] >= RESPONSE_URL_MAX_POSTS:
            return web.Response(status=404, text="used_url")
        self._response_urls[key] += 1
        body = await request.json()
        await self.responses_open.wait()
        url = f"{self.base_url}/response/{key}"
        self.responses.append(ResponsePost(url, body))
        await self._record(sent=SentMessage("response_url", body))
        return web.Response(text="ok")

    # -- Socket Mode ---------------------------------------------------------------------------------------

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self._sockets.append(ws)
        async with self._changed:
            self._changed.notify_all()
        await ws.send_json({"type": "hello", "num_connections": 1, "debug_info": {"host": "fake"}})
        try:
            async for msg in ws:
                if msg.type is not aiohttp.WSMsgType.TEXT:
                    continue
                ack = json.loads(msg.data)
                self.acks.append(ack)
                future = self._pending_acks.pop(str(ack.get("envelope_id")), None)
                if future is not None and not future.done():
                    future.set_result(ack)
        finally:
            self._sockets.remove(ws)
        return ws

    async def send_envelope(self, kind: str, payload: dict[str, Any], within: float = 3.0) -> dict[str, Any]:
        """Deliver ``payload`` to the connected Socket Mode app; return its ack (``{"envelope_id": ...}``)."""
        await self.wait_for(lambda: bool(self._sockets), within)
        envelope_id = f"E{next(self._ids):06d}"
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending_acks[envelope_id] = future
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
            "retry_attempt": 0,
            "retry_reason": "",
        }
        await self._sockets[-1].send_json(envelope)
        async with asyncio.timeout(within):
            return await future


# -- the signed client ---------------------------------------------------------------------------------------


@dataclass
class Reply:
    """The app's HTTP answer to one signed request, and the ``response_url`` that request carried."""

    status: int
    body: str
    response_url: str | None = None

    @property
    def json(self) -> dict[str, Any]:
        return json.loads(self.body) if self.body.startswith("{") else {}


@dataclass
class SignedSlackClient:
    """Sends the app what Slack would send, signed with the app's signing secret, over real HTTP."""

    app_url: str
    fake: FakeSlackApi
    signing_secret: str = DEFAULT_SIGNING_SECRET
    session: aiohttp.ClientSession = field(default_factory=aiohttp.ClientSession)

    async def aclose(self) -> None:
        await self.session.close()

    def sign(self, raw_body: str, timestamp: int, secret: str | None = None) -> dict[str, str]:
        """The headers Slack adds: ``X-Slack-Request-Timestamp`` and an HMAC-SHA256 ``X-Slack-Signature``."""
        verifier = SignatureVerifier(secret or self.signing_secret)
        signature = verifier.generate_signature(timestamp=str(timestamp), body=raw_body)
        return {"X-Slack-Request-Timestamp": str(timestamp), "X-Slack-Signature": signature}

    async def send(
        self,
        form: Mapping[str, str],
        *,
        timestamp: int | None = None,
        secret: str | None = None,
        response_url: str | None = None,
    ) -> Reply:
        """POST ``form`` url-encoded and signed; ``timestamp``/``secret`` let a test forge a bad signature."""
        raw_body = urllib.parse.urlencode(form)
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            **self.sign(raw_body, int(time.time()) if timestamp is None else timestamp, secret),
        }
        async with self.session.post(self.app_url, data=raw_body.encode(), headers=headers) as resp:
            return Reply(resp.status, await resp.text(), response_url)

    # -- payloads ------------------------------------------------------------------------------------------

    def command_form(
        self, text: str, user: FakeUser, *, channel: str = "C0GENERAL", command: str = "/quiz"
    ) -> dict[str, str]:
        """The form fields of a slash command, with a fresh ``response_url`` from the fake."""
        return {
            "token": "deprecated-verification-token",
            "team_id": self.fake.team_id,
            "team_domain": "quiz",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user.id,
            "user_name": user.name,
            "command": command,
            "text": text,
            "api_app_id": "A0QUIZ",
            "is_enterprise_install": "false",
            "response_url": self.fake.new_response_url(),
            "trigger_id": f"trigger-{user.id}-{time.monotonic_ns()}",
        }

    async def command(
        self, text: str, user: FakeUser, *, channel: str = "C0GENERAL", command: str = "/quiz"
    ) -> Reply:
        form = self.command_form(text, user, channel=channel, command=command)
        return await self.send(form, response_url=form["response_url"])

    def click_payload(
        self,
        message: SentMessage | Mapping[str, Any],
        user: FakeUser,
        *,
        button: str | None = None,
        channel: str = "C0GENERAL",
        ephemeral: bool = True,
        message_ts: str = "1700000000.000001",
    ) -> dict[str, Any]:
        """A ``block_actions`` payload for clicking a button the app rendered in ``message``.

        ``button`` picks the button whose label contains it (or whose ``action_id`` equals it); the first
        button when ``None``. The button's own ``action_id``, ``block_id`` and ``value`` are sent back, so the
        test exercises what the app really rendered.
        """
        body = message.body if isinstance(message, SentMessage) else dict(message)
        block_id, element = find_button(body.get("blocks") or [], button)
        response_url = self.fake.new_response_url()
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": {"id": user.id, "username": user.name, "name": user.name, "team_id": self.fake.team_id},
            "api_app_id": "A0QUIZ",
            "token": "deprecated-verification-token",
            "container": {
                "type": "message",
                "message_ts": message_ts,
                "channel_id": channel,
                "is_ephemeral": ephemeral,
            },
            "trigger_id": f"trigger-{user.id}-{time.monotonic_ns()}",
            "team": {"id": self.fake.team_id, "domain": "quiz"},
            "enterprise": None,
            "is_enterprise_install": False,
            "channel": {"id": channel, "name": "general"},
            "response_url": response_url,
            "actions": [
                {
                    "type": "button",
                    "action_id": element["action_id"],
                    "block_id": block_id,
                    "text": element["text"],
                    "value": element.get("value", ""),
                    "action_ts": f"{time.time():.6f}",
                }
            ],
        }
        if not ephemeral:
            payload["message"] = {"type": "message", "ts": message_ts, "bot_id": BOT_ID, **body}
        return payload

    async def click(
        self,
        message: SentMessage | Mapping[str, Any],
        user: FakeUser,
        *,
        button: str | None = None,
        **kw: Any,
    ) -> Reply:
        """Click a button in ``message`` as ``user``; see :meth:`click_payload`."""
        payload = self.click_payload(message, user, button=button, **kw)
        return await self.send({"payload": json.dumps(payload)}, response_url=payload["response_url"])

    def view_submission_payload(
        self, view: SentMessage | Mapping[str, Any], user: FakeUser, values: Mapping[str, Any]
    ) -> dict[str, Any]:
        """A ``view_submission`` payload for a modal the app opened; ``values`` are keyed by ``action_id``."""
        body = view.body if isinstance(view, SentMessage) else dict(view)
        state: dict[str, dict[str, Any]] = {}
        for block in body.get("blocks") or []:
            element = block.get("element") or {}
            if block.get("type") == "input" and element.get("action_id") in values:
                given = values[element["action_id"]]
                if element["type"] == "static_select":  # the picked option, as Slack sends it
                    [option] = [o for o in element["options"] if o["value"] == given] or [None]
                    assert option is not None, f"{given!r} is not an option of {element['action_id']}"
                    entry = {"type": "static_select", "selected_option": option}
                else:
                    key = "files" if element["type"] == "file_input" else "value"  # files from share_file
                    entry = {"type": element["type"], key: given}
                state.setdefault(block["block_id"], {})[element["action_id"]] = entry
        missing = set(values) - {a for block in state.values() for a in block}
        if missing:
            raise AssertionError(f"the modal has no input with action_id {sorted(missing)}")
        return {
            "type": "view_submission",
            "team": {"id": self.fake.team_id, "domain": "quiz"},
            "user": {"id": user.id, "username": user.name, "name": user.name, "team_id": self.fake.team_id},
            "api_app_id": "A0QUIZ",
            "token": "deprecated-verification-token",
            "trigger_id": f"trigger-{user.id}-{time.monotonic_ns()}",
            "view": {
                "id": "V0MODAL",
                "team_id": self.fake.team_id,
                "app_id": "A0QUIZ",
                "bot_id": BOT_ID,
                "hash": "1700000000.abcdef",
                **body,
                "state": {"values": state},
            },
            "response_urls": [],
            "is_enterprise_install": False,
        }

    async def submit_view(
        self, view: SentMessage | Mapping[str, Any], user: FakeUser, values: Mapping[str, Any]
    ) -> Reply:
        payload = self.view_submission_payload(view, user, values)
        return await self.send({"payload": json.dumps(payload)})


def find_button(blocks: list[dict[str, Any]], which: str | None = None) -> tuple[str, dict[str, Any]]:
    """The ``(block_id, element)`` of the button labelled with (or whose ``action_id`` is) ``which``."""
    for block in blocks:
        if block.get("type") != "actions":
            continue
        for element in block.get("elements", []):
            if element.get("type") != "button":
                continue
            label = element["text"]["text"]
            if which is None or which in label or which == element.get("action_id"):
                return block.get("block_id", ""), element
    raise AssertionError(f"no button {which!r} in blocks {json.dumps(blocks)[:500]}")
