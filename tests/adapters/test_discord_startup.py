"""Start-up: the real discord.py bot logs in, connects, becomes ready and publishes its slash commands."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

from adapters.discord_bot import plugin
from adapters.discord_bot.bot import QuizBot
from quizbot.plugins import ChannelPoster, Runtime
from quizbot.settings import Settings
from tests.adapters.discord_support import (  # noqa: F401  (the *_fixture names are used as fixtures)
    FAST_START,
    bot_fixture,
    discord_settings,
    fake_fixture,
    open_runtime,
    recorder_fixture,
    running_bot,
    runtime_fixture,
    settings_fixture,
)
from tests.fakes.discord_fake import MANAGE_GUILD, FakeDiscord

PLAYER_COMMANDS = {"quiz", "quiz-review", "leaderboard", "quiz-stats", "quiz-reminders"}
ALL_COMMANDS = {*PLAYER_COMMANDS, "quiz-admin"}


async def test_bot_logs_in_becomes_ready_and_syncs_its_commands_globally(
    fake: FakeDiscord, bot: QuizBot
) -> None:
    assert bot.user is not None and bot.user.id == fake.bot_user.id
    assert [g.id for g in bot.guilds] == [fake.guild_id]
    logins = [(r.method, r.path) for r in fake.requests[:2]]
    assert logins == [("GET", "/users/@me"), ("GET", "/oauth2/applications/@me")]
    synced = fake.requests_to("PUT", rf"/applications/{fake.application_id}/commands")
    assert len(synced) == 1
    assert {c["name"] for c in synced[0].json} == ALL_COMMANDS
    assert not fake.unauthorized


async def test_commands_are_synced_to_the_configured_guild_only(
    fake: FakeDiscord, sqlite_url: str, bank_dir: Path
) -> None:
    settings = discord_settings(fake, sqlite_url, bank_dir, discord_guild=fake.guild_id)
    async with open_runtime(settings) as rt, running_bot(rt):
        guild_sync = fake.requests_to("PUT", rf"/applications/\d+/guilds/{fake.guild_id}/commands")
        assert {c["name"] for c in guild_sync[0].json} == ALL_COMMANDS
        assert not fake.requests_to("PUT", r"/applications/\d+/commands")
        # and they answer there
        handle = await fake.slash(fake.member, "quiz-stats")
        assert (await handle.reply())["embeds"]


async def test_admin_group_is_hidden_from_members_without_manage_server(
    fake: FakeDiscord, bot: QuizBot
) -> None:
    commands = {c["name"]: c for c in await fake.wait_synced()}
    admin = commands["quiz-admin"]
    assert admin["default_member_permissions"] == str(MANAGE_GUILD)
    assert admin["dm_permission"] is False  # guild-only: a DM has no server to manage
    assert {o["name"] for o in admin["options"]} == {
        "schedule",
        "unschedule",
        "reload",
        "questions",
        "health",
    }
    for name in PLAYER_COMMANDS:
        assert commands[name]["default_member_permissions"] is None


def test_plugin_is_enabled_by_a_discord_token_only(
    fake: FakeDiscord, sqlite_url: str, bank_dir: Path
) -> None:
    assert plugin.enabled(discord_settings(fake, sqlite_url, bank_dir))
    assert not plugin.enabled(Settings(database_url=sqlite_url))


async def test_serve_registers_the_daily_poster_and_runs_until_cancelled(
    fake: FakeDiscord, runtime: Runtime
) -> None:
    serving = asyncio.create_task(plugin.serve(runtime, **FAST_START))
    try:
        await fake.wait_identified()
        assert isinstance(runtime.posters["discord"], ChannelPoster)
        handle = await fake.slash(fake.member, "leaderboard")
        assert (await handle.reply())["embeds"]
    finally:
        serving.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await serving
    assert serving.cancelled()
