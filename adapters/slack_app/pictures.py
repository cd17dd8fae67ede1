"""Pictures on Slack: a rendered PNG uploaded with ``files_upload_v2`` (scope ``files:write``).

``files_upload_v2`` is three calls: ``files.getUploadURLExternal``, the upload itself, and
``files.completeUploadExternal``, which shares the file in a channel (Slack shows a preview of a PNG). An
ephemeral message cannot carry a file, so a player's private picture (``/quiz stats``) goes to the app's
direct message with them (``conversations.open``, scope ``im:write``), where only they see it. Slack allows
1,000 characters of ``alt_txt``.
"""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from quizbot.charts import Picture

ALT_TEXT_MAX = 1000
"""Slack's limit for a file's ``alt_txt``."""


async def share_picture(
    client: AsyncWebClient, channel: str, picture: Picture, *, title: str, comment: str = ""
) -> None:
    """Upload ``picture`` into ``channel`` (a channel id or a direct-message id)."""
    await client.files_upload_v2(
        channel=channel,
        file=picture.data,
        filename=picture.filename,
        title=title,
        alt_txt=picture.alt_text[:ALT_TEXT_MAX],
        initial_comment=comment or None,
    )


async def send_private_picture(
    client: AsyncWebClient, user: str, picture: Picture, *, title: str, comment: str = ""
) -> str:
    """Upload ``picture`` into the app's direct message with ``user``; return that conversation's id."""
    dm = await client.conversations_open(users=user)
    channel = str((dm.get("channel") or {}).get("id"))
    await share_picture(client, channel, picture, title=title, comment=comment)
    return channel
