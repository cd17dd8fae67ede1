"""``/quiz-admin questions``: a server's admins upload their own questions; other servers never see them."""

from __future__ import annotations

from adapters.discord_bot.bot import QuizBot
from quizbot.domain import Place, Player
from quizbot.plugins import Runtime
from tests.adapters.discord_support import (  # noqa: F401  (the *_fixture names are used as fixtures)
    asked_id_of,
    bot_fixture,
    embed,
    fake_fixture,
    is_ephemeral,
    recorder_fixture,
    runtime_fixture,
    settings_fixture,
)
from tests.fakes.discord_fake import FakeDiscord

TEAM = b"""topic: team
questions:
- id: team-1
  type: short_answer
  prompt: Which tool runs our pipelines?
  answers: [Airflow]
  explanation: Airflow schedules every pipeline we run.
"""


async def upload(fake: FakeDiscord, filename: str, content: bytes, user=None) -> dict:  # type: ignore[no-untyped-def]
    attachment = fake.attach(filename, content, "text/yaml")
    handle = await fake.slash(
        user or fake.admin, "quiz-admin", {"file": str(attachment)}, subcommand="questions upload"
    )
    return await handle.reply()


async def test_admin_uploads_a_file_and_members_play_from_it(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot
) -> None:
    reply = await upload(fake, "team.yaml", TEAM)
    assert is_ephemeral(reply)
    assert "Added **team**: 1 questions on team." in reply["content"]

    question = await (await fake.slash(fake.member, "quiz", {"topic": "team"})).reply()
    asked = await runtime.engine.get_asked(asked_id_of(question))
    assert asked is not None and asked.question.id == "team-1"
    assert "Which tool runs our pipelines?" in embed(question)["description"]


async def test_another_server_never_sees_the_uploaded_questions(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot
) -> None:
    await upload(fake, "team.yaml", TEAM)
    elsewhere = Place("discord", "999", "1")
    assert "team" not in (await runtime.engine.bank_for(elsewhere)).topics()
    assert "team" in (await runtime.engine.bank_for(Place("discord", str(fake.guild_id), "1"))).topics()
    _ = Player  # the same member in another guild would be asked from the bundled bank only


async def test_a_broken_file_shows_its_errors_and_stores_nothing(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot
) -> None:
    reply = await upload(fake, "team.yaml", TEAM.replace(b"answers: [Airflow]", b"answers: []"))
    assert reply["content"].startswith("Nothing was stored: team.yaml has 1 error(s)")
    assert "team.yaml:6: question 'team-1': field 'answers'" in reply["content"]
    listing = await runtime.engine.server_questions.files("discord", str(fake.guild_id))
    assert listing.files == ()


async def test_hundreds_of_errors_come_as_an_attached_file(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot
) -> None:
    rows = "".join(f"tf,Statement number {n} is true?,,perhaps\n" for n in range(300))
    reply = await upload(fake, "many.csv", ("type,prompt,choices,answer\n" + rows).encode())
    assert len(reply["content"]) <= 2000
    assert "every error is in the attached file" in reply["content"]
    [attached] = reply["attachments"]
    full = fake.attachment_bytes(attached).decode().splitlines()
    assert len(full) == 300 and full[-1].startswith("many.csv:301:")


async def test_list_download_remove_and_bundled_off(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot
) -> None:
    await upload(fake, "team.yaml", TEAM)
    listing = await (await fake.slash(fake.admin, "quiz-admin", subcommand="questions list")).reply()
    assert "**team**: 1 questions (team)" in listing["content"]
    # stored by user id, which `players forget` can match, and shown as a mention (that never pings)
    assert f"by <@{fake.admin.id}>" in listing["content"]
    files = await runtime.engine.server_questions.files("discord", str(fake.guild_id))
    assert [f.uploaded_by for f in files.files] == [str(fake.admin.id)]

    download = await (
        await fake.slash(fake.admin, "quiz-admin", {"name": "team"}, subcommand="questions download")
    ).reply()
    [attached] = download["attachments"]
    assert attached["filename"] == "team.yaml" and fake.attachment_bytes(attached) == TEAM

    off = await (
        await fake.slash(fake.admin, "quiz-admin", {"state": "off"}, subcommand="questions bundled")
    ).reply()
    assert "Bundled questions: **off**" in off["content"]
    question = await (await fake.slash(fake.member, "quiz")).reply()
    asked = await runtime.engine.get_asked(asked_id_of(question))
    assert asked is not None and asked.question.id == "team-1"  # only the server's own file is left

    removed = await (
        await fake.slash(fake.admin, "quiz-admin", {"name": "team"}, subcommand="questions remove")
    ).reply()
    assert "Removed **team**" in removed["content"]
    empty = await (await fake.slash(fake.member, "quiz")).reply()
    assert "The question bank is empty." in empty["content"]


async def test_members_without_manage_server_cannot_upload(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot
) -> None:
    reply = await upload(fake, "team.yaml", TEAM, user=fake.member)
    assert "Manage Server" in reply["content"]
    assert (await runtime.engine.server_questions.files("discord", str(fake.guild_id))).files == ()


async def test_an_error_in_an_uploaded_sheet_names_the_sheet_row(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot
) -> None:
    sheet = b"type,prompt,choices,answer\nshort,One?,,1\nmc,Four in Roman numerals?,IV|iv|V,IV\n"
    reply = await upload(fake, "up.csv", sheet)
    assert reply["content"].startswith("Nothing was stored")
    assert "up.csv:3: field 'choices' lists 'iv' twice" in reply["content"]
