"""Loading question banks from YAML files and folders, with errors a bank's author can act on.

Every problem in every file is collected and reported as one line ``PATH:LINE: message`` naming the field,
so an admin fixes a file in one pass instead of one error per run (up to :data:`MAX_ERRORS_PER_FILE` per
file, then a count). A value from the file shown in a message is quoted and escaped like a Python string
(``'a\\nb'``): a message stays one line, a value cannot print a fake ``other.yaml:99:`` line, and terminal
escapes or chat markup in it are shown, never interpreted. Parsed files are cached by the hash of
their content, so reloading an unchanged bank costs a hash per file rather than a YAML parse.
"""

from __future__ import annotations

import functools
import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from rapidfuzz import fuzz, process

from quizbot.domain import TRUE_FALSE_CHOICES, Difficulty, Question, QuestionStatus, QuestionType, Source
from quizbot.invisible import looks_empty, strip_invisible
from quizbot.matching import spellings
from quizbot.schema import (
    FILE_KEYS,
    MAX_CHOICES,
    MIN_CHOICES,
    QUESTION_ADAPTER,
    QUESTION_KEYS,
    QUESTION_TYPES,
    FileDefaults,
    MultipleChoiceSpec,
    ShortAnswerSpec,
    SourceSpec,
    TrueFalseSpec,
)
from quizbot.words import Vocabulary
from quizbot.yaml_source import Path_, YamlDocument, YamlSourceError, read_yaml

DEFAULT_TOPIC = "general"
DEFAULT_DIFFICULTY = Difficulty.MEDIUM
DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024
YAML_SUFFIXES = (".yaml", ".yml")
MAX_ERRORS_PER_FILE = 200
"""Errors listed per file; past this, one line counts the rest (a broken 2 MB file can hold 87,000)."""


@dataclass(frozen=True, slots=True, order=True)
class BankError:
    """One problem in one file, printed as ``PATH:LINE: message``."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{_printable(self.path)}:{self.line}: {_printable(self.message)}"


def quoted(value: object) -> str:
    """A value from a file, for a message: quoted, with line breaks and control characters escaped."""
    return repr(value if isinstance(value, str) else str(value))


def _printable(text: str) -> str:
    """``text`` with any character that is not printable escaped: a last guard for one-line messages."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


class BankLoadError(Exception):
    """Raised when any loaded file has a problem; ``errors`` holds the ones to show, in file and line order.

    ``total`` counts every error, including those left out past :data:`MAX_ERRORS_PER_FILE` in a file.
    """

    def __init__(self, errors: Sequence[BankError], total: int | None = None) -> None:
        self.errors = sorted(errors)
        self.total = len(self.errors) if total is None else total
        super().__init__("\n".join(str(e) for e in self.errors))


@dataclass(frozen=True)
class Bank:
    """The questions currently served, by id, with the filters the engine needs."""

    questions: tuple[Question, ...] = ()
    by_id: dict[str, Question] = field(default_factory=dict)
    held: Counter[str] = field(default_factory=Counter)
    """Valid questions not served, by status: drafts waiting for review and rejected ones."""

    @classmethod
    def of(cls, questions: Iterable[Question], *, serve_drafts: bool = False) -> Bank:
        """The served questions of ``questions``: approved ones, plus drafts when ``serve_drafts``."""
        served = (
            {QuestionStatus.APPROVED, QuestionStatus.DRAFT} if serve_drafts else {QuestionStatus.APPROVED}
        )
        qs = tuple(questions)
        kept = tuple(q for q in qs if q.status in served)
        held = Counter(q.status.value for q in qs if q.status not in served)
        return cls(questions=kept, by_id={q.id: q for q in kept}, held=held)

    def __len__(self) -> int:
        return len(self.questions)

    def get(self, question_id: str) -> Question | None:
        return self.by_id.get(question_id)

    def topics(self) -> list[str]:
        return sorted({q.topic for q in self.questions})

    def eligible(self, topic: str | None = None, difficulty: Difficulty | None = None) -> list[Question]:
        """Questions matching the filters; the topic compares case-insensitively."""
        wanted = topic.casefold() if topic else None
        return [
            q
            for q in self.questions
            if (wanted is None or q.topic.casefold() == wanted)
            and (difficulty is None or q.difficulty == difficulty)
        ]

    @functools.cached_property
    def words(self) -> Vocabulary:
        """The real words answer matching never takes for a typo: English words plus this bank's answers
        and choices ("Kingston" is a typo of nothing when another question's answer is Kingston)."""
        return Vocabulary(
            dict.fromkeys(t for q in self.questions for t in (*q.accepted, *q.choices, *q.reject))
        )

    def summary(self) -> dict[str, Counter[str]]:
        """Counts by type, topic and difficulty, for ``quizbot validate``."""
        return {
            "type": Counter(q.type.value for q in self.questions),
            "topic": Counter(q.topic for q in self.questions),
            "difficulty": Counter(q.difficulty.value for q in self.questions),
        }


