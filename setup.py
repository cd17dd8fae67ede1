"""Ships the bundled question bank inside the wheel; everything else is declared in ``pyproject.toml``.

The bank is edited in the top-level ``questions/`` folder of the source tree. An installed copy (``pip install
.``, a wheel, the Docker image) has no source tree, so the build copies the bank's YAML files, its README and
``schema.json`` to ``quizbot/questions/`` in the wheel, where ``quizbot.settings.bundled_questions_dir`` looks
first. Editable installs read the source folder itself, so edits show up without reinstalling.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

BANK_SOURCE = Path(__file__).resolve().parent / "questions"
BANK_FILES = ("**/*.yaml", "README.md", "schema.json")
BANK_TARGET = ("quizbot", "questions")


class BuildPyWithBank(build_py):
    """``build_py`` plus the question bank copied into the package."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib, *BANK_TARGET)
        for pattern in BANK_FILES:
            for source in sorted(BANK_SOURCE.glob(pattern)):
                destination = target / source.relative_to(BANK_SOURCE)
                self.mkpath(str(destination.parent))
                self.copy_file(str(source), str(destination))


setup(cmdclass={"build_py": BuildPyWithBank})
