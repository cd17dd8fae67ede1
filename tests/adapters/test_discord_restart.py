"""Buttons are routed by custom_id alone: a click on a message from before a restart still answers."""

from __future__ import annotations

from pathlib import Path

from quizbot.domain import Place, Player
from quizbot.settings import Settings
from tests.adapters.discord_support import (  # noqa: F401  (the *_fixture names are used as fixtures)
    asked_id_of,
    custom_ids,
    embed,
    fake_fixture,
    field,
    is_ephemeral,
    open_runtime,
    running_bot,
    settings_fixture,
)
from tests.fakes.discord_fake import FakeDiscord


async def test_click_on_a_question_posted_before_a_restart_still_answers(
    fake: FakeDiscord, settings: Settings
) -> None:
    async with open_runtime(settings) as before, running_bot(before):
        question = await (await fake.slash(fake.member, "quiz", {"topic": "ml"})).reply()
        asked = await before.engine.get_asked(asked_id_of(question))
        assert asked is not None and asked.question.correct_index is not None
    # The process is gone: a new engine on the same database, a new bot, a new gateway session.
    async with open_runtime(settings) as after, running_bot(after):
        await fake.wait_identified(2)
        click = f"quiz:{asked.id}:{asked.question.correct_index}"
        result = await (await fake.click(fake.member, question["id"], click)).reply()

        assert is_ephemeral(result)
        assert embed(result)["description"].startswith("✅ Right!")
        assert field(result, "Answer") == asked.question.correct_answer
        place = Place("discord", str(fake.guild_id), str(fake.channel_id))
        stats = await after.engine.stats(place, Player("discord", str(fake.member.id), "Grace"))
        assert stats.correct == 1


async def test_modal_opened_before_a_restart_is_accepted_after_it(
    fake: FakeDiscord, settings: Settings
) -> None:
    async with open_runtime(settings) as before, running_bot(before):
        for _ in range(2):  # "tools" holds one short-answer and one choice question
            question = await (await fake.slash(fake.member, "quiz", {"topic": "tools"})).reply()
            asked_id = asked_id_of(question)
            if f"quiz:{asked_id}:answer" in str(question["components"]):
                break
        modal = await (await fake.click(fake.member, question["id"], f"quiz:{asked_id}:answer")).modal()
    async with open_runtime(settings) as after, running_bot(after):
        result = await (await fake.submit_modal(fake.member, modal, {"answer": "Apache Spark"})).reply()

        assert embed(result)["description"].startswith("✅ Right!")


async def test_click_on_a_question_the_database_no_longer_has_is_explained(
    fake: FakeDiscord, settings: Settings, tmp_path: Path
) -> None:
    async with open_runtime(settings) as before, running_bot(before):
        question = await (await fake.slash(fake.member, "quiz", {"topic": "ml"})).reply()
    fresh = settings.model_copy(update={"database_url": f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"})
    async with open_runtime(fresh) as after, running_bot(after):
        reply = await (await fake.click(fake.member, question["id"], custom_ids(question)[0])).reply()

        assert is_ephemeral(reply)
        assert "no longer available" in reply["content"]
