"""Question health: which questions need an admin's attention, and the problems players report.

The figures come from what players answered (``answers`` joined to ``asked``), counted in SQL per question
and scope (a server, or every server): times asked, answered, share right, each wrong choice picked, the
most common wrong typed answers, and how the top quarter of players (by their share right in the scope)
did on the question against the bottom quarter. The rules that turn figures into advice live here and only
here, so the CLI, Discord and Slack list the same questions for the same reasons:

* **too easy**: at least :data:`TOO_EASY` right, once answered by ``min_players`` players;
* **too hard**: at most :data:`TOO_HARD` right, once answered by ``min_players`` players;
* **top players miss it**: the top quarter does worse than the bottom quarter (a misleading question or a
  wrong key: those who know the subject are the ones it catches);
* **reported**: players used "Report a problem" under a result;
* **typed answers look right**: several players typed an answer close to an accepted one that was judged
  wrong ("Tensorflow 2" for "TensorFlow"), with the YAML line that would accept it.
"""

from __future__ import annotations

import enum
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import yaml
from rapidfuzz import fuzz

from quizbot.domain import Question, QuestionType, QuizError
from quizbot.matching import normalise
from quizbot.store import QuestionFigures, ReportRow, Store

TOO_EASY = 0.95
TOO_HARD = 0.15
DEFAULT_MIN_PLAYERS = 5
"""A share right means little before this many players answered; ``--min-players`` changes it."""
LOOKS_RIGHT_MIN_PLAYERS = 2
"""One player's odd spelling is noise; two or more typing the same thing is worth a look."""
LOOKS_RIGHT_RATIO = 75
"""``rapidfuzz.fuzz.ratio`` between a wrong typed answer and an accepted one that makes it "look right"."""
WRONG_ANSWERS_KEPT = 5
"""The most common wrong typed answers kept per question."""
REPORT_TEXT_MAX = 500
"""The longest report text stored (the column's size); Discord and Slack modals cap the input lower."""


class ReportReason(enum.StrEnum):
    """Why a player reports a question; the value travels in modals and is stored."""

    WRONG_ANSWER = "wrong-answer"
    AMBIGUOUS = "ambiguous"
    TYPO = "typo"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _REASON_LABELS[self]


_REASON_LABELS = {
    ReportReason.WRONG_ANSWER: "The answer is wrong",
    ReportReason.AMBIGUOUS: "More than one answer fits",
    ReportReason.TYPO: "A typo or unclear wording",
    ReportReason.OTHER: "Something else",
}

REPORT_THANKS = "Thanks, the server's admins will see your report."


class Flag(enum.StrEnum):
    TOO_EASY = "too easy"
    TOO_HARD = "too hard"
    TOP_MISS = "top players miss it"
    REPORTED = "reported"
    LOOKS_RIGHT = "typed answers look right"


@dataclass(frozen=True, slots=True)
class Group:
    """How one quarter of the players did on a question."""

    answered: int
    right: int

    @property
    def share(self) -> float:
        return self.right / self.answered if self.answered else 0.0


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A wrong typed answer that looks right, and the YAML that would accept it."""

    typed: str
    players: int
    yaml: str


@dataclass(frozen=True, slots=True)
class QuestionHealth:
    """One question's figures in a scope and the reasons it needs attention (none: it is fine)."""

    question_id: str
    topic: str
    prompt: str
    type: QuestionType
    asked: int
    answered: int
    players: int
    right: int
    top: Group | None
    bottom: Group | None
    wrong_choices: tuple[tuple[str, int], ...]
    """Every wrong choice as shown, with the players who picked it (0: a distractor nobody falls for)."""
    wrong_typed: tuple[tuple[str, int], ...]
    """The most common wrong typed answers (spellings merged), with the players who typed them."""
    reports: tuple[ReportRow, ...]
    flags: tuple[Flag, ...]
    suggestions: tuple[Suggestion, ...]

    @property
    def share_right(self) -> float:
        return self.right / self.answered if self.answered else 0.0


