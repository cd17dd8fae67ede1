"""Open Trivia DB dumps: ``{"response_code": 0, "results": [{type, difficulty, category, question, ...}]}``.

The API offers three encodings: HTML entities (the default), ``url3986`` (percent-encoding) and
``base64``; each string field is decoded accordingly, then trimmed. The data is licensed CC BY-SA 4.0, so
every output file says where it came from and under which licence.
"""

from __future__ import annotations

import base64
import binascii
import html
import json
import re
from pathlib import PurePath
from typing import Any
from urllib.parse import unquote

from quizbot.importers.model import (
    MAX_CHOICE,
    MAX_PROMPT,
    Converted,
    ImportFormatError,
    Origin,
    Skip,
    short,
    spread_index,
    stable_id,
)

ATTRIBUTION = "Questions from Open Trivia DB (opentdb.com), licensed CC BY-SA 4.0."
RESPONSE_CODES = {
    1: "no results (the query asked for more questions than the category has)",
    2: "invalid parameter",
    3: "token not found",
    4: "token empty (every question was already served)",
    5: "rate limit",
}
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
_FIELDS = ("type", "difficulty", "category", "question", "correct_answer")


def looks_like_opentdb(data: Any) -> bool:
    """An API response, or a bare list of its results (as some scripts save them)."""
    if isinstance(data, list):
        return bool(data) and all(
            isinstance(r, dict) and "question" in r and "correct_answer" in r for r in data[:20]
        )
    return isinstance(data, dict) and "results" in data and "response_code" in data


def convert(path: PurePath, text: str) -> Converted:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFormatError(f"line {exc.lineno}: not valid JSON: {exc.msg}") from None
    if isinstance(data, dict):
        code = data.get("response_code", 0)
        if code in RESPONSE_CODES:
            raise ImportFormatError(f"the dump holds an error response {code}: {RESPONSE_CODES[code]}")
        results = data.get("results")
    else:
        results = data
    if not isinstance(results, list):
        raise ImportFormatError("an Open Trivia DB dump has a 'results' list")
    decode = _decoder(results)
    out = Converted(source=str(path), name=path.stem, header=[ATTRIBUTION], topic=None)
    seen: dict[str, int] = {}
    for number, item in enumerate(results, 1):
        where = f"result #{number}"
        if not isinstance(item, dict):
            out.skipped.append(Skip(None, f"{where} is not an object"))
            continue
        try:
            fields = {k: decode(item[k]).strip() for k in _FIELDS}
            wrong = [decode(w).strip() for w in item.get("incorrect_answers") or []]
        except (KeyError, TypeError, AttributeError):
            missing = [k for k in _FIELDS if not isinstance(item.get(k), str)]
            out.skipped.append(Skip(None, f"{where} lacks text fields: {', '.join(missing) or 'answers'}"))
            continue
        except ValueError as exc:
            out.skipped.append(Skip(None, f"{where} cannot be decoded: {exc}"))
            continue
        prompt = fields["question"]
        if prompt:
            where = f"{where} ({short(prompt)})"
        question = _question(fields, wrong)
        if isinstance(question, str):
            out.skipped.append(Skip(None, f"{where}: {question}"))
            continue
        if prompt in seen:
            out.skipped.append(Skip(None, f"{where} repeats the question of result #{seen[prompt]}", True))
            continue
        seen[prompt] = number
        out.add(question, Origin(None, where))
    return out


def _question(fields: dict[str, str], wrong: list[str]) -> dict[str, Any] | str:
    """The question in quizbot's form, or why it cannot be one."""
    prompt, correct = fields["question"], fields["correct_answer"]
    if not prompt or not correct:
        return "has an empty question or answer"
    if len(prompt) > MAX_PROMPT:
        return f"the question is over {MAX_PROMPT} characters"
    base: dict[str, Any] = {"id": stable_id("opentdb", prompt, correct), "prompt": prompt}
    if fields["difficulty"] in ("easy", "medium", "hard"):
        base["difficulty"] = fields["difficulty"]
    if fields["category"]:
        base["topic"] = fields["category"]
    if fields["type"] == "boolean":
        if correct.lower() not in ("true", "false"):
            return f"a true/false answer of {correct!r}"
        return {**base, "type": "true_false", "answer": correct.lower() == "true"}
    if fields["type"] != "multiple":
        return f"unknown type {fields['type']!r}"
    choices = [w for w in wrong if w]
    if correct in choices or len(set(choices)) != len(choices) or not choices:
        return "the choices repeat one another or are missing"
    if any(len(c) > MAX_CHOICE for c in [correct, *choices]):
        return f"a choice is over {MAX_CHOICE} characters"
    choices = choices[:4]
    choices.insert(spread_index(prompt, len(choices) + 1), correct)
    return {**base, "type": "multiple_choice", "choices": choices, "answer": correct}


def _decoder(results: list[Any]) -> Any:
    """Pick the dump's encoding: ``type`` is a plain word in every encoding but base64, and url3986 text
    has no spaces."""
    types = [r.get("type") for r in results if isinstance(r, dict) and isinstance(r.get("type"), str)]
    if types and all(t not in ("multiple", "boolean") for t in types):
        return _from_base64
    texts = [r.get("question") for r in results if isinstance(r, dict) and isinstance(r.get("question"), str)]
    if texts and all(" " not in t for t in texts) and any(_PERCENT.search(t) for t in texts):
        return unquote
    return html.unescape


def _from_base64(value: str) -> str:
    try:
        return base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise ValueError(f"not base64 text ({exc})") from None
