"""Buttons and the answer modal, routed by ``custom_id`` alone so they outlive a restart.

A click carries only the button's ``custom_id``; everything else (the question, whether it is still open,
whether this player answered) is in the database. So the ids encode the asked question and the choice, and
nothing is kept in memory: a click on a message posted before a restart, or by another process, works the
same. discord.py routes such ids with :class:`discord.ui.DynamicItem` (a template regex registered once
with ``bot.add_dynamic_items``).

Custom ids (Discord allows 1-100 characters; ours stay under 40 even for a 20-digit id):

* ``quiz:{asked_id}:{choice_index}`` — a choice button (0-based index into the question's choices)
* ``quiz:{asked_id}:answer`` — opens the modal for a short-answer question
* ``quiz:{asked_id}:modal`` — that modal; its text input is ``answer``
* ``quiz:{asked_id}:report`` — "Report a problem" under a result (see :mod:`adapters.discord_bot.reports`)
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable
from typing import Any, TypeVar

import discord

from adapters.discord_bot import render
from adapters.discord_bot.context import bot_of, player_of, runtime_of
from adapters.discord_bot.reports import ReportButton, report_view
from adapters.discord_bot.respond import in_time, reply
from quizbot.domain import AskedQuestion, QuizError

log = logging.getLogger(__name__)

T = TypeVar("T")

CUSTOM_ID_MAX = 100
"""Discord's limit for a component's ``custom_id``."""
BUTTON_LABEL_MAX = 80
"""Discord's limit for a button label; the embed repeats every choice in full."""
BUTTONS_PER_ROW = 5
"""Discord's limit; the bank schema allows at most five choices, so a question fits one row."""
MODAL_TITLE_MAX = 45
TEXT_INPUT_LABEL_MAX = 45
TEXT_INPUT_PLACEHOLDER_MAX = 100
ANSWER_MAX_LENGTH = 200
"""Longer than any sensible short answer; the engine stores at most 300 characters."""

ANSWERS_AT_ONCE = 4
"""Answers being recorded at once per bot. A burst of clicks (a channel answering the daily question) would
otherwise be one database transaction per click all at once, fighting over SQLite's single writer, whose
losers sleep and retry. Waiting here is first come, first served and counts towards the deferral deadline."""

ANSWER_INPUT_ID = "answer"
ASKED = r"(?P<asked>[^:]{1,90})"
"""The asked id in a custom_id, taken as it comes: a forged one (``quiz:²:0``, ``quiz:99…9:0``) must still
reach the engine, which decides what is an id and answers "no longer available" for anything else."""
MODAL_ID = re.compile(rf"quiz:{ASKED}:modal")


def choice_id(asked_id: int | str, index: int) -> str:
    return f"quiz:{asked_id}:{index}"


def custom_id_prefix(asked_id: int | str) -> str:
    """What every button of one asked question's ``custom_id`` starts with."""
    return f"quiz:{asked_id}:"


def answer_button_id(asked_id: int | str) -> str:
    return f"quiz:{asked_id}:answer"


def modal_id(asked_id: int | str) -> str:
    return f"quiz:{asked_id}:modal"


class ChoiceButton(
    discord.ui.DynamicItem[discord.ui.Button], template=rf"quiz:{ASKED}:(?P<choice>[0-9]{{1,2}})"
):
    """One choice of a multiple-choice or true/false question."""

    def __init__(self, asked_id: int | str, index: int, label: str = "") -> None:
        super().__init__(
            discord.ui.Button(
                label=render.clip(label, BUTTON_LABEL_MAX) or render.letter(index),
                style=discord.ButtonStyle.secondary,
                custom_id=choice_id(asked_id, index),
            )
        )
        self.asked_id = asked_id
        self.index = index

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /
    ) -> ChoiceButton:
        return cls(match["asked"], int(match["choice"]), item.label or "")

    async def callback(self, interaction: discord.Interaction) -> None:
        await answer(interaction, self.asked_id, self.index)


