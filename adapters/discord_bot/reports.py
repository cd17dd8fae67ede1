""" "Report a problem" under every answer result: a button, then a modal with a reason and optional words.

Like the answer buttons, both are routed by ``custom_id`` alone, so a click on a result shown before a
restart still works, and nothing is kept in memory:

* ``quiz:{asked_id}:report`` — the button on the private result message (Discord: 1-100 characters)
* ``quiz:{asked_id}:report-modal`` — the modal; its select is ``reason`` and its text input ``details``

The asked id is passed on as it came; the engine decides whether it is one (``asked_id_of``) and whether
the reason is one of its reasons, so a forged click or submission is refused there.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import discord

from adapters.discord_bot import render
from adapters.discord_bot.context import player_of, runtime_of
from adapters.discord_bot.respond import in_time, reply
from quizbot.domain import QuizError
from quizbot.health import ReportReason

log = logging.getLogger(__name__)

ASKED = r"(?P<asked>[^:]{1,80})"
REPORT_MODAL_ID = re.compile(rf"quiz:{ASKED}:report-modal")
REASON_INPUT_ID = "reason"
DETAILS_INPUT_ID = "details"
MODAL_TITLE_MAX = 45
"""Discord's limit for a modal title."""
DETAILS_MAX_LENGTH = 300
"""What a player may type; the engine stores up to 500 characters (Discord allows 4,000 per input)."""


def report_button_id(asked_id: int | str) -> str:
    return f"quiz:{asked_id}:report"


def report_modal_id(asked_id: int | str) -> str:
    return f"quiz:{asked_id}:report-modal"


class ReportButton(discord.ui.DynamicItem[discord.ui.Button], template=rf"quiz:{ASKED}:report"):
    """Opens the report modal. It does no database work first: a modal must be the first response."""

    def __init__(self, asked_id: int | str) -> None:
        super().__init__(
            discord.ui.Button(
                label="Report a problem",
                style=discord.ButtonStyle.secondary,
                emoji="🚩",
                custom_id=report_button_id(asked_id),
            )
        )
        self.asked_id = asked_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /
    ) -> ReportButton:
        return cls(match["asked"])

    async def callback(self, interaction: discord.Interaction) -> None:
        modal = ReportModal(self.asked_id)
        await interaction.response.send_modal(modal)
        modal.stop()  # routed by custom_id in ``on_report_submit`` (see components.AnswerButton)


class ReportModal(discord.ui.Modal):
    """A reason to pick (a select inside a label) and optional words; only rendered here."""

    def __init__(self, asked_id: int | str) -> None:
        super().__init__(
            title=render.clip("Report a problem", MODAL_TITLE_MAX), custom_id=report_modal_id(asked_id)
        )
        self.add_item(
            discord.ui.Label(
                text="What is wrong?",
                component=discord.ui.Select(
                    custom_id=REASON_INPUT_ID,
                    options=[discord.SelectOption(label=r.label, value=r.value) for r in ReportReason],
                ),
            )
        )
        self.add_item(
            discord.ui.Label(
                text="Anything to add? (optional)",
                component=discord.ui.TextInput(
                    custom_id=DETAILS_INPUT_ID,
                    style=discord.TextStyle.paragraph,
                    required=False,
                    max_length=DETAILS_MAX_LENGTH,
                ),
            )
        )


def report_view(asked_id: int | str) -> discord.ui.View:
    """The button under a result."""
    view = discord.ui.View(timeout=None)
    view.add_item(ReportButton(asked_id))
    return view


async def on_report_submit(interaction: discord.Interaction) -> None:
    """Store a submitted report and thank the player privately; anything forged gets a one-line refusal."""
    if interaction.type is not discord.InteractionType.modal_submit or interaction.data is None:
        return
    match = REPORT_MODAL_ID.fullmatch(str(interaction.data.get("custom_id", "")))
    if match is None:
        return
    components = interaction.data.get("components", [])
    reason = _submitted(components, REASON_INPUT_ID) or ""
    details = _submitted(components, DETAILS_INPUT_ID) or ""
    engine = runtime_of(interaction).engine
    try:
        thanks = await in_time(
            interaction, engine.report_problem(match["asked"], player_of(interaction), reason, details)
        )
    except QuizError as exc:
        await reply(interaction, content=str(exc))
        return
    except Exception:  # a modal has no command tree to report errors; never leave "interaction failed"
        log.exception("report on question %r failed", match["asked"])
        await reply(interaction, content="Something went wrong on our side; please try again.")
        return
    await reply(interaction, content=thanks)


def _submitted(components: Any, custom_id: str) -> str | None:
    """A text input's ``value`` or a select's first of ``values``, found in rows or labels."""
    for component in components or []:
        if not isinstance(component, dict):
            continue
        if component.get("custom_id") == custom_id:
            values = component.get("values")
            if isinstance(values, list):
                return str(values[0]) if values else None
            value = component.get("value")
            return None if value is None else str(value)
        nested = component.get("components") or ([component["component"]] if "component" in component else [])
        found = _submitted(nested, custom_id)
        if found is not None:
            return found
    return None