@dataclass(frozen=True)
class _FileResult:
    questions: tuple[Question, ...]
    errors: tuple[BankError, ...]
    hidden: int = 0
    """Errors left out past :data:`MAX_ERRORS_PER_FILE`; ``errors`` ends with a line counting them."""


class BankLoader:
    """Loads banks and remembers parsed files by content hash (a reload re-parses only what changed)."""

    def __init__(self, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES, *, serve_drafts: bool = False) -> None:
        self.max_file_bytes = max_file_bytes
        self.serve_drafts = serve_drafts
        """Serve draft questions too (``QUIZBOT_SERVE_DRAFTS=1``), e.g. to try a generated bank out."""
        self._cache: dict[tuple[str, str], _FileResult] = {}

    def load(self, paths: Sequence[Path]) -> Bank:
        """Load every YAML file under ``paths``. Raises :class:`BankLoadError` listing every problem."""
        errors: list[BankError] = []
        questions: list[Question] = []
        files: list[Path] = []
        for path in paths:
            if path.is_dir():
                found = sorted(p for p in path.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file())
                if not found:
                    errors.append(BankError(str(path), 1, "no question files (*.yaml, *.yml) in this folder"))
                files.extend(found)
            elif path.is_file():
                files.append(path)
            else:
                errors.append(BankError(str(path), 1, "no such file or folder"))
        used: dict[tuple[str, str], _FileResult] = {}
        hidden = 0
        for file in dict.fromkeys(files):  # a file named directly and inside a named folder is read once
            key, result = self._load_file(file)
            if key is not None:
                used[key] = result
            errors.extend(result.errors)
            questions.extend(result.questions)
            hidden += result.hidden - 1 if result.hidden else 0  # the counting line is not an error
        self._cache = used  # only what the bank is made of now: the cache never outgrows the bank
        errors.extend(_duplicate_ids(questions))
        if errors:
            raise BankLoadError(errors, len(errors) + hidden)
        return Bank.of(questions, serve_drafts=self.serve_drafts)

    def _load_file(self, file: Path) -> tuple[tuple[str, str] | None, _FileResult]:
        shown = str(file)
        try:
            raw = file.read_bytes()
        except OSError as exc:
            return None, _FileResult((), (BankError(shown, 1, f"cannot read file: {exc.strerror}"),))
        if len(raw) > self.max_file_bytes:
            message = (
                f"file is {len(raw):,} bytes, over the {self.max_file_bytes:,}-byte limit for a question "
                "file; split it into several files"
            )
            return None, _FileResult((), (BankError(shown, 1, message),))
        key = (shown, hashlib.sha256(raw).hexdigest())
        cached = self._cache.get(key)
        if cached is None:
            cached = parse_bank_file(shown, raw)
        return key, cached


def load_bank(
    paths: Sequence[Path], max_file_bytes: int = DEFAULT_MAX_FILE_BYTES, *, serve_drafts: bool = False
) -> Bank:
    """Load a bank once, without a cache; see :class:`BankLoader`."""
    return BankLoader(max_file_bytes, serve_drafts=serve_drafts).load(paths)


