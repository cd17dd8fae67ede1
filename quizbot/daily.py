"""The daily question: when a channel's slot is due, posting it exactly once, and closing yesterday's.

A *slot* is one channel's question for one local date. Posting a slot first *claims* it with an insert that
only one writer can win (the primary key of ``daily_posts``), so a restart, a retry, a cron job and a
second bot process can all try the same slot and exactly one of them asks a question for it. Posting a slot
first closes the channel's previous daily question: its post gets the answer, the share who got it right,
the first correct answerers and the week's top 5.

Both messages go through an outbox (``daily_outbox``; see ``docs/outbox.md``): each is recorded under a
deterministic key before it is sent and marked sent after, and the key travels with the message. A process
that dies mid-send leaves a lease that runs out; whoever takes it over first asks the platform whether the
message went out (by its key) and only sends it if not. A question is *closing* from the moment answers
stop until its reveal went out, and only then closed.

Time is injected (``clock``) so that tests walk across DST changes and Mondays without sleeping.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import hashlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from quizbot import charts
from quizbot.charts import Picture
from quizbot.domain import (
    AskedQuestion,
    AskKind,
    CloseSummary,
    Leaderboard,
    OutboxKind,
    OutboxMessage,
    Period,
    Place,
    QuizError,
    Schedule,
)
from quizbot.engine import Clock, QuizEngine, system_clock
from quizbot.plugins import ChannelPoster, PacedPoster
from quizbot.store import OutboxEntry, Unit

log = logging.getLogger(__name__)

COUNT_UPDATE_INTERVAL = 5.0
"""Seconds between edits of a post's answer count. One edit per 5 s per message stays far inside Discord's
per-channel bucket (5 edits / 5 s) and Slack's chat.update tier (~50/min), however fast people answer."""

CLOSE_BOARD_SIZE = 5

CLAIM_LEASE = timedelta(minutes=10)
"""A message that was never marked sent (its process died mid-send) may be taken over after this long.
Sending takes seconds, so a live sender is never overtaken; a dead one costs at most ten minutes."""

KEY_LENGTH = 25
"""Outbox keys are 25 characters: Discord's limit for a message ``nonce``."""
_KIND_LETTER = {OutboxKind.QUESTION: "q", OutboxKind.CLOSE: "c"}


def outbox_key(kind: OutboxKind, place: Place, local_date: date) -> str:
    """The deterministic key of a daily message: its kind, the slot's local date and the channel.

    A letter, ``YYYYMMDD`` and 16 hex digits (64 bits) of a hash of the channel: 25 characters. Every
    process computes the same key for the same message, so it identifies the message on the platform.
    """
    channel = "\x1f".join((place.platform, place.server, place.channel)).encode()
    return f"{_KIND_LETTER[kind]}{local_date:%Y%m%d}{hashlib.sha256(channel).hexdigest()[:16]}"


FANOUT = 50
"""Requests in flight at once when many slots are due together (the platforms' clients pace the requests).
A place is taken for each send, not for a whole channel: waiting for a channel's turn holds none."""

PREPARED_AHEAD = 1_000
"""Channels claimed and not yet posted at most during a fan-out. Claims are made ahead in shared
transactions; this bound keeps the last of them well inside the claim lease (at Discord's 50 requests per
second, three per channel, 1,000 channels take about a minute against a ten-minute lease)."""


def slot_time(schedule: Schedule, local_date: date) -> datetime:
    """When ``schedule`` is due on ``local_date``, in UTC.

    A local time that does not exist that day (inside a spring-forward gap) is posted at the same
    wall-clock offset, i.e. an hour "late" by the new clock; an ambiguous one uses its first occurrence.
    """
    hour, minute = (int(part) for part in schedule.time.split(":"))
    local = datetime.combine(local_date, time(hour, minute), tzinfo=ZoneInfo(schedule.timezone))
    return local.astimezone(UTC)


def runs_on(schedule: Schedule, local_date: date) -> bool:
    return not schedule.weekdays or local_date.weekday() in schedule.weekdays


@dataclass(frozen=True, slots=True)
class _Close:
    """A reveal ready to send: the closed question, its leased outbox entry and its board."""

    row: Any
    key: str
    entry: OutboxEntry
    summary: CloseSummary
    board: Leaderboard


