"""``/quiz questions``: a workspace's admins upload their own questions through a modal's file input."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from quizbot.domain import Place
from tests.adapters.slack_support import SlackHarness, slack_harness
from tests.fakes.slack_fake import SentMessage

TEAM = b"""topic: team
questions:
- id: team-1
  type: short_answer
  prompt: Which tool runs our pipelines?
  answers: [Airflow]
  explanation: Airflow schedules every pipeline we run.
"""


@pytest.fixture
async def slack(tmp_path: Path) -> AsyncIterator[SlackHarness]:
    async with slack_harness(tmp_path) as harness:
        yield harness


async def upload(slack: SlackHarness, name: str, content: bytes) -> SentMessage:
    """Run ``/quiz questions upload`` as the admin, pick the file in the modal, and return the reply."""
    command = await slack.quiz("questions upload", slack.admin)
    [modal] = [m for m in slack.fake.sent if m.via == "views.open"][-1:]
    picked = slack.fake.share_file(name, content)
    submitted = await slack.client.submit_view(modal, slack.admin, {"file": [picked]})
    assert submitted.status == 200 and submitted.body == ""  # the modal closes at once
    await slack.fake.wait_for(lambda: len(slack.fake.responses_to(str(command.response_url))) >= 2)
    return slack.replies(command)[-1]


async def test_admin_uploads_a_file_and_players_get_its_questions(slack: SlackHarness) -> None:
    reply = await upload(slack, "team.yaml", TEAM)
    assert "Added *team*: 1 questions on team." in reply.text

    question = slack.reply(await slack.quiz("team", slack.alice))
    assert "Which tool runs our pipelines?" in question.text
    elsewhere = Place("slack", "T0OTHER", "C1")
    assert "team" not in (await slack.engine.bank_for(elsewhere)).topics()


async def test_red_list_upload_is_converted(slack: SlackHarness) -> None:
    reply = await upload(slack, "capitals.yaml", b"AUTHOR: me\nCapital of Peru?:\n- Lima\n")
    assert "Converted from a Red-DiscordBot trivia list." in reply.text


async def test_a_broken_file_lists_its_errors_and_stores_nothing(slack: SlackHarness) -> None:
    reply = await upload(slack, "team.yaml", TEAM.replace(b"answers: [Airflow]", b"answers: []"))
    assert "Nothing was stored: team.yaml has 1 error(s)." in reply.text
    assert "team.yaml:6: question 'team-1': field 'answers'" in str(reply.blocks)
    assert (await slack.engine.server_questions.files("slack", slack.fake.team_id)).files == ()
    assert slack.fake.uploaded() == []  # a short list needs no file


async def test_a_long_error_list_is_cut_and_sent_whole_in_a_direct_message(slack: SlackHarness) -> None:
    rows = "".join(f"tf,Statement number {n} is true?,,perhaps\n" for n in range(600))
    reply = await upload(slack, "many.csv", ("type,prompt,choices,answer\n" + rows).encode())
    assert "every error is in a file I sent you in a direct message" in str(reply.blocks)
    [sent] = slack.fake.uploaded()
    assert sent.channel == "D0ADMIN" and sent.name == "question-file-errors.txt"
    assert len(sent.content.decode().splitlines()) == 600


async def test_download_goes_to_a_direct_message_and_remove_stops_serving(slack: SlackHarness) -> None:
    await upload(slack, "team.yaml", TEAM)
    listing = slack.reply(await slack.quiz("questions", slack.admin))
    assert "*team*: 1 questions (team)" in listing.text

    download = slack.reply(await slack.quiz("questions download team", slack.admin))
    assert "I sent *team.yaml* to you in a direct message." in download.text
    [sent] = slack.fake.uploaded()
    assert (sent.channel, sent.content) == ("D0ADMIN", TEAM)

    off = slack.reply(await slack.quiz("questions bundled off", slack.admin))
    assert "Bundled questions: *off*" in off.text
    removed = slack.reply(await slack.quiz("questions remove team", slack.admin))
    assert "Removed *team*" in removed.text
    empty = slack.reply(await slack.quiz("", slack.alice))
    assert "The question bank is empty." in empty.text


async def test_a_member_who_is_not_an_admin_is_refused(slack: SlackHarness) -> None:
    refused = slack.reply(await slack.quiz("questions upload", slack.alice))
    assert "only workspace admins and owners" in refused.text
    assert slack.fake.calls_to("views.open") == []


async def test_a_repeated_question_in_an_uploaded_dump_is_skipped_with_a_note(slack: SlackHarness) -> None:
    one = {
        "type": "boolean",
        "difficulty": "easy",
        "category": "Science",
        "question": "Water boils at 100 &deg;C at sea level.",
        "correct_answer": "True",
        "incorrect_answers": ["False"],
    }
    two = {**one, "question": "Ice is frozen water.", "correct_answer": "True"}
    dump = json.dumps({"response_code": 0, "results": [one, two, one]}).encode()
    reply = await upload(slack, "dump.json", dump)
    assert "Added *dump*: 2 questions" in reply.text
    assert "Note: 1 repeated question(s) skipped: dump.json: result #3" in reply.text
