"""The players' slash commands: ``/quiz``, ``/quiz-review``, ``/leaderboard``, ``/quiz-stats`` and
``/quiz-reminders``.

Each handler translates the interaction into one engine call and renders the result; the rules (which
question, scoring, ranks) live in the engine.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from adapters.discord_bot import render
from adapters.discord_bot.components import question_view
from adapters.discord_bot.context import place_of, player_of
from adapters.discord_bot.pictures import with_picture
from adapters.discord_bot.respond import in_time, reply
from quizbot import charts
from quizbot.charts import Picture
from quizbot.domain import BOARDS, Place, Player, PlayerStats, QuizError
from quizbot.engine import QuizEngine
from quizbot.plugins import Runtime

log = logging.getLogger(__name__)

AUTOCOMPLETE_CHOICES_MAX = 25
"""Discord shows at most 25 autocomplete suggestions."""
CHOICE_NAME_MAX = 100

LEADERBOARD_SIZE = 10

BOARD_CHOICES = [
    app_commands.Choice(name="All time", value="all"),
    app_commands.Choice(name="This week", value="week"),
    app_commands.Choice(name="This month", value="month"),
    app_commands.Choice(name="Accuracy (share right, from 10 answers)", value="accuracy"),
]
"""The boards of :data:`quizbot.domain.BOARDS`, as Discord shows them (a choice name is at most 100 chars)."""


REMINDER_CHOICES = [app_commands.Choice(name="on", value="on"), app_commands.Choice(name="off", value="off")]
REMINDERS_ON = (
    "Weekly reminders are on: once a week, when questions are due for review, I send you a direct message. "
    "Turn them off with /quiz-reminders off."
)
REMINDERS_OFF = "Weekly reminders are off."


class PlayerCommands(commands.Cog):
    """Commands any member may use; every answer is private to the caller."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    @app_commands.command(name="quiz", description="Get a question only you can see and answer it.")
    @app_commands.describe(topic="Only ask about this topic")
    async def quiz(self, interaction: discord.Interaction, topic: str | None = None) -> None:
        await self._ask(interaction, topic)

    @app_commands.command(name="quiz-review", description="A question you are due to review, and only that.")
    @app_commands.describe(topic="Only review this topic")
    async def quiz_review(self, interaction: discord.Interaction, topic: str | None = None) -> None:
        await self._ask(interaction, topic, review_only=True)

    async def _ask(
        self, interaction: discord.Interaction, topic: str | None, *, review_only: bool = False
    ) -> None:
        engine = self.runtime.engine
        ask = engine.ask(
            place_of(interaction), player_of(interaction), topic=topic or None, review_only=review_only
        )
        try:
            asked = await in_time(interaction, ask)
        except QuizError as exc:  # NoQuestionError and friends carry a message for the player
            await reply(interaction, content=str(exc))
            return
        view = question_view(asked)
        await reply(interaction, embed=render.question_embed(asked), view=view)
        view.stop()  # clicks are routed by custom_id (DynamicItem); nothing needs this object kept for 15 min

    @quiz.autocomplete("topic")
    @quiz_review.autocomplete("topic")
    async def quiz_topic(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        wanted = current.casefold()
        bank = await self.runtime.engine.bank_for(place_of(interaction))
        topics = [t for t in bank.topics() if wanted in t.casefold()]
        return [
            app_commands.Choice(name=render.clip(t, CHOICE_NAME_MAX), value=t)
            for t in topics[:AUTOCOMPLETE_CHOICES_MAX]
        ]

    @app_commands.command(name="leaderboard", description="The server's top players, and where you stand.")
    @app_commands.describe(period="All time, this week, this month, or accuracy")
    @app_commands.choices(period=BOARD_CHOICES)
    async def leaderboard(self, interaction: discord.Interaction, period: str = "all") -> None:
        wanted, ranking = BOARDS.get(period, BOARDS["all"])  # Discord only sends the listed choices
        board = await in_time(
            interaction,
            self.runtime.engine.leaderboard(
                place_of(interaction),
                player_of(interaction),
                period=wanted,
                ranking=ranking,
                limit=LEADERBOARD_SIZE,
            ),
        )
        await reply(interaction, embed=render.leaderboard_embed(board))

    @app_commands.command(
        name="quiz-stats",
        description="Your answers, points, streaks, due reviews and mastery in this server.",
    )
    async def quiz_stats(self, interaction: discord.Interaction) -> None:
        """The caller's figures, with a picture of their last 8 weeks inside the (private) embed."""
        stats, picture = await in_time(
            interaction, stats_and_picture(self.runtime.engine, place_of(interaction), player_of(interaction))
        )
        embed = render.stats_embed(stats)
        await reply(interaction, embed=embed, **with_picture(embed, picture))

    @app_commands.command(
        name="quiz-reminders",
        description="A weekly direct message when you have reviews due (off by default).",
    )
    @app_commands.describe(setting="on or off")
    @app_commands.choices(setting=REMINDER_CHOICES)
    async def quiz_reminders(self, interaction: discord.Interaction, setting: str) -> None:
        on = await in_time(
            interaction, self.runtime.engine.set_reminders(player_of(interaction), setting == "on")
        )
        await reply(interaction, content=REMINDERS_ON if on else REMINDERS_OFF)


async def stats_and_picture(
    engine: QuizEngine, place: Place, player: Player
) -> tuple[PlayerStats, Picture | None]:
    """A player's stats and the picture of their weeks; no picture before a first answer or if drawing
    it failed (the figures matter more than the picture)."""
    stats = await engine.stats(place, player)
    if not stats.answered:  # nothing to draw yet: the embed invites them to play
        return stats, None
    try:
        picture = await charts.history_picture(await engine.weekly_history(place, player))
    except Exception:
        log.exception("could not draw the weeks of %s", player.key)
        picture = None
    return stats, picture
