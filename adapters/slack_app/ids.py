"""The identifiers shared by the rendered blocks and the listeners that receive clicks on them.

A click carries only what the message carried, so these strings are the contract between ``blocks.py`` and
``commands.py``. They stay stable across releases: daily posts with buttons live on in channels after a
restart or an upgrade. Slack limits ``action_id`` to 255 characters and a button ``value`` to 2000.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

ANSWER_ACTION_PREFIX = "quiz:answer:"
ANSWER_ACTION = re.compile(r"^quiz:answer:\d+$")
"""One button per choice: ``action_id`` ``quiz:answer:<index>``, value ``<asked_id>:<index>``."""

TYPE_ANSWER_ACTION = "quiz:type-answer"
"""The "Answer" button of a short-answer question; its value is the asked id. It opens the modal."""

ANSWER_MODAL = "quiz:answer-modal"
"""``callback_id`` of the modal in which a short answer is typed."""
ANSWER_BLOCK = "answer"
ANSWER_INPUT = "text"


def answer_action_id(index: int) -> str:
    return f"{ANSWER_ACTION_PREFIX}{index}"


_CHOICE_INDEX = re.compile(r"[0-9]{1,2}")


def answer_value(asked_id: int, index: int) -> str:
    return f"{asked_id}:{index}"


def parse_answer_value(value: str) -> tuple[str, int] | None:
    """``(asked_id, choice_index)`` from a button value, or None when it has no choice index.

    The asked id is passed on as it came: the engine decides what is an id (``asked_id_of``), so a forged
    one is answered "no longer available" like on every other platform.
    """
    asked, sep, index = value.partition(":")
    if not sep or not _CHOICE_INDEX.fullmatch(index):
        return None
    return asked, int(index)


@dataclass(frozen=True, slots=True)
class ModalContext:
    """What the answer modal must remember, carried in the view's ``private_metadata`` (max 3000 chars).

    A view submission has no ``response_url`` of its own, so the click's ``response_url`` is kept to show
    the result privately where the question was; ``channel`` lets the result fall back to
    ``chat.postEphemeral`` when that URL has expired (30 minutes) or is used up (5 posts).
    """

    asked_id: int | str
    """As carried (a forged modal can carry anything); the engine checks it when the answer comes."""
    channel: str
    response_url: str = ""
    private_question: bool = True

    def dump(self) -> str:
        return json.dumps(
            {"a": self.asked_id, "c": self.channel, "r": self.response_url, "p": self.private_question},
            separators=(",", ":"),
        )

    @classmethod
    def load(cls, raw: str) -> ModalContext | None:
        """The context, or None when ``raw`` is not one of ours (not JSON, not an object, no channel)."""
        try:
            data = json.loads(raw)
            asked = data["a"]
            if isinstance(asked, bool) or not isinstance(asked, int | str):
                asked = ""  # Infinity, 1.5, null, a list...: no question has that id
            return cls(asked, str(data["c"]), str(data.get("r", "")), bool(data.get("p", True)))
        except (ValueError, KeyError, TypeError, RecursionError):
            return None


REPORT_ACTION = "quiz:report"
"""The "Report a problem" button under a result; its value is the asked id (as carried: the engine checks
it). It opens the report modal."""
REPORT_MODAL = "quiz:report-modal"
"""``callback_id`` of the modal in which a problem is reported; ``private_metadata`` is a ModalContext."""
REPORT_REASON_BLOCK = "reason"
REPORT_REASON_INPUT = "choice"
REPORT_TEXT_BLOCK = "details"
REPORT_TEXT_INPUT = "text"
