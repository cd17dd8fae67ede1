"""quizbot installed the way users and the Docker image install it, then run from a folder of its own.

Each test builds from a copy of the checkout and installs into a fresh virtual environment. The fresh
environment sees the test environment's site-packages through a ``.pth`` line placed *after* its own, so the
dependencies (already installed at the pinned versions) need no download, while ``quizbot`` itself is the
freshly built one: a ``.pth`` line adds a folder to ``sys.path`` without running that folder's own ``.pth``
files, so the editable install of the checkout stays out of sight. (``--system-site-packages`` would expose
the base interpreter's packages, not the test environment's.)
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

SOURCE_IGNORE = shutil.ignore_patterns(
    ".git", ".venv*", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis", "*.db*"
)


def _copy_source(tmp_path: Path) -> Path:
    source = tmp_path / "src"
    shutil.copytree(ROOT, source, ignore=SOURCE_IGNORE)
    return source


def _fresh_venv(tmp_path: Path) -> Path:
    """A new venv without pip whose ``sys.path`` ends with the test environment's site-packages."""
    venv = tmp_path / "fresh"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=60)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(site) / "zz-test-environment.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv


def _clean_env(venv: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QUIZBOT_", "SLACK_", "DISCORD_"))}
    env.pop("PYTHONPATH", None)
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(venv)
    env.update(extra)
    return env


def _bundled_prompts() -> set[str]:
    prompts = set()
    for path in (ROOT / "questions").rglob("*.yaml"):
        prompts.update(q["prompt"] for q in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"])
    return prompts


def _shown_prompt(output: str) -> str:
    match = re.search(r"^Q: (.+)$", output, re.MULTILINE)
    assert match, output
    return match.group(1)


def _assert_runs_the_installed_copy(venv: Path, workdir: Path) -> None:
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import quizbot; print(quizbot.__file__)"],
        capture_output=True,
        text=True,
        cwd=workdir,
        env=_clean_env(venv),
        check=True,
    ).stdout
    assert Path(where.strip()).is_relative_to(venv), where


def test_a_built_wheel_plays_the_bundled_bank_from_any_folder(tmp_path: Path) -> None:
    source = _copy_source(tmp_path)
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = wheels.glob("quizbot-*.whl")
    venv = _fresh_venv(tmp_path)
    pip = [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python")]
    subprocess.run(
        [*pip, "install", "-q", "--no-deps", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    shutil.rmtree(source)  # nothing may be read from the source tree any more
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    _assert_runs_the_installed_copy(venv, elsewhere)

    played = subprocess.run(
        [str(venv / "bin" / "quizbot"), "play", "--user", "ada"],
        input="/quit\n",
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=_clean_env(venv),
        timeout=120,
    )

    assert played.returncode == 0, played.stderr
    assert _shown_prompt(played.stdout) in _bundled_prompts()
    assert (elsewhere / "quizbot.db").is_file()
    schema = subprocess.run(
        [str(venv / "bin" / "quizbot"), "schema"], capture_output=True, text=True, cwd=elsewhere, check=True
    )
    assert json.loads(schema.stdout) == json.loads((ROOT / "questions" / "schema.json").read_text())


# -- deploy/ ------------------------------------------------------------------------------------------------

DOCKERFILE = ROOT / "deploy" / "Dockerfile"


def _dockerfile_instructions() -> list[tuple[str, str]]:
    text = DOCKERFILE.read_text(encoding="utf-8").replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def test_the_docker_image_installs_and_starts_as_its_dockerfile_says(tmp_path: Path) -> None:
    """Docker cannot run here: run the Dockerfile's own COPY, RUN, WORKDIR and CMD steps in a fresh venv.

    The one step left out is creating the system user (it needs root); the test checks that the image then
    switches to that user instead.
    """
    instructions = _dockerfile_instructions()
    assert instructions[0] == ("FROM", "python:3.11-slim")
    venv = _fresh_venv(tmp_path)
    root_fs = tmp_path / "image"
    env = _clean_env(venv)
    cwd = root_fs
    created_user = user = None
    command: list[str] = []

    def inside(path: str) -> Path:
        return root_fs / path.lstrip("/")

    for keyword, rest in instructions[1:]:
        if keyword == "ENV":
            env.update(dict(pair.split("=", 1) for pair in shlex.split(rest)))
        elif keyword == "COPY":
            src, dest = rest.split()
            assert src == ".", "the image is built from the repository root"
            inside(dest).parent.mkdir(parents=True, exist_ok=True)
            shutil.copytree(ROOT, inside(dest), ignore=SOURCE_IGNORE)
        elif keyword == "RUN" and rest.startswith("useradd "):
            created_user = shlex.split(rest)[-1]
            inside(shlex.split(rest)[shlex.split(rest).index("--home-dir") + 1]).mkdir(parents=True)
        elif keyword == "RUN":
            script = re.sub(r"(?<=[\s=])/(?=\w)", f"{root_fs}/", rest)  # absolute paths live in the image
            step = subprocess.run(
                ["sh", "-ec", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
            )
            assert step.returncode == 0, f"RUN {rest}\n{step.stdout}\n{step.stderr}"
        elif keyword == "USER":
            user = rest
        elif keyword == "WORKDIR":
            cwd = inside(rest)
            cwd.mkdir(parents=True, exist_ok=True)
        elif keyword == "CMD":
            command = json.loads(rest)
        else:
            assert keyword in ("STOPSIGNAL",), f"the test does not know how to run {keyword}"

    assert user and user != "root" and user == created_user
    assert not inside("src").exists(), "the image keeps no copy of the source"
    assert command == ["quizbot", "run"]
    _assert_runs_the_installed_copy(venv, cwd)

    # Started as the container starts it: no terminal, no platform configured. Nobody can type under a
    # service manager, so serving the terminal channel (and exiting 0 at end of input) would hide the
    # missing tokens: it must refuse to start, exit 2, and name the variables to set in one line.
    started = subprocess.run(
        command, stdin=subprocess.DEVNULL, capture_output=True, text=True, cwd=cwd, env=env, timeout=120
    )
    assert started.returncode == 2, (started.returncode, started.stdout, started.stderr)
    assert "Traceback" not in started.stderr, started.stderr
    assert started.stdout == "" and started.stderr.count("\n") == 1, started.stderr
    for variable in ("DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        assert variable in started.stderr, started.stderr


def test_compose_runs_the_bot_against_its_postgresql_with_data_in_a_volume() -> None:
    compose = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text(encoding="utf-8"))
    bot, db = compose["services"]["bot"], compose["services"]["db"]
    assert (ROOT / "deploy" / bot["build"]["context"] / bot["build"]["dockerfile"]).resolve() == DOCKERFILE
    url = bot["environment"]["QUIZBOT_DATABASE_URL"]
    assert re.fullmatch(r"postgresql\+asyncpg://quizbot:[^@]+@db:5432/quizbot", url)
    assert db["image"].startswith("postgres:")
    volume, _, mount = db["volumes"][0].partition(":")
    assert volume in compose["volumes"] and mount == "/var/lib/postgresql/data"
    assert bot["depends_on"]["db"]["condition"] == "service_healthy"
    assert (ROOT / "deploy" / "quizbot.env.example").is_file()


def test_systemd_unit_runs_as_a_user_restarts_on_failure_and_stops_with_sigterm() -> None:
    unit: dict[str, str] = {}
    for line in (ROOT / "deploy" / "quizbot.service").read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            unit[key.strip()] = value.strip()
    assert unit["User"] not in ("", "root")
    assert unit["Restart"] == "on-failure"
    assert unit["EnvironmentFile"].startswith("/")
    assert unit["KillSignal"] == "SIGTERM"
    assert getattr(signal, unit["KillSignal"]) is signal.SIGTERM
    program, *arguments = shlex.split(unit["ExecStart"])
    assert Path(program).name == "quizbot" and Path(program).is_absolute() and arguments == ["run"]


@pytest.mark.parametrize("name", ["LICENSE", "CHANGELOG.md"])
def test_license_and_changelog_ship_in_the_source_distribution(name: str) -> None:
    assert (ROOT / name).read_text(encoding="utf-8").strip()
    assert name in (ROOT / "MANIFEST.in").read_text(encoding="utf-8")
