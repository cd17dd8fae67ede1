"""Block Kit rendering stays within Slack's limits whatever the question files contain."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from adapters.slack_app.blocks import (
    BUTTON_TEXT_MAX,
    SECTION_MAX,
    Message,
    answer_message,
    answer_modal,
    close_reveal_message,
    closed_question_message,
    help_message,
    leaderboard_message,
    question_message,
    reload_message,
    stats_message,
)
from adapters.slack_app.ids import ModalContext
from quizbot.domain import (
    AnswerResult,
    AnswerStatus,
    AskedQuestion,
    AskKind,
    CloseSummary,
    Difficulty,
    Leaderboard,
    LeaderboardEntry,
    Period,
    Place,
    Player,
    PlayerStats,
    Question,
    QuestionType,
)
from quizbot.engine import ReloadReport
from tests.adapters.slack_support import assert_nothing_pings, assert_valid_message
from tests.fakes.slack_fake import SentMessage

PLACE = Place("slack", "T1", "C1")
ALICE = Player("slack", "U1", "alice")
HUGE = "<!channel> & " * 600  # 7,800 characters, every one of them needing care


def question(
    kind: QuestionType = QuestionType.MULTIPLE_CHOICE, *, text: str = "Which?", n: int = 4
) -> Question:
    if kind is QuestionType.SHORT_ANSWER:
        choices: tuple[str, ...] = ()
        correct: int | None = None
        accepted: tuple[str, ...] = ("spark",)
    elif kind is QuestionType.TRUE_FALSE:
        choices, correct, accepted = ("True", "False"), 0, ("True",)
    else:
        choices = tuple(f"{text} choice {i}" for i in range(n))
        correct, accepted = 0, (choices[0],)
    return Question(
        id="q1",
        type=kind,
        prompt=text,
        choices=choices,
        correct_index=correct,
        accepted=accepted,
        explanation=text,
        difficulty=Difficulty.HARD,
        topic=text[:40],
    )


def asked(q: Question, kind: AskKind = AskKind.QUIZ) -> AskedQuestion:
    return AskedQuestion(1, q, PLACE, kind, datetime(2025, 1, 6, tzinfo=UTC))


def check(message: Message | dict, via: str = "response_url") -> SentMessage:
    body = message if isinstance(message, dict) else message.kwargs()
    sent = SentMessage(via, body)
    assert_valid_message(sent)
    assert_nothing_pings(sent)
    return sent


@pytest.mark.parametrize("kind", list(QuestionType))
@pytest.mark.parametrize("text", ["Plain?", HUGE], ids=["plain", "huge-hostile"])
def test_every_question_kind_renders_valid_block_kit(kind: QuestionType, text: str) -> None:
    q = asked(question(kind, text=text))
    check(question_message(q))
    check(question_message(asked(q.question, AskKind.DAILY), answered=12))
    check(answer_modal(q, ModalContext(1, "C1", "https://hooks.slack.com/x")), via="views.open")
    result = AnswerResult(
        AnswerStatus.ACCEPTED, 1, q.question, ALICE, given=text, correct=True, points=3, streak=4
    )
    for status in AnswerStatus:
        check(answer_message(AnswerResult(status, 1, q.question, ALICE, given=text)))
    check(answer_message(result, q))
    summary = CloseSummary(q, answered=3, correct=1, first_correct=(text, "bob"))
    board = Leaderboard(
        "slack:T1", Period.WEEK, tuple(LeaderboardEntry(i, f"k{i}", text, 9, 3, 4) for i in range(5))
    )
    check(closed_question_message(summary), via="chat.update")
    check(close_reveal_message(summary, board), via="chat.postMessage")


def test_long_choices_are_shortened_on_buttons_and_listed_in_full() -> None:
    q = asked(question(text="x" * 200))

    sent = check(question_message(q))

    labels = [e["text"]["text"] for b in sent.blocks if b["type"] == "actions" for e in b["elements"]]
    assert all(len(label) <= BUTTON_TEXT_MAX and label.endswith("…") for label in labels)
    assert any(b.get("block_id") == "quiz-choice-list" for b in sent.blocks)


def test_more_than_25_choices_are_split_over_several_rows_of_buttons() -> None:
    sent = check(question_message(asked(question(n=26))))

    rows = [len(b["elements"]) for b in sent.blocks if b["type"] == "actions"]
    assert rows == [25, 1]


def test_a_huge_prompt_is_clipped_to_the_section_limit() -> None:
    sent = check(question_message(asked(question(text=HUGE))))

    prompt = next(b for b in sent.blocks if b.get("block_id") == "quiz-prompt")["text"]["text"]
    assert len(prompt) == SECTION_MAX and prompt.endswith("…")


def test_board_help_stats_and_reload_render_valid_block_kit() -> None:
    entries = tuple(LeaderboardEntry(i + 1, f"k{i}", HUGE, 100 - i, 5, 6) for i in range(10))
    me = LeaderboardEntry(4321, "me", "alice", 1, 1, 9)
    check(leaderboard_message(Leaderboard("slack:T1", Period.ALL, entries, me)))
    check(leaderboard_message(Leaderboard("slack:T1", Period.WEEK, ())))
    check(help_message([HUGE] * 30, unknown=HUGE))
    check(stats_message(PlayerStats(ALICE, answered=9, correct=3, points=7, streak=1, best_streak=4)))
    check(stats_message(PlayerStats(ALICE)))
    check(reload_message(ReloadReport(False, 5, tuple(HUGE[:500] for _ in range(40))), serving=5))
    check(reload_message(ReloadReport(True, 6), serving=6))


def test_held_back_answers_final_boards_and_daily_streaks_render_valid_block_kit() -> None:
    q = asked(question(text=HUGE), AskKind.DAILY)
    for status in (AnswerStatus.ACCEPTED, AnswerStatus.ALREADY_ANSWERED):
        held = AnswerResult(status, 1, q.question, ALICE, given=HUGE, correct=True, points=3, reveal=False)
        sent = check(answer_message(held))
        assert "revealed when the question closes" in sent.text and "Correct" not in sent.text
    entries = tuple(LeaderboardEntry(i + 1, f"k{i}", HUGE, 10 - i, 3, 4, streak=99) for i in range(5))
    for final in (False, True):
        board = Leaderboard("slack:T1:C1", Period.WEEK, entries, week_start=date(2026, 11, 16), final=final)
        check(close_reveal_message(CloseSummary(q, 5, 5, (HUGE,) * 5), board), via="chat.postMessage")
        check(leaderboard_message(board))
    daily = PlayerStats(ALICE, answered=9, correct=3, points=7, daily_streak=2, daily_best_streak=5)
    assert "*Daily streak here*\n2 (best 5)" in check(stats_message(daily)).text
