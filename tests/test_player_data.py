"""``quizbot export`` and ``quizbot players forget``, on SQLite and PostgreSQL, through the real command."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import String, or_, select
from sqlalchemy.ext.asyncio import create_async_engine

from quizbot.domain import AskKind, Place, Player
from quizbot.engine import QuizEngine
from quizbot.tables import metadata
from tests.conftest import TEST_BANK, FakeClock, make_settings

S = Place("test", "s", "c")
T = Place("test", "t", "c")
ALICE, BOB, CAROL = (Player("test", f"u-{n}", n.title()) for n in ("alice", "bob", "carol"))


def quizbot(args: list[str], url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QUIZBOT_", "SLACK_", "DISCORD_"))}
    env.update(QUIZBOT_DATABASE_URL=url, QUIZBOT_QUESTIONS=str(TEST_BANK))
    return subprocess.run(
        [sys.executable, "-m", "quizbot", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


async def _play(engine: QuizEngine, place: Place, player: Player, right: bool, clock: FakeClock) -> None:
    while True:
        asked = await engine.ask(place, player)
        if asked.question.has_choices:
            break
    choice = asked.question.correct_index if right else (asked.question.correct_index + 1) % 2
    await engine.answer(asked.id, player, choice)
    clock.advance(minutes=1)


async def _season(db_url: str, clock: FakeClock) -> None:
    """Alice answers most in server s (and once in server t, and the daily question), then Bob, then Carol."""
    async with await QuizEngine.open(make_settings(db_url), clock=clock) as engine:
        for player, wins in ((ALICE, 3), (BOB, 2), (CAROL, 1)):
            for _ in range(wins):
                await _play(engine, S, player, True, clock)
        await _play(engine, S, CAROL, False, clock)
        await _play(engine, T, ALICE, True, clock)
        daily = await engine.ask(S, kind=AskKind.DAILY, daily_seq=1)
        await engine.answer(
            daily.id, ALICE, daily.question.correct_index if daily.question.has_choices else "x"
        )


async def test_forgetting_a_player_in_one_server_moves_everyone_below_up(
    db_url: str, clock: FakeClock, tmp_path: Path
) -> None:
    await _season(db_url, clock)
    async with await QuizEngine.open(make_settings(db_url), clock=clock) as engine:
        before = {e.player_key: e for e in (await engine.leaderboard(S)).entries}
    alice = before.pop(ALICE.key)
    expected = sorted(
        ((e.player_key, e.rank - (alice.points > e.points)) for e in before.values()), key=lambda pr: pr[1]
    )
    result = quizbot(["players", "forget", ALICE.key, "--server", "test:s"], db_url, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"forgot {ALICE.key} in test:s: deleted ")
    assert "answers" in result.stdout and "score rows" in result.stdout and "daily streaks" in result.stdout

    async with await QuizEngine.open(make_settings(db_url), clock=clock) as engine:
        board = await engine.leaderboard(S, ALICE)
        assert sorted(((e.player_key, e.rank) for e in board.entries), key=lambda pr: pr[1]) == expected
        assert board.me is None
        channel = await engine.leaderboard(S, BOB, channel_only=True)
        assert ALICE.key not in {e.player_key for e in channel.entries} and len(channel.entries) == 2
        assert (await engine.stats(S, ALICE)).answered == 0
        assert (await engine.stats(T, ALICE)).answered == 1  # the other server keeps its own record

    answers = quizbot(["export", "answers", "--format", "json"], db_url, tmp_path)
    players = {(row["server"], row["player_key"]) for row in json.loads(answers.stdout)}
    assert ("s", ALICE.key) not in players and ("t", ALICE.key) in players


async def test_forgetting_a_player_everywhere_leaves_nothing_about_them(
    db_url: str, clock: FakeClock, tmp_path: Path
) -> None:
    await _season(db_url, clock)
    assert quizbot(["players", "forget", ALICE.key], db_url, tmp_path).returncode == 0
    for kind in ("answers", "scores"):
        exported = quizbot(["export", kind, "--format", "csv"], db_url, tmp_path).stdout
        assert ALICE.key not in exported and "Alice" not in exported
        assert BOB.key in exported
    again = quizbot(["players", "forget", ALICE.key], db_url, tmp_path)
    assert again.returncode == 0 and again.stdout.strip() == f"nothing stored about {ALICE.key}"


TEAM = b"""topic: team
questions:
- id: team-1
  type: true_false
  prompt: Our team deploys on Fridays.
  answer: false
  explanation: We never deploy on Fridays.
