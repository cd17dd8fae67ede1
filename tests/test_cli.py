"""The ``quizbot`` command as a user runs it: a real subprocess, piped standard input, exit codes."""

from __future__ import annotations

import argparse
import ctypes
import fcntl
import os
import platform
import pty
import re
import select
import signal
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from quizbot.cli import main
from tests.conftest import ROOT, TEST_BANK

TGKILL = {"x86_64": 234, "aarch64": 131}.get(platform.machine(), 234)
"""The number of the tgkill system call, which sends a signal to one thread of a process."""

TWO_QUESTIONS = """\
topic: demo
shuffle: false  # the scripted answers below rely on B being right
questions:
  - id: demo-one
    type: multiple_choice
    prompt: Which letter is second?
    choices: [Alpha, Beta, Gamma]
    answer: Beta
    explanation: Beta is the second letter of the Greek alphabet.
    difficulty: hard
  - id: demo-two
    type: multiple_choice
    prompt: Which planet is second from the sun?
    choices: [Mercury, Venus, Earth]
    answer: Venus
    explanation: Venus orbits between Mercury and Earth.
    difficulty: hard
"""


def run_quizbot(
    args: list[str], tmp_path: Path, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("QUIZBOT_", "SLACK_", "DISCORD_"))
    }
    environment.update({"QUIZBOT_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'play.db'}", **env})
    return subprocess.run(
        [sys.executable, "-m", "quizbot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        timeout=60,
    )


@pytest.fixture
def demo_bank(tmp_path: Path) -> Path:
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "demo.yaml").write_text(TWO_QUESTIONS, encoding="utf-8")
    return bank


def test_play_from_question_to_leaderboard_with_piped_input(tmp_path: Path, demo_bank: Path) -> None:
    script = "b\nb\n/quiz\nA\n/leaderboard\n/stats\n/quit\n"
    result = run_quizbot(["play", "--user", "Ada"], tmp_path, script, QUIZBOT_QUESTIONS=str(demo_bank))
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Q: Which" in out and "  B) " in out
    assert out.count("✓ Correct! +3 pt") == 1  # the first answer
    assert "No open question" in out  # the second "b" had nothing to answer
    assert "✗ Not quite. The answer is:" in out  # "A" to the second question
    assert "Leaderboard, all time" in out and "Ada" in out
    assert "Ada: answered 2, correct 1, accuracy 50%, points 3, streak 0 (best 1)" in out
    assert out.rstrip().endswith("Bye!")
    assert "Traceback" not in result.stderr


def test_play_keeps_scores_between_sessions(tmp_path: Path, demo_bank: Path) -> None:
    run_quizbot(["play", "--user", "Ada"], tmp_path, "b\n", QUIZBOT_QUESTIONS=str(demo_bank))
    again = run_quizbot(["play", "--user", "Ada"], tmp_path, "/stats\n", QUIZBOT_QUESTIONS=str(demo_bank))
    assert "Ada: answered 1, correct 1" in again.stdout
    assert f"Scores are kept in {tmp_path / 'play.db'}" in again.stdout


def test_play_topic_filter_and_unknown_topic(tmp_path: Path) -> None:
    result = run_quizbot(
        ["play", "--user", "Ada", "--topic", "tools"],
        tmp_path,
        "/quiz cooking\n",
        QUIZBOT_QUESTIONS=str(TEST_BANK),
    )
    assert "[tools ·" in result.stdout and "[ml ·" not in result.stdout
    assert "No questions on topic 'cooking'. Topics: ml, tools." in result.stdout


def test_validate_good_bank_prints_a_summary(tmp_path: Path) -> None:
    result = run_quizbot(["validate", str(TEST_BANK)], tmp_path)
    assert result.returncode == 0
    assert "OK: 5 questions, no errors." in result.stdout
    assert "multiple_choice" in result.stdout and "tools" in result.stdout and "hard" in result.stdout


