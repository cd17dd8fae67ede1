"""Personal spaced reviews: one FSRS card per player, question and server.

Every answer a player gives (daily, on demand or practice) reviews their card for that question in that
server: right is rated Good, wrong is rated Again. The ``fsrs`` scheduler then says when the question is
due again, so ``/quiz`` can bring back what a player is about to forget before anything new.

A daily quiz is not a flashcard app: players come back once a day at most, so the scheduler runs without
the flashcard defaults of learning steps measured in minutes (a missed question is due again the next day,
not in ten minutes) and without fuzzing (the same answers give the same due dates, which tests rely on).
All times are aware UTC datetimes, as ``fsrs`` requires.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fsrs import Card, Rating, Scheduler, State

from quizbot.domain import ReviewStats, TopicMastery

TARGET_RETENTION = 0.9
"""The recall probability FSRS schedules reviews for; a question above it counts as mastered."""
MASTERY_MIN_STABILITY_DAYS = 1.0
"""A question counts as mastered only once FSRS expects the memory to last at least this long."""

SCHEDULER = Scheduler(
    desired_retention=TARGET_RETENTION,
    learning_steps=(),
    relearning_steps=(),
    maximum_interval=365,
    enable_fuzzing=False,
)
"""Days, not minutes: with no learning steps every review is scheduled at least a day later, and no
interval is longer than a year (a question bank changes faster than that)."""

REMINDER_INTERVAL_DAYS = 7
"""A player who opted in hears about due reviews at most once a week."""


@dataclass(frozen=True, slots=True)
class CardState:
    """A stored card: the FSRS memory state of one player for one question in one server."""

    question_id: str
    state: int
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None
    reps: int = 0
    lapses: int = 0

    @classmethod
    def of(cls, row: Any) -> CardState:
        return cls(
            row.question_id,
            row.state,
            row.stability,
            row.difficulty,
            row.due,
            row.last_review,
            row.reps,
            row.lapses,
        )

    def card(self) -> Card:
        """The ``fsrs`` card (``card_id`` 0: ids are ours, and a generated one would sleep a millisecond)."""
        return Card(
            card_id=0,
            state=State(self.state),
            step=None,
            stability=self.stability,
            difficulty=self.difficulty,
            due=self.due.astimezone(UTC),
            last_review=self.last_review.astimezone(UTC) if self.last_review else None,
        )

    def mastered(self, now: datetime) -> bool:
        """Recalled now with at least the target probability, by a memory that lasts a day or more.

        Right after any answer FSRS's recall probability is 1, even after a wrong one (the answer was just
        shown); what tells the two apart is the stability FSRS gives the memory: a fraction of a day after
        a miss, days after a right answer.
        """
        return (self.stability or 0.0) >= MASTERY_MIN_STABILITY_DAYS and self.recall(now) >= TARGET_RETENTION

    def recall(self, now: datetime) -> float:
        """The probability the player recalls the answer at ``now`` (FSRS retrievability, 0 to 1)."""
        if self.last_review is None:
            return 0.0
        return SCHEDULER.get_card_retrievability(self.card(), now.astimezone(UTC))


def reviewed(previous: CardState | None, question_id: str, correct: bool, now: datetime) -> CardState:
    """The card after one answer: right is Good, wrong is Again."""
    card = previous.card() if previous else Card(card_id=0)
    rating = Rating.Good if correct else Rating.Again
    card, _log = SCHEDULER.review_card(card, rating, now.astimezone(UTC))
    lapse = not correct and previous is not None
    return CardState(
        question_id,
        int(card.state),
        card.stability,
        card.difficulty,
        card.due,
        card.last_review,
        (previous.reps if previous else 0) + 1,
        (previous.lapses if previous else 0) + int(lapse),
    )


def review_stats(
    cards: Sequence[CardState], topics_by_question: dict[str, str], all_topics: Iterable[str], now: datetime
) -> ReviewStats:
    """Summarise ``cards`` for a player; questions no longer in the bank are left out."""
    live = [c for c in cards if c.question_id in topics_by_question]
    due_now = sum(1 for c in live if c.due <= now)
    future = [c.due for c in live if c.due > now]
    per_topic: dict[str, int] = {}
    for card in live:
        topic = topics_by_question[card.question_id]
        per_topic[topic] = per_topic.get(topic, 0) + card.mastered(now)
    totals: dict[str, int] = {}
    for topic in topics_by_question.values():
        totals[topic] = totals.get(topic, 0) + 1
    mastery = tuple(
        TopicMastery(topic, per_topic[topic], totals[topic])
        for topic in sorted(all_topics)
        if topic in per_topic
    )
    return ReviewStats(due_now, min(future) if future else None, mastery, TARGET_RETENTION, now)


def card_values(card: CardState) -> dict[str, Any]:
    """The stored columns of a card (everything but its key)."""
    return {
        "question_id": card.question_id,
        "state": card.state,
        "stability": card.stability,
        "difficulty": card.difficulty,
        "due": card.due,
        "last_review": card.last_review,
        "reps": card.reps,
        "lapses": card.lapses,
    }


def when_due(due: datetime, now: datetime) -> str:
    """A due time for a chat message, in UTC: "tomorrow at 12:00 UTC", "on Mon 30 Nov at 09:15 UTC"."""
    due, now = due.astimezone(UTC), now.astimezone(UTC)
    days = (due.date() - now.date()).days
    clock = f"{due:%H:%M} UTC"
    if days <= 0:
        return f"today at {clock}"
    if days == 1:
        return f"tomorrow at {clock}"
    return f"on {due:%a} {due.day} {due:%b} at {clock}"


def review_lines(stats: ReviewStats) -> list[str]:
    """Plain text lines of a player's review figures, for adapters that show stats as text.

    "Reviews: 2 due now (next due tomorrow at 12:00 UTC)" then "Mastered (recall ≥ 90%): demo 3 of 12".
    """
    now = stats.as_of or datetime.now(UTC)
    line = f"Reviews: {stats.due_now} due now"
    if stats.next_due is not None:
        line += f" (next due {when_due(stats.next_due, now)})"
    elif not stats.due_now:
        line += " (answer questions and they come back here when they are due)"
    lines = [line]
    if stats.topics:
        parts = ", ".join(f"{t.topic} {t.mastered} of {t.total}" for t in stats.topics)
        lines.append(f"Mastered (recall ≥ {stats.target:.0%}): {parts}")
    return lines