@dataclass(frozen=True, slots=True)
class HealthReport:
    scope: str | None
    """``PLATFORM:SERVER``, or None for every server together."""
    topic: str | None
    min_players: int
    questions: tuple[QuestionHealth, ...]
    """Every question answered, asked or reported in the scope, by id."""

    @property
    def attention(self) -> tuple[QuestionHealth, ...]:
        """The questions with at least one flag, reported ones first, then by players (most first)."""
        flagged = [q for q in self.questions if q.flags]
        return tuple(sorted(flagged, key=lambda q: (Flag.REPORTED not in q.flags, -q.players, q.question_id)))


async def question_health(
    store: Store, scope: str | None, *, topic: str | None = None, min_players: int = DEFAULT_MIN_PLAYERS
) -> HealthReport:
    """Every question's health in ``scope`` (``PLATFORM:SERVER``; None: every server), or one topic's."""
    if min_players < 1:
        raise QuizError("The minimum number of players must be at least 1.")
    async with store.unit(read_only=True) as unit:
        asked = await unit.asked_totals(scope)
        snapshots = await unit.latest_snapshots(scope)
        figures = {f.question_id: f for f in await unit.question_figures(scope)}
        wrong = await unit.wrong_responses(scope)
        reports = await unit.reports(scope)
    wrong_by_question: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for question_id, response, players in wrong:
        wrong_by_question[question_id].append((response, players))
    reports_by_question: dict[str, list[ReportRow]] = defaultdict(list)
    for report in reports:
        reports_by_question[report.question_id].append(report)
    wanted = topic.casefold() if topic else None
    found = []
    for question_id in sorted(snapshots):
        question = Question.from_snapshot(snapshots[question_id])
        if wanted is not None and question.topic.casefold() != wanted:
            continue
        found.append(
            _health(
                question,
                asked.get(question_id, 0),
                figures.get(question_id),
                wrong_by_question.get(question_id, []),
                reports_by_question.get(question_id, []),
                min_players,
            )
        )
    return HealthReport(scope, topic, min_players, tuple(found))


def _health(
    question: Question,
    asked: int,
    figures: QuestionFigures | None,
    wrong: Sequence[tuple[str, int]],
    reports: Sequence[ReportRow],
    min_players: int,
) -> QuestionHealth:
    f = figures or QuestionFigures(question.id, 0, 0, 0, 0, 0, 0, 0)
    top = Group(f.top_answered, f.top_right) if f.top_answered else None
    bottom = Group(f.bottom_answered, f.bottom_right) if f.bottom_answered else None
    if question.has_choices:
        picked = dict(wrong)
        wrong_choices = tuple(
            (choice, picked.get(choice, 0))
            for i, choice in enumerate(question.choices)
            if i != question.correct_index
        )
        wrong_typed: tuple[tuple[str, int], ...] = ()
    else:
        wrong_choices = ()
        wrong_typed = merged_spellings(wrong)[:WRONG_ANSWERS_KEPT]
    suggestions = tuple(
        Suggestion(typed, n, accept_yaml(question, typed))
        for typed, n in wrong_typed
        if n >= LOOKS_RIGHT_MIN_PLAYERS and looks_right(typed, question)
    )
    flags: list[Flag] = []
    if f.players >= min_players and f.answered:
        share = f.right / f.answered
        if share >= TOO_EASY:
            flags.append(Flag.TOO_EASY)
        elif share <= TOO_HARD:
            flags.append(Flag.TOO_HARD)
        if top is not None and bottom is not None and top.share < bottom.share:
            flags.append(Flag.TOP_MISS)
    if reports:
        flags.append(Flag.REPORTED)
    if suggestions:
        flags.append(Flag.LOOKS_RIGHT)
    return QuestionHealth(
        question.id,
        question.topic,
        question.prompt,
        question.type,
        asked,
        f.answered,
        f.players,
        f.right,
        top,
        bottom,
        wrong_choices,
        wrong_typed,
        tuple(reports),
        tuple(flags),
        suggestions,
    )


