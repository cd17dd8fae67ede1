"""Synthetic question banks and answer histories, deterministic for a given seed.

The bank looks like the generated ``questions/`` files (long prompts, explanations, tags and a source per
question, a mix of the three question types) so that parsing cost per byte is realistic; about one
question in thirty mentions ``R&D``, ``Q&A`` or ``a * b``, as real ML text does, because those characters
send the loader down its anchor/alias check.

The history is what the engine would have written for that many answers to public questions in one
server: ``asked`` rows, ``answers`` rows and the running ``scores`` rows for the server and channel
scopes, all-time and per week, with streaks computed in answer order. Player activity is skewed (a few
players answer thousands of questions, most answer a handful) and every player answers at least once.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import yaml

from quizbot.domain import Difficulty, Question, QuestionType
from quizbot.engine import ALL_TIME, week_key

PLATFORM = "bench"
SERVER = "s1"
CHANNELS = ("c1", "c2", "c3", "c4", "c5")
SERVER_SCOPE = f"{PLATFORM}:{SERVER}"
DIFFICULTIES = ("easy", "medium", "hard")
POINTS = {"easy": 1, "medium": 2, "hard": 3}
HISTORY_START = datetime(2026, 9, 28, tzinfo=UTC)  # a Monday; the history spans eight weeks from here
HISTORY_WEEKS = 8

_WORDS = (  # noqa: SIM905 - a paragraph reads better than fifty one-word lines
    "model training data feature gradient loss batch epoch validation inference latency throughput "
    "pipeline registry deployment monitoring drift embedding tokenizer checkpoint optimizer scheduler "
    "regularisation overfitting precision recall threshold calibration sampling shard replica cache "
    "quantisation distillation evaluation baseline ablation experiment artifact lineage schema "
    "container orchestration autoscaling observability rollback canary shadow traffic vector index"
).split()
_SPICE = ("the R&D team", "a Q&A session", "a * b in the kernel", "precision & recall")
_TOPICS = ("mlops", "training", "serving", "data", "evaluation", "tooling", "infrastructure", "llm")


def question_id(index: int) -> str:
    return f"bench-{index:05d}"


def difficulty_of(index: int) -> str:
    return DIFFICULTIES[index % 3]


def _sentence(rng: random.Random, words: int, spice: float = 0.0) -> str:
    text = " ".join(rng.choices(_WORDS, k=words))
    if spice and rng.random() < spice:
        text += f", as in {rng.choice(_SPICE)}"
    return text[0].upper() + text[1:]


def _question(rng: random.Random, index: int) -> dict[str, object]:
    kind = rng.choices(("multiple_choice", "true_false", "short_answer"), (0.6, 0.25, 0.15))[0]
    item: dict[str, object] = {
        "id": question_id(index),
        "type": kind,
        "prompt": f"According to the article, {_sentence(rng, rng.randint(8, 14), 0.02).lower()}?",
    }
    if kind == "multiple_choice":
        choices = [f"{_sentence(rng, rng.randint(1, 4))} ({n})" for n in range(rng.randint(3, 5))]
        item["choices"] = choices
        item["answer"] = rng.choice(choices)
    elif kind == "true_false":
        item["answer"] = rng.random() < 0.5
    else:
        item["answers"] = [rng.choice(_WORDS) + " " + rng.choice(_WORDS) for _ in range(rng.randint(1, 3))]
    item["explanation"] = f"The article says: “{_sentence(rng, rng.randint(10, 18), 0.015)}.”"
    item["difficulty"] = difficulty_of(index)
    item["tags"] = rng.sample(("faq", "tools", "concepts", "ops", "theory", "practice"), 2)
    item["source"] = {
        "document": f"{rng.randrange(1000):03d}_{rng.getrandbits(64):016x}.txt",
        "section": f"FAQ: {_sentence(rng, rng.randint(3, 6))}?",
    }
    return item


def write_bank(folder: Path, questions: int, files: int, seed: int) -> list[Path]:
    """Write ``questions`` questions split evenly over ``files`` YAML files; return the file paths."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths: list[Path] = []
    per_file, extra = divmod(questions, files)
    start = 0
    for number in range(files):
        count = per_file + (1 if number < extra else 0)
        document = {
            "topic": _TOPICS[number % len(_TOPICS)],
            "questions": [_question(rng, i) for i in range(start, start + count)],
        }
        start += count
        path = folder / f"bank_{number:03d}.yaml"
        text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=110)
        path.write_text("# Synthetic benchmark bank: regenerate, do not edit.\n" + text, encoding="utf-8")
        paths.append(path)
    return paths


# -- answer history ---------------------------------------------------------------------------------------


@functools.cache
def snapshot(index: int) -> str:
    """The question as the engine records it in ``asked.question`` when it asks question ``index``."""
    return Question(
        id=question_id(index),
        type=QuestionType.MULTIPLE_CHOICE,
        prompt=f"Synthetic question {index}: which option is right?",
        choices=("Option A", "Option B", "Option C"),
        correct_index=0,
        accepted=("Option A",),
        explanation="Option A is right by construction.",
        difficulty=Difficulty(difficulty_of(index)),
        topic="mlops",
    ).snapshot()


