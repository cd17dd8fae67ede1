"""A PostgreSQL server that goes silent or down: answers fail fast with a message to retry, nothing is
half-written, the log gets one line per failure, and service resumes by itself.

A TCP proxy the test controls stands between quizbot and the shared server; the server itself is never
touched. ``pause`` drops packets silently (the case that used to hang answers), ``kill`` refuses them.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from quizbot.domain import DatabaseUnavailableError, Place, Player, QuestionType
from quizbot.engine import ANSWER_NOT_SAVED, QuizEngine
from tests.conftest import TEST_BANK, make_settings
from tests.fakes.tcp_proxy import TcpProxy

HANG_GUARD = 60  # far above the timeouts below: only there so that a regression fails instead of hanging
TIMEOUTS = {"db_connect_timeout": 1.0, "db_command_timeout": 1.0}
PLACE = Place("test", "s", "c")
ALICE = Player("test", "alice", "Alice")


@pytest.fixture
async def proxy(postgres_url: str) -> AsyncIterator[TcpProxy]:
    url = make_url(postgres_url)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    await proxy.start()
    try:
        yield proxy
    finally:
        await proxy.aclose()


def through(proxy: TcpProxy, postgres_url: str) -> str:
    return make_url(postgres_url).set(port=proxy.port).render_as_string(hide_password=False)


async def _first_choice_question(engine: QuizEngine) -> int:
    while True:
        asked = await engine.ask(PLACE, ALICE)
        if asked.question.type is QuestionType.MULTIPLE_CHOICE:
            return asked.id


async def test_an_answer_while_packets_are_dropped_fails_fast_and_can_be_retried(
    proxy: TcpProxy, postgres_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    settings = make_settings(through(proxy, postgres_url), **TIMEOUTS)
    async with await QuizEngine.open(settings) as engine:
        asked_id = await _first_choice_question(engine)
        proxy.pause()
        caplog.set_level(logging.WARNING, logger="quizbot.store")
        for _ in range(2):
            with pytest.raises(DatabaseUnavailableError) as failed:
                await asyncio.wait_for(engine.answer(asked_id, ALICE, 0), HANG_GUARD)
            assert str(failed.value) == ANSWER_NOT_SAVED
        with pytest.raises(DatabaseUnavailableError):
            await asyncio.wait_for(engine.leaderboard(PLACE, ALICE), HANG_GUARD)
        outage_lines = [r for r in caplog.records if r.name == "quizbot.store"]
        assert len(outage_lines) == 3 and all("database unavailable" in r.getMessage() for r in outage_lines)
        assert all("\n" not in r.getMessage() and r.exc_info is None for r in outage_lines)

        proxy.resume()
        result = await asyncio.wait_for(engine.answer(asked_id, ALICE, 0), HANG_GUARD)
        assert result.status.value == "accepted"  # the failed attempts left no half-written answer
        stats = await engine.stats(PLACE, ALICE)
        assert stats.answered == 1


async def test_while_the_server_is_down_answers_are_refused_and_service_resumes(
    proxy: TcpProxy, postgres_url: str
) -> None:
    settings = make_settings(through(proxy, postgres_url), **TIMEOUTS)
    async with await QuizEngine.open(settings) as engine:
        asked_id = await _first_choice_question(engine)
        await proxy.kill()
        with pytest.raises(DatabaseUnavailableError, match=re.escape(ANSWER_NOT_SAVED)):
            await asyncio.wait_for(engine.answer(asked_id, ALICE, 0), HANG_GUARD)
        with pytest.raises(DatabaseUnavailableError, match="unavailable right now — try again in a minute"):
            await asyncio.wait_for(engine.ask(PLACE, ALICE), HANG_GUARD)
        await proxy.revive()
        result = await asyncio.wait_for(engine.answer(asked_id, ALICE, 0), HANG_GUARD)
        assert result.status.value == "accepted"
        board = await engine.leaderboard(PLACE, ALICE)
        assert [e.player_key for e in board.entries] == [ALICE.key]


async def test_a_batch_of_answers_during_an_outage_is_refused_whole_and_can_be_retried(
    proxy: TcpProxy, postgres_url: str
) -> None:
    settings = make_settings(through(proxy, postgres_url), **TIMEOUTS)
    players = [Player("test", f"p{i}", f"P{i}") for i in range(20)]
    async with await QuizEngine.open(settings) as engine:
        asked = await engine.ask(PLACE)
        await proxy.kill()
        results = await asyncio.wait_for(
            asyncio.gather(*(engine.answer(asked.id, p, 0) for p in players), return_exceptions=True),
            HANG_GUARD,
        )
        assert all(isinstance(r, DatabaseUnavailableError) and str(r) == ANSWER_NOT_SAVED for r in results)

        await proxy.revive()
        retried = await asyncio.wait_for(
            asyncio.gather(*(engine.answer(asked.id, p, 0) for p in players)), HANG_GUARD
        )
        assert {r.status.value for r in retried} == {"accepted"}  # nothing of the failed batch was stored
        board = await engine.leaderboard(PLACE, limit=50)
        assert len(board.entries) == len(players)


class Terminal:
    """``quizbot play`` in a subprocess, fed line by line."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.seen: list[str] = []

    async def until(self, text: str) -> list[str]:
        assert self.process.stdout is not None
        lines: list[str] = []
        async with asyncio.timeout(HANG_GUARD):
            while True:
                raw = await self.process.stdout.readline()
                assert raw, f"play ended before {text!r}; it said: {self.seen}"
                line = raw.decode().rstrip("\n")
                lines.append(line)
                self.seen.append(line)
                if text in line:
                    return lines

    async def type(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line.encode() + b"\n")
        await self.process.stdin.drain()


async def test_the_terminal_says_to_retry_and_keeps_the_question_open(
    proxy: TcpProxy, postgres_url: str, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QUIZBOT_", "SLACK_", "DISCORD_"))}
    env.update(
        QUIZBOT_DATABASE_URL=through(proxy, postgres_url),
        QUIZBOT_QUESTIONS=str(TEST_BANK),
        QUIZBOT_DB_CONNECT_TIMEOUT="1",
        QUIZBOT_DB_COMMAND_TIMEOUT="1",
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "quizbot",
        "play",
        "--topic",
        "ml",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=tmp_path,
        env=env,
    )
    terminal = Terminal(process)
    try:
        await terminal.until("Type a letter.")
        proxy.pause()
        await terminal.type("A")
        await terminal.until(ANSWER_NOT_SAVED)
        proxy.resume()
        await terminal.type("A")
        said = await terminal.until("Next: /quiz")
        assert any("Correct!" in line or "Not quite" in line for line in said)
        await terminal.type("/quit")
        await terminal.until("Bye!")
        await asyncio.wait_for(process.wait(), HANG_GUARD)
    finally:
        if process.returncode is None:
            process.kill()
    _, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    warnings = [line for line in err.decode().splitlines() if "database unavailable" in line]
    assert len(warnings) == 1 and "Traceback" not in err.decode()
