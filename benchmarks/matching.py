"""Answer matching measured on real trivia: ``python -m benchmarks.matching``.

The questions are a sample of Red-DiscordBot's community trivia lists (``tests/data/trivia``), typed-answer
trivia written by other people. From their accepted answers this module makes, deterministically, the
answers players really type:

- **one-edit typos** in words of 6+ letters: a letter replaced by a neighbouring key, two neighbours
  swapped, a letter dropped, a letter added (a neighbouring key or a doubled letter). Should count.
- **punctuation variants**: inner apostrophes, hyphens and the dots of initials left out, a hyphen typed as a
  space, thousands separators left out, "&" and "and" swapped. Should count.
- **numbers off by one** ("1969" -> "1970", "Apollo 11" -> "Apollo 12", "Two" -> "Three"). Never count.
- **another question's answer** from the same list (sharing no spelling with this question's answers).
  Should (almost) never count.
- **false friends**: real words one typo away ("Baseball" for "Basketball"). Never count.

Each is judged four ways in the same run: the baseline (the rules of quizbot 0.1, kept in
:mod:`benchmarks.previous_matching`), today's rules without the real-word check, with the English word list
only, and as the engine runs them (English words plus the bank's own answers). The table prints what share
of each kind counted as right.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Container, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from benchmarks import previous_matching
from quizbot.matching import judge, spellings
from quizbot.words import Vocabulary, english_words

SAMPLE = Path(__file__).resolve().parent.parent / "tests" / "data" / "trivia" / "red-trivia-sample.yaml"
SEED = 20261130

TARGETS = {
    "typo": ("≥ 90%", lambda share: share >= 0.90),
    "punctuation": ("≥ 90%", lambda share: share >= 0.90),
    "number": ("0", lambda share: share == 0.0),
    "other": ("≤ 0.1%", lambda share: share <= 0.001),
    "false friend": ("0", lambda share: share == 0.0),
    "example": ("100%", lambda share: share == 1.0),
}
"""Per kind: the target as printed, and whether a share of answers counted as right meets it."""

KIND_LABELS = {
    "typo": "one-edit typos, words of 6+ letters",
    "punctuation": "punctuation variants",
    "number": "numbers off by one",
    "other": "another question's answer, same list",
    "false friend": "false friends (real words one typo away)",
    "example": "the issue's right answers (Tolkein, Spiderman, 1500…)",
}

FALSE_FRIENDS: tuple[tuple[str, str], ...] = (
    ("Baseball", "Basketball"),
    ("Kingston", "Kingstown"),
    ("Steven", "Seven"),
    ("MMXVII", "MMXVI"),
    ("FFVIII", "FFVII"),
    ("7/8", "7.8"),
    ("unsupervised", "supervised"),
    ("asymmetric", "symmetric"),
    ("Austria", "Australia"),
    ("Angles", "Angels"),
)
"""(typed, accepted): the issue's examples and a few more of the same kind."""

ISSUE_EXAMPLES: tuple[tuple[str, str], ...] = (
    ("Tolkein", "Tolkien"),
    ("Portgual", "Portugal"),
    ("Sprak", "Spark"),
    ("Hadopp", "Hadoop"),
    ("hitchhikers", "hitchhiker's"),
    ("Spiderman", "Spider-Man"),
    ("JD Salinger", "J.D. Salinger"),
    ("1500", "1,500"),
    ("Pride and Prejudice", "Pride & Prejudice"),
)
"""(typed, accepted) that must count: the right answers the issue saw rejected."""

_KEYBOARD = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_NUMBER_NAMES = "zero one two three four five six seven eight nine ten eleven twelve"
_NUMBER_WORDS = tuple(_NUMBER_NAMES.split())


@dataclass(frozen=True, slots=True)
class Question:
    category: str
    prompt: str
    answers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Attempt:
    """One generated player answer and what it should be judged."""

    kind: str
    question: Question
    typed: str
    right: bool


def load_sample(path: Path = SAMPLE) -> list[Question]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Question(category, item["q"], tuple(str(a) for a in item["a"]))
        for category, items in data.items()
        for item in items
    ]


def _neighbours(letter: str) -> str:
    for row_index, row in enumerate(_KEYBOARD):
        col = row.find(letter)
        if col < 0:
            continue
        near = row[max(col - 1, 0) : col] + row[col + 1 : col + 2]
        for other in (row_index - 1, row_index + 1):
            if 0 <= other < len(_KEYBOARD):
                near += _KEYBOARD[other][max(col - 1, 0) : col + 1]
        return near
    return "aeiou"