def merged_spellings(wrong: Iterable[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    """Wrong typed answers that differ only in form ("tensorflow 2", "TensorFlow-2") counted as one, shown
    as their most common spelling; most typed first."""
    totals: Counter[str] = Counter()
    spelt: dict[str, Counter[str]] = defaultdict(Counter)
    for response, players in wrong:
        key = normalise(response) or response.strip()
        totals[key] += players
        spelt[key][response.strip()] += players
    ordered = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    return tuple((spelt[key].most_common(1)[0][0], n) for key, n in ordered)


def looks_right(typed: str, question: Question) -> bool:
    """A wrong typed answer close to an accepted one: it contains a whole accepted answer with a word more
    ("Tensorflow 2" for "TensorFlow"), or is within :data:`LOOKS_RIGHT_RATIO` of one. Numbers are never
    close (1990 is not 1991), and an answer the author rejected stays rejected."""
    given = normalise(typed)
    if not given or given in {normalise(r) for r in question.reject}:
        return False
    for accepted in question.accepted:
        meant = normalise(accepted)
        if not meant or meant == given:
            continue
        if f" {meant} " in f" {given} ":
            return True
        if not _has_digit(given) and not _has_digit(meant) and fuzz.ratio(given, meant) >= LOOKS_RIGHT_RATIO:
            return True
    return False


def _has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def accept_yaml(question: Question, typed: str) -> str:
    """The ``answers:`` line of the question's YAML with ``typed`` added, quoted where YAML needs it."""
    answers = [*question.accepted, typed]
    flow = yaml.safe_dump(answers, default_flow_style=True, allow_unicode=True, width=math.inf)
    return f"answers: {flow.strip()}"


def percent(share: float) -> str:
    return f"{round(share * 100)}%"


def reasons_summary(reports: Sequence[ReportRow]) -> str:
    """``2 × The answer is wrong, 1 × Something else``: the reasons of a question's reports, most first."""
    counts = Counter(reports_reason_label(r.reason) for r in reports)
    return ", ".join(f"{n} × {label}" for label, n in counts.most_common())


def reports_reason_label(reason: str) -> str:
    try:
        return ReportReason(reason).label
    except ValueError:
        return reason


def describe(q: QuestionHealth) -> list[str]:
    """Plain-text lines that say why a question needs attention and what to do, for every front end.

    The adapters escape them for their platform and cut them to its limits."""
    lines = [f"{q.question_id} ({q.topic}): {', '.join(q.flags)}"]
    if q.answered:
        lines.append(f"asked {q.asked}×, {q.players} players, {percent(q.share_right)} right")
    if Flag.TOO_EASY in q.flags:
        lines.append("too easy: make the wrong choices more tempting, or move it to an easier level")
    if Flag.TOO_HARD in q.flags:
        lines.append("too hard: check the answer key and the wording, or give a hint in the prompt")
    if Flag.TOP_MISS in q.flags and q.top and q.bottom:
        lines.append(
            f"top quarter {percent(q.top.share)} right, bottom quarter {percent(q.bottom.share)}: "
            "check the answer key and look for a second reading of the prompt"
        )
    picked = [(c, n) for c, n in q.wrong_choices if n]
    if picked and (Flag.TOO_HARD in q.flags or Flag.TOP_MISS in q.flags):
        lines.append("wrong choices: " + ", ".join(f"'{c}' {n}" for c, n in picked))
    if Flag.REPORTED in q.flags:
        lines.append(f"reported: {reasons_summary(q.reports)}")
        lines.extend(f'  "{r.text}"' for r in q.reports if r.text)
    for s in q.suggestions:
        lines.append(f"{s.players} players typed '{s.typed}'; to accept it: {s.yaml}")
    return lines
