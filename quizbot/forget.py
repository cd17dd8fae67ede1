"""``quizbot players forget``: delete what is stored about one player, on request.

What is stored about a player is listed in ``docs/data.md``; this removes all of it in one transaction
(in one server, or everywhere): their answers, the questions asked privately to them, their score rows on
every board, the questions they scored once, their daily streaks, review cards and reminder, and the
problems they reported. Question files they uploaded stay the server's: their name or id as uploader is
replaced by "forgotten". Messages already posted in chat are the platform's, not ours.
"""

from __future__ import annotations

from dataclasses import dataclass

from quizbot.domain import QuizError
from quizbot.export import server_scope
from quizbot.store import Store


@dataclass(frozen=True, slots=True)
class Forgotten:
    deleted: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.deleted.values())

    def describe(self, player_key: str, server: str | None) -> str:
        where = f" in {server}" if server else ""
        if not self.total:
            return f"nothing stored about {player_key}{where}"
        parts = ", ".join(f"{n} {name}" for name, n in self.deleted.items() if n)
        return f"forgot {player_key}{where}: deleted {parts}"


def forget_scope(player_key: str, server: str | None) -> str | None:
    """Check what ``players forget`` was given; the server scope, or None for every server."""
    platform, sep, user = player_key.partition(":")
    if not sep or not platform or not user:
        raise QuizError(f"'{player_key}' is not a player key; use PLATFORM:USER_ID (e.g. slack:U0123)")
    scope = server_scope(server)
    if scope is not None and not scope.startswith(platform + ":"):
        raise QuizError(f"{player_key} is a {platform} player; {server} is not a {platform} server")
    return scope


async def forget_player(store: Store, player_key: str, *, server: str | None = None) -> Forgotten:
    scope = forget_scope(player_key, server)
    async with store.unit() as unit:
        return Forgotten(await unit.forget_player(player_key, scope))
