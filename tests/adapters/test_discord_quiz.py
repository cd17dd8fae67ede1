"""``/quiz``: a private question with one button per choice, answered with a click or through a modal."""

from __future__ import annotations

from adapters.discord_bot.bot import QuizBot
from quizbot.domain import AskedQuestion, Place, Player
from quizbot.plugins import Runtime
from tests.adapters.discord_support import (  # noqa: F401  (the *_fixture names are used as fixtures)
    asked_id_of,
    bot_fixture,
    custom_ids,
    embed,
    fake_fixture,
    field,
    is_ephemeral,
    labels,
    recorder_fixture,
    running_bot,
    runtime_fixture,
    settings_fixture,
    text_of,
)
from tests.fakes.discord_fake import AUTOCOMPLETE_RESULT, FakeDiscord, FakeUser


async def ask(fake: FakeDiscord, runtime: Runtime, user: FakeUser, topic: str) -> tuple[dict, AskedQuestion]:
    """Run ``/quiz topic`` as ``user``; return the question message and what the engine asked."""
    question = await (await fake.slash(user, "quiz", {"topic": topic})).reply()
    asked = await runtime.engine.get_asked(asked_id_of(question))
    assert asked is not None
    return question, asked


async def test_quiz_shows_a_private_question_with_one_button_per_choice(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot
) -> None:
    question, asked = await ask(fake, runtime, fake.member, "ml")

    assert is_ephemeral(question)
    assert asked.question.prompt in embed(question)["description"]
    assert asked.player_key == Player("discord", str(fake.member.id), "Grace").key
    assert asked.place == Place("discord", str(fake.guild_id), str(fake.channel_id))
    letters = "ABCDE"
    assert labels(question) == [f"{letters[i]}. {c}" for i, c in enumerate(asked.question.choices)]
    assert custom_ids(question) == [f"quiz:{asked.id}:{i}" for i in range(len(asked.question.choices))]


async def test_clicking_the_right_choice_privately_shows_right_answer_and_explanation(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot
) -> None:
    question, asked = await ask(fake, runtime, fake.member, "ml")
    right = asked.question.correct_index
    assert right is not None

    result = await (await fake.click(fake.member, question["id"], f"quiz:{asked.id}:{right}")).reply()

    assert is_ephemeral(result)
    assert embed(result)["description"].startswith("✅ Right!")
    assert field(result, "Answer") == asked.question.correct_answer
    assert field(result, "Why") == asked.question.explanation
    stats = await runtime.engine.stats(asked.place, Player("discord", str(fake.member.id), "Grace"))
    assert (stats.answered, stats.correct, stats.points) == (1, 1, asked.question.points)


async def test_clicking_a_wrong_choice_shows_it_was_wrong_with_the_correct_answer(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot
) -> None:
    question, asked = await ask(fake, runtime, fake.member, "ml")
    wrong = next(i for i in range(len(asked.question.choices)) if i != asked.question.correct_index)

    result = await (await fake.click(fake.member, question["id"], f"quiz:{asked.id}:{wrong}")).reply()

    assert embed(result)["description"].startswith("❌ Not quite")
    assert asked.question.choices[wrong] in embed(result)["description"]
    assert field(result, "Answer") == asked.question.correct_answer


async def test_second_click_is_told_first_answer_stands(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot
) -> None:
    question, asked = await ask(fake, runtime, fake.member, "ml")
    right = asked.question.correct_index
    wrong = next(i for i in range(len(asked.question.choices)) if i != right)

    await (await fake.click(fake.member, question["id"], f"quiz:{asked.id}:{wrong}")).reply()
    second = await (await fake.click(fake.member, question["id"], f"quiz:{asked.id}:{right}")).reply()

    assert is_ephemeral(second)
    assert "first answer stands" in embed(second)["description"]
    assert asked.question.choices[wrong] in embed(second)["description"]
    stats = await runtime.engine.stats(asked.place, Player("discord", str(fake.member.id), "Grace"))
    assert (stats.answered, stats.correct) == (1, 0)


