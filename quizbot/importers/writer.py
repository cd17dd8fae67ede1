"""Writing converted questions as a quizbot question file, checking each as the loader does, and repeats."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from quizbot.bank import question_errors
from quizbot.importers.model import Converted, Origin, Skip

try:  # libyaml's emitter is several times faster on a 14,000-question import
    from yaml import CSafeDumper as _Dumper
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]


def keep_valid(converted: Converted) -> str:
    """Move every question the bank loader would refuse into ``skipped``, with the loader's reason.

    The questions are rendered and checked exactly as ``quizbot validate`` checks a file (the schema and
    the loader's own rules, such as two choices that differ only in case), so one bad question is
    skipped instead of making the whole file fail. Returns the file's text, to write as it is when no
    other question is dropped (rendering 5,000 questions is a third of an import).
    """
    text = render(converted)
    if not converted.questions:
        return text
    errors = question_errors(converted.source, text)
    if not errors:
        return text
    converted.keep(
        {
            i: Skip(converted.origins[i].line, converted.origins[i].says("; ".join(messages)))
            for i, messages in errors.items()
            if i < len(converted.questions)
        }
    )
    return render(converted)


@dataclass(frozen=True, slots=True)
class Seen:
    """A question id already taken: in which file, where in it, and its prompt."""

    source: str
    origin: Origin
    prompt: str

    def place(self, source: str) -> str:
        """Where it is, as seen from ``source``: "line 2" in the same file, "d1.json:2" in another."""
        if source == self.source:
            return (
                f"line {self.origin.line}" if self.origin.line else self.origin.label or "an earlier question"
            )
        if self.origin.line:
            return f"{self.source}:{self.origin.line}"
        return f"{self.source} {self.origin.label}" if self.origin.label else self.source


def drop_repeats(converted: Converted, seen: dict[str, Seen]) -> None:
    """Skip every question whose id is already in ``seen``; ``seen`` then holds this file's ids too.

    Ids follow the content, so the same question in two overlapping Open Trivia DB downloads, or twice
    in one sheet, has one id: the later one is a repeat, reported and skipped. A different question under
    a used id (a sheet's own ``id`` column) is skipped too, naming the place that already uses it.
    """
    drop: dict[int, Skip] = {}
    for i, (question, origin) in enumerate(zip(converted.questions, converted.origins, strict=True)):
        qid, prompt = str(question.get("id")), str(question.get("prompt"))
        first = seen.get(qid)
        if first is None:
            seen[qid] = Seen(converted.source, origin, prompt)
        elif first.prompt == prompt:
            reason = f"repeats the question of {first.place(converted.source)}"
            drop[i] = Skip(origin.line, origin.says(reason), repeat=True)
        else:
            reason = f"its id {qid!r} is already used by {first.place(converted.source)}"
            drop[i] = Skip(origin.line, origin.says(reason))
    converted.keep(drop)


def render(converted: Converted) -> str:
    """The YAML text of one output file: header comments, the file's topic, then the questions."""
    body: dict[str, Any] = {}
    if converted.topic:
        body["topic"] = converted.topic
    body["questions"] = converted.questions
    comments = "".join(f"# {line}\n" for line in converted.header)
    dumped = yaml.dump(body, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110)
    return comments + dumped
