"""How chat adapters plug into quizbot without the engine knowing them.

Adapters announce themselves as package entry points in the ``quizbot.adapters`` group (see
``pyproject.toml``). The CLI is the composition root: it loads every plugin, lets each add its own
subcommands, and in ``quizbot run`` serves every plugin whose credentials are configured, all in one
event loop. The engine and the scheduler only ever see the small protocols below.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from quizbot.charts import Picture
from quizbot.domain import AskedQuestion, CloseSummary, Leaderboard, OutboxMessage, QuizError, Reminder

if TYPE_CHECKING:
    from quizbot.engine import QuizEngine
    from quizbot.settings import Settings

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "quizbot.adapters"


class PluginConfigError(QuizError):
    """A platform is misconfigured (missing or refused credentials); the message names the setting.

    ``quizbot run`` prints it as one line and exits instead of showing a traceback.
    """


CommandHandler = Callable[[argparse.Namespace, "Settings"], int]
"""A CLI subcommand's handler: gets the parsed arguments and the settings, returns the exit code."""


@runtime_checkable
class ChannelPoster(Protocol):
    """What the daily scheduler needs from a platform: post, update and close a public question.

    ``message_ref`` is whatever the platform needs to find the post again (Discord message id, Slack ``ts``);
    the scheduler stores it and hands it back, so an adapter keeps no state between calls.

    Daily posts go through an outbox (see ``docs/outbox.md``): each carries a ``key`` of at most 25
    characters that the platform keeps with the message (Discord's ``nonce`` with ``enforce_nonce``, Slack's
    message ``metadata``), and :meth:`find_sent` looks for a message by that key before the scheduler sends it
    again after a crash, so that a process that died right after the platform accepted a post does not
    cause a second one.
    """

    platform: str

    async def post_question(self, asked: AskedQuestion, *, key: str | None = None) -> str:
        """Post ``asked`` publicly in its channel with one button per choice; return the message ref."""
        ...

    async def update_answer_count(self, asked: AskedQuestion, message_ref: str, answered: int) -> None:
        """Show how many have answered so far on the public post."""
        ...

    async def post_close(
        self,
        summary: CloseSummary,
        board: Leaderboard,
        message_ref: str,
        *,
        key: str | None = None,
        picture: Picture | None = None,
    ) -> str | None:
        """Reveal the answer, the share who got it right, the first correct answerers and the weekly top.

        When a week is over (``board.final``) the scheduler also hands a ``picture`` of its final top 10 to
        attach; it passes the keyword only then, so a poster written before pictures keeps working.
        Returns the reveal's own message ref where the platform has one.
        """
        ...

    async def find_sent(self, message: OutboxMessage) -> str | None:
        """The ref of ``message`` if it already went out (searched from ``message.since``), else None."""
        ...


@runtime_checkable
class PrivateMessenger(Protocol):
    """What the weekly review reminder needs from a platform: one private message to one player.

    The engine decides who is reminded and claims each reminder (:meth:`QuizEngine.claim_reminders`);
    the messenger only says it, in the platform's words and command names.
    """

    platform: str

    async def send_reminder(self, reminder: Reminder) -> None:
        """Send ``reminder`` as a direct message to ``reminder.player_id``."""
        ...


@runtime_checkable
class PacedPoster(Protocol):
    """A :class:`ChannelPoster` whose platform limits how often one channel takes a message (Slack: about
    one per second per channel), and which paces its posts to stay inside that limit.

    The daily fan-out closes yesterday's question and posts today's in the same channel, so the second
    message waits for the channel's turn. :meth:`wait_for_turn` lets it wait *before* it takes one of its
    fan-out places, instead of holding a place idle while the poster waits inside ``post_question``.
    """

    async def wait_for_turn(self, channel: str) -> None:
        """Return once ``channel`` may take another message (the post itself still takes its turn)."""
        ...


class InFlight:
    """Counts the work a clean stop waits for: answers being recorded and replied to.

    On SIGTERM or Ctrl-C, ``quizbot run`` waits (up to a deadline) until nothing is in flight before it
    closes the connections, so a player who clicked just before the stop still gets an answer.
    """

    def __init__(self) -> None:
        self._count = 0
        self._idle = asyncio.Event()
        self._idle.set()

    def __len__(self) -> int:
        return self._count

    @asynccontextmanager
    async def track(self) -> AsyncIterator[None]:
        """Count the enclosed work as in flight."""
        self._count += 1
        self._idle.clear()
        try:
            yield
        finally:
            self._count -= 1
            if not self._count:
                self._idle.set()

    async def wait_idle(self, seconds: float) -> bool:
        """Wait until nothing is in flight or ``seconds`` passed; True when idle."""
        try:
            async with asyncio.timeout(seconds):
                await self._idle.wait()
        except TimeoutError:
            return False
        return True


@dataclass
class Runtime:
    """Everything a running adapter may use, built once by the composition root."""

    settings: Settings
    engine: QuizEngine
    posters: dict[str, ChannelPoster] = field(default_factory=dict)
    messengers: dict[str, PrivateMessenger] = field(default_factory=dict)
    on_schedules_changed: list[Callable[[], None]] = field(default_factory=list)
    in_flight: InFlight = field(default_factory=InFlight)
    """Adapters wrap each answer (engine call and reply) in ``in_flight.track()``; see :class:`InFlight`."""

    def register_poster(self, poster: ChannelPoster) -> None:
        """Let the daily scheduler post to ``poster.platform`` channels."""
        self.posters[poster.platform] = poster

    def register_messenger(self, messenger: PrivateMessenger) -> None:
        """Let the scheduler send ``messenger.platform`` players their weekly review reminders."""
        self.messengers[messenger.platform] = messenger

    def schedules_changed(self) -> None:
        """Adapters call this after an admin command changed a schedule, so the jobs are rebuilt."""
        for callback in list(self.on_schedules_changed):
            callback()


class AdapterPlugin(Protocol):
    """One chat platform. Implementations live in ``adapters/`` and are found through entry points."""

    name: str

    def add_commands(self, commands: argparse._SubParsersAction) -> None:
        """Add platform-specific CLI subcommands (``set_defaults(handler=...)``); may add none."""
        ...

    def enabled(self, settings: Settings) -> bool:
        """True when ``quizbot run`` should serve this platform (its credentials are configured)."""
        ...

    async def serve(self, runtime: Runtime) -> None:
        """Run until cancelled. Register a :class:`ChannelPoster` first if the platform has daily posts."""
        ...

    def poster_session(self, runtime: Runtime) -> AbstractAsyncContextManager[ChannelPoster]:
        """A poster that works without serving (REST only), for ``quizbot post-daily`` run from cron."""
        ...


def load_plugins() -> list[AdapterPlugin]:
    """Every installed adapter plugin, in a stable order; a broken plugin is logged, not fatal."""
    plugins: list[AdapterPlugin] = []
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        try:
            plugins.append(ep.load())
        except Exception as exc:  # a missing optional dependency must not stop the other platforms
            log.error("adapter %s could not be loaded: %s", ep.name, exc)
    return plugins
