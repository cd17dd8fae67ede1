"""Each side of a platform benchmark in its own process: the fake Slack or Discord, and the bot.

On the real platforms, Slack's and Discord's servers do not share a CPU with the bot. Run in the bot's
process, a fake would bill its own JSON encoding and HTTP handling to the bot, and on one event loop the
two would also queue behind each other. So B4-B6 start the fake in a child process and measure there:
timestamps taken where the platform sees the bot's requests arrive, as Discord and Slack would. The
latency benchmarks (B4, B5) run the bot in a fresh child process too, so that what the suite holds in
memory from other benchmarks (and its garbage collections) is not billed to the bot.

The protocol is one JSON object per line: the parent writes ``{"command": ..., **arguments}`` to the
child's stdin and reads one JSON answer from its stdout. The child keeps stdout for the protocol only
(anything printed goes to stderr, which is kept in a file and shown if the child fails).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
"""The repository: the child imports ``benchmarks`` and the fakes in ``tests`` from here."""

LINE_LIMIT = 64 * 1024 * 1024
"""Answers carry thousands of latencies on one line; asyncio's default line limit is 64 KiB."""

Handler = Callable[..., Awaitable[dict[str, Any]]]


class PlatformProcessError(RuntimeError):
    """The child failed or answered with an error; the message holds its error and the end of its stderr."""


class PlatformProcess:
    """A running child serving commands; start with :meth:`start`, finish with :meth:`aclose`."""

    def __init__(self, process: asyncio.subprocess.Process, stderr_path: Path) -> None:
        self._process = process
        self._stderr_path = stderr_path

    @classmethod
    async def start(cls, module: str, stderr_path: Path, *args: str) -> PlatformProcess:
        """Run ``python -m module *args`` (whose ``__main__`` calls :func:`serve`)."""
        stderr_path.parent.mkdir(parents=True, exist_ok=True)
        with stderr_path.open("wb") as stderr:
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                module,
                *args,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=stderr,
                limit=LINE_LIMIT,
                cwd=ROOT,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
        return cls(process, stderr_path)

    async def call(self, command: str, **arguments: Any) -> dict[str, Any]:
        """Send one command and wait for its answer."""
        assert self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.write(json.dumps({"command": command, **arguments}).encode() + b"\n")
        await self._process.stdin.drain()
        line = await self._process.stdout.readline()
        if not line:
            await self._process.wait()
            raise PlatformProcessError(f"{command}: the platform process exited\n{self._stderr_tail()}")
        answer: dict[str, Any] = json.loads(line)
        if "error" in answer:
            raise PlatformProcessError(f"{command}: {answer['error']}\n{self._stderr_tail()}")
        return answer

    async def aclose(self) -> None:
        if self._process.returncode is None:
            assert self._process.stdin is not None
            self._process.stdin.close()
            try:
                await asyncio.wait_for(self._process.wait(), 10)
            except TimeoutError:
                self._process.kill()
                await self._process.wait()

    def _stderr_tail(self, chars: int = 2000) -> str:
        try:
            return self._stderr_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


def serve(handlers: Mapping[str, Handler], *, on_exit: Callable[[], Awaitable[None]] | None = None) -> None:
    """The child's main loop: read commands from stdin, answer each on the protocol stream, until EOF."""
    protocol = os.fdopen(os.dup(sys.stdout.fileno()), "w", buffering=1)
    sys.stdout = sys.stderr  # a stray print must not corrupt the protocol

    async def main() -> None:
        try:
            while line := await asyncio.to_thread(sys.stdin.readline):
                request = json.loads(line)
                command = request.pop("command")
                try:
                    answer = await handlers[command](**request)
                except Exception as exc:  # reported to the parent, which raises it there
                    import traceback

                    traceback.print_exc()
                    answer = {"error": f"{type(exc).__name__}: {exc}"}
                protocol.write(json.dumps(answer) + "\n")
        finally:
            if on_exit is not None:
                await on_exit()

    asyncio.run(main())
