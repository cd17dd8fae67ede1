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
import inspect
import signal
import sys
import tempfile
import threading
from collections.abc import AsyncIterator, Coroutine, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any, TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from quizbot import charts
from quizbot.console import plain_console
from quizbot.daily import DailyService
from quizbot.domain import (
    BOARDS,
    MONTH_NAMES,
    AnswerResult,
    AnswerStatus,
    AskedQuestion,
    CloseSummary,
    DatabaseUnavailableError,
    Leaderboard,
    OutboxMessage,
    Period,
    Place,
    Player,
    PlayerStats,
    QuizError,
    Ranking,
)
from quizbot.engine import QuizEngine
from quizbot.health import ReportReason
from quizbot.invisible import looks_empty
from quizbot.plugins import Runtime
from quizbot.recall import review_lines
from quizbot.settings import Settings, environment_help

PLATFORM = "terminal"
PLACE = Place(PLATFORM, "local", "terminal")
LETTERS = "ABCDE"

LEADERBOARD_USAGE = f"Usage: /leaderboard [{'|'.join(BOARDS)}]"
"""Any word but a board's name gets this line, never a different board."""
PRACTICE = "Practice — no points"
TERMINAL_REPORT_THANKS = "Thanks: `quizbot health` lists your report."
REPORT_USAGE = f"Usage: /report {'|'.join(r.value for r in ReportReason)} [what is wrong]"

HELP = """Commands:
  /quiz [topic]          a new question (or just press Enter when no question is open)
  /leaderboard [week|month|accuracy]
                         the top 10 of all time (or this week, this month, or by share
                         right from 10 answers) and your rank
  /review                a question you are due to review (spaced repetition)
  /stats                 your answered / correct / accuracy / streaks, reviews due,
                         mastery per topic, and a picture of your last 8 weeks (a PNG)
  /daily                 the terminal channel's daily question
  /report REASON [words] report a problem with the question you just answered
                         (wrong-answer, ambiguous, typo or other); admins see it in
                         quizbot health
  /help                  this help
  /quit                  leave (Ctrl-D works too)
Answer with the choice letter (A, B, ...) or by typing the answer."""


async def stdin_lines(stream: TextIO | None = None) -> AsyncIterator[str]:
    """Lines from standard input without blocking the event loop; ends at end of input.

    A daemon thread does the blocking reads. (``asyncio.to_thread`` would not do: its worker blocks the
    interpreter's exit, so Ctrl-C would hang until the next Enter.) On a terminal the lines come from
    ``input()`` with the standard library's ``readline``, so arrow keys, history and Ctrl-A/E edit the line
    instead of typing ``^[[A``; piped input is read as it is.
    """
    source = stream or sys.stdin
    interactive = stream is None and _line_editing()
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str | None] = asyncio.Queue()

    def lines() -> Iterator[str]:
        if not interactive:
            yield from iter(source.readline, "")
            return
        with contextlib.suppress(EOFError):
            while True:
                yield input()

    def read() -> None:
        try:
            for line in lines():
                loop.call_soon_threadsafe(queue.put_nowait, line)
        except (OSError, ValueError):  # the stream was closed under us
            pass
        finally:
            with contextlib.suppress(RuntimeError):  # the loop is already closed: nobody is listening
                loop.call_soon_threadsafe(queue.put_nowait, None)

    threading.Thread(target=read, name="stdin", daemon=True).start()
    while (line := await queue.get()) is not None:
        yield line.rstrip("\r\n")