async def test_someone_elses_private_question_is_refused_and_not_recorded(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot
) -> None:
    question, asked = await ask(fake, runtime, fake.member, "ml")

    reply = await (await fake.click(fake.admin, question["id"], f"quiz:{asked.id}:0")).reply()

    assert "asked to someone else" in reply["content"]
    stats = await runtime.engine.stats(asked.place, Player("discord", str(fake.admin.id), "Ada"))
    assert stats.answered == 0


async def test_short_answer_opens_a_modal_and_its_submission_is_checked(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot
) -> None:
    # The "tools" topic has one short-answer and one choice question; no repeats until both were asked.
    for _ in range(2):
        question, asked = await ask(fake, runtime, fake.member, "tools")
        if not asked.question.has_choices:
            break
    assert custom_ids(question) == [f"quiz:{asked.id}:answer"]

    opened = await fake.click(fake.member, question["id"], f"quiz:{asked.id}:answer")
    modal = await opened.modal()
    assert modal["custom_id"] == f"quiz:{asked.id}:modal"
    result = await (await fake.submit_modal(fake.member, modal, {"answer": "  spark "})).reply()

    assert is_ephemeral(result)
    assert embed(result)["description"].startswith("✅ Right!")
    assert field(result, "Answer") == asked.question.correct_answer


async def test_modal_submitted_twice_is_told_first_answer_stands(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot
) -> None:
    for _ in range(2):
        question, asked = await ask(fake, runtime, fake.member, "tools")
        if not asked.question.has_choices:
            break
    modal = await (await fake.click(fake.member, question["id"], f"quiz:{asked.id}:answer")).modal()

    first = await (await fake.submit_modal(fake.member, modal, {"answer": "Hadoop"})).reply()
    second = await (await fake.submit_modal(fake.member, modal, {"answer": "Spark"})).reply()

    assert embed(first)["description"].startswith("❌")
    assert "first answer stands" in embed(second)["description"]


async def test_unknown_topic_is_answered_privately_with_the_engines_message(
    fake: FakeDiscord, bot: QuizBot
) -> None:
    reply = await (await fake.slash(fake.member, "quiz", {"topic": "astrology"})).reply()

    assert is_ephemeral(reply)
    assert "No questions on topic 'astrology'" in reply["content"]
    assert not reply["components"]


async def test_topic_autocompletes_from_the_bank(fake: FakeDiscord, bot: QuizBot) -> None:
    handle = await fake.slash(fake.member, "quiz", {"topic": "to"}, focused="topic")

    assert (await handle.callback())["type"] == AUTOCOMPLETE_RESULT
    assert await handle.choices() == [{"name": "tools", "value": "tools"}]


async def test_interaction_delivered_late_is_deferred_at_once(fake: FakeDiscord, bot: QuizBot) -> None:
    # created 2.5 s ago: only half a second of Discord's 3 s is left, so the bot must not wait its usual 2 s
    handle = await fake.slash(fake.member, "quiz", {"topic": "ml"}, age=2.5)
    question = await handle.reply()

    assert (await handle.callback())["type"] == 5  # deferred "thinking", then the question as a follow-up
    assert "Quiz" in text_of(question)


async def test_slow_answer_is_deferred_then_delivered(fake: FakeDiscord, runtime: Runtime) -> None:
    # defer_after=0 takes the path a slow database would: defer first, then follow up.
    async with running_bot(runtime, defer_after=0):
        handle = await fake.slash(fake.member, "quiz", {"topic": "ml"})
        question = await handle.reply()

        assert (await handle.callback())["type"] == 5  # deferred "thinking", private
        assert is_ephemeral(question)
        assert "Quiz" in text_of(question)


async def test_quiz_works_in_a_direct_message_with_the_bot(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot
) -> None:
    question = await (await fake.slash(fake.member, "quiz", {"topic": "ml"}, dm=True)).reply()
    asked = await runtime.engine.get_asked(asked_id_of(question))
    assert asked is not None and asked.question.correct_index is not None

    click = f"quiz:{asked.id}:{asked.question.correct_index}"
    result = await (await fake.click(fake.member, question["id"], click)).reply()

    # a DM is a server of its own for that user: DM boards never mix in people from other servers
    assert asked.place == Place("discord", f"dm-{fake.member.id}", str(fake.dm_channel_id))
    assert embed(result)["description"].startswith("✅ Right!")
