"""``QUIZBOT_DISCORD_SHARDS`` in one process: the real discord.py client identifies each listed shard to the
fake, hears the guilds of those shards only, answers in all of them, and paces at its share of the limit."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from adapters.discord_bot.bot import ShardedQuizBot
from adapters.discord_bot.pacing import GLOBAL_REQUESTS_PER_SECOND, shard_budget
from quizbot.domain import Place
from quizbot.settings import Settings
from tests.adapters.discord_support import (  # noqa: F401  (the *_fixture names are used as fixtures)
    asked_id_of,
    discord_settings,
    embed,
    fake_fixture,
    open_runtime,
    running_bot,
)
from tests.adapters.test_discord_faults import MALFORMED
from tests.fakes.discord_fake import FakeDiscord, FakeGuild, FakeUser


async def quiz_and_answer(fake: FakeDiscord, user: FakeUser, guild: FakeGuild) -> tuple[int, str]:
    """``/quiz`` in ``guild`` and a click on the first choice; the asked id and the verdict shown."""
    question = await (await fake.slash(user, "quiz", {"topic": "ml"}, guild=guild)).reply()
    asked = asked_id_of(question)
    result = await (await fake.click(user, question["id"], f"quiz:{asked}:0")).reply()
    return asked, embed(result)["description"]


async def test_one_process_runs_two_shards_and_answers_in_the_guilds_of_both(
    fake: FakeDiscord, sqlite_url: str, bank_dir: Path
) -> None:
    first, second = fake.add_guild(0, 2), fake.add_guild(1, 2)
    settings = discord_settings(fake, sqlite_url, bank_dir, discord_shards="0-1/2")
    async with open_runtime(settings) as runtime, running_bot(runtime) as bot:
        assert isinstance(bot, ShardedQuizBot)
        assert sorted(fake.identified_shards) == [(0, 2), (1, 2)]
        assert {g.id for g in fake.guilds} == {g.id for g in bot.guilds}
        for guild, shard in ((first, 0), (second, 1)):
            handle = await fake.slash(fake.member, "quiz", {"topic": "ml"}, guild=guild)
            question = await handle.reply()
            assert handle.shard == (shard, 2)
            asked = await runtime.engine.get_asked(asked_id_of(question))
            assert asked is not None
            assert asked.place == Place("discord", str(guild.id), str(guild.channel_id))
            result = await (await fake.click(fake.member, question["id"], f"quiz:{asked.id}:0")).reply()
            assert embed(result)["description"].startswith(("✅", "❌"))


async def test_a_process_identifies_only_its_shard_and_hears_only_its_guilds(
    fake: FakeDiscord, sqlite_url: str, bank_dir: Path
) -> None:
    fake.add_guild(0, 4)
    mine = fake.add_guild(2, 4)
    settings = discord_settings(fake, sqlite_url, bank_dir, discord_shards="2/4")
    async with open_runtime(settings) as runtime, running_bot(runtime) as bot:
        assert fake.identified_shards == [(2, 4)]
        assert {g.id for g in bot.guilds} == {g.id for g in fake.guilds if g.shard(4) == 2}
        _, verdict = await quiz_and_answer(fake, fake.member, mine)
        assert verdict.startswith(("✅", "❌"))


async def test_a_sharded_bot_still_drops_malformed_interactions_and_keeps_serving(
    fake: FakeDiscord, sqlite_url: str, bank_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    guild = fake.add_guild(1, 2)
    settings = discord_settings(fake, sqlite_url, bank_dir, discord_shards="0-1/2")
    async with open_runtime(settings) as runtime, running_bot(runtime):
        question = await (await fake.slash(fake.member, "quiz", guild=guild)).reply()
        for kind, data in MALFORMED:
            await fake.inject(kind, fake.member, data, message=question, guild=guild)
        after = await (await fake.slash(fake.member, "quiz", guild=guild)).reply()

        assert asked_id_of(after) != asked_id_of(question)
        assert fake.identify_count == 2, "a shard's gateway connection was dropped and made again"
    dropped = [r for r in caplog.records if "discord: dropped" in r.getMessage()]
    assert len(dropped) == len(MALFORMED)
    assert all("\n" not in r.getMessage() and r.exc_info is None for r in dropped)


@pytest.mark.parametrize(
    ("shards", "per_second"),
    [(None, 50), ("0-3/4", 50), ("0-1/4", 25), ("2/4", 12), ("0/3", 16), ("0,2/3", 33), ("7/100", 1)],
)
def test_a_process_paces_at_its_share_of_the_global_limit(shards: str | None, per_second: int) -> None:
    assert shard_budget(Settings(_env_file=None, discord_shards=shards)) == per_second


@pytest.mark.parametrize("count", [1, 2, 3, 7, 16, 49, 50])
def test_processes_that_run_every_shard_once_stay_within_the_limit_together(count: int) -> None:
    """However the shards are split (here: one process per shard, and one with all but the last), the
    processes' budgets add up to at most 50 requests a second."""
    one_each = sum(
        shard_budget(Settings(_env_file=None, discord_shards=f"{s}/{count}")) for s in range(count)
    )
    assert one_each <= GLOBAL_REQUESTS_PER_SECOND
    if count > 1:
        split = [f"0-{count - 2}/{count}", f"{count - 1}/{count}"]
        budgets = sum(shard_budget(Settings(_env_file=None, discord_shards=s)) for s in split)
        assert budgets <= GLOBAL_REQUESTS_PER_SECOND
