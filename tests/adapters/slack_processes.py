"""``quizbot run`` in Slack HTTP mode as a real OS process, pointed at a fake Slack served by the test.

Several of them on one PostgreSQL database are what an operator runs behind a load balancer: each is a
separate process with its own event loop, engine and connection pool, sharing nothing but the database.
The test reads each process's log as an operator would tail it, and waits on what the log says, never on
a fixed delay.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import signal
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.cli_process import closed_port, quizbot_env
from tests.fakes.slack_fake import DEFAULT_BOT_TOKEN, DEFAULT_SIGNING_SECRET, FakeSlackApi, SignedSlackClient

EVENTS_PATH = "/slack/events"
START_TIMEOUT = 90.0
"""Seconds a process may take to start listening: generous, for a loaded 2-core CI machine."""
STOP_TIMEOUT = 30.0
PROBLEM = re.compile(r"\b(ERROR|CRITICAL)\b|Traceback")


@dataclass
class BotProcess:
    """One running ``quizbot run``, its merged output collected line by line as it comes."""

    name: str
    process: asyncio.subprocess.Process
    port: int
    lines: list[str] = field(default_factory=list)
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    _reader: asyncio.Task[None] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{EVENTS_PATH}"

    def start_reading(self) -> None:
        self._reader = asyncio.get_running_loop().create_task(self._read())

    async def _read(self) -> None:
        assert self.process.stdout is not None
        while raw := await self.process.stdout.readline():
            async with self._changed:
                self.lines.append(raw.decode(errors="replace").rstrip("\n"))
                self._changed.notify_all()
        async with self._changed:
            self._changed.notify_all()

    async def wait_for_log(self, seen: Callable[[list[str]], bool], within: float = START_TIMEOUT) -> None:
        """Wait until ``seen(lines)`` holds; fail with the log so far if the process exits first."""

        def done() -> bool:
            return seen(self.lines) or self._reader is None or self._reader.done()

        try:
            async with asyncio.timeout(within), self._changed:
                await self._changed.wait_for(done)
        except TimeoutError:
            raise AssertionError(
                f"{self.name}: no such log line after {within:g} s:\n{self.log_text()}"
            ) from None
        if not seen(self.lines):
            raise AssertionError(f"{self.name} exited before the expected log line:\n" + self.log_text())

    def log_text(self) -> str:
        return "\n".join(self.lines[-60:])

    def problems(self) -> list[str]:
        """Lines that say something went wrong: an ERROR record or a traceback."""
        return [line for line in self.lines if PROBLEM.search(line)]

    async def stop(self) -> int:
        """SIGTERM, as systemd or Docker stops it; returns the exit status (killed after a timeout)."""
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.process.wait(), STOP_TIMEOUT)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
        if self._reader is not None:
            await self._reader
        assert self.process.returncode is not None
        return self.process.returncode


def listens_on(port: int) -> Callable[[list[str]], bool]:
    """Whether the log says the bot listens for Slack's requests on ``port``."""
    where = f":{port}{EVENTS_PATH}"
    return lambda lines: any("listening for events" in line and where in line for line in lines)


PORT_TRIES = 3
"""A free port is found by binding and releasing it; something else may take it before the bot binds it."""


async def start_bot(
    name: str, tmp_path: Path, fake: FakeSlackApi, database_url: str, questions: Path, **env: str
) -> BotProcess:
    """Start ``quizbot run`` in Slack HTTP mode on a free port; returns once it listens for events."""
    folder = tmp_path / name
    folder.mkdir()
    for attempt in range(1, PORT_TRIES + 1):
        bot = await _spawn(name, folder, fake, database_url, questions, **env)
        try:
            await bot.wait_for_log(listens_on(bot.port))
            return bot
        except AssertionError:
            port_taken = any("cannot listen for Slack events" in line for line in bot.lines)
            await bot.stop()
            if not port_taken or attempt == PORT_TRIES:
                raise
    raise AssertionError("unreachable")


async def _spawn(
    name: str, folder: Path, fake: FakeSlackApi, database_url: str, questions: Path, **env: str
) -> BotProcess:
    port = closed_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "quizbot",
        "run",
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        cwd=folder,
        env=quizbot_env(
            folder,
            QUIZBOT_DATABASE_URL=database_url,
            QUIZBOT_QUESTIONS=str(questions),
            SLACK_BOT_TOKEN=DEFAULT_BOT_TOKEN,
            SLACK_SIGNING_SECRET=DEFAULT_SIGNING_SECRET,
            QUIZBOT_SLACK_API_URL=fake.api_url,
            QUIZBOT_SLACK_PORT=str(port),
            **env,
        ),
    )
    bot = BotProcess(name, process, port)
    bot.start_reading()
    return bot


@contextlib.asynccontextmanager
async def bots_behind_a_balancer(
    tmp_path: Path, fake: FakeSlackApi, database_url: str, questions: Path, count: int = 2, **env: str
) -> AsyncIterator[list[tuple[BotProcess, SignedSlackClient]]]:
    """``count`` bot processes on one database, each with a signed client that plays Slack sending to it.

    On exit every process is stopped with SIGTERM; each must exit 0.
    """
    started: list[BotProcess] = []
    clients: list[SignedSlackClient] = []
    try:
        for i in range(count):
            started.append(await start_bot(f"bot-{'AB'[i]}", tmp_path, fake, database_url, questions, **env))
        clients = [SignedSlackClient(bot.url, fake) for bot in started]
        yield list(zip(started, clients, strict=True))
    finally:
        for client in clients:
            await client.aclose()
        codes = [await bot.stop() for bot in started]
    for bot, code in zip(started, codes, strict=True):
        assert code == 0, f"{bot.name} exited with {code}:\n{bot.log_text()}"
