"""The README is a front page whose links lead somewhere, and it keeps the two commands people copy."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)#\s]+)(#[^)\s]*)?\)")


def _anchors(page: Path) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens."""
    headings = re.findall(r"^#+ (.+)$", page.read_text(encoding="utf-8"), re.MULTILINE)
    return {"#" + re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_leads_to_a_file_and_heading_that_exist(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    for target, anchor in LINK.findall(text):
        if re.match(r"[a-z]+:", target):
            continue
        path = (page.parent / target).resolve()
        assert path.exists(), f"{page.name} links to missing {target}"
        if anchor and path.suffix == ".md":
            assert anchor in _anchors(path), f"{page.name} links to missing heading {target}{anchor}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_named_readme_section_exists(page: Path) -> None:
    """Plain-text pointers ("the X section of the README") break silently when the README is trimmed."""
    text = " ".join(page.read_text(encoding="utf-8").split())
    for name in re.findall(r"the ([\w' -]+?) section of the README", text, re.IGNORECASE):
        anchor = "#" + re.sub(r"[^\w\- ]", "", name.strip().lower()).replace(" ", "-")
        assert anchor in _anchors(ROOT / "README.md"), (
            f"{page.name} points to a missing README section {name!r}"
        )


def test_readme_is_a_front_page_with_the_quick_start_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme) < 8000, "manuals belong in docs/"
    assert ".venv/bin/pip install -q -c constraints.txt -e . && .venv/bin/quizbot play" in readme
    test_command = '.venv/bin/pip install -q -c constraints.txt -e ".[test]" && .venv/bin/python -m pytest -q'
    assert test_command in readme
    assert "## Deploy" in readme
