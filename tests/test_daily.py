"""The daily question: due times across DST, exactly-once posting, catching up, closing, streaks, weeks.

The clock is injected everywhere: no test waits for a real 09:00.
"""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, text

from quizbot.charts import Picture
from quizbot.daily import DailyService, Outcome, latest_slot, next_slot, outbox_key, slot_time
from quizbot.domain import (
    AskedQuestion,
    AskKind,
    CloseSummary,
    Leaderboard,
    OutboxKind,
    OutboxMessage,
    Period,
    Place,
    Player,
    Schedule,
)
from quizbot.engine import QuizEngine
from quizbot.scheduler import DailyScheduler, cron_trigger
from tests.conftest import ROOT, TEST_BANK, FakeClock, make_settings

PLACE = Place("test", "srv", "daily")
ANN, BOB, CARL = (Player("test", f"u{i}", name) for i, name in enumerate(["Ann", "Bob", "Carl"]))
CUTOFF = timedelta(hours=3)


class RecordingPoster:
    """A platform that records what the scheduler asked it to do, and keeps each post's outbox key."""

    platform = "test"

    def __init__(self, fail: int = 0) -> None:
        self.posts: list[AskedQuestion] = []
        self.counts: list[tuple[int, int]] = []
        self.closes: list[tuple[CloseSummary, Leaderboard, str]] = []
        self.pictures: list[Picture | None] = []
        self.keys: dict[str, str] = {}
        """Outbox key -> ref of the message that carried it, as a platform's history would show it."""
        self.searches: list[OutboxMessage] = []
        self.fail = fail

    async def post_question(self, asked: AskedQuestion, *, key: str | None = None) -> str:
        if self.fail:
            self.fail -= 1
            raise ConnectionError("platform down")
        self.posts.append(asked)
        if key:
            self.keys[key] = f"msg-{asked.id}"
        return f"msg-{asked.id}"

    async def update_answer_count(self, asked: AskedQuestion, message_ref: str, answered: int) -> None:
        self.counts.append((asked.id, answered))

    async def post_close(
        self,
        summary: CloseSummary,
        board: Leaderboard,
        message_ref: str,
        *,
        key: str | None = None,
        picture: Picture | None = None,
    ) -> str:
        self.closes.append((summary, board, message_ref))
        self.pictures.append(picture)
        if key:
            self.keys[key] = f"reveal-{summary.asked.id}"
        return f"reveal-{summary.asked.id}"

    async def find_sent(self, message: OutboxMessage) -> str | None:
        self.searches.append(message)
        return self.keys.get(message.key)


def at(zone: str, y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=ZoneInfo(zone)).astimezone(UTC)


@pytest.fixture
def poster() -> RecordingPoster:
    return RecordingPoster()


@pytest.fixture
def service(engine: QuizEngine, poster: RecordingPoster, clock: FakeClock) -> DailyService:
    svc = DailyService(engine, {"test": poster}, cutoff=CUTOFF, clock=clock, count_interval=0.01)
    engine.daily_answer_listeners.append(svc.answer_recorded)
    return svc


def right(asked: AskedQuestion) -> int | str:
    q = asked.question
    return q.correct_index if q.has_choices else q.accepted[0]


def wrong(asked: AskedQuestion) -> int | str:
    q = asked.question
    return (q.correct_index + 1) % len(q.choices) if q.has_choices else "nope"


# -- due times ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "before", "after", "utc_hours"),
    [
        ("Europe/Berlin", date(2026, 3, 28), date(2026, 3, 29), (8, 7)),  # CET -> CEST
        ("Europe/Berlin", date(2026, 10, 24), date(2026, 10, 25), (7, 8)),  # CEST -> CET
        ("America/New_York", date(2026, 3, 7), date(2026, 3, 8), (14, 13)),  # EST -> EDT
        ("America/New_York", date(2026, 10, 31), date(2026, 11, 1), (13, 14)),  # EDT -> EST
    ],
)
def test_daily_post_stays_at_local_time_across_dst(zone: str, before: date, after: date, utc_hours) -> None:
    schedule = Schedule(PLACE, "09:00", zone)
    times = [slot_time(schedule, day) for day in (before, after)]
    assert [t.hour for t in times] == list(utc_hours)
    assert all(t.astimezone(ZoneInfo(zone)).hour == 9 for t in times)
    trigger = cron_trigger(schedule)  # the scheduler's own trigger agrees with the slot arithmetic
    fired = trigger.get_next_fire_time(None, times[0] + timedelta(minutes=1))
    assert fired == times[1]