def parse_bank_file(shown: str, raw: bytes) -> _FileResult:
    """Validate one file's bytes into questions, collecting every error with its line."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return _FileResult((), (BankError(shown, line, "file is not UTF-8 text"),))
    try:
        doc = read_yaml(text)
    except YamlSourceError as exc:
        return _FileResult((), (BankError(shown, exc.line, exc.message),))
    return _capped(shown, _FileParser(shown, doc).parse())


def question_errors(shown: str, text: str) -> dict[int, list[str]]:
    """Every error the loader finds in each question of a file, by the question's index, none left out.

    The importers run this on what they are about to write, so a question the loader would refuse (two
    choices a player cannot tell apart, text that is blank once invisible characters are removed) is
    skipped with the loader's own reason instead of failing the whole file. Messages lose their
    ``question 'ID':`` prefix: the importer names the question by where it came from.
    """
    try:
        doc = read_yaml(text)
    except YamlSourceError:
        return {}  # not per question; the final load of the written files reports it
    parser = _FileParser(shown, doc, max_errors=None)
    parser.parse()
    found: dict[int, list[str]] = {}
    data = doc.data if isinstance(doc.data, dict) else {}
    items = data.get("questions") if isinstance(data.get("questions"), list) else []
    for index, messages in parser.by_question.items():
        item = items[index] if index < len(items) else None
        qid = item.get("id") if isinstance(item, dict) else None
        prefixes = (f"question {quoted(qid)}: ", f"question #{index + 1}: ")
        found[index] = [next((m[len(p) :] for p in prefixes if m.startswith(p)), m) for m in messages]
    return found


def _capped(shown: str, result: _FileResult) -> _FileResult:
    """At most :data:`MAX_ERRORS_PER_FILE` errors, then one line counting the rest.

    Printing 87,000 lines of a broken (or generated, or hostile) file takes seconds and buries the first
    error, which is usually the cause of the others.
    """
    if len(result.errors) <= MAX_ERRORS_PER_FILE and not result.hidden:
        return result
    ordered = sorted(result.errors)
    kept = ordered[:MAX_ERRORS_PER_FILE]
    rest = len(ordered) - len(kept) + result.hidden
    line = ordered[len(kept)].line if len(ordered) > len(kept) else kept[-1].line
    summary = BankError(shown, line, f"… and {rest:,} more errors in {shown}")
    return _FileResult(result.questions, (*kept, summary), rest)


class _FileParser:
    """Checks one composed document against the schema and turns it into :class:`Question` objects."""

    def __init__(self, shown: str, doc: YamlDocument, max_errors: int | None = MAX_ERRORS_PER_FILE) -> None:
        self.shown = shown
        self.doc = doc
        self.max_errors = max_errors
        self.errors: list[BankError] = []
        self.current: int | None = None
        """The index of the question being checked, so each error is also filed under its question."""
        self.by_question: dict[int, list[str]] = {}
        self.unexplained = 0
        """Schema errors past :data:`MAX_ERRORS_PER_FILE`, counted but not worded."""

    def error(self, path: Path_, message: str, *, key_line: bool = False) -> None:
        line = self.doc.key_lines.get(path) if key_line else None
        self.errors.append(BankError(self.shown, line or self.doc.line_of(path), message))
        if self.current is not None:
            self.by_question.setdefault(self.current, []).append(message)

    def parse(self) -> _FileResult:
        data = self.doc.data
        foreign = foreign_format(data)
        if foreign is not None:  # one line instead of an "unknown key" error per trivia question
            name, fmt = foreign
            self.error(
                (), f"this looks like {name}; convert it with: quizbot import {fmt} {self.shown} --out DIR"
            )
            return self.result([])
        if not isinstance(data, dict):
            self.error((), "a question file must be a mapping with a 'questions' list")
            return self.result([])
        for path, line in self.doc.duplicate_keys:
            self.errors.append(
                BankError(self.shown, line, f"key {quoted(path[-1])} appears twice in one mapping")
            )
        for key in data:
            if key not in FILE_KEYS:
                self.error((key,), _unknown_key(key, FILE_KEYS, "file"), key_line=True)
        defaults = self.defaults({k: v for k, v in data.items() if k in FILE_KEYS and k != "questions"})
        items = data.get("questions")
        if items is None:
            self.error((), "field 'questions' is missing: list the questions under 'questions:'")
            return self.result([])
        if not isinstance(items, list) or not items:
            self.error(("questions",), "field 'questions' must be a non-empty list of questions")
            return self.result([])
        questions = [q for i, item in enumerate(items) if (q := self.question(i, item, defaults)) is not None]
        return self.result(questions)

    def result(self, questions: list[Question]) -> _FileResult:
        return _FileResult(tuple(questions), tuple(self.errors), self.unexplained)

    def defaults(self, values: dict[str, Any]) -> FileDefaults:
        try:
            return FileDefaults.model_validate(values)
        except ValidationError as exc:
            for err in exc.errors():
                self.report(err, (), None)
            return FileDefaults()

    def question(self, index: int, item: Any, defaults: FileDefaults) -> Question | None:
        self.current = index
        try:
            return self._question(index, item, defaults)
        finally:
            self.current = None

    def _question(self, index: int, item: Any, defaults: FileDefaults) -> Question | None:
        base: Path_ = ("questions", index)
        qid = item.get("id") if isinstance(item, dict) else None
        label = f"question {quoted(qid)}" if isinstance(qid, str) and qid else f"question #{index + 1}"
        if not isinstance(item, dict):
            self.error(base, f"{label}: each question must be a mapping of keys like id, type, prompt")
            return None
        try:
            spec = QUESTION_ADAPTER.validate_python(item)
        except ValidationError as exc:
            for err in exc.errors():
                self.report(err, base, label, item.get("type"))
            return None
        before = len(self.errors)
        question = self.build(spec, base, label, defaults)
        return question if len(self.errors) == before else None

    def report(self, err: Any, base: Path_, label: str | None, qtype: object = None) -> None:
        if (
            self.max_errors is not None and len(self.errors) >= self.max_errors
        ):  # only counted from here on: nobody reads them
            self.unexplained += 1
            return
        loc = tuple(err["loc"])
        if loc and loc[0] in QUESTION_TYPES:
            loc = loc[1:]  # the discriminated union puts the type's tag first
        path = (*base, *loc)
        prefix = f"{label}: " if label else ""
        message, key_line = _explain(err, loc, self.doc.written_as.get(path), qtype)
        self.error(path, prefix + message, key_line=key_line)

    def build(
        self,
        spec: MultipleChoiceSpec | TrueFalseSpec | ShortAnswerSpec,
        base: Path_,
        label: str,
        defaults: FileDefaults,
    ) -> Question | None:
        self.refuse_invisible(spec, base, label)
        if isinstance(spec, MultipleChoiceSpec):
            choices = tuple(spec.choices)
            seen: dict[str, int] = {}
            for i, choice in enumerate(choices):
                # "C", "C++" and "C#" are three choices; "Alpha" and "Al\u200bpha" look like one
                folded = " ".join(_visible(choice).casefold().split())
                if folded in seen:
                    self.error(
                        (*base, "choices", i),
                        f"{label}: field 'choices' lists {quoted(choice)} twice "
                        f"(also choice {seen[folded] + 1})",
                    )
                seen.setdefault(folded, i)
            if spec.answer not in choices:
                hint = _suggest(spec.answer, choices)
                self.error(
                    (*base, "answer"),
                    f"{label}: field 'answer' {quoted(spec.answer)} is not one of the choices{hint}",
                )
                return None
            correct: int | None = choices.index(spec.answer)
            accepted: tuple[str, ...] = (spec.answer,)
            qtype = QuestionType.MULTIPLE_CHOICE
            shuffle = spec.shuffle if spec.shuffle is not None else defaults.shuffle is not False
        elif isinstance(spec, TrueFalseSpec):
            written = self.doc.written_as.get((*base, "answer"), ("", "true"))[1]
            if written.lower() not in ("true", "false"):
                self.error(
                    (*base, "answer"), f"{label}: field 'answer' must be true or false, not {quoted(written)}"
                )
                return None
            choices = TRUE_FALSE_CHOICES
            correct = 0 if spec.answer else 1
            accepted = (choices[correct],)
            qtype = QuestionType.TRUE_FALSE
            shuffle = False  # True, False in that order, always
        else:
            choices, correct, accepted = (), None, tuple(spec.answers)
            qtype = QuestionType.SHORT_ANSWER
            written = self.doc.written_as.get((*base, "typos"), ("", "true"))[1]
            if written.lower() not in ("true", "false"):
                self.error((*base, "typos"), f"{label}: field 'typos' must be true or false, not '{written}'")
                return None
            for i, near_miss in enumerate(spec.reject or ()):
                also = next((a for a in accepted if spellings(a) & spellings(near_miss)), None)
                if also is not None:  # the same answer in another form: it cannot be both right and wrong
                    self.error(
                        (*base, "reject", i),
                        f"{label}: field 'reject' lists '{near_miss}', which is the accepted answer '{also}'",
                    )
            shuffle = False
        source: SourceSpec | None = spec.source or defaults.source
        return Question(
            id=spec.id,
            type=qtype,
            prompt=spec.prompt,
            choices=choices,
            correct_index=correct,
            accepted=accepted,
            explanation=spec.explanation or "",
            difficulty=Difficulty(spec.difficulty or defaults.difficulty or DEFAULT_DIFFICULTY),
            topic=spec.topic or defaults.topic or DEFAULT_TOPIC,
            tags=tuple(spec.tags if spec.tags is not None else defaults.tags or ()),
            source=Source(source.document, source.section) if source else None,
            image=spec.image,
            path=self.shown,
            line=self.doc.line_of(base),
            reject=tuple(spec.reject or ()) if isinstance(spec, ShortAnswerSpec) else (),
            typos=spec.typos if isinstance(spec, ShortAnswerSpec) else True,
            shuffle=shuffle,
            status=QuestionStatus(spec.status or QuestionStatus.APPROVED),
        )

    def refuse_invisible(
        self, spec: MultipleChoiceSpec | TrueFalseSpec | ShortAnswerSpec, base: Path_, label: str
    ) -> None:
        """Text a player would see as blank (zero-width spaces, a BOM, NUL, bidi controls) is an error."""
        texts: list[tuple[Path_, str]] = [(("prompt",), spec.prompt)]
        if spec.explanation is not None:
            texts.append((("explanation",), spec.explanation))
        if isinstance(spec, MultipleChoiceSpec):
            texts += [(("choices", i), c) for i, c in enumerate(spec.choices)]
            texts.append((("answer",), spec.answer))
        elif isinstance(spec, ShortAnswerSpec):
            texts += [(("answers", i), a) for i, a in enumerate(spec.answers)]
        for loc, text in texts:
            if _blank(text):
                self.error(
                    (*base, *loc),
                    f"{label}: field '{_field_name(loc)}' is empty once invisible characters are removed "
                    f"({quoted(text)})",
                )


def _visible(text: str) -> str:
    """``text`` without invisible characters; plain ASCII (nearly every value) has none to look for."""
    return text if text.isascii() and text.isprintable() else strip_invisible(text)


def _blank(text: str) -> bool:
    """True when a reader would see nothing; the ASCII check spares a 10,000-question bank a char loop."""
    return not text.strip() if text.isascii() and text.isprintable() else looks_empty(text)


def foreign_format(data: Any) -> tuple[str, str] | None:
    """(what it is, the import format) when a file is another bot's trivia format rather than a bank."""
    from quizbot.importers.opentdb import looks_like_opentdb
    from quizbot.importers.red import looks_like_red

    if looks_like_opentdb(data):
        return "an Open Trivia DB dump", "opentdb"
    if looks_like_red(data):
        return "a Red-DiscordBot trivia list", "red"
    return None


