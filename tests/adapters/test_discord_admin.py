"""``/quiz-admin``: schedules and reloads, for members with Manage Server only."""

from __future__ import annotations

import shutil
from pathlib import Path

from adapters.discord_bot.bot import QuizBot
from quizbot.domain import Place
from quizbot.plugins import Runtime
from tests.adapters.discord_support import (  # noqa: F401  (the *_fixture names are used as fixtures)
    ScheduleRecorder,
    asked_id_of,
    bot_fixture,
    discord_settings,
    fake_fixture,
    is_ephemeral,
    open_runtime,
    recorder_fixture,
    running_bot,
    runtime_fixture,
    settings_fixture,
)
from tests.fakes.discord_fake import FakeDiscord


def channel(fake: FakeDiscord) -> Place:
    return Place("discord", str(fake.guild_id), str(fake.channel_id))


async def test_admin_schedules_a_daily_question_for_this_channel(
    fake: FakeDiscord, runtime: Runtime, recorder: ScheduleRecorder, bot: QuizBot
) -> None:
    handle = await fake.slash(
        fake.admin, "quiz-admin", {"time": "9:30", "zone": "Europe/Berlin"}, subcommand="schedule"
    )
    reply = await handle.reply()

    assert is_ephemeral(reply)
    assert "09:30 (Europe/Berlin)" in reply["content"]
    [schedule] = await runtime.engine.list_schedules("discord")
    assert (schedule.place, schedule.time, schedule.timezone) == (channel(fake), "09:30", "Europe/Berlin")
    assert recorder.calls == 1


async def test_rescheduling_from_discord_keeps_weekdays_and_reveal_set_by_the_operator(
    fake: FakeDiscord, runtime: Runtime, recorder: ScheduleRecorder, bot: QuizBot
) -> None:
    await runtime.engine.set_schedule(channel(fake), "08:00", "UTC", (0, 1, 2, 3, 4), reveal_at_close=True)
    handle = await fake.slash(fake.admin, "quiz-admin", {"time": "9:30"}, subcommand="schedule")
    await handle.reply()

    [schedule] = await runtime.engine.list_schedules("discord")
    assert (schedule.time, schedule.weekdays, schedule.reveal_at_close) == ("09:30", (0, 1, 2, 3, 4), True)


async def test_non_admin_is_refused_and_nothing_changes(
    fake: FakeDiscord, runtime: Runtime, recorder: ScheduleRecorder, bot: QuizBot
) -> None:
    await runtime.engine.set_schedule(channel(fake), "08:00", "UTC")

    schedule = await fake.slash(fake.member, "quiz-admin", {"time": "10:00"}, subcommand="schedule")
    unschedule = await fake.slash(fake.member, "quiz-admin", subcommand="unschedule")
    reload = await fake.slash(fake.member, "quiz-admin", subcommand="reload")

    for handle in (schedule, unschedule, reload):
        reply = await handle.reply()
        assert is_ephemeral(reply)
        assert "Manage Server" in reply["content"]
    [kept] = await runtime.engine.list_schedules("discord")
    assert (kept.time, kept.timezone) == ("08:00", "UTC")
    assert recorder.calls == 0


async def test_bad_time_is_explained_and_nothing_is_scheduled(
    fake: FakeDiscord, runtime: Runtime, recorder: ScheduleRecorder, bot: QuizBot
) -> None:
    handle = await fake.slash(fake.admin, "quiz-admin", {"time": "25:00"}, subcommand="schedule")

    assert "HH:MM" in (await handle.reply())["content"]
    assert await runtime.engine.list_schedules() == []
    assert recorder.calls == 0


async def test_zone_autocompletes_iana_names(fake: FakeDiscord, bot: QuizBot) -> None:
    handle = await fake.slash(
        fake.admin, "quiz-admin", {"time": "09:00", "zone": "berl"}, subcommand="schedule", focused="zone"
    )

    assert {"name": "Europe/Berlin", "value": "Europe/Berlin"} in await handle.choices()


async def test_admin_unschedules_this_channel(
    fake: FakeDiscord, runtime: Runtime, recorder: ScheduleRecorder, bot: QuizBot
) -> None:
    await runtime.engine.set_schedule(channel(fake), "08:00", "UTC")

    first = await (await fake.slash(fake.admin, "quiz-admin", subcommand="unschedule")).reply()
    again = await (await fake.slash(fake.admin, "quiz-admin", subcommand="unschedule")).reply()

    assert "No more daily questions" in first["content"]
    assert "had no daily question" in again["content"]
    assert await runtime.engine.list_schedules() == []
    assert recorder.calls == 1


async def test_reload_reports_errors_and_keeps_serving_the_previous_bank(
    fake: FakeDiscord, sqlite_url: str, bank_dir: Path, tmp_path: Path
) -> None:
    bank = tmp_path / "bank"
    shutil.copytree(bank_dir, bank)
    async with open_runtime(discord_settings(fake, sqlite_url, bank)) as runtime, running_bot(runtime):
        served = len(runtime.engine.bank)
        (bank / "broken.yaml").write_text(
            "topic: ml\nquestions:\n  - id: broken\n    type: multiple_choice\n"
        )

        failed = await (await fake.slash(fake.admin, "quiz-admin", subcommand="reload")).reply()

        assert f"Reload failed; still serving the previous {served} questions" in failed["content"]
        assert "broken.yaml:" in failed["content"]
        question = await (await fake.slash(fake.member, "quiz", {"topic": "ml"})).reply()
        assert asked_id_of(question)

        (bank / "broken.yaml").unlink()
        fixed = await (await fake.slash(fake.admin, "quiz-admin", subcommand="reload")).reply()
        assert f"Reloaded: {served} questions" in fixed["content"]
