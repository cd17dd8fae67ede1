"""``quizbot health``: every question's figures in a server, then the questions that need attention.

Printed through the plain console (:mod:`quizbot.console`): prompts, typed answers and report texts come
from players and question files and are printed as they are, never read as Rich markup or emoji codes.
"""

from __future__ import annotations

import argparse
import asyncio

from rich.table import Table
from rich.text import Text

from quizbot.console import plain_console
from quizbot.domain import QuizError
from quizbot.export import server_scope
from quizbot.health import DEFAULT_MIN_PLAYERS, HealthReport, describe, percent, question_health
from quizbot.settings import Settings
from quizbot.store import Store


def add_health_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    health = commands.add_parser(
        "health",
        help="which questions are too easy, too hard, misleading, reported or too strict",
        description="Per question: times asked, answered, share right, wrong choices and typed answers, and "
        "how the top quarter of players does against the bottom quarter; then the questions that need "
        "attention and what to do about them. Reads QUIZBOT_DATABASE_URL.",
    )
    health.add_argument("--server", metavar="S", help="only this server: PLATFORM:SERVER (default: all)")
    health.add_argument("--topic", metavar="T", help="only this topic's questions")
    health.add_argument(
        "--min-players",
        type=int,
        default=DEFAULT_MIN_PLAYERS,
        metavar="N",
        help="players a question needs before it can be too easy or too hard "
        f"(default {DEFAULT_MIN_PLAYERS})",
    )
    health.set_defaults(handler=cmd_health)


def cmd_health(args: argparse.Namespace, settings: Settings) -> int:
    scope = server_scope(args.server)
    if args.min_players < 1:
        raise QuizError("--min-players must be at least 1.")

    async def go() -> HealthReport:
        store = await Store.open(
            settings.database_url,
            create=False,
            connect_timeout=settings.db_connect_timeout,
            command_timeout=settings.db_command_timeout,
        )
        try:
            return await question_health(store, scope, topic=args.topic, min_players=args.min_players)
        finally:
            await store.aclose()

    report = asyncio.run(go())
    out = plain_console(soft_wrap=True)
    where = f" in {scope}" if scope else ""
    topic = f" on {args.topic}" if args.topic else ""
    if not report.questions:
        out.print(f"No question was asked{where}{topic} yet.")
        return 0
    out.print(figures_table(report))
    attention = report.attention
    out.print(f"{len(attention)} of {len(report.questions)} questions{where}{topic} need attention.")
    for question in attention:
        lines = describe(question)
        out.print()
        out.print(Text(lines[0], style="bold"))
        for line in lines[1:]:
            out.print(f"  {line}")
    return 0


def figures_table(report: HealthReport) -> Table:
    table = Table(
        "question", "topic", "asked", "answered", "players", "right", "top 25%", "bottom 25%", "wrong"
    )
    for q in report.questions:
        wrong = q.wrong_choices if q.wrong_choices else q.wrong_typed
        table.add_row(
            Text(q.question_id),
            Text(q.topic),
            str(q.asked),
            str(q.answered),
            str(q.players),
            percent(q.share_right) if q.answered else "-",
            percent(q.top.share) if q.top else "-",
            percent(q.bottom.share) if q.bottom else "-",
            Text(", ".join(f"{text} ×{n}" for text, n in wrong[:3] if n)),
        )
    return table
