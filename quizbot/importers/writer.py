"""Writing converted questions as a quizbot question file, and checking each against the bank schema."""

from __future__ import annotations

from typing import Any

import yaml
from pydantic import ValidationError

from quizbot.importers.model import Converted, Skip
from quizbot.schema import QUESTION_ADAPTER

try:  # libyaml's emitter is several times faster on a 14,000-question import
    from yaml import CSafeDumper as _Dumper
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]


def keep_valid(converted: Converted) -> None:
    """Move every question the bank schema would refuse into ``skipped``, with the schema's reason."""
    kept: list[dict[str, Any]] = []
    for question in converted.questions:
        try:
            QUESTION_ADAPTER.validate_python(question)
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first["loc"][1:]) or "question"
            prompt = str(question.get("prompt", ""))[:50]
            converted.skipped.append(Skip(None, f"{prompt!r}: {field}: {first['msg']}"))
            continue
        kept.append(question)
    converted.questions = kept


def render(converted: Converted) -> str:
    """The YAML text of one output file: header comments, the file's topic, then the questions."""
    body: dict[str, Any] = {}
    if converted.topic:
        body["topic"] = converted.topic
    body["questions"] = converted.questions
    comments = "".join(f"# {line}\n" for line in converted.header)
    dumped = yaml.dump(body, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110)
    return comments + dumped
