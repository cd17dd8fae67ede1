"""``/quiz questions …``: a workspace's admins upload, list, download and remove their own question files.

Uploads go through a modal with a ``file_input`` (scope ``files:read``; Slack hands the app a file object
whose ``url_private_download`` is fetched with the bot token as a Bearer header). The modal closes at once
(a view submission must be acked within 3 s) and the outcome comes back privately where the command was
run. Errors fill at most :data:`ERROR_SECTIONS` sections of 3,000 characters; a longer list, and downloaded
files, are sent as a file in a direct message with the admin (``files_upload_v2``, scopes ``files:write``
and ``im:write``): a file shared in the channel would show everyone.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import aiohttp
from slack_sdk.models.blocks import Block, ContextBlock, InputBlock, MarkdownTextObject, SectionBlock
from slack_sdk.models.blocks.basic_components import PlainTextObject
from slack_sdk.models.blocks.block_elements import FileInputElement
from slack_sdk.models.views import View
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack_app.blocks import Message, notice
from adapters.slack_app.escape import escape
from quizbot.domain import QuizError
from quizbot.server_questions import ServerFiles, ServerQuestions, Uploaded
from quizbot.uploads import UploadRefused, fitting_lines

log = logging.getLogger(__name__)

UPLOAD_MODAL = "quiz:questions-upload"
UPLOAD_BLOCK = "questions-file"
UPLOAD_INPUT = "file"
SECTION_TEXT_MAX = 3000
ERROR_SECTIONS = 5
"""Five sections of errors (about 15,000 characters) in the reply; the whole list goes to a DM file."""
FILE_TYPES = ["yaml", "yml", "json", "csv", "text"]

USAGE = notice(
    "*Question files* (workspace admins)\n"
    "`/quiz questions` · this workspace's files and whether the bundled questions are on\n"
    "`/quiz questions upload` · add or replace a file: quizbot YAML, a Red-DiscordBot list, "
    "an Open Trivia DB dump or a CSV sheet\n"
    "`/quiz questions download NAME` · the file, sent to you in a direct message\n"
    "`/quiz questions remove NAME` · stop serving a file\n"
    "`/quiz questions bundled on|off` · serve the bundled questions here, or not"
)


def upload_modal(channel: str, response_url: str) -> View:
    """The upload window; where to answer afterwards rides in ``private_metadata`` (3,000 characters)."""
    return View(
        type="modal",
        callback_id=UPLOAD_MODAL,
        title=PlainTextObject(text="Upload questions"),
        submit=PlainTextObject(text="Upload"),
        close=PlainTextObject(text="Cancel"),
        private_metadata=json.dumps({"c": channel, "r": response_url}, separators=(",", ":")),
        blocks=[
            InputBlock(
                block_id=UPLOAD_BLOCK,
                label=PlainTextObject(text="Question file"),
                element=FileInputElement(action_id=UPLOAD_INPUT, filetypes=FILE_TYPES, max_files=1),
                hint=PlainTextObject(
                    text="quizbot YAML, a Red-DiscordBot trivia list, Open Trivia DB JSON or CSV. "
                    "Nothing is stored unless the whole file is valid."
                ),
            )
        ],
    )


def listing_message(listing: ServerFiles) -> Message:
    bundled = "on" if listing.bundled_on else "off"
    lines = [f"Bundled questions: *{bundled}* ({listing.bundled_questions})."]
    if not listing.files:
        lines.append("This workspace has no question files of its own: `/quiz questions upload`.")
    for f in listing.files:
        topics = ", ".join(escape(t) for t in f.topics)
        lines.append(f"• *{escape(f.name)}*: {f.questions} questions ({topics}), by {escape(f.uploaded_by)}")
    return notice("\n".join(lines)[:SECTION_TEXT_MAX])


def uploaded_message(done: Uploaded) -> Message:
    verb = "Replaced" if done.replaced else "Added"
    topics = ", ".join(escape(t) for t in done.file.topics)
    text = (
        f":white_check_mark: {verb} *{escape(done.file.name)}*: {done.file.questions} questions on {topics}."
    )
    if done.converted_from:
        text += f"\nConverted from {escape(done.converted_from)}."
    text += "".join(f"\nNote: {escape(w)}" for w in done.warnings[:5])
    return notice(text[:SECTION_TEXT_MAX])


def refused_message(refused: UploadRefused) -> tuple[Message, bool]:
    """The reply to a refused upload, and whether some errors did not fit (then they go to a DM file)."""
    head = f":warning: Nothing was stored: {escape(refused.summary)}."
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=head[:SECTION_TEXT_MAX]))]
    rest = [escape(e) for e in refused.errors]
    for _ in range(ERROR_SECTIONS):
        shown, _left = fitting_lines(rest, SECTION_TEXT_MAX - 8)
        if not shown:
            break
        blocks.append(SectionBlock(text=MarkdownTextObject(text="```" + "\n".join(shown) + "```")))
        rest = rest[len(shown) :]
    if rest:
        more = f"…and {len(rest)} more: every error is in a file I sent you in a direct message."
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=more)]))
    return Message(head, [b.to_dict() for b in blocks]), bool(rest)


class QuestionFiles:
    """The ``questions`` subcommands and the upload modal's submission, for one workspace at a time."""

    def __init__(self, questions: ServerQuestions, session: aiohttp.ClientSession | None) -> None:
        self.questions = questions
        self.session = session

    async def command(
        self, args: tuple[str, ...], team: str, command: dict[str, Any], client: AsyncWebClient
    ) -> Message:
        action = args[0].casefold() if args else "list"
        if action == "list" and len(args) <= 1:
            return listing_message(await self.questions.files("slack", team))
        if action == "upload" and len(args) == 1:
            view = upload_modal(str(command.get("channel_id", "")), str(command.get("response_url", "")))
            await client.views_open(trigger_id=command["trigger_id"], view=view)
            return notice("Pick the question file in the window that opened.")
        if action in ("download", "remove") and len(args) == 2:
            return await getattr(self, action)(team, args[1], str(command.get("user_id", "")), client)
        if action == "bundled" and len(args) == 2 and args[1].casefold() in ("on", "off"):
            on = args[1].casefold() == "on"
            return listing_message(await self.questions.set_bundled("slack", team, on))
        return USAGE

    async def download(self, team: str, name: str, user: str, client: AsyncWebClient) -> Message:
        try:
            filename, text = await self.questions.download("slack", team, name)
        except QuizError as exc:
            return notice(escape(str(exc)))
        await send_file(client, user, filename, text, f"Question file *{escape(filename)}*")
        return notice(f"I sent *{escape(filename)}* to you in a direct message.")

    async def remove(self, team: str, name: str, user: str, client: AsyncWebClient) -> Message:
        try:
            gone = await self.questions.remove("slack", team, name)
        except QuizError as exc:
            return notice(escape(str(exc)))
        return notice(f":wastebasket: Removed *{escape(gone.name)}* ({gone.questions} questions).")

    async def submitted(self, team: str, user: str, view: dict[str, Any], client: AsyncWebClient) -> Message:
        """Fetch the picked file and store it if valid; the reply says what happened either way."""
        values = ((view.get("state") or {}).get("values") or {}).get(UPLOAD_BLOCK) or {}
        files = (values.get(UPLOAD_INPUT) or {}).get("files") or []
        if not files or not isinstance(files[0], dict):
            return notice("No file was picked; nothing was stored.")
        picked = files[0]
        name = str(picked.get("name") or "questions.yaml")
        size = picked.get("size")
        if isinstance(size, int) and size > self.questions.max_upload_bytes:
            limit = self.questions.max_upload_bytes
            return notice(f"{escape(name)} is {size:,} bytes; the limit is {limit:,}. Nothing was stored.")
        try:
            data = await self._fetch(str(picked.get("url_private_download") or ""), client.token or "")
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            log.warning("could not fetch uploaded file %s: %s", name, exc)
            return notice(f"I could not fetch {escape(name)} from Slack; please try again.")
        try:
            done = await self.questions.upload("slack", team, name, data, user)
        except UploadRefused as exc:
            message, too_long = refused_message(exc)
            if too_long:
                await send_file(
                    client, user, "question-file-errors.txt", "\n".join(exc.errors), "Every error"
                )
            return message
        return uploaded_message(done)

    async def _fetch(self, url: str, token: str) -> bytes:
        if not url:
            raise ValueError("the file has no download link")
        limit = self.questions.max_upload_bytes
        headers = {"Authorization": f"Bearer {token}"}
        session = self.session or aiohttp.ClientSession()
        try:
            async with session.get(url, headers=headers, timeout=aiohttp.ClientTimeout(total=10)) as response:
                response.raise_for_status()
                data = await response.content.read(limit + 1)  # never more than one byte past the limit
        finally:
            if self.session is None:
                await session.close()
        return data


async def send_file(client: AsyncWebClient, user: str, filename: str, text: str, comment: str) -> None:
    """A file in the app's direct message with ``user``: only they see it."""
    dm = await client.conversations_open(users=user)
    channel = str((dm.get("channel") or {}).get("id"))
    await client.files_upload_v2(channel=channel, filename=filename, content=text, initial_comment=comment)
