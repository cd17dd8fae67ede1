"""Question files owned by one server (a Discord guild, a Slack workspace), managed by its admins from chat.

Uploaded files live in the database, so every bot process serving that server sees the same questions and
a restart loses nothing. A server is served its own files beside the bundled bank (which its admins can turn
off); no other server ever sees them. Each ask checks which files the server has (one small indexed read)
and reuses the merged bank while nothing changed, so another process's upload is seen at the next ask.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from quizbot.bank import Bank, parse_bank_file
from quizbot.domain import Question, QuizError
from quizbot.store import Store, Unit
from quizbot.uploads import PreparedFile, UploadRefused, file_name, prepare_upload
from quizbot.words import Vocabulary

MAX_UPLOAD_BYTES = 1024 * 1024
"""Discord lets bots read attachments of up to 25 MB and Slack files of 1 GB; a question file over 1 MB is
several thousand questions, more than a server needs in one file, and slow to check inside the 3-second
window a platform gives a reply."""
MAX_SERVER_QUESTIONS = 5000
"""Every uploaded question is parsed into memory in each process serving the server: cap it per server."""


@dataclass(frozen=True, slots=True)
class ServerFile:
    name: str
    questions: int
    topics: tuple[str, ...]
    uploaded_by: str
    uploaded_at: datetime


@dataclass(frozen=True, slots=True)
class ServerFiles:
    """What a server is served: its own files and whether the bundled bank is on."""

    files: tuple[ServerFile, ...]
    bundled_on: bool
    bundled_questions: int

    @property
    def own_questions(self) -> int:
        return sum(f.questions for f in self.files)


@dataclass(frozen=True, slots=True)
class Uploaded:
    """A stored upload: what it holds and what was done to it."""

    file: ServerFile
    replaced: bool
    converted_from: str | None
    warnings: tuple[str, ...]


class ServerQuestions:
    """The use cases behind ``questions upload|list|download|remove|bundled`` on every platform."""

    def __init__(
        self,
        store: Store,
        bundled: Callable[[], Bank],
        clock: Callable[[], datetime],
        *,
        max_upload_bytes: int = MAX_UPLOAD_BYTES,
        max_questions: int = MAX_SERVER_QUESTIONS,
    ) -> None:
        self.store = store
        self.bundled = bundled
        self.clock = clock
        self.max_upload_bytes = max_upload_bytes
        self.max_questions = max_questions
        self._banks: dict[tuple[str, str], tuple[Any, Bank]] = {}
        self._parsed: dict[tuple[str, str, str, datetime], tuple[Question, ...]] = {}

    async def bank_for(self, platform: str, server: str, unit: Unit | None = None) -> Bank:
        """The questions this server is served: the bundled bank (unless turned off) and its own files.

        Read inside ``unit`` when given (the daily scheduler asks inside its claim transaction).
        """
        if unit is None:
            async with self.store.unit(read_only=True) as own:
                return await self.bank_for(platform, server, own)
        rows = await unit.server_banks_of(platform, server)
        bundled_on = await unit.bundled_bank_on(platform, server)
        bundled = self.bundled()
        if not rows and bundled_on:
            return bundled
        signature = (bundled_on, id(bundled), tuple((r.name, r.uploaded_at) for r in rows))
        cached = self._banks.get((platform, server))
        if cached is not None and cached[0] == signature:
            return cached[1]
        questions: list[Question] = list(bundled.questions) if bundled_on else []
        for row in rows:
            questions.extend(await self._questions_of(platform, server, row.name, row.uploaded_at, unit))
        bank = Bank.of(questions)
        self._banks[(platform, server)] = (signature, bank)
        return bank

    def words_for(self, platform: str, server: str) -> Vocabulary | None:
        """The real words of this server's bank as this process last built it (see :meth:`bank_for`), or
        None when it serves only the bundled bank or has not been built here yet.

        Answer matching reads it inside a shared answer transaction, where it must not wait for anything:
        so no database read, only what :meth:`bank_for` left when the question was asked.
        """
        cached = self._banks.get((platform, server))
        return cached[1].words if cached is not None else None

    async def _questions_of(
        self, platform: str, server: str, name: str, at: datetime, unit: Unit | None = None
    ) -> tuple[Question, ...]:
        key = (platform, server, name, at)
        if key not in self._parsed:
            if unit is None:
                async with self.store.unit(read_only=True) as own:
                    row = await own.server_bank(platform, server, name)
            else:
                row = await unit.server_bank(platform, server, name)
            content = row.content if row is not None else ""
            result = parse_bank_file(f"{name}.yaml", content.encode("utf-8"))
            self._parsed = {k: v for k, v in self._parsed.items() if k[:3] != key[:3]}
            self._parsed[key] = result.questions  # stored files were valid when stored
        return self._parsed[key]

    async def upload(
        self, platform: str, server: str, filename: str, data: bytes, uploaded_by: str
    ) -> Uploaded:
        """Store a file for this server if, and only if, all of it is valid. Raises :class:`UploadRefused`."""
        prepared = prepare_upload(filename, data, max_bytes=self.max_upload_bytes)
        async with self.store.unit() as unit:
            others = [r for r in await unit.server_banks_of(platform, server) if r.name != prepared.name]
            replaced = await unit.server_bank(platform, server, prepared.name) is not None
            prepared = await self._check_ids(platform, server, prepared, others)
            await self._check_room(prepared, others)
            now = self.clock()
            await unit.put_server_bank(
                {
                    "platform": platform,
                    "server": server,
                    "name": prepared.name,
                    "content": prepared.content,
                    "questions": len(prepared.questions),
                    "topics": ",".join(prepared.topics)[:2000],
                    "uploaded_by": uploaded_by[:100],
                    "uploaded_at": now,
                }
            )
        file = ServerFile(prepared.name, len(prepared.questions), tuple(prepared.topics), uploaded_by, now)
        return Uploaded(file, replaced, prepared.converted_from, prepared.warnings)

    async def _check_room(self, prepared: PreparedFile, others: list[Any]) -> None:
        total = sum(r.questions for r in others) + len(prepared.questions)
        if total > self.max_questions:
            raise UploadRefused(
                f"this server would have {total:,} questions of its own, over the limit of "
                f"{self.max_questions:,}; remove a file first (questions list / questions remove)"
            )

    async def _check_ids(
        self, platform: str, server: str, prepared: PreparedFile, others: list[Any]
    ) -> PreparedFile:
        """Ids must be unique among everything the server may be served: scores and repeats follow ids.

        A converted file's ids follow the content, so one already served here with the same prompt is the
        same question (a second, overlapping Open Trivia DB download): it is skipped with a note, as
        ``quizbot import`` does. Any other clash refuses the file, naming the line the admin uploaded.
        """
        owner = {q.id: ("the bundled bank", q.prompt) for q in self.bundled().questions}
        for row in others:
            for question in await self._questions_of(platform, server, row.name, row.uploaded_at):
                owner[question.id] = (f"the server's file '{row.name}'", question.prompt)
        clashing = [q for q in prepared.questions if q.id in owner]
        repeats = {
            q.id: owner[q.id][0]
            for q in clashing
            if prepared.converted is not None and owner[q.id][1] == q.prompt
        }
        clashes = [
            f"{prepared.where(q)}: question id '{q.id}' is already used by {owner[q.id][0]}; "
            "give it another id"
            for q in clashing
            if q.id not in repeats
        ]
        if clashes:
            raise UploadRefused(
                f"{len(clashes)} question id(s) are already in use; nothing was stored", clashes
            )
        if not repeats:
            return prepared
        if len(repeats) == len(prepared.questions):
            raise UploadRefused(
                f"every question in {prepared.questions[0].path} is already served on this server; "
                "nothing was stored"
            )
        return prepared.without(repeats)

    async def files(self, platform: str, server: str) -> ServerFiles:
        async with self.store.unit(read_only=True) as unit:
            rows = await unit.server_banks_of(platform, server)
            bundled_on = await unit.bundled_bank_on(platform, server)
        files = tuple(
            ServerFile(
                r.name, r.questions, tuple(filter(None, r.topics.split(","))), r.uploaded_by, r.uploaded_at
            )
            for r in rows
        )
        return ServerFiles(files, bundled_on, len(self.bundled()))

    async def download(self, platform: str, server: str, name: str) -> tuple[str, str]:
        """(file name, YAML text) of one of the server's files, as stored (converted uploads as YAML)."""
        async with self.store.unit(read_only=True) as unit:
            row = await unit.server_bank(platform, server, file_name(name))
        if row is None:
            raise QuizError(await self._no_such_file(platform, server, name))
        return f"{row.name}.yaml", row.content

    async def remove(self, platform: str, server: str, name: str) -> ServerFile:
        async with self.store.unit() as unit:
            row = await unit.server_bank(platform, server, file_name(name))
            if row is None or not await unit.delete_server_bank(platform, server, row.name):
                raise QuizError(await self._no_such_file(platform, server, name))
        return ServerFile(
            row.name, row.questions, tuple(row.topics.split(",")), row.uploaded_by, row.uploaded_at
        )

    async def set_bundled(self, platform: str, server: str, on: bool) -> ServerFiles:
        async with self.store.unit() as unit:
            await unit.set_bundled_bank(platform, server, on)
        return await self.files(platform, server)

    async def _no_such_file(self, platform: str, server: str, name: str) -> str:
        names = [f.name for f in (await self.files(platform, server)).files]
        known = f"; this server has: {', '.join(names)}" if names else "; this server has no files of its own"
        return f"no question file named '{name}'{known}"