def _line_editing() -> bool:
    """Turn on ``readline`` line editing when both ends are a terminal (``input()`` uses it only then)."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return False
    try:
        import readline  # noqa: F401  (importing it is what makes input() edit lines)
    except ImportError:  # Windows, or a Python built without it: plain input still works
        return False
    return True


@contextmanager
def _terminal_settings_restored() -> Iterator[None]:
    """Put the terminal back as it was: leaving while ``readline`` waits for a key must not leave it raw."""
    try:
        import termios
    except ImportError:  # not POSIX
        yield
        return
    try:
        fd = sys.stdin.fileno()
        saved = termios.tcgetattr(fd)
    except (termios.error, OSError, ValueError):  # not a terminal
        yield
        return
    try:
        yield
    finally:
        with contextlib.suppress(OSError, termios.error):
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)


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
        self.answered: AskedQuestion | None = None
        """The question whose result was shown last: the one ``/report`` is about."""
        # /daily posts on demand, so the catch-up cut-off never applies here
        self.daily = DailyService(engine, {PLATFORM: TerminalPoster(self)}, cutoff=timedelta(days=1))

    async def show_daily(self) -> None:
        """Today's question of the terminal channel (posting it, and closing yesterday's, if needed)."""
        asked = await self.daily.today(PLACE)
        if self.open is None or self.open.id != asked.id:  # not just shown by the poster
            self.out.print(Text("Today's daily question:", style="bold"))
            self.show_question(asked)

    async def run(self, lines: AsyncIterator[str]) -> None:
        await self.start()
        await self.converse(lines)
        await self.farewell()

    async def start(self) -> None:
        self.out.print(
            Text(
                f"quizbot: {len(self.engine.bank)} questions loaded. Playing as {self.player.name}. "
                "Type /help for commands."
            )
        )
        await self.ask(self.topic)

    async def converse(self, lines: AsyncIterator[str]) -> None:
        """Handle input lines until the player leaves or the input ends."""
        async for line in lines:
            try:
                if not await self.handle(line.strip()):
                    break
            except QuizError as exc:  # the database is away, say: say so, and keep reading
                self.out.print(Text(str(exc)))

    async def farewell(self) -> None:
        """The summary shown however the session ends: /quit, end of input or Ctrl-C."""
        with contextlib.suppress(QuizError):  # the database may be away: leave without the summary
            await self.show_stats(await self.engine.stats(PLACE, self.player))
        self.out.print("Bye!")

    async def handle(self, line: str) -> bool:
        """React to one input line; False means the player wants to leave.

        A line of only invisible characters (zero-width space, soft hyphen, BOM) is a blank line too.
        """
        if looks_empty(line):
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
            board = BOARDS.get(rest.casefold() or "all")
            if board is None:
                self.out.print(Text(LEADERBOARD_USAGE))
            else:
                period, ranking = board
                self.show_board(
                    await self.engine.leaderboard(PLACE, self.player, period=period, ranking=ranking)
                )
        elif command == "review":
            await self.ask(rest or None, review_only=True)
        elif command == "stats":
            stats = await self.engine.stats(PLACE, self.player)
            await self.show_stats(stats)
            if stats.answered:
                await self.save_weeks()
        elif command == "daily":
            await self.show_daily()
        elif command == "report":
            await self.report(rest)
        elif command == "help":
            self.out.print(Text(HELP))
        else:
            self.out.print(Text(f"Unknown command /{command}.\n{HELP}"))
        return True

    async def ask(self, topic: str | None, *, review_only: bool = False) -> None:
        try:
            asked = await self.engine.ask(PLACE, self.player, topic=topic, review_only=review_only)
        except QuizError as exc:
            self.out.print(Text(str(exc)))
            return
        self.show_question(asked)

    def show_question(self, asked: AskedQuestion) -> None:
        """Show a question and make it the one typed answers go to."""
        self.open = asked
        q = asked.question
        self.out.print()
        if asked.review:
            self.out.print(
                Text(f"Review: you answered this before and it is due again ({PRACTICE.lower()}).")
            )
            self.out.print(Text(f"[{q.topic} · {q.difficulty.value} · review]", style="dim"))
        elif asked.practice:
            self.out.print(Text(f"{PRACTICE}: you have answered every question here; this one is a repeat."))
            self.out.print(Text(f"[{q.topic} · {q.difficulty.value} · practice]", style="dim"))
        else:
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
        except DatabaseUnavailableError as exc:  # nothing was saved: the question stays open for a retry
            self.out.print(Text(str(exc)))
            return
        except QuizError as exc:
            self.out.print(Text(str(exc)))
            self.open = None
            return
        if result.status is AnswerStatus.INVALID:
            count = len(self.open.question.choices)
            hint = f"Answer with a letter from A to {LETTERS[count - 1]}, or type a choice." if count else ""
            self.out.print(Text(hint or "Type your answer: that one was empty."))
            return
        self.answered, self.open = self.open, None
        self.show_result(result)

    async def report(self, rest: str) -> None:
        """``/report REASON [words]``: the terminal's "Report a problem" under the last result."""
        reason, _, words = rest.partition(" ")
        if self.answered is None:
            self.out.print(Text("Answer a question first; /report then reports it."))
            return
        if reason.casefold() not in {r.value for r in ReportReason}:
            self.out.print(Text(REPORT_USAGE))
            return
        try:
            await self.engine.report_problem(self.answered.id, self.player, reason.casefold(), words)
        except QuizError as exc:
            self.out.print(Text(str(exc)))
            return
        # The chat platforms thank on behalf of a server's admins; here, whoever runs the terminal reads
        # the reports themselves.
        self.out.print(Text(TERMINAL_REPORT_THANKS))

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
        elif result.practice and result.correct:
            self.out.print(Text(f"✓ Correct! {PRACTICE}.", style="green"))
        elif result.practice:
            self.out.print(Text(f"✗ Not quite ({PRACTICE.lower()}). The answer is: {result.correct_answer}"))
        elif result.correct:
            self.out.print(Text(f"✓ Correct! +{result.points} pt · streak {result.streak}", style="green"))
            if result.accepted_as:  # a typo was forgiven: show the spelling that counted
                self.out.print(Text(f"Accepted as {result.accepted_as}.", style="green"))
        else:
            self.out.print(Text(f"✗ Not quite. The answer is: {result.correct_answer}", style="red"))
        if result.explanation:
            self.out.print(Text(result.explanation, style="italic"))
        self.out.print(Text("Next: /quiz or Enter · /review · /leaderboard · /stats · /help", style="dim"))

    def show_board(self, board: Leaderboard) -> None:
        title = f"{'Final standings' if board.final else 'Leaderboard'}, {_board_span(board)}"
        accuracy = board.ranking is Ranking.ACCURACY
        if accuracy:
            title = f"Accuracy, {_board_span(board)} (from {board.min_answers} answers)"
        if not board.entries:
            nobody = f"nobody has {board.min_answers} answers yet" if accuracy else "nobody has scored yet"
            self.out.print(Text(f"{title}: {nobody}."))
            return
        table = Table(title=title, title_justify="left")
        for column in ("#", "player", "right" if accuracy else "points", "correct", "answered"):
            table.add_column(column, justify="left" if column == "player" else "right")
        for e in board.entries:
            lead = f"{e.accuracy:.0%}" if accuracy else str(e.points)
            table.add_row(str(e.rank), Text(e.name), lead, str(e.correct), str(e.answered))
        self.out.print(table)
        if board.me and board.me not in board.entries:
            lead = f"{board.me.accuracy:.0%} right" if accuracy else f"{board.me.points} pt"
            self.out.print(Text(f"You: #{board.me.rank} with {lead}"))

    async def save_weeks(self) -> None:
        """Draw the player's last 8 weeks into a PNG beside them and print where it is."""
        picture = await charts.history_picture(await self.engine.weekly_history(PLACE, self.player))
        await self.save_picture(picture, "Your last 8 weeks")

    async def save_picture(self, picture: charts.Picture, what: str) -> None:
        """Save ``picture`` in the working folder (the temp folder if that is read-only); print its path."""
        try:
            path = await asyncio.to_thread(_save, picture, Path.cwd())
        except OSError:
            try:
                path = await asyncio.to_thread(_save, picture, Path(tempfile.gettempdir()))
            except OSError as exc:
                self.out.print(Text(f"{what}: could not save the picture ({exc.strerror or exc})."))
                return
        self.out.print(Text(f"{what}: {path}"))

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
        if stats.reviews is not None:
            for line in review_lines(stats.reviews):
                self.out.print(Text(line))

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


