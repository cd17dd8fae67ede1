"""Two Slack HTTP-mode bot processes behind a load balancer, sharing nothing but one PostgreSQL database.

A load balancer sends each of Slack's requests to whichever process it likes, so a question asked through
one process is answered through the other, and two clicks of one member can reach both at once. Both
processes run their daily scheduler too: the day's question must still be posted once. Every request is
signed as Slack signs it and sent over real HTTP to real ``quizbot run`` processes.
"""

from __future__ import annotations

import asyncio
import random
import re
from datetime import UTC, datetime
from pathlib import Path

from quizbot.domain import Place
from quizbot.engine import QuizEngine
from tests.adapters.slack_processes import BotProcess, bots_behind_a_balancer
from tests.conftest import TEST_BANK, make_settings
from tests.fakes.slack_fake import FakeSlackApi, FakeUser, Reply, SentMessage, SignedSlackClient, find_button

CHANNEL = "C0GENERAL"
PLAYERS = 40
REPLY_TIMEOUT = 60.0
"""Seconds to wait for one private reply: generous, for two bots and the test on a loaded 2-core machine."""
DAILY_TIMEOUT = 150.0
"""Seconds to wait for both schedulers to start and for the day's question to be posted."""
CHOICES_ONLY = TEST_BANK / "ml.yaml"
"""Multiple-choice and true/false questions only: every question is answered with a button."""
ALREADY = "You already answered this one"
SCHEDULER_UP = "daily jobs rebuilt: 1 schedule(s)"
POSTED = re.compile(r"daily (catch-up|sweep) .+: posted$")


def half_a_day_ago() -> str:
    """A daily time about 12 hours in the past: due now, and far from the next slot whenever the test runs."""
    return f"{(datetime.now(UTC).hour + 12) % 24:02d}:00"


async def replied(fake: FakeSlackApi, reply: Reply) -> SentMessage:
    """The one private reply the app sent to the request's ``response_url``."""
    assert reply.status == 200, reply
    url = str(reply.response_url)
    await fake.wait_for(lambda: bool(fake.responses_to(url)), within=REPLY_TIMEOUT)
    [body] = fake.responses_to(url)
    return SentMessage("response_url", body)


def my_line(board: SentMessage) -> str:
    [line] = [line for line in board.text.splitlines() if "← you" in line]
    return line


def points_in(verdict: SentMessage) -> int:
    """What a click's verdict says it earned: ``(+N points)`` when right, nothing when wrong."""
    if "Not quite" in verdict.text:
        return 0
    found = re.search(r"\(\+(\d+) points?\)", verdict.text)
    assert found is not None, verdict.text
    return int(found.group(1))


async def test_two_processes_on_one_postgres_answer_one_workspace_behind_a_load_balancer(
    postgres_url: str, tmp_path: Path
) -> None:
    settings = make_settings(postgres_url, CHOICES_ONLY)
    inspector = await QuizEngine.open(settings)  # creates the schema; reads what the bots recorded
    try:
        async with FakeSlackApi() as fake:
            await inspector.set_schedule(Place("slack", fake.team_id, CHANNEL), half_a_day_ago(), "UTC")
            alice = fake.add_user("U0ALICE", "alice")
            players = [fake.add_user(f"U0P{i:03d}", f"player{i:03d}") for i in range(PLAYERS)]
            async with bots_behind_a_balancer(
                tmp_path,
                fake,
                postgres_url,
                CHOICES_ONLY,
                QUIZBOT_DAILY_CUTOFF_MINUTES="1440",
                QUIZBOT_DAILY_START_DELAY_SECONDS="1",
            ) as bots:
                (bot_a, a), (bot_b, b) = bots
                await asked_on_one_answered_on_the_other(fake, inspector, alice, a, b)
                post, ts = await the_daily_question_posted(fake, bot_a, bot_b)
                points = await every_click_counted_once(fake, players, post, ts, a, b)
                await boards_agree_through_either_process(fake, players, points, a, b)
            assert len(question_posts(fake)) == 1, "the day's question was posted more than once"
            posted = [line for bot in (bot_a, bot_b) for line in bot.lines if POSTED.search(line)]
            assert len(posted) == 1, posted
            for bot in (bot_a, bot_b):
                assert bot.problems() == [], f"{bot.name} logged problems:\n{bot.log_text()}"
    finally:
        await inspector.aclose()


