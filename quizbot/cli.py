"""The ``quizbot`` command and the composition root of a running bot.

Adapters add their own subcommands (``play``, ``discord-invite``) through their plugins, so this module
names no chat platform. Every failure a user can cause ends as a one-line message and an exit code, never
a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import gc
import logging
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import AsyncExitStack
from datetime import timedelta
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from pydantic import ValidationError
from rich.table import Column, Table
from sqlalchemy.exc import SQLAlchemyError

from quizbot.bank import BankLoader, BankLoadError
from quizbot.cli_health import add_health_command
from quizbot.cli_help import add_command
from quizbot.cli_questions import add_questions_commands
from quizbot.console import plain_console
from quizbot.domain import DatabaseUnavailableError, Place, QuizError
from quizbot.engine import QuizEngine
from quizbot.logs import configure_logging, quizbot_version
from quizbot.output_file import write_text_file
from quizbot.plugins import AdapterPlugin, PluginConfigError, Runtime, load_plugins
from quizbot.schema import json_schema
from quizbot.settings import Settings, environment_help
from quizbot.supervisor import DEFAULT_BACKOFF, Backoff, Service, Supervisor

log = logging.getLogger("quizbot")


RUN_VARIABLES = (
    "QUIZBOT_DATABASE_URL",
    "QUIZBOT_QUESTIONS",
    "DISCORD_TOKEN",
    "QUIZBOT_DISCORD_GUILD",
    "QUIZBOT_DISCORD_SHARDS",
    "SLACK_BOT_TOKEN",
    "SLACK_APP_TOKEN",
    "SLACK_SIGNING_SECRET",
    "QUIZBOT_SLACK_PORT",
    "QUIZBOT_SLACK_ADMINS",
    "QUIZBOT_DAILY_CUTOFF_MINUTES",
    "QUIZBOT_LOG_LEVEL",
    "QUIZBOT_AUTO_MIGRATE",
    "QUIZBOT_DB_CONNECT_TIMEOUT",
    "QUIZBOT_DB_COMMAND_TIMEOUT",
    "QUIZBOT_SERVE_DRAFTS",
    "QUIZBOT_MAX_UPLOAD_BYTES",
    "QUIZBOT_MAX_SERVER_QUESTIONS",
)
ADDRESS_FORMS = (
    "channel addresses are PLATFORM:SERVER:CHANNEL:\n"
    "  discord:SERVER_ID:CHANNEL_ID   numeric ids (Discord Developer Mode, then Copy Server ID / Copy "
    "Channel ID)\n"
    "  slack:TEAM_ID:CHANNEL_ID       e.g. slack:T0123ABCD:C0456EFGH (slack-check shows the team id)\n"
    "  terminal:local:terminal        the terminal channel of quizbot play and quizbot run"
)


def build_parser(plugins: Sequence[AdapterPlugin]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="quizbot",
        description="A daily machine-learning-engineering quiz for Discord, Slack and the terminal. "
        "Run 'quizbot COMMAND --help' for what a command does and the settings it reads.",
        epilog=environment_help(*RUN_VARIABLES),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"quizbot {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    validate = add_command(
        commands,
        "validate",
        "check question files or folders",
        "Check question files or folders; exit 0 with a summary, or 1 listing every error as PATH:LINE.",
        "QUIZBOT_QUESTIONS",
        "QUIZBOT_MAX_BANK_FILE_BYTES",
    )
    validate.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="default: the configured bank")
    validate.set_defaults(handler=cmd_validate)

    schema = add_command(
        commands,
        "schema",
        "print the JSON Schema of a question file",
        "Print the JSON Schema of a question file, for editors that validate YAML as you type. "
        "Reads no environment variable.",
    )
    schema.add_argument("--out", type=Path, help="write to this file instead of standard output")
    schema.set_defaults(handler=cmd_schema)

    generate = add_command(
        commands,
        "generate",
        "generate question banks from articles",
        "Generate question banks (YAML) from plain-text articles: their misconceptions, FAQs and tools "
        "sections. Reads no environment variable.",
    )
    generate.add_argument("sources", nargs="+", type=Path, metavar="SOURCE", help="plain-text articles")
    generate.add_argument("--out", type=Path, required=True, help="folder for the generated YAML banks")
    generate.set_defaults(handler=cmd_generate)

    importer = add_command(
        commands,
        "import",
        "convert Red-DiscordBot trivia lists, Open Trivia DB dumps or CSV files into question files",
        "Convert existing trivia into quizbot question files, one output file per source. Prints what was "
        "converted, what was skipped and why; the files written pass `quizbot validate`. "
        "Reads no environment variable.",
    )
    importer.add_argument("format", choices=("red", "opentdb", "csv"), help="the sources' format")
    importer.add_argument("sources", nargs="+", type=Path, metavar="SOURCE", help="files or folders")
    importer.add_argument("--out", type=Path, required=True, help="folder for the question files")
    importer.set_defaults(handler=cmd_import)

    add_questions_commands(commands)

    review = add_command(
        commands,
        "review",
        "approve or reject draft questions, one by one",
        "Walk the draft questions of a bank folder in the terminal: approve, reject or leave for later. "
        "Each decision is written into the file (and into review.json for regenerated banks). Reads no "
        "environment variable.",
    )
    review.add_argument("folder", type=Path, metavar="DIR", help="a bank folder, e.g. questions/my-topic")
    review.set_defaults(handler=cmd_review)

    lint = add_command(
        commands,
        "lint",
        "item-writing checks for question files or folders",
        "Warn, as PATH:LINE: message, about questions that can be answered without knowing anything: "
        "absolute words, answers echoing the prompt, leaks between questions, unbalanced files and more. "
        "Reads no environment variable.",
    )
    lint.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    lint.add_argument("--strict", action="store_true", help="exit 1 when there is any warning")
    lint.set_defaults(handler=cmd_lint)

    run = add_command(
        commands,
        "run",
        "run the bot on every configured platform",
        "Serve every platform whose credentials are set (Discord, Slack) and post the daily questions, in "
        "one process, until stopped.",
        *RUN_VARIABLES,
    )
    run.set_defaults(handler=cmd_run)

    post = add_command(
        commands,
        "post-daily",
        "post every due daily question now and exit (for cron)",
        "Post every due daily question that is not posted yet, close the previous ones, and exit: for cron "
        "or a Kubernetes CronJob next to (or instead of) quizbot run. Each question is posted once.",
        "QUIZBOT_DATABASE_URL",
        "QUIZBOT_QUESTIONS",
        "DISCORD_TOKEN",
        "SLACK_BOT_TOKEN",
        "QUIZBOT_DAILY_CUTOFF_MINUTES",
    )
    post.set_defaults(handler=cmd_post_daily)

    schedule = add_command(
        commands,
        "schedule",
        "manage daily-question schedules",
        f"Add, list or remove the daily question of chat channels.\n\n{ADDRESS_FORMS}",
        "QUIZBOT_DATABASE_URL",
        "QUIZBOT_QUESTIONS",
    )
    actions = schedule.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = add_command(
        actions,
        "add",
        "post a daily question in CHANNEL at HH:MM local time",
        "Post a daily question in CHANNEL at HH:MM in ZONE. Scheduling a channel again changes its time "
        f"and keeps its weekdays and reveal setting unless given.\n\n{ADDRESS_FORMS}",
        "QUIZBOT_DATABASE_URL",
        "QUIZBOT_QUESTIONS",
    )
    add.add_argument("channel", metavar="CHANNEL", help="PLATFORM:SERVER:CHANNEL, e.g. slack:T0123:C0456")
    add.add_argument("time", metavar="HH:MM")
    add.add_argument("zone", nargs="?", default="UTC", metavar="ZONE", help="IANA time zone (default UTC)")
    add.add_argument(
        "--weekdays",
        default=None,
        help="e.g. mon,tue,wed,thu,fri, or 'all' (a new schedule: every day; else kept as it is)",
    )
    add.add_argument(
        "--reveal-at-close",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="hide answers until the question closes; --no-reveal-at-close reveals each at once "
        "(a new schedule: at once; else kept as it is)",
    )
    add.set_defaults(handler=cmd_schedule_add)
    listing = add_command(
        actions, "list", "list schedules", "List the daily-question schedules.", "QUIZBOT_DATABASE_URL"
    )
    listing.add_argument("--platform", default=None, help="only this platform's (discord, slack, terminal)")
    listing.set_defaults(handler=cmd_schedule_list)
    remove = add_command(
        actions,
        "remove",
        "stop the daily question in CHANNEL",
        "Stop the daily question in CHANNEL (as 'quizbot schedule list' shows it).",
        "QUIZBOT_DATABASE_URL",
    )
    remove.add_argument("channel", metavar="CHANNEL")
    remove.set_defaults(handler=cmd_schedule_remove)

    from quizbot.cli_db import add_commands as add_data_commands

    add_data_commands(commands)
    add_health_command(commands)
    for plugin in plugins:
        plugin.add_commands(commands)
    return parser


def _version() -> str:
    try:
        return version("quizbot")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def cmd_validate(args: argparse.Namespace, settings: Settings) -> int:
    """Exit 0 with a summary when every file is valid; exit 1 listing every error, one per line."""
    paths = args.paths or settings.question_paths
    out = plain_console(soft_wrap=True)
    try:
        bank = BankLoader(settings.max_bank_file_bytes, serve_drafts=settings.serve_drafts).load(paths)
    except BankLoadError as exc:
        for error in exc.errors:
            out.print(str(error), markup=False)
        out.print(f"{exc.total:,} error(s) found.", markup=False)
        return 1
    out.print(f"OK: {len(bank)} questions, no errors.", markup=False)
    if bank.held:
        held = ", ".join(f"{n} {status}" for status, n in sorted(bank.held.items()))
        out.print(f"Not served: {held} (review drafts with `quizbot review DIR`).", markup=False)
    for title, counts in bank.summary().items():
        table = Table(title=f"by {title}", show_header=False, box=None, title_justify="left")
        for name, count in sorted(counts.items()):
            table.add_row(name, str(count))
        out.print(table)
    return 0


def cmd_schema(args: argparse.Namespace, settings: Settings) -> int:
    text = json_schema()
    if not args.out:
        sys.stdout.write(text)
        return 0
    write_text_file(args.out, text, "schema.json")
    return 0


def cmd_generate(args: argparse.Namespace, settings: Settings) -> int:
    from quizbot.generate import generate_command

    out: Path = args.out
    if out.exists() and not out.is_dir():
        raise QuizError(f"--out {out} is a file; give a folder for the generated banks")
    try:
        return generate_command(list(args.sources), out)
    except OSError as exc:
        raise QuizError(f"cannot write the banks to {out}: {exc.strerror or exc}") from None


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    from quizbot.importers.command import import_command

    return import_command(args.format, list(args.sources), args.out)


def cmd_review(args: argparse.Namespace, settings: Settings) -> int:
    from quizbot.review import review_command

    return review_command(args.folder)


def cmd_lint(args: argparse.Namespace, settings: Settings) -> int:
    """Print every warning as PATH:LINE: message; exit 1 with --strict when there is any."""
    from quizbot.lint import lint_paths

    findings = lint_paths(args.paths)
    out = plain_console(soft_wrap=True)
    for finding in findings:
        out.print(str(finding), markup=False)
    out.print(f"{len(findings)} warning(s)." if findings else "No warnings.", markup=False)
    return 1 if findings and args.strict else 0


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(serve(settings, load_plugins()))


NO_PLATFORM = (
    "no chat platform is configured and standard input is not a terminal: set DISCORD_TOKEN, or "
    "SLACK_BOT_TOKEN with SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode); "
    "to play in a terminal, run `quizbot play`"
)
STOP_GRACE_SECONDS = 10.0
"""On SIGTERM or Ctrl-C, how long answers in progress get to finish before the connections close."""


async def serve(
    settings: Settings,
    plugins: Sequence[AdapterPlugin],
    *,
    interactive: bool | None = None,
    backoff: Backoff = DEFAULT_BACKOFF,
) -> int:
    """Serve every enabled platform and the daily scheduler in this one event loop, supervised.

    Each platform and the scheduler restart on their own after a failure (see :mod:`quizbot.supervisor`);
    the bot stops on SIGTERM or SIGINT (answers in progress finish first, exit 0), on a configuration error
    (raised, printed as one line by :func:`main`), or when the terminal channel's player leaves.

    With no platform credentials at all, the terminal channel runs instead when standard input is a terminal
    (``interactive``, default: ask ``sys.stdin``), so a fresh checkout works; under systemd, Docker or cron
    there is nobody to type, so it refuses with a line naming the variables to set.
    """
    from quizbot.scheduler import serve_daily

    enabled = [p for p in plugins if p.name != "terminal" and p.enabled(settings)]
    if not enabled:
        if interactive is None:  # no standard input at all (a closed descriptor) is nobody at the keyboard
            interactive = sys.stdin is not None and sys.stdin.isatty()
        if not interactive:
            raise QuizError(NO_PLATFORM)
        enabled = [p for p in plugins if p.name == "terminal"]
        log.info("no platform credentials configured; running the terminal channel")
    log.info("quizbot %s starting; data in %s", quizbot_version(), settings.database_label)
    async with await QuizEngine.open(settings) as engine:
        runtime = Runtime(settings=settings, engine=engine)
        gc.collect()
        gc.freeze()  # the bank and the libraries live as long as the process: keep them out of GC pauses
        services = [
            Service(p.name, functools.partial(p.serve, runtime), ends_run=p.name == "terminal")
            for p in enabled
        ]
        services.append(Service("daily", functools.partial(serve_daily, runtime)))
        stop = asyncio.Event()
        with _stopping_on_signals(stop):
            await Supervisor(services, backoff=backoff).run(stop, drain=functools.partial(_drain, runtime))
    log.info("quizbot stopped")
    return 0


@contextlib.contextmanager
def _stopping_on_signals(stop: asyncio.Event) -> Iterator[None]:
    """SIGTERM (systemd, Docker) and SIGINT (Ctrl-C) set ``stop``: a clean stop, not an interrupted one."""
    loop = asyncio.get_running_loop()
    installed: list[signal.Signals] = []

    def on_signal(signum: signal.Signals) -> None:
        if stop.is_set():
            return
        log.info("%s received: finishing answers in progress, then stopping", signum.name)
        stop.set()

    for signum in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(signum, on_signal, signum)
        except (NotImplementedError, RuntimeError):  # Windows, or not the main thread: Ctrl-C still works
            continue
        installed.append(signum)
    try:
        yield
    finally:
        for signum in installed:
            loop.remove_signal_handler(signum)


async def _drain(runtime: Runtime) -> None:
    if not await runtime.in_flight.wait_idle(STOP_GRACE_SECONDS):
        log.warning(
            "%d answer(s) still in progress after %.0f s; stopping anyway",
            len(runtime.in_flight),
            STOP_GRACE_SECONDS,
        )


def cmd_post_daily(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(post_daily(settings, load_plugins()))


async def post_daily(settings: Settings, plugins: Sequence[AdapterPlugin]) -> int:
    """Post every due, unclaimed daily slot once and exit: the same claim as the scheduler uses."""
    from quizbot.daily import DailyService, Outcome

    failed = 0
    async with await QuizEngine.open(settings, create=False) as engine, AsyncExitStack() as stack:
        runtime = Runtime(settings=settings, engine=engine)
        for plugin in plugins:
            if not hasattr(plugin, "poster_session"):
                continue
            if plugin.name != "terminal" and not plugin.enabled(settings):
                continue
            try:
                poster = await stack.enter_async_context(plugin.poster_session(runtime))
            except PluginConfigError as exc:  # one broken platform must not hold back the others
                print(f"quizbot: {plugin.name}: {exc}", file=sys.stderr)
                failed += 1
                continue
            runtime.register_poster(poster)
        service = DailyService(
            engine, runtime.posters, cutoff=timedelta(minutes=settings.daily_cutoff_minutes)
        )
        results = await service.post_due(report_late=True)
        for slot, outcome in results:
            print(f"{':'.join(slot.key)}: {outcome.value}")
            failed += outcome is Outcome.FAILED
        idle = sorted({s.place.platform for s in await engine.list_schedules()} - set(runtime.posters))
        for platform in idle:
            print(f"{platform}: schedules skipped, the platform is not configured here", file=sys.stderr)
        if not results:
            print("nothing due")
    return 1 if failed else 0


def _place(text: str) -> Place:
    parts = text.split(":")
    if len(parts) != 3 or not all(parts):
        raise QuizError(f"'{text}' is not PLATFORM:SERVER:CHANNEL (e.g. discord:1234:5678)")
    return Place(*parts)


_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _weekdays(text: str) -> tuple[int, ...]:
    """``mon,wed`` as weekday numbers; ``all`` (or nothing) means every day."""
    if text.strip().lower() in ("all", "every", "daily"):
        return ()
    days = [d.strip().lower()[:3] for d in text.split(",") if d.strip()]
    unknown = [d for d in days if d not in _DAYS]
    if unknown:
        raise QuizError(f"unknown weekday(s) {', '.join(unknown)}; use mon,tue,wed,thu,fri,sat,sun or all")
    return tuple(_DAYS.index(d) for d in days)


def cmd_schedule_add(args: argparse.Namespace, settings: Settings) -> int:
    """Like the chat command: unless given, a channel's weekdays and reveal setting stay as they are."""
    place = _place(args.channel)
    plugins = {p.name: p for p in load_plugins()}
    if place.platform not in plugins:
        known = ", ".join(sorted(plugins))
        raise QuizError(f"unknown platform '{place.platform}' in {args.channel}; use one of {known}")
    check_address = getattr(plugins[place.platform], "check_address", None)
    if check_address is not None:
        check_address(place.server, place.channel)
    weekdays = _weekdays(args.weekdays) if args.weekdays is not None else None

    async def go() -> int:
        async with await QuizEngine.open(settings) as engine:
            schedule = await engine.set_schedule(
                place, args.time, args.zone, weekdays, reveal_at_close=args.reveal_at_close
            )
        days = ",".join(_DAYS[d] for d in schedule.weekdays) or "every day"
        reveal = "answers revealed at close" if schedule.reveal_at_close else "answers revealed at once"
        print(f"daily question in {args.channel} at {schedule.time} {schedule.timezone}, {days}, {reveal}")
        return 0

    return asyncio.run(go())


