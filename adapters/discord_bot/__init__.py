"""The Discord adapter: slash commands, buttons and modals on discord.py, plus daily channel posts.

Modules: ``bot`` (the Bot and its start-up), ``commands`` and ``admin`` (slash commands), ``components``
(persistent buttons and the answer modal), ``render`` (embeds), ``poster`` (daily posts), ``pacing`` (the
global REST rate limit), ``invite`` (``quizbot discord-invite``), ``plugin`` (the entry point ``quizbot run``
uses).
"""

from adapters.discord_bot.plugin import DiscordPlugin

plugin = DiscordPlugin()

__all__ = ["DiscordPlugin", "plugin"]