- id: team-2
  type: true_false
  prompt: Our team reviews every change.
  answer: true
  explanation: Every change is reviewed before it ships.
"""


async def _tables_naming(db_url: str, *needles: str) -> dict[str, int]:
    """Rows per table with any text column holding one of ``needles``: every table, every column."""
    found: dict[str, int] = {}
    engine = create_async_engine(db_url)
    try:
        async with engine.connect() as conn:
            for table in metadata.sorted_tables:
                texts = [c for c in table.c if isinstance(c.type, String)]
                hits = [c.contains(n, autoescape=True) for c in texts for n in needles]
                if hits:
                    rows = (await conn.execute(select(table).where(or_(*hits)))).all()
                    if rows:
                        found[table.name] = len(rows)
    finally:
        await engine.dispose()
    return found


async def _answer_team_question(engine: QuizEngine, player: Player) -> int:
    asked = await engine.ask(S, player, topic="team")
    result = await engine.answer(asked.id, player, asked.question.correct_index)
    assert result.correct
    return result.points


async def test_forgetting_a_player_leaves_no_row_that_names_them_and_they_score_again_as_new(
    db_url: str, clock: FakeClock, tmp_path: Path
) -> None:
    await _season(db_url, clock)
    async with await QuizEngine.open(make_settings(db_url), clock=clock) as engine:
        await engine.server_questions.upload("test", "s", "team.yaml", TEAM, ALICE.id)  # Slack stores the id
        await engine.server_questions.upload("test", "t", "names.yaml", TEAM, ALICE.name)  # Discord, a name
        await engine.server_questions.upload("test", "s", "bob.yaml", TEAM.replace(b"team", b"bob"), BOB.id)
        first = [await _answer_team_question(engine, ALICE) for _ in range(2)]
        assert all(first)
        again = await engine.ask(S, ALICE, topic="team")
        repeat = await engine.answer(again.id, ALICE, again.question.correct_index)
        assert repeat.points == 0  # both team questions already scored: a repeat is practice
        await engine.report_problem(again.id, ALICE, "typo", "spelling")
        await engine.set_reminders(ALICE, True)
    before = await _tables_naming(db_url, ALICE.key, ALICE.id, ALICE.name)
    for table in ("asked", "answers", "scored_questions", "scores", "daily_streaks", "server_banks"):
        assert table in before, table
    for table in ("review_cards", "review_reminders", "question_reports"):
        assert table in before, table

    result = quizbot(["players", "forget", ALICE.key], db_url, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "scored questions" in result.stdout and "2 uploader names" in result.stdout
    assert await _tables_naming(db_url, ALICE.key, ALICE.id, ALICE.name) == {}
    assert await _tables_naming(db_url, BOB.key) != {}

    async with await QuizEngine.open(make_settings(db_url), clock=clock) as engine:
        files = {f.name: f.uploaded_by for f in (await engine.server_questions.files("test", "s")).files}
        assert files == {"team": "forgotten", "bob": BOB.id}  # the server keeps its questions
        assert await _answer_team_question(engine, ALICE) > 0  # a new player: the first answer scores
        stats = await engine.stats(S, ALICE)
        assert (stats.answered, stats.correct) == (1, 1)


async def test_forgetting_a_player_in_one_server_keeps_what_other_servers_hold(
    db_url: str, clock: FakeClock, tmp_path: Path
) -> None:
    await _season(db_url, clock)
    async with await QuizEngine.open(make_settings(db_url), clock=clock) as engine:
        await engine.server_questions.upload("test", "s", "team.yaml", TEAM, ALICE.id)
        await engine.server_questions.upload("test", "t", "team.yaml", TEAM, ALICE.id)
        await _answer_team_question(engine, ALICE)
    result = quizbot(["players", "forget", ALICE.key, "--server", "test:s"], db_url, tmp_path)
    assert result.returncode == 0, result.stderr
    engine = create_async_engine(db_url)
    try:
        async with engine.connect() as conn:
            for table in metadata.sorted_tables:
                for column in ("scope", "ask_scope"):
                    if column in table.c:
                        in_s = table.c[column].startswith("test:s", autoescape=True)
                        named = [c.contains(ALICE.id) for c in table.c if isinstance(c.type, String)]
                        rows = (await conn.execute(select(table).where(in_s, or_(*named)))).all()
                        assert rows == [], table.name
    finally:
        await engine.dispose()
    left = await _tables_naming(db_url, ALICE.key, ALICE.id)
    assert {"answers", "scored_questions", "scores", "server_banks"} <= set(left)
    async with await QuizEngine.open(make_settings(db_url), clock=clock) as engine:
        by = {f.name: f.uploaded_by for f in (await engine.server_questions.files("test", "t")).files}
        assert by == {"team": ALICE.id}
        assert (await engine.stats(T, ALICE)).answered == 1


async def test_export_writes_scores_and_answers_a_spreadsheet_can_read(
    db_url: str, clock: FakeClock, tmp_path: Path
) -> None:
    await _season(db_url, clock)
    scores = quizbot(["export", "scores", "--server", "test:s"], db_url, tmp_path)
    assert scores.returncode == 0, scores.stderr
    rows = list(csv.DictReader(io.StringIO(scores.stdout)))
    server_all = [r for r in rows if r["scope"] == "test:s" and r["period"] == "all"]
    async with await QuizEngine.open(make_settings(db_url), clock=clock) as engine:
        for player in (ALICE, BOB, CAROL):
            stats = await engine.stats(S, player)
            (row,) = [r for r in server_all if r["player_key"] == player.key]
            assert (row["name"], int(row["answered"]), int(row["correct"]), int(row["points"])) == (
                player.name,
                stats.answered,
                stats.correct,
                stats.points,
            )
    assert [int(r["points"]) for r in server_all] == sorted(
        (int(r["points"]) for r in server_all), reverse=True
    )
    assert {r["scope"] for r in rows} == {"test:s", "test:s:c"}

    out = tmp_path / "answers.json"
    answers = quizbot(["export", "answers", "--format", "json", "--out", str(out)], db_url, tmp_path)
    assert answers.returncode == 0 and answers.stdout == ""
    assert answers.stderr.strip() == f"wrote 9 answers rows to {out}"
    records = json.loads(out.read_text(encoding="utf-8"))
    assert len(records) == 9
    assert set(records[0]) == {
        "answered_at",
        "platform",
        "server",
        "channel",
        "question_id",
        "kind",
        "player_key",
        "player_name",
        "response",
        "correct",
        "points",
    }
    assert [r["answered_at"] for r in records] == sorted(r["answered_at"] for r in records)


def test_export_and_forget_refuse_malformed_keys_in_one_line(sqlite_url: str, tmp_path: Path) -> None:
    bad_server = quizbot(["export", "scores", "--server", "just-a-name"], sqlite_url, tmp_path)
    assert bad_server.returncode == 2
    assert (
        bad_server.stderr
        == "quizbot: 'just-a-name' is not PLATFORM:SERVER (e.g. discord:1234 or slack:T0123)\n"
    )
    bad_player = quizbot(["players", "forget", "alice"], sqlite_url, tmp_path)
    assert bad_player.returncode == 2 and "use PLATFORM:USER_ID" in bad_player.stderr
    mixed = quizbot(["players", "forget", "slack:U1", "--server", "discord:1"], sqlite_url, tmp_path)
    assert mixed.returncode == 2 and mixed.stderr.count("\n") == 1