def cmd_schedule_list(args: argparse.Namespace, settings: Settings) -> int:
    async def go() -> int:
        async with await QuizEngine.open(settings, create=False) as engine:
            schedules = await engine.list_schedules(args.platform)
        table = Table("time", "zone", "days", "reveal")
        table.columns.insert(0, Column("channel", overflow="fold"))  # whole, never cut short with "…"
        for s in schedules:
            days = ",".join(_DAYS[d] for d in s.weekdays) or "every day"
            table.add_row(
                f"{s.place.platform}:{s.place.server}:{s.place.channel}",
                s.time,
                s.timezone,
                days,
                "at close" if s.reveal_at_close else "at once",
            )
        plain_console(soft_wrap=True).print(table if schedules else "no schedules")
        return 0

    return asyncio.run(go())


def cmd_schedule_remove(args: argparse.Namespace, settings: Settings) -> int:
    async def go() -> int:
        async with await QuizEngine.open(settings, create=False) as engine:
            removed = await engine.remove_schedule(_place(args.channel))
        print(f"removed the schedule of {args.channel}" if removed else f"{args.channel} had no schedule")
        return 0 if removed else 1

    return asyncio.run(go())


def _setting_error(exc: ValidationError) -> str:
    """The first invalid setting as one line: its variable name and what is wrong."""
    first = exc.errors()[0]
    name = "QUIZBOT_" + str(first["loc"][0]).upper() if first["loc"] else "settings"
    message = str(first["msg"]).removeprefix("Value error, ")
    return f"quizbot: invalid setting {name}: {message}"


def main(argv: Sequence[str] | None = None) -> int:
    plugins = load_plugins()
    parser = build_parser(plugins)
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        settings = Settings()
    except ValidationError as exc:
        print(_setting_error(exc), file=sys.stderr)
        return 2
    configure_logging(settings.log_level, service=args.command == "run")
    try:
        return int(args.handler(args, settings))
    except DatabaseUnavailableError as exc:
        print(f"quizbot: {exc}", file=sys.stderr)
        return 1
    except QuizError as exc:
        print(f"quizbot: {exc}", file=sys.stderr)
        return 2
    except BankLoadError as exc:
        for error in exc.errors:
            print(str(error), file=sys.stderr)
        print(
            f"quizbot: the question bank has {exc.total:,} error(s); fix them and start again.",
            file=sys.stderr,
        )
        return 1
    except (SQLAlchemyError, ConnectionError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines() or [type(exc).__name__]
        print(f"quizbot: cannot use the database {settings.database_label}: {reason[0]}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