def test_validate_bad_bank_lists_every_error_and_exits_1(tmp_path: Path, demo_bank: Path) -> None:
    broken = demo_bank / "broken.yaml"
    broken.write_text("questions:\n  - id: x\n    type: true_false\n    prompt: ''\n", encoding="utf-8")
    result = run_quizbot(["validate", str(demo_bank)], tmp_path)
    lines = result.stdout.splitlines()
    assert result.returncode == 1
    assert f"{broken}:2: question 'x': field 'answer' is missing" in lines
    assert f"{broken}:4: question 'x': field 'prompt' is empty" in lines
    assert lines[-1] == "2 error(s) found."
    assert "Traceback" not in result.stdout + result.stderr


def test_play_with_a_broken_bank_explains_instead_of_crashing(tmp_path: Path, demo_bank: Path) -> None:
    (demo_bank / "broken.yaml").write_text("questions: [", encoding="utf-8")
    result = run_quizbot(["play"], tmp_path, "", QUIZBOT_QUESTIONS=str(demo_bank))
    assert result.returncode == 1
    assert (
        f"{demo_bank / 'broken.yaml'}:2: not valid YAML: did not find expected node content" in result.stderr
    )
    assert "Traceback" not in result.stderr


def test_unreachable_database_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    result = run_quizbot(
        ["play"],
        tmp_path,
        "",
        QUIZBOT_DATABASE_URL="postgresql+asyncpg://nobody:secret@127.0.0.1:1/none",
        QUIZBOT_QUESTIONS=str(TEST_BANK),
    )
    assert result.returncode == 1
    assert (
        "quizbot: cannot use the database postgresql+asyncpg://nobody:***@127.0.0.1:1/none" in result.stderr
    )
    assert "Traceback" not in result.stderr and "secret" not in result.stderr


def test_schema_command_prints_the_committed_schema(tmp_path: Path) -> None:
    result = run_quizbot(["schema"], tmp_path)
    assert result.stdout == (ROOT / "questions" / "schema.json").read_text(encoding="utf-8")


def test_daily_in_the_terminal_channel_is_answered_once(tmp_path: Path, demo_bank: Path) -> None:
    script = "/daily\nb\n/daily\nb\n/quit\n"
    result = run_quizbot(["play", "--user", "Ada"], tmp_path, script, QUIZBOT_QUESTIONS=str(demo_bank))
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("Daily question:") == 1  # posted once, then shown again as today's question
    assert "Today's daily question:" in result.stdout
    assert "✓ Correct! +3 pt" in result.stdout
    assert "You already answered 'Beta'" in result.stdout or "You already answered 'Venus'" in result.stdout


def _run_on_a_terminal(tmp_path: Path, demo_bank: Path) -> tuple[subprocess.Popen[str], int]:
    """``quizbot run`` with a pseudo-terminal as standard input (someone at the keyboard); returns the pty."""
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("QUIZBOT_", "SLACK_", "DISCORD_"))
    }
    environment.update(
        QUIZBOT_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'play.db'}", QUIZBOT_QUESTIONS=str(demo_bank)
    )
    keyboard, terminal = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "quizbot", "run"],
        stdin=terminal,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env=environment,
    )
    os.close(terminal)
    return proc, keyboard


def test_run_without_tokens_on_a_terminal_serves_the_terminal_channel(
    tmp_path: Path, demo_bank: Path
) -> None:
    proc, keyboard = _run_on_a_terminal(tmp_path, demo_bank)
    try:
        os.write(keyboard, b"/stats\n/quit\n")
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
        os.close(keyboard)
    assert proc.returncode == 0, err
    assert "questions loaded" in out and "Bye!" in out
    assert "running the terminal channel" in err


