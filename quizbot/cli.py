"""The ``quizbot`` command and the composition root of a running bot.

Adapters add their own subcommands (``play``, ``discord-invite``) through their plugins, so this module
names no chat platform. Every failure a user can cause ends as a one-line message and an exit code, never
a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError
from rich.console import Console
from rich.table import Table
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from quizbot.bank import BankLoader, BankLoadError
from quizbot.plugins import AdapterPlugin, Runtime, load_plugins
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

    run = commands.add_parser("run", help="run the bot on every configured platform")
    run.set_defaults(handler=cmd_run)

    for plugin in plugins:
        plugin.add_commands(commands)
    return parser


def cmd_validate(args: argparse.Namespace, settings: Settings) -> int:
    """Exit 0 with a summary when every file is valid; exit 1 listing every error, one per line."""
    paths = args.paths or settings.question_paths
    out = Console(highlight=False, soft_wrap=True)
    try:
        bank = BankLoader(settings.max_bank_file_bytes).load(paths)
    except BankLoadError as exc:
        for error in exc.errors:
            out.print(str(error), markup=False)
        out.print(f"{len(exc.errors)} error(s) found.", markup=False)
        return 1
    out.print(f"OK: {len(bank)} questions, no errors.", markup=False)
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


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(serve(settings, load_plugins()))


async def serve(settings: Settings, plugins: Sequence[AdapterPlugin]) -> int:
    """Serve every enabled platform (and the daily scheduler) in this one event loop until stopped.

    With no platform credentials at all, the terminal channel runs instead, so a fresh checkout works.
    """
    from quizbot.engine import QuizEngine

    enabled = [p for p in plugins if p.name != "terminal" and p.enabled(settings)]
    if not enabled:
        enabled = [p for p in plugins if p.name == "terminal"]
        log.info("no platform credentials configured; running the terminal channel")
    engine = await QuizEngine.open(settings)
    runtime = Runtime(settings=settings, engine=engine)
    try:
        async with asyncio.TaskGroup() as group:
            for plugin in enabled:
                log.info("starting %s", plugin.name)
                group.create_task(plugin.serve(runtime), name=plugin.name)
            _start_scheduler(runtime, group)
    finally:
        await engine.aclose()
    return 0


def _start_scheduler(runtime: Runtime, group: asyncio.TaskGroup) -> None:
    """Start the daily scheduler when that feature is installed (it lives in ``quizbot.scheduler``)."""
    try:
        from quizbot.scheduler import serve_daily
    except ImportError:
        return
    group.create_task(serve_daily(runtime), name="daily")


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