def _board_span(board: Leaderboard) -> str:
    """``all time``, ``week of 2026-11-16`` or ``November 2026``."""
    if board.period is Period.WEEK:
        return f"week of {board.week_start}"
    if board.period is Period.MONTH and board.month_start is not None:
        return f"{MONTH_NAMES[board.month_start.month - 1]} {board.month_start.year}"
    return "all time"


class TerminalPoster:
    """Daily posts in the terminal channel: printed, with yesterday's closing summary before today's."""

    platform = PLATFORM

    def __init__(self, channel: TerminalChannel) -> None:
        self.channel = channel

    async def post_question(self, asked: AskedQuestion, *, key: str | None = None) -> str:
        self.channel.out.print(Text("Daily question:", style="bold"))
        self.channel.show_question(asked)
        return f"terminal:{asked.id}"

    async def update_answer_count(self, asked: AskedQuestion, message_ref: str, answered: int) -> None:
        self.channel.out.print(Text(f"({answered} answered the daily question so far)", style="dim"))

    async def post_close(
        self,
        summary: CloseSummary,
        board: Leaderboard,
        message_ref: str,
        *,
        key: str | None = None,
        picture: charts.Picture | None = None,
    ) -> None:
        self.channel.show_close(summary, board)
        if picture is not None:
            await self.channel.save_picture(picture, "Last week's final standings")

    async def find_sent(self, message: OutboxMessage) -> str | None:
        """Printed lines cannot be read back: a post interrupted by a crash is printed again."""
        return None


