"""The engine's use cases, against real SQLite files and a real PostgreSQL database."""

from __future__ import annotations

import asyncio
import random
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from quizbot.domain import (
    AnswerStatus,
    AskKind,
    Difficulty,
    NoQuestionError,
    NotForYouError,
    Period,
    Place,
    Player,
    QuestionType,
    QuizError,
    UnknownAskedError,
)
from quizbot.engine import QuizEngine, week_key
from tests.conftest import TEST_BANK, FakeClock, make_settings

PLACE = Place("test", "server1", "general")
OTHER_CHANNEL = Place("test", "server1", "random")
ANN = Player("test", "u1", "Ann")
BOB = Player("test", "u2", "Bob")


def right(asked) -> int | str:
    q = asked.question
    return q.correct_index if q.has_choices else q.accepted[0]


def wrong(asked) -> int | str:
    q = asked.question
    return (q.correct_index + 1) % len(q.choices) if q.has_choices else "definitely not it"


async def ask_type(engine: QuizEngine, qtype: QuestionType, player: Player = ANN, place: Place = PLACE):
    for _ in range(20):
        asked = await engine.ask(place, player)
        if asked.question.type is qtype:
            return asked
    raise AssertionError(f"no {qtype} question came up")


# -- ask ----------------------------------------------------------------------------------------------


async def test_no_question_repeats_for_a_player_until_all_were_asked(any_engine: QuizEngine) -> None:
    total = len(any_engine.bank)
    first_round = [(await any_engine.ask(PLACE, ANN)).question.id for _ in range(total)]
    second_round = [(await any_engine.ask(PLACE, ANN)).question.id for _ in range(total)]
    assert sorted(first_round) == sorted(q.id for q in any_engine.bank.questions)
    assert sorted(second_round) == sorted(first_round)


async def test_history_is_per_player_and_per_channel(engine: QuizEngine) -> None:
    only_two = engine.bank.eligible("tools")
    ann_first = (await engine.ask(PLACE, ANN, topic="tools")).question.id
    others = {
        (await engine.ask(PLACE, Player("test", f"p{i}", "P"), topic="tools")).question.id for i in range(12)
    }
    channel = {(await engine.ask(PLACE, topic="tools")).question.id for _ in range(2)}
    assert len(only_two) == 2
    assert ann_first in others  # Ann's history rules nothing out for the other players...
    assert (await engine.ask(PLACE, ANN, topic="tools")).question.id != ann_first  # ...only for Ann
    assert len(channel) == 2  # and the channel keeps its own


async def test_topic_and_difficulty_filter_what_is_asked(engine: QuizEngine) -> None:
    topics = {(await engine.ask(PLACE, ANN, topic="TOOLS")).question.topic for _ in range(6)}
    hard = {(await engine.ask(PLACE, BOB, difficulty=Difficulty.HARD)).question.id for _ in range(3)}
    assert topics == {"tools"}
    assert hard == {"ml-precision-recall"}


async def test_unknown_topic_names_the_topics_that_exist(engine: QuizEngine) -> None:
    with pytest.raises(NoQuestionError, match=r"No questions on topic 'cooking'. Topics: ml, tools"):
        await engine.ask(PLACE, ANN, topic="cooking")


# -- answer -------------------------------------------------------------------------------------------


async def test_right_answer_scores_points_by_difficulty(any_engine: QuizEngine) -> None:
    asked = await any_engine.ask(PLACE, ANN, difficulty=Difficulty.HARD)
    result = await any_engine.answer(asked.id, ANN, right(asked))
    assert result.status is AnswerStatus.ACCEPTED
    assert result.correct and result.points == 3
    assert result.correct_answer == "Precision"
    assert "TP / (TP + FP)" in result.explanation


async def test_wrong_answer_scores_nothing_and_reveals_the_answer(any_engine: QuizEngine) -> None:
    asked = await any_engine.ask(PLACE, ANN, difficulty=Difficulty.HARD)
    result = await any_engine.answer(asked.id, ANN, asked.question.choices.index("Recall"))
    assert (result.correct, result.points, result.given) == (False, 0, "Recall")
    assert result.correct_answer == "Precision"