def test_run_without_tokens_under_a_service_manager_names_the_variables_to_set(
    tmp_path: Path, demo_bank: Path
) -> None:
    result = run_quizbot(["run"], tmp_path, "/stats\n/quit\n", QUIZBOT_QUESTIONS=str(demo_bank))
    assert result.returncode != 0
    [line] = result.stderr.strip().splitlines()
    for variable in ("DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        assert variable in line
    assert result.stdout == ""  # no question was asked
    assert not (tmp_path / "play.db").exists()  # and nothing was created


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_signal_stops_run_cleanly(tmp_path: Path, demo_bank: Path, signum: signal.Signals) -> None:
    proc, keyboard = _run_on_a_terminal(tmp_path, demo_bank)
    try:
        assert proc.stdout is not None
        while "Type a letter." not in proc.stdout.readline():  # serving: the first question is on screen
            pass
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
        os.close(keyboard)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert [line for line in err.splitlines() if line.endswith("quizbot stopped")] != []
    assert len([line for line in err.splitlines() if "stopped" in line]) == 1


def test_terminal_daily_holds_the_verdict_when_the_channel_reveals_at_close(
    tmp_path: Path, demo_bank: Path
) -> None:
    env = {"QUIZBOT_QUESTIONS": str(demo_bank)}
    added = run_quizbot(
        ["schedule", "add", "terminal:local:terminal", "00:00", "--reveal-at-close"], tmp_path, **env
    )
    assert added.returncode == 0, added.stderr
    result = run_quizbot(["play", "--user", "Ada"], tmp_path, "/daily\nb\n/quit\n", **env)
    assert "Answer recorded: " in result.stdout and "revealed when the question closes" in result.stdout
    assert "Correct" not in result.stdout and "Not quite" not in result.stdout


def _play_waiting_for_input(tmp_path: Path, demo_bank: Path) -> subprocess.Popen[str]:
    """``quizbot play`` with the first question on screen, waiting for a line that never comes."""
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("QUIZBOT_", "SLACK_", "DISCORD_"))
    }
    environment.update(
        QUIZBOT_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'play.db'}", QUIZBOT_QUESTIONS=str(demo_bank)
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "quizbot", "play", "--user", "Ada"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env=environment,
    )
    assert proc.stdout is not None and proc.stderr is not None
    while "Type a letter." not in (line := proc.stdout.readline()):
        assert line, proc.stderr.read()
    return proc


def _ended_by_ctrl_c(proc: subprocess.Popen[str]) -> None:
    """Exit code 130, the same summary as /quit, no traceback. (The timeout only bounds a hang.)"""
    try:
        code = proc.wait(timeout=60)
    finally:
        proc.kill()
    assert proc.stdout is not None and proc.stderr is not None
    out, err = proc.stdout.read(), proc.stderr.read()
    assert code == 130, err
    assert "Ada: answered 0, correct 0, accuracy 0%" in out and out.rstrip().endswith("Bye!")
    assert "Traceback" not in err


def test_ctrl_c_ends_play_at_once_even_while_waiting_for_input(tmp_path: Path, demo_bank: Path) -> None:
    proc = _play_waiting_for_input(tmp_path, demo_bank)
    proc.send_signal(signal.SIGINT)
    _ended_by_ctrl_c(proc)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="tgkill is Linux's")
def test_ctrl_c_ends_play_even_when_the_kernel_hands_sigint_to_another_thread(
    tmp_path: Path, demo_bank: Path
) -> None:
    """The kernel may deliver a process's SIGINT to any of its threads (it did under load: the stdin reader
    or a database thread got it, the main thread slept on in its event loop and play hung). Send it to each
    thread but the main one in turn, as the kernel might."""
    libc = ctypes.CDLL(None, use_errno=True)
    proc = _play_waiting_for_input(tmp_path, demo_bank)
    others = sorted(int(t) for t in os.listdir(f"/proc/{proc.pid}/task") if int(t) != proc.pid)
    assert others, "play reads standard input in a thread of its own"
    assert libc.syscall(TGKILL, proc.pid, others[-1], signal.SIGINT) == 0
    _ended_by_ctrl_c(proc)


def test_play_with_an_unknown_topic_says_so_once_and_lists_the_topics(tmp_path: Path) -> None:
    result = run_quizbot(
        ["play", "--topic", "nope"], tmp_path, "\n\nb\n/quit\n", QUIZBOT_QUESTIONS=str(TEST_BANK)
    )
    assert result.returncode == 2
    assert result.stderr == "quizbot: no questions on topic 'nope'; the topics are: ml, tools\n"
    assert "Q: " not in result.stdout


