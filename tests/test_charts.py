"""Pictures: the weekly top 10 and a player's last 8 weeks, drawn from engine data.

Pixels are not asserted (fonts and anti-aliasing may differ between machines); what a user would notice is:
a PNG of a sensible size comes out for every shape of data, names are cleaned so they can be drawn, and the
engine's weeks count what the boards count.
"""

from __future__ import annotations

import struct
from datetime import UTC, date, datetime, timedelta

import pytest

from quizbot import charts
from quizbot.daily import DailyService
from quizbot.domain import (
    AskedQuestion,
    AskKind,
    Leaderboard,
    LeaderboardEntry,
    Period,
    Place,
    Player,
    PlayerHistory,
    WeekActivity,
)
from quizbot.engine import QuizEngine
from tests.conftest import FakeClock
from tests.test_daily import ANN, BOB, CUTOFF, PLACE, RecordingPoster, at, right


@pytest.fixture
def poster() -> RecordingPoster:
    return RecordingPoster()


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MONDAY = date(2026, 11, 23)


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk."""
    assert data.startswith(PNG_SIGNATURE)
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def assert_picture(picture: charts.Picture) -> None:
    assert picture.filename.endswith(".png")
    assert png_size(picture.data) == (800, 480)
    assert 5_000 < len(picture.data) < 500_000  # a real drawing, far below Discord's and Slack's limits
    assert picture.alt_text


def board(*entries: tuple[int, str, int], final: bool = True) -> Leaderboard:
    rows = tuple(
        LeaderboardEntry(rank, f"k{i}", name, points, points // 10, points // 8 + 1)
        for i, (rank, name, points) in enumerate(entries)
    )
    return Leaderboard("test:srv:daily", Period.WEEK, rows, week_start=date(2026, 11, 16), final=final)


def history(*weeks: tuple[int, int, int]) -> PlayerHistory:
    start = MONDAY - timedelta(weeks=len(weeks) - 1)
    return PlayerHistory(
        ANN,
        tuple(WeekActivity(start + timedelta(weeks=i), a, c, s) for i, (a, c, s) in enumerate(weeks)),
    )


# -- the weekly top ---------------------------------------------------------------------------------------


def test_a_full_week_with_ties_is_drawn_and_described() -> None:
    top = board(
        *((rank, f"player {n}", 100 - 10 * rank) for n, rank in enumerate([1, 2, 2, 4, 5, 6, 7, 8, 9, 10]))
    )
    picture = charts.weekly_top_png(top)
    assert_picture(picture)
    assert picture.alt_text.startswith(
        "Final standings · week of 16 Nov 2026: 1. player 0 90 points; 2. player 1"
    )
    assert "; 2. player 2 80 points; 4. player 3" in picture.alt_text  # tied players share their rank


def test_only_the_top_ten_are_drawn() -> None:
    top = board(*((n + 1, f"p{n}", 200 - n) for n in range(14)))
    assert "p9 " in charts.weekly_top_png(top).alt_text and "p10 " not in charts.weekly_top_png(top).alt_text


def test_an_empty_week_and_a_single_player_still_give_a_picture() -> None:
    empty = charts.weekly_top_png(board())
    assert_picture(empty)
    assert empty.alt_text.endswith(": no answers")
    assert_picture(charts.weekly_top_png(board((1, "Ann", 0))))  # one player without points: no division by 0


def test_hostile_names_are_drawn_as_plain_text() -> None:
    names = ["$\\frac{1}{0}$ $x^$", "a" * 300, "Zoë\u200b \U0001f98a\nÜnïcode", "李小龙", "\x00\x1b[31m"]
    picture = charts.weekly_top_png(board(*((n + 1, name, 10 - n) for n, name in enumerate(names))))
    assert_picture(picture)  # a broken $math$ name would raise while drawing


def test_names_are_cleaned_to_one_short_drawable_line() -> None:
    assert charts.clean_name("$5 and $10") == "$5 and $10"
    assert charts.clean_name("a" * 50) == "a" * 19 + "…"
    assert (
        charts.clean_name("Zoë\u200b \U0001f98a\nÜnïcode") == "Zoë Ünïcode"
    )  # no emoji, no zero-width space
    assert charts.clean_name("\x00\x1b") == "?"
    assert len(charts.clean_name("李小龙")) == 3  # shown as ? where no installed font has the glyphs


def test_the_same_data_gives_the_same_bytes() -> None:
    top = board((1, "Ann", 30), (2, "Bob", 20))
    assert charts.weekly_top_png(top).data == charts.weekly_top_png(top).data


# -- a player's weeks -------------------------------------------------------------------------------------


def test_a_players_weeks_are_drawn_and_described() -> None:
    picture = charts.history_png(
        history((0, 0, 0), (5, 3, 2), (12, 10, 6), (0, 0, 0), (1, 1, 1), (3, 0, 0), (8, 8, 8), (2, 1, 1))
    )
    assert_picture(picture)
    assert picture.alt_text.startswith(
        "Ann, last 8 weeks: week of 5 Oct: 0/0 right, streak 0; week of 12 Oct"
    )
    assert picture.alt_text.endswith("week of 23 Nov: 1/2 right, streak 1")


def test_no_answers_and_a_single_answer_still_give_a_picture() -> None:
    assert_picture(charts.history_png(history(*[(0, 0, 0)] * 8)))
    assert_picture(charts.history_png(history(*[(0, 0, 0)] * 7, (1, 0, 0))))
    long_name = PlayerHistory(Player("test", "u9", "名前" * 80), history((1, 1, 1)).weeks)
    assert_picture(charts.history_png(long_name))


async def test_rendering_runs_in_a_worker_thread_and_gives_the_same_picture() -> None:
    weeks = history(*[(2, 1, 1)] * 8)
    assert (await charts.history_picture(weeks)).data == charts.history_png(weeks).data
    top = board((1, "Ann", 3))
    assert (await charts.weekly_top_picture(top)).data == charts.weekly_top_png(top).data


# -- the engine's weeks (SQLite and PostgreSQL) ----------------------------------------------------------


def wrong(asked: AskedQuestion) -> int | str:
    q = asked.question
    return (q.correct_index + 1) % len(q.choices) if q.has_choices else "certainly not this"


async def test_weekly_history_counts_each_utc_week_like_the_boards(
    any_engine: QuizEngine, clock: FakeClock
) -> None:
    place = Place("test", "srv", "c1")
    # channel questions (daily): a player's on-demand /quiz would serve due reviews, which are practice
    clock.set(datetime(2026, 11, 9, 0, 30, tzinfo=UTC))  # Monday of the week of 9 Nov
    for answer in (right, wrong, right):
        asked = await any_engine.ask(place, kind=AskKind.DAILY)
        await any_engine.answer(asked.id, ANN, answer(asked))
        clock.advance(minutes=1)
    clock.set(datetime(2026, 11, 15, 23, 59, tzinfo=UTC))  # Sunday night: still that week
    asked = await any_engine.ask(place, kind=AskKind.DAILY)
    await any_engine.answer(asked.id, ANN, right(asked))
    clock.set(datetime(2026, 11, 18, 12, 0, tzinfo=UTC))  # this week: one wrong answer
    asked = await any_engine.ask(Place("test", "srv", "another-channel"), kind=AskKind.DAILY)
    await any_engine.answer(asked.id, ANN, wrong(asked))
    other_server = await any_engine.ask(Place("test", "elsewhere", "c1"), ANN)
    await any_engine.answer(other_server.id, ANN, right(other_server))
    someone_else = await any_engine.ask(place, BOB)
    await any_engine.answer(someone_else.id, BOB, right(someone_else))

    weeks = (await any_engine.weekly_history(place, ANN)).weeks

    assert [w.week_start for w in weeks] == [date(2026, 9, 28) + timedelta(weeks=n) for n in range(8)]
    assert [(w.answered, w.correct, w.best_streak) for w in weeks[-2:]] == [(4, 3, 2), (1, 0, 0)]
    assert all(w.answered == 0 for w in weeks[:-2])


async def test_weekly_history_leaves_out_practice_and_old_weeks(engine: QuizEngine, clock: FakeClock) -> None:
    place = Place("test", "srv", "c1")
    clock.set(datetime(2026, 9, 1, 12, 0, tzinfo=UTC))  # ten weeks ago: outside the picture
    asked = await engine.ask(place, ANN)
    await engine.answer(asked.id, ANN, right(asked))
    clock.set(datetime(2026, 11, 18, 12, 0, tzinfo=UTC))
    for _ in range(len(engine.bank) + 1):  # the last one is a repeat: practice, never counted
        asked = await engine.ask(place, ANN)
        await engine.answer(asked.id, ANN, right(asked))
    this_week = (await engine.weekly_history(place, ANN)).weeks[-1]
    assert this_week.answered == len(engine.bank) - 1 and this_week.correct == this_week.answered
    assert (await engine.weekly_history(place, ANN)).answered == this_week.answered


async def test_a_held_answer_stays_out_of_the_weeks_until_its_question_closes(
    engine: QuizEngine, clock: FakeClock, poster: RecordingPoster
) -> None:
    service = DailyService(engine, {"test": poster}, cutoff=CUTOFF, clock=clock)
    await engine.set_schedule(PLACE, "09:00", "UTC", reveal_at_close=True)
    clock.set(datetime(2026, 11, 18, 9, 0, tzinfo=UTC))
    await service.post_due()
    await engine.answer(poster.posts[-1].id, ANN, wrong(poster.posts[-1]))
    assert (await engine.weekly_history(PLACE, ANN)).answered == 0  # the verdict is still a secret
    clock.set(datetime(2026, 11, 19, 9, 0, tzinfo=UTC))
    await service.post_due()  # closes yesterday's question
    assert (await engine.weekly_history(PLACE, ANN)).weeks[-1].answered == 1


# -- Monday's closing post ----------------------------------------------------------------------------------


async def test_mondays_close_carries_last_weeks_top_as_a_picture_and_weekdays_do_not(
    engine: QuizEngine, clock: FakeClock, poster: RecordingPoster
) -> None:
    zone = "Europe/Berlin"
    service = DailyService(engine, {"test": poster}, cutoff=CUTOFF, clock=clock)
    await engine.set_schedule(PLACE, "09:00", zone)
    clock.set(at(zone, 2026, 11, 21, 9))  # Saturday
    await service.post_due()
    saturday = poster.posts[-1]
    await engine.answer(saturday.id, ANN, right(saturday))
    await engine.answer(saturday.id, BOB, wrong(saturday))
    clock.set(at(zone, 2026, 11, 22, 9))  # Sunday: closes Saturday's question, mid-week board
    await service.post_due()
    assert poster.closes[-1][1].final is False and poster.pictures[-1] is None
    clock.set(at(zone, 2026, 11, 23, 9))  # Monday: closes Sunday's question with last week's final top
    await service.post_due()
    picture = poster.pictures[-1]
    assert poster.closes[-1][1].final and picture is not None
    assert_picture(picture)
    assert picture.alt_text.startswith("Final standings · week of 16 Nov 2026: 1. Ann")
    assert "Bob 0 points" in picture.alt_text


async def test_a_monday_after_a_quiet_week_has_no_picture(
    engine: QuizEngine, clock: FakeClock, poster: RecordingPoster
) -> None:
    service = DailyService(engine, {"test": poster}, cutoff=CUTOFF, clock=clock)
    await engine.set_schedule(PLACE, "09:00", "UTC")
    clock.set(datetime(2026, 11, 22, 9, 0, tzinfo=UTC))
    await service.post_due()
    clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    await service.post_due()
    assert poster.closes[-1][1].final and poster.pictures == [None]


def test_the_render_benchmark_runs_and_prints_its_ratios(capsys: pytest.CaptureFixture[str]) -> None:
    from benchmarks import charts as benchmark

    assert benchmark.main(["--repeats", "1"]) == 0
    table = capsys.readouterr().out
    assert "weekly top 10" in table and "× baseline" in table and "worker thread" in table
