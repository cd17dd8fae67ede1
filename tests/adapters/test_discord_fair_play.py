"""Discord: repeats of ``/quiz`` are practice worth no points, and the monthly and accuracy boards."""

from __future__ import annotations

from adapters.discord_bot.bot import QuizBot
from quizbot.domain import AskKind, Difficulty, Place, Player
from quizbot.engine import ACCURACY_MIN_ANSWERS, QuizEngine
from quizbot.plugins import Runtime
from tests.adapters.discord_support import (  # noqa: F401  (the *_fixture names are used as fixtures)
    asked_id_of,
    bot_fixture,
    embed,
    fake_fixture,
    is_ephemeral,
    labels,
    recorder_fixture,
    runtime_fixture,
    settings_fixture,
)
from tests.fakes.discord_fake import FakeDiscord, FakeUser


def grace(fake: FakeDiscord) -> Player:
    return Player("discord", str(fake.member.id), "Grace")


def place_of(fake: FakeDiscord) -> Place:
    return Place("discord", str(fake.guild_id), str(fake.channel_id))


async def quiz_and_answer_right(fake: FakeDiscord, runtime: Runtime, user: FakeUser) -> tuple[dict, dict]:
    """``/quiz ml`` as ``user``, then a click on the button labelled with the right answer."""
    question = await (await fake.slash(user, "quiz", {"topic": "ml"})).reply()
    asked = await runtime.engine.get_asked(asked_id_of(question))
    assert asked is not None
    right = next(
        i for i, label in enumerate(labels(question)) if label.endswith(asked.question.correct_answer)
    )
    result = await (await fake.click(user, question["id"], f"quiz:{asked.id}:{right}")).reply()
    return question, result


async def test_a_repeated_question_is_marked_practice_and_scores_once(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot
) -> None:
    firsts = [await quiz_and_answer_right(fake, runtime, fake.member) for _ in range(3)]  # the 3 ml questions
    earned = (await runtime.engine.stats(place_of(fake), grace(fake))).points

    question, result = await quiz_and_answer_right(fake, runtime, fake.member)

    assert all(embed(r)["description"].startswith("✅ Right! +") for _, r in firsts)
    assert all(embed(q)["title"].startswith("Quiz ·") for q, _ in firsts)
    assert embed(question)["title"].startswith("Practice · ml")
    assert embed(question)["footer"]["text"].startswith(
        "Practice — no points: you have answered every question"
    )
    assert is_ephemeral(result)
    assert embed(result)["description"] == "✅ Right! Practice — no points."
    stats = await runtime.engine.stats(place_of(fake), grace(fake))
    assert (stats.points, stats.answered) == (earned, 3) and earned == 1 + 2 + 3


async def test_practice_does_not_move_the_player_on_any_board(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot
) -> None:
    for _ in range(5):
        await quiz_and_answer_right(fake, runtime, fake.member)

    for period in ("all", "week", "month"):
        board = await (await fake.slash(fake.member, "leaderboard", {"period": period})).reply()
        assert "6 pts · 3/3 right" in embed(board)["description"], period


async def answer_daily(engine: QuizEngine, place: Place, player: Player, *, right: bool) -> None:
    asked = await engine.ask(place, kind=AskKind.DAILY, difficulty=Difficulty.EASY)
    correct = asked.question.correct_index
    assert correct is not None
    await engine.answer(asked.id, player, correct if right else (correct + 1) % len(asked.question.choices))


async def test_leaderboard_offers_month_and_accuracy(fake: FakeDiscord, bot: QuizBot) -> None:
    (command,) = [c for c in await fake.wait_synced() if c["name"] == "leaderboard"]
    (option,) = command["options"]

    assert [c["value"] for c in option["choices"]] == ["all", "week", "month", "accuracy"]


async def test_monthly_board_is_this_months(fake: FakeDiscord, runtime: Runtime, bot: QuizBot) -> None:
    await answer_daily(runtime.engine, place_of(fake), grace(fake), right=True)

    board = await (await fake.slash(fake.member, "leaderboard", {"period": "month"})).reply()

    assert embed(board)["title"] == "Leaderboard · November 2026"  # the test clock's month
    assert embed(board)["description"].startswith("`  1.` **Grace** (you) — 1 pts")


async def test_accuracy_board_ranks_the_careful_player_first(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot
) -> None:
    place, busy = place_of(fake), Player("discord", "seed", "Linus")
    for n in range(30):  # Linus: 21 of 30 right, the most points
        await answer_daily(runtime.engine, place, busy, right=n % 10 < 7)
    for n in range(ACCURACY_MIN_ANSWERS):  # Grace: 9 of 10 right
        await answer_daily(runtime.engine, place, grace(fake), right=n > 0)

    points = await (await fake.slash(fake.member, "leaderboard", {"period": "all"})).reply()
    accuracy = await (await fake.slash(fake.member, "leaderboard", {"period": "accuracy"})).reply()

    assert "**Linus**" in embed(points)["description"].splitlines()[0]
    assert embed(accuracy)["title"] == "Accuracy · all time"
    assert embed(accuracy)["description"].splitlines() == [
        "`  1.` **Grace** (you) — 90% right · 9/10",
        "`  2.` **Linus** — 70% right · 21/30",
    ]
    assert "from 10 answers" in embed(accuracy)["footer"]["text"]


async def test_accuracy_board_without_enough_answers_says_so(fake: FakeDiscord, bot: QuizBot) -> None:
    board = await (await fake.slash(fake.member, "leaderboard", {"period": "accuracy"})).reply()

    assert embed(board)["description"] == "Nobody has 10 answers yet. Run /quiz to be first!"