@dataclass(frozen=True, slots=True)
class Slot:
    """One channel's daily question on one local date."""

    schedule: Schedule
    local_date: date

    @property
    def due_at(self) -> datetime:
        return slot_time(self.schedule, self.local_date)

    @property
    def key(self) -> tuple[str, str, str, str]:
        place = self.schedule.place
        return (place.platform, place.server, place.channel, self.local_date.isoformat())


def latest_slot(schedule: Schedule, now: datetime) -> Slot | None:
    """The most recent slot due at or before ``now`` (within the last week), if any."""
    today = now.astimezone(ZoneInfo(schedule.timezone)).date()
    for back in range(8):
        day = today - timedelta(days=back)
        if runs_on(schedule, day) and slot_time(schedule, day) <= now:
            return Slot(schedule, day)
    return None


def next_slot(schedule: Schedule, after: datetime) -> Slot:
    """The first slot due strictly after ``after``."""
    today = after.astimezone(ZoneInfo(schedule.timezone)).date()
    for ahead in range(9):
        day = today + timedelta(days=ahead)
        if runs_on(schedule, day) and slot_time(schedule, day) > after:
            return Slot(schedule, day)
    raise ValueError(f"schedule {schedule} never runs")  # unreachable: weekdays are never all excluded


class Outcome(enum.StrEnum):
    POSTED = "posted"
    TAKEN = "taken"
    """Another process (or an earlier run) claimed the slot; nothing was done."""
    TOO_LATE = "too_late"
    """The slot is further in the past than the cut-off: skipped and logged."""
    NO_POSTER = "no_poster"
    """The platform is not connected in this process."""
    FAILED = "failed"
    """Posting raised; the lease was released so a retry inside the cut-off can post it."""