def test_weekday_schedule_skips_the_weekend() -> None:
    schedule = Schedule(PLACE, "09:00", "UTC", (0, 1, 2, 3, 4))
    friday_noon = datetime(2026, 11, 20, 12, tzinfo=UTC)
    assert next_slot(schedule, friday_noon).local_date == date(2026, 11, 23)  # Monday
    assert latest_slot(schedule, datetime(2026, 11, 22, 12, tzinfo=UTC)).local_date == date(2026, 11, 20)


async def test_slot_is_posted_when_due_and_not_before(
    engine: QuizEngine, service: DailyService, poster: RecordingPoster, clock: FakeClock
) -> None:
    await engine.set_schedule(PLACE, "09:00", "Europe/Berlin")
    clock.set(at("Europe/Berlin", 2026, 3, 28, 9, 0))  # Saturday, CET: 08:00 UTC
    assert [(s.local_date, o) for s, o in await service.post_due()] == [(date(2026, 3, 28), Outcome.POSTED)]
    clock.set(at("Europe/Berlin", 2026, 3, 29, 8, 59))  # Sunday, CEST: 06:59 UTC, an hour earlier in UTC
    assert await service.post_due() == []
    clock.set(at("Europe/Berlin", 2026, 3, 29, 9, 0))
    results = await service.post_due()
    assert [(s.local_date, o) for s, o in results] == [(date(2026, 3, 29), Outcome.POSTED)]
    assert [p.asked_at for p in poster.posts] == [
        datetime(2026, 3, 28, 8, tzinfo=UTC),
        datetime(2026, 3, 29, 7, tzinfo=UTC),
    ]
    assert poster.posts[-1].kind is AskKind.DAILY and poster.posts[-1].player_key is None


# -- exactly once -------------------------------------------------------------------------------------


async def test_second_attempt_at_the_same_slot_does_nothing(
    engine: QuizEngine, service: DailyService, poster: RecordingPoster, clock: FakeClock
) -> None:
    schedule = await engine.set_schedule(PLACE, "09:00", "UTC")
    clock.set(datetime(2026, 11, 18, 9, 0, 30, tzinfo=UTC))
    slot = latest_slot(schedule, clock())
    assert await service.post_slot(slot) is Outcome.POSTED
    assert await service.post_slot(slot) is Outcome.TAKEN
    assert await service.post_due() == []
    assert len(poster.posts) == 1


async def test_restart_inside_the_cutoff_posts_late(
    engine: QuizEngine, service: DailyService, poster: RecordingPoster, clock: FakeClock
) -> None:
    await engine.set_schedule(PLACE, "09:00", "UTC")
    clock.set(datetime(2026, 11, 18, 11, 45, tzinfo=UTC))  # the bot was down from 08:50 to 11:45
    results = await service.post_due(report_late=True)
    assert [o for _, o in results] == [Outcome.POSTED]
    assert len(poster.posts) == 1


async def test_restart_after_the_cutoff_skips_and_logs(
    engine: QuizEngine, service: DailyService, poster: RecordingPoster, clock: FakeClock, caplog
) -> None:
    await engine.set_schedule(PLACE, "09:00", "UTC")
    clock.set(datetime(2026, 11, 18, 12, 1, tzinfo=UTC))
    with caplog.at_level(logging.WARNING, logger="quizbot.daily"):
        results = await service.post_due(report_late=True)
    assert [o for _, o in results] == [Outcome.TOO_LATE]
    assert poster.posts == []
    assert "2026-11-18" in caplog.text and "skipped" in caplog.text
    assert await service.post_due() == []  # the periodic sweep stays quiet about it


async def test_failed_post_releases_the_slot_for_a_retry(engine: QuizEngine, clock: FakeClock) -> None:
    flaky = RecordingPoster(fail=1)
    service = DailyService(engine, {"test": flaky}, cutoff=CUTOFF, clock=clock)
    await engine.set_schedule(PLACE, "09:00", "UTC")
    clock.set(datetime(2026, 11, 18, 9, 0, tzinfo=UTC))
    assert [o for _, o in await service.post_due()] == [Outcome.FAILED]
    clock.advance(minutes=1)
    assert [o for _, o in await service.post_due()] == [Outcome.POSTED]
    assert len(flaky.posts) == 1


class StallingPoster(RecordingPoster):
    """Hangs inside post_question, like a process that dies or is stopped mid-post."""

    async def post_question(self, asked: AskedQuestion, *, key: str | None = None) -> str:
        await asyncio.sleep(3600)
        raise AssertionError("unreachable")


