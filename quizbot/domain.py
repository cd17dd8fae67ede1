"""Plain domain objects the engine speaks in.

Adapters render these into embeds, Block Kit or terminal text; nothing here knows about a chat platform.
They are frozen dataclasses so that a result handed to an adapter cannot be changed behind the engine's back.
"""

from __future__ import annotations

import enum
import functools
import json
import random
from dataclasses import dataclass, field, replace
from datetime import date, datetime

MONTH_NAMES: tuple[str, ...] = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
"""For titles like "November 2026": spelled out, as strftime's %B follows the host's locale."""


class QuestionType(enum.StrEnum):
    """The three kinds of question a bank may hold."""

    MULTIPLE_CHOICE = "multiple_choice"
    TRUE_FALSE = "true_false"
    SHORT_ANSWER = "short_answer"


class Difficulty(enum.StrEnum):
    """How hard a question is; it decides the points a correct answer earns."""

    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


POINTS: dict[Difficulty, int] = {Difficulty.EASY: 1, Difficulty.MEDIUM: 2, Difficulty.HARD: 3}
"""Points for a correct answer by difficulty; a wrong answer earns nothing."""

TRUE_FALSE_CHOICES: tuple[str, str] = ("True", "False")


@dataclass(frozen=True, slots=True)
class Source:
    """Where a generated question came from, so a reader can check it against the article."""

    document: str
    section: str


class QuestionStatus(enum.StrEnum):
    """Where a question stands in review: only approved questions are served to players."""

    DRAFT = "draft"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class Question:
    """One question as loaded from a bank, with the file-level defaults already applied.

    ``choices`` is what a player picks from (``True``/``False`` for true/false questions, empty for short
    answers); ``correct_index`` points into it. ``accepted`` lists every answer text that counts as right:
    the correct choice for choice questions, the accepted answers for short answers. For short answers,
    ``reject`` lists near misses that never count and ``typos`` says whether a typo may be forgiven.
    ``shuffle`` False keeps a multiple-choice question's choices in the order the file gives (years, "none
    of these").
    """

    id: str
    type: QuestionType
    prompt: str
    choices: tuple[str, ...]
    correct_index: int | None
    accepted: tuple[str, ...]
    explanation: str
    difficulty: Difficulty
    topic: str
    tags: tuple[str, ...] = ()
    source: Source | None = None
    image: str | None = None
    """An https picture shown with the question; adapters embed it (Discord, Slack) or print the link."""
    path: str = ""
    line: int = 0
    reject: tuple[str, ...] = ()
    typos: bool = True
    shuffle: bool = True
    status: QuestionStatus = QuestionStatus.APPROVED

    @property
    def correct_answer(self) -> str:
        """The text to show as "the correct answer"."""
        if self.correct_index is not None:
            return self.choices[self.correct_index]
        return self.accepted[0]

    @property
    def points(self) -> int:
        return POINTS[self.difficulty]

    @property
    def has_choices(self) -> bool:
        return self.type is not QuestionType.SHORT_ANSWER

    def shuffled(self, rng: random.Random) -> Question:
        """This question with its choices in a random order, the right answer following its text.

        Only multiple-choice questions move, and only when their author allows it: true/false stays True,
        False, and ``shuffle: false`` pins a file's order. Banks imported from elsewhere often list the
        right answer first (Open Trivia DB does), which would otherwise always be A.
        """
        if self.type is not QuestionType.MULTIPLE_CHOICE or not self.shuffle or self.correct_index is None:
            return self
        order = list(range(len(self.choices)))
        rng.shuffle(order)
        return replace(
            self, choices=tuple(self.choices[i] for i in order), correct_index=order.index(self.correct_index)
        )

    def snapshot(self) -> str:
        """The question as it was asked, as JSON: answers and closes use this copy, so editing or removing
        the question in the bank later never changes what an already-posted button means."""
        data: dict[str, object] = {
            "id": self.id,
            "type": self.type.value,
            "prompt": self.prompt,
            "choices": list(self.choices),
            "correct_index": self.correct_index,
            "accepted": list(self.accepted),
            "explanation": self.explanation,
            "difficulty": self.difficulty.value,
            "topic": self.topic,
            "tags": list(self.tags),
            "source": [self.source.document, self.source.section] if self.source else None,
        }
        if self.reject:
            data["reject"] = list(self.reject)
        if not self.typos:
            data["typos"] = False
        if self.image:
            data["image"] = self.image
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    @staticmethod
    @functools.lru_cache(maxsize=4096)
    def from_snapshot(text: str) -> Question:
        data = json.loads(text)
        return Question(
            id=data["id"],
            type=QuestionType(data["type"]),
            prompt=data["prompt"],
            choices=tuple(data["choices"]),
            correct_index=data["correct_index"],
            accepted=tuple(data["accepted"]),
            explanation=data["explanation"],
            difficulty=Difficulty(data["difficulty"]),
            topic=data["topic"],
            tags=tuple(data["tags"]),
            source=Source(*data["source"]) if data["source"] else None,
            reject=tuple(data.get("reject", ())),
            typos=data.get("typos", True),
            image=data.get("image"),
        )


