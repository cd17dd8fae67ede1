"""Shared set-up for the Slack tests: a clean environment, a served ``AsyncApp`` and Block Kit validation."""

from __future__ import annotations

import contextlib
import os
import random
import shutil
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from unittest import mock

from slack_bolt.async_app import AsyncApp
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from adapters.slack_app.app import build_app
from adapters.slack_app.http import events_web_app
from quizbot.domain import AskedQuestion, Place, Player, QuestionType
from quizbot.engine import QuizEngine, system_clock
from quizbot.plugins import Runtime
from quizbot.settings import Settings
from tests.fakes.loopback import serve_loopback
from tests.fakes.slack_fake import (
    DEFAULT_BOT_TOKEN,
    DEFAULT_SIGNING_SECRET,
    FakeSlackApi,
    FakeUser,
    Reply,
    SentMessage,
    SignedSlackClient,
    find_button,
    texts_in,
)

EVENTS_PATH = "/slack/events"

MAX_MESSAGE_BLOCKS = 50
MAX_MODAL_BLOCKS = 100


@contextlib.contextmanager
def clean_slack_env() -> Iterator[None]:
    """Hide every ``SLACK_*`` variable: ``SLACK_CLIENT_ID``/``SECRET`` silently switch Bolt to OAuth."""
    with mock.patch.dict(os.environ):
        for name in [n for n in os.environ if n.startswith("SLACK_")]:
            del os.environ[name]
        yield


@contextlib.asynccontextmanager
async def serve_app(app: AsyncApp, signing_secret: str = DEFAULT_SIGNING_SECRET) -> AsyncIterator[str]:
    """Serve ``app`` as ``quizbot run`` does, over real HTTP on a loopback port; yields the events URL."""
    async with serve_loopback(events_web_app(app, signing_secret, EVENTS_PATH)) as base:
        yield base + EVENTS_PATH


def assert_valid_message(sent: SentMessage) -> None:
    """Fail unless ``sent`` is Block Kit that slack_sdk's models accept without dropping anything.

    Each block is parsed with ``Block.parse`` and rebuilt with ``to_dict()``, which runs every length and
    count validator; the round trip must give back the very dict the app sent, so unknown or misspelled keys
    fail too. Modals are checked as a whole ``View``.
    """
    if sent.via == "views.open":
        view = View(**sent.body)
        assert view.to_dict() == sent.body, "modal does not round-trip through slack_sdk's View"
        assert len(sent.blocks) <= MAX_MODAL_BLOCKS
    else:
        assert sent.body.get("text") or sent.blocks, f"message without text or blocks: {sent.body}"
        assert len(sent.blocks) <= MAX_MESSAGE_BLOCKS
    for raw in sent.blocks:
        block = Block.parse(raw)
        assert block is not None, f"unknown block type: {raw}"
        block.validate_json()
        rebuilt: dict[str, Any] = block.to_dict()
        assert rebuilt == raw, f"block does not round-trip:\n sent:    {raw}\n rebuilt: {rebuilt}"


def assert_nothing_pings(sent: SentMessage) -> None:
    """Fail if any text the app sent holds a raw ``<`` or ``>``.

    The adapter uses no Slack markup in angle brackets at all, so any raw one is unescaped outside text that
    could become ``<!channel>``, ``<!here>``, ``<@U…>`` or a disguised link.
    """
    for text in texts_in(sent.body):
        assert "<" not in text and ">" not in text, f"unescaped control character in {text!r}"


def assert_all_valid(messages: list[SentMessage]) -> None:
    assert messages, "the app sent nothing"
    for sent in messages:
        assert_valid_message(sent)


# -- the whole adapter against the fake ----------------------------------------------------------------------

TEST_BANK = Path(__file__).resolve().parent.parent / "data" / "bank"
CHANNEL = "C0GENERAL"


