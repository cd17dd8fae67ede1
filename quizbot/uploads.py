"""Preparing a question file that a server admin uploaded from chat.

Accepted: quizbot YAML, a Red-DiscordBot trivia list, an Open Trivia DB dump (JSON) or a CSV sheet,
recognised from the name and the content. Anything else in the file is converted to quizbot YAML, and the
result is checked exactly as a bank file is, with the same ``FILE:LINE: message`` lines; for a converted
file the line is the uploaded file's (a CSV row, a Red question) or, for JSON, the result's number and
prompt. A question repeated in a converted file is skipped with a warning, as ``quizbot import`` does.
Nothing here stores anything: the engine stores the file only when this found no error at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import PurePath

from quizbot.bank import foreign_format, parse_bank_file
from quizbot.domain import Question, QuizError
from quizbot.importers import opentdb, red, spreadsheet
from quizbot.importers.model import Converted, ImportFormatError, Skip, slug
from quizbot.importers.writer import drop_repeats, keep_valid, render
from quizbot.yaml_source import YamlSourceError, read_yaml

CONVERTERS: dict[str, tuple[str, Callable[..., Converted]]] = {
    "red": ("a Red-DiscordBot trivia list", red.convert),
    "opentdb": ("an Open Trivia DB dump", opentdb.convert),
    "csv": ("a CSV sheet", spreadsheet.convert),
}


class UploadRefused(QuizError):
    """The file was not stored; ``errors`` are one-line ``FILE:LINE: message`` reports, every one of them."""

    def __init__(self, summary: str, errors: list[str] | None = None) -> None:
        super().__init__(summary)
        self.summary = summary
        self.errors = tuple(errors or ())


@dataclass(frozen=True, slots=True)
class PreparedFile:
    """A valid upload: its name on the server, its quizbot YAML and its questions."""

    name: str
    content: str
    questions: tuple[Question, ...]
    converted_from: str | None
    warnings: tuple[str, ...]
    converted: Converted | None = field(default=None, compare=False, repr=False)
    """The conversion, for a file in another format: where each question came from in the upload."""

    @property
    def topics(self) -> list[str]:
        return sorted({q.topic for q in self.questions})

    def where(self, question: Question) -> str:
        """``FILE:LINE`` of a question in the file the admin uploaded (not in the YAML it became); for
        JSON, which has no useful line, the file and the result's number and prompt."""
        if self.converted is None:
            return f"{question.path}:{question.line}"
        origin = self.converted.origin_of(question.id)
        if origin is None or not (origin.line or origin.label):
            return question.path
        return f"{question.path}:{origin.line}" if origin.line else f"{question.path}: {origin.label}"

    def without(self, repeats: dict[str, str]) -> PreparedFile:
        """This converted file less the questions in ``repeats`` (id -> where it already is), noted."""
        if self.converted is None:
            raise ValueError("only a converted upload drops questions already on the server")
        notes = [
            f"{self.where(q)}: repeats the question of {repeats[q.id]}"
            for q in self.questions
            if q.id in repeats
        ]
        kept = [
            (q, o)
            for q, o in zip(self.converted.questions, self.converted.origins, strict=True)
            if q["id"] not in repeats
        ]
        smaller = replace(self.converted, questions=[q for q, _ in kept], origins=[o for _, o in kept])
        shown = "; ".join(notes[:3]) + ("; …" if len(notes) > 3 else "")
        warnings = (*self.warnings, f"{len(notes)} question(s) already on this server skipped: {shown}")
        filename = PurePath(self.questions[0].path).name
        return _checked(filename, render(smaller), self.converted_from, warnings, smaller)


def file_name(filename: str) -> str:
    """The name a file is listed, downloaded and removed by: its stem, as lower-case words."""
    return slug(PurePath(filename).stem, 60)


def prepare_upload(filename: str, data: bytes, *, max_bytes: int) -> PreparedFile:
    """Check and convert one uploaded file. Raises :class:`UploadRefused` listing every problem."""
    shown = PurePath(filename).name or "upload"
    if len(data) > max_bytes:
        raise UploadRefused(
            f"{shown} is {len(data):,} bytes, over the {max_bytes:,}-byte limit for an upload; "
            "split it into smaller files"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UploadRefused(
            f"{shown} is not UTF-8 text", [f"{shown}:{line}: file is not UTF-8 text"]
        ) from None
    fmt = _format_of(shown, text)
    if fmt is None:
        return _checked(shown, text, None, ())
    what, convert = CONVERTERS[fmt]
    try:
        converted = convert(PurePath(shown), text)
    except ImportFormatError as exc:
        raise UploadRefused(f"{shown} looks like {what} but cannot be read: {exc}") from None
    keep_valid(converted)
    drop_repeats(converted, {})
    lines = [_located(shown, s) for s in converted.skipped if not s.repeat]
    if lines:
        raise UploadRefused(f"{shown} ({what}) has {len(lines)} question(s) that cannot be used", lines)
    repeats = [_located(shown, s) for s in converted.skipped if s.repeat]
    if repeats:  # as `quizbot import` does: a repeat is not an error, the first one is kept
        shown_repeats = "; ".join(repeats[:3]) + ("; …" if len(repeats) > 3 else "")
        converted.warnings.append(f"{len(repeats)} repeated question(s) skipped: {shown_repeats}")
    converted.topic = converted.topic or file_name(shown)
    return _checked(shown, render(converted), what, tuple(converted.warnings), converted)


def _located(shown: str, skip: Skip) -> str:
    """``FILE:LINE: reason`` with the line in the uploaded file (CSV, Red); JSON names the result."""
    return f"{shown}:{skip.line}: {skip.reason}" if skip.line else f"{shown}: {skip.reason}"


def _format_of(shown: str, text: str) -> str | None:
    """ "csv", "opentdb" or "red" for another format; None for a quizbot question file."""
    suffix = PurePath(shown).suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix == ".json":
        return "opentdb"
    try:
        data = read_yaml(text).data
    except YamlSourceError:
        return None  # reported with its line when checked as a question file
    found = foreign_format(data)
    return found[1] if found else None


def _checked(
    shown: str,
    content: str,
    what: str | None,
    warnings: tuple[str, ...],
    converted: Converted | None = None,
) -> PreparedFile:
    result = parse_bank_file(shown, content.encode("utf-8"))
    if result.errors:
        errors = [str(e) for e in result.errors]
        raise UploadRefused(f"{shown} has {len(errors)} error(s)", errors)
    if not result.questions:
        raise UploadRefused(f"{shown} holds no questions")
    return PreparedFile(file_name(shown), content, result.questions, what, warnings, converted)


def fitting_lines(lines: tuple[str, ...] | list[str], budget: int) -> tuple[list[str], int]:
    """As many whole lines as fit in ``budget`` characters (newlines counted), and how many were left out.

    Chat platforms cap a message (Discord 2,000 characters, a Slack modal error 2,000 too); the full list
    then goes out as an attached file, so an admin with 300 errors still sees every one.
    """
    shown: list[str] = []
    used = 0
    for line in lines:
        if used + len(line) + 1 > budget:
            break
        shown.append(line)
        used += len(line) + 1
    return shown, len(lines) - len(shown)
