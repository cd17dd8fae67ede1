"""One bot split across two OS processes: ``quizbot run`` with ``QUIZBOT_DISCORD_SHARDS=0/2`` and ``1/2``.

Both processes run the real command against the fake Discord and share one PostgreSQL database. Each must
identify only its own shard, and a ``/quiz`` in a guild is answered by the process whose shard holds the
guild (the fake delivers a guild's events only on that shard's connection), into the shared database.
Every wait is on a condition (a log line, an IDENTIFY, an answer) with a generous timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from pathlib import Path

from quizbot.domain import Place, Player
from quizbot.engine import QuizEngine
from quizbot.settings import Settings
from tests.adapters.discord_support import asked_id_of, embed
from tests.cli_process import LOG_RECORD, PROCESS_TIMEOUT, start_quizbot
from tests.conftest import TEST_BANK
from tests.fakes.discord_fake import FakeDiscord, FakeGuild, FakeUser

SHARDS = 2


class ProcessLog:
    """A running ``quizbot`` process's stderr, read as it comes, so a test can wait for a line."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        self.lines: list[str] = []
        self.ended = False
        self._changed = asyncio.Condition()
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.proc.stderr is not None
        while raw := await self.proc.stderr.readline():
            async with self._changed:
                self.lines.append(raw.decode().rstrip("\n"))
                self._changed.notify_all()
        async with self._changed:
            self.ended = True
            self._changed.notify_all()

    async def wait_for(self, text: str) -> None:
        """Wait until a line contains ``text``; fail if the process ends or :data:`PROCESS_TIMEOUT` passes."""
        try:
            async with asyncio.timeout(PROCESS_TIMEOUT), self._changed:
                while not any(text in line for line in self.lines):
                    if self.ended:
                        raise AssertionError(f"quizbot ended before logging {text!r}:\n{self.text}")
                    await self._changed.wait()
        except TimeoutError:
            raise AssertionError(
                f"quizbot did not log {text!r} in {PROCESS_TIMEOUT} s:\n{self.text}"
            ) from None

    async def stop(self) -> int:
        """SIGTERM, as systemd stops it; the exit code (killed after :data:`PROCESS_TIMEOUT`)."""
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.proc.wait(), PROCESS_TIMEOUT)
        finally:
            if self.proc.returncode is None:
                self.proc.kill()
                await self.proc.wait()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._reader, PROCESS_TIMEOUT)
        assert self.proc.returncode is not None
        return self.proc.returncode

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


async def answer_right(fake: FakeDiscord, engine: QuizEngine, user: FakeUser, guild: FakeGuild) -> int:
    """``/quiz`` in ``guild`` and a click on the right choice; returns the shard that delivered it."""
    command = await fake.slash(user, "quiz", {"topic": "ml"}, guild=guild)  # choices: one click
    question = await command.reply()
    asked = await engine.get_asked(asked_id_of(question))
    assert asked is not None and asked.question.correct_index is not None
    assert asked.place == Place("discord", str(guild.id), str(guild.channel_id))
    click = await fake.click(user, question["id"], f"quiz:{asked.id}:{asked.question.correct_index}")
    assert embed(await click.reply())["description"].startswith("✅ Right!")
    assert click.shard == command.shard
    return command.shard[0]


async def test_two_processes_each_answer_the_guilds_of_their_shard_into_one_database(
    tmp_path: Path, postgres_url: str
) -> None:
    settings = Settings(_env_file=None, database_url=postgres_url, questions=str(TEST_BANK))
    engine = await QuizEngine.open(settings)  # the schema, as `quizbot db upgrade` makes it before a rollout
    async with FakeDiscord() as fake:
        fake.timeout = PROCESS_TIMEOUT  # processes start (and identify) on their own schedule
        guilds = [fake.add_guild(shard, SHARDS) for shard in range(SHARDS)]
        players = [fake.admin, fake.member]
        logs: list[ProcessLog] = []
        try:
            for shard in range(SHARDS):
                folder = tmp_path / f"shard{shard}"
                folder.mkdir()
                proc = await start_quizbot(
                    ["run"],
                    folder,
                    QUIZBOT_DATABASE_URL=postgres_url,
                    QUIZBOT_QUESTIONS=str(TEST_BANK),
                    DISCORD_TOKEN=fake.token,
                    QUIZBOT_DISCORD_API_BASE=fake.api_base,
                    QUIZBOT_DISCORD_GATEWAY_URL=fake.gateway_url,
                    QUIZBOT_DISCORD_SHARDS=f"{shard}/{SHARDS}",
                )
                logs.append(ProcessLog(proc))
            for shard, log in enumerate(logs):
                await log.wait_for(f"(shards {shard}/{SHARDS})")  # on_ready: its shard's guilds are in

            assert sorted(fake.identified_shards) == [(0, SHARDS), (1, SHARDS)]  # each shard once
            for shard, (guild, player) in enumerate(zip(guilds, players, strict=True)):
                assert await answer_right(fake, engine, player, guild) == shard

            for guild, player in zip(guilds, players, strict=True):
                board = await (await fake.slash(player, "leaderboard", guild=guild)).reply()
                assert f"**{player.name}** (you)" in embed(board)["description"]
        finally:
            codes = [await log.stop() for log in logs]
    try:
        for guild, player in zip(guilds, players, strict=True):
            place = Place("discord", str(guild.id), str(guild.channel_id))
            stats = await engine.stats(place, Player("discord", str(player.id), player.name))
            assert (stats.answered, stats.correct) == (1, 1)
    finally:
        await engine.aclose()
    for log in logs:
        assert "Traceback" not in log.text, log.text
        assert all(LOG_RECORD.match(line) for line in log.lines), log.text
    assert codes == [0, 0], "\n\n".join(log.text for log in logs)
