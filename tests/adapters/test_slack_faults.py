"""Hostile requests over real HTTP to the real Bolt app: junk gets 4xx (never 500), forged ids an answer."""

from __future__ import annotations

import json
import logging
import time
import urllib.parse
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from quizbot.domain import QuestionType
from tests.adapters.slack_support import SlackHarness, slack_harness
from tests.conftest import FakeClock

FORM = "application/x-www-form-urlencoded"
NESTED = "[" * 100_000 + "]" * 100_000
NO_LONGER_AVAILABLE = "That question is no longer available"

JUNK: list[tuple[str, bytes, str]] = [
    ("payload-not-json", b"payload=%7Bnot+json", FORM),
    ("payload-null", b"payload=null", FORM),
    ("payload-a-list", b"payload=%5B1%2C2%5D", FORM),
    ("payload-a-number", b"payload=1e999", FORM),
    ("payload-deeply-nested", ("payload=" + urllib.parse.quote(NESTED)).encode(), FORM),
    ("json-body-broken", b'{"type": "block_actions", ', "application/json"),
    ("json-body-nested", NESTED.replace("[", "{", 1).encode(), "application/json"),
    ("invalid-utf8", b"payload=\xff\xfe\xfd", FORM),
    ("invalid-utf8-json", b'{"type": "\xff"}', "application/json"),
]


@pytest.fixture
async def slack(tmp_path: Path, clock: FakeClock) -> AsyncIterator[SlackHarness]:
    async with slack_harness(tmp_path, clock=clock) as harness:
        yield harness


def assert_untouched(slack: SlackHarness) -> None:
    assert slack.fake.calls == [] and slack.fake.responses == []


async def post(slack: SlackHarness, body: bytes, headers: dict[str, str]) -> int:
    async with slack.client.session.post(slack.client.app_url, data=body, headers=headers) as resp:
        return resp.status


def no_errors_logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


@pytest.mark.parametrize(("body", "content_type"), [j[1:] for j in JUNK], ids=[j[0] for j in JUNK])
async def test_unsigned_junk_gets_401_without_a_traceback(
    slack: SlackHarness, body: bytes, content_type: str, caplog: pytest.LogCaptureFixture
) -> None:
    status = await post(slack, body, {"Content-Type": content_type})
    assert status == 401
    assert no_errors_logged(caplog) == []
    assert_untouched(slack)


@pytest.mark.parametrize(("body", "content_type"), [j[1:] for j in JUNK], ids=[j[0] for j in JUNK])
async def test_junk_with_a_forged_signature_gets_401_without_a_traceback(
    slack: SlackHarness, body: bytes, content_type: str, caplog: pytest.LogCaptureFixture
) -> None:
    headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": str(int(time.time()))}
    headers["X-Slack-Signature"] = "v0=" + "0" * 64
    assert await post(slack, body, headers) == 401
    assert no_errors_logged(caplog) == []
    assert_untouched(slack)


