"""What ``/quiz <text>`` asks for: a subcommand, a topic, or help.

Precedence, from first to last:

1. empty text: a random question;
2. a subcommand word (``help``, ``review``, ``leaderboard``, ``stats``, ``reminders``, ``schedule``,
   ``unschedule``, ``reload``, ``questions``, ``health``) wins,
   whatever the question bank calls its topics, so a bank can never take over a command;
3. ``topic <name>``: always a topic filter, the way to reach a topic that shares a subcommand's name;
4. the whole text naming a known topic (case-insensitive): a question on that topic;
5. anything else: the help, with a note saying the word is neither a command nor a topic.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass


class Action(enum.StrEnum):
    ASK = "ask"
    HELP = "help"
    REVIEW = "review"
    REMINDERS = "reminders"
    LEADERBOARD = "leaderboard"
    STATS = "stats"
    SCHEDULE = "schedule"
    UNSCHEDULE = "unschedule"
    RELOAD = "reload"
    QUESTIONS = "questions"
    HEALTH = "health"


SUBCOMMANDS: frozenset[str] = frozenset(a.value for a in Action if a is not Action.ASK)
ADMIN_ACTIONS: frozenset[Action] = frozenset(
    {Action.SCHEDULE, Action.UNSCHEDULE, Action.RELOAD, Action.QUESTIONS, Action.HEALTH}
)
TOPIC_KEYWORD = "topic"


@dataclass(frozen=True, slots=True)
class Route:
    action: Action
    args: tuple[str, ...] = ()
    topic: str | None = None
    unknown: str = ""
    """The text that was neither a subcommand nor a topic (shown back with the help)."""


def route(text: str, topics: Iterable[str]) -> Route:
    """Decide what ``/quiz text`` means; see the module docstring for the precedence."""
    words = text.split()
    if not words:
        return Route(Action.ASK)
    head = words[0].casefold()
    if head in SUBCOMMANDS:
        return Route(Action(head), tuple(words[1:]))
    known = {t.casefold(): t for t in topics}
    if head == TOPIC_KEYWORD and len(words) > 1:
        wanted = " ".join(words[1:])
        return Route(Action.ASK, topic=known.get(wanted.casefold(), wanted))
    whole = " ".join(words)
    if whole.casefold() in known:
        return Route(Action.ASK, topic=known[whole.casefold()])
    return Route(Action.HELP, unknown=whole)