async def test_slot_of_a_process_stopped_mid_post_is_released(engine: QuizEngine, clock: FakeClock) -> None:
    await engine.set_schedule(PLACE, "09:00", "UTC")
    clock.set(datetime(2026, 11, 18, 9, 0, tzinfo=UTC))
    stalled = DailyService(engine, {"test": StallingPoster()}, cutoff=CUTOFF, clock=clock)
    task = asyncio.create_task(stalled.post_due())
    await asyncio.sleep(0.3)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    restarted = RecordingPoster()
    service = DailyService(engine, {"test": restarted}, cutoff=CUTOFF, clock=clock)
    assert [o for _, o in await service.post_due()] == [Outcome.POSTED]
    assert len(restarted.posts) == 1


async def test_claim_of_a_dead_process_is_taken_over_only_after_its_lease(
    engine: QuizEngine, poster: RecordingPoster, clock: FakeClock
) -> None:
    schedule = await engine.set_schedule(PLACE, "09:00", "UTC")
    clock.set(datetime(2026, 11, 18, 9, 0, tzinfo=UTC))
    slot = latest_slot(schedule, clock())
    service = DailyService(engine, {"test": poster}, cutoff=CUTOFF, clock=clock)
    assert await service.claim(slot) is not None  # a process claimed the slot and died before posting
    clock.advance(minutes=5)
    assert await service.post_due() == []  # it may still be posting
    assert await service.post_slot(slot) is Outcome.TAKEN
    clock.advance(minutes=6)
    assert [o for _, o in await service.post_due()] == [Outcome.POSTED]
    assert len(poster.posts) == 1 and poster.posts[0].id


class FailingClosePoster(RecordingPoster):
    async def post_close(
        self,
        summary: CloseSummary,
        board: Leaderboard,
        message_ref: str,
        *,
        key: str | None = None,
        picture: Picture | None = None,
    ) -> str:
        raise ConnectionError("message deleted")


async def test_failed_close_post_does_not_hold_back_todays_question(
    engine: QuizEngine, clock: FakeClock
) -> None:
    poster = FailingClosePoster()
    service = DailyService(engine, {"test": poster}, cutoff=CUTOFF, clock=clock)
    await engine.set_schedule(PLACE, "09:00", "UTC")
    first = await _post_day(service, engine, clock, date(2026, 11, 18))
    await _post_day(service, engine, clock, date(2026, 11, 19))
    assert len(poster.posts) == 2
    assert (await engine.get_asked(first.id)).is_closed


TWO_PROCESSES = textwrap.dedent(
    """
    import asyncio, sys, time
    from datetime import timedelta
    from quizbot.daily import DailyService
    from quizbot.engine import QuizEngine
    from quizbot.settings import Settings

    class FilePoster:
        platform = "test"
        def __init__(self, path): self.path = path
        async def post_question(self, asked, key=None):
            with open(self.path, "a") as f:
                f.write(f"{asked.place.channel}\\n")
            return f"m{asked.id}"
        async def update_answer_count(self, *a): pass
        async def post_close(self, *a, key=None, picture=None): pass
        async def find_sent(self, message): return None

    async def main(url, bank, out, start_at):
        engine = await QuizEngine.open(Settings(database_url=url, questions=bank))
        service = DailyService(engine, {"test": FilePoster(out)}, cutoff=timedelta(days=1))
        while time.time() < start_at:
            await asyncio.sleep(0.005)
        results = await service.post_due()
        await engine.aclose()
        print(sum(o.value == "posted" for _, o in results))

    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])))
    """
)


async def test_two_bot_processes_post_30_slots_exactly_once_on_postgres(
    postgres_url: str, tmp_path: Path
) -> None:
    import time

    engine = await QuizEngine.open(make_settings(postgres_url))
    for i in range(30):
        await engine.set_schedule(Place("test", "srv", f"c{i:02}"), "00:00", "UTC")
    await engine.aclose()
    out = tmp_path / "posts.txt"
    start_at = time.time() + 2.5  # both processes are up and connected before either starts posting
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            TWO_PROCESSES,
            postgres_url,
            str(TEST_BANK),
            str(out),
            str(start_at),
            stdout=asyncio.subprocess.PIPE,
            cwd=ROOT,
        )
        for _ in range(2)
    ]
    outputs = await asyncio.wait_for(asyncio.gather(*(p.communicate() for p in procs)), timeout=60)
    posted = [int(stdout.decode().strip() or 0) for stdout, _ in outputs]
    lines = out.read_text().split()
    assert sum(posted) == 30 and len(lines) == 30 and len(set(lines)) == 30
    check = await QuizEngine.open(make_settings(postgres_url))
    async with check.store.unit() as unit:
        rows = (await unit.conn.execute(text("SELECT count(*) FROM asked WHERE kind = 'daily'"))).scalar_one()
    await check.aclose()
    assert rows == 30


