"""An acknowledged answer survives the bot process being killed right after the acknowledgement."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from sqlalchemy import create_engine, text

from tests.conftest import ROOT, TEST_BANK

WRITER = textwrap.dedent(
    """
    import asyncio, sys
    from quizbot.domain import Place, Player
    from quizbot.engine import QuizEngine
    from quizbot.settings import Settings

    async def main(url, bank):
        engine = await QuizEngine.open(Settings(database_url=url, questions=bank))
        place = Place("test", "s", "c")
        for i in range(100_000):
            player = Player("test", f"u{i}", f"U{i}")
            asked = await engine.ask(place, player)
            result = await engine.answer(asked.id, player, 0 if asked.question.has_choices else "x")
            print(f"ack {asked.id} {player.key}", flush=True)

    asyncio.run(main(sys.argv[1], sys.argv[2]))
    """
)


def test_answers_acknowledged_before_a_kill_are_all_stored(tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, f"sqlite+aiosqlite:///{db}", str(TEST_BANK)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    acked: list[tuple[int, str]] = []
    assert proc.stdout is not None
    for line in proc.stdout:
        _, asked_id, key = line.split()
        acked.append((int(asked_id), key))
        if len(acked) == 200:
            proc.send_signal(signal.SIGKILL)  # no chance to flush or close anything
            break
    proc.wait(timeout=30)
    with create_engine(f"sqlite:///{db}").connect() as conn:
        stored = set(conn.execute(text("SELECT asked_id, player_key FROM answers")).all())
        integrity = conn.execute(text("PRAGMA integrity_check")).scalar_one()
    assert len(acked) == 200
    assert set(acked) <= stored
    assert integrity == "ok"
