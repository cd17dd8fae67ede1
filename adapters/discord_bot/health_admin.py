"""``/quiz-admin health``: the questions of this server that need attention, within Discord's limits.

The engine decides which questions are listed and why (:mod:`quizbot.health`); this only renders its
lines. Everything in them may come from players or question files, so it is markdown-escaped, and the
reply is private with no mentions. A reply is at most 2,000 characters (Discord's message limit): when the
list is longer, the first questions are shown and the whole list comes as an attached text file.
"""

from __future__ import annotations

import io

import discord

from adapters.discord_bot.render import MESSAGE_CONTENT_MAX
from adapters.discord_bot.respond import reply
from quizbot.health import HealthReport, describe
from quizbot.uploads import fitting_lines

HEALTH_FILE = "question-health.txt"
LINE_MAX = 300
"""One line of the message; a long report text is cut here (the file keeps it whole)."""


def health_lines(report: HealthReport) -> list[str]:
    """The message's lines: a bold headline per question, its details indented below."""
    lines = []
    for question in report.attention:
        first, *rest = describe(question)
        lines.append(f"**{discord.utils.escape_markdown(first)}**"[:LINE_MAX])
        lines.extend(f"  {discord.utils.escape_markdown(line)}"[:LINE_MAX] for line in rest)
    return lines


def health_file(report: HealthReport) -> str:
    return "\n".join("\n".join(describe(q)) + "\n" for q in report.attention)


async def send_health(interaction: discord.Interaction, report: HealthReport) -> None:
    topic = f" on {discord.utils.escape_markdown(report.topic)}" if report.topic else ""
    head = f"{len(report.attention)} of {len(report.questions)} questions{topic} need attention"
    if not report.questions:
        await reply(interaction, content=f"No question was asked on this server{topic} yet.")
        return
    if not report.attention:
        await reply(
            interaction, content=f"{head}: none. (Shares count once {report.min_players} players answered.)"
        )
        return
    lines = health_lines(report)
    shown, left = fitting_lines(lines, MESSAGE_CONTENT_MAX - len(head) - 80)
    text = f"{head}:\n" + "\n".join(shown)
    if not left:
        await reply(interaction, content=text)
        return
    text += "\n…the whole list is in the attached file."
    data = io.BytesIO(health_file(report).encode())
    await reply(interaction, content=text, file=discord.File(data, HEALTH_FILE))
