"""``quizbot import FORMAT SOURCE... --out DIR``: bring existing trivia collections in as question files.

Each source becomes one output file named after it; every question the bank schema would refuse is
skipped and reported with its reason, and the files written are then loaded exactly as the bot would load
them, so what this command writes always passes ``quizbot validate``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from quizbot.bank import BankLoader, BankLoadError
from quizbot.importers import opentdb, red, spreadsheet
from quizbot.importers.model import Converted, ImportFormatError
from quizbot.importers.writer import keep_valid, render

Converter = Callable[[Path, str], Converted]
FORMATS: dict[str, Converter] = {"red": red.convert, "opentdb": opentdb.convert, "csv": spreadsheet.convert}
SUFFIXES = {"red": (".yaml", ".yml"), "opentdb": (".json",), "csv": (".csv",)}

EXIT_OK = 0
EXIT_NOTHING = 1
EXIT_USAGE = 2


def import_command(fmt: str, sources: Sequence[Path], out: Path, say: Callable[[str], None] = print) -> int:
    """Convert ``sources`` into ``out``; print what was converted, skipped and why. Returns an exit code."""
    convert = FORMATS[fmt]
    if out.exists() and not out.is_dir():
        say(f"quizbot: --out {out} is a file; give a folder for the question files")
        return EXIT_USAGE
    files = _expand(sources, SUFFIXES[fmt])
    if isinstance(files, str):
        say(f"quizbot: {files}")
        return EXIT_USAGE
    names = [f"{p.stem}.yaml" for p in files]
    if len(set(names)) != len(names):
        clash = sorted({n for n in names if names.count(n) > 1})
        say(f"quizbot: two sources would both be written as {', '.join(clash)}; import them separately")
        return EXIT_USAGE
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    total = skipped = failed = 0
    for path in files:
        try:
            converted = convert(path, path.read_text(encoding="utf-8"))
        except (ImportFormatError, UnicodeDecodeError, OSError) as exc:
            say(f"{path}: not imported: {_reason(exc)}")
            failed += 1
            continue
        keep_valid(converted)
        for warning in converted.warnings:
            say(f"{path}: warning: {warning}")
        for skip in converted.skipped:
            say(
                f"{path}:{skip.line}: skipped: {skip.reason}"
                if skip.line
                else f"{path}: skipped: {skip.reason}"
            )
        total += len(converted.questions)
        skipped += len(converted.skipped)
        if not converted.questions:
            say(f"{path}: no question could be converted")
            failed += 1
            continue
        target = out / f"{converted.name}.yaml"
        target.write_text(render(converted), encoding="utf-8")
        written.append(target)
        say(f"{path} -> {target}: {len(converted.questions)} questions, {len(converted.skipped)} skipped")
    if written:
        try:
            BankLoader().load(written)
        except BankLoadError as exc:  # a converter bug: say so instead of leaving a broken bank behind
            for error in exc.errors[:20]:
                say(str(error))
            say(f"quizbot: the written files do not validate ({len(exc.errors)} errors); please report this")
            return EXIT_NOTHING
    say(
        f"imported {total} questions into {len(written)} file(s) in {out}; {skipped} skipped, {failed} failed"
    )
    return EXIT_OK if written and not failed else EXIT_NOTHING


def _expand(sources: Sequence[Path], suffixes: tuple[str, ...]) -> list[Path] | str:
    files: list[Path] = []
    for source in sources:
        if source.is_dir():
            found = sorted(p for p in source.iterdir() if p.suffix.lower() in suffixes and p.is_file())
            if not found:
                return f"no {'/'.join(suffixes)} files in {source}"
            files.extend(found)
        elif source.is_file():
            files.append(source)
        else:
            return f"{source}: no such file or folder"
    return files


def _reason(exc: BaseException) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "the file is not UTF-8 text"
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc)