async def asked_on_one_answered_on_the_other(
    fake: FakeSlackApi, inspector: QuizEngine, alice: FakeUser, a: SignedSlackClient, b: SignedSlackClient
) -> None:
    """``/quiz`` reaches process A, the click on its answer button reaches process B."""
    question = await replied(fake, await a.command("", alice))
    _, button = find_button(question.blocks)
    asked = await inspector.get_asked(int(button["value"].split(":")[0]))
    assert asked is not None and asked.question.correct_answer is not None

    verdict = await replied(fake, await b.click(question, alice, button=asked.question.correct_answer))
    assert "Correct!" in verdict.text, verdict.text
    again = await replied(fake, await a.click(question, alice, button=asked.question.correct_answer))
    assert ALREADY in again.text, again.text


async def the_daily_question_posted(
    fake: FakeSlackApi, bot_a: BotProcess, bot_b: BotProcess
) -> tuple[SentMessage, str]:
    """Both schedulers start and find the day's slot due; one of them posts it (the other finds it taken,
    which it does not log; :func:`question_posts` counts the posts once both processes have stopped)."""
    for bot in (bot_a, bot_b):
        await bot.wait_for_log(lambda lines: any(SCHEDULER_UP in x for x in lines), within=DAILY_TIMEOUT)
    await fake.wait_for(lambda: bool(question_posts(fake)), within=DAILY_TIMEOUT)
    [post] = question_posts(fake)
    [message] = [m for m in fake.channel_posts(CHANNEL) if "thread_ts" not in m]
    assert "Question of the day" in post.text
    return post, str(message["ts"])


def question_posts(fake: FakeSlackApi) -> list[SentMessage]:
    """Daily questions posted into the channel (answer-count edits are ``chat.update``, not posts)."""
    posts = [c.args for c in fake.calls_to("chat.postMessage") if c.args.get("channel") == CHANNEL]
    return [SentMessage("chat.postMessage", args) for args in posts if "thread_ts" not in args]


async def every_click_counted_once(
    fake: FakeSlackApi,
    players: list[FakeUser],
    post: SentMessage,
    ts: str,
    a: SignedSlackClient,
    b: SignedSlackClient,
) -> dict[str, int]:
    """Every member clicks through A or B in turn and, at the same moment, again through the other one.

    All clicks are in flight together. Exactly one of each member's two clicks is judged; the other is
    refused as already answered, whichever process it reached. Returns the points each member was told.
    """
    labels = [e["text"]["text"] for blk in post.blocks if blk["type"] == "actions" for e in blk["elements"]]
    rng = random.Random(11)

    async def both_clicks(i: int, player: FakeUser) -> tuple[SentMessage, SentMessage]:
        first, other = (a, b) if i % 2 == 0 else (b, a)
        label = rng.choice(labels)
        clicks = [
            client.click(post, player, button=label, ephemeral=False, message_ts=ts)
            for client in (first, other)
        ]
        one, two = await asyncio.gather(*clicks)
        return await replied(fake, one), await replied(fake, two)

    replies = await asyncio.gather(*(both_clicks(i, p) for i, p in enumerate(players)))
    points: dict[str, int] = {}
    for player, pair in zip(players, replies, strict=True):
        verdicts = [r for r in pair if ALREADY not in r.text]
        refused = [r for r in pair if ALREADY in r.text]
        assert (len(verdicts), len(refused)) == (1, 1), [r.text for r in pair]
        assert "Correct!" in verdicts[0].text or "Not quite" in verdicts[0].text, verdicts[0].text
        points[player.id] = points_in(verdicts[0])
    assert any(points.values()) and not all(points.values()), "the mix should hold right and wrong answers"
    return points


async def boards_agree_through_either_process(
    fake: FakeSlackApi,
    players: list[FakeUser],
    points: dict[str, int],
    a: SignedSlackClient,
    b: SignedSlackClient,
) -> None:
    """Each member reads the leaderboard through the process their first click did not reach: their own
    line shows the points they were told; the top of the board is the same whichever process draws it."""

    async def board(i: int, player: FakeUser) -> SentMessage:
        return await replied(fake, await (b if i % 2 == 0 else a).command("leaderboard", player))

    boards = await asyncio.gather(*(board(i, p) for i, p in enumerate(players)))
    for player, shown in zip(players, boards, strict=True):
        wanted = f"{points[player.id]} pt" + ("" if points[player.id] == 1 else "s")
        assert f"*{wanted}*" in my_line(shown) and "/1 correct" in my_line(shown), my_line(shown)
    top_a, top_b = [await replied(fake, await client.command("leaderboard", players[0])) for client in (a, b)]
    assert top_a.body["blocks"][1] == top_b.body["blocks"][1]  # the top 10, drawn by each process
