"""``quizbot discord-invite``: the URL that adds the bot with exactly the scopes and permissions it needs."""

from __future__ import annotations

import argparse
from urllib.parse import parse_qs, urlsplit

import discord
import pytest

from adapters.discord_bot import plugin
from quizbot.settings import Settings
from tests.fakes.discord_fake import token_for

NEEDED = discord.Permissions(
    view_channel=True, send_messages=True, embed_links=True, read_message_history=True, attach_files=True
)


def run(argv: list[str], settings: Settings, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the subcommand the way the CLI does: parse with the plugin's parser, call its handler."""
    parser = argparse.ArgumentParser(prog="quizbot")
    plugin.add_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    code = args.handler(args, settings)
    out, err = capsys.readouterr()
    return code, out.strip(), err


def query(url: str) -> dict[str, str]:
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "discord.com", "/oauth2/authorize")
    return {k: v[0] for k, v in parse_qs(parts.query).items()}


def test_invite_url_asks_for_bot_and_commands_scopes_and_only_the_needed_permissions(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, url, _ = run(["discord-invite", "--client-id", "123456789012345678"], Settings(), capsys)

    assert code == 0
    params = query(url)
    assert params["client_id"] == "123456789012345678"
    assert params["scope"] == "bot applications.commands"
    granted = discord.Permissions(int(params["permissions"]))
    assert granted == NEEDED
    assert not granted.administrator and not granted.mention_everyone and not granted.manage_messages


def test_client_id_is_derived_from_the_bot_token(capsys: pytest.CaptureFixture[str]) -> None:
    settings = Settings(DISCORD_TOKEN=token_for(1098765432109876543))

    code, url, _ = run(["discord-invite"], settings, capsys)

    assert code == 0
    assert query(url)["client_id"] == "1098765432109876543"


def test_without_client_id_or_token_the_admin_is_told_what_to_pass(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(["discord-invite"], Settings(), capsys)

    assert code == 2
    assert out == ""
    assert "--client-id" in err


def test_a_malformed_token_is_reported_not_turned_into_a_bogus_url(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(["discord-invite"], Settings(DISCORD_TOKEN="not-a-token"), capsys)

    assert code == 2
    assert out == ""
    assert "--client-id" in err