def _field_name(loc: tuple[Any, ...]) -> str:
    name = ""
    for part in loc:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "question"


def _unknown_key(key: str, allowed: Iterable[str], where: str) -> str:
    hint = _suggest(key, sorted(allowed))
    return f"unknown key {quoted(key)} in the {where}{hint}"


def _suggest(given: str, options: Sequence[str]) -> str:
    best = process.extractOne(str(given), list(options), scorer=fuzz.ratio, score_cutoff=50)
    return f" (did you mean {quoted(best[0])}?)" if best else ""


_KEYS_BY_TYPE: dict[str, frozenset[str]] = {
    spec.model_fields["type"].annotation.__args__[0]: frozenset(spec.model_fields)  # type: ignore[union-attr]
    for spec in (MultipleChoiceSpec, TrueFalseSpec, ShortAnswerSpec)
}
_ANSWER_KEY = {"multiple_choice": "answer", "true_false": "answer", "short_answer": "answers"}


def _misplaced_key(key: str, qtype: object) -> str | None:
    """For a key that exists, but for another question type: say which type it belongs to."""
    if not isinstance(qtype, str) or qtype not in _KEYS_BY_TYPE or key not in QUESTION_KEYS:
        return None
    owners = [t for t, keys in _KEYS_BY_TYPE.items() if key in keys]
    hint = f"; a {qtype} question uses '{_ANSWER_KEY[qtype]}'" if key in _ANSWER_KEY.values() else ""
    return f"key '{key}' is for {' and '.join(owners)} questions, not {qtype}{hint}"


