"""``quizbot review DIR``: walk the draft questions of a bank in the terminal and record each decision.

For every question marked ``status: draft`` the reviewer sees it as a player would (prompt, choices,
answer, explanation) together with any item-writing warning, and answers approve, reject, edit later
(skip) or quit. A decision is written two ways:

- into the question file, by changing (or adding) that question's ``status:`` line only, so the file's
  formatting and comments stay as they were;
- into ``review.json`` next to the file (see :mod:`quizbot.review_record`), so that ``quizbot generate``
  keeps the decision when it rewrites a generated bank, for as long as the question reads the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from quizbot.bank import parse_bank_file
from quizbot.checks import item_warnings
from quizbot.domain import Question, QuestionStatus, QuestionType
from quizbot.lint import as_item, bank_files
from quizbot.review_record import RECORD_NAME, ReviewRecord, fingerprint

_STATUS_LINE = re.compile(r"^(?P<indent>\s*)status:\s*(?P<value>\S+)\s*(?P<comment>#.*)?$")
_ID_LINE = re.compile(r"^(?P<lead>\s*-\s+|\s*)id:\s")
CHOICES = {"a": QuestionStatus.APPROVED, "r": QuestionStatus.REJECTED, "e": None, "q": None}


def question_fingerprint(question: Question) -> str:
    """The fingerprint the generator computes for the same question (see :mod:`quizbot.review_record`)."""
    if question.type is QuestionType.TRUE_FALSE:
        return fingerprint(
            "true_false",
            question.prompt,
            (),
            ("true" if question.correct_index == 0 else "false",),
            question.explanation,
        )
    if question.type is QuestionType.MULTIPLE_CHOICE:
        return fingerprint(
            "multiple_choice",
            question.prompt,
            question.choices,
            (question.correct_answer,),
            question.explanation,
        )
    return fingerprint("short_answer", question.prompt, (), question.accepted, question.explanation)


def set_status(text: str, question_line: int, next_line: int | None, status: str) -> str | None:
    """``text`` with the question starting at ``question_line`` (1-based) given ``status``; None when the
    question is not written one key per line (a flow mapping), so no line edit can record it."""
    lines = text.splitlines(keepends=True)
    end = (next_line - 1) if next_line else len(lines)
    start = question_line - 1
    for index in range(start, end):
        match = _STATUS_LINE.match(lines[index].rstrip("\r\n"))
        if match and (index == start or not lines[index].lstrip().startswith("-")):
            newline = lines[index][len(lines[index].rstrip("\r\n")) :]
            comment = f"  {match.group('comment')}" if match.group("comment") else ""
            lines[index] = f"{match.group('indent')}status: {status}{comment}{newline}"
            return "".join(lines)
    for index in range(start, end):
        match = _ID_LINE.match(lines[index])
        if match:
            indent = " " * len(match.group("lead"))
            newline = lines[index][len(lines[index].rstrip("\r\n")) :] or "\n"
            lines.insert(index + 1, f"{indent}status: {status}{newline}")
            return "".join(lines)
    return None


def show(console: Console, question: Question, position: str) -> None:
    console.print(
        f"\n[bold]{escape(position)}[/bold] {escape(question.id)} ({question.type.value}, "
        f"{question.difficulty.value}) — {escape(question.path)}:{question.line}"
    )
    console.print(f"[bold]{escape(question.prompt)}[/bold]")
    if question.type is QuestionType.SHORT_ANSWER:
        console.print(f"  answers: {escape(', '.join(question.accepted))}")
    else:
        for index, choice in enumerate(question.choices):
            mark = "[green]✔[/green]" if index == question.correct_index else " "
            console.print(f"  {mark} {escape(choice)}")
    console.print(f"[dim]{escape(question.explanation or '(no explanation)')}[/dim]")
    if question.source:
        console.print(
            f"[dim]source: {escape(question.source.document)} — {escape(question.source.section)}[/dim]"
        )
    for warning in item_warnings(as_item(question)):
        console.print(f"[yellow]warning: {escape(warning)}[/yellow]")


def review_command(folder: Path, read: Callable[[str], str] = input, console: Console | None = None) -> int:
    """Run ``quizbot review DIR``. Exit 0 when done or quit; 1 when the folder holds no question files."""
    console = console or Console(highlight=False, soft_wrap=True)
    files, missing = bank_files([folder])
    if missing or not files:
        console.print(f"[red]No question files (*.yaml, *.yml) in {escape(str(folder))}.[/red]")
        return 1
    drafts: list[tuple[Path, Question]] = []
    for file in files:
        result = parse_bank_file(str(file), file.read_bytes())
        if result.errors:
            console.print(
                f"[red]{escape(str(result.errors[0]))} — fix it (quizbot validate) before reviewing.[/red]"
            )
            return 1
        drafts.extend((file, q) for q in result.questions if q.status is QuestionStatus.DRAFT)
    if not drafts:
        console.print("No drafts to review.")
        return 0
    counts = {"approved": 0, "rejected": 0, "skipped": 0}
    for number, (file, question) in enumerate(drafts, start=1):
        show(console, question, f"[{number}/{len(drafts)}]")
        answer = ""
        while answer not in CHOICES:
            try:
                answer = read("[a]pprove, [r]eject, [e]dit later, [q]uit? ").strip().lower()[:1]
            except EOFError:
                answer = "q"
        if answer == "q":
            break
        decision = CHOICES[answer]
        if decision is None:
            counts["skipped"] += 1
            continue
        if not record_decision(file, question.id, decision):
            console.print(
                f"[yellow]{escape(question.id)}: written as a flow mapping; set its status by hand.[/yellow]"
            )
            continue
        counts[decision.value] += 1
    console.print(
        f"{counts['approved']} approved, {counts['rejected']} rejected, {counts['skipped']} left as drafts."
    )
    return 0


def record_decision(file: Path, question_id: str, decision: QuestionStatus) -> bool:
    """Write ``decision`` into ``file`` (the question's status line) and into the folder's review record."""
    text = file.read_text(encoding="utf-8")
    questions = sorted(parse_bank_file(str(file), text.encode("utf-8")).questions, key=lambda q: q.line)
    index = next(i for i, q in enumerate(questions) if q.id == question_id)
    following = questions[index + 1].line if index + 1 < len(questions) else None
    updated = set_status(text, questions[index].line, following, decision.value)
    if updated is None:
        return False
    file.write_text(updated, encoding="utf-8")
    record = ReviewRecord.load_or_empty(file.parent / RECORD_NAME)
    record.record(question_id, decision.value, question_fingerprint(questions[index]))
    record.save()
    return True
