"""Who may change the quiz on a server: members with **Manage Server**, checked at run time.

``default_permissions`` hides admin commands from everyone else in Discord's UI, but a server's admins can
override that per role or channel in Server Settings → Integrations, and a hidden command is not a refused
one. discord.py runs a group's ``interaction_check`` only for the commands bound to that group, not for a
nested group's commands, so every admin group calls :func:`admin_only` itself.
"""

from __future__ import annotations

import discord

from adapters.discord_bot.respond import reply

REQUIRED = discord.Permissions(manage_guild=True)
REFUSAL = "Only members with the **Manage Server** permission can change the quiz. Nothing was changed."


async def admin_only(interaction: discord.Interaction) -> bool:
    """True for a Manage Server member in a guild; otherwise refuse politely and change nothing."""
    if interaction.guild_id is not None and interaction.permissions >= REQUIRED:
        return True
    await reply(interaction, content=REFUSAL)
    return False