async def test_second_answer_is_refused_and_the_first_result_returned(any_engine: QuizEngine) -> None:
    asked = await any_engine.ask(PLACE)
    first = await any_engine.answer(asked.id, ANN, wrong(asked))
    second = await any_engine.answer(asked.id, ANN, right(asked))
    assert first.status is AnswerStatus.ACCEPTED and not first.correct
    assert second.status is AnswerStatus.ALREADY_ANSWERED
    assert (second.correct, second.given) == (False, first.given)
    assert (await any_engine.stats(PLACE, ANN)).answered == 1


async def test_concurrent_double_clicks_record_exactly_one_answer(any_engine: QuizEngine) -> None:
    asked = await any_engine.ask(PLACE)
    results = await asyncio.gather(*(any_engine.answer(asked.id, ANN, right(asked)) for _ in range(10)))
    statuses = sorted(r.status.value for r in results)
    assert statuses.count("accepted") == 1 and statuses.count("already_answered") == 9
    stats = await any_engine.stats(PLACE, ANN)
    assert (stats.answered, stats.correct) == (1, 1)


async def test_answer_after_close_is_refused_and_not_counted(any_engine: QuizEngine) -> None:
    asked = await any_engine.ask(PLACE, kind=AskKind.DAILY)
    await any_engine.answer(asked.id, ANN, right(asked))
    await any_engine.close_question(asked.id)
    late = await any_engine.answer(asked.id, BOB, right(asked))
    again = await any_engine.answer(asked.id, ANN, wrong(asked))
    assert late.status is AnswerStatus.CLOSED and not late.recorded
    assert again.status is AnswerStatus.ALREADY_ANSWERED and again.correct
    assert (await any_engine.stats(PLACE, BOB)).answered == 0


async def test_a_private_question_cannot_be_answered_by_someone_else(engine: QuizEngine) -> None:
    asked = await engine.ask(PLACE, ANN)
    result = await engine.answer(asked.id, BOB, right(asked))
    assert result.status is AnswerStatus.NOT_FOR_YOU
    assert (await engine.stats(PLACE, BOB)).answered == 0


async def test_out_of_range_choice_is_invalid_and_not_recorded(engine: QuizEngine) -> None:
    asked = await ask_type(engine, QuestionType.MULTIPLE_CHOICE)
    assert (await engine.answer(asked.id, ANN, 9)).status is AnswerStatus.INVALID
    assert (await engine.answer(asked.id, ANN, right(asked))).status is AnswerStatus.ACCEPTED


async def test_typed_letter_or_choice_text_answers_a_choice_question(engine: QuizEngine) -> None:
    asked = await engine.ask(PLACE, ANN, difficulty=Difficulty.HARD)  # choices Recall, Precision, Accuracy
    letter = "abc"[asked.question.choices.index("Precision")]  # in the order shown, shuffled when asked
    assert (await engine.answer(asked.id, ANN, letter)).correct
    asked = await engine.ask(PLACE, BOB, difficulty=Difficulty.HARD)
    assert (await engine.answer(asked.id, BOB, "  precision! ")).correct


async def test_short_answer_accepts_aliases_and_typos_but_not_fragments(engine: QuizEngine) -> None:
    players = [Player("test", f"p{i}", f"P{i}") for i in range(4)]
    verdicts = []
    for player, text in zip(players, ["spark", "Apache Sprak", "Apache", "Spark Hadoop"], strict=True):
        asked = await engine.ask(PLACE, player, topic="tools", difficulty=Difficulty.MEDIUM)
        verdicts.append((await engine.answer(asked.id, player, text)).correct)
    assert verdicts == [True, True, False, False]


async def test_unknown_asked_id_is_a_clear_error(engine: QuizEngine) -> None:
    with pytest.raises(UnknownAskedError):
        await engine.answer(999_999, ANN, 0)


FORGED_IDS = [2**63, str(2**63), "9" * 5000, "²", "٣", "1_000", "Infinity", "-1", "0", -1, 0, "", " 1", True]


