"""Exactly-once daily posts while bot processes are killed (SIGKILL) mid-post, on SQLite and PostgreSQL.

Three processes (``tests.daily_crash_driver``: the production REST poster and daily service) post two days
of daily questions to many channels of one fake platform served by this test. The fake kills the process
that sent a request at planned points: when it logs in (before any claim), when a post arrives (claimed, not
yet on the platform), when the platform has accepted a post but not yet answered (nobody recorded it), when
a later request arrives (the earlier post is recorded), and the same for the reveals that close the first
day (the points around a post twice: ten SIGKILLs a run, twenty per database backend over the Discord
and Slack runs). A killed process is replaced at once. Afterwards every channel must hold each day's
question once and the first day's reveal once, and the database must agree with the platform.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import re
import signal
import sys
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from sqlalchemy import func, select

from quizbot.domain import Place
from quizbot.engine import QuizEngine
from quizbot.tables import asked, daily_outbox, daily_posts
from tests.conftest import POSTGRES_ENV, ROOT, TEST_BANK, _create_database, _drop_database, make_settings
from tests.fakes.discord_fake import FakeDiscord
from tests.fakes.slack_fake import DEFAULT_BOT_TOKEN, FakeSlackApi

pytestmark = pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="finds senders through /proc")

CHANNELS = 10
PROCESSES = 3
SPARES = 1
LEASE_SECONDS = 3.0
"""Short enough that takeovers happen within the test; far longer than a post to the loopback fake takes."""
DAYS = (date(2026, 11, 18), date(2026, 11, 19))
RUN_TIMEOUT = 150
"""Seconds one run may take before it fails: a hang fails the test instead of stalling CI."""


@dataclass
class KillPoint:
    """Kill the sender of the ``skip``+1-th request that matches, at ``stage`` ("received"/"answering")."""

    name: str
    stage: str
    kind: str
    """"login", "question", "reveal", or "any" (any request from a process that had a post answered)."""
    skip: int
    fired: bool = False


KILLS_PER_BACKEND = 20
"""SIGKILLs each database backend must survive: both platforms' runs together."""
POSTS_KILLED_TWICE = 2
"""How many times each kill point around a question post fires per run (reveals: once each)."""


def kill_plan(rng: random.Random) -> list[KillPoint]:
    """Every point once around the reveals and ``POSTS_KILLED_TWICE`` times around the posts (10 a run).

    A repeated point waits for the one before it to fire: requests its skips consume never count twice.
    """
    points = [
        *[("before the claim", "received", "login")] * POSTS_KILLED_TWICE,
        *[("after the claim, before the platform", "received", "question")] * POSTS_KILLED_TWICE,
        *[("after the platform accepted the post", "answering", "question")] * POSTS_KILLED_TWICE,
        *[("after the post was recorded", "received", "any")] * POSTS_KILLED_TWICE,
        ("after the close, before its reveal reached the platform", "received", "reveal"),
        ("after the platform accepted the reveal", "answering", "reveal"),
    ]
    return [KillPoint(name, stage, kind, rng.randint(0, 2)) for name, stage, kind in points]


def request_kind(platform: str, what: Any) -> str | None:
    """What a request to the fake is: a login, a question post, a reveal post, or something else."""
    if platform == "discord":
        if (what.method, what.path) == ("GET", "/users/@me"):
            return "login"
        if what.method != "POST" or not re.fullmatch(r"/channels/\d+/messages", what.path):
            return None
        body = what.json or {}
        titles = [str(e.get("title", "")) for e in body.get("embeds") or []]
        return "reveal" if any(t.startswith("Answer:") for t in titles) else "question"
    if what.method == "auth.test":
        return "login"
    if what.method != "chat.postMessage":
        return None
    return "reveal" if what.args.get("thread_ts") else "question"


def sender_pid(request: web.Request, candidates: set[int]) -> int | None:
    """The process among ``candidates`` that owns the client end of ``request``'s TCP connection."""
    peer = request.transport.get_extra_info("peername") if request.transport else None
    server = request.transport.get_extra_info("sockname") if request.transport else None
    if not peer or not server:
        return None
    inode = None
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        columns = line.split()
        local, remote = (int(a.split(":")[1], 16) for a in columns[1:3])
        if (local, remote) == (peer[1], server[1]):
            inode = columns[9]
            break
    for pid in candidates:
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}") == f"socket:[{inode}]":
                    return pid
            except OSError:
                continue
    return None