def one_edit_typos(word: str, rng: random.Random) -> list[str]:
    """One substitution, transposition, deletion and insertion of ``word``, at random places."""
    lower = word.lower()
    out: list[str] = []
    i = rng.randrange(len(word))
    out.append(word[:i] + rng.choice(_neighbours(lower[i]).replace(lower[i], "") or "e") + word[i + 1 :])
    pairs = [j for j in range(len(word) - 1) if lower[j] != lower[j + 1]]
    if pairs:
        j = rng.choice(pairs)
        out.append(word[:j] + word[j + 1] + word[j] + word[j + 2 :])
    i = rng.randrange(len(word))
    out.append(word[:i] + word[i + 1 :])
    i = rng.randrange(len(word) + 1)
    anchor = lower[min(i, len(word) - 1)]
    extra = anchor if rng.random() < 0.5 else rng.choice(_neighbours(anchor))
    out.append(word[:i] + extra + word[i:])
    return out


_WORD = re.compile(r"[A-Za-z]{6,}")


def typos(question: Question, rng: random.Random) -> Iterator[Attempt]:
    seen: set[str] = set()
    for answer in question.answers:
        for found in _WORD.finditer(answer):
            if not (found.start() == 0 or not answer[found.start() - 1].isalnum()):
                continue
            if found.end() < len(answer) and answer[found.end()].isalnum():
                continue
            for typo in one_edit_typos(found.group(), rng):
                typed = answer[: found.start()] + typo + answer[found.end() :]
                if typed in seen or _same(typed, question.answers):
                    continue
                seen.add(typed)
                yield Attempt("typo", question, typed, True)


_INNER_APOSTROPHE = re.compile(r"(?<=[^\W\d])['’](?=\w)|(?<=\w)['’](?=[^\W\d])")
_INNER_HYPHEN = re.compile(r"(?<=[^\W\d])-(?=\w)|(?<=\w)-(?=[^\W\d])")
_INITIAL = re.compile(r"\b([A-Za-z])\.(?=\s?[A-Za-z]\b)")
_GROUPED = re.compile(r"(?<=\d),(?=\d{3})")


def punctuation_variants(answer: str) -> set[str]:
    """The same answer with its inner punctuation typed another way (never between two digits)."""
    variants = {
        _INNER_APOSTROPHE.sub("", answer),
        _INNER_HYPHEN.sub("", answer),
        _INNER_HYPHEN.sub(" ", answer),
        _GROUPED.sub("", answer),
        re.sub(r"\s*&\s*", " and ", answer),
        re.sub(r"\s+and\s+", " & ", answer, flags=re.IGNORECASE),
    }
    if re.search(r"\b[A-Za-z]\.[A-Za-z]\b", answer):  # initials: "J.D." -> "JD", "J. D."
        variants.add(re.sub(r"\b([A-Za-z])\.", r"\1", answer))
        variants.add(_INITIAL.sub(r"\1. ", answer).replace(".  ", ". "))
    for number in re.findall(r"\b\d{5,}\b", answer):
        variants.add(answer.replace(number, f"{int(number):,}"))
    variants.discard(answer)
    return variants


def punctuation(question: Question) -> Iterator[Attempt]:
    for answer in question.answers:
        for typed in sorted(punctuation_variants(answer)):
            yield Attempt("punctuation", question, typed, True)


def numbers_off_by_one(question: Question) -> Iterator[Attempt]:
    seen: set[str] = set()
    for answer in question.answers:
        for found in re.finditer(r"\d+", answer):
            for delta in (-1, 1):
                value = int(found.group()) + delta
                if value >= 0:
                    seen.add(answer[: found.start()] + str(value) + answer[found.end() :])
        for found in re.finditer(r"[A-Za-z]+", answer):
            word = found.group().lower()
            if word in _NUMBER_WORDS:
                index = _NUMBER_WORDS.index(word)
                for other in (index - 1, index + 1):
                    if 0 <= other < len(_NUMBER_WORDS):
                        name = _NUMBER_WORDS[other]
                        name = name.capitalize() if found.group()[0].isupper() else name
                        seen.add(answer[: found.start()] + name + answer[found.end() :])
    for typed in sorted(seen):
        if not _same(typed, question.answers):
            yield Attempt("number", question, typed, False)


def other_answers(question: Question, same_list: list[Question]) -> Iterator[Attempt]:
    for other in same_list:
        if other is question:
            continue
        for typed in other.answers:
            if not _same(typed, question.answers):
                yield Attempt("other", question, typed, False)