def test_post_daily_command_run_twice_posts_once(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QUIZBOT_", "SLACK_", "DISCORD_"))}
    env.update(
        QUIZBOT_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'cron.db'}",
        QUIZBOT_QUESTIONS=str(TEST_BANK),
        QUIZBOT_DAILY_CUTOFF_MINUTES="1440",
    )

    def quizbot(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "quizbot", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=60,
        )

    typo = quizbot("schedule", "add", "slak:T1:C1", "09:00")
    assert typo.returncode == 2 and "unknown platform 'slak'" in typo.stderr
    assert quizbot("schedule", "add", "terminal:local:terminal", "00:00", "UTC").returncode == 0
    first, second = quizbot("post-daily"), quizbot("post-daily")
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert first.stdout.count("Daily question:") == 1 and ": posted" in first.stdout
    assert "Daily question:" not in second.stdout and "nothing due" in second.stdout
    with create_engine(f"sqlite:///{tmp_path / 'cron.db'}").connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM daily_posts")).scalar_one() == 1


# -- closing ------------------------------------------------------------------------------------------


async def _post_day(service: DailyService, engine: QuizEngine, clock: FakeClock, day: date) -> AskedQuestion:
    clock.set(datetime.combine(day, datetime.min.time(), UTC).replace(hour=9))
    results = await service.post_due()
    assert [o for _, o in results] == [Outcome.POSTED], results
    return service.posters["test"].posts[-1]  # type: ignore[attr-defined]


async def test_next_post_closes_the_previous_with_correct_figures(
    engine: QuizEngine, service: DailyService, poster: RecordingPoster, clock: FakeClock
) -> None:
    await engine.set_schedule(PLACE, "09:00", "UTC")
    first = await _post_day(service, engine, clock, date(2026, 11, 18))
    for player, ok in ((ANN, False), (BOB, True), (CARL, True)):
        clock.advance(minutes=5)
        await engine.answer(first.id, player, right(first) if ok else wrong(first))
    second = await _post_day(service, engine, clock, date(2026, 11, 19))
    (summary, board, ref) = poster.closes[0]
    assert ref == f"msg-{first.id}" and summary.asked.id == first.id
    assert (summary.answered, summary.correct, summary.first_correct) == (3, 2, ("Bob", "Carl"))
    assert summary.share_correct == pytest.approx(2 / 3)
    assert {e.name for e in board.entries} == {"Bob", "Carl", "Ann"}
    assert [e.points for e in board.entries][-1] == 0 and board.entries[0].rank == 1
    late = await engine.answer(first.id, Player("test", "u9", "Late"), right(first))
    assert late.status.value == "closed"
    assert second.id != first.id and not (await engine.get_asked(second.id)).is_closed


async def test_answer_count_updates_are_coalesced(
    engine: QuizEngine, poster: RecordingPoster, clock: FakeClock
) -> None:
    service = DailyService(engine, {"test": poster}, cutoff=CUTOFF, clock=clock, count_interval=3600)
    engine.daily_answer_listeners.append(service.answer_recorded)
    await engine.set_schedule(PLACE, "09:00", "UTC")
    asked = await _post_day(service, engine, clock, date(2026, 11, 18))
    players = [Player("test", f"p{i}", f"P{i}") for i in range(10)]
    await asyncio.gather(*(engine.answer(asked.id, p, right(asked)) for p in players))
    assert poster.counts == []  # nothing is edited before the interval ends...
    await service.flush_counts()  # ...which flushing stands in for
    assert poster.counts == [(asked.id, 10)]  # ten answers, one edit of the public post


async def test_reveal_at_close_hides_the_answer_until_the_question_closes(
    engine: QuizEngine, service: DailyService, clock: FakeClock
) -> None:
    await engine.set_schedule(PLACE, "09:00", "UTC", reveal_at_close=True)
    asked = await _post_day(service, engine, clock, date(2026, 11, 18))
    result = await engine.answer(asked.id, ANN, right(asked))
    assert result.correct and result.reveal is False
    await _post_day(service, engine, clock, date(2026, 11, 19))
    assert (await engine.answer(asked.id, ANN, right(asked))).reveal is True


