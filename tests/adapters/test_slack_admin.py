"""Admin subcommands: only workspace admins/owners or configured ids change schedules or reload questions."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from quizbot.domain import Place, Schedule
from tests.adapters.slack_support import CHANNEL, SlackHarness, bank_copy, slack_harness
from tests.conftest import FakeClock

EXTRA_QUESTION = """\
topic: ops
questions:
  - id: ops-canary
    type: true_false
    prompt: A canary release sends a small share of traffic to the new version first.
    answer: true
    explanation: It limits the blast radius of a bad release.
"""


@pytest.fixture
async def slack(tmp_path: Path, clock: FakeClock) -> AsyncIterator[SlackHarness]:
    async with slack_harness(tmp_path, bank=bank_copy(tmp_path), clock=clock, admins="U0LISTED") as harness:
        harness.fake.add_user("U0OWNER", "olga", is_owner=True, tz="Asia/Tokyo")
        harness.fake.add_user("U0LISTED", "lee")
        yield harness


async def test_non_admin_schedule_is_politely_refused_and_nothing_changes(slack: SlackHarness) -> None:
    message = slack.reply(await slack.quiz("schedule 09:00 Europe/Paris", slack.alice))

    assert "Sorry, only workspace admins and owners" in message.text
    assert await slack.engine.list_schedules() == []
    assert slack.schedule_changes == []
    assert [c.args["user"] for c in slack.fake.calls_to("users.info")] == ["U0ALICE"]


async def test_admin_schedules_the_daily_question_for_this_channel_in_their_time_zone(
    slack: SlackHarness,
) -> None:
    message = slack.reply(await slack.quiz("schedule 9:30", slack.admin))

    assert "*09:30* (America/New_York)" in message.text
    assert await slack.engine.list_schedules("slack") == [
        Schedule(Place("slack", slack.fake.team_id, CHANNEL), "09:30", "America/New_York")
    ]
    assert len(slack.schedule_changes) == 1


async def test_changing_the_time_keeps_the_channels_weekdays_and_reveal_at_close(slack: SlackHarness) -> None:
    weekdays = (0, 1, 2, 3, 4)  # set with `quizbot schedule add --weekdays ... --reveal-at-close`
    await slack.engine.set_schedule(slack.place, "08:00", "UTC", weekdays, reveal_at_close=True)

    await slack.quiz("schedule 10:15 Europe/Berlin", slack.admin)

    assert await slack.engine.list_schedules("slack") == [
        Schedule(slack.place, "10:15", "Europe/Berlin", weekdays, reveal_at_close=True)
    ]


@pytest.mark.parametrize("user_id", ["U0OWNER", "U0LISTED"], ids=["workspace-owner", "QUIZBOT_SLACK_ADMINS"])
async def test_owners_and_configured_admins_may_schedule_with_an_explicit_zone(
    slack: SlackHarness, user_id: str
) -> None:
    await slack.quiz("schedule 18:05 Europe/Berlin", slack.fake.users[user_id], channel="C0DAILY")

    [schedule] = await slack.engine.list_schedules("slack")
    assert (schedule.place.channel, schedule.time, schedule.timezone) == ("C0DAILY", "18:05", "Europe/Berlin")


@pytest.mark.parametrize(
    ("args", "explained"),
    [
        ("25:00", "is not a time"),
        ("09:00 Mars/Olympus", "Unknown time zone"),
        ("", "Usage: `/quiz schedule HH:MM [Area/City]`"),
        ("09:00 Europe/Berlin extra", "Usage"),
    ],
)
async def test_bad_schedule_is_explained_and_nothing_changes(
    slack: SlackHarness, args: str, explained: str
) -> None:
    message = slack.reply(await slack.quiz(f"schedule {args}", slack.admin))

    assert explained in message.text
    assert await slack.engine.list_schedules() == []
    assert slack.schedule_changes == []


async def test_schedule_in_a_direct_message_is_refused(slack: SlackHarness) -> None:
    message = slack.reply(await slack.quiz("schedule 09:00", slack.admin, channel="D0DIRECT"))

    assert "not in a direct message" in message.text
    assert await slack.engine.list_schedules() == []


async def test_unschedule_stops_the_daily_question_in_this_channel_only(slack: SlackHarness) -> None:
    await slack.quiz("schedule 08:00 UTC", slack.admin)
    await slack.quiz("schedule 08:00 UTC", slack.admin, channel="C0OTHER")

    message = slack.reply(await slack.quiz("unschedule", slack.admin))

    assert "stopped" in message.text
    assert [s.place.channel for s in await slack.engine.list_schedules()] == ["C0OTHER"]
    assert len(slack.schedule_changes) == 3
    again = slack.reply(await slack.quiz("unschedule", slack.admin))
    assert "no daily question" in again.text
    assert len(slack.schedule_changes) == 3


async def test_non_admin_unschedule_is_refused(slack: SlackHarness) -> None:
    await slack.quiz("schedule 08:00 UTC", slack.admin)

    message = slack.reply(await slack.quiz("unschedule", slack.bob))

    assert "Sorry, only workspace admins" in message.text
    assert len(await slack.engine.list_schedules()) == 1


async def test_reload_picks_up_new_questions(slack: SlackHarness, tmp_path: Path) -> None:
    before = len(slack.engine.bank)
    (tmp_path / "bank" / "ops.yaml").write_text(EXTRA_QUESTION, encoding="utf-8")

    message = slack.reply(await slack.quiz("reload", slack.admin))

    assert f"Reloaded: {before + 1} questions" in message.text
    assert "ops" in slack.engine.bank.topics()


async def test_reload_with_errors_reports_them_and_the_previous_bank_keeps_serving(
    slack: SlackHarness, tmp_path: Path
) -> None:
    before = len(slack.engine.bank)
    (tmp_path / "bank" / "broken.yaml").write_text(
        "topic: x\nquestions:\n  - id: <!channel>\n", encoding="utf-8"
    )

    message = slack.reply(await slack.quiz("reload", slack.admin))

    assert "Reload failed" in message.text
    assert f"the previous {before} questions keep serving" in message.text
    assert "broken.yaml" in message.text
    assert len(slack.engine.bank) == before
    assert "Your question" in slack.reply(await slack.quiz("", slack.bob)).text


async def test_non_admin_reload_is_refused_and_nothing_is_reloaded(
    slack: SlackHarness, tmp_path: Path
) -> None:
    before = len(slack.engine.bank)
    (tmp_path / "bank" / "ops.yaml").write_text(EXTRA_QUESTION, encoding="utf-8")

    message = slack.reply(await slack.quiz("reload", slack.bob))

    assert "Sorry, only workspace admins" in message.text
    assert len(slack.engine.bank) == before


async def test_unknown_user_is_not_an_admin(slack: SlackHarness) -> None:
    stranger = slack.fake.add_user("U0GHOST", "ghost")
    del slack.fake.users["U0GHOST"]  # users.info now answers user_not_found

    message = slack.reply(await slack.quiz("reload", stranger))

    assert "Sorry, only workspace admins" in message.text
