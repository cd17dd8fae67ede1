"""The dependency rule: the engine never imports an adapter or a chat library."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

FORBIDDEN = ("adapters", "discord", "slack_bolt", "slack_sdk", "aiohttp")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_engine_package_imports_no_adapter_and_no_chat_library() -> None:
    offenders = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in (ROOT / "quizbot").rglob("*.py")
        for name in imported_modules(path)
        if name.split(".")[0] in FORBIDDEN
    }
    assert not offenders, sorted(offenders)


def test_no_adapter_module_shadows_the_library_it_wraps() -> None:
    shadowing = [
        p.name for p in (ROOT / "adapters").iterdir() if p.stem in ("discord", "slack", "slack_bolt")
    ]
    assert shadowing == []
