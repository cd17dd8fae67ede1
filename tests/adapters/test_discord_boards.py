"""``/leaderboard`` and ``/quiz-stats``: private embeds showing the caller's rank, even outside the top 10."""

from __future__ import annotations

from adapters.discord_bot.bot import QuizBot
from quizbot.domain import Place, Player
from quizbot.engine import QuizEngine
from quizbot.plugins import Runtime
from tests.adapters.discord_support import (  # noqa: F401  (the *_fixture names are used as fixtures)
    bot_fixture,
    embed,
    fake_fixture,
    field,
    is_ephemeral,
    recorder_fixture,
    runtime_fixture,
    settings_fixture,
)
from tests.fakes.discord_fake import FakeDiscord


async def answer_one(engine: QuizEngine, place: Place, player: Player, *, right: bool) -> None:
    """Have ``player`` answer one private question, the way a click would."""
    asked = await engine.ask(place, player, topic="ml")
    correct = asked.question.correct_index
    assert correct is not None
    await engine.answer(asked.id, player, correct if right else (correct + 1) % len(asked.question.choices))


def place_of(fake: FakeDiscord) -> Place:
    return Place("discord", str(fake.guild_id), str(fake.channel_id))


async def test_leaderboard_shows_the_top_ten_and_the_callers_rank_below_them(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot
) -> None:
    place = place_of(fake)
    for n in range(11):
        await answer_one(runtime.engine, place, Player("discord", f"seed{n}", f"Player {n}"), right=True)
    await answer_one(runtime.engine, place, Player("discord", str(fake.member.id), "Grace"), right=False)

    board = await (await fake.slash(fake.member, "leaderboard", {"period": "all"})).reply()

    assert is_ephemeral(board)
    lines = embed(board)["description"].splitlines()
    assert len(lines) == 12  # ten players, an ellipsis, the caller
    assert all("Player" in line for line in lines[:10])
    assert lines[10] == "…"
    assert lines[11].startswith("` 12.` **Grace** (you)")
    assert "0 pts" in lines[11]


async def test_leaderboard_marks_the_caller_inside_the_top(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot
) -> None:
    place = place_of(fake)
    await answer_one(runtime.engine, place, Player("discord", "seed", "Linus"), right=False)
    await answer_one(runtime.engine, place, Player("discord", str(fake.member.id), "Grace"), right=True)

    board = await (await fake.slash(fake.member, "leaderboard", {"period": "week"})).reply()

    assert embed(board)["title"] == "Leaderboard · week of 2026-11-16"  # the test clock's Monday
    lines = embed(board)["description"].splitlines()
    assert lines[0].startswith("`  1.` **Grace** (you)")
    assert lines[1].startswith("`  2.` **Linus** —")
    assert "…" not in lines


async def test_empty_leaderboard_invites_players_to_start(fake: FakeDiscord, bot: QuizBot) -> None:
    board = await (await fake.slash(fake.admin, "leaderboard")).reply()

    assert "Nobody has scored yet" in embed(board)["description"]


async def test_quiz_stats_show_the_callers_own_figures(
    fake: FakeDiscord, runtime: Runtime, bot: QuizBot
) -> None:
    grace = Player("discord", str(fake.member.id), "Grace")
    await answer_one(runtime.engine, place_of(fake), grace, right=True)
    await answer_one(runtime.engine, place_of(fake), grace, right=False)

    stats = await (await fake.slash(fake.member, "quiz-stats")).reply()

    assert is_ephemeral(stats)
    assert "Grace" in embed(stats)["title"]
    assert field(stats, "Answered") == "2"
    assert field(stats, "Right") == "1 (50%)"
    assert field(stats, "Best streak") == "1"