@pytest.mark.parametrize(("body", "content_type"), [j[1:] for j in JUNK], ids=[j[0] for j in JUNK])
async def test_signed_junk_gets_400_without_a_traceback(
    slack: SlackHarness, body: bytes, content_type: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Signed with the secret, yet unparsable: a bug or a leaked secret, still never a 500."""
    import hashlib
    import hmac

    timestamp = str(int(time.time()))
    base = b"v0:" + timestamp.encode() + b":" + body
    digest = hmac.new(slack.client.signing_secret.encode(), base, hashlib.sha256).hexdigest()
    headers = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": f"v0={digest}",
    }
    assert await post(slack, body, headers) == 400
    assert no_errors_logged(caplog) == []
    assert_untouched(slack)


@pytest.mark.parametrize("timestamp", ["abc", "1.5", "", "１７００００００００", "9" * 400, "-1"])
async def test_a_malformed_timestamp_gets_401_without_a_traceback(
    slack: SlackHarness, timestamp: str, caplog: pytest.LogCaptureFixture
) -> None:
    body = urllib.parse.urlencode(slack.client.command_form("", slack.alice))
    headers = {"Content-Type": FORM, "X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": "v0=00"}
    assert await post(slack, body.encode(), headers) == 401
    assert no_errors_logged(caplog) == []
    assert_untouched(slack)


# -- forged ids ------------------------------------------------------------------------------------------

FORGED = [str(2**63), "9" * 3000, "²", "٣", "-1", "0", ""]


@pytest.mark.parametrize("forged", FORGED, ids=lambda v: repr(v)[:24])
async def test_a_forged_id_on_a_choice_button_is_answered_as_no_longer_available(
    slack: SlackHarness, forged: str, caplog: pytest.LogCaptureFixture
) -> None:
    question = slack.reply(await slack.quiz("ml"))
    payload = slack.client.click_payload(question, slack.alice)
    action = payload["actions"][0]
    action["value"] = f"{forged}:{action['value'].split(':')[1]}"

    reply = await slack.client.send({"payload": json.dumps(payload)}, response_url=payload["response_url"])

    assert reply.status == 200
    await slack.fake.wait_for(lambda: bool(slack.fake.responses_to(payload["response_url"])))
    assert NO_LONGER_AVAILABLE in slack.reply(reply).text
    assert no_errors_logged(caplog) == []


@pytest.mark.parametrize("forged", FORGED, ids=lambda v: repr(v)[:24])
async def test_a_forged_id_on_the_type_your_answer_button_opens_nothing(
    slack: SlackHarness, forged: str, caplog: pytest.LogCaptureFixture
) -> None:
    question = await slack.ask_until("", QuestionType.SHORT_ANSWER)
    payload = slack.client.click_payload(question, slack.alice, button="Type your answer")
    payload["actions"][0]["value"] = forged

    reply = await slack.client.send({"payload": json.dumps(payload)}, response_url=payload["response_url"])

    await slack.fake.wait_for(lambda: bool(slack.fake.responses_to(payload["response_url"])))
    assert NO_LONGER_AVAILABLE in slack.reply(reply).text
    assert slack.fake.calls_to("views.open") == []
    assert no_errors_logged(caplog) == []


async def test_type_your_answer_on_someone_elses_private_question_does_not_show_it(
    slack: SlackHarness,
) -> None:
    alices = await slack.ask_until("", QuestionType.SHORT_ANSWER)

    reply = await slack.click(alices, slack.bob, button="Type your answer")  # a forwarded button

    assert "asked to someone else" in slack.reply(reply).text
    assert slack.fake.calls_to("views.open") == []


@pytest.mark.parametrize(
    "metadata",
    [
        '{"a": Infinity, "c": "C0GENERAL"}',
        '{"a": -Infinity, "c": "C0GENERAL"}',
        '{"a": NaN, "c": "C0GENERAL"}',
        '{"a": 1e400, "c": "C0GENERAL"}',
        '{"a": 9223372036854775808, "c": "C0GENERAL"}',
        '{"a": "²", "c": "C0GENERAL"}',
        '{"a": 1.5, "c": "C0GENERAL"}',
        '{"a": [1], "c": "C0GENERAL"}',
        "[1, 2]",
        "null",
        "not json",
    ],
)
async def test_forged_modal_metadata_never_gives_a_500(
    slack: SlackHarness, metadata: str, caplog: pytest.LogCaptureFixture
) -> None:
    question = await slack.ask_until("", QuestionType.SHORT_ANSWER)
    await slack.client.click(question, slack.alice, button="Type your answer")
    await slack.fake.wait_for(lambda: bool(slack.fake.calls_to("views.open")))
    [modal] = [m for m in slack.fake.sent if m.via == "views.open"]
    modal.body["private_metadata"] = metadata

    reply = await slack.client.submit_view(modal, slack.alice, {"text": "Spark"})

    assert reply.status == 200
    assert no_errors_logged(caplog) == []
    if metadata.startswith('{"a"'):  # the channel is known: the player is told
        await slack.fake.wait_for(lambda: bool(slack.fake.calls_to("chat.postEphemeral")))
        [told] = slack.fake.calls_to("chat.postEphemeral")
        assert NO_LONGER_AVAILABLE in json.dumps(told.args)
    assert (await slack.engine.stats(slack.place, slack.player(slack.alice))).answered == 0
