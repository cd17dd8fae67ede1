"""``quizbot import FORMAT SOURCE... --out DIR``: bring existing trivia collections in as question files.

Each source becomes one output file named after it; every question the bank loader would refuse is
skipped and reported with its reason, and so is a question already converted from an earlier file (or
already in ``--out``): several overlapping downloads of Open Trivia DB are the normal case. The files are
written to a scratch folder inside ``--out`` and loaded exactly as the bot would load them; only then are
they moved in, so a failed import leaves nothing that ``quizbot validate`` would refuse.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from quizbot.bank import YAML_SUFFIXES, BankLoader, BankLoadError, parse_bank_file
from quizbot.importers import opentdb, red, spreadsheet
from quizbot.importers.model import Converted, ImportFormatError, Origin
from quizbot.importers.writer import Seen, drop_repeats, keep_valid, render

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
    seen = _already_in(out, {n for n in names})
    with tempfile.TemporaryDirectory(dir=out, prefix=".import-") as scratch:
        staged: list[Path] = []
        total = skipped = repeats = failed = 0
        for path in files:
            try:
                converted = convert(path, path.read_text(encoding="utf-8"))
            except (ImportFormatError, UnicodeDecodeError, OSError) as exc:
                say(f"{path}: not imported: {_reason(exc)}")
                failed += 1
                continue
            text = keep_valid(converted)
            before = len(converted.questions)
            drop_repeats(converted, seen)
            if len(converted.questions) != before:
                text = render(converted)
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
            repeats += sum(s.repeat for s in converted.skipped)
            if not converted.questions:
                say(f"{path}: no question could be converted")
                failed += 1
                continue
            # not *.yaml until moved: a bot reloading --out meanwhile must not load half an import
            target = Path(scratch) / f"{converted.name}.yaml.part"
            target.write_text(text, encoding="utf-8")
            staged.append(target)
            say(
                f"{path} -> {out / target.stem}: {len(converted.questions)} questions, "
                f"{len(converted.skipped)} skipped"
            )
        if staged:
            try:
                BankLoader().load(staged)
            except BankLoadError as exc:  # a converter bug: say so, and write nothing
                for error in exc.errors[:20]:
                    say(str(error))
                say(
                    f"quizbot: the converted files do not validate ({len(exc.errors)} errors); nothing was "
                    "written; please report this"
                )
                return EXIT_NOTHING
            for target in staged:  # only files that validate reach --out
                os.replace(target, out / target.stem)
    repeated = f" ({repeats} repeat{'s' if repeats != 1 else ''})" if repeats else ""
    say(
        f"imported {total} questions into {len(staged)} file(s) in {out}; "
        f"{skipped} skipped{repeated}, {failed} failed"
    )
    return EXIT_OK if staged and not failed else EXIT_NOTHING


def _already_in(out: Path, replaced: set[str]) -> dict[str, Seen]:
    """The ids of the question files already in ``out`` that this import does not replace.

    A second download imported into the same folder then skips what the first one brought in, instead
    of leaving two files with the same ids that ``quizbot validate`` refuses.
    """
    seen: dict[str, Seen] = {}
    for file in sorted(out.rglob("*")):
        if (
            file.suffix not in YAML_SUFFIXES
            or not file.is_file()
            or file.relative_to(out).parts[0] in replaced
        ):
            continue
        if any(part.startswith(".") for part in file.relative_to(out).parts):
            continue
        try:
            result = parse_bank_file(str(file), file.read_bytes())
        except OSError:
            continue
        for q in result.questions:
            seen.setdefault(q.id, Seen(str(file), Origin(q.line), q.prompt))
    return seen


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