@dataclass
class SlackHarness:
    """The real Slack adapter served on loopback, the fake Slack, and an engine on a fresh SQLite file."""

    fake: FakeSlackApi
    client: SignedSlackClient
    engine: QuizEngine
    runtime: Runtime
    schedule_changes: list[None]
    alice: FakeUser
    bob: FakeUser
    admin: FakeUser

    @property
    def place(self) -> Place:
        return Place("slack", self.fake.team_id, CHANNEL)

    def player(self, user: FakeUser) -> Player:
        return Player("slack", user.id, user.name)

    async def quiz(self, text: str = "", user: FakeUser | None = None, channel: str = CHANNEL) -> Reply:
        """Run ``/quiz text`` (as Alice by default) and wait for its private reply."""
        reply = await self.client.command(text, user or self.alice, channel=channel)
        assert reply.status == 200, reply
        await self.fake.wait_for(lambda: bool(self.fake.responses_to(str(reply.response_url))))
        return reply

    def replies(self, reply: Reply) -> list[SentMessage]:
        """What the app posted to the ``response_url`` of one command or click, in order."""
        return [SentMessage("response_url", body) for body in self.fake.responses_to(str(reply.response_url))]

    def reply(self, reply: Reply) -> SentMessage:
        [only] = self.replies(reply)
        return only

    async def click(
        self, message: SentMessage | Mapping[str, Any], user: FakeUser | None = None, **kw: Any
    ) -> Reply:
        reply = await self.client.click(message, user or self.alice, **kw)
        assert reply.status == 200, reply
        await self.fake.wait_for(lambda: bool(self.fake.responses_to(str(reply.response_url))))
        return reply

    async def asked_in(self, message: SentMessage) -> AskedQuestion:
        """The engine's record of the question whose buttons ``message`` shows."""
        _, button = find_button(message.blocks)
        asked_id = int(button["value"].split(":")[0])
        asked = await self.engine.get_asked(asked_id)
        assert asked is not None
        return asked

    async def ask_until(self, text: str, wanted: QuestionType, user: FakeUser | None = None) -> SentMessage:
        """Ask ``/quiz text`` until a question of type ``wanted`` comes (no repeats until all were asked)."""
        for _ in range(len(self.engine.bank)):
            message = self.reply(await self.quiz(text, user))
            if (await self.asked_in(message)).question.type is wanted:
                return message
        raise AssertionError(f"no {wanted} question for /quiz {text}")


def bank_copy(tmp_path: Path) -> Path:
    """A writable copy of the test bank, for reload tests and hostile questions."""
    target = tmp_path / "bank"
    shutil.copytree(TEST_BANK, target)
    return target


@contextlib.asynccontextmanager
async def slack_harness(
    tmp_path: Path,
    *,
    engine: QuizEngine | None = None,
    bank: Path = TEST_BANK,
    clock: Callable[[], datetime] | None = None,
    admins: str = "",
    process_before_response: bool = True,
) -> AsyncIterator[SlackHarness]:
    """Start everything; on exit, check that every message the app sent was valid, escaped Block Kit.

    Pass the shared ``engine`` fixture, or let the harness open one on ``bank`` (for tests that edit or
    replace the question files).
    """
    with clean_slack_env():
        async with FakeSlackApi() as fake, contextlib.AsyncExitStack() as stack:
            settings = Settings(
                _env_file=None,
                database_url=f"sqlite+aiosqlite:///{(tmp_path / 'slack-quiz.db').as_posix()}",
                questions=str(bank),
                SLACK_BOT_TOKEN=DEFAULT_BOT_TOKEN,
                SLACK_SIGNING_SECRET=DEFAULT_SIGNING_SECRET,
                slack_api_url=fake.api_url,
                slack_admins=admins,
            )
            if engine is None:
                engine = await QuizEngine.open(settings, clock=clock or system_clock, rng=random.Random(7))
                stack.push_async_callback(engine.aclose)
            changes: list[None] = []
            runtime = Runtime(settings=settings, engine=engine)
            runtime.on_schedules_changed.append(lambda: changes.append(None))
            app = build_app(runtime, process_before_response=process_before_response)
            url = await stack.enter_async_context(serve_app(app))
            client = SignedSlackClient(url, fake)
            stack.push_async_callback(client.aclose)
            yield SlackHarness(
                fake,
                client,
                engine,
                runtime,
                changes,
                alice=fake.add_user("U0ALICE", "alice"),
                bob=fake.add_user("U0BOB", "bob"),
                admin=fake.add_user("U0ADMIN", "ada", is_admin=True, tz="America/New_York"),
            )
        for sent in fake.sent:
            assert_valid_message(sent)
            assert_nothing_pings(sent)
