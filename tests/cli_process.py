"""Running the real ``quizbot`` command from async tests, beside fakes served in the test's event loop."""

from __future__ import annotations

import asyncio
import os
import re
import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import ROOT

LOG_RECORD = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ (DEBUG|INFO|WARNING|ERROR|CRITICAL) ")
"""The start of a log line in quizbot's format (see ``quizbot/logs.py``)."""


@dataclass(frozen=True)
class Finished:
    code: int
    stdout: str
    stderr: str

    @property
    def messages(self) -> list[str]:
        """stderr lines that are not log records: what the command tells its user."""
        return [line for line in self.stderr.splitlines() if not LOG_RECORD.match(line)]

    @property
    def log(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if LOG_RECORD.match(line)]


def closed_port() -> int:
    """A loopback port nothing listens on: bound by the OS, then released."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def quizbot_env(tmp_path: Path, **env: str) -> dict[str, str]:
    """The environment of a fresh install: none of the developer's settings, a database in ``tmp_path``."""
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("QUIZBOT_", "SLACK_", "DISCORD_"))
    }
    environment.update(QUIZBOT_DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}", PYTHONPATH=str(ROOT))
    environment.update(env)
    return environment


async def start_quizbot(args: list[str], tmp_path: Path, **env: str) -> asyncio.subprocess.Process:
    """``quizbot ARGS`` started in ``tmp_path`` with stdin closed (as under systemd or Docker)."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "quizbot",
        *args,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=tmp_path,
        env=quizbot_env(tmp_path, **env),
    )


PROCESS_TIMEOUT = 60.0
"""A command that has not ended by then is killed and the test fails (a hang, not a slow machine)."""


async def finish(proc: asyncio.subprocess.Process) -> Finished:
    """Wait for ``proc`` to exit (killing it after :data:`PROCESS_TIMEOUT`) and collect its output."""
    try:
        out, err = await asyncio.wait_for(proc.communicate(), timeout=PROCESS_TIMEOUT)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert proc.returncode is not None
    return Finished(proc.returncode, out.decode(), err.decode())


async def run_quizbot_async(args: list[str], tmp_path: Path, **env: str) -> Finished:
    """Run ``quizbot ARGS`` to its end; for commands that are expected to stop on their own."""
    return await finish(await start_quizbot(args, tmp_path, **env))


async def stderr_until(proc: asyncio.subprocess.Process, seen: Callable[[list[str]], bool]) -> list[str]:
    """Read ``proc``'s stderr line by line until ``seen(lines)`` holds or the stream ends; then stop ``proc``.

    For ``quizbot run``, which serves until stopped: the test reads the log as an operator would tail it.
    """
    assert proc.stderr is not None
    lines: list[str] = []
    try:
        async with asyncio.timeout(PROCESS_TIMEOUT):
            while not seen(lines):
                raw = await proc.stderr.readline()
                if not raw:
                    break
                lines.append(raw.decode().rstrip("\n"))
    finally:
        if proc.returncode is None:
            proc.kill()
        rest = (await proc.communicate())[1]
    return lines + rest.decode().splitlines()
