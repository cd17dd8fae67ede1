"""No message the bot sends can ping anyone, whatever a question file or a display name contains."""

from __future__ import annotations

from pathlib import Path

from adapters.discord_bot.poster import DiscordChannelPoster
from quizbot.domain import AskKind, Period, Place
from tests.adapters.discord_support import (  # noqa: F401  (the *_fixture names are used as fixtures)
    asked_id_of,
    custom_ids,
    discord_settings,
    fake_fixture,
    open_runtime,
    running_bot,
)
from tests.fakes.discord_fake import FakeDiscord, FakeUser

PINGING_BANK = """\
topic: pings
questions:
  - id: ping-choice
    type: multiple_choice
    prompt: "Who is notified by @everyone and <@&1> in a channel?"
    choices: ["@everyone", "@here", "Nobody"]
    answer: "@everyone"
    explanation: "@everyone notifies every member who can see the channel; @here only those online."
  - id: ping-short
    type: short_answer
    prompt: "Which mention notifies only online members? (@here)"
    answers: ["@here"]
    explanation: "@here notifies members who are online."
"""


async def answer(fake: FakeDiscord, user: FakeUser, question: dict, *, twice: bool = False) -> None:
    """Answer with the first button, or through the modal for a short-answer question."""
    asked_id = asked_id_of(question)
    for _ in range(2 if twice else 1):
        if f"quiz:{asked_id}:0" in custom_ids(question):
            await (await fake.click(user, question["id"], f"quiz:{asked_id}:0")).reply()
        else:
            modal = await (await fake.click(user, question["id"], f"quiz:{asked_id}:answer")).modal()
            await (await fake.submit_modal(user, modal, {"answer": "@everyone"})).reply()


async def test_every_message_the_bot_sends_parses_no_mentions(
    fake: FakeDiscord, sqlite_url: str, tmp_path: Path
) -> None:
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "pings.yaml").write_text(PINGING_BANK)
    settings = discord_settings(fake, sqlite_url, bank)
    async with open_runtime(settings) as runtime, running_bot(runtime) as bot:
        # every kind of message: question, result, repeat, modal answer, boards, refusals, admin, daily posts
        for _ in range(2):  # both questions, each answered twice
            question = await (await fake.slash(fake.member, "quiz")).reply()
            await answer(fake, fake.member, question, twice=True)
        await (await fake.slash(fake.member, "quiz", {"topic": "nope"})).reply()
        await (await fake.slash(fake.member, "leaderboard")).reply()
        await (await fake.slash(fake.member, "quiz-stats")).reply()
        await (await fake.slash(fake.member, "quiz-admin", subcommand="reload")).reply()
        await (await fake.slash(fake.admin, "quiz-admin", {"time": "07:00"}, subcommand="schedule")).reply()
        await (await fake.slash(fake.admin, "quiz-admin", subcommand="reload")).reply()
        place = Place("discord", str(fake.guild_id), str(fake.channel_id))
        poster = DiscordChannelPoster(bot)
        daily = await runtime.engine.ask(place, kind=AskKind.DAILY)
        ref = await poster.post_question(daily)
        await poster.update_answer_count(daily, ref, 1)
        summary = await runtime.engine.close_question(daily.id)
        board = await runtime.engine.leaderboard(place, period=Period.WEEK, limit=5, channel_only=True)
        await poster.post_close(summary, board, ref)
    async with open_runtime(settings) as runtime, running_bot(runtime, defer_after=0):
        # the deferred path: follow-ups through the interaction webhook
        question = await (await fake.slash(fake.admin, "quiz")).reply()
        await answer(fake, fake.admin, question)

    sent = fake.message_bodies()
    assert len(sent) >= 15
    assert any(r.path.startswith("/webhooks/") for r, _ in sent), "follow-ups were covered"
    assert any("@everyone" in str(body) for _, body in sent), "the test bank's pings reached Discord"
    for request, body in sent:
        mentions = body.get("allowed_mentions")
        assert mentions is not None, f"{request.method} {request.path} sent no allowed_mentions"
        assert mentions.get("parse") == [], f"{request.method} {request.path} parses {mentions}"
        assert not mentions.get("users") and not mentions.get("roles") and not mentions.get("replied_user")