# -- streaks and weeks --------------------------------------------------------------------------------


async def test_streak_survives_a_day_the_bot_missed_but_not_a_question_the_player_missed(
    engine: QuizEngine, service: DailyService, clock: FakeClock
) -> None:
    await engine.set_schedule(PLACE, "09:00", "UTC")
    day1 = await _post_day(service, engine, clock, date(2026, 11, 16))
    assert (await engine.answer(day1.id, ANN, right(day1))).streak == 1
    # 17 November: the bot was down all day; nothing was posted
    clock.set(datetime(2026, 11, 18, 9, 0, tzinfo=UTC))
    await service.post_due()
    day3 = service.posters["test"].posts[-1]  # type: ignore[attr-defined]
    result = await engine.answer(day3.id, ANN, right(day3))
    assert (result.streak, result.best_streak) == (2, 2)
    await engine.answer(day3.id, BOB, right(day3))
    day4 = await _post_day(service, engine, clock, date(2026, 11, 19))  # Ann skips this one
    await engine.answer(day4.id, BOB, right(day4))
    await _post_day(service, engine, clock, date(2026, 11, 20))  # closes day 4
    ann, bob = await engine.stats(PLACE, ANN), await engine.stats(PLACE, BOB)
    assert (ann.daily_streak, ann.daily_best_streak) == (0, 2)
    assert (bob.daily_streak, bob.daily_best_streak) == (2, 2)


async def test_weekly_board_resets_at_monday_midnight_local_and_monday_closes_last_week(
    engine: QuizEngine, clock: FakeClock, poster: RecordingPoster
) -> None:
    zone = "America/New_York"
    service = DailyService(engine, {"test": poster}, cutoff=CUTOFF, clock=clock)
    await engine.set_schedule(PLACE, "09:00", zone)
    clock.set(at(zone, 2026, 11, 22, 9, 0))  # Sunday
    await service.post_due()
    sunday = poster.posts[-1]
    clock.set(at(zone, 2026, 11, 22, 23, 59))
    await engine.answer(sunday.id, ANN, right(sunday))
    week = await engine.leaderboard(PLACE, period=Period.WEEK, channel_only=True)
    assert [e.name for e in week.entries] == ["Ann"] and week.week_start == date(2026, 11, 16)
    clock.set(at(zone, 2026, 11, 23, 0, 0))  # Monday 00:00 in New York, still Monday 05:00 UTC
    fresh = await engine.leaderboard(PLACE, period=Period.WEEK, channel_only=True)
    assert fresh.entries == () and fresh.week_start == date(2026, 11, 23)
    clock.set(at(zone, 2026, 11, 23, 9, 0))
    await service.post_due()  # Monday's post closes Sunday's question with last week's final top
    summary, board, _ = poster.closes[-1]
    assert summary.asked.id == sunday.id
    assert (
        board.final and board.week_start == date(2026, 11, 16) and [e.name for e in board.entries] == ["Ann"]
    )


# -- the scheduler ------------------------------------------------------------------------------------


async def test_scheduler_rebuilds_one_job_per_schedule_with_its_own_zone(
    engine: QuizEngine, clock: FakeClock
) -> None:
    service = DailyService(engine, {"test": RecordingPoster()}, cutoff=CUTOFF, clock=clock)
    scheduler = DailyScheduler(service)
    scheduler.scheduler.start(paused=True)
    try:
        await engine.set_schedule(PLACE, "09:00", "Europe/Berlin")
        await engine.set_schedule(Place("test", "srv", "other"), "07:30", "America/New_York", (0, 2, 4))
        await scheduler.rebuild()
        jobs = {job.id: job for job in scheduler.scheduler.get_jobs()}
        assert set(jobs) == {"daily:test:srv:daily", "daily:test:srv:other"}
        assert str(jobs["daily:test:srv:daily"].trigger.timezone) == "Europe/Berlin"
        assert jobs["daily:test:srv:other"].misfire_grace_time == int(CUTOFF.total_seconds())
        await engine.remove_schedule(PLACE)
        await scheduler.rebuild()
        assert {job.id for job in scheduler.scheduler.get_jobs()} == {"daily:test:srv:other"}
    finally:
        scheduler.shutdown()