@dataclass(frozen=True, slots=True)
class Player:
    """Someone who answers. ``id`` is the platform's user id; ``name`` is only for display."""

    platform: str
    id: str
    name: str

    @property
    def key(self) -> str:
        """The platform-qualified id under which scores are stored."""
        return f"{self.platform}:{self.id}"


@dataclass(frozen=True, slots=True)
class Place:
    """Where a question is asked: a channel in a server (Discord guild, Slack workspace).

    Scores are kept twice, once for the whole server and once for the channel, so that the server-wide
    ``/quiz leaderboard`` and the daily channel's weekly top 5 are both a single indexed read.
    """

    platform: str
    server: str
    channel: str

    @property
    def server_scope(self) -> str:
        return f"{self.platform}:{self.server}"

    @property
    def channel_scope(self) -> str:
        return f"{self.platform}:{self.server}:{self.channel}"


class AskKind(enum.StrEnum):
    """Why a question was asked: on demand for one player, or as a channel's daily question."""

    QUIZ = "quiz"
    DAILY = "daily"


@dataclass(frozen=True, slots=True)
class AskedQuestion:
    """A question that was put to a player or a channel; answers refer to it by ``id``."""

    id: int
    question: Question
    place: Place
    kind: AskKind
    asked_at: datetime
    player_key: str | None = None
    closed_at: datetime | None = None
    message_ref: str | None = None
    """Where a public (daily) question was posted, as the platform's adapter recorded it."""
    reveal_at_close: bool = False
    """Answers are confirmed without the verdict until the question closes (a daily channel's setting)."""
    practice: bool = False
    """Asked on demand when the player had already answered every question that fits: this one is a
    repeat, answered and explained but worth no points (see :attr:`AnswerResult.practice`)."""
    review: bool = False
    """A question the player answered before and is due to review now (spaced repetition): practice too,
    shown marked "Review"."""

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class AnswerStatus(enum.StrEnum):
    """What happened to an answer."""

    ACCEPTED = "accepted"
    """Recorded now; ``correct`` and ``points`` say how it went."""
    ALREADY_ANSWERED = "already_answered"
    """The player had answered before; the result is the first answer's."""
    CLOSED = "closed"
    """The question closed before the answer came; nothing was recorded."""
    NOT_FOR_YOU = "not_for_you"
    """The question was asked privately to another player; nothing was recorded."""
    INVALID = "invalid"
    """The answer does not fit the question (a choice number out of range); nothing was recorded."""


