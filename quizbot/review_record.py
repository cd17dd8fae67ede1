"""Review decisions that survive regeneration.

A generated bank is rewritten from its articles on every ``quizbot generate``; the reviewer's decisions must
not be lost with it. ``quizbot review`` writes each decision twice: into the question's ``status:`` line,
and into ``review.json`` next to the bank, keyed by question id with a fingerprint of what was reviewed
(prompt, choices, answer, explanation). The generator applies the record: a question keeps its decision
while its text is unchanged; a question whose text changed goes back to ``draft`` for a fresh look.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from quizbot.generate.model import Draft

RECORD_NAME = "review.json"
STATUSES = ("draft", "approved", "rejected")


def fingerprint(
    kind: str, prompt: str, choices: Sequence[str], answers: Sequence[str], explanation: str
) -> str:
    """A short hash of everything a reviewer reads; choice order does not matter (it is shuffled)."""
    parts = [
        kind,
        " ".join(prompt.split()),
        *sorted(choices),
        "|",
        *sorted(answers),
        "|",
        " ".join(explanation.split()),
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def draft_fingerprint(draft: Draft) -> str:
    if draft.type == "true_false":
        answers: Sequence[str] = ("true" if draft.answer else "false",)
        choices: Sequence[str] = ()
    elif draft.type == "multiple_choice":
        answers, choices = (str(draft.answer),), draft.choices
    else:
        answers, choices = draft.answers, ()
    return fingerprint(draft.type, draft.prompt, choices, answers, draft.explanation)


@dataclass(slots=True)
class ReviewRecord:
    """Decisions by question id: ``{"id": {"status": "approved", "fingerprint": "…"}}``."""

    path: Path
    decisions: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> ReviewRecord:
        """The record at ``path`` (empty when there is none). Raises ValueError with a one-line reason."""
        if not path.is_file():
            return cls(path)
        try:
            data: Any = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError(f"{path}: cannot read the review record ({exc}); fix or delete it") from exc
        decisions = data.get("decisions") if isinstance(data, dict) else None
        if not isinstance(decisions, dict) or not all(
            isinstance(v, dict) and v.get("status") in STATUSES and isinstance(v.get("fingerprint"), str)
            for v in decisions.values()
        ):
            raise ValueError(
                f"{path}: 'decisions' must map ids to a status and a fingerprint; fix or delete it"
            )
        return cls(path, decisions)

    @classmethod
    def load_or_empty(cls, path: Path) -> ReviewRecord:
        """The record at ``path``; a broken record is started afresh rather than blocking a review."""
        try:
            return cls.load(path)
        except ValueError:
            return cls(path)

    def status_of(self, draft: Draft) -> str:
        """The recorded decision while the question reads exactly as reviewed, else ``draft``."""
        decision = self.decisions.get(draft.id)
        if decision and decision["fingerprint"] == draft_fingerprint(draft):
            return decision["status"]
        return "draft"

    def record(self, question_id: str, status: str, print_: str) -> None:
        self.decisions[question_id] = {"status": status, "fingerprint": print_}

    def save(self) -> None:
        text = json.dumps(
            {"version": 1, "decisions": self.decisions}, indent=1, sort_keys=True, ensure_ascii=False
        )
        self.path.write_text(text + "\n", encoding="utf-8")