class TerminalPlugin:
    """Adds ``quizbot play``; also what ``quizbot run`` serves when no platform is configured."""

    name = PLATFORM

    def add_commands(self, commands: argparse._SubParsersAction) -> None:
        play = commands.add_parser(
            "play",
            help="play in this terminal (no tokens needed)",
            description="Play the quiz in this terminal: answer with a letter or by typing the answer; /help "
            "lists the commands. Standard input may be piped, one line per input. Ctrl-C or /quit ends the "
            "game with your stats.",
            epilog=environment_help("QUIZBOT_DATABASE_URL", "QUIZBOT_QUESTIONS"),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        play.add_argument("--user", default=None, help="your player name (default: your login name)")
        play.add_argument("--topic", default=None, help="only ask questions on this topic")
        play.set_defaults(handler=self.cmd_play)

    def enabled(self, settings: Settings) -> bool:
        return False  # opt-in: the composition root falls back to it when nothing else is configured

    def cmd_play(self, args: argparse.Namespace, settings: Settings) -> int:
        return asyncio.run(self.play(settings, args.user, args.topic))

    async def play(self, settings: Settings, user: str | None, topic: str | None) -> int:
        """One game in this terminal. Ctrl-C ends it like /quit (same summary) with exit code 130."""
        console = _console()
        async with await QuizEngine.open(settings) as engine:
            if topic and not engine.bank.eligible(topic):
                topics = ", ".join(engine.bank.topics())
                raise QuizError(f"no questions on topic '{topic}'; the topics are: {topics}")
            console.print(Text(f"Scores are kept in {settings.database_label}", style="dim"))
            name = user or _login_name()
            channel = TerminalChannel(engine, Player(PLATFORM, name, name), console, topic=topic)
            with _terminal_settings_restored():
                interrupted = await _until_interrupted(channel.start(), channel.converse(stdin_lines()))
            if interrupted and sys.stdout.isatty():
                console.print()  # past the ^C the terminal echoed
            await channel.farewell()
        return 130 if interrupted else 0

    async def serve(self, runtime: Runtime) -> None:
        console = _console()
        name = _login_name()
        channel = TerminalChannel(runtime.engine, Player(PLATFORM, name, name), console)
        runtime.register_poster(TerminalPoster(channel))
        with _terminal_settings_restored():
            await channel.run(stdin_lines())

    @asynccontextmanager
    async def poster_session(self, runtime: Runtime) -> AsyncIterator[TerminalPoster]:
        """For ``quizbot post-daily``: daily posts of the terminal channel go to standard output."""
        console = _console()
        yield TerminalPoster(TerminalChannel(runtime.engine, Player(PLATFORM, "cron", "cron"), console))


def _save(picture: charts.Picture, folder: Path) -> Path:
    path = (folder / picture.filename).resolve()
    path.write_bytes(picture.data)
    return path


async def _until_interrupted(*steps: Coroutine[Any, Any, None]) -> bool:
    """Run ``steps`` in order; return True if Ctrl-C (SIGINT) stopped them.

    The handler goes through the event loop's signal wake-up pipe: the kernel may deliver SIGINT to any
    thread (the stdin reader, a database thread), and a plain ``signal.signal`` handler would then wait until
    the main thread next woke up, which at an input prompt is never.
    """
    loop = asyncio.get_running_loop()
    session = asyncio.ensure_future(_in_order(steps))
    interrupted = False

    def interrupt() -> None:
        nonlocal interrupted
        interrupted = True
        session.cancel()

    # Windows, or not the main thread: no handler, and Ctrl-C raises KeyboardInterrupt as before
    with contextlib.suppress(NotImplementedError, RuntimeError):
        loop.add_signal_handler(signal.SIGINT, interrupt)
    try:
        await session
    except asyncio.CancelledError:
        if not interrupted:
            raise
    finally:
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.remove_signal_handler(signal.SIGINT)
        for step in steps:
            if inspect.getcoroutinestate(step) == inspect.CORO_CREATED:
                step.close()  # a step never started must not warn that it was never awaited
    return interrupted


async def _in_order(steps: tuple[Coroutine[Any, Any, None], ...]) -> None:
    for step in steps:
        await step


def _console() -> Console:
    """Word-wrapped output on a terminal; on a pipe, one line per message (scripts and tests read lines)."""
    return plain_console()


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "player"


plugin = TerminalPlugin()
