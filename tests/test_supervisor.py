"""Supervision: a failing platform restarts on its own and never takes the others down."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from pathlib import Path

import pytest

from quizbot.cli import serve
from quizbot.plugins import PluginConfigError, Runtime
from quizbot.settings import Settings
from quizbot.supervisor import Backoff, Service, Supervisor

FAST = Backoff(first=0.001, cap=0.004)


class Recorder:
    """Services for the tests: counts starts, fails on demand, notes whether it was cancelled."""

    def __init__(self) -> None:
        self.starts: dict[str, int] = {}
        self.cancelled: set[str] = set()
        self.running: dict[str, asyncio.Event] = {}

    def service(self, name: str, *, fail_times: int = 0, error: Exception | None = None) -> Service:
        self.running[name] = asyncio.Event()

        async def start() -> None:
            self.starts[name] = self.starts.get(name, 0) + 1
            if self.starts[name] <= fail_times:
                raise error or KeyError("custom_id\nsecond line")
            self.running[name].set()
            try:
                await asyncio.Event().wait()
            except asyncio.CancelledError:
                self.cancelled.add(name)
                raise

        return Service(name, start)


def test_backoff_doubles_and_is_capped() -> None:
    backoff = Backoff(first=1, cap=300)
    assert [backoff.delay(n) for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert backoff.delay(9) == 256 and backoff.delay(10) == 300 and backoff.delay(10_000) == 300


async def test_a_failing_service_restarts_while_the_others_keep_running(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="quizbot.supervisor")
    rec = Recorder()
    services = [rec.service("discord", fail_times=3), rec.service("slack"), rec.service("daily")]
    supervisor = Supervisor(services, backoff=FAST)
    stop = asyncio.Event()
    running = asyncio.create_task(supervisor.run(stop))

    await asyncio.wait_for(rec.running["discord"].wait(), 5)
    await asyncio.wait_for(rec.running["slack"].wait(), 5)
    stop.set()
    await asyncio.wait_for(running, 5)

    assert rec.starts == {"discord": 4, "slack": 1, "daily": 1}
    assert supervisor.restarts == {"discord": 3, "slack": 0, "daily": 0}
    assert rec.cancelled == {"discord", "slack", "daily"}
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 3
    assert all("\n" not in e and e.startswith("discord failed (KeyError: 'custom_id") for e in errors)
    assert all(r.exc_info is None for r in caplog.records if r.levelno == logging.ERROR)


async def test_a_configuration_error_is_not_retried_and_stops_everything() -> None:
    rec = Recorder()
    bad_token = PluginConfigError("Discord refused DISCORD_TOKEN")
    services = [rec.service("discord", fail_times=1, error=bad_token), rec.service("daily")]

    with pytest.raises(PluginConfigError, match="refused DISCORD_TOKEN"):
        await asyncio.wait_for(Supervisor(services, backoff=FAST).run(asyncio.Event()), 5)

    assert rec.starts["discord"] == 1
    assert "daily" in rec.cancelled or rec.starts.get("daily") is None


async def test_the_run_ends_when_a_service_that_ends_it_returns() -> None:
    rec = Recorder()

    async def player_quits() -> None:
        await asyncio.sleep(0)

    services = [Service("terminal", player_quits, ends_run=True), rec.service("daily")]
    await asyncio.wait_for(Supervisor(services, backoff=FAST).run(asyncio.Event()), 5)
    assert rec.cancelled == {"daily"} or rec.starts.get("daily") is None


async def test_a_service_that_returns_on_its_own_is_restarted() -> None:
    starts = 0
    again = asyncio.Event()

    async def returns_at_once() -> None:
        nonlocal starts
        starts += 1
        if starts == 3:
            again.set()

    stop = asyncio.Event()
    running = asyncio.create_task(Supervisor([Service("slack", returns_at_once)], backoff=FAST).run(stop))
    await asyncio.wait_for(again.wait(), 5)
    stop.set()
    await asyncio.wait_for(running, 5)
    assert starts >= 3


async def test_stopping_lets_work_in_progress_finish_before_services_are_cancelled() -> None:
    rec = Recorder()
    order: list[str] = []

    async def drain() -> None:
        order.append(f"drain, cancelled so far: {sorted(rec.cancelled)}")

    stop = asyncio.Event()
    running = asyncio.create_task(Supervisor([rec.service("slack")], backoff=FAST).run(stop, drain=drain))
    await asyncio.wait_for(rec.running["slack"].wait(), 5)
    stop.set()
    await asyncio.wait_for(running, 5)
    assert order == ["drain, cancelled so far: []"] and rec.cancelled == {"slack"}


class FlakyPlugin:
    """A platform whose client fails twice at start, then serves; records the answer it has in flight."""

    name = "flaky"

    def __init__(self) -> None:
        self.starts = 0
        self.serving = asyncio.Event()
        self.answer_finished = False

    def add_commands(self, commands: object) -> None:
        pass

    def enabled(self, settings: Settings) -> bool:
        return True

    async def serve(self, runtime: Runtime) -> None:
        self.starts += 1
        if self.starts <= 2:
            raise ConnectionResetError("gateway closed")
        asyncio.get_running_loop().create_task(self._answer(runtime))
        await asyncio.Event().wait()

    async def _answer(self, runtime: Runtime) -> None:
        async with runtime.in_flight.track():
            self.serving.set()
            await asyncio.sleep(0.2)  # an answer being recorded when SIGTERM arrives
            self.answer_finished = True


async def test_serve_restarts_a_failing_platform_and_stops_cleanly_on_sigterm(
    sqlite_url: str, bank_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="quizbot")
    settings = Settings(database_url=sqlite_url, questions=str(bank_dir), daily_start_delay_seconds=60)
    flaky = FlakyPlugin()
    serving = asyncio.create_task(serve(settings, [flaky], backoff=FAST))  # type: ignore[list-item]
    await asyncio.wait_for(flaky.serving.wait(), 10)

    os.kill(os.getpid(), signal.SIGTERM)

    assert await asyncio.wait_for(serving, 10) == 0
    assert flaky.starts == 3
    assert flaky.answer_finished, "the stop did not wait for the answer in progress"
    messages = [r.getMessage() for r in caplog.records]
    assert messages.count("quizbot stopped") == 1
    assert any(m.startswith("SIGTERM received") for m in messages)


async def test_run_without_a_platform_and_nobody_at_the_keyboard_is_refused(sqlite_url: str) -> None:
    from quizbot.domain import QuizError

    with pytest.raises(QuizError) as refused:
        await serve(Settings(database_url=sqlite_url), [], interactive=False)
    line = str(refused.value)
    assert "\n" not in line
    for variable in ("DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        assert variable in line
