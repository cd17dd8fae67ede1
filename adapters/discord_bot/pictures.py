"""Pictures on Discord: a rendered PNG as a message attachment shown inside the embed.

discord.py uploads a :class:`discord.File` as a multipart request (``payload_json`` plus ``files[0]``), and
an embed shows it by the name ``attachment://<filename>``. Discord allows 10 MB per file for bots (our PNGs
are about 50 kB) and 1,024 characters of description, which screen readers read as the image's alt text.
"""

from __future__ import annotations

import io
from typing import Any

import discord

from quizbot.charts import Picture

DESCRIPTION_MAX = 1024
"""Discord's limit for an attachment's description (its alt text)."""


def with_picture(embed: discord.Embed, picture: Picture | None) -> dict[str, Any]:
    """Show ``picture`` in ``embed``; the ``file`` to send along (nothing without a picture).

    A :class:`discord.File` is read once when sent, so call this for each send.
    """
    if picture is None:
        return {}
    embed.set_image(url=f"attachment://{picture.filename}")
    description = picture.alt_text[:DESCRIPTION_MAX]
    return {
        "file": discord.File(io.BytesIO(picture.data), filename=picture.filename, description=description)
    }
