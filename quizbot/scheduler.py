"""The long-running daily scheduler: one APScheduler ``AsyncIOScheduler`` in the bot's event loop.

Jobs live in memory and are rebuilt from the database at start and whenever a schedule changes; the
database, not APScheduler, is the source of truth (a shared APScheduler job store runs each job once per
process). Every trigger carries its channel's time zone explicitly. A sweep every minute catches what a
cron job cannot: slots missed while the bot was down (posted late inside the cut-off, otherwise skipped),
posts that failed, and schedules changed by another process.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from quizbot.daily import DailyService, latest_slot
from quizbot.domain import Schedule
from quizbot.engine import QuizEngine
from quizbot.plugins import PrivateMessenger, Runtime

log = logging.getLogger(__name__)

SWEEP_SECONDS = 60
REMINDER_CHECK_SECONDS = 3600
"""How often opted-in players are checked for a weekly review reminder (each gets one a week at most)."""
JOB_PREFIX = "daily:"
_DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def cron_trigger(schedule: Schedule) -> CronTrigger:
    """The trigger for one schedule, always with its own time zone (never the host's)."""
    hour, minute = schedule.time.split(":")
    days = ",".join(_DAY_NAMES[d] for d in schedule.weekdays) if schedule.weekdays else "*"
    return CronTrigger(
        hour=int(hour), minute=int(minute), day_of_week=days, timezone=ZoneInfo(schedule.timezone)
    )


async def send_reminders(engine: QuizEngine, messengers: dict[str, PrivateMessenger]) -> int:
    """Send every weekly review reminder that is due now; returns how many went out.

    The engine claims each reminder before it is sent (so two processes never both send it); a send that
    fails is logged and that player's reminder waits for next week: a missed nudge costs less than a
    duplicate. One player's failure never stops the others'.
    """
    sent = 0
    for platform, messenger in list(messengers.items()):
        for reminder in await engine.claim_reminders(platform):
            try:
                await messenger.send_reminder(reminder)
            except Exception as exc:  # a player who blocks DMs, a deleted account, the platform away
                log.warning("review reminder to %s:%s not sent: %s", platform, reminder.player_id, exc)
            else:
                sent += 1
    return sent


class DailyScheduler:
    """Keeps one cron job per schedule, plus the sweep, on an ``AsyncIOScheduler``."""

    def __init__(self, service: DailyService, messengers: dict[str, PrivateMessenger] | None = None) -> None:
        self.service = service
        self.messengers = messengers if messengers is not None else {}
        self.scheduler = AsyncIOScheduler(timezone=UTC)
        self._signature: tuple[Schedule, ...] = ()
        self._fanning: asyncio.Task[None] | None = None
        self._again = False

    async def start(self) -> None:
        """Start inside the running loop: rebuild jobs, catch up on missed slots, then keep sweeping."""
        self.scheduler.start()
        await self.rebuild()
        self.scheduler.add_job(
            self.sweep,
            IntervalTrigger(seconds=SWEEP_SECONDS, timezone=UTC),
            id="sweep",
            coalesce=True,
            max_instances=1,
        )
        self.scheduler.add_job(
            self.remind,
            IntervalTrigger(seconds=REMINDER_CHECK_SECONDS, timezone=UTC),
            id="reminders",
            coalesce=True,
            max_instances=1,
        )
        for slot, outcome in await self.service.post_due(report_late=True):
            log.info("daily catch-up %s: %s", slot.key, outcome.value)

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    async def rebuild(self) -> None:
        """Replace the cron jobs with one per schedule in the database."""
        schedules = tuple(await self.service.engine.list_schedules())
        if schedules == self._signature:
            return
        for job in self.scheduler.get_jobs():
            if job.id.startswith(JOB_PREFIX):
                job.remove()
        grace = int(self.service.cutoff.total_seconds())
        for schedule in schedules:
            place = schedule.place
            self.scheduler.add_job(
                self.post_latest,
                cron_trigger(schedule),
                args=[schedule],
                id=f"{JOB_PREFIX}{place.platform}:{place.server}:{place.channel}",
                misfire_grace_time=grace,
                coalesce=True,
                max_instances=1,
            )
        self._signature = schedules
        log.info("daily jobs rebuilt: %d schedule(s)", len(schedules))

    async def post_latest(self, schedule: Schedule) -> None:
        """A schedule's time came: post every slot due now in one fan-out (:meth:`DailyService.post_due`).

        Many servers pick the same time (09:00), so hundreds of these jobs fire in the same second. Posting
        each job's slot on its own sent every channel's request at once, past the fan-out limit and the
        batched claims the fan-out has. Instead the first job starts a fan-out, which posts every slot due
        by then (this job's and the others'); jobs that fire while it runs ask for one more fan-out after
        it, for a slot that fell due meanwhile, and every job returns when its slot has been dealt with.
        """
        if latest_slot(schedule, self.service.clock()) is None:
            return
        await self._post_due_together()

    async def _post_due_together(self) -> None:
        """One :meth:`DailyService.post_due` for every caller that asks meanwhile (the jobs and the sweep):
        start one if none runs, else ask the running one for another pass; return when it has finished."""
        if self._fanning is not None and not self._fanning.done():
            self._again = True
        else:
            self._fanning = asyncio.get_running_loop().create_task(self._fan_out())
        await asyncio.shield(self._fanning)

    async def stop_fan_out(self) -> None:
        """Cancel a fan-out still running when the process stops; what it had claimed but not sent is
        released, or taken over by the next process after its lease (see :mod:`quizbot.daily`)."""
        if self._fanning is not None and not self._fanning.done():
            self._fanning.cancel()
            await asyncio.gather(self._fanning, return_exceptions=True)

    async def _fan_out(self) -> None:
        while True:
            self._again = False
            for slot, outcome in await self.service.post_due():
                log.info("daily slot %s: %s", slot.key, outcome.value)
            if not self._again:
                return

    async def remind(self) -> None:
        """The hourly check for weekly review reminders (see :func:`send_reminders`)."""
        try:
            sent = await send_reminders(self.service.engine, self.messengers)
            if sent:
                log.info("review reminders sent: %d", sent)
        except Exception:
            log.exception("review reminders failed; retrying at the next check")

    async def sweep(self) -> None:
        try:
            await self.rebuild()
            await self._post_due_together()  # at a busy minute, the jobs' fan-out is this sweep's too
        except Exception:
            log.exception("daily sweep failed; retrying at the next sweep")


async def serve_daily(runtime: Runtime) -> None:
    """Run the daily scheduler until cancelled (started by ``quizbot run``).

    Every task it starts (job rebuilds after an admin command, answer-count edits) is finished or cancelled
    before it returns, so the caller can close the database right after.
    """
    service = DailyService(
        runtime.engine, runtime.posters, cutoff=timedelta(minutes=runtime.settings.daily_cutoff_minutes)
    )
    runtime.engine.daily_answer_listeners.append(service.answer_recorded)
    scheduler = DailyScheduler(service, runtime.messengers)
    rebuilds: set[asyncio.Task[None]] = set()

    def schedules_changed() -> None:
        task = asyncio.get_running_loop().create_task(scheduler.rebuild())
        rebuilds.add(task)
        task.add_done_callback(rebuilds.discard)

    runtime.on_schedules_changed.append(schedules_changed)
    try:
        await asyncio.sleep(runtime.settings.daily_start_delay_seconds)  # let adapters connect first
        await scheduler.start()
        await asyncio.Event().wait()
    finally:
        runtime.on_schedules_changed.remove(schedules_changed)
        runtime.engine.daily_answer_listeners.remove(service.answer_recorded)
        scheduler.shutdown()
        await scheduler.stop_fan_out()
        for task in list(rebuilds):
            task.cancel()
        await asyncio.gather(*rebuilds, return_exceptions=True)
        await service.cancel_counts()