def player_key(index: int) -> str:
    return f"{PLATFORM}:u{index}"


def player_name(index: int) -> str:
    return f"Player {index}"


@dataclass
class History:
    """Rows in the column order of the ``asked``, ``answers`` and ``scores`` tables (see ``COLUMNS``)."""

    asked: list[tuple[object, ...]] = field(default_factory=list)
    answers: list[tuple[object, ...]] = field(default_factory=list)
    scores: list[tuple[object, ...]] = field(default_factory=list)
    users: int = 0


COLUMNS: dict[str, tuple[str, ...]] = {
    "asked": (
        "id",
        "question_id",
        "question",
        "kind",
        "platform",
        "server",
        "channel",
        "ask_scope",
        "player_key",
        "zone",
        "asked_at",
        "closed_at",
        "message_ref",
        "daily_seq",
        "reveal_at_close",
    ),
    "answers": (
        "id",
        "asked_id",
        "player_key",
        "player_name",
        "response",
        "correct",
        "points",
        "answered_at",
    ),
    "scores": (
        "scope",
        "period",
        "player_key",
        "name",
        "points",
        "answered",
        "correct",
        "streak",
        "best_streak",
    ),
}


def _draws(rng: random.Random, users: int, answers: int) -> Iterator[int]:
    """Who answers, in order: every player once, then a skewed crowd (low indices answer far more)."""
    everyone = list(range(users))
    extra = [int(users * rng.random() ** 3) for _ in range(max(0, answers - users))]
    crowd = everyone + extra
    rng.shuffle(crowd)
    return iter(crowd)


def make_history(users: int, answers: int, seed: int) -> History:
    """``answers`` answers by ``users`` players to public questions spread over eight weeks."""
    if answers < users:
        raise ValueError("every player answers at least once: answers must be >= users")
    rng = random.Random(seed)
    skill = [0.35 + 0.55 * rng.random() for _ in range(users)]
    keys = [player_key(i) for i in range(users)]
    names = [player_name(i) for i in range(users)]
    per_asked = 200
    n_asked = max(1, answers // per_asked)
    spacing = HISTORY_WEEKS * 7 * 86_400 / n_asked
    history = History(users=users)
    boards: dict[tuple[str, str], dict[int, list[int]]] = {}
    weeks: dict[date, str] = {}
    draws = _draws(rng, users, answers)
    random_ = rng.random
    answer_id = 0
    for asked_no in range(n_asked):
        asked_id = asked_no + 1
        qindex = rng.randrange(10_000)
        points_if_right = POINTS[difficulty_of(qindex)]
        channel = CHANNELS[asked_no % len(CHANNELS)]
        channel_scope = f"{SERVER_SCOPE}:{channel}"
        asked_at = HISTORY_START + timedelta(seconds=asked_no * spacing)
        asked_as = (question_id(qindex), snapshot(qindex), "quiz")
        public = (None, "UTC", asked_at, None, None, None, False)  # no player, no daily sequence
        history.asked.append((asked_id, *asked_as, PLATFORM, SERVER, channel, channel_scope, *public))
        count = per_asked if asked_no < n_asked - 1 else answers - answer_id
        step = timedelta(seconds=spacing / (count + 2))
        seen: set[int] = set()
        answered_at = asked_at
        all_time = [
            boards.setdefault(board, {}) for board in ((SERVER_SCOPE, ALL_TIME), (channel_scope, ALL_TIME))
        ]
        current_week, four = "", all_time
        for _ in range(count):
            user = next(draws)
            while user in seen:  # one answer per player per question: a heavy player yields to another
                user = rng.randrange(users)
            seen.add(user)
            answer_id += 1
            correct = random_() < skill[user]
            points = points_if_right if correct else 0
            answered_at += step
            history.answers.append(
                (answer_id, asked_id, keys[user], names[user], "Option", correct, points, answered_at)
            )
            day = answered_at.date()
            week = weeks.get(day) or weeks.setdefault(day, week_key(answered_at, "UTC"))
            hit = 1 if correct else 0
            if week != current_week:
                current_week = week
                four = [
                    boards.setdefault(board, {}) for board in ((SERVER_SCOPE, week), (channel_scope, week))
                ]
                four += all_time
            for board in four:
                row = board.get(user)
                if row is None:
                    board[user] = [points, 1, hit, hit, hit]
                elif hit:
                    row[0] += points
                    row[1] += 1
                    row[2] += 1
                    row[3] += 1
                    if row[3] > row[4]:
                        row[4] = row[3]
                else:
                    row[1] += 1
                    row[3] = 0
    history.scores = [
        (scope, period, keys[user], names[user], *row)
        for (scope, period), board in boards.items()
        for user, row in board.items()
    ]
    return history
