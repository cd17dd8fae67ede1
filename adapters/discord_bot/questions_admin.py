"""``/quiz-admin questions``: a server's admins upload, list, download and remove their own question files.

A subgroup of ``/quiz-admin``, so the same **Manage Server** check guards it (the parent group's
``interaction_check`` runs first). Uploads arrive as an ATTACHMENT option (Discord lets a bot read files of
up to 25 MB; the engine's own, smaller limit is checked from the attachment's size before it is fetched).
Error reports are cut to Discord's 2,000-character message limit; the full list comes as a text file.
"""

from __future__ import annotations

import io
from typing import Literal

import discord
from discord import app_commands

from adapters.discord_bot.commands import AUTOCOMPLETE_CHOICES_MAX
from adapters.discord_bot.context import place_of
from adapters.discord_bot.permissions import admin_only
from adapters.discord_bot.render import MESSAGE_CONTENT_MAX, clip
from adapters.discord_bot.respond import in_time, reply
from quizbot.domain import QuizError
from quizbot.plugins import Runtime
from quizbot.server_questions import ServerFiles
from quizbot.uploads import UploadRefused, fitting_lines

ERRORS_FILE = "question-file-errors.txt"


class QuestionFileCommands(app_commands.Group, name="questions", description="This server's own questions."):
    def __init__(self, runtime: Runtime) -> None:
        super().__init__()
        self.runtime = runtime

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """discord.py does not run the parent group's check for a nested group's commands: check here too."""
        return await admin_only(interaction)

    @property
    def questions(self):  # type: ignore[no-untyped-def]
        return self.runtime.engine.server_questions

    @app_commands.command(
        name="upload", description="Add or replace a question file (YAML, Red list, JSON, CSV)."
    )
    @app_commands.describe(file="quizbot YAML, a Red-DiscordBot list, an Open Trivia DB dump or a CSV sheet")
    async def upload(self, interaction: discord.Interaction, file: discord.Attachment) -> None:
        place = place_of(interaction)
        limit = self.questions.max_upload_bytes
        if file.size > limit:  # refused before downloading anything
            await reply(
                interaction, content=f"{file.filename} is {file.size:,} bytes; the limit is {limit:,}."
            )
            return
        try:
            data = await in_time(interaction, file.read())
            done = await in_time(
                interaction,
                self.questions.upload(
                    place.platform, place.server, file.filename, data, str(interaction.user.id)
                ),
            )
        except UploadRefused as exc:
            await _refusal(interaction, exc)
            return
        except (discord.HTTPException, QuizError) as exc:
            await reply(
                interaction, content=clip(f"Could not read {file.filename}: {exc}", MESSAGE_CONTENT_MAX)
            )
            return
        verb = "Replaced" if done.replaced else "Added"
        text = (
            f"{verb} **{done.file.name}**: {done.file.questions} questions on {', '.join(done.file.topics)}."
        )
        if done.converted_from:
            text += f"\nConverted from {done.converted_from}."
        text += "".join(f"\nNote: {w}" for w in done.warnings[:5])
        await reply(interaction, content=text)

    @app_commands.command(name="list", description="This server's question files and the bundled bank.")
    async def list_files(self, interaction: discord.Interaction) -> None:
        place = place_of(interaction)
        listing = await in_time(interaction, self.questions.files(place.platform, place.server))
        await reply(interaction, content=listing_text(listing))

    @app_commands.command(name="download", description="Get one of this server's question files back.")
    @app_commands.describe(name="the file's name, as /quiz-admin questions list shows it")
    async def download(self, interaction: discord.Interaction, name: str) -> None:
        place = place_of(interaction)
        try:
            filename, text = await in_time(
                interaction, self.questions.download(place.platform, place.server, name)
            )
        except QuizError as exc:
            await reply(interaction, content=str(exc))
            return
        await reply(
            interaction, content=f"**{filename}**", file=discord.File(io.BytesIO(text.encode()), filename)
        )

    @app_commands.command(name="remove", description="Stop serving one of this server's question files.")
    @app_commands.describe(name="the file's name, as /quiz-admin questions list shows it")
    async def remove(self, interaction: discord.Interaction, name: str) -> None:
        place = place_of(interaction)
        try:
            gone = await in_time(interaction, self.questions.remove(place.platform, place.server, name))
        except QuizError as exc:
            await reply(interaction, content=str(exc))
            return
        await reply(interaction, content=f"Removed **{gone.name}** ({gone.questions} questions).")

    @download.autocomplete("name")
    @remove.autocomplete("name")
    async def file_names(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        place = place_of(interaction)
        listing = await self.questions.files(place.platform, place.server)
        wanted = current.casefold()
        names = [f.name for f in listing.files if wanted in f.name][:AUTOCOMPLETE_CHOICES_MAX]
        return [app_commands.Choice(name=n, value=n) for n in names]

    @app_commands.command(name="bundled", description="Serve the bundled questions on this server, or not.")
    async def bundled(self, interaction: discord.Interaction, state: Literal["on", "off"]) -> None:
        place = place_of(interaction)
        listing = await in_time(
            interaction, self.questions.set_bundled(place.platform, place.server, state == "on")
        )
        await reply(interaction, content=listing_text(listing))


def listing_text(listing: ServerFiles) -> str:
    bundled = "on" if listing.bundled_on else "off"
    lines = [f"Bundled questions: **{bundled}** ({listing.bundled_questions})."]
    if not listing.files:
        lines.append("This server has no question files of its own: `/quiz-admin questions upload`.")
    for f in listing.files:
        lines.append(
            f"• **{f.name}**: {f.questions} questions ({', '.join(f.topics)}), by {_uploader(f.uploaded_by)}"
        )
    return clip("\n".join(lines), MESSAGE_CONTENT_MAX)


def _uploader(uploaded_by: str) -> str:
    """A mention for the user id uploads store (replies never ping: ``AllowedMentions.none()``).

    Files uploaded before ids were stored hold a user name, and a forgotten uploader ``forgotten``: shown
    as text. The id is what ``quizbot players forget`` can match; a name can change.
    """
    return f"<@{uploaded_by}>" if uploaded_by.isdigit() else discord.utils.escape_markdown(uploaded_by)


async def _refusal(interaction: discord.Interaction, refused: UploadRefused) -> None:
    """The summary and as many error lines as fit in one message; every line in a file when they don't."""
    head = f"Nothing was stored: {refused.summary}."
    shown, left = fitting_lines([clip(e, 300) for e in refused.errors], MESSAGE_CONTENT_MAX - len(head) - 80)
    text = head + ("\n```\n" + "\n".join(shown).replace("```", "'''") + "\n```" if shown else "")
    if not left:
        await reply(interaction, content=text)
        return
    full = "\n".join(refused.errors).encode()
    text += f"\n…and {left} more: every error is in the attached file."
    await reply(interaction, content=text, file=discord.File(io.BytesIO(full), ERRORS_FILE))
