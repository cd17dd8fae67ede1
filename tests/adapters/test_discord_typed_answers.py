"""Typed answers on Discord: a forgiven typo says what it was accepted as; an invisible answer is refused."""

from __future__ import annotations

from adapters.discord_bot.bot import QuizBot
from quizbot.domain import AskedQuestion
from quizbot.plugins import Runtime
from tests.adapters.discord_support import (  # noqa: F401  (the *_fixture names are used as fixtures)
    asked_id_of,
    bot_fixture,
    embed,
    fake_fixture,
    is_ephemeral,
    recorder_fixture,
    runtime_fixture,
    settings_fixture,
)
from tests.fakes.discord_fake import FakeDiscord


async def short_answer_modal(fake: FakeDiscord, runtime: Runtime) -> tuple[dict, AskedQuestion]:
    """``/quiz tools`` until the short-answer question comes up; open its modal."""
    for _ in range(2):  # the "tools" topic has one short-answer and one choice question
        question = await (await fake.slash(fake.member, "quiz", {"topic": "tools"})).reply()
        asked = await runtime.engine.get_asked(asked_id_of(question))
        assert asked is not None
        if not asked.question.has_choices:
            break
    modal = await (await fake.click(fake.member, question["id"], f"quiz:{asked.id}:answer")).modal()
    return modal, asked


async def test_a_forgiven_typo_is_shown_as_accepted_as_the_right_spelling(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot
) -> None:
    modal, _ = await short_answer_modal(fake, runtime)

    result = await (await fake.submit_modal(fake.member, modal, {"answer": "Sprak"})).reply()

    assert embed(result)["description"].startswith("✅ Right!")
    assert "Accepted as **Spark**." in embed(result)["description"]


async def test_an_exact_answer_says_nothing_about_typos(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot
) -> None:
    modal, _ = await short_answer_modal(fake, runtime)

    result = await (await fake.submit_modal(fake.member, modal, {"answer": "apache spark"})).reply()

    assert "Accepted as" not in embed(result)["description"]


async def test_an_answer_of_invisible_characters_is_refused_and_can_be_typed_again(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot
) -> None:
    modal, _ = await short_answer_modal(fake, runtime)

    refused = await (await fake.submit_modal(fake.member, modal, {"answer": "\u200b\u00ad\ufeff"})).reply()
    again = await (await fake.submit_modal(fake.member, modal, {"answer": "Sp\u200bark"})).reply()

    assert is_ephemeral(refused)
    assert "empty" in refused["content"]
    assert embed(again)["description"].startswith("✅ Right!")
    assert "Accepted as" not in embed(again)["description"]
