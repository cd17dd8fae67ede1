"""What every importer produces: quizbot questions as plain data, plus what was skipped and why.

An importer never writes a file and never prints: it turns one source file into a :class:`Converted` list,
and :mod:`quizbot.importers.command` writes, validates and reports. Keeping the formats apart from the
writing means a chat upload (which must store nothing unless the whole file is valid) can reuse them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

MAX_PROMPT = 2000
MAX_CHOICE = 300
"""The bank schema's limits (a prompt fits a Discord message; a choice fits a button's neighbourhood)."""

IMAGE_URL = re.compile(r"https?://\S+?\.(?:png|jpe?g|gif|webp)(?:\?\S*)?(?=[\s)\]>\"']|$)", re.IGNORECASE)
"""An image link inside a prompt, as trivia lists write "Who's that Pokémon? https://…/x.png"."""


@dataclass(frozen=True, slots=True)
class Skip:
    """One question (or row) left out, with its line in the source (None for JSON) and why."""

    line: int | None
    reason: str
    repeat: bool = False
    """A question already converted (earlier in this file or from an earlier file): not an error."""


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a converted question came from, for messages an admin can find: a CSV or YAML line, or
    for JSON (which has no useful line) the result's number and the start of its prompt."""

    line: int | None
    label: str | None = None

    def says(self, reason: str) -> str:
        return f"{self.label}: {reason}" if self.label else reason


@dataclass(slots=True)
class Converted:
    """One source file converted: the output file's name, its file-level fields and its questions."""

    source: str
    name: str
    header: list[str]
    """Comment lines written at the top of the output file: where it came from, author, licence."""
    topic: str | None
    questions: list[dict[str, Any]] = field(default_factory=list)
    origins: list[Origin] = field(default_factory=list)
    """Where each of ``questions`` came from, in the same order."""
    skipped: list[Skip] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    _index: dict[str, Origin] = field(default_factory=dict, init=False, repr=False, compare=False)

    def add(self, question: dict[str, Any], origin: Origin) -> None:
        self.questions.append(question)
        self.origins.append(origin)
        self._index = {}

    def origin_of(self, question_id: str) -> Origin | None:
        """Where the question with this id came from (the index is built at the first call after a change)."""
        if not self._index:
            self._index = {str(q.get("id")): o for q, o in zip(self.questions, self.origins, strict=True)}
        return self._index.get(question_id)

    def keep(self, drop: dict[int, Skip]) -> None:
        """Move the questions at the indexes of ``drop`` into ``skipped``, with those reasons."""
        if not drop:
            return
        self.skipped.extend(drop[i] for i in sorted(drop))
        pairs = [
            (q, o) for i, (q, o) in enumerate(zip(self.questions, self.origins, strict=True)) if i not in drop
        ]
        self._index = {}
        self.questions = [q for q, _ in pairs]
        self.origins = [o for _, o in pairs]


class ImportFormatError(Exception):
    """The whole source cannot be read as this format; the message says what it looks like instead."""


def short(text: str, limit: int = 50) -> str:
    """The start of a prompt, quoted, to name a question in a message."""
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    return '"' + shown.replace('"', "'") + '"'


def slug(text: str, limit: int = 40) -> str:
    """Lower-case ASCII words joined by hyphens: "Science: Computers" -> "science-computers"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words)[:limit].strip("-") or "list"


def stable_id(prefix: str, *parts: str) -> str:
    """An id that follows the content: the same list and prompt always give the same id, so scores stay."""
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:12]
    return f"{slug(prefix, 60)}-{digest}"


def spread_index(key: str, size: int) -> int:
    """Where to put the correct choice: fixed by the content, spread evenly over positions.

    Sources such as Open Trivia DB list the correct answer first; written in that order, a file would be
    beaten by always picking A wherever choices are shown in file order.
    """
    return int(hashlib.sha1(key.encode("utf-8")).hexdigest(), 16) % size


def split_image(prompt: str) -> tuple[str, str | None]:
    """Take an image link out of a prompt: ("Who's that Pokémon?", "https://…/x.png")."""
    found = IMAGE_URL.search(prompt)
    if found is None:
        return prompt, None
    rest = (prompt[: found.start()] + prompt[found.end() :]).strip()
    rest = re.sub(r"\s{2,}", " ", rest).strip(" :-")
    return rest or "What is shown in this picture?", found.group(0)
