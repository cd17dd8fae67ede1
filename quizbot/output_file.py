"""Whether a command can write the file named on its command line, checked before any work is done.

``schema --out``, ``export --out``, ``questions download --out`` and ``db backup FILE`` all take a file
name; a missing folder or a folder given in its place must be one line saying what to write instead,
not an ``OSError`` traceback after the database was read (or a half-written copy left behind).
"""

from __future__ import annotations

from pathlib import Path

from quizbot.domain import QuizError


def check_output_file(out: Path, example: str, option: str = "--out") -> None:
    """Refuse ``out`` when it is a folder or its folder does not exist; ``example`` is a file name to offer.

    ``option`` names the argument in the message (empty for a positional FILE).
    """
    shown = f"{option} {out}" if option else str(out)
    if out.is_dir():
        raise QuizError(f"{shown} is a folder; give a file name, e.g. {out / example}")
    if not out.parent.is_dir():
        raise QuizError(f"{shown}: the folder {out.parent} does not exist; create it first")


def cannot_write(out: Path, exc: OSError) -> QuizError:
    """The one line for a write that failed anyway (no permission, disk full)."""
    return QuizError(f"cannot write {out}: {exc.strerror or exc}")


def write_text_file(out: Path, text: str, example: str, option: str = "--out") -> None:
    """Write ``text`` to ``out`` as UTF-8, or raise a one-line :class:`QuizError` saying why not."""
    check_output_file(out, example, option)
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise cannot_write(out, exc) from None
