"""An article as lines: the raw material every layout reader works on.

Articles arrive as text extracted from web pages: headings, paragraphs, bullet lists and table rows all
become plain lines separated by blank lines. Each non-blank line keeps its number (for reports), whether it
is a bullet, and whether it is in Latin script: the question makers only write English, so lines in another
script are never turned into prompts.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from quizbot.generate.text import normalise_space, split_sentences

BULLET = re.compile(r"^\s*(?:[•●◦▪‣∙·*\-–]|\d{1,2}[.)])\s+")


@dataclass(frozen=True, slots=True)
class Line:
    """One non-blank line with what the readers need to know about it."""

    number: int
    """1-based line number in the source file."""
    text: str
    """The line without its bullet or list number."""
    marker: str
    """The bullet or list number it started with ("•", "2."), or ""."""
    bullet: bool
    latin: bool
    blank_before: bool
    blank_after: bool

    @property
    def word_count(self) -> int:
        return len(self.text.split())

    @property
    def is_prose(self) -> bool:
        """A sentence or paragraph rather than a heading: long enough and finished with a full stop."""
        return (
            self.latin
            and not self.bullet
            and self.word_count >= 6
            and (self.text.endswith((".", "!")) or ". " in self.text)
        )

    @property
    def is_heading(self) -> bool:
        ended = self.text.endswith((".", "!", "?", "。", "？", "！"))
        return not self.bullet and not ended and self.word_count <= 12 and self.blank_before

    @property
    def is_question_heading(self) -> bool:
        """A line that is one question of 3 to 25 words: "What does a data engineer do?"."""
        return (
            self.latin
            and not self.bullet
            and self.text.endswith("?")
            and 3 <= self.word_count <= 25
            and len(split_sentences(self.text)) == 1
        )


def split_lines(text: str) -> list[Line]:
    raw = [normalise_space(line) for line in text.splitlines()]
    result: list[Line] = []
    for i, line in enumerate(raw):
        if not line:
            continue
        marker = BULLET.match(line)
        body = line[marker.end() :] if marker else line
        result.append(
            Line(
                number=i + 1,
                text=body,
                marker=marker.group(0).strip() if marker else "",
                bullet=bool(marker),
                latin=is_latin_text(body),
                blank_before=i == 0 or not raw[i - 1],
                blank_after=i + 1 >= len(raw) or not raw[i + 1],
            )
        )
    return result


def is_latin_text(text: str) -> bool:
    """True when most letters are Latin: the makers only know English, other scripts are skipped."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return True
    latin = sum(1 for c in letters if "LATIN" in unicodedata.name(c, ""))
    return latin / len(letters) >= 0.8