def _same(typed: str, answers: tuple[str, ...]) -> bool:
    """``typed`` is one of ``answers`` in another form: a correct answer, not a test of the rules."""
    forms = spellings(typed)
    return any(forms & spellings(a) for a in answers)


def attempts(questions: list[Question], seed: int = SEED) -> list[Attempt]:
    """Every generated player answer for ``questions``, the same for the same seed."""
    rng = random.Random(seed)
    by_list: dict[str, list[Question]] = {}
    for q in questions:
        by_list.setdefault(q.category, []).append(q)
    out: list[Attempt] = []
    for q in questions:
        out.extend(typos(q, rng))
        out.extend(punctuation(q))
        out.extend(numbers_off_by_one(q))
        out.extend(other_answers(q, by_list[q.category]))
    for typed, meant in FALSE_FRIENDS:
        out.append(Attempt("false friend", Question("false friends", "", (meant,)), typed, False))
    for typed, meant in ISSUE_EXAMPLES:
        out.append(Attempt("example", Question("examples", "", (meant,)), typed, True))
    return out


Judge = Callable[[Attempt], bool]

CHOSEN = "quizbot: English + bank words"
BASELINE = "baseline: quizbot 0.1 rules"


def judges(questions: list[Question]) -> dict[str, Judge]:
    """The ways of judging measured in one run: a baseline, the rules without and with real words."""
    bank = Vocabulary(a for q in questions for a in q.answers)
    nothing: Container[str] = frozenset()
    english = english_words()
    return {
        BASELINE: lambda a: previous_matching.matches(a.typed, a.question.answers),
        "typos, no real words": lambda a: judge(a.typed, a.question.answers, words=nothing) is not None,
        "typos, English words": lambda a: judge(a.typed, a.question.answers, words=english) is not None,
        CHOSEN: lambda a: judge(a.typed, a.question.answers, words=bank) is not None,
    }


@dataclass(frozen=True, slots=True)
class Line:
    """One kind of player answer: how many were tried and how many each way counted as right."""

    kind: str
    count: int
    counted: dict[str, int]
    misjudged: tuple[str, ...]

    def share(self, way: str = CHOSEN) -> float:
        return self.counted[way] / self.count if self.count else 0.0

    @property
    def meets_target(self) -> bool:
        return TARGETS[self.kind][1](self.share())


def measure(questions: list[Question] | None = None, *, only_chosen: bool = False) -> list[Line]:
    """Judge every generated answer every way (or only quizbot's way, for the test)."""
    questions = load_sample() if questions is None else questions
    tried = attempts(questions)
    ways = judges(questions)
    if only_chosen:
        ways = {CHOSEN: ways[CHOSEN]}
    lines: list[Line] = []
    for kind in KIND_LABELS:
        of_kind = [a for a in tried if a.kind == kind]
        counted: dict[str, int] = {}
        misjudged: list[str] = []
        for name, way in ways.items():
            verdicts = [way(a) for a in of_kind]
            counted[name] = sum(verdicts)
            if name == CHOSEN:
                misjudged = [
                    f"{a.typed!r} for {a.question.answers[0]!r}"
                    for a, right in zip(of_kind, verdicts, strict=True)
                    if right != a.right
                ]
        lines.append(Line(kind, len(of_kind), counted, tuple(misjudged)))
    return lines


def _cell(counted: int, total: int) -> str:
    share = counted / total if total else 0.0
    return f"{share:.1%} ({counted:,})" if share >= 0.001 or not counted else f"{share:.4%} ({counted:,})"


def table(lines: list[Line], questions: int) -> str:
    """The results as a markdown table, with a few misjudged answers per kind to show what they are."""
    names = list(lines[0].counted)
    head = ["Player answers", "n", *names, "Target", "Result", "Misjudged by quizbot, e.g."]
    rows = ["| " + " | ".join(head) + " |", "|" + "|".join(" --- " for _ in head) + "|"]
    for line in lines:
        step = max(1, len(line.misjudged) // 4)
        cells = [
            KIND_LABELS[line.kind],
            f"{line.count:,}",
            *(_cell(line.counted[n], line.count) for n in names),
            TARGETS[line.kind][0],
            "pass" if line.meets_target else "MISS",
            "; ".join(line.misjudged[::step][:4]).replace("|", "\\|") or "—",
        ]
        rows.append("| " + " | ".join(cells) + " |")
    rows.append("")
    rows.append(
        f"Share (and number) of answers counted as right; {questions:,} questions from "
        f"tests/data/trivia, seed {SEED}."
    )
    return "\n".join(rows)


def main() -> None:
    questions = load_sample()
    print(table(measure(questions), len(questions)))


if __name__ == "__main__":
    main()
