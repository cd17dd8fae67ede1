"""``--out`` paths that cannot be written are one line and a non-zero exit, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_cli import run_quizbot

ARTICLES = ROOT / "tests" / "data" / "articles"


def only_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    [line] = stderr.strip().splitlines()
    return line


def test_schema_into_a_missing_folder_names_the_folder(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "schema.json"
    result = run_quizbot(["schema", "--out", str(target)], tmp_path)
    assert result.returncode != 0
    assert only_line(result.stderr) == (
        f"quizbot: --out {target}: the folder {target.parent} does not exist; create it first"
    )


def test_schema_onto_a_folder_asks_for_a_file_name(tmp_path: Path) -> None:
    result = run_quizbot(["schema", "--out", str(tmp_path)], tmp_path)
    assert result.returncode != 0
    assert only_line(result.stderr) == (
        f"quizbot: --out {tmp_path} is a folder; give a file name, e.g. {tmp_path / 'schema.json'}"
    )


def test_schema_writes_the_file_when_the_folder_exists(tmp_path: Path) -> None:
    target = tmp_path / "schema.json"
    result = run_quizbot(["schema", "--out", str(target)], tmp_path)
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8") == (ROOT / "questions" / "schema.json").read_text(
        encoding="utf-8"
    )


def test_generate_onto_a_file_asks_for_a_folder_and_leaves_the_file(tmp_path: Path) -> None:
    target = tmp_path / "bank.yaml"
    target.write_text("questions: []\n", encoding="utf-8")
    result = run_quizbot(["generate", str(ARTICLES), "--out", str(target)], tmp_path)
    assert result.returncode != 0
    assert (
        only_line(result.stderr)
        == f"quizbot: --out {target} is a file; give a folder for the generated banks"
    )
    assert target.read_text(encoding="utf-8") == "questions: []\n"
    assert result.stdout == ""


def test_generate_below_a_file_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "bank.yaml"
    blocker.write_text("", encoding="utf-8")
    target = blocker / "generated"
    result = run_quizbot(["generate", str(ARTICLES), "--out", str(target)], tmp_path)
    assert result.returncode != 0
    assert only_line(result.stderr).startswith(f"quizbot: cannot write the banks to {target}: ")


# ------------------------------------------------------------------ commands that write a data file


def make_database(tmp_path: Path) -> Path:
    """The default test database (play.db in tmp_path), created at this quizbot's schema."""
    result = run_quizbot(["db", "upgrade"], tmp_path)
    assert result.returncode == 0, result.stderr
    return tmp_path / "play.db"


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


WRITERS = {
    "export": (["export", "scores", "--out"], "scores.csv", "--out "),
    "backup": (["db", "backup"], "quizbot-backup.db", ""),
    "download": (
        ["questions", "download", "--server", "discord:1", "mine.yaml", "--out"],
        "mine.yaml",
        "--out ",
    ),
}


@pytest.mark.parametrize("writer", list(WRITERS))
def test_a_data_file_in_a_missing_folder_names_the_folder(tmp_path: Path, writer: str) -> None:
    make_database(tmp_path)
    before = leftovers(tmp_path)
    command, _, option = WRITERS[writer]
    target = tmp_path / "missing" / "out.file"
    result = run_quizbot([*command, str(target)], tmp_path)
    assert result.returncode != 0
    assert only_line(result.stderr) == (
        f"quizbot: {option}{target}: the folder {target.parent} does not exist; create it first"
    )
    assert leftovers(tmp_path) == before


@pytest.mark.parametrize("writer", list(WRITERS))
def test_a_data_file_onto_a_folder_asks_for_a_file_name_and_leaves_nothing(
    tmp_path: Path, writer: str
) -> None:
    make_database(tmp_path)
    folder = tmp_path / "backups"
    folder.mkdir()
    before = leftovers(tmp_path)
    command, example, option = WRITERS[writer]
    result = run_quizbot([*command, str(folder)], tmp_path)
    assert result.returncode != 0
    assert only_line(result.stderr) == (
        f"quizbot: {option}{folder} is a folder; give a file name, e.g. {folder / example}"
    )
    assert leftovers(tmp_path) == before
    assert leftovers(folder) == []


def test_export_and_backup_still_write_their_files(tmp_path: Path) -> None:
    make_database(tmp_path)
    exported = run_quizbot(["export", "scores", "--out", str(tmp_path / "scores.csv")], tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert (tmp_path / "scores.csv").read_text(encoding="utf-8").startswith("scope,")
    backed_up = run_quizbot(["db", "backup", str(tmp_path / "copy.db")], tmp_path)
    assert backed_up.returncode == 0, backed_up.stderr
    assert (tmp_path / "copy.db").is_file()
    assert not (tmp_path / "copy.db.partial").exists()


@pytest.mark.parametrize("revision", ["zzz", "-99"])
def test_an_unknown_downgrade_revision_is_one_line_naming_the_revisions(
    tmp_path: Path, revision: str
) -> None:
    make_database(tmp_path)
    result = run_quizbot(["db", "downgrade", revision], tmp_path)
    assert result.returncode != 0
    line = only_line(result.stderr)
    assert line.startswith(f"quizbot: cannot downgrade to {revision}: ")
    assert "0001_baseline" in line and "quizbot db current" in line


def test_export_without_a_database_leaves_no_output_file(tmp_path: Path) -> None:
    target = tmp_path / "scores.csv"
    result = run_quizbot(["export", "scores", "--out", str(target)], tmp_path)
    assert only_line(result.stderr).startswith("quizbot: no database at ")
    assert not target.exists()