@pytest.mark.parametrize("forged", FORGED_IDS, ids=lambda v: repr(v)[:24])
async def test_a_forged_or_out_of_range_id_is_a_question_no_longer_available(
    any_engine: QuizEngine, forged: object
) -> None:
    with pytest.raises(UnknownAskedError, match="no longer available"):
        await any_engine.answer(forged, ANN, 0)  # type: ignore[arg-type]
    assert await any_engine.get_asked(forged) is None  # type: ignore[arg-type]
    with pytest.raises(UnknownAskedError, match="no longer available"):
        await any_engine.question_for(forged, ANN)  # type: ignore[arg-type]


async def test_an_id_arriving_as_text_reaches_its_question(engine: QuizEngine) -> None:
    asked = await engine.ask(PLACE, ANN)
    assert (await engine.answer(str(asked.id), ANN, right(asked))).correct
    assert (await engine.question_for(str(asked.id), ANN)).id == asked.id


async def test_a_private_question_is_not_shown_to_another_player(engine: QuizEngine) -> None:
    asked = await engine.ask(PLACE, ANN)
    with pytest.raises(NotForYouError, match="asked to someone else"):
        await engine.question_for(asked.id, BOB)
    public = await engine.ask(PLACE, kind=AskKind.DAILY)
    assert (await engine.question_for(public.id, BOB)).id == public.id


async def test_streak_counts_consecutive_right_answers_and_keeps_the_best(any_engine: QuizEngine) -> None:
    outcomes = [True, True, True, False, True]
    for ok in outcomes:
        asked = await any_engine.ask(PLACE, ANN)
        result = await any_engine.answer(asked.id, ANN, right(asked) if ok else wrong(asked))
    assert (result.streak, result.best_streak) == (1, 3)
    stats = await any_engine.stats(PLACE, ANN)
    assert (stats.answered, stats.correct, stats.streak, stats.best_streak) == (5, 4, 1, 3)
    assert stats.accuracy == pytest.approx(0.8)


# -- leaderboard --------------------------------------------------------------------------------------


async def _score(engine: QuizEngine, player: Player, correct_answers: int, place: Place = PLACE) -> None:
    """``correct_answers`` easy daily questions (1 point each) answered right: daily questions always score,
    while the test bank holds only two easy questions to ask a player on demand."""
    for _ in range(correct_answers):
        asked = await engine.ask(place, kind=AskKind.DAILY, difficulty=Difficulty.EASY)
        await engine.answer(asked.id, player, right(asked))


async def test_leaderboard_ranks_by_points_and_shows_my_rank_outside_the_top(any_engine: QuizEngine) -> None:
    players = [Player("test", f"u{i:02}", f"Player {i}") for i in range(12)]
    for i, player in enumerate(players):
        await _score(any_engine, player, 12 - i)  # Player 0 has 12 points ... Player 11 has 1
    board = await any_engine.leaderboard(PLACE, players[11], limit=10)
    assert [e.name for e in board.entries] == [f"Player {i}" for i in range(10)]
    assert [e.rank for e in board.entries] == list(range(1, 11))
    assert board.me is not None and (board.me.rank, board.me.points, board.me.name) == (12, 1, "Player 11")


async def test_players_with_equal_points_share_a_rank(engine: QuizEngine) -> None:
    carl = Player("test", "u3", "Carl")
    await _score(engine, ANN, 2)
    await _score(engine, BOB, 2)
    await _score(engine, carl, 1)
    board = await engine.leaderboard(PLACE, carl)
    assert [e.rank for e in board.entries] == [1, 1, 3]
    assert board.me is not None and board.me.rank == 3


async def test_weekly_board_starts_again_on_monday(engine: QuizEngine, clock: FakeClock) -> None:
    await _score(engine, ANN, 2)  # Wednesday 18 November
    clock.set(datetime(2026, 11, 22, 23, 59, tzinfo=UTC))  # Sunday night, same week
    await _score(engine, BOB, 1)
    week = await engine.leaderboard(PLACE, period=Period.WEEK)
    assert [(e.name, e.points) for e in week.entries] == [("Ann", 2), ("Bob", 1)]
    clock.set(datetime(2026, 11, 23, 0, 1, tzinfo=UTC))  # Monday 00:01
    assert (await engine.leaderboard(PLACE, period=Period.WEEK)).entries == ()
    all_time = await engine.leaderboard(PLACE, period=Period.ALL)
    assert [e.points for e in all_time.entries] == [2, 1]


