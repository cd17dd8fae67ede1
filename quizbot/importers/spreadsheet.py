"""Questions written in a spreadsheet and saved as CSV.

The header row names the columns ``type,prompt,choices,answer,explanation,topic,difficulty`` (any order;
``id`` and ``image`` optional). ``choices`` are separated by ``|``; for a short answer, ``answer`` may
list several accepted answers the same way. A ``;``-separated file, as spreadsheets in some locales save,
is recognised, and so is Excel's byte-order mark.
"""

from __future__ import annotations

import csv
import io
from pathlib import PurePath
from typing import Any

from quizbot.importers.model import (
    MAX_CHOICE,
    MAX_PROMPT,
    Converted,
    ImportFormatError,
    Origin,
    Skip,
    stable_id,
)

REQUIRED = ("type", "prompt", "answer")
KNOWN = ("id", "type", "prompt", "choices", "answer", "explanation", "topic", "difficulty", "image")
TYPES = {
    "multiple_choice": "multiple_choice",
    "multiple choice": "multiple_choice",
    "mc": "multiple_choice",
    "true_false": "true_false",
    "true/false": "true_false",
    "tf": "true_false",
    "short_answer": "short_answer",
    "short answer": "short_answer",
    "short": "short_answer",
}
TRUTH = {"true": True, "t": True, "yes": True, "false": False, "f": False, "no": False}


def convert(path: PurePath, text: str) -> Converted:
    text = text.removeprefix("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(rows)]
    except StopIteration:
        raise ImportFormatError("the file is empty; the first row must name the columns") from None
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportFormatError(
            f"the header row lacks {', '.join(missing)}; expected columns: {','.join(KNOWN[1:-1])}"
        )
    out = Converted(source=str(path), name=path.stem, header=[f"Imported from {path.name}."], topic=None)
    unknown = [h for h in header if h and h not in KNOWN]
    if unknown:
        out.warnings.append(f"columns ignored: {', '.join(unknown)}")
    try:
        for row in rows:
            line = rows.line_num
            if not any(cell.strip() for cell in row):
                continue
            cells = {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header)}
            question = _question(cells, path.stem)
            if isinstance(question, str):
                out.skipped.append(Skip(line, question))
            else:
                out.add(question, Origin(line))
    except csv.Error as exc:
        raise ImportFormatError(f"line {rows.line_num}: not readable CSV: {exc}") from None
    return out


def _question(cells: dict[str, str], stem: str) -> dict[str, Any] | str:
    """The row as a question, or why it cannot be one."""
    kind = TYPES.get(cells["type"].lower())
    if kind is None:
        return f"type {cells['type']!r} is not one of multiple_choice, true_false, short_answer"
    prompt, answer = cells["prompt"], cells["answer"]
    if not prompt or not answer:
        return "prompt and answer must not be empty"
    if len(prompt) > MAX_PROMPT:
        return f"the prompt is over {MAX_PROMPT} characters"
    question: dict[str, Any] = {
        "id": cells.get("id") or stable_id(stem, prompt),
        "type": kind,
        "prompt": prompt,
    }
    if kind == "multiple_choice":
        choices = [c.strip() for c in cells.get("choices", "").split("|") if c.strip()]
        if answer not in choices:
            return f"the answer {answer!r} is not one of the choices"
        if any(len(c) > MAX_CHOICE for c in choices):
            return f"a choice is over {MAX_CHOICE} characters"
        question |= {"choices": choices, "answer": answer}
    elif kind == "true_false":
        if answer.lower() not in TRUTH:
            return f"a true/false answer must be true or false, not {answer!r}"
        question["answer"] = TRUTH[answer.lower()]
    else:
        question["answers"] = [a.strip() for a in answer.split("|") if a.strip()]
    for key in ("explanation", "topic", "image"):
        if cells.get(key):
            question[key] = cells[key]
    if cells.get("difficulty"):
        question["difficulty"] = cells["difficulty"].lower()
    return question