class ConcurrencyPoster(RecordingPoster):
    """Counts how many questions are being sent at the same moment, as a platform's rate limit would."""

    def __init__(self) -> None:
        super().__init__()
        self.sending = 0
        self.most = 0

    async def post_question(self, asked: AskedQuestion, *, key: str | None = None) -> str:
        self.sending += 1
        self.most = max(self.most, self.sending)
        try:
            await asyncio.sleep(0.01)
            return await super().post_question(asked, key=key)
        finally:
            self.sending -= 1


async def test_schedules_due_at_the_same_minute_go_out_through_one_limited_fan_out(
    engine: QuizEngine, clock: FakeClock
) -> None:
    """Many servers pick 09:00. Their cron jobs fire together; the posts still go out at most ``fanout`` at
    a time, each channel's once, instead of one burst of every channel's request at once."""
    poster = ConcurrencyPoster()
    service = DailyService(engine, {"test": poster}, cutoff=CUTOFF, clock=clock, fanout=4)
    scheduler = DailyScheduler(service)
    places = [Place("test", "srv", f"channel-{n}") for n in range(30)]
    for place in places:
        await engine.set_schedule(place, "09:00", "UTC")
    schedules = await engine.list_schedules()
    clock.set(datetime(2026, 11, 18, 9, 0, 0, tzinfo=UTC))

    async with asyncio.timeout(60):
        await asyncio.gather(*(scheduler.post_latest(schedule) for schedule in schedules))

    assert sorted(p.place.channel for p in poster.posts) == sorted(p.channel for p in places)
    assert poster.most <= 4


class HeldPoster(RecordingPoster):
    """Holds the first question until released, as a slow platform would."""

    def __init__(self) -> None:
        super().__init__()
        self.sending = asyncio.Event()
        self.release = asyncio.Event()

    async def post_question(self, asked: AskedQuestion, *, key: str | None = None) -> str:
        if not self.posts:
            self.sending.set()
            await self.release.wait()
        return await super().post_question(asked, key=key)


async def test_a_slot_falling_due_while_a_fan_out_runs_is_posted_before_its_job_returns(
    engine: QuizEngine, clock: FakeClock
) -> None:
    poster = HeldPoster()
    scheduler = DailyScheduler(DailyService(engine, {"test": poster}, cutoff=CUTOFF, clock=clock))
    early, late = Place("test", "srv", "early"), Place("test", "srv", "late")
    await engine.set_schedule(early, "09:00", "UTC")
    await engine.set_schedule(late, "09:01", "UTC")
    by_channel = {s.place.channel: s for s in await engine.list_schedules()}
    clock.set(datetime(2026, 11, 18, 9, 0, 30, tzinfo=UTC))

    async with asyncio.timeout(30):
        first = asyncio.create_task(scheduler.post_latest(by_channel["early"]))
        await poster.sending.wait()  # the 09:00 fan-out is sending; 09:01 was not due when it started
        clock.set(datetime(2026, 11, 18, 9, 1, 0, tzinfo=UTC))
        second = asyncio.create_task(scheduler.post_latest(by_channel["late"]))
        await asyncio.sleep(0.05)
        poster.release.set()
        await asyncio.gather(first, second)

    assert [p.place.channel for p in poster.posts] == ["early", "late"]


class _RevokedPlatform:
    """A platform whose credentials are refused at start (e.g. a revoked token)."""

    name = "revoked"

    def enabled(self, settings) -> bool:
        return True

    def poster_session(self, runtime):
        from contextlib import asynccontextmanager

        from quizbot.plugins import PluginConfigError

        @asynccontextmanager
        async def session():
            raise PluginConfigError("REVOKED_TOKEN was refused")
            yield

        return session()


async def test_post_daily_posts_the_other_platforms_when_one_is_misconfigured(tmp_path: Path, capsys) -> None:
    from adapters.terminal import plugin as terminal
    from quizbot.cli import post_daily

    settings = make_settings(f"sqlite+aiosqlite:///{tmp_path / 'cron.db'}", daily_cutoff_minutes=1440)
    engine = await QuizEngine.open(settings)
    await engine.set_schedule(Place("terminal", "local", "terminal"), "00:00", "UTC")
    await engine.aclose()
    code = await post_daily(settings, [_RevokedPlatform(), terminal])
    out, err = capsys.readouterr()
    assert code == 1
    assert "quizbot: revoked: REVOKED_TOKEN was refused" in err
    assert "terminal:local:terminal:" in out and ": posted" in out


# -- the outbox: crashes between the platform and the database ----------------------------------------


