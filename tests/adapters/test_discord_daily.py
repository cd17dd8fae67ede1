"""Daily questions: a public post with buttons, private confirmations, an answer count and a reveal."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from adapters.discord_bot import plugin
from adapters.discord_bot.bot import QuizBot
from adapters.discord_bot.poster import DiscordChannelPoster
from quizbot.domain import AskedQuestion, AskKind, OutboxKind, OutboxMessage, Period, Place
from quizbot.plugins import ChannelPoster, Runtime
from tests.adapters.discord_support import (  # noqa: F401  (the *_fixture names are used as fixtures)
    bot_fixture,
    custom_ids,
    embed,
    fake_fixture,
    field,
    is_ephemeral,
    recorder_fixture,
    runtime_fixture,
    settings_fixture,
    text_of,
)
from tests.conftest import FakeClock
from tests.fakes.discord_fake import FakeDiscord


async def post_daily(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot, *, reveal_at_close: bool = False
) -> tuple[DiscordChannelPoster, AskedQuestion, str]:
    place = Place("discord", str(fake.guild_id), str(fake.channel_id))
    asked = await runtime.engine.ask(place, topic="ml", kind=AskKind.DAILY, reveal_at_close=reveal_at_close)
    poster = DiscordChannelPoster(bot)
    return poster, asked, await poster.post_question(asked)


async def test_daily_question_is_posted_publicly_with_the_same_buttons(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot
) -> None:
    poster, asked, ref = await post_daily(fake, runtime, bot)

    assert isinstance(poster, ChannelPoster)
    [post] = fake.channel_messages()
    assert post["id"] == ref
    assert not is_ephemeral(post)
    assert "Daily question" in embed(post)["title"]
    assert asked.question.prompt in embed(post)["description"]
    assert custom_ids(post) == [f"quiz:{asked.id}:{i}" for i in range(len(asked.question.choices))]


async def test_answering_the_daily_question_is_confirmed_privately(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot
) -> None:
    _, asked, ref = await post_daily(fake, runtime, bot)
    before = dict(fake.messages[int(ref)])

    result = await (
        await fake.click(fake.member, ref, f"quiz:{asked.id}:{asked.question.correct_index}")
    ).reply()

    assert is_ephemeral(result)
    assert embed(result)["description"].startswith("✅ Right!")
    assert fake.messages[int(ref)] == before  # the public post is not turned into anyone's result
    assert fake.channel_messages() == [before]


async def test_answer_count_is_shown_on_the_post(fake: FakeDiscord, runtime: Runtime, bot: QuizBot) -> None:
    poster, asked, ref = await post_daily(fake, runtime, bot)

    await poster.update_answer_count(asked, ref, 3)

    post = fake.messages[int(ref)]
    assert "3 answered so far" in embed(post)["footer"]["text"]
    assert custom_ids(post), "the buttons stay while the question is open"


async def test_close_reveals_answer_share_first_correct_and_weekly_top(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot
) -> None:
    poster, asked, ref = await post_daily(fake, runtime, bot)
    right = asked.question.correct_index
    assert right is not None
    wrong = (right + 1) % len(asked.question.choices)
    await (await fake.click(fake.member, ref, f"quiz:{asked.id}:{right}")).reply()
    await (await fake.click(fake.admin, ref, f"quiz:{asked.id}:{wrong}")).reply()

    summary = await runtime.engine.close_question(asked.id)
    board = await runtime.engine.leaderboard(asked.place, period=Period.WEEK, limit=5, channel_only=True)
    await poster.post_close(summary, board, ref)

    question, reveal = fake.channel_messages()
    assert question["components"] == [], "a closed question has no buttons left"
    assert reveal["message_reference"]["message_id"] == ref
    assert asked.question.correct_answer in embed(reveal)["title"]
    assert field(reveal, "Why") == asked.question.explanation
    assert field(reveal, "Results") == "1 of 2 got it right (50%)."
    assert field(reveal, "First right") == "Grace"
    top = field(reveal, "Top 5 · week of 2026-11-16")  # the test clock's Monday
    assert top.index("Grace") < top.index("Ada")
    assert "Ada" in text_of(reveal)


async def test_a_channel_that_reveals_at_close_only_confirms_the_answer_was_recorded(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot
) -> None:
    _, asked, ref = await post_daily(fake, runtime, bot, reveal_at_close=True)
    right = asked.question.correct_index
    assert right is not None

    first = await (await fake.click(fake.member, ref, f"quiz:{asked.id}:{right}")).reply()
    again = await (await fake.click(fake.member, ref, f"quiz:{asked.id}:{right}")).reply()

    for reply in (first, again):
        assert is_ephemeral(reply)
        assert "revealed when the question closes" in embed(reply)["description"]
        assert "Right" not in text_of(reply) and asked.question.explanation not in text_of(reply)
    assert "first answer stands" in embed(again)["description"]


async def test_sundays_question_closes_with_the_weeks_final_standings(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot, clock: FakeClock
) -> None:
    poster, asked, ref = await post_daily(fake, runtime, bot)
    await (await fake.click(fake.member, ref, f"quiz:{asked.id}:{asked.question.correct_index}")).reply()
    clock.advance(days=7)  # closed during the next week

    summary = await runtime.engine.close_question(asked.id)
    board = await runtime.engine.leaderboard(
        asked.place, period=Period.WEEK, limit=5, channel_only=True, week_of=summary.asked.asked_at
    )
    await poster.post_close(summary, board, ref)

    _, reveal = fake.channel_messages()
    assert "Grace" in field(reveal, "Final standings · week of 2026-11-16")


async def test_cron_poster_session_posts_without_connecting_to_the_gateway(
    fake: FakeDiscord, runtime: Runtime
) -> None:
    place = Place("discord", str(fake.guild_id), str(fake.channel_id))
    asked = await runtime.engine.ask(place, topic="ml", kind=AskKind.DAILY)

    async with plugin.poster_session(runtime) as poster:
        ref = await poster.post_question(asked)
        summary = await runtime.engine.close_question(asked.id)
        board = await runtime.engine.leaderboard(place, period=Period.WEEK, limit=5, channel_only=True)
        await poster.post_close(summary, board, "")  # a post whose id was never recorded

    assert fake.identify_count == 0
    question, reveal = fake.channel_messages()
    assert question["id"] == ref and custom_ids(question)
    assert "message_reference" not in reveal
    assert field(reveal, "Results") == "Nobody answered this one."


async def test_reveal_is_still_posted_when_the_question_was_deleted(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot
) -> None:
    poster, asked, ref = await post_daily(fake, runtime, bot)
    fake.delete_message(ref)

    summary = await runtime.engine.close_question(asked.id)
    board = await runtime.engine.leaderboard(asked.place, period=Period.WEEK, limit=5, channel_only=True)
    await poster.post_close(summary, board, ref)

    [reveal] = fake.channel_messages()
    assert asked.question.correct_answer in embed(reveal)["title"]


# -- the outbox: keys as nonces, and finding a post after a crash -------------------------------------------


async def test_daily_posts_carry_the_outbox_key_as_an_enforced_nonce(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot
) -> None:
    place = Place("discord", str(fake.guild_id), str(fake.channel_id))
    asked = await runtime.engine.ask(place, topic="ml", kind=AskKind.DAILY)
    poster = DiscordChannelPoster(bot)

    first = await poster.post_question(asked, key="q20261118feedfacecafebeef")
    again = await poster.post_question(asked, key="q20261118feedfacecafebeef")  # a retry within minutes
    summary = await runtime.engine.close_question(asked.id)
    board = await runtime.engine.leaderboard(place, period=Period.WEEK, limit=5, channel_only=True)
    await poster.post_close(summary, board, first, key="c20261118feedfacecafebeef")

    assert again == first
    sends = fake.requests_to("POST", rf"/channels/{fake.channel_id}/messages")
    assert [(r.json["nonce"], r.json["enforce_nonce"]) for r in sends] == [
        ("q20261118feedfacecafebeef", True),
        ("q20261118feedfacecafebeef", True),
        ("c20261118feedfacecafebeef", True),
    ]
    assert len(fake.channel_messages()) == 2  # the question once, and its reveal


async def test_find_sent_recognises_the_question_and_its_reveal_in_the_channel_history(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot
) -> None:
    poster, asked, ref = await post_daily(fake, runtime, bot)
    other = await runtime.engine.ask(asked.place, topic="ml", kind=AskKind.DAILY)
    since = datetime.now(UTC)
    question = OutboxMessage("q-key", OutboxKind.QUESTION, asked, since)
    close = OutboxMessage("c-key", OutboxKind.CLOSE, asked, since, ref)

    assert await poster.find_sent(question) == ref
    assert await poster.find_sent(OutboxMessage("q-other", OutboxKind.QUESTION, other, since)) is None
    assert await poster.find_sent(close) is None  # not revealed yet
    summary = await runtime.engine.close_question(asked.id)
    board = await runtime.engine.leaderboard(asked.place, period=Period.WEEK, limit=5, channel_only=True)
    reveal = await poster.post_close(summary, board, ref, key="c-key")
    assert await poster.find_sent(close) == reveal
    assert await poster.find_sent(replace(close, since=since + timedelta(hours=1))) is None  # posted before
    assert fake.requests_to("GET", rf"/channels/{fake.channel_id}/messages")
