"""Loading question banks from YAML files and folders, with errors a bank's author can act on.

Every problem in every file is collected and reported as one line ``PATH:LINE: message`` naming the field,
so an admin fixes a file in one pass instead of one error per run. Parsed files are cached by the hash of
their content, so reloading an unchanged bank costs a hash per file rather than a YAML parse.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from rapidfuzz import fuzz, process

from quizbot.domain import TRUE_FALSE_CHOICES, Difficulty, Question, QuestionStatus, QuestionType, Source
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
from quizbot.yaml_source import Path_, YamlDocument, YamlSourceError, read_yaml

DEFAULT_TOPIC = "general"
DEFAULT_DIFFICULTY = Difficulty.MEDIUM
DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True, order=True)
class BankError:
    """One problem in one file, printed as ``PATH:LINE: message``."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class BankLoadError(Exception):
    """Raised when any loaded file has a problem; ``errors`` holds all of them, in file and line order."""

    def __init__(self, errors: Sequence[BankError]) -> None:
        self.errors = sorted(errors)
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
        for file in dict.fromkeys(files):  # a file named directly and inside a named folder is read once
            key, result = self._load_file(file)
            if key is not None:
                used[key] = result
            errors.extend(result.errors)
            questions.extend(result.questions)
        self._cache = used  # only what the bank is made of now: the cache never outgrows the bank
        errors.extend(_duplicate_ids(questions))
        if errors:
            raise BankLoadError(errors)
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
    return _FileParser(shown, doc).parse()


class _FileParser:
    """Checks one composed document against the schema and turns it into :class:`Question` objects."""

    def __init__(self, shown: str, doc: YamlDocument) -> None:
        self.shown = shown
        self.doc = doc
        self.errors: list[BankError] = []

    def error(self, path: Path_, message: str, *, key_line: bool = False) -> None:
        line = self.doc.key_lines.get(path) if key_line else None
        self.errors.append(BankError(self.shown, line or self.doc.line_of(path), message))

    def parse(self) -> _FileResult:
        data = self.doc.data
        for path, line in self.doc.duplicate_keys:
            self.errors.append(BankError(self.shown, line, f"key '{path[-1]}' appears twice in one mapping"))
        if not isinstance(data, dict):
            self.error((), "a question file must be a mapping with a 'questions' list")
            return self.result([])
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
        return _FileResult(tuple(questions), tuple(self.errors))

    def defaults(self, values: dict[str, Any]) -> FileDefaults:
        try:
            return FileDefaults.model_validate(values)
        except ValidationError as exc:
            for err in exc.errors():
                self.report(err, (), None)
            return FileDefaults()

    def question(self, index: int, item: Any, defaults: FileDefaults) -> Question | None:
        base: Path_ = ("questions", index)
        qid = item.get("id") if isinstance(item, dict) else None
        label = f"question '{qid}'" if isinstance(qid, str) and qid else f"question #{index + 1}"
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
        if isinstance(spec, MultipleChoiceSpec):
            choices = tuple(spec.choices)
            seen: dict[str, int] = {}
            for i, choice in enumerate(choices):
                folded = " ".join(choice.casefold().split())  # "C", "C++" and "C#" are three choices
                if folded in seen:
                    self.error(
                        (*base, "choices", i),
                        f"{label}: field 'choices' lists '{choice}' twice (also choice {seen[folded] + 1})",
                    )
                seen.setdefault(folded, i)
            if spec.answer not in choices:
                hint = _suggest(spec.answer, choices)
                self.error(
                    (*base, "answer"),
                    f"{label}: field 'answer' '{spec.answer}' is not one of the choices{hint}",
                )
                return None
            correct: int | None = choices.index(spec.answer)
            accepted: tuple[str, ...] = (spec.answer,)
            qtype = QuestionType.MULTIPLE_CHOICE
        elif isinstance(spec, TrueFalseSpec):
            written = self.doc.written_as.get((*base, "answer"), ("", "true"))[1]
            if written.lower() not in ("true", "false"):
                self.error(
                    (*base, "answer"), f"{label}: field 'answer' must be true or false, not '{written}'"
                )
                return None
            choices = TRUE_FALSE_CHOICES
            correct = 0 if spec.answer else 1
            accepted = (choices[correct],)
            qtype = QuestionType.TRUE_FALSE
        else:
            choices, correct, accepted = (), None, tuple(spec.answers)
            qtype = QuestionType.SHORT_ANSWER
        source: SourceSpec | None = spec.source or defaults.source
        return Question(
            id=spec.id,
            type=qtype,
            prompt=spec.prompt,
            choices=choices,
            correct_index=correct,
            accepted=accepted,
            explanation=spec.explanation,
            difficulty=Difficulty(spec.difficulty or defaults.difficulty or DEFAULT_DIFFICULTY),
            topic=spec.topic or defaults.topic or DEFAULT_TOPIC,
            tags=tuple(spec.tags if spec.tags is not None else defaults.tags or ()),
            source=Source(source.document, source.section) if source else None,
            path=self.shown,
            line=self.doc.line_of(base),
            status=QuestionStatus(spec.status or QuestionStatus.APPROVED),
        )


def _field_name(loc: tuple[Any, ...]) -> str:
    name = ""
    for part in loc:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "question"


def _unknown_key(key: str, allowed: Iterable[str], where: str) -> str:
    hint = _suggest(key, sorted(allowed))
    return f"unknown key '{key}' in the {where}{hint}"


def _suggest(given: str, options: Sequence[str]) -> str:
    best = process.extractOne(str(given), list(options), scorer=fuzz.ratio, score_cutoff=50)
    return f" (did you mean '{best[0]}'?)" if best else ""


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
        return f"field 'type' is '{tag}', expected one of {', '.join(QUESTION_TYPES)}" + _suggest(
            tag, QUESTION_TYPES
        ), False
    if written is not None and kind in ("string_type", "bool_type", "list_type"):
        what, text = written
        if what.startswith("empty"):
            return f"{field_} is empty", False
        if kind == "bool_type":
            return f"{field_} must be true or false, not {what} ('{text}')", False
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
            f"field 'id' '{err['input']}' must be lowercase letters, digits, '.', '_' or '-' "
            "(at most 80 characters, starting with a letter or digit)"
        ), False
    if kind == "literal_error" and loc and loc[-1] == "difficulty":
        return f"field 'difficulty' is '{err['input']}', expected easy, medium or hard", False
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
                    q.path, q.line, f"duplicate id '{q.id}' (first defined at {other.path}:{other.line})"
                )
            )
        else:
            first[q.id] = q
    return errors
