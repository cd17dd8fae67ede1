"""The ``quizbot`` command and the composition root of a running bot.

Adapters add their own subcommands (``play``, ``discord-invite``) through their plugins, so this module
names no chat platform. Every failure a user can cause ends as a one-line message and an exit code, never
a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import sys
from collections.abc import Sequence
from contextlib import AsyncExitStack
from datetime import timedelta
from pathlib import Path

from pydantic import ValidationError
from rich.console import Console
from rich.table import Table
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from quizbot.bank import BankLoader, BankLoadError
from quizbot.domain import Place, QuizError
from quizbot.engine import QuizEngine
from quizbot.plugins import AdapterPlugin, PluginConfigError, Runtime, load_plugins
from quizbot.schema import json_schema
from quizbot.settings import Settings

log = logging.getLogger("quizbot")


def build_parser(plugins: Sequence[AdapterPlugin]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="quizbot",
        description="A daily machine-learning-engineering quiz for Discord, Slack and the terminal.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    validate = commands.add_parser("validate", help="check question files or folders")
    validate.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="default: the configured bank")
    validate.set_defaults(handler=cmd_validate)

    schema = commands.add_parser("schema", help="print the JSON Schema of a question file")
    schema.add_argument("--out", type=Path, help="write to this file instead of standard output")
    schema.set_defaults(handler=cmd_schema)

    generate = commands.add_parser("generate", help="generate question banks from articles")
    generate.add_argument("sources", nargs="+", type=Path, metavar="SOURCE", help="plain-text articles")
    generate.add_argument("--out", type=Path, required=True, help="folder for the generated YAML banks")
    generate.set_defaults(handler=cmd_generate)

    review = commands.add_parser("review", help="approve or reject draft questions, one by one")
    review.add_argument("folder", type=Path, metavar="DIR", help="a bank folder, e.g. questions/my-topic")
    review.set_defaults(handler=cmd_review)

    lint = commands.add_parser("lint", help="item-writing checks for question files or folders")
    lint.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    lint.add_argument("--strict", action="store_true", help="exit 1 when there is any warning")
    lint.set_defaults(handler=cmd_lint)

    run = commands.add_parser("run", help="run the bot on every configured platform")
    run.set_defaults(handler=cmd_run)

    post = commands.add_parser("post-daily", help="post every due daily question now and exit (for cron)")
    post.set_defaults(handler=cmd_post_daily)

    schedule = commands.add_parser("schedule", help="manage daily-question schedules")
    actions = schedule.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="post a daily question in CHANNEL at HH:MM local time")
    add.add_argument("channel", metavar="CHANNEL", help="PLATFORM:SERVER:CHANNEL, e.g. slack:T0123:C0456")
    add.add_argument("time", metavar="HH:MM")
    add.add_argument("zone", nargs="?", default="UTC", metavar="ZONE", help="IANA time zone (default UTC)")
    add.add_argument("--weekdays", default="", help="e.g. mon,tue,wed,thu,fri (default: every day)")
    add.add_argument("--reveal-at-close", action="store_true", help="hide answers until the question closes")
    add.set_defaults(handler=cmd_schedule_add)
    listing = actions.add_parser("list", help="list schedules")
    listing.add_argument("--platform", default=None)
    listing.set_defaults(handler=cmd_schedule_list)
    remove = actions.add_parser("remove", help="stop the daily question in CHANNEL")
    remove.add_argument("channel", metavar="CHANNEL")
    remove.set_defaults(handler=cmd_schedule_remove)

    for plugin in plugins:
        plugin.add_commands(commands)
    return parser


def cmd_validate(args: argparse.Namespace, settings: Settings) -> int:
    """Exit 0 with a summary when every file is valid; exit 1 listing every error, one per line."""
    paths = args.paths or settings.question_paths
    out = Console(highlight=False, soft_wrap=True)
    try:
        bank = BankLoader(settings.max_bank_file_bytes, serve_drafts=settings.serve_drafts).load(paths)
    except BankLoadError as exc:
        for error in exc.errors:
            out.print(str(error), markup=False)
        out.print(f"{len(exc.errors)} error(s) found.", markup=False)
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
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def cmd_generate(args: argparse.Namespace, settings: Settings) -> int:
    from quizbot.generate import generate_command

    return generate_command(list(args.sources), args.out)


def cmd_review(args: argparse.Namespace, settings: Settings) -> int:
    from quizbot.review import review_command

    return review_command(args.folder)


def cmd_lint(args: argparse.Namespace, settings: Settings) -> int:
    """Print every warning as PATH:LINE: message; exit 1 with --strict when there is any."""
    from quizbot.lint import lint_paths

    findings = lint_paths(args.paths)
    out = Console(highlight=False, soft_wrap=True)
    for finding in findings:
        out.print(str(finding), markup=False)
    out.print(f"{len(findings)} warning(s)." if findings else "No warnings.", markup=False)
    return 1 if findings and args.strict else 0


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(serve(settings, load_plugins()))


async def serve(settings: Settings, plugins: Sequence[AdapterPlugin]) -> int:
    """Serve every enabled platform and the daily scheduler in this one event loop.

    With no platform credentials at all, the terminal channel runs instead, so a fresh checkout works.
    When any of them stops (the terminal's input ends, an adapter fails) the others are stopped too, so a
    supervisor sees the process exit instead of a half-working bot.
    """
    from quizbot.scheduler import serve_daily

    enabled = [p for p in plugins if p.name != "terminal" and p.enabled(settings)]
    if not enabled:
        enabled = [p for p in plugins if p.name == "terminal"]
        log.info("no platform credentials configured; running the terminal channel")
    async with await QuizEngine.open(settings) as engine:
        runtime = Runtime(settings=settings, engine=engine)
        gc.collect()
        gc.freeze()  # the bank and the libraries live as long as the process: keep them out of GC pauses
        tasks = [asyncio.create_task(p.serve(runtime), name=p.name) for p in enabled]
        tasks.append(asyncio.create_task(serve_daily(runtime), name="daily"))
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                if task.exception() is not None:
                    raise task.exception()  # type: ignore[misc]
        finally:  # every task is stopped before the engine closes
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
    return 0


def cmd_post_daily(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(post_daily(settings, load_plugins()))


async def post_daily(settings: Settings, plugins: Sequence[AdapterPlugin]) -> int:
    """Post every due, unclaimed daily slot once and exit: the same claim as the scheduler uses."""
    from quizbot.daily import DailyService, Outcome

    failed = 0
    async with await QuizEngine.open(settings) as engine, AsyncExitStack() as stack:
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
    days = [d.strip().lower()[:3] for d in text.split(",") if d.strip()]
    unknown = [d for d in days if d not in _DAYS]
    if unknown:
        raise QuizError(f"unknown weekday(s) {', '.join(unknown)}; use mon,tue,wed,thu,fri,sat,sun")
    return tuple(_DAYS.index(d) for d in days)


def cmd_schedule_add(args: argparse.Namespace, settings: Settings) -> int:
    place = _place(args.channel)
    platforms = {p.name for p in load_plugins()}
    if place.platform not in platforms:
        known = ", ".join(sorted(platforms))
        raise QuizError(f"unknown platform '{place.platform}' in {args.channel}; use one of {known}")

    async def go() -> int:
        async with await QuizEngine.open(settings) as engine:
            schedule = await engine.set_schedule(
                place,
                args.time,
                args.zone,
                _weekdays(args.weekdays),
                reveal_at_close=args.reveal_at_close,
            )
        print(f"daily question in {args.channel} at {schedule.time} {schedule.timezone}")
        return 0

    return asyncio.run(go())


def cmd_schedule_list(args: argparse.Namespace, settings: Settings) -> int:
    async def go() -> int:
        async with await QuizEngine.open(settings) as engine:
            schedules = await engine.list_schedules(args.platform)
        table = Table("channel", "time", "zone", "days", "reveal")
        for s in schedules:
            days = ",".join(_DAYS[d] for d in s.weekdays) or "every day"
            table.add_row(
                f"{s.place.platform}:{s.place.server}:{s.place.channel}",
                s.time,
                s.timezone,
                days,
                "at close" if s.reveal_at_close else "at once",
            )
        Console(highlight=False, soft_wrap=True).print(table if schedules else "no schedules")
        return 0

    return asyncio.run(go())


def cmd_schedule_remove(args: argparse.Namespace, settings: Settings) -> int:
    async def go() -> int:
        async with await QuizEngine.open(settings) as engine:
            removed = await engine.remove_schedule(_place(args.channel))
        print(f"removed the schedule of {args.channel}" if removed else f"{args.channel} had no schedule")
        return 0 if removed else 1

    return asyncio.run(go())


def main(argv: Sequence[str] | None = None) -> int:
    plugins = load_plugins()
    parser = build_parser(plugins)
    args = parser.parse_args(argv)
    level = logging.INFO if args.command == "run" else logging.WARNING
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        settings = Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        name = "QUIZBOT_" + str(first["loc"][0]).upper() if first["loc"] else "settings"
        print(f"quizbot: invalid setting {name}: {first['msg']}", file=sys.stderr)
        return 2
    try:
        return int(args.handler(args, settings))
    except QuizError as exc:
        print(f"quizbot: {exc}", file=sys.stderr)
        return 2
    except BankLoadError as exc:
        for error in exc.errors:
            print(str(error), file=sys.stderr)
        print(
            f"quizbot: the question bank has {len(exc.errors)} error(s); fix them and start again.",
            file=sys.stderr,
        )
        return 1
    except (SQLAlchemyError, ConnectionError) as exc:
        reason = getattr(exc, "orig", None) or exc
        url = make_url(settings.database_url).render_as_string(hide_password=True)
        print(f"quizbot: cannot use the database {url}: {reason}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
