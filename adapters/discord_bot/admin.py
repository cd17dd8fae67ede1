"""``/quiz-admin``: schedule or stop a channel's daily question, and reload the question bank.

Only members with **Manage Server** may use these. ``default_permissions`` hides the group from everyone
else in Discord's UI, but a server's admins can override that per role or channel in Server Settings →
Integrations, and a hidden command is not a refused one; so every subcommand also checks the caller's
permissions at run time and refuses politely, changing nothing.
"""

from __future__ import annotations

import functools
import zoneinfo

import discord
from discord import app_commands

from adapters.discord_bot import render
from adapters.discord_bot.commands import AUTOCOMPLETE_CHOICES_MAX
from adapters.discord_bot.context import place_of
from adapters.discord_bot.health_admin import send_health
from adapters.discord_bot.permissions import REQUIRED, admin_only
from adapters.discord_bot.questions_admin import QuestionFileCommands
from adapters.discord_bot.respond import in_time, reply
from quizbot.domain import QuizError
from quizbot.health import DEFAULT_MIN_PLAYERS
from quizbot.plugins import Runtime


@functools.cache
def _zones() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


class AdminCommands(
    app_commands.Group,
    name="quiz-admin",
    description="Set up the daily question and reload questions (Manage Server).",
    guild_only=True,
    default_permissions=REQUIRED,
):
    def __init__(self, runtime: Runtime) -> None:
        super().__init__()
        self.runtime = runtime
        self.add_command(QuestionFileCommands(runtime))

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Runs before every subcommand; ``interaction.permissions`` are the caller's in this channel."""
        return await admin_only(interaction)

    @app_commands.command(name="schedule", description="Post a daily question in this channel.")
    @app_commands.describe(time="24-hour time, e.g. 09:30", zone="IANA time zone, e.g. Europe/Berlin")
    async def schedule(self, interaction: discord.Interaction, time: str, zone: str = "UTC") -> None:
        place = place_of(interaction)
        try:
            schedule = await in_time(interaction, self.runtime.engine.set_schedule(place, time, zone))
        except QuizError as exc:  # bad HH:MM or unknown zone; the message says how to fix it
            await reply(interaction, content=str(exc))
            return
        self.runtime.schedules_changed()
        await reply(
            interaction,
            content=f"A daily question will be posted in <#{place.channel}> at {schedule.time} "
            f"({schedule.timezone}).",
        )

    @schedule.autocomplete("zone")
    async def schedule_zone(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        wanted = current.casefold()
        found = [z for z in _zones() if wanted in z.casefold()][:AUTOCOMPLETE_CHOICES_MAX]
        return [app_commands.Choice(name=z, value=z) for z in found]

    @app_commands.command(name="unschedule", description="Stop the daily question in this channel.")
    async def unschedule(self, interaction: discord.Interaction) -> None:
        place = place_of(interaction)
        removed = await in_time(interaction, self.runtime.engine.remove_schedule(place))
        if removed:
            self.runtime.schedules_changed()
            await reply(interaction, content=f"No more daily questions in <#{place.channel}>.")
        else:
            await reply(interaction, content=f"<#{place.channel}> had no daily question scheduled.")

    @app_commands.command(
        name="reload", description="Re-read the question files; keeps the old ones on error."
    )
    async def reload(self, interaction: discord.Interaction) -> None:
        report = await in_time(interaction, self.runtime.engine.reload())
        await reply(interaction, content=render.reload_text(report.ok, report.questions, report.errors))

    @app_commands.command(name="health", description="Questions that need attention on this server.")
    @app_commands.describe(
        topic="only this topic's questions", min_players="players a question needs before its share counts"
    )
    async def health(
        self,
        interaction: discord.Interaction,
        topic: str | None = None,
        min_players: app_commands.Range[int, 1, 100_000] = DEFAULT_MIN_PLAYERS,
    ) -> None:
        place = place_of(interaction)
        report = await in_time(
            interaction, self.runtime.engine.health(place.server_scope, topic=topic, min_players=min_players)
        )
        await send_health(interaction, report)
