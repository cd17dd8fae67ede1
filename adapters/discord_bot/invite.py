"""``quizbot discord-invite``: the URL a server admin opens to add the bot, with exactly what it needs."""

from __future__ import annotations

import argparse
import base64
import binascii
import sys

import discord

from quizbot.settings import Settings, environment_help

SCOPES = ("bot", "applications.commands")
"""``bot`` adds the bot user to the server; ``applications.commands`` lets it register slash commands."""

PERMISSIONS = discord.Permissions(
    view_channel=True,  # see the channel a daily question is scheduled in
    send_messages=True,  # post the daily question and its reveal
    embed_links=True,  # questions, results and boards are embeds; without it Discord drops them
    read_message_history=True,  # the reveal is posted as a reply to the day's question
    attach_files=True,  # Monday's reveal carries last week's standings as a picture
)
"""Only what daily posts need: answers to slash commands and buttons go through the interaction's own
webhook and need no channel permission. Deliberately no Administrator, Manage Messages or Mention Everyone."""


def client_id_from_token(token: str) -> str:
    """A bot token's first segment is the base64-encoded bot user id, which is the application's client id."""
    first = token.split(".", 1)[0].replace("-", "+").replace("_", "/")  # accept the URL-safe alphabet too
    try:
        decoded = base64.b64decode(first + "=" * (-len(first) % 4), validate=False).decode()
    except (binascii.Error, UnicodeDecodeError):
        decoded = ""
    if not decoded.isdigit():
        raise ValueError("DISCORD_TOKEN does not look like a bot token; pass --client-id instead.")
    return decoded


def invite_url(client_id: str) -> str:
    return discord.utils.oauth_url(client_id, permissions=PERMISSIONS, scopes=SCOPES)


def add_invite_command(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "discord-invite",
        help="print the URL that adds the bot to a Discord server",
        description="Print the OAuth2 URL that adds the bot to a server with the scopes and permissions it "
        "needs. The client id is taken from --client-id, else from DISCORD_TOKEN.",
        epilog=environment_help("DISCORD_TOKEN"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--client-id", help="the application's client id (Developer Portal → OAuth2)")
    parser.set_defaults(handler=run_invite)


def run_invite(args: argparse.Namespace, settings: Settings) -> int:
    client_id: str | None = args.client_id
    if not client_id:
        if settings.discord_token is None:
            print("Pass --client-id, or set DISCORD_TOKEN to derive it.", file=sys.stderr)
            return 2
        try:
            client_id = client_id_from_token(settings.discord_token.get_secret_value())
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 2
    print(invite_url(client_id))
    return 0
