"""The terminal channel: the whole bot in a terminal, no tokens needed.

It behaves like a chat channel with one player: questions with lettered choices, answers typed as a letter
or text, and the same slash commands as the chat platforms. It reads one line per input, so it works with
a TTY and with piped standard input (scripts, end-to-end tests) alike.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import sys
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from quizbot.daily import DailyService
from quizbot.domain import (
    AnswerResult,
    AnswerStatus,
    AskedQuestion,
    CloseSummary,
    Leaderboard,
    Period,
    Place,
    Player,
    PlayerStats,
    QuizError,
)
from quizbot.engine import QuizEngine
from quizbot.plugins import Runtime
from quizbot.settings import Settings

PLATFORM = "terminal"
PLACE = Place(PLATFORM, "local", "terminal")
LETTERS = "ABCDE"

HELP = """Commands:
  /quiz [topic]          a new question (or just press Enter when no question is open)
  /leaderboard [week]    the all-time (or this week's) top 10 and your rank
  /stats                 your answered / correct / accuracy / streaks
  /daily                 the terminal channel's daily question
  /help                  this help
  /quit                  leave (Ctrl-D works too)
Answer with the choice letter (A, B, ...) or by typing the answer."""


async def stdin_lines(stream: TextIO | None = None) -> AsyncIterator[str]:
    """Lines from standard input without blocking the event loop; ends at end of input.

    A daemon thread does the blocking reads. (``asyncio.to_thread`` would not do: its worker blocks the
    interpreter's exit, so Ctrl-C would hang until the next Enter.)
    """
    source = stream or sys.stdin
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str | None] = asyncio.Queue()

    def read() -> None:
        try:
            for line in iter(source.readline, ""):
                loop.call_soon_threadsafe(queue.put_nowait, line)
        except (OSError, ValueError):  # the stream was closed under us
            pass
        finally:
            with contextlib.suppress(RuntimeError):  # the loop is already closed: nobody is listening
                loop.call_soon_threadsafe(queue.put_nowait, None)

    threading.Thread(target=read, name="stdin", daemon=True).start()
    while (line := await queue.get()) is not None:
        yield line.rstrip("\r\n")


class TerminalChannel:
    """One player's chat session with the engine."""

    def __init__(
        self,
        engine: QuizEngine,
        player: Player,
        console: Console,
        *,
        topic: str | None = None,
    ) -> None:
        self.engine = engine
        self.player = player
        self.out = console
        self.topic = topic
        self.open: AskedQuestion | None = None
        # /daily posts on demand, so the catch-up cut-off never applies here
        self.daily = DailyService(engine, {PLATFORM: TerminalPoster(self)}, cutoff=timedelta(days=1))

    async def show_daily(self) -> None:
        """Today's question of the terminal channel (posting it, and closing yesterday's, if needed)."""
        asked = await self.daily.today(PLACE)
        if self.open is None or self.open.id != asked.id:  # not just shown by the poster
            self.out.print(Text("Today's daily question:", style="bold"))
            self.show_question(asked)

    async def run(self, lines: AsyncIterator[str]) -> None:
        self.out.print(
            Text(
                f"quizbot: {len(self.engine.bank)} questions loaded. Playing as {self.player.name}. "
                "Type /help for commands."
            )
        )
        await self.ask(self.topic)
        async for line in lines:
            if not await self.handle(line.strip()):
                break
        await self.show_stats(await self.engine.stats(PLACE, self.player))
        self.out.print("Bye!")

    async def handle(self, line: str) -> bool:
        """React to one input line; False means the player wants to leave."""
        if not line:
            if self.open is None:
                await self.ask(self.topic)
            return True
        if not line.startswith("/"):
            await self.answer(line)
            return True
        command, _, rest = line[1:].partition(" ")
        command, rest = command.lower(), rest.strip()
        if command in ("quit", "exit"):
            return False
        if command == "quiz":
            await self.ask(rest or self.topic)
        elif command == "leaderboard":
            period = Period.WEEK if rest.lower().startswith("week") else Period.ALL
            self.show_board(await self.engine.leaderboard(PLACE, self.player, period=period))
        elif command == "stats":
            await self.show_stats(await self.engine.stats(PLACE, self.player))
        elif command == "daily":
            await self.show_daily()
        elif command == "help":
            self.out.print(Text(HELP))
        else:
            self.out.print(Text(f"Unknown command /{command}.\n{HELP}"))
        return True

    async def ask(self, topic: str | None) -> None:
        try:
            asked = await self.engine.ask(PLACE, self.player, topic=topic)
        except QuizError as exc:
            self.out.print(Text(str(exc)))
            return
        self.show_question(asked)

    def show_question(self, asked: AskedQuestion) -> None:
        """Show a question and make it the one typed answers go to."""
        self.open = asked
        q = asked.question
        self.out.print()
        self.out.print(Text(f"[{q.topic} · {q.difficulty.value} · {q.points} pt]", style="dim"))
        self.out.print(Text(f"Q: {q.prompt}", style="bold"))
        if q.image:
            self.out.print(Text(f"Picture: {q.image}"))
        for letter, choice in zip(LETTERS, q.choices, strict=False):
            self.out.print(Text(f"  {letter}) {choice}"))
        self.out.print(Text("Type a letter." if q.has_choices else "Type your answer.", style="dim"))

    async def answer(self, text: str) -> None:
        if self.open is None:
            self.out.print(Text("No open question. Type /quiz (or press Enter) for one."))
            return
        try:
            result = await self.engine.answer(self.open.id, self.player, text)
        except QuizError as exc:
            self.out.print(Text(str(exc)))
            self.open = None
            return
        if result.status is AnswerStatus.INVALID:
            count = len(self.open.question.choices)
            self.out.print(Text(f"Answer with a letter from A to {LETTERS[count - 1]}, or type a choice."))
            return
        self.open = None
        self.show_result(result)

    def show_result(self, result: AnswerResult) -> None:
        if result.status is AnswerStatus.CLOSED:
            self.out.print(Text("That question has closed; answers are no longer taken."))
            return
        if not result.reveal:  # the channel holds the verdict until the question closes
            self.out.print(
                Text(f"Answer recorded: {result.given}. The answer is revealed when the question closes.")
            )
            return
        if result.status is AnswerStatus.ALREADY_ANSWERED:
            self.out.print(Text(f"You already answered '{result.given}'; your first answer stands."))
        elif result.correct:
            self.out.print(Text(f"✓ Correct! +{result.points} pt · streak {result.streak}", style="green"))
        else:
            self.out.print(Text(f"✗ Not quite. The answer is: {result.correct_answer}", style="red"))
        if result.explanation:
            self.out.print(Text(result.explanation, style="italic"))
        self.out.print(Text("Next: /quiz or Enter · /leaderboard · /stats · /help", style="dim"))

    def show_board(self, board: Leaderboard) -> None:
        title = "Leaderboard, all time"
        if board.period is Period.WEEK:
            title = f"{'Final standings' if board.final else 'Leaderboard'}, week of {board.week_start}"
        if not board.entries:
            self.out.print(Text(f"{title}: nobody has scored yet."))
            return
        table = Table(title=title, title_justify="left")
        for column in ("#", "player", "points", "correct", "answered"):
            table.add_column(column, justify="left" if column == "player" else "right")
        for e in board.entries:
            table.add_row(str(e.rank), Text(e.name), str(e.points), str(e.correct), str(e.answered))
        self.out.print(table)
        if board.me and board.me not in board.entries:
            self.out.print(Text(f"You: #{board.me.rank} with {board.me.points} pt"))

    async def show_stats(self, stats: PlayerStats) -> None:
        self.out.print(
            Text(
                f"{stats.player.name}: answered {stats.answered}, correct {stats.correct}, "
                f"accuracy {stats.accuracy:.0%}, points {stats.points}, "
                f"streak {stats.streak} (best {stats.best_streak})"
                + (
                    f", daily streak {stats.daily_streak} (best {stats.daily_best_streak})"
                    if stats.daily_best_streak
                    else ""
                )
            )
        )

    def show_close(self, summary: CloseSummary, board: Leaderboard) -> None:
        """A closed daily question: the answer, how many got it right, who was first."""
        q = summary.asked.question
        self.out.print(Text(f"Daily question closed: {q.prompt}", style="bold"))
        self.out.print(Text(f"Answer: {q.correct_answer}. {q.explanation}".rstrip()))
        self.out.print(
            Text(f"{summary.correct} of {summary.answered} got it right ({summary.share_correct:.0%}).")
        )
        if summary.first_correct:
            self.out.print(Text("First correct: " + ", ".join(summary.first_correct)))
        self.show_board(board)


class TerminalPoster:
    """Daily posts in the terminal channel: printed, with yesterday's closing summary before today's."""

    platform = PLATFORM

    def __init__(self, channel: TerminalChannel) -> None:
        self.channel = channel

    async def post_question(self, asked: AskedQuestion) -> str:
        self.channel.out.print(Text("Daily question:", style="bold"))
        self.channel.show_question(asked)
        return f"terminal:{asked.id}"

    async def update_answer_count(self, asked: AskedQuestion, message_ref: str, answered: int) -> None:
        self.channel.out.print(Text(f"({answered} answered the daily question so far)", style="dim"))

    async def post_close(self, summary: CloseSummary, board: Leaderboard, message_ref: str) -> None:
        self.channel.show_close(summary, board)


class TerminalPlugin:
    """Adds ``quizbot play``; also what ``quizbot run`` serves when no platform is configured."""

    name = PLATFORM

    def add_commands(self, commands: argparse._SubParsersAction) -> None:
        play = commands.add_parser("play", help="play in this terminal (no tokens needed)")
        play.add_argument("--user", default=None, help="your player name (default: your login name)")
        play.add_argument("--topic", default=None, help="only ask questions on this topic")
        play.set_defaults(handler=self.cmd_play)

    def enabled(self, settings: Settings) -> bool:
        return False  # opt-in: the composition root falls back to it when nothing else is configured

    def cmd_play(self, args: argparse.Namespace, settings: Settings) -> int:
        return asyncio.run(self.play(settings, args.user, args.topic))

    async def play(self, settings: Settings, user: str | None, topic: str | None) -> int:
        console = _console()
        async with await QuizEngine.open(settings) as engine:
            console.print(Text(f"Scores are kept in {settings.database_label}", style="dim"))
            name = user or _login_name()
            channel = TerminalChannel(engine, Player(PLATFORM, name, name), console, topic=topic)
            await channel.run(stdin_lines())
        return 0

    async def serve(self, runtime: Runtime) -> None:
        console = _console()
        name = _login_name()
        channel = TerminalChannel(runtime.engine, Player(PLATFORM, name, name), console)
        runtime.register_poster(TerminalPoster(channel))
        await channel.run(stdin_lines())

    @asynccontextmanager
    async def poster_session(self, runtime: Runtime) -> AsyncIterator[TerminalPoster]:
        """For ``quizbot post-daily``: daily posts of the terminal channel go to standard output."""
        console = _console()
        yield TerminalPoster(TerminalChannel(runtime.engine, Player(PLATFORM, "cron", "cron"), console))


def _console() -> Console:
    """Word-wrapped output on a terminal; on a pipe, one line per message (scripts and tests read lines)."""
    return Console(highlight=False, soft_wrap=not sys.stdout.isatty())


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "player"


plugin = TerminalPlugin()
