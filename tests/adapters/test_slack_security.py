"""Requests Slack did not sign are refused, and no outside text can ping a channel or disguise a link."""

from __future__ import annotations

import json
import time
import urllib.parse
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from quizbot.domain import QuestionType
from tests.adapters.slack_support import SlackHarness, bank_copy, slack_harness
from tests.conftest import FakeClock
from tests.fakes.slack_fake import DEFAULT_SIGNING_SECRET

HOSTILE_BANK = """\
topic: pranks
questions:
  - id: prank-choice
    type: multiple_choice
    prompt: "Who gets pinged by <!channel> & <@U0ALICE>?"
    choices: ["<!here>", "nobody & nothing", "<!everyone>"]
    answer: "nobody & nothing"
    explanation: "Escaped text never pings; see <https://evil.example|the docs>."
  - id: prank-typed
    type: short_answer
    prompt: "Type <!subteam^S0TEAM> here"
    answers: ["ping"]
    explanation: "a > b"
"""

RAW_PINGS = (
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<@U0ALICE>",
    "<!subteam^S0TEAM>",
    "<https://evil.example",
)


@pytest.fixture
async def slack(tmp_path: Path, clock: FakeClock) -> AsyncIterator[SlackHarness]:
    bank = bank_copy(tmp_path)
    (bank / "pranks.yaml").write_text(HOSTILE_BANK, encoding="utf-8")
    async with slack_harness(tmp_path, bank=bank, clock=clock) as harness:
        yield harness


def assert_untouched(slack: SlackHarness) -> None:
    assert slack.fake.calls == []
    assert slack.fake.responses == []


@pytest.mark.parametrize(
    ("age", "secret"),
    [(0, "someone-elses-secret"), (6 * 60, DEFAULT_SIGNING_SECRET)],
    ids=["wrong-secret", "older-than-five-minutes"],
)
async def test_badly_signed_command_gets_401_and_changes_nothing(
    slack: SlackHarness, age: int, secret: str
) -> None:
    form = slack.client.command_form("ml", slack.alice)

    reply = await slack.client.send(form, timestamp=int(time.time()) - age, secret=secret)

    assert reply.status == 401
    assert await slack.engine.get_asked(1) is None
    assert_untouched(slack)


async def test_body_changed_after_signing_gets_401(slack: SlackHarness) -> None:
    signed = urllib.parse.urlencode(slack.client.command_form("help", slack.alice))
    tampered = signed.replace("text=help", "text=reload")
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        **slack.client.sign(signed, int(time.time())),
    }

    async with slack.client.session.post(slack.client.app_url, data=tampered, headers=headers) as resp:
        assert resp.status == 401
    assert_untouched(slack)


async def test_unsigned_click_gets_401_and_records_no_answer(slack: SlackHarness) -> None:
    question = await slack.ask_until("ml", QuestionType.MULTIPLE_CHOICE)
    payload = slack.client.click_payload(question, slack.alice)
    body = urllib.parse.urlencode({"payload": json.dumps(payload)})

    async with slack.client.session.post(
        slack.client.app_url, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    ) as resp:
        assert resp.status == 401
    assert (await slack.engine.stats(slack.place, slack.player(slack.alice))).answered == 0


async def test_mentions_and_links_in_question_files_are_escaped(slack: SlackHarness) -> None:
    question = await slack.ask_until("pranks", QuestionType.MULTIPLE_CHOICE)

    assert "Who gets pinged by &lt;!channel&gt; &amp; &lt;@U0ALICE&gt;?" in question.text
    labels = [e["text"]["text"] for b in question.blocks if b["type"] == "actions" for e in b["elements"]]
    assert [label[:3] for label in labels] == ["A. ", "B. ", "C. "]  # choices are shuffled when asked
    assert sorted(label[3:] for label in labels) == [
        "&lt;!everyone&gt;",
        "&lt;!here&gt;",
        "nobody &amp; nothing",
    ]

    result = slack.reply(await slack.click(question, button="nobody"))

    assert "Correct!" in result.text
    assert "see &lt;https://evil.example|the docs&gt;." in result.text
    for sent in slack.fake.sent:
        assert not any(raw in sent.text for raw in RAW_PINGS), sent.text


async def test_typed_answers_and_command_text_are_escaped_when_shown_back(slack: SlackHarness) -> None:
    question = await slack.ask_until("pranks", QuestionType.SHORT_ANSWER)
    click = await slack.client.click(question, slack.alice, button="Type your answer")
    [modal] = [m for m in slack.fake.sent if m.via == "views.open"]
    assert "Type &lt;!subteam^S0TEAM&gt; here" in modal.text

    await slack.client.submit_view(modal, slack.alice, {"text": "<!channel> & <@U0BOB>"})
    await slack.fake.wait_for(lambda: bool(slack.fake.responses_to(str(click.response_url))))
    help_reply = slack.reply(await slack.quiz("<!here> please"))

    assert "You answered &lt;!channel&gt; &amp; &lt;@U0BOB&gt;." in slack.reply(click).text
    assert "`&lt;!here&gt; please` is neither a command nor a topic" in help_reply.text
    for sent in slack.fake.sent:
        assert not any(raw in sent.text for raw in (*RAW_PINGS, "<@U0BOB>")), sent.text


async def test_player_names_on_the_leaderboard_are_escaped(slack: SlackHarness) -> None:
    prankster = slack.fake.add_user("U0PRANK", "<!channel>")
    asked = await slack.engine.ask(slack.place, slack.player(prankster), topic="ml")
    await slack.engine.answer(asked.id, slack.player(prankster), asked.question.correct_index or 0)

    board = slack.reply(await slack.quiz("leaderboard"))

    assert "&lt;!channel&gt;" in board.text
    assert "<!channel>" not in board.text
