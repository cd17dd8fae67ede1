"""Slack: "Report a problem" under every result, and ``/quiz health`` for admins. Signed requests to the
real Bolt app, replies read from the fake Slack."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from quizbot.domain import QuestionType
from quizbot.engine import QuizEngine
from tests.adapters.slack_support import SlackHarness, slack_harness
from tests.fakes.slack_fake import SentMessage, find_button


@pytest.fixture
async def slack(tmp_path: Path, engine: QuizEngine) -> AsyncIterator[SlackHarness]:
    async with slack_harness(tmp_path, engine=engine) as harness:
        yield harness


async def answered(slack: SlackHarness) -> SentMessage:
    """Alice answers a choice question; the private result that replaced it."""
    question = await slack.ask_until("ml", QuestionType.MULTIPLE_CHOICE)
    return slack.reply(await slack.click(question))


async def open_report(slack: SlackHarness, result: SentMessage) -> tuple[SentMessage, str]:
    """Click "Report a problem" under ``result``; the modal it opened and the click's response_url."""
    click = await slack.client.click(result, slack.alice, button="Report a problem")
    assert click.status == 200
    await slack.fake.wait_for(lambda: any(m.via == "views.open" for m in slack.fake.sent))
    [modal] = [m for m in slack.fake.sent if m.via == "views.open"]
    return modal, str(click.response_url)


async def test_every_result_has_a_report_button_that_opens_a_modal_with_reasons(slack: SlackHarness) -> None:
    result = await answered(slack)
    asked = await slack.asked_in(result)

    _, button = find_button(result.blocks, "Report a problem")
    modal, _ = await open_report(slack, result)

    assert button["value"] == str(asked.id) and button["action_id"] == "quiz:report"
    select = modal.body["blocks"][0]["element"]
    assert select["type"] == "static_select"
    assert [o["value"] for o in select["options"]] == ["wrong-answer", "ambiguous", "typo", "other"]
    assert modal.body["blocks"][1]["optional"] is True


async def test_a_report_is_thanked_privately_and_shown_to_admins_with_its_words(slack: SlackHarness) -> None:
    result = await answered(slack)
    asked = await slack.asked_in(result)
    modal, response_url = await open_report(slack, result)

    submitted = await slack.client.submit_view(
        modal, slack.alice, {"choice": "wrong-answer", "text": "The key says <!channel> & B"}
    )
    await slack.fake.wait_for(lambda: bool(slack.fake.responses_to(response_url)))
    health = slack.reply(await slack.quiz("health", slack.admin))

    assert submitted.status == 200 and submitted.body == ""
    [thanks] = slack.fake.responses_to(response_url)
    assert "admins will see your report" in thanks["text"]
    assert thanks["response_type"] == "ephemeral"
    assert asked.question.id in health.text
    assert "reported: 1 × The answer is wrong" in health.text
    assert "The key says &lt;!channel&gt; &amp; B" in health.text  # escaped: it pings nobody


async def test_a_report_without_a_reason_is_refused_in_the_modal(slack: SlackHarness) -> None:
    modal, _ = await open_report(slack, await answered(slack))

    reply = await slack.client.submit_view(modal, slack.alice, {"text": "something"})

    assert reply.json == {"response_action": "errors", "errors": {"reason": "Pick what is wrong."}}
    assert all(not q.reports for q in (await slack.engine.health(None)).questions)


async def test_a_forged_report_button_is_answered_no_longer_available(slack: SlackHarness) -> None:
    result = await answered(slack)
    forged_blocks = [
        {
            "type": "actions",
            "block_id": "quiz-report",
            "elements": [
                {
                    "type": "button",
                    "action_id": "quiz:report",
                    "text": {"type": "plain_text", "text": "Report a problem"},
                    "value": "99999999999999999999",
                }
            ],
        }
    ]
    modal, response_url = await open_report(
        slack, SentMessage("forged", {**result.body, "blocks": forged_blocks})
    )

    await slack.client.submit_view(modal, slack.alice, {"choice": "typo"})
    await slack.fake.wait_for(lambda: bool(slack.fake.responses_to(response_url)))

    [reply] = slack.fake.responses_to(response_url)
    assert "no longer available" in reply["text"]
    assert all(not q.reports for q in (await slack.engine.health(None)).questions)


async def test_health_is_refused_to_members_who_are_not_admins(slack: SlackHarness) -> None:
    reply = slack.reply(await slack.quiz("health", slack.bob))

    assert "only workspace admins" in reply.text


async def test_a_long_health_list_stays_within_fifty_blocks(tmp_path: Path) -> None:
    bank = tmp_path / "many"
    bank.mkdir()
    questions = "".join(
        f"  - id: many-{n:02d}\n    type: true_false\n    prompt: Statement number {n} is true.\n"
        f"    answer: true\n    explanation: It is.\n"
        for n in range(60)
    )
    (bank / "many.yaml").write_text(
        f"topic: many\ndifficulty: easy\nquestions:\n{questions}", encoding="utf-8"
    )
    async with slack_harness(tmp_path, bank=bank) as slack:
        alice = slack.player(slack.alice)
        for _ in range(60):
            asked = await slack.engine.ask(slack.place, alice)
            await slack.engine.report_problem(asked.id, alice, "other", "x" * 2990 + asked.question.id)

        health = slack.reply(await slack.quiz("health", slack.admin))

    assert "60 of 60 questions need attention" in health.text
    assert len(health.blocks) == 50
    assert "…and 13 more questions: `quizbot health` lists them all." in health.text
    assert all(len(b.get("text", {}).get("text", "")) <= 3000 for b in health.blocks)