class DailyService:
    """Posts and closes daily questions through the platforms' :class:`ChannelPoster` objects."""

    def __init__(
        self,
        engine: QuizEngine,
        posters: Mapping[str, ChannelPoster],
        *,
        cutoff: timedelta,
        clock: Clock | None = None,
        count_interval: float = COUNT_UPDATE_INTERVAL,
        fanout: int = FANOUT,
        lease: timedelta = CLAIM_LEASE,
    ) -> None:
        self.engine = engine
        self.posters = posters
        self.cutoff = cutoff
        self.clock = clock or engine.clock or system_clock
        self.count_interval = count_interval
        self.fanout = fanout
        self.lease = lease
        self._pending_counts: dict[int, asyncio.Task[None]] = {}
        self._flush = asyncio.Event()

    # -- posting ----------------------------------------------------------------------------------------

    async def post_slot(self, slot: Slot, *, on_demand: bool = False) -> Outcome:
        """Claim and post one slot, closing the channel's previous daily question first.

        ``on_demand`` (someone asked for today's question) ignores the cut-off meant for catching up.
        """
        return await self._post_slot(slot, on_demand=on_demand)

    async def _post_slot(
        self,
        slot: Slot,
        *,
        on_demand: bool = False,
        gate: asyncio.Semaphore | None = None,
        open_rows: Sequence[Any] | None = None,
    ) -> Outcome:
        """:meth:`post_slot`; in a fan-out, every send takes a place of ``gate`` and the channel's open
        posts were read beforehand with everyone else's (``open_rows``)."""
        place = slot.schedule.place
        poster = self.posters.get(place.platform)
        if poster is None:
            return Outcome.NO_POSTER
        now = self.clock()
        if not on_demand and now - slot.due_at > self.cutoff:
            log.warning("daily slot %s skipped: due %s, more than %s ago", slot.key, slot.due_at, self.cutoff)
            return Outcome.TOO_LATE
        try:
            claim = await self.claim(slot)
        except Exception:
            log.exception("daily slot %s could not be claimed; retrying at the next sweep", slot.key)
            return Outcome.FAILED
        if claim is None:
            return Outcome.TAKEN
        asked, entry = claim
        try:
            await self._deliver_closes(place, slot.local_date, poster, gate, open_rows)
            await self._send_question(poster, asked, entry, gate)
        except asyncio.CancelledError:  # shutting down mid-post: give the lease back, then stop
            await asyncio.shield(self._release(entry.key))
            raise
        except Exception:
            log.exception("daily slot %s could not be posted; releasing it for a retry", slot.key)
            await self._release(entry.key)
            return Outcome.FAILED
        log.info("daily slot %s posted as question %s", slot.key, asked.id)
        return Outcome.POSTED

    async def claim(self, slot: Slot) -> tuple[AskedQuestion, OutboxEntry] | None:
        """Take the slot's question for sending: the asked question and its leased outbox entry, or None.

        The first claim of a slot asks the question and records its outbox entry in one transaction. Later
        claims only take over an entry nobody holds (a failed send) or whose lease ran out (a dead sender).
        Claims made together (a fan-out) share transactions (:meth:`Store.batched`), each in its own
        savepoint, so one channel's failure never undoes another's claim.
        """
        return await self.engine.store.batched(lambda unit: self._claim_within(unit, slot))

    async def _claim_within(self, unit: Unit, slot: Slot) -> tuple[AskedQuestion, OutboxEntry] | None:
        place = slot.schedule.place
        key = outbox_key(OutboxKind.QUESTION, place, slot.local_date)
        now = self.clock()
        seq = await unit.claim_slot(*slot.key, now)
        if seq is not None:
            asked = await self.engine.ask_within(
                unit,
                place,
                kind=AskKind.DAILY,
                daily_seq=seq,
                reveal_at_close=slot.schedule.reveal_at_close,
            )
            await unit.set_slot_asked(slot.key, asked.id)
            entry = OutboxEntry(
                key, OutboxKind.QUESTION.value, *slot.key, asked.id, now, claimed_at=now, attempts=1
            )
            await unit.add_outbox(entry)
            return asked, entry
        taken = await unit.lease_outbox(key, now, now - self.lease)
        if taken is None:
            return None
        asked_again = await self.engine.get_asked_within(unit, taken.asked_id)
        if asked_again is None:  # cannot happen: the entry's foreign key keeps the asked row
            raise QuizError(f"daily slot {slot.key} lost its question")
        return asked_again, taken

    async def _send_question(
        self,
        poster: ChannelPoster,
        asked: AskedQuestion,
        entry: OutboxEntry,
        gate: asyncio.Semaphore | None = None,
    ) -> None:
        """Post the question unless an earlier attempt already did, then mark it sent.

        A poster that paces its channels (Slack's one message per second per channel: the reveal just
        went to this channel) is waited for *before* the fan-out place is taken, so other channels use the
        place meanwhile.
        """
        if isinstance(poster, PacedPoster):
            await poster.wait_for_turn(asked.place.channel)
        async with gate or contextlib.nullcontext():
            message = OutboxMessage(entry.key, OutboxKind.QUESTION, asked, entry.created_at)
            ref = await poster.find_sent(message) if entry.attempts > 1 else None
            if ref is None:
                ref = await poster.post_question(asked, key=entry.key)
            else:
                log.info("daily question %s was already posted (%s); not posting it again", asked.id, ref)
            await self._mark_sent(entry.key, ref)

    async def _mark_sent(self, key: str, ref: str | None) -> None:
        """Record that a message went out; sends finishing together share one commit."""
        await self.engine.store.batched(lambda unit: unit.outbox_sent(key, ref, self.clock()))

    async def _release(self, key: str) -> None:
        """Give a leased, unsent message back. If even that fails, the lease runs out instead."""
        try:
            async with self.engine.store.unit() as unit:
                await unit.release_outbox(key)
        except Exception:
            log.exception("could not release daily message %s; it is retried when its lease expires", key)

    async def post_due(self, *, report_late: bool = False) -> list[tuple[Slot, Outcome]]:
        """Post every schedule's latest slot that is due, unposted and inside the cut-off.

        Used at start-up (catching up after downtime), by the periodic sweep, and by ``quizbot post-daily``.
        The state of every channel is read at once; claims, closes and marks of many channels share
        transactions (:meth:`Store.batched`); the messages go out concurrently, at most ``fanout``
        requests at once. A channel waiting between its reveal and its new question (a platform's
        per-channel limit) holds no place meanwhile, so the wait costs each channel its own second, not
        the sum of all of them. Slots past the cut-off are left alone; with ``report_late`` they are logged
        and listed as skipped. Closes that did not go out with their channel's next question (the platform
        failed, the sender died) are retried here too.
        """
        now = self.clock()
        due = [
            (slot, poster)
            for schedule in await self.engine.list_schedules()
            if (slot := latest_slot(schedule, now)) is not None
            and (poster := self.posters.get(schedule.place.platform)) is not None
        ]
        if not due:
            return []
        dates = {slot.local_date.isoformat() for slot, _ in due}
        async with self.engine.store.unit(read_only=True) as unit:
            slots = {(r.platform, r.server, r.channel, r.local_date): r for r in await unit.slots_on(dates)}
            entries = {e.key: e for e in await unit.outbox_on(OutboxKind.QUESTION.value, dates)}
            open_posts: dict[tuple[str, str, str], list[Any]] = {}
            for row in await unit.all_open_posts():
                open_posts.setdefault((row.platform, row.server, row.channel), []).append(row)
        gate = asyncio.Semaphore(self.fanout)
        ahead = asyncio.Semaphore(PREPARED_AHEAD)

        async def one(slot: Slot, poster: ChannelPoster) -> tuple[Slot, Outcome] | None:
            place = slot.schedule.place
            earlier = [
                row
                for row in open_posts.get((place.platform, place.server, place.channel), [])
                if row.local_date < slot.local_date.isoformat()
            ]
            existing = slots.get(slot.key)
            if existing is not None and existing.posted_at is not None:
                if earlier:
                    async with ahead:
                        await self._deliver_closes(place, slot.local_date, poster, gate, earlier)
                return None
            key = outbox_key(OutboxKind.QUESTION, place, slot.local_date)
            entry = entries.get(key) if existing is not None else None
            if entry is not None and entry.claimed_at and entry.claimed_at > now - self.lease:
                return None  # being posted right now by a live process
            if now - slot.due_at > self.cutoff:
                if report_late:
                    log.warning(
                        "daily slot %s skipped: due %s, past the %s cut-off",
                        slot.key,
                        slot.due_at,
                        self.cutoff,
                    )
                    return slot, Outcome.TOO_LATE
                return None
            async with ahead:
                outcome = await self._post_slot(slot, gate=gate, open_rows=earlier)
            return None if outcome is Outcome.TAKEN else (slot, outcome)

        results = await asyncio.gather(*(one(slot, poster) for slot, poster in due))
        return [r for r in results if r is not None]

    async def _deliver_closes(
        self,
        place: Place,
        local_date: date,
        poster: ChannelPoster,
        gate: asyncio.Semaphore | None = None,
        rows: Sequence[Any] | None = None,
    ) -> None:
        """Close the channel's earlier daily questions and send their reveals; a failure is logged and the
        reveal retried later, never blocking today's question.

        Each close (its outbox entry, closing the question, reading its board) is one job of a shared
        transaction; ``rows`` are the channel's open posts when the caller read them already.
        """
        if rows is None:
            async with self.engine.store.unit(read_only=True) as unit:
                rows = await unit.open_posts(
                    place.platform, place.server, place.channel, local_date.isoformat()
                )
        if not rows:
            return
        prepared = await asyncio.gather(
            *(
                self.engine.store.batched(lambda unit, row=row: self._close_within(unit, place, row))
                for row in rows
            ),
            return_exceptions=True,
        )
        for row, ready in zip(rows, prepared, strict=True):
            if isinstance(ready, BaseException):
                if not isinstance(ready, Exception):
                    raise ready
                log.error(
                    "closing post of daily question %s failed; it is retried at the next sweep",
                    row.asked_id,
                    exc_info=ready,
                )
            elif ready is not None:
                await self._send_close(poster, ready, gate)

    async def _close_within(self, unit: Unit, place: Place, row: Any) -> _Close | None:
        """Lease the reveal of ``row``'s question, close the question (answers stop here) and read the
        board it shows, in the caller's transaction; None if the reveal is not ours to send."""
        key = outbox_key(OutboxKind.CLOSE, place, date.fromisoformat(row.local_date))
        entry = await self._lease_close(unit, key, row)
        if entry is None:
            return None
        summary = await self.engine.close_within(unit, row.asked_id)
        board = await self.engine.leaderboard_within(
            unit,
            place,
            period=Period.WEEK,
            limit=CLOSE_BOARD_SIZE,
            channel_only=True,
            week_of=summary.asked.asked_at,
        )
        return _Close(row, key, entry, summary, board)

    async def _send_close(self, poster: ChannelPoster, close: _Close, gate: asyncio.Semaphore | None) -> None:
        """Send one reveal (unless an earlier attempt did) and mark it sent; a failure releases it."""
        place = close.summary.asked.place
        try:
            async with gate or contextlib.nullcontext():
                message = OutboxMessage(
                    close.key,
                    OutboxKind.CLOSE,
                    close.summary.asked,
                    close.entry.created_at,
                    close.row.message_ref,
                )
                ref = await poster.find_sent(message) if close.entry.attempts > 1 else None
                if ref is None:
                    final = close.board.final
                    picture = await self._final_week_picture(place, close.summary) if final else None
                    ref = await poster.post_close(
                        close.summary,
                        close.board,
                        close.row.message_ref or "",
                        key=close.key,
                        **({"picture": picture} if picture is not None else {}),
                    )
                await self._mark_sent(close.key, ref)
        except asyncio.CancelledError:
            await asyncio.shield(self._release(close.key))
            raise
        except Exception:
            log.exception(
                "closing post of daily question %s failed; it is retried at the next sweep",
                close.row.asked_id,
            )
            await self._release(close.key)

    async def _final_week_picture(self, place: Place, summary: CloseSummary) -> Picture | None:
        """The finished week's top 10 as a picture for the reveal; None when nobody played or it failed.

        Rendered in a worker thread (see :mod:`quizbot.charts`). A picture is a bonus: if drawing it
        fails, the reveal goes out without it instead of being held back.
        """
        try:
            top = await self.engine.leaderboard(
                place,
                period=Period.WEEK,
                limit=charts.TOP_SIZE,
                channel_only=True,
                week_of=summary.asked.asked_at,
            )
            return await charts.weekly_top_picture(top) if top.entries else None
        except Exception:
            log.exception("could not draw last week's standings for %s; revealing without them", place)
            return None

    async def _lease_close(self, unit: Unit, key: str, row: Any) -> OutboxEntry | None:
        """Record the reveal of ``row``'s question (leased to us), or take over its lease; None if another
        process is sending it now or it has been failing for longer than the cut-off."""
        now = self.clock()
        known = await unit.get_outbox(key)
        if known is None:
            entry = OutboxEntry(
                key,
                OutboxKind.CLOSE.value,
                row.platform,
                row.server,
                row.channel,
                row.local_date,
                row.asked_id,
                now,
                claimed_at=now,
                attempts=1,
            )
            return entry if await unit.add_outbox(entry) else None
        if now - known.created_at > self.cutoff:
            return None  # given up: the platform kept refusing it until the cut-off (each failure logged)
        return await unit.lease_outbox(key, now, now - self.lease)

    async def today(self, place: Place, zone: str = "UTC") -> AskedQuestion:
        """The channel's question for today, posting it now if it was not (the terminal's ``/daily``)."""
        schedule = next(
            (s for s in await self.engine.list_schedules(place.platform) if s.place == place), None
        )
        schedule = schedule or Schedule(place, "00:00", zone)
        slot = Slot(schedule, self.clock().astimezone(ZoneInfo(schedule.timezone)).date())
        async with self.engine.store.unit(read_only=True) as unit:
            existing = await unit.get_slot(slot.key)
        if existing is None or existing.posted_at is None:
            await self.post_slot(slot, on_demand=True)
            async with self.engine.store.unit(read_only=True) as unit:
                existing = await unit.get_slot(slot.key)
        posted = existing is not None and existing.posted_at is not None
        asked = await self.engine.get_asked(existing.asked_id) if posted and existing else None
        if asked is None:
            raise QuizError("Today's daily question could not be posted; try again in a minute.")
        return asked

    # -- answer counts ----------------------------------------------------------------------------------

    def answer_recorded(self, asked_id: int) -> None:
        """Engine listener: refresh the public answer count soon, at most once per ``count_interval``."""
        if asked_id in self._pending_counts:
            return  # an update is already scheduled; it will read the latest count
        self._pending_counts[asked_id] = asyncio.get_running_loop().create_task(self._update_count(asked_id))

    async def _update_count(self, asked_id: int) -> None:
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._flush.wait(), self.count_interval)
            asked = await self.engine.get_asked(asked_id)
            poster = self.posters.get(asked.place.platform) if asked else None
            if asked is None or poster is None or not asked.message_ref or asked.is_closed:
                return
            async with self.engine.store.unit(read_only=True) as unit:
                count = await unit.count_answers(asked_id)
            await poster.update_answer_count(asked, asked.message_ref, count)
        except Exception:
            log.exception("could not update the answer count of question %s", asked_id)
        finally:
            self._pending_counts.pop(asked_id, None)

    async def flush_counts(self) -> None:
        """Send the pending count updates now instead of at the end of their interval (tests, shutdown)."""
        self._flush.set()
        try:
            while self._pending_counts:
                await asyncio.gather(*self._pending_counts.values(), return_exceptions=True)
        finally:
            self._flush.clear()

    async def cancel_counts(self) -> None:
        """Drop pending count updates (shutdown: the database is about to close)."""
        tasks = list(self._pending_counts.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
