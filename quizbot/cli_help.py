"""Help pages for ``quizbot`` subcommands: what each does and which environment variables it reads."""

from __future__ import annotations

import argparse

from quizbot.settings import environment_help


def add_command(
    commands: argparse._SubParsersAction, name: str, summary: str, description: str, *variables: str
) -> argparse.ArgumentParser:
    """A subcommand whose ``--help`` says what it does and which environment variables it reads."""
    return commands.add_parser(
        name,
        help=summary,
        description=description,
        epilog=environment_help(*variables) if variables else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
