"""Red-DiscordBot trivia lists: a YAML mapping of question -> list of accepted answers.

Reserved keys are ``AUTHOR``, ``DESCRIPTION``, ``CONFIG`` and ``$schema``; every other key is a question and
its value the accepted answers, the first being the one Red reveals. Red reads them as YAML 1.1, so an
answer written ``07`` becomes 7 and ``yes`` becomes True: here each answer keeps the text as written.
About one question in six is an image link inside the prompt; it becomes the question's ``image``.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from quizbot.importers.model import (
    MAX_PROMPT,
    Converted,
    ImportFormatError,
    Origin,
    Skip,
    split_image,
    stable_id,
)
from quizbot.yaml_source import YamlSourceError, read_yaml

RESERVED = frozenset({"AUTHOR", "DESCRIPTION", "CONFIG", "$schema"})
CONFIG_KEYS = {
    "max_score": "a game here is one question at a time, with no score limit",
    "timeout": "questions stay open until answered or closed",
    "delay": "questions stay open until answered or closed",
    "bot_plays": "the bot never plays",
    "reveal_answer": "the answer is always revealed after an answer",
    "use_spoilers": "answers are shown only to whoever answered",
    "payout_multiplier": "there is no currency; points come from difficulty",
}
"""Red's CONFIG keys, none of which has an equivalent here, with what quizbot does instead."""


def looks_like_red(data: Any) -> bool:
    """A mapping without ``questions`` whose values are mostly answer lists, or with Red's reserved keys."""
    if not isinstance(data, dict) or "questions" in data or not data:
        return False
    if RESERVED & set(data) - {"$schema"}:
        return True
    values = [v for k, v in data.items() if k not in RESERVED]
    return bool(values) and sum(isinstance(v, list) for v in values) * 2 > len(values)


def convert(path: PurePath, text: str) -> Converted:
    """Convert one list; the list's file name is its name, its topic and the prefix of every id."""
    name = path.stem
    try:
        doc = read_yaml(text)
    except YamlSourceError as exc:
        raise ImportFormatError(f"line {exc.line}: {exc.message}") from None
    data = doc.data
    if not isinstance(data, dict):
        raise ImportFormatError("a Red trivia list is a mapping of questions to answer lists")
    author = data.get("AUTHOR")
    header = [f"Imported from the Red-DiscordBot trivia list '{name}'."]
    if isinstance(author, str) and author.strip():
        header.append(f"Author: {author.strip()}")
    out = Converted(source=str(path), name=name, header=header, topic=name)
    config = data.get("CONFIG")
    if isinstance(config, dict):
        for key in config:
            meaning = CONFIG_KEYS.get(key, "quizbot has no such setting")
            out.warnings.append(f"CONFIG key '{key}' has no equivalent and is ignored: {meaning}")
    for path_, line in doc.duplicate_keys:
        if len(path_) == 1 and path_[0] not in RESERVED:
            out.warnings.append(
                f"line {line}: question {_quote(str(path_[0]))} is given twice; the later answers are kept"
            )
    http_images = 0
    for key, value in data.items():
        if key in RESERVED:
            continue
        line = doc.key_lines.get((key,), 1)
        prompt_text = str(key).strip()
        answers = _answers(doc, key, value)
        if not prompt_text:
            out.skipped.append(Skip(line, "the question is empty"))
            continue
        if not answers:
            out.skipped.append(Skip(line, f"question {_quote(prompt_text)} has no answers"))
            continue
        prompt, image = split_image(prompt_text)
        if len(prompt) > MAX_PROMPT:
            out.skipped.append(Skip(line, f"question is {len(prompt)} characters, over {MAX_PROMPT}"))
            continue
        question: dict[str, Any] = {
            "id": stable_id(name, prompt_text),
            "type": "short_answer",
            "prompt": prompt,
            "answers": answers,
        }
        if image:
            if image.lower().startswith("http://"):
                image = "https://" + image[len("http://") :]
                http_images += 1
            question["image"] = image
        out.add(question, Origin(line, f"question {_quote(prompt_text)}"))
    if http_images:
        out.warnings.append(f"{http_images} image link(s) changed from http:// to https://")
    return out


def _answers(doc: Any, key: str, value: Any) -> list[str]:
    """The accepted answers as written, in order, without blanks or repeats."""
    if not isinstance(value, list):
        value = [value]
    answers: list[str] = []
    for index, item in enumerate(value):
        written = doc.written_as.get((key, index))
        text = written[1] if written else item
        if isinstance(text, str | int | float) and not isinstance(text, bool):
            cleaned = str(text).strip()
            if cleaned and cleaned not in answers:
                answers.append(cleaned[:2000])
    return answers


def _quote(text: str, limit: int = 60) -> str:
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    return repr(shown)