@dataclass(frozen=True, slots=True)
class AnswerResult:
    """The outcome of one answer, with everything an adapter needs to tell the player."""

    status: AnswerStatus
    asked_id: int
    question: Question
    player: Player
    given: str = ""
    correct: bool = False
    points: int = 0
    streak: int = 0
    best_streak: int = 0
    reveal: bool = True
    """False for a daily question whose channel holds the answer back until the question closes."""
    accepted_as: str | None = None
    """Set when a typed answer counted despite a typo: the accepted answer it was taken as. Players are
    told "Accepted as Hadoop" so that they learn the spelling (and see what was judged)."""
    practice: bool = False
    """The player had already answered this question in this server: the answer is checked and explained
    but earns no points and touches no board, stats or streak. Daily questions always count."""

    @property
    def recorded(self) -> bool:
        """True when this answer (now or earlier) is on record for the player."""
        return self.status in (AnswerStatus.ACCEPTED, AnswerStatus.ALREADY_ANSWERED)

    @property
    def correct_answer(self) -> str:
        return self.question.correct_answer

    @property
    def explanation(self) -> str:
        return self.question.explanation


class Period(enum.StrEnum):
    """Which leaderboard: all time, the current week (from Monday) or the current month (from the 1st)."""

    ALL = "all"
    WEEK = "week"
    MONTH = "month"


class Ranking(enum.StrEnum):
    """What a board ranks by: points, or the share of answers that were right (a careful player's board)."""

    POINTS = "points"
    ACCURACY = "accuracy"


BOARDS: dict[str, tuple[Period, Ranking]] = {
    "all": (Period.ALL, Ranking.POINTS),
    "week": (Period.WEEK, Ranking.POINTS),
    "month": (Period.MONTH, Ranking.POINTS),
    "accuracy": (Period.ALL, Ranking.ACCURACY),
}
"""The boards a player can ask for by name (``/leaderboard month``), the same words on every platform."""


@dataclass(frozen=True, slots=True)
class LeaderboardEntry:
    rank: int
    player_key: str
    name: str
    points: int
    correct: int
    answered: int
    streak: int = 0
    best_streak: int = 0

    @property
    def accuracy(self) -> float:
        """Share of answers that were right, 0.0 when nothing was answered."""
        return self.correct / self.answered if self.answered else 0.0


@dataclass(frozen=True, slots=True)
class Leaderboard:
    """The top of a board plus the caller's own line, which may lie far below the top.

    For a weekly board ``week_start`` is its Monday, for a monthly one ``month_start`` is its 1st; ``final``
    says the period is over (the closing post of Sunday's daily question shows last week's final standings).
    On a channel's board, ``streak`` and ``best_streak`` are the channel's daily-question streaks. An
    accuracy board ranks only players with at least ``min_answers`` answers in the period.
    """

    scope: str
    period: Period
    entries: tuple[LeaderboardEntry, ...]
    me: LeaderboardEntry | None = None
    week_start: date | None = None
    final: bool = False
    month_start: date | None = None
    ranking: Ranking = Ranking.POINTS
    min_answers: int = 0


@dataclass(frozen=True, slots=True)
class PlayerStats:
    player: Player
    answered: int = 0
    correct: int = 0
    points: int = 0
    streak: int = 0
    best_streak: int = 0
    daily_streak: int = 0
    """Consecutive daily questions of this channel answered correctly (0 where the channel has none)."""
    daily_best_streak: int = 0
    reviews: ReviewStats | None = None
    """Due reviews and mastery by topic (see :mod:`quizbot.recall`)."""

    @property
    def accuracy(self) -> float:
        """Share of answers that were right, 0.0 when nothing was answered yet."""
        return self.correct / self.answered if self.answered else 0.0


@dataclass(frozen=True, slots=True)
class TopicMastery:
    """How many of a topic's questions a player would recall now with at least the target probability."""

    topic: str
    mastered: int
    total: int

    @property
    def share(self) -> float:
        return self.mastered / self.total if self.total else 0.0


