"""Discord: a missed question comes back as a review on a later day; /quiz-review, /quiz-stats, reminders."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.discord_bot.bot import QuizBot
from adapters.discord_bot.poster import DiscordChannelPoster
from quizbot.plugins import Runtime
from quizbot.scheduler import send_reminders
from tests.adapters.discord_support import (  # noqa: F401  (the *_fixture names are used as fixtures)
    asked_id_of,
    bot_fixture,
    embed,
    fake_fixture,
    field,
    is_ephemeral,
    labels,
    recorder_fixture,
    runtime_fixture,
    settings_fixture,
    text_of,
)
from tests.conftest import FakeClock
from tests.fakes.discord_fake import FakeDiscord

ONE_QUESTION = """\
topic: planets
difficulty: easy
questions:
  - id: planets-second
    type: multiple_choice
    prompt: Which planet is second from the sun?
    choices: [Mercury, Venus, Mars]
    answer: Venus
    explanation: Venus orbits between Mercury and Earth.
"""


@pytest.fixture
def bank_dir(tmp_path: Path) -> Path:
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "planets.yaml").write_text(ONE_QUESTION, encoding="utf-8")
    return bank


async def quiz_and_click(fake: FakeDiscord, command: str, choice: str) -> tuple[dict, dict]:
    """``/command`` as Grace, then a click on the button ending with ``choice``."""
    question = await (await fake.slash(fake.member, command)).reply()
    index = next(i for i, label in enumerate(labels(question)) if label.endswith(choice))
    result = await (
        await fake.click(fake.member, question["id"], f"quiz:{asked_id_of(question)}:{index}")
    ).reply()
    return question, result


async def test_a_missed_question_comes_back_as_a_review_on_a_later_day(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot, clock: FakeClock
) -> None:
    first, result = await quiz_and_click(fake, "quiz", "Mars")
    assert embed(first)["title"].startswith("Quiz ·") and "Not quite" in text_of(result)
    none_due = await (await fake.slash(fake.member, "quiz-review")).reply()
    assert is_ephemeral(none_due)
    assert none_due["content"] == "No reviews are due. The next one is due tomorrow at 12:00 UTC."

    clock.advance(days=1)
    stats = await (await fake.slash(fake.member, "quiz-stats")).reply()
    assert field(stats, "Reviews") == "1 due now"
    review, result = await quiz_and_click(fake, "quiz-review", "Venus")
    assert embed(review)["title"] == "Review · planets · easy"
    assert embed(review)["footer"]["text"].startswith("Review — no points: you answered this before")
    assert embed(result)["description"] == "✅ Right! Practice — no points."
    stats = await (await fake.slash(fake.member, "quiz-stats")).reply()
    assert field(stats, "Reviews").startswith("0 due now (next due on ")
    assert field(stats, "Mastered (recall ≥ 90%)") == "planets 1 of 1"


async def test_quiz_serves_a_due_review_before_a_repeat(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot, clock: FakeClock
) -> None:
    await quiz_and_click(fake, "quiz", "Venus")
    repeat = await (await fake.slash(fake.member, "quiz")).reply()
    assert embed(repeat)["title"].startswith("Practice ·")  # not due yet: a plain repeat
    clock.advance(days=5)
    review = await (await fake.slash(fake.member, "quiz")).reply()
    assert embed(review)["title"].startswith("Review ·")


async def test_weekly_reminders_are_direct_messages_to_players_who_opted_in(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot, clock: FakeClock
) -> None:
    await quiz_and_click(fake, "quiz", "Mars")
    clock.advance(days=1)
    messengers = {"discord": DiscordChannelPoster(bot)}
    assert await send_reminders(runtime.engine, messengers) == 0  # off by default
    assert fake.dm_messages(fake.member) == []

    on = await (await fake.slash(fake.member, "quiz-reminders", {"setting": "on"})).reply()
    assert on["content"].startswith("Weekly reminders are on")
    assert await send_reminders(runtime.engine, messengers) == 1
    assert await send_reminders(runtime.engine, messengers) == 0  # once a week
    [dm] = fake.dm_messages(fake.member)
    assert dm["content"].startswith("1 review is due in your quiz. Run /quiz-review")

    off = await (await fake.slash(fake.member, "quiz-reminders", {"setting": "off"})).reply()
    assert off["content"] == "Weekly reminders are off."
    clock.advance(days=8)
    assert await send_reminders(runtime.engine, messengers) == 0


async def test_a_player_who_blocks_direct_messages_does_not_stop_the_others(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot, clock: FakeClock
) -> None:
    for user in (fake.admin, fake.member):
        question = await (await fake.slash(user, "quiz")).reply()
        await (await fake.click(user, question["id"], f"quiz:{asked_id_of(question)}:0")).reply()
        await (await fake.slash(user, "quiz-reminders", {"setting": "on"})).reply()
    clock.advance(days=10)
    fake.closed_dms.add(fake.admin.id)
    assert await send_reminders(runtime.engine, {"discord": DiscordChannelPoster(bot)}) == 1
    assert len(fake.dm_messages(fake.member)) == 1 and fake.dm_messages(fake.admin) == []