def test_play_edits_the_line_with_arrow_keys_on_a_terminal_and_ctrl_c_restores_it(
    tmp_path: Path, demo_bank: Path
) -> None:
    """On a terminal, Left/Right/Backspace edit the typed line (readline) instead of typing ``^[[D``; Ctrl-C
    ends the game with its summary and leaves the terminal as it found it (echo and line mode on)."""
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("QUIZBOT_", "SLACK_", "DISCORD_"))
    }
    environment.update(
        QUIZBOT_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'play.db'}",
        QUIZBOT_QUESTIONS=str(demo_bank),
        TERM="xterm",
        NO_COLOR="1",
        COLUMNS="200",
    )
    controller, terminal = pty.openpty()
    before = termios.tcgetattr(terminal)
    proc = subprocess.Popen(
        [sys.executable, "-m", "quizbot", "play", "--user", "Ada"],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        cwd=tmp_path,
        env=environment,
        start_new_session=True,
        preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),  # Ctrl-C on this terminal signals play
    )
    seen = b""

    def read_until(text: bytes) -> None:
        nonlocal seen
        while text not in seen:
            ready, _, _ = select.select([controller], [], [], 60)
            assert ready, seen.decode(errors="replace")
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # the terminal closed: the game is over
                chunk = b""
            assert chunk, seen.decode(errors="replace")
            seen += chunk

    def wait_for_line_editing() -> None:
        """readline takes the terminal out of line mode while it waits for keys; earlier keys are cooked."""
        for _ in range(600):
            if not termios.tcgetattr(terminal)[3] & termios.ICANON:
                return
            time.sleep(0.1)
        raise AssertionError("the terminal never left line mode: no line editing")

    try:
        read_until(b"Type a letter.")
        wait_for_line_editing()
        # "x", Left, "b", Right, Backspace: the line reads "b" (the demo questions' second choice is right)
        os.write(controller, b"x\x1b[Db\x1b[C\x7f\r")
        read_until(b"Correct!")
        wait_for_line_editing()
        os.write(controller, b"\x03")  # Ctrl-C
        read_until(b"Bye!")
        assert proc.wait(timeout=60) == 130
        assert b"Ada: answered 1, correct 1" in seen and b"Traceback" not in seen
        after = termios.tcgetattr(terminal)
        assert after[3] & (termios.ICANON | termios.ECHO) == before[3] & (termios.ICANON | termios.ECHO)
    finally:
        proc.kill()
        os.close(controller)
        os.close(terminal)


def test_version_names_the_installed_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert re.fullmatch(r"quizbot \d+\.\d+\.\d+\S*\n", capsys.readouterr().out)


HELP_PAGES = {
    (): ("QUIZBOT_DATABASE_URL", "QUIZBOT_QUESTIONS", "DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"),
    ("play",): ("QUIZBOT_DATABASE_URL", "QUIZBOT_QUESTIONS"),
    ("run",): (
        "QUIZBOT_DATABASE_URL",
        "QUIZBOT_QUESTIONS",
        "DISCORD_TOKEN",
        "QUIZBOT_DISCORD_SHARDS",
        "SLACK_BOT_TOKEN",
    ),
    ("post-daily",): ("QUIZBOT_DATABASE_URL", "DISCORD_TOKEN", "SLACK_BOT_TOKEN"),
    ("validate",): ("QUIZBOT_QUESTIONS",),
    ("schema",): ("no environment variable",),
    ("generate",): ("no environment variable",),
    ("schedule",): ("QUIZBOT_DATABASE_URL", "discord:SERVER_ID:CHANNEL_ID", "slack:TEAM_ID:CHANNEL_ID"),
    ("schedule", "add"): ("QUIZBOT_DATABASE_URL", "discord:SERVER_ID:CHANNEL_ID", "keeps its weekdays"),
    ("schedule", "list"): ("QUIZBOT_DATABASE_URL",),
    ("schedule", "remove"): ("QUIZBOT_DATABASE_URL",),
    ("discord-invite",): ("DISCORD_TOKEN",),
    ("slack-check",): ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"),
    ("import",): ("no environment variable",),
    ("review",): ("no environment variable",),
    ("lint",): ("no environment variable",),
    ("questions",): ("QUIZBOT_DATABASE_URL", "QUIZBOT_MAX_UPLOAD_BYTES"),
    ("questions", "upload"): ("QUIZBOT_DATABASE_URL", "QUIZBOT_MAX_UPLOAD_BYTES"),
    ("db",): ("QUIZBOT_DATABASE_URL",),
    ("db", "upgrade"): ("QUIZBOT_DATABASE_URL",),
    ("db", "backup"): ("QUIZBOT_DATABASE_URL",),
    ("export",): ("QUIZBOT_DATABASE_URL",),
    ("players",): ("QUIZBOT_DATABASE_URL",),
    ("players", "forget"): ("QUIZBOT_DATABASE_URL",),
    ("health",): ("QUIZBOT_DATABASE_URL", "PLATFORM:SERVER", "--min-players"),
}


