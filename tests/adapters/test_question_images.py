"""A question with a picture: Discord shows it as the embed image, Slack as an image block, the terminal
prints the link. A question without an explanation shows none instead of an empty "Why"."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from adapters.discord_bot.bot import QuizBot
from quizbot.plugins import Runtime
from tests.adapters.discord_support import (  # noqa: F401  (the *_fixture names are used as fixtures)
    bot_fixture,
    embed,
    fake_fixture,
    recorder_fixture,
    runtime_fixture,
    settings_fixture,
)
from tests.adapters.slack_support import slack_harness
from tests.fakes.discord_fake import FakeDiscord

PICTURE = "https://example.org/pictures/eiffel.png"
BANK = f"""topic: pictures
questions:
- id: pic-tower
  type: short_answer
  prompt: Which building is this?
  answers: [Eiffel Tower]
  image: {PICTURE}
"""


@pytest.fixture
def bank_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "bank"
    folder.mkdir()
    (folder / "pictures.yaml").write_text(BANK)
    return folder


async def test_discord_shows_the_picture_as_the_embed_image(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot
) -> None:
    question = await (await fake.slash(fake.member, "quiz", {"topic": "pictures"})).reply()
    assert embed(question)["image"]["url"] == PICTURE


async def test_slack_shows_the_picture_as_an_image_block(tmp_path: Path, bank_dir: Path) -> None:
    async with slack_harness(tmp_path, bank=bank_dir) as slack:
        message = slack.reply(await slack.quiz("pictures"))
    images = [b for b in message.blocks if b["type"] == "image"]
    assert [(b["image_url"], bool(b["alt_text"])) for b in images] == [(PICTURE, True)]


def test_terminal_prints_the_link_and_no_empty_explanation(tmp_path: Path, bank_dir: Path) -> None:
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("QUIZBOT_", "SLACK_", "DISCORD_"))
    }
    environment.update(
        QUIZBOT_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'play.db'}", QUIZBOT_QUESTIONS=str(bank_dir)
    )
    done = subprocess.run(
        [sys.executable, "-m", "quizbot", "play", "--user", "ada"],
        input="eiffel tower\n/quit\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        timeout=60,
    )
    assert f"Picture: {PICTURE}" in done.stdout
    lines = done.stdout.splitlines()
    verdict = next(i for i, line in enumerate(lines) if "Correct" in line)
    assert lines[verdict + 1].strip() != ""  # straight on to what to do next, no blank explanation
