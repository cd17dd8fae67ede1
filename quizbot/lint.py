"""``quizbot lint``: item-writing checks for any bank, as ``PATH:LINE: message`` warnings.

The checks themselves live in :mod:`quizbot.checks` (the generator's quality gates run the same ones).
This module finds the files, turns loaded questions into check items, and reports per file: the
true/false share and the length of correct choices are patterns a player learns within one file.
Rejected questions are never served, so they are not checked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from quizbot.bank import YAML_SUFFIXES, parse_bank_file
from quizbot.checks import MULTIPLE_CHOICE, SHORT_ANSWER, TRUE_FALSE, Item, all_warnings
from quizbot.domain import Question, QuestionStatus, QuestionType


@dataclass(frozen=True, slots=True)
class Finding:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def bank_files(paths: Sequence[Path]) -> tuple[list[Path], list[Finding]]:
    """The YAML files under ``paths`` (sorted), and a finding for each path that does not exist."""
    files: list[Path] = []
    missing: list[Finding] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file()))
        elif path.is_file():
            files.append(path)
        else:
            missing.append(Finding(str(path), 1, "no such file or folder"))
    return list(dict.fromkeys(files)), missing


def as_item(question: Question) -> Item:
    if question.type is QuestionType.MULTIPLE_CHOICE:
        return Item(
            id=question.id,
            type=MULTIPLE_CHOICE,
            prompt=question.prompt,
            explanation=question.explanation or "",
            choices=question.choices,
            answer=question.correct_answer,
            line=question.line,
        )
    if question.type is QuestionType.TRUE_FALSE:
        return Item(
            id=question.id,
            type=TRUE_FALSE,
            prompt=question.prompt,
            explanation=question.explanation or "",
            answer=question.correct_index == 0,
            line=question.line,
        )
    return Item(
        id=question.id,
        type=SHORT_ANSWER,
        prompt=question.prompt,
        explanation=question.explanation or "",
        answers=question.accepted,
        line=question.line,
    )


def lint_file(path: Path) -> list[Finding]:
    """Format errors (as ``quizbot validate`` reports them) and item-writing warnings for one file."""
    shown = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return [Finding(shown, 1, f"cannot read file: {exc.strerror}")]
    result = parse_bank_file(shown, raw)
    findings = [Finding(e.path, e.line, e.message) for e in result.errors]
    items = [as_item(q) for q in result.questions if q.status is not QuestionStatus.REJECTED]
    findings.extend(Finding(shown, w.line, w.message) for w in all_warnings(items))
    return findings


def lint_paths(paths: Sequence[Path]) -> list[Finding]:
    files, findings = bank_files(paths)
    if not files and not findings:
        findings.append(Finding(", ".join(map(str, paths)), 1, "no question files (*.yaml, *.yml) found"))
    for file in files:
        findings.extend(lint_file(file))
    return findings