@dataclass
class CrashRun:
    """The processes of one run and the kills the fake made."""

    platform: str
    plan: list[KillPoint]
    procs: dict[int, asyncio.subprocess.Process] = field(default_factory=dict)
    killed: list[tuple[int, str]] = field(default_factory=list)
    answered: set[int] = field(default_factory=set)
    """Processes that had a post answered: any later request of theirs comes after it was recorded."""

    async def tap(self, stage: str, request: web.Request, what: Any) -> None:
        kind = request_kind(self.platform, what)
        pid: int | None = None
        for point in self.plan:
            if point.fired or point.stage != stage:
                continue
            if point.kind == "any":
                pid = pid or sender_pid(request, set(self.procs))
                if pid not in self.answered:
                    continue
            elif point.kind != kind:
                continue
            if point.skip:
                point.skip -= 1
                break
            pid = pid or sender_pid(request, set(self.procs))
            proc = self.procs.get(pid) if pid is not None else None
            if proc is None:
                break
            point.fired = True
            self.killed.append((proc.pid, point.name))
            proc.send_signal(signal.SIGKILL)
            await proc.wait()
            raise web.HTTPServiceUnavailable()  # nobody is left to read the answer
        if stage == "answering" and kind in ("question", "reveal"):
            pid = pid or sender_pid(request, set(self.procs))
            if pid is not None:
                self.answered.add(pid)


