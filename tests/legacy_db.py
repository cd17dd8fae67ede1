"""Databases as quizbot 0.1 left them, built from the DDL it created (``tests/data/schema_v1``), with a
few rows in every table; and a way to read every row back for before/after comparisons."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import column, insert, inspect, select, table, text
from sqlalchemy.ext.asyncio import create_async_engine

from quizbot.tables import answers, asked, daily_posts, daily_streaks, metadata, schedules, scores
from tests.conftest import ROOT

SCHEMA_V1 = ROOT / "tests" / "data" / "schema_v1"
WHEN = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)


async def build_legacy_database(url: str) -> None:
    """Create quizbot 0.1's tables from its DDL and fill them as a season of play would."""
    dialect = "sqlite" if url.startswith("sqlite") else "postgresql"
    ddl = (SCHEMA_V1 / f"{dialect}.sql").read_text(encoding="utf-8")
    engine = create_async_engine(url)
    try:
        if dialect == "sqlite":  # quizbot 0.1 switched every database it opened to WAL, as this one does now
            async with engine.connect() as conn:
                await conn.exec_driver_sql("PRAGMA journal_mode=WAL")
        async with engine.begin() as conn:
            for statement in (s.strip() for s in ddl.split(";\n")):
                if statement:
                    await conn.exec_driver_sql(statement)
            for model, rows in _ROWS:  # only 0.1's columns: later models add columns with defaults
                await conn.execute(insert(_legacy(model)), rows)
    finally:
        await engine.dispose()


def _asked(id_: int, player_key: str | None, kind: str, daily_seq: int | None) -> dict[str, Any]:
    return {
        "id": id_,
        "question_id": f"q-{id_}",
        "question": '{"id": "q"}',
        "kind": kind,
        "platform": "slack",
        "server": "T1",
        "channel": "C1",
        "ask_scope": f"player:{player_key}" if player_key else "slack:T1:C1",
        "player_key": player_key,
        "zone": "Europe/Berlin",
        "asked_at": WHEN,
        "closed_at": WHEN if daily_seq else None,
        "message_ref": "C1:1700000000.000100" if daily_seq else None,
        "daily_seq": daily_seq,
        "reveal_at_close": False,
    }


def _answer(id_: int, asked_id: int, player: str, correct: bool) -> dict[str, Any]:
    return {
        "id": id_,
        "asked_id": asked_id,
        "player_key": f"slack:{player}",
        "player_name": player.title(),
        "response": "Beta — with ünïcode",
        "correct": correct,
        "points": 2 if correct else 0,
        "answered_at": WHEN,
    }


def _score(player: str, scope: str, period: str, points: int) -> dict[str, Any]:
    return {
        "scope": scope,
        "period": period,
        "player_key": f"slack:{player}",
        "name": player.title(),
        "points": points,
        "answered": 1,
        "correct": 1 if points else 0,
        "streak": 1 if points else 0,
        "best_streak": 1 if points else 0,
    }


_ROWS: list[tuple[Any, list[dict[str, Any]]]] = [
    (asked, [_asked(1, None, "daily", 1), _asked(2, "slack:U2", "quiz", None)]),
    (answers, [_answer(1, 1, "U1", True), _answer(2, 1, "U2", False), _answer(3, 2, "U2", True)]),
    (
        scores,
        [
            _score(player, scope, period, points)
            for player, points in (("U1", 2), ("U2", 2))
            for scope in ("slack:T1", "slack:T1:C1")
            for period in ("all", "w:2026-11-16")
        ],
    ),
    (
        schedules,
        [
            {
                "platform": "slack",
                "server": "T1",
                "channel": "C1",
                "time": "09:00",
                "timezone": "Europe/Berlin",
                "weekdays": "0,1,2,3,4",
                "reveal_at_close": False,
                "updated_at": WHEN,
            }
        ],
    ),
    (
        daily_posts,
        [
            {
                "platform": "slack",
                "server": "T1",
                "channel": "C1",
                "local_date": "2026-11-16",
                "seq": 1,
                "asked_id": 1,
                "message_ref": "C1:1700000000.000100",
                "claimed_at": WHEN,
                "posted_at": WHEN,
                "closed_at": WHEN,
            }
        ],
    ),
    (
        daily_streaks,
        [{"scope": "slack:T1:C1", "player_key": "slack:U1", "current": 1, "best": 1, "last_seq": 1}],
    ),
]


LEGACY_COLUMNS: dict[str, list[str]] = {model.name: list(rows[0]) for model, rows in _ROWS}
"""The tables and columns quizbot 0.1 had (and filled here); later revisions add tables and columns."""


def _legacy(model: Any) -> Any:
    """``model`` cut down to 0.1's columns, keeping each column's type (and its value conversions)."""
    return table(model.name, *(column(name, model.c[name].type) for name in LEGACY_COLUMNS[model.name]))


async def every_row(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table quizbot 0.1 had, in 0.1's columns, sorted, by table name."""
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            present = set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
            found = {}
            for model in metadata.sorted_tables:
                if model.name in present and model.name in LEGACY_COLUMNS:
                    rows = (await conn.execute(select(_legacy(model)))).all()
                    found[model.name] = sorted((tuple(r) for r in rows), key=repr)
            return found
    finally:
        await engine.dispose()


async def table_names(url: str) -> set[str]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            return set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
    finally:
        await engine.dispose()


async def scalar(url: str, sql: str) -> Any:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            return (await conn.execute(text(sql))).scalar()
    finally:
        await engine.dispose()
