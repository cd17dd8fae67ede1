"""``quizbot questions``: the operator's view of each server's own question files.

The same use cases as the chat commands (``/quiz-admin questions`` on Discord, ``/quiz questions`` on
Slack), for whoever runs the bot: upload on a server's behalf, list, download, remove, bundled on/off.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from rich.table import Table

from quizbot.cli_help import add_command
from quizbot.console import plain_console
from quizbot.domain import QuizError
from quizbot.engine import QuizEngine
from quizbot.export import server_scope
from quizbot.output_file import check_output_file, write_text_file
from quizbot.settings import Settings
from quizbot.uploads import UploadRefused

READ_OR_REMOVE = ("list", "download", "remove")
SERVER_HELP = "PLATFORM:SERVER, e.g. discord:123456789012345678 or slack:T0123ABCD"


def add_questions_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    variables = ("QUIZBOT_DATABASE_URL", "QUIZBOT_MAX_UPLOAD_BYTES", "QUIZBOT_MAX_SERVER_QUESTIONS")
    questions = add_command(
        commands,
        "questions",
        "manage a server's own question files",
        "Manage the question files a server (Discord guild, Slack workspace) serves beside the bundled "
        "bank, as its admins do from chat.",
        *variables,
    )
    actions = questions.add_subparsers(dest="action", metavar="ACTION", required=True)
    for name, text in (
        ("list", "list the server's files, their questions and topics"),
        ("upload", "add or replace a file (quizbot YAML, Red list, Open Trivia DB JSON or CSV)"),
        ("download", "print a file's YAML (or write it with --out)"),
        ("remove", "stop serving a file and delete it"),
        ("bundled", "serve the bundled bank on this server or not"),
    ):
        action = add_command(actions, name, text, text[0].upper() + text[1:] + ".", *variables)
        action.add_argument("--server", required=True, metavar="PLATFORM:SERVER", help=SERVER_HELP)
        if name == "upload":
            action.add_argument("file", type=Path, metavar="FILE")
        elif name in ("download", "remove"):
            action.add_argument("name", metavar="NAME", help="the file's name as `questions list` shows it")
        elif name == "bundled":
            action.add_argument("state", choices=("on", "off"))
        if name == "download":
            action.add_argument("--out", type=Path, help="write to this file instead of standard output")
        action.set_defaults(handler=cmd_questions)


def cmd_questions(args: argparse.Namespace, settings: Settings) -> int:
    platform, _, server = str(server_scope(args.server)).partition(":")  # one check for every --server
    if getattr(args, "out", None) is not None:  # before the database: a wrong --out is the mistake to report
        check_output_file(args.out, args.name)
    return asyncio.run(_run(args, settings, platform, server))


async def _run(args: argparse.Namespace, settings: Settings, platform: str, server: str) -> int:
    out = plain_console(soft_wrap=True)
    # list, download and remove only read what is there: a missing SQLite file is refused, not created empty
    create = args.action not in READ_OR_REMOVE
    async with await QuizEngine.open(settings, create=create) as engine:
        questions = engine.server_questions
        if args.action == "list":
            listing = await questions.files(platform, server)
            bundled = "on" if listing.bundled_on else "off"
            out.print(f"bundled bank: {bundled} ({listing.bundled_questions} questions)")
            if not listing.files:
                out.print("no files of this server's own")
                return 0
            table = Table("file", "questions", "topics", "uploaded by", "uploaded at")
            for f in listing.files:
                table.add_row(
                    f.name,
                    str(f.questions),
                    ", ".join(f.topics),
                    f.uploaded_by,
                    f"{f.uploaded_at:%Y-%m-%d %H:%M}",
                )
            out.print(table)
        elif args.action == "upload":
            try:
                data = args.file.read_bytes()
            except OSError as exc:
                raise QuizError(f"cannot read {args.file}: {exc.strerror}") from None
            try:
                done = await questions.upload(platform, server, args.file.name, data, "operator")
            except UploadRefused as exc:
                for line in exc.errors:
                    out.print(line)
                print(f"quizbot: {exc.summary}; nothing was stored", file=sys.stderr)
                return 1
            for warning in done.warnings:
                out.print(f"warning: {warning}")
            verb = "replaced" if done.replaced else "added"
            out.print(
                f"{verb} '{done.file.name}': {done.file.questions} questions ({', '.join(done.file.topics)})"
            )
        elif args.action == "download":
            filename, text = await questions.download(platform, server, args.name)
            if args.out:
                write_text_file(args.out, text, args.name)
                out.print(f"wrote {filename} to {args.out}")
            else:
                sys.stdout.write(text)
        elif args.action == "remove":
            gone = await questions.remove(platform, server, args.name)
            out.print(f"removed '{gone.name}' ({gone.questions} questions)")
        else:
            listing = await questions.set_bundled(platform, server, args.state == "on")
            out.print(f"bundled bank {args.state} for {platform}:{server}")
    return 0