async def test_channel_board_counts_only_that_channel(engine: QuizEngine) -> None:
    await _score(engine, ANN, 2, PLACE)
    await _score(engine, BOB, 1, OTHER_CHANNEL)
    channel = await engine.leaderboard(OTHER_CHANNEL, channel_only=True)
    server = await engine.leaderboard(OTHER_CHANNEL)
    assert [e.name for e in channel.entries] == ["Bob"]
    assert [e.name for e in server.entries] == ["Ann", "Bob"]


async def test_channel_week_follows_the_channel_time_zone(engine: QuizEngine, clock: FakeClock) -> None:
    await engine.set_schedule(PLACE, "09:00", "Pacific/Auckland")
    clock.set(datetime(2026, 11, 22, 12, 30, tzinfo=UTC))  # Sunday in UTC, already Monday in Auckland
    await _score(engine, ANN, 1)
    assert week_key(clock.now, "Pacific/Auckland") == "w:2026-11-23"
    board = await engine.leaderboard(PLACE, period=Period.WEEK, channel_only=True)
    assert [e.name for e in board.entries] == ["Ann"] and board.week_start == date(2026, 11, 23)
    server = await engine.leaderboard(PLACE, period=Period.WEEK)  # server boards keep UTC weeks
    assert [e.name for e in server.entries] == ["Ann"] and server.week_start == date(2026, 11, 16)


async def test_stats_of_a_newcomer_are_zero(engine: QuizEngine) -> None:
    stats = await engine.stats(PLACE, ANN)
    assert (stats.answered, stats.correct, stats.accuracy, stats.best_streak) == (0, 0, 0.0, 0)


# -- close --------------------------------------------------------------------------------------------


async def test_close_summary_counts_answers_and_lists_first_correct(
    any_engine: QuizEngine, clock: FakeClock
) -> None:
    asked = await any_engine.ask(PLACE, kind=AskKind.DAILY)
    players = [Player("test", f"u{i}", f"P{i}") for i in range(5)]
    for i, player in enumerate(players):
        clock.advance(seconds=1)
        await any_engine.answer(asked.id, player, right(asked) if i in (1, 3, 4) else wrong(asked))
    summary = await any_engine.close_question(asked.id)
    assert (summary.answered, summary.correct) == (5, 3)
    assert summary.first_correct == ("P1", "P3", "P4")
    assert summary.share_correct == pytest.approx(0.6)
    assert summary.asked.is_closed
    assert (await any_engine.close_question(asked.id)).asked.closed_at == summary.asked.closed_at


# -- reload -------------------------------------------------------------------------------------------


