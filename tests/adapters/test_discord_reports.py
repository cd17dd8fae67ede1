"""Discord: "Report a problem" under every result, and ``/quiz-admin health`` listing what needs attention."""

from __future__ import annotations

from adapters.discord_bot.bot import QuizBot
from quizbot.domain import Player
from quizbot.plugins import Runtime
from tests.adapters.discord_support import (  # noqa: F401  (the *_fixture names are used as fixtures)
    asked_id_of,
    bot_fixture,
    components,
    custom_ids,
    fake_fixture,
    is_ephemeral,
    recorder_fixture,
    runtime_fixture,
    settings_fixture,
)
from tests.fakes.discord_fake import FakeDiscord, FakeUser


async def answered(fake: FakeDiscord, runtime: Runtime, user: FakeUser) -> tuple[dict, int]:
    """``user`` answers a choice question; returns the private result message and the asked id."""
    question = await (await fake.slash(user, "quiz", {"topic": "ml"})).reply()
    asked_id = asked_id_of(question)
    result = await (await fake.click(user, question["id"], f"quiz:{asked_id}:0")).reply()
    return result, asked_id


async def test_every_result_has_a_report_button_that_opens_a_modal_with_reasons(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot
) -> None:
    result, asked_id = await answered(fake, runtime, fake.member)

    assert is_ephemeral(result)
    assert custom_ids(result) == [f"quiz:{asked_id}:report"]
    assert components(result)[0]["label"] == "Report a problem"
    modal = await (await fake.click(fake.member, result["id"], f"quiz:{asked_id}:report")).modal()
    select = modal["components"][0]["component"]
    assert select["type"] == 3
    assert [o["value"] for o in select["options"]] == ["wrong-answer", "ambiguous", "typo", "other"]
    assert len(modal["custom_id"]) <= 100


async def test_a_submitted_report_is_thanked_privately_and_shown_to_admins(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot
) -> None:
    result, asked_id = await answered(fake, runtime, fake.member)
    modal = await (await fake.click(fake.member, result["id"], f"quiz:{asked_id}:report")).modal()

    thanks = await (
        await fake.submit_modal(
            fake.member, modal, {"reason": "ambiguous", "details": "Two choices fit @everyone"}
        )
    ).reply()
    asking = await fake.slash(fake.admin, "quiz-admin", subcommand="health")
    health = await asking.reply()

    assert is_ephemeral(thanks) and "admins will see your report" in thanks["content"]
    assert is_ephemeral(health)
    assert "reported: 1 × More than one answer fits" in health["content"]
    assert "Two choices fit @everyone" in health["content"]
    assert (await asking.callback())["data"]["allowed_mentions"]["parse"] == []
    asked = await runtime.engine.get_asked(asked_id)
    assert asked is not None and asked.question.id in health["content"]


async def test_a_forged_report_is_refused_in_one_line_and_stores_nothing(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot
) -> None:
    result, asked_id = await answered(fake, runtime, fake.member)
    modal = await (await fake.click(fake.member, result["id"], f"quiz:{asked_id}:report")).modal()
    forged = {**modal, "custom_id": "quiz:99999999999999999999:report-modal"}

    unknown = await (await fake.submit_modal(fake.member, forged, {"reason": "typo"})).reply()
    no_reason = await (await fake.submit_modal(fake.member, modal, {"details": "hm"})).reply()
    not_yours = await (await fake.submit_modal(fake.admin, modal, {"reason": "typo"})).reply()

    assert "no longer available" in unknown["content"]
    assert "Pick a reason" in no_reason["content"]
    assert "someone else" in not_yours["content"]
    assert all(not q.reports for q in (await runtime.engine.health(None)).questions)


async def test_health_is_for_admins_only(fake: FakeDiscord, runtime: Runtime, bot: QuizBot) -> None:
    refused = await (await fake.slash(fake.member, "quiz-admin", subcommand="health")).reply()

    assert "Manage Server" in refused["content"]


async def test_a_long_health_list_fits_one_message_and_comes_whole_as_a_file(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot
) -> None:
    for _ in range(40):
        _, asked_id = await answered(fake, runtime, fake.member)
        member = Player("discord", str(fake.member.id), fake.member.name)
        await runtime.engine.report_problem(asked_id, member, "other", "x" * 400 + f" #{asked_id}")

    health = await (await fake.slash(fake.admin, "quiz-admin", subcommand="health")).reply()

    assert len(health["content"]) <= 2000
    assert "attached file" in health["content"]
    [attachment] = health["attachments"]
    assert attachment["filename"] == "question-health.txt"