def _explain(
    err: Any, loc: tuple[Any, ...], written: tuple[str, str] | None, qtype: object = None
) -> tuple[str, bool]:
    """A sentence for one pydantic error, written for the file's author; and whether to point at the key."""
    kind, name = err["type"], _field_name(loc)
    field_ = f"field '{name}'"
    if kind == "extra_forbidden":
        if len(loc) == 1 and (misplaced := _misplaced_key(str(loc[0]), qtype)):
            return misplaced, True
        allowed = _KEYS_BY_TYPE.get(qtype, QUESTION_KEYS) if isinstance(qtype, str) else QUESTION_KEYS
        allowed = allowed if len(loc) == 1 else FILE_KEYS if not loc else SourceSpec.model_fields
        return _unknown_key(str(loc[-1]), allowed, "question" if len(loc) == 1 else "mapping"), True
    if kind == "missing":
        return f"{field_} is missing", False
    if kind == "union_tag_not_found":
        return "field 'type' is missing (multiple_choice, true_false or short_answer)", False
    if kind == "union_tag_invalid":
        tag = err.get("ctx", {}).get("tag", "")
        return f"field 'type' is {quoted(tag)}, expected one of {', '.join(QUESTION_TYPES)}" + _suggest(
            tag, QUESTION_TYPES
        ), False
    if written is not None and kind in ("string_type", "bool_type", "list_type"):
        what, text = written
        if what.startswith("empty"):
            return f"{field_} is empty", False
        if kind == "bool_type":
            return f"{field_} must be true or false, not {what} ({quoted(text)})", False
        return (
            f"{field_} must be text, but the unquoted value {text} was read as {what}; put it in quotes",
            False,
        )
    if kind == "bool_type":
        return f"{field_} must be true or false (unquoted), not {err['input']!r}", False
    if kind == "string_too_short":
        return f"{field_} is empty", False
    if kind == "too_short" and loc == ("answers",):
        return "field 'answers' needs at least one accepted answer", False
    if kind in ("too_short", "too_long") and loc and loc[-1] == "choices":
        count = len(err["input"]) if isinstance(err.get("input"), list) else "?"
        return f"{field_} needs {MIN_CHOICES} to {MAX_CHOICES} choices, has {count}", False
    if kind == "string_pattern_mismatch" and loc == ("id",):
        return (
            f"field 'id' {quoted(err['input'])} must be lowercase letters, digits, '.', '_' or '-' "
            "(at most 80 characters, starting with a letter or digit)"
        ), False
    if kind == "literal_error" and loc and loc[-1] == "difficulty":
        return f"field 'difficulty' is {quoted(err['input'])}, expected easy, medium or hard", False
    if kind == "string_too_long":
        return f"{field_} is too long ({err['ctx']['max_length']} characters at most)", False
    return f"{field_}: {err['msg']}", False


def _duplicate_ids(questions: Sequence[Question]) -> list[BankError]:
    first: dict[str, Question] = {}
    errors: list[BankError] = []
    for q in questions:
        if q.id in first:
            other = first[q.id]
            errors.append(
                BankError(
                    q.path,
                    q.line,
                    f"duplicate id {quoted(q.id)} (first defined at {other.path}:{other.line})",
                )
            )
        else:
            first[q.id] = q
    return errors