async def test_failed_reload_keeps_serving_the_previous_bank(sqlite_url: str, tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    shutil.copytree(TEST_BANK, bank)
    engine = await QuizEngine.open(make_settings(sqlite_url, bank), rng=random.Random(1))
    try:
        (bank / "broken.yaml").write_text("questions:\n  - id: x\n    type: true_false\n", encoding="utf-8")
        report = await engine.reload()
        assert not report.ok and report.questions == 5
        assert any("broken.yaml:2:" in line and "'prompt' is missing" in line for line in report.errors)
        assert len(engine.bank) == 5 and (await engine.ask(PLACE, ANN)).question
        (bank / "broken.yaml").write_text(
            "questions:\n  - id: x\n    type: true_false\n    prompt: Water is wet.\n"
            "    answer: true\n    explanation: It is.\n",
            encoding="utf-8",
        )
        report = await engine.reload()
        assert report.ok and report.questions == 6 and engine.bank.get("x") is not None
    finally:
        await engine.aclose()


# -- schedules ----------------------------------------------------------------------------------------


async def test_schedules_are_stored_one_per_channel(any_engine: QuizEngine) -> None:
    await any_engine.set_schedule(PLACE, "9:30", "Europe/Berlin", (0, 1, 2, 3, 4))
    await any_engine.set_schedule(PLACE, "10:00", "America/New_York")
    await any_engine.set_schedule(OTHER_CHANNEL, "08:00", "UTC")
    schedules = await any_engine.list_schedules("test")
    assert [(s.place.channel, s.time, s.timezone) for s in schedules] == [
        ("general", "10:00", "America/New_York"),
        ("random", "08:00", "UTC"),
    ]
    assert await any_engine.remove_schedule(PLACE) is True
    assert await any_engine.remove_schedule(PLACE) is False
    assert len(await any_engine.list_schedules()) == 1


async def test_changing_only_the_time_keeps_weekdays_and_reveal(engine: QuizEngine) -> None:
    await engine.set_schedule(PLACE, "08:00", "UTC", (0, 1, 2, 3, 4), reveal_at_close=True)
    await engine.set_schedule(PLACE, "09:15", "Europe/Berlin")  # what an admin command sends
    (schedule,) = await engine.list_schedules()
    assert (schedule.time, schedule.timezone, schedule.weekdays, schedule.reveal_at_close) == (
        "09:15",
        "Europe/Berlin",
        (0, 1, 2, 3, 4),
        True,
    )
    await engine.set_schedule(PLACE, "09:15", "UTC", (), reveal_at_close=False)  # explicit values do change
    (schedule,) = await engine.list_schedules()
    assert (schedule.weekdays, schedule.reveal_at_close) == ((), False)


@pytest.mark.parametrize(
    ("time", "zone", "message"),
    [
        ("25:00", "UTC", "not a time"),
        ("9am", "UTC", "not a time"),
        ("09:00", "Mars/Olympus", "Unknown time zone 'Mars/Olympus'"),
        ("09:00", "Europe", "Unknown time zone 'Europe'"),  # a folder of zones, not a zone
        ("09:00", "localtime", "Unknown time zone 'localtime'"),  # would follow the host's clock
    ],
)
async def test_bad_schedule_is_refused_with_a_message(
    engine: QuizEngine, time: str, zone: str, message: str
) -> None:
    with pytest.raises(QuizError, match=message):
        await engine.set_schedule(PLACE, time, zone)
    assert await engine.list_schedules() == []


# -- questions as asked -------------------------------------------------------------------------------


async def test_editing_or_removing_a_question_never_changes_an_asked_one(
    sqlite_url: str, tmp_path: Path
) -> None:
    bank = tmp_path / "bank"
    shutil.copytree(TEST_BANK, bank)
    engine = await QuizEngine.open(make_settings(sqlite_url, bank), rng=random.Random(1))
    try:
        asked = await engine.ask(
            PLACE, kind=AskKind.DAILY, difficulty=Difficulty.HARD
        )  # Recall, Precision, Accuracy
        ml = (bank / "ml.yaml").read_text(encoding="utf-8")
        (bank / "ml.yaml").write_text(
            ml.replace("[Recall, Precision, Accuracy]", "[Precision, Recall, Accuracy]")
        )
        assert (await engine.reload()).ok
        precision, recall = (asked.question.choices.index(c) for c in ("Precision", "Recall"))
        assert (await engine.answer(asked.id, ANN, precision)).correct  # what the button meant when posted
        (bank / "ml.yaml").write_text(ml.split("  - id: ml-precision-recall")[0], encoding="utf-8")
        assert (await engine.reload()).ok and engine.bank.get("ml-precision-recall") is None
        assert (await engine.answer(asked.id, BOB, recall)).given == "Recall"
        summary = await engine.close_question(asked.id)
        assert (summary.answered, summary.correct, summary.asked.question.correct_answer) == (
            2,
            1,
            "Precision",
        )
    finally:
        await engine.aclose()


async def test_held_verdict_is_scored_only_when_the_question_closes(any_engine: QuizEngine) -> None:
    asked = await any_engine.ask(PLACE, kind=AskKind.DAILY, daily_seq=1, reveal_at_close=True)
    result = await any_engine.answer(asked.id, ANN, right(asked))
    await any_engine.answer(asked.id, BOB, wrong(asked))
    assert result.recorded and not result.reveal
    assert (await any_engine.stats(PLACE, ANN)).answered == 0  # the board would give the verdict away
    await any_engine.close_question(asked.id)
    ann, bob = await any_engine.stats(PLACE, ANN), await any_engine.stats(PLACE, BOB)
    assert (ann.answered, ann.correct, ann.points, bob.answered, bob.points) == (
        1,
        1,
        asked.question.points,
        1,
        0,
    )
    await any_engine.close_question(asked.id)  # closing twice scores once
    assert (await any_engine.stats(PLACE, ANN)).answered == 1