@pytest.mark.parametrize("command", list(HELP_PAGES), ids=lambda c: " ".join(c) or "quizbot")
def test_every_help_says_what_the_command_does_and_what_it_reads(
    command: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as done:
        main([*command, "--help"])
    assert done.value.code == 0
    page = capsys.readouterr().out
    rest = page.partition("\n\n")[2]
    assert rest.split("\n", 1)[0][:1].isupper(), f"no description after the usage:\n{page}"
    for needed in HELP_PAGES[command]:
        assert needed in page, page


def test_every_command_has_a_help_page_here() -> None:
    """A new subcommand gets its row in HELP_PAGES, so its --help is checked too."""
    from quizbot.cli import build_parser
    from quizbot.plugins import load_plugins

    parser = build_parser(load_plugins())
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert {(name,) for name in commands.choices} <= set(HELP_PAGES)


def _schedules(tmp_path: Path) -> str:
    listed = run_quizbot(["schedule", "list"], tmp_path)
    assert listed.returncode == 0, listed.stderr
    return listed.stdout


def test_schedule_add_again_keeps_weekdays_and_reveal_unless_given(tmp_path: Path) -> None:
    channel = "slack:T0123ABCD:C0456EFGH"
    first = run_quizbot(
        ["schedule", "add", channel, "09:00", "--weekdays", "mon,fri", "--reveal-at-close"], tmp_path
    )
    assert first.returncode == 0, first.stderr
    moved = run_quizbot(["schedule", "add", channel, "10:30", "Europe/Berlin"], tmp_path)
    assert moved.returncode == 0, moved.stderr
    assert "10:30 Europe/Berlin, mon,fri, answers revealed at close" in moved.stdout
    row = next(line for line in _schedules(tmp_path).splitlines() if channel in line)
    assert "10:30" in row and "mon,fri" in row and "at close" in row

    reset = run_quizbot(
        ["schedule", "add", channel, "10:30", "Europe/Berlin", "--weekdays", "all", "--no-reveal-at-close"],
        tmp_path,
    )
    assert "every day, answers revealed at once" in reset.stdout, reset.stderr


@pytest.mark.parametrize(
    ("channel", "expected"),
    [
        ("discord:abc:def", "use discord:SERVER_ID:CHANNEL_ID with the numeric ids"),
        ("discord:1234:general", "use discord:SERVER_ID:CHANNEL_ID with the numeric ids"),
        ("slack:acme:C0456EFGH", "use slack:TEAM_ID:CHANNEL_ID, e.g. slack:T0123ABCD:C0456EFGH"),
        ("slack:T0123ABCD:general", "use slack:TEAM_ID:CHANNEL_ID, e.g. slack:T0123ABCD:C0456EFGH"),
        ("slack:T0123ABCD", "is not PLATFORM:SERVER:CHANNEL"),
    ],
)
def test_schedule_add_refuses_an_address_the_platform_cannot_have(
    tmp_path: Path, channel: str, expected: str
) -> None:
    result = run_quizbot(["schedule", "add", channel, "09:00"], tmp_path)
    assert result.returncode == 2
    assert expected in result.stderr and result.stderr.count("\n") == 1
    assert not (tmp_path / "play.db").exists()  # a refused address creates nothing


@pytest.mark.parametrize(
    "channel",
    ["discord:123456789012345678:234567890123456789", "slack:T0123ABCD:G0456EFGH", "terminal:abc:def"],
)
def test_schedule_list_shows_each_address_as_it_was_given(tmp_path: Path, channel: str) -> None:
    """Rich would print ``terminal:abc:def`` as ``terminal🔤def`` (an emoji code) and eat ``[b]`` tags."""
    assert run_quizbot(["schedule", "add", channel, "09:00"], tmp_path).returncode == 0
    assert channel in _schedules(tmp_path)


def test_validate_summary_shows_topics_as_written(tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "odd.yaml").write_text(
        TWO_QUESTIONS.replace("topic: demo", "topic: '[bold]x[/bold] :abc:'"), encoding="utf-8"
    )
    result = run_quizbot(["validate", str(bank)], tmp_path)
    assert result.returncode == 0, result.stdout
    assert "[bold]x[/bold] :abc:" in result.stdout


@pytest.mark.parametrize(
    "command",
    [["db", "current"], ["export", "scores"], ["players", "forget", "slack:U1"], ["db", "downgrade", "-1"]],
)
def test_commands_that_only_read_refuse_a_missing_database_instead_of_creating_it(
    tmp_path: Path, command: list[str]
) -> None:
    result = run_quizbot(command, tmp_path)
    assert result.returncode != 0
    missing = tmp_path / "play.db"
    assert result.stderr.strip().splitlines() == [
        f"quizbot: no database at {missing}; set QUIZBOT_DATABASE_URL or run from the bot's folder"
    ]
    assert not (tmp_path / "play.db").exists()


def test_questions_upload_list_download_remove_for_one_server(tmp_path: Path) -> None:
    server = "discord:123456789012345678"
    sheet = tmp_path / "Team Sheet.csv"
    sheet.write_text(
        "type,prompt,answer\nshort,Which tool runs our pipelines?,Airflow\ntf,We deploy on Fridays.,no\n"
    )
    added = run_quizbot(["questions", "upload", str(sheet), "--server", server], tmp_path)
    assert added.returncode == 0, added.stderr
    assert "added 'team-sheet': 2 questions (team-sheet)" in added.stdout

    listed = run_quizbot(["questions", "list", "--server", server], tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "bundled bank: on" in listed.stdout
    assert "team-sheet" in listed.stdout and "operator" in listed.stdout
    other = run_quizbot(["questions", "list", "--server", "discord:999999999999999999"], tmp_path)
    assert "no files of this server's own" in other.stdout  # another server never sees the file

    shown = run_quizbot(["questions", "download", "team-sheet", "--server", server], tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert "prompt: Which tool runs our pipelines?" in shown.stdout
    saved = tmp_path / "back.yaml"
    written = run_quizbot(
        ["questions", "download", "team-sheet", "--server", server, "--out", str(saved)], tmp_path
    )
    assert written.returncode == 0, written.stderr
    assert saved.read_text() == shown.stdout
    assert run_quizbot(["validate", str(saved)], tmp_path).returncode == 0

    broken = tmp_path / "broken.csv"
    broken.write_text("type,prompt,choices,answer\nmc,Four in Roman numerals?,IV|iv|V,IV\n")
    refused = run_quizbot(["questions", "upload", str(broken), "--server", server], tmp_path)
    assert refused.returncode == 1
    assert "broken.csv:2: field 'choices' lists 'iv' twice" in refused.stdout
    assert "nothing was stored" in refused.stderr

    off = run_quizbot(["questions", "bundled", "off", "--server", server], tmp_path)
    assert f"bundled bank off for {server}" in off.stdout, off.stderr

    removed = run_quizbot(["questions", "remove", "team-sheet", "--server", server], tmp_path)
    assert removed.returncode == 0, removed.stderr
    assert "removed 'team-sheet' (2 questions)" in removed.stdout
    after = run_quizbot(["questions", "list", "--server", server], tmp_path)
    assert "no files of this server's own" in after.stdout and "bundled bank: off" in after.stdout
    gone = run_quizbot(["questions", "download", "team-sheet", "--server", server], tmp_path)
    assert gone.returncode != 0 and "no question file named 'team-sheet'" in gone.stderr