class AnswerButton(discord.ui.DynamicItem[discord.ui.Button], template=rf"quiz:{ASKED}:answer"):
    """Opens a text box for a short-answer question.

    A modal needs no privileged intent, unlike reading typed answers from channel messages (the
    message-content intent needs Discord's approval for bots in 100+ servers).
    """

    def __init__(self, asked_id: int | str) -> None:
        super().__init__(
            discord.ui.Button(
                label="Answer", style=discord.ButtonStyle.primary, custom_id=answer_button_id(asked_id)
            )
        )
        self.asked_id = asked_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /
    ) -> AnswerButton:
        return cls(match["asked"])

    async def callback(self, interaction: discord.Interaction) -> None:
        # Opening the modal must be the first response (no deferring first), so it does no database work;
        # a closed or unknown question is reported when the answer is submitted.
        modal = AnswerModal(self.asked_id, _prompt_of(interaction))
        await interaction.response.send_modal(modal)
        # discord.py keeps a sent modal in memory until submitted, keyed by custom_id; two players opening
        # the same question would share it and a dismissed one would never be freed. Drop it here: the
        # submission is routed by custom_id in ``on_modal_submit``, which also survives a restart.
        modal.stop()


class AnswerModal(discord.ui.Modal):
    """The text box for a short answer; only rendered here, its submission is handled by id."""

    def __init__(self, asked_id: int | str, prompt: str = "") -> None:
        super().__init__(title=render.clip("Your answer", MODAL_TITLE_MAX), custom_id=modal_id(asked_id))
        self.add_item(
            discord.ui.TextInput(
                label=render.clip("Answer", TEXT_INPUT_LABEL_MAX),
                custom_id=ANSWER_INPUT_ID,
                placeholder=render.clip(prompt, TEXT_INPUT_PLACEHOLDER_MAX) or None,
                max_length=ANSWER_MAX_LENGTH,
            )
        )


def _prompt_of(interaction: discord.Interaction) -> str:
    """The question text from the clicked message's embed, as a hint inside the modal."""
    message = interaction.message
    if message is None or not message.embeds:
        return ""
    return (message.embeds[0].description or "").split("\n", 1)[0]


def question_view(asked: AskedQuestion) -> discord.ui.View:
    """The buttons under a question: one per choice, or a single Answer button for short answers."""
    view = discord.ui.View(timeout=None)
    question = asked.question
    if question.has_choices:
        for index, choice in enumerate(question.choices[:BUTTONS_PER_ROW]):
            view.add_item(ChoiceButton(asked.id, index, f"{render.letter(index)}. {choice}"))
    else:
        view.add_item(AnswerButton(asked.id))
    return view


async def on_modal_submit(interaction: discord.Interaction) -> None:
    """Route a submitted answer modal by its custom_id (see :class:`AnswerButton` for why not by object)."""
    if interaction.type is not discord.InteractionType.modal_submit or interaction.data is None:
        return
    match = MODAL_ID.fullmatch(str(interaction.data.get("custom_id", "")))
    if match is None:
        return
    text = _submitted_value(interaction.data.get("components", []), ANSWER_INPUT_ID) or ""
    await answer(interaction, match["asked"], text)


def _submitted_value(components: Any, custom_id: str) -> str | None:
    """Find a text input's value in a modal submission (rows, or labels wrapping one component)."""
    for component in components or []:
        if component.get("custom_id") == custom_id:
            return component.get("value")
        nested = component.get("components") or ([component["component"]] if "component" in component else [])
        found = _submitted_value(nested, custom_id)
        if found is not None:
            return found
    return None


async def answer(interaction: discord.Interaction, asked_id: int | str, response: int | str) -> None:
    """Record one answer and tell the player privately how it went; daily answers stay private too.

    A stop (SIGTERM) waits for this to finish, reply included (``Runtime.in_flight``).
    """
    async with runtime_of(interaction).in_flight.track():
        await _answer(interaction, asked_id, response)


async def _answer(interaction: discord.Interaction, asked_id: int | str, response: int | str) -> None:
    engine = runtime_of(interaction).engine
    try:
        work = engine.answer(asked_id, player_of(interaction), response)
        result = await in_time(interaction, _in_turn(bot_of(interaction).answering, work))
    except QuizError as exc:  # an unknown or removed question: the message is written for the player
        await reply(interaction, content=str(exc))
        return
    except Exception:  # a button has no command tree to report errors; never leave "interaction failed"
        log.exception("answer to question %r failed", asked_id)
        await reply(interaction, content="Something went wrong on our side; please try again.")
        return
    refusal = render.refusal_text(result)
    if refusal is not None:
        await reply(interaction, content=refusal)
    else:
        await reply(interaction, embed=render.result_embed(result), view=report_view(result.asked_id))


async def _in_turn(turns: asyncio.Semaphore, work: Awaitable[T]) -> T:
    async with turns:
        return await work


DYNAMIC_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (ChoiceButton, AnswerButton, ReportButton)
"""Registered at start-up so clicks on any earlier message are routed."""
