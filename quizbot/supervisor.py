"""Keeps every platform and the daily scheduler running, each on its own, until the bot is told to stop.

``quizbot run`` serves Discord, Slack and the daily scheduler in one event loop. Without supervision, one
exception escaping one client (a payload its library cannot parse, a dropped connection it gives up on)
ends the whole process and takes the other platforms down with it. Here every platform is a *service*:

* an exception that escapes a service is logged as one line and the service restarts after a pause that
  doubles with each consecutive failure (``Backoff``: 1 s, 2 s, 4 s ... capped at 5 minutes), so a platform
  that is down is retried without hammering it; a service that ran for a while before failing starts again
  from the shortest pause;
* the other services never notice;
* a :class:`~quizbot.plugins.PluginConfigError` (a refused token, a missing variable) is not retried: no
  restart can fix it, so it stops the bot with its one-line message;
* a service marked ``ends_run`` (the terminal channel: the player typed ``/quit``) stops the bot when it ends.

The full traceback of a failure is logged at DEBUG level for whoever investigates it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from quizbot.plugins import PluginConfigError

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Backoff:
    """How long to wait before restarting a failed service."""

    first: float = 1.0
    """Seconds before the first restart."""
    cap: float = 300.0
    """The longest pause between two restarts."""
    healthy_after: float = 60.0
    """A service that ran this long before failing counts as having recovered: its next pause is ``first``."""

    def delay(self, failures: int) -> float:
        """The pause after ``failures`` consecutive failures (1 for the first)."""
        return min(self.cap, self.first * 2 ** max(0, min(failures - 1, 30)))


DEFAULT_BACKOFF = Backoff()


@dataclass(frozen=True, slots=True)
class Service:
    """Something the bot keeps running: one platform's client, or the daily scheduler."""

    name: str
    start: Callable[[], Awaitable[None]]
    """Runs the service until it is cancelled; each call is a fresh start (a new client, a new connection)."""
    ends_run: bool = False
    """When this service returns normally, the whole bot stops (the terminal channel's player left)."""


def one_line(exc: BaseException) -> str:
    """``TypeName: message`` on one line, whatever the message holds (log readers grep lines)."""
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class Supervisor:
    """Runs ``services`` side by side, restarting each one that fails; see the module docstring."""

    def __init__(
        self,
        services: Sequence[Service],
        *,
        backoff: Backoff = DEFAULT_BACKOFF,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.services = list(services)
        self.backoff = backoff
        self.clock = clock
        self.restarts: dict[str, int] = {s.name: 0 for s in self.services}
        """How often each service was restarted, for tests and for the operator's curiosity."""

    async def run(self, stop: asyncio.Event, *, drain: Callable[[], Awaitable[None]] | None = None) -> None:
        """Run until ``stop`` is set or a service marked ``ends_run`` returns.

        ``drain`` runs after that and before any service is cancelled, while every connection is still open
        (``quizbot run`` lets answers in progress finish and reply). A configuration error raised by a service
        is re-raised here, after every other service was stopped.
        """
        tasks = [asyncio.create_task(self._keep(s), name=f"service:{s.name}") for s in self.services]
        stopping = asyncio.create_task(stop.wait(), name="stop")
        try:
            done, _ = await asyncio.wait([*tasks, stopping], return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                if task is not stopping and task.exception() is not None:
                    raise task.exception()  # type: ignore[misc]
            if drain is not None:
                await drain()
        finally:
            stopping.cancel()
            for task in tasks:
                task.cancel()
            await asyncio.gather(stopping, *tasks, return_exceptions=True)

    async def _keep(self, service: Service) -> None:
        """Start ``service`` again and again after failures; return only when an ``ends_run`` one ends."""
        failures = 0
        while True:
            started = self.clock()
            try:
                await service.start()
            except PluginConfigError:
                raise
            except Exception as exc:  # whatever escaped the client: log it, keep everything else running
                reason = one_line(exc)
                log.debug("%s failed", service.name, exc_info=exc)
            else:
                if service.ends_run:
                    return
                reason = "it stopped on its own"
            if self.clock() - started >= self.backoff.healthy_after:
                failures = 0
            failures += 1
            delay = self.backoff.delay(failures)
            log.error("%s failed (%s); restarting it in %.3g s", service.name, reason, delay)
            await asyncio.sleep(delay)
            self.restarts[service.name] += 1
