"""The HTTP endpoint Slack posts events to, checking each request's signature before anything parses it.

Bolt's own aiohttp server decodes the body as UTF-8 and parses it (form fields, the ``payload`` JSON) when it
builds its request object, and only then checks the signature, casting ``X-Slack-Request-Timestamp`` to
``int`` on the way. Anyone who can reach the port could therefore make it answer 500 and log a traceback
with a body that is not UTF-8, a ``payload`` that is not JSON (or is ``null``, a list, nested 100,000 deep)
or a timestamp of ``abc``. Here the order is reversed:

1. the signature is checked on the raw bytes, as Slack computes it (``v0=`` HMAC-SHA256 of
   ``v0:{timestamp}:{body}`` with the signing secret; the timestamp must be whole seconds within
   5 minutes of now): anything else gets **401**, without being decoded or parsed;
2. a signed body that is not UTF-8, or that Bolt's own parser cannot turn into an object, gets **400**;
3. everything else goes to Bolt, which checks the signature again and dispatches it to the listeners.

No state changes, and a refused request is logged at DEBUG only: a port open to the internet gets scanned,
and junk must not flood the log.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import time
from collections.abc import Callable

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.request.internals import parse_body

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
MAX_AGE_SECONDS = 5 * 60
"""Slack's advice: refuse requests signed more than five minutes ago (replays)."""
MAX_BODY_BYTES = 1024 * 1024
"""Slack's payloads are a few kilobytes; aiohttp answers 413 above this."""
_TIMESTAMP = re.compile(r"[0-9]{1,12}")


def signature_is_valid(
    secret: str, raw_body: bytes, timestamp: str, signature: str, now: Callable[[], float] = time.time
) -> bool:
    """True when ``signature`` is Slack's signature of ``raw_body`` at ``timestamp``, made recently."""
    if not secret or not _TIMESTAMP.fullmatch(timestamp):
        return False
    if abs(now() - int(timestamp)) > MAX_AGE_SECONDS:
        return False
    base = b"v0:" + timestamp.encode("ascii") + b":" + raw_body
    expected = "v0=" + hmac.new(secret.encode("utf-8"), base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode("ascii"), signature.encode("utf-8", "replace"))


def _parsable(body: str, content_type: str | None) -> bool:
    """True when Bolt's parser turns ``body`` into an object (a dict), as every Slack request is."""
    try:
        return isinstance(parse_body(body, content_type), dict)
    except (ValueError, RecursionError):
        return False


def events_web_app(app: AsyncApp, signing_secret: str, path: str = EVENTS_PATH) -> web.Application:
    """An aiohttp application serving ``app`` at ``path``; see the module docstring for the checks."""

    async def handle(request: web.Request) -> web.Response:
        raw = await request.read()
        timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
        signature = request.headers.get("X-Slack-Signature", "")
        if not signature_is_valid(signing_secret, raw, timestamp, signature):
            log.debug("slack: refused a request without a valid signature from %s", request.remote)
            return web.Response(status=401, text="invalid request signature")
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            return web.Response(status=400, text="the body is not UTF-8")
        content_type = request.headers.get("Content-Type")
        if not _parsable(body, content_type.split(";")[0].strip() if content_type else None):
            log.debug("slack: refused a signed request whose body cannot be parsed")
            return web.Response(status=400, text="the body cannot be parsed")
        bolt_request = AsyncBoltRequest(body=body, query=request.query_string, headers=dict(request.headers))
        return await to_aiohttp_response(await app.async_dispatch(bolt_request))

    web_app = web.Application(client_max_size=MAX_BODY_BYTES)
    web_app.router.add_post(path, handle)
    return web_app
