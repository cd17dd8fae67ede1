"""Making outside text safe to show in Slack.

Slack parses ``&``, ``<`` and ``>`` as control characters in message text: ``<!channel>``, ``<!here>`` and
``<@U123>`` ping people, ``<https://evil|innocent>`` disguises a link. Every string that comes from a question
file or from a user (names, answers, topics, errors quoting a file) goes through :func:`escape` before it is
put into a message; Slack decodes the three entities for display, so readers still see the original text.
"""

from __future__ import annotations

ELLIPSIS = "…"

_ENTITY_MAX = len("&amp;")


def escape(text: str) -> str:
    """Escape Slack's three control characters (and only those, as Slack asks)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    """Shorten already-escaped ``text`` to at most ``limit`` characters without splitting an entity.

    Block Kit rejects over-long texts outright (button labels 75, section text 3000), so long question text
    is cut with an ellipsis rather than losing the whole message.
    """
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS)]
    amp = cut.rfind("&", max(0, len(cut) - _ENTITY_MAX + 1))
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut + ELLIPSIS


def escape_clipped(text: str, limit: int) -> str:
    """:func:`escape` then :func:`clip`: the usual way outside text enters a length-limited field."""
    return clip(escape(text), limit)
