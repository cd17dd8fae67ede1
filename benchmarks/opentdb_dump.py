"""A synthetic Open Trivia DB download, and ``quizbot import opentdb`` timed on it.

There is no Open Trivia DB data in the repository and the API cannot be reached from CI, so this builds,
from a seed, what a real download looks like: ``{"response_code": 0, "results": [...]}`` in each of the
API's three encodings (HTML entities by default, ``url3986``, ``base64``), with the cases real dumps
have and an importer must not refuse:

- HTML entities: ``&quot;``, ``&#039;``, ``&amp;``, ``&lt;``, and named accents (``&eacute;``, ``&ouml;``);
- accented and non-Latin text (Pokémon, São Paulo, Dvořák, 東京);
- ``multiple`` and ``boolean`` questions, every difficulty, the API's category names;
- leading and trailing spaces around questions and answers;
- answers differing only in case between two questions (``McDonald's`` in one, ``Mcdonald's`` in another);
- the same question in two overlapping files, as several API calls return.

Run ``python -m benchmarks.opentdb_dump [--questions 5000]``: it writes the dumps to a scratch folder,
imports each encoding's two files and prints the converted and skipped counts and the time taken.
"""

from __future__ import annotations

import argparse
import base64
import html.entities
import json
import random
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

ENCODINGS = ("default", "url3986", "base64")
CATEGORIES = (
    "General Knowledge",
    "Entertainment: Books",
    "Entertainment: Film",
    "Entertainment: Music",
    "Entertainment: Video Games",
    "Entertainment: Japanese Anime & Manga",
    "Science & Nature",
    "Science: Computers",
    "Geography",
    "History",
    "Art",
    "Sports",
)
NAMES = (
    "Pokémon",
    "São Paulo",
    "Antonín Dvořák",
    "Zürich",
    "Beyoncé",
    "Gabriel García Márquez",
    "Ångström",
    "Mötley Crüe",
    "東京",
    "Fabergé",
    "Crème brûlée",
    "Björk",
)
SUBJECTS = ("the capital", "the composer", "the author", "the developer", "the founder", "the mascot")
ANSWERS = (
    "McDonald's",
    "Mcdonald's",
    "AT&T",
    "Procter & Gamble",
    "<html>",
    "Rock 'n' Roll",
    'The "Big Apple"',
    "iPhone",
    "IPhone",
    "Dvořák",
    "São Tomé",
    "C++",
    "C#",
    "1,000",
    "1.000",
)
"""Answers a real dump has; pairs differ only in case or punctuation, never inside one question."""


@dataclass(frozen=True, slots=True)
class Dumps:
    """The files written for one encoding, and how many distinct questions and repeats they hold."""

    encoding: str
    files: tuple[Path, ...]
    questions: int
    repeats: int