async def drive(run: CrashRun, command: list[str]) -> None:
    """Keep ``PROCESSES`` drivers running until each has finished both days; replace every killed one.

    Spares are started ahead (they wait on standard input once imported), so a replacement starts posting
    as soon as a process is killed.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QUIZBOT_", "SLACK_", "DISCORD_"))}
    waits: dict[asyncio.Task[tuple[bytes, bytes]], asyncio.subprocess.Process] = {}
    spares: list[asyncio.subprocess.Process] = []

    async def spare() -> None:
        proc = await asyncio.create_subprocess_exec(
            *command,
            cwd=ROOT,
            env=env,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        spares.append(proc)

    async def start() -> None:
        proc = spares.pop(0)
        run.procs[proc.pid] = proc
        waits[asyncio.create_task(proc.communicate(b"go\n"))] = proc
        await spare()

    for _ in range(SPARES + PROCESSES):
        await spare()
    for _ in range(PROCESSES):
        await start()
    try:
        while waits:
            done, _ = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                proc = waits.pop(task)
                run.procs.pop(proc.pid, None)
                out, err = task.result()
                if proc.returncode == -signal.SIGKILL and any(pid == proc.pid for pid, _ in run.killed):
                    await start()
                else:
                    assert proc.returncode == 0 and b"done" in out, err.decode()[-3000:]
    finally:
        for proc in spares:  # end of input: an unused spare exits
            await proc.communicate(b"")
        for task, proc in waits.items():  # only after a failure: stop the drivers still running
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            await asyncio.gather(task, return_exceptions=True)


async def schedule(db_url: str, places: list[Place]) -> None:
    async with await QuizEngine.open(make_settings(db_url)) as engine:
        for place in places:
            await engine.set_schedule(place, "09:00", "UTC")


async def stored(db_url: str) -> dict[str, Any]:
    """What the database says happened: slots, outbox entries and daily questions."""
    async with await QuizEngine.open(make_settings(db_url)) as engine, engine.store.unit() as unit:
        slots = (await unit.conn.execute(select(daily_posts))).all()
        outbox = (await unit.conn.execute(select(daily_outbox))).all()
        questions = await unit.conn.scalar(select(func.count()).where(asked.c.kind == "daily"))
    return {"slots": slots, "outbox": outbox, "daily_questions": questions}


def driver_command(platform: str, api: str, token: str, db_url: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "tests.daily_crash_driver",
        f"--platform={platform}",
        f"--api={api}",
        f"--token={token}",
        f"--db={db_url}",
        f"--bank={TEST_BANK}",
        f"--epoch={time.time()}",
        f"--lease={LEASE_SECONDS}",
        f"--channels={CHANNELS}",
        "--days",
        *(d.isoformat() for d in DAYS),
    ]


def assert_database_agrees(db: dict[str, Any], question_refs: Callable[[str], list[str]]) -> None:
    """Every slot posted and its first day closed, each once, with the refs of what the platform holds."""
    slots = db["slots"]
    assert len(slots) == CHANNELS * len(DAYS)
    assert all(s.posted_at is not None and s.message_ref for s in slots)
    assert all(s.closed_at is not None for s in slots if s.local_date == DAYS[0].isoformat())
    for channel in {s.channel for s in slots}:
        refs = sorted(s.message_ref for s in slots if s.channel == channel)
        assert refs == sorted(question_refs(channel)), f"channel {channel}: database and platform disagree"
    assert len(db["outbox"]) == CHANNELS * (2 * len(DAYS) - 1)
    assert all(o.sent_at is not None for o in db["outbox"])
    assert db["daily_questions"] == CHANNELS * len(DAYS)  # no question recorded that never went out


async def run_discord(db_url: str, seed: int) -> CrashRun:
    async with FakeDiscord() as fake:
        channels = [fake.add_channel() for _ in range(CHANNELS)]
        await schedule(db_url, [Place("discord", str(fake.guild_id), str(c)) for c in channels])
        run = CrashRun("discord", kill_plan(random.Random(seed)))
        fake.tap = run.tap
        await drive(run, driver_command("discord", fake.api_base, fake.token, db_url))

        def is_reveal(message: dict[str, Any]) -> bool:
            return any(str(e.get("title", "")).startswith("Answer:") for e in message["embeds"])

        questions: dict[str, list[str]] = {}
        for channel in channels:
            messages = fake.channel_messages(channel)
            questions[str(channel)] = [m["id"] for m in messages if not is_reveal(m)]
            reveals = [m for m in messages if is_reveal(m)]
            assert len(questions[str(channel)]) == len(DAYS), f"channel {channel}: questions posted twice"
            assert len(reveals) == 1, f"channel {channel}: {len(reveals)} reveals of the first day"
            assert reveals[0]["message_reference"]["message_id"] == min(questions[str(channel)], key=int)
    assert_database_agrees(await stored(db_url), questions.__getitem__)
    return run


async def run_slack(db_url: str, seed: int) -> CrashRun:
    async with FakeSlackApi() as fake:
        channels = [f"C{i:05d}" for i in range(CHANNELS)]
        await schedule(db_url, [Place("slack", fake.team_id, c) for c in channels])
        run = CrashRun("slack", kill_plan(random.Random(seed)))
        fake.tap = run.tap
        await drive(run, driver_command("slack", fake.api_url, DEFAULT_BOT_TOKEN, db_url))
        questions: dict[str, list[str]] = {}
        for channel in channels:
            posts = fake.channel_posts(channel)
            questions[channel] = [p["ts"] for p in posts if "thread_ts" not in p]
            reveals = [p for p in posts if "thread_ts" in p]
            assert len(questions[channel]) == len(DAYS), f"channel {channel}: questions posted twice"
            assert len(reveals) == 1, f"channel {channel}: {len(reveals)} reveals of the first day"
            assert reveals[0]["thread_ts"] == questions[channel][0]
    assert_database_agrees(await stored(db_url), questions.__getitem__)
    return run


@pytest.fixture
async def second_db_url(db_url: str, tmp_path: Path) -> AsyncIterator[str]:
    """Another empty database on ``db_url``'s backend: each platform's run checks a database of its own."""
    if db_url.startswith("sqlite"):
        yield f"sqlite+aiosqlite:///{(tmp_path / 'second.db').as_posix()}"
        return
    admin = os.environ[POSTGRES_ENV]
    url = await _create_database(admin)
    try:
        yield url
    finally:
        await _drop_database(admin, url)


async def test_every_slot_and_every_close_goes_out_exactly_once_while_posters_are_killed(
    db_url: str, second_db_url: str
) -> None:
    """Both platforms on one backend: every planned SIGKILL happens, at least ``KILLS_PER_BACKEND``."""
    kills: list[tuple[str, int, str]] = []
    runs = (("discord", run_discord, db_url), ("slack", run_slack, second_db_url))
    for seed, (platform, runner, url) in enumerate(runs):
        async with asyncio.timeout(RUN_TIMEOUT):
            run = await runner(url, seed=seed)
        missed = [p.name for p in run.plan if not p.fired]
        assert not missed, f"{platform}: kill points never reached: {missed}"
        assert len(run.killed) == len(run.plan)
        kills.extend((platform, pid, name) for pid, name in run.killed)
    assert len(kills) >= KILLS_PER_BACKEND, kills
