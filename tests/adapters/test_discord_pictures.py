"""Pictures on Discord: Monday's reveal shows last week's top 10, ``/quiz-stats`` the caller's 8 weeks.

Both go through discord.py's file upload (a multipart ``payload_json`` plus ``files[0]``) and are shown
inside the embed as ``attachment://<name>``, as the fake Discord records them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from adapters.discord_bot.bot import QuizBot
from adapters.discord_bot.poster import DiscordChannelPoster
from quizbot.daily import DailyService
from quizbot.domain import Player
from quizbot.plugins import Runtime
from tests.adapters.discord_support import (  # noqa: F401  (the *_fixture names are used as fixtures)
    bot_fixture,
    embed,
    fake_fixture,
    is_ephemeral,
    recorder_fixture,
    runtime_fixture,
    settings_fixture,
)
from tests.adapters.test_discord_boards import answer_one, place_of
from tests.conftest import FakeClock
from tests.fakes.discord_fake import FakeDiscord
from tests.test_charts import png_size
from tests.test_daily import right


def the_picture(fake: FakeDiscord, message: dict, filename: str) -> bytes:  # type: ignore[type-arg]
    [attached] = message["attachments"]
    assert attached["filename"] == filename
    assert embed(message)["image"]["url"] == f"attachment://{filename}"
    data = fake.attachment_bytes(attached)
    assert png_size(data) == (800, 480)
    return data


async def test_mondays_reveal_shows_last_weeks_top_ten_as_a_picture(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot, clock: FakeClock
) -> None:
    service = DailyService(
        runtime.engine, {"discord": DiscordChannelPoster(bot)}, cutoff=timedelta(hours=3), clock=clock
    )
    await runtime.engine.set_schedule(place_of(fake), "09:00", "UTC")
    clock.set(datetime(2026, 11, 21, 9, 0, tzinfo=UTC))  # Saturday
    await service.post_due()
    [saturday] = fake.channel_messages()
    asked_id = int(saturday["components"][0]["components"][0]["custom_id"].split(":")[1])
    asked = await runtime.engine.get_asked(asked_id)
    assert asked is not None
    await runtime.engine.answer(asked_id, Player("discord", str(fake.member.id), "Grace"), right(asked))

    clock.set(datetime(2026, 11, 22, 9, 0, tzinfo=UTC))  # Sunday: an ordinary reveal, no picture
    await service.post_due()
    sunday_reveal = fake.channel_messages()[1]
    assert "Top 5" in str(embed(sunday_reveal)) and sunday_reveal["attachments"] == []
    assert "image" not in embed(sunday_reveal)

    clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))  # Monday: last week's final standings
    await service.post_due()
    monday_reveal = fake.channel_messages()[3]
    assert "Final standings" in str(embed(monday_reveal))
    the_picture(fake, monday_reveal, "quiz-week.png")


async def test_quiz_stats_shows_the_callers_weeks_as_a_picture_in_the_private_embed(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot
) -> None:
    grace = Player("discord", str(fake.member.id), "Grace")
    await answer_one(runtime.engine, place_of(fake), grace, right=True)
    await answer_one(runtime.engine, place_of(fake), grace, right=False)

    stats = await (await fake.slash(fake.member, "quiz-stats")).reply()

    assert is_ephemeral(stats)
    the_picture(fake, stats, "quiz-weeks.png")


async def test_quiz_stats_before_a_first_answer_has_no_picture(fake: FakeDiscord, bot: QuizBot) -> None:
    stats = await (await fake.slash(fake.member, "quiz-stats")).reply()

    assert stats["attachments"] == [] and "image" not in embed(stats)


async def test_without_attach_files_mondays_reveal_goes_out_without_the_picture(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot, clock: FakeClock
) -> None:
    fake.refuse_files = True  # a server that invited the bot before it asked for Attach Files
    poster = DiscordChannelPoster(bot)
    service = DailyService(runtime.engine, {"discord": poster}, cutoff=timedelta(hours=3), clock=clock)
    await runtime.engine.set_schedule(place_of(fake), "09:00", "UTC")
    clock.set(datetime(2026, 11, 22, 9, 0, tzinfo=UTC))  # Sunday
    await service.post_due()
    [sunday] = fake.channel_messages()
    asked_id = int(sunday["components"][0]["components"][0]["custom_id"].split(":")[1])
    asked = await runtime.engine.get_asked(asked_id)
    assert asked is not None
    await runtime.engine.answer(asked_id, Player("discord", str(fake.member.id), "Grace"), right(asked))

    clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    await service.post_due()

    reveal = fake.channel_messages()[1]
    assert "Final standings" in str(embed(reveal)) and "Grace" in str(embed(reveal))
    assert reveal["attachments"] == [] and "image" not in embed(reveal)
    assert len(fake.channel_messages()) == 3  # and Monday's question after it
