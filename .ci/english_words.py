"""Rebuild ``quizbot/data/english_words.txt``, the real words that answer matching never takes for typos.

Needs ``wordfreq`` (not a dependency of quizbot: only this script uses it)::

    .venv/bin/pip install "wordfreq==3.1.1"
    .venv/bin/python .ci/english_words.py [--min-zipf 3.0]

Keeps every English word or name whose Zipf frequency is at least ``--min-zipf``, folded as answers are
folded (lower case, no accents, inner apostrophes and hyphens removed), alphabetic and 4 letters or longer.
"""

from __future__ import annotations

import argparse
from importlib.metadata import version
from pathlib import Path

from wordfreq import iter_wordlist, zipf_frequency

from quizbot.matching import spellings

OUT = Path(__file__).resolve().parent.parent / "quizbot" / "data" / "english_words.txt"
MIN_LENGTH = 4


def words(min_zipf: float) -> list[str]:
    kept: set[str] = set()
    for word in iter_wordlist("en"):  # most frequent first
        if zipf_frequency(word, "en") < min_zipf:
            break
        kept.update(
            form for form in spellings(word) if form.isalpha() and form.isascii() and len(form) >= MIN_LENGTH
        )
    return sorted(kept)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-zipf", type=float, default=3.0)
    args = parser.parse_args()
    kept = words(args.min_zipf)
    header = [
        f"# English words and names with a Zipf frequency of at least {args.min_zipf} in wordfreq "
        f"{version('wordfreq')}",
        "# (Robyn Speer and contributors), folded as quizbot folds answers; 4 letters or more.",
        "# Data licence: CC BY-SA 4.0, see README.md in this folder. Rebuild: python .ci/english_words.py",
    ]
    OUT.write_text("\n".join([*header, *kept]) + "\n", encoding="utf-8")
    print(f"{OUT.name}: {len(kept)} words")


if __name__ == "__main__":
    main()