def results(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """``count`` distinct questions as the API returns them, in plain text (not yet encoded)."""
    rng = random.Random(seed)
    out: list[dict[str, Any]] = []
    for n in range(count):
        name = NAMES[n % len(NAMES)]
        category = CATEGORIES[rng.randrange(len(CATEGORIES))]
        difficulty = ("easy", "medium", "hard")[rng.randrange(3)]
        pad = " " if n % 7 == 0 else ""  # the API's text sometimes ends (or starts) with a space
        if n % 4 == 0:
            truth = rng.random() < 0.5
            out.append(
                {
                    "type": "boolean",
                    "difficulty": difficulty,
                    "category": category,
                    "question": f'{pad}In "{name}" ({n}), {SUBJECTS[n % len(SUBJECTS)]} wasn\'t born in '
                    f"Zürich & Bern.{pad}",
                    "correct_answer": "True" if truth else "False",
                    "incorrect_answers": ["False" if truth else "True"],
                }
            )
            continue
        correct = ANSWERS[n % len(ANSWERS)]
        out.append(
            {
                "type": "multiple",
                "difficulty": difficulty,
                "category": category,
                "question": f'{pad}Which of these is linked to "{name}" in question {n}?{pad}',
                "correct_answer": f"{pad}{correct}{pad}",
                "incorrect_answers": _wrong(rng, correct, n),
            }
        )
    return out


def _wrong(rng: random.Random, correct: str, n: int) -> list[str]:
    """Three wrong answers, none equal to another or to ``correct`` once case and spaces are ignored."""
    taken = {correct.casefold()}
    wrong: list[str] = []
    for candidate in rng.sample(ANSWERS, len(ANSWERS)) + [f"Option {n}-{i}" for i in range(3)]:
        if candidate.casefold() not in taken:
            taken.add(candidate.casefold())
            wrong.append(candidate)
        if len(wrong) == 3:
            break
    return wrong


def _entities(text: str) -> str:
    """HTML-encode as the API's default does: ``&quot;``, ``&#039;``, ``&amp;`` and named accents."""
    text = text.replace("&", "&amp;").replace('"', "&quot;").replace("'", "&#039;")
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    names = html.entities.codepoint2name
    return "".join(f"&{names[ord(c)]};" if ord(c) > 127 and ord(c) in names else c for c in text)


ENCODERS: dict[str, Callable[[str], str]] = {
    "default": _entities,
    "url3986": lambda s: quote(s, safe=""),
    "base64": lambda s: base64.b64encode(s.encode("utf-8")).decode("ascii"),
}


def _encoded(items: list[dict[str, Any]], encoding: str) -> list[dict[str, Any]]:
    encode = ENCODERS[encoding]
    fields = ("category", "question", "correct_answer")
    if encoding != "default":  # url3986 and base64 encode every string, the type and difficulty too
        fields = ("type", "difficulty", *fields)
    return [
        {
            **item,
            **{k: encode(item[k]) for k in fields},
            "incorrect_answers": [encode(w) for w in item["incorrect_answers"]],
        }
        for item in items
    ]


def write_dumps(folder: Path, count: int = 5000, overlap: int = 250, seed: int = 7) -> list[Dumps]:
    """For each encoding, ``count`` distinct questions over two files sharing ``overlap`` of them."""
    items = results(count, seed)
    half = (count + overlap) // 2
    first, second = items[:half], items[half - overlap :]
    written: list[Dumps] = []
    for encoding in ENCODINGS:
        target = folder / encoding
        target.mkdir(parents=True, exist_ok=True)
        files = []
        for name, part in (("part1.json", first), ("part2.json", second)):
            path = target / name
            path.write_text(json.dumps({"response_code": 0, "results": _encoded(part, encoding)}))
            files.append(path)
        written.append(Dumps(encoding, tuple(files), count, overlap))
    return written


@dataclass(frozen=True, slots=True)
class Imported:
    code: int
    converted: int
    skipped: list[str]
    seconds: float


def import_dumps(dumps: Dumps, out: Path) -> Imported:
    """Run ``quizbot import opentdb`` on one encoding's files; what it converted and skipped."""
    from quizbot.importers.command import import_command

    lines: list[str] = []
    started = time.perf_counter()
    code = import_command("opentdb", list(dumps.files), out, lines.append)
    seconds = time.perf_counter() - started
    summary = lines[-1]
    converted = int(summary.split()[1]) if summary.startswith("imported ") else 0
    return Imported(code, converted, [line for line in lines if ": skipped: " in line], seconds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.opentdb_dump", description=__doc__)
    parser.add_argument("--questions", type=int, default=5000, help="distinct questions (default 5,000)")
    parser.add_argument("--overlap", type=int, default=250, help="questions in both files (default 250)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        for dumps in write_dumps(Path(scratch) / "dumps", args.questions, args.overlap, args.seed):
            done = import_dumps(dumps, Path(scratch) / "out" / dumps.encoding)
            repeats = sum("repeats the question" in line for line in done.skipped)
            print(
                f"{dumps.encoding:>8}: {done.converted:,} converted, {len(done.skipped)} skipped "
                f"({repeats} repeats, {len(done.skipped) - repeats} refused), exit {done.code}, "
                f"{done.seconds:.2f} s"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