class DiesAfterAcceptPoster(RecordingPoster):
    """The platform takes the post, then the sender dies before it can record it (the answer is lost)."""

    def __init__(self, deaths: int = 1) -> None:
        super().__init__()
        self.deaths = deaths

    async def post_question(self, asked: AskedQuestion, *, key: str | None = None) -> str:
        ref = await super().post_question(asked, key=key)
        if self.deaths:
            self.deaths -= 1
            raise ConnectionResetError("connection lost after the platform accepted the post")
        return ref

    async def post_close(
        self,
        summary: CloseSummary,
        board: Leaderboard,
        message_ref: str,
        *,
        key: str | None = None,
        picture: Picture | None = None,
    ) -> str:
        ref = await super().post_close(summary, board, message_ref, key=key, picture=picture)
        if self.deaths:
            self.deaths -= 1
            raise ConnectionResetError("connection lost after the platform accepted the reveal")
        return ref


def test_outbox_keys_are_deterministic_and_fit_a_discord_nonce() -> None:
    day = date(2026, 11, 18)
    key = outbox_key(OutboxKind.QUESTION, PLACE, day)
    others = {
        outbox_key(OutboxKind.CLOSE, PLACE, day),
        outbox_key(OutboxKind.QUESTION, PLACE, day + timedelta(days=1)),
        outbox_key(OutboxKind.QUESTION, Place("test", "srv", "other"), day),
        outbox_key(OutboxKind.QUESTION, Place("test", "srv2", "daily"), day),
    }
    assert key == outbox_key(OutboxKind.QUESTION, Place("test", "srv", "daily"), day)
    assert len(key) == 25 and all(len(k) == 25 for k in others) and key not in others


async def test_post_the_platform_accepted_but_nobody_recorded_is_not_posted_again(
    engine: QuizEngine, clock: FakeClock
) -> None:
    poster = DiesAfterAcceptPoster()
    service = DailyService(engine, {"test": poster}, cutoff=CUTOFF, clock=clock)
    await engine.set_schedule(PLACE, "09:00", "UTC")
    clock.set(datetime(2026, 11, 18, 9, 0, tzinfo=UTC))
    assert [o for _, o in await service.post_due()] == [Outcome.FAILED]

    clock.advance(minutes=1)
    assert [o for _, o in await service.post_due()] == [Outcome.POSTED]

    assert len(poster.posts) == 1  # found by its key on the platform, not posted a second time
    [search] = poster.searches
    assert search.kind is OutboxKind.QUESTION and search.asked.id == poster.posts[0].id
    asked = await engine.get_asked(poster.posts[0].id)
    assert asked is not None and asked.message_ref == f"msg-{asked.id}"


async def test_takeover_after_a_dead_sender_reuses_its_question_and_checks_the_platform_first(
    engine: QuizEngine, poster: RecordingPoster, clock: FakeClock
) -> None:
    schedule = await engine.set_schedule(PLACE, "09:00", "UTC")
    clock.set(datetime(2026, 11, 18, 9, 0, tzinfo=UTC))
    service = DailyService(engine, {"test": poster}, cutoff=CUTOFF, clock=clock)
    claimed = await service.claim(latest_slot(schedule, clock()))  # then the process died
    assert claimed is not None

    clock.advance(minutes=11)
    assert [o for _, o in await service.post_due()] == [Outcome.POSTED]

    assert [p.id for p in poster.posts] == [claimed[0].id]  # the question the dead process had asked
    assert [s.key for s in poster.searches] == [claimed[1].key]
    async with engine.store.unit() as unit:
        daily = (
            await unit.conn.execute(text("SELECT count(*) FROM asked WHERE kind = 'daily'"))
        ).scalar_one()
    assert daily == 1


async def test_reveal_lost_with_its_sender_is_delivered_once_by_the_next_sweep(
    engine: QuizEngine, clock: FakeClock
) -> None:
    poster = DiesAfterAcceptPoster(deaths=0)
    service = DailyService(engine, {"test": poster}, cutoff=CUTOFF, clock=clock)
    await engine.set_schedule(PLACE, "09:00", "UTC")
    first = await _post_day(service, engine, clock, date(2026, 11, 18))
    poster.deaths = 1  # the reveal reaches the platform, then its sender is gone
    await _post_day(service, engine, clock, date(2026, 11, 19))
    assert len(poster.closes) == 1

    clock.advance(minutes=1)
    assert await service.post_due() == []  # today's question is out; the sweep finishes the close

    assert len(poster.closes) == 1  # found by its key, not revealed twice
    assert [s.kind for s in poster.searches] == [OutboxKind.CLOSE]
    async with engine.store.unit(read_only=True) as unit:
        closed = (await unit.get_slot(("test", "srv", "daily", "2026-11-18"))).closed_at
    assert closed is not None
    assert (await engine.answer(first.id, ANN, right(first))).status.value == "closed"