@dataclass(frozen=True, slots=True)
class ReviewStats:
    """A player's reviews in one server: how many are due now, when the next one is, mastery by topic."""

    due_now: int = 0
    next_due: datetime | None = None
    """The earliest due time still in the future (None when nothing is scheduled)."""
    topics: tuple[TopicMastery, ...] = ()
    """Only topics the player has answered at least one question of, alphabetically."""
    target: float = 0.9
    as_of: datetime | None = None
    """When these figures were taken (for "due tomorrow at 09:00 UTC")."""
    """The recall probability above which a question counts as mastered."""


@dataclass(frozen=True, slots=True)
class Reminder:
    """A weekly private note to one player who opted in: how many reviews are due on their platform."""

    platform: str
    player_id: str
    due: int

    @property
    def due_text(self) -> str:
        """ "3 reviews are due" (adapters add their own command names)."""
        return f"{self.due} {'review is' if self.due == 1 else 'reviews are'} due"


@dataclass(frozen=True, slots=True)
class WeekActivity:
    """One week of a player's answers in a server: the Monday it starts on (UTC, like the server's weekly
    board), answers given, answers right, and the longest run of right answers inside that week."""

    week_start: date
    answered: int = 0
    correct: int = 0
    best_streak: int = 0

    @property
    def accuracy(self) -> float:
        """Share of the week's answers that were right, 0.0 for a week without answers."""
        return self.correct / self.answered if self.answered else 0.0


@dataclass(frozen=True, slots=True)
class PlayerHistory:
    """A player's recent weeks, oldest first, every week present (quiet weeks with zeros)."""

    player: Player
    weeks: tuple[WeekActivity, ...]

    @property
    def answered(self) -> int:
        return sum(w.answered for w in self.weeks)

    @property
    def correct(self) -> int:
        return sum(w.correct for w in self.weeks)


@dataclass(frozen=True, slots=True)
class CloseSummary:
    """What a question's closing post shows: the answer, how many got it right and who was first."""

    asked: AskedQuestion
    answered: int
    correct: int
    first_correct: tuple[str, ...] = field(default=())

    @property
    def share_correct(self) -> float:
        return self.correct / self.answered if self.answered else 0.0


class OutboxKind(enum.StrEnum):
    """Which daily message an outbox entry is."""

    QUESTION = "question"
    """A slot's question, posted with its answer buttons."""
    CLOSE = "close"
    """The reveal that closes an earlier daily question."""


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """A daily message that may already have gone out: what a platform needs to look for it.

    ``key`` travelled with the message (Discord ``nonce``, Slack message ``metadata``); ``since`` is when the
    first attempt to send it began, so a platform searches its channel history from a little before then.
    For a close, ``question_ref`` is where the question itself was posted (the reveal may reply to it).
    """

    key: str
    kind: OutboxKind
    asked: AskedQuestion
    since: datetime
    question_ref: str | None = None


@dataclass(frozen=True, slots=True)
class Schedule:
    """A channel's daily question: posted at ``time`` local to ``timezone`` on ``weekdays`` (0 = Monday).

    ``weekdays`` empty means every day.
    """

    place: Place
    time: str
    timezone: str
    weekdays: tuple[int, ...] = ()
    reveal_at_close: bool = False


class QuizError(Exception):
    """An error whose message is written for the player or admin who caused it; adapters show it as is."""


class DatabaseUnavailableError(QuizError):
    """The database could not be reached or did not answer in time; nothing was written.

    The message is for the player; adapters show it as is. The store has already logged the cause once.
    """


class NoQuestionError(QuizError):
    """No question fits the request (empty bank, unknown topic or difficulty)."""


class NoReviewDueError(NoQuestionError):
    """The player asked for reviews only and none is due; the message says when the next one is."""


class UnknownAskedError(QuizError):
    """An answer refers to a question that was never asked (a forged or very old button)."""


class NotForYouError(QuizError):
    """A player reached for a question asked privately to someone else (a forged or forwarded button)."""