async def test_question_stays_closing_until_its_reveal_goes_out(engine: QuizEngine, clock: FakeClock) -> None:
    poster = FailingClosePoster()
    service = DailyService(engine, {"test": poster}, cutoff=CUTOFF, clock=clock)
    await engine.set_schedule(PLACE, "09:00", "UTC")
    first = await _post_day(service, engine, clock, date(2026, 11, 18))
    await _post_day(service, engine, clock, date(2026, 11, 19))  # the reveal fails

    late = await engine.answer(first.id, ANN, right(first))
    async with engine.store.unit(read_only=True) as unit:
        slot = await unit.get_slot(("test", "srv", "daily", "2026-11-18"))
    assert late.status.value == "closed"  # answers stopped at the close instant...
    assert slot.closed_at is None  # ...but the close is not done: its reveal has not gone out

    service.posters = {"test": RecordingPoster()}  # the platform is back
    clock.advance(minutes=1)
    await service.post_due()
    [(summary, _, ref)] = service.posters["test"].closes  # type: ignore[attr-defined]
    assert summary.asked.id == first.id and ref == f"msg-{first.id}"
    async with engine.store.unit(read_only=True) as unit:
        assert (await unit.get_slot(("test", "srv", "daily", "2026-11-18"))).closed_at is not None


async def test_a_question_that_never_went_out_does_not_count_as_asked(
    any_engine: QuizEngine, poster: RecordingPoster, clock: FakeClock
) -> None:
    engine = any_engine
    schedule = await engine.set_schedule(PLACE, "09:00", "UTC")
    clock.set(datetime(2026, 11, 18, 9, 0, tzinfo=UTC))
    service = DailyService(engine, {"test": poster}, cutoff=CUTOFF, clock=clock)
    lost, _ = await service.claim(latest_slot(schedule, clock()))  # claimed, then the process died for good

    async with engine.store.unit(read_only=True) as unit:
        counts = await unit.asked_counts(PLACE.channel_scope, posted_only=True)
    today = await _post_day(service, engine, clock, date(2026, 11, 19))

    assert counts == {}
    assert today.id != lost.id
    assert [p.id for p in poster.posts] == [today.id] and poster.closes == []  # nothing to reveal for it


class TurnPoster(RecordingPoster):
    """A platform with a per-channel limit (like Slack's): after its reveal, the first channel gets its
    turn for the new question only once the second channel's new question went out."""

    def __init__(self, first: str, second: str) -> None:
        super().__init__()
        self.first, self.second = first, second
        self.second_asked = asyncio.Event()

    def _revealed(self, channel: str) -> bool:
        return any(summary.asked.place.channel == channel for summary, _, _ in self.closes)

    async def wait_for_turn(self, channel: str) -> None:
        if channel == self.first and self._revealed(channel):  # day 2: the reveal just went out here
            await self.second_asked.wait()

    async def post_question(self, asked: AskedQuestion, *, key: str | None = None) -> str:
        ref = await super().post_question(asked, key=key)
        if asked.place.channel == self.second and self._revealed(self.second):
            self.second_asked.set()
        return ref


async def test_a_channel_waiting_for_its_turn_holds_no_fanout_place(
    engine: QuizEngine, clock: FakeClock
) -> None:
    first, second = (Place("test", "srv", name) for name in ("first", "second"))
    poster = TurnPoster(first.channel, second.channel)
    service = DailyService(engine, {"test": poster}, cutoff=CUTOFF, clock=clock, fanout=1)
    for place in (first, second):
        await engine.set_schedule(place, "09:00", "UTC")
    clock.set(datetime(2026, 11, 18, 9, 0, 30, tzinfo=UTC))
    assert {o for _, o in await service.post_due()} == {Outcome.POSTED}
    clock.advance(days=1)
    async with asyncio.timeout(30):  # a wait holding the only place would never let "second" through
        results = await service.post_due()
    assert [o for _, o in results] == [Outcome.POSTED, Outcome.POSTED]
    assert [c.asked.place.channel for c, _, _ in poster.closes] == ["first", "second"]
    assert [p.place.channel for p in poster.posts[2:]] == ["second", "first"]
