"""Rich consoles for terminal output that never reinterpret the text they print.

Question banks, player names, channel addresses and command-line arguments reach the terminal verbatim: Rich
markup (``[bold]``) and emoji codes (``:abc:`` would print as 🔤) are both off, and so is Rich's highlighting
of numbers and paths. Styles are applied only through ``rich.text.Text`` objects built by our own code.
"""

from __future__ import annotations

import sys

from rich.console import Console

PIPE_WIDTH = 200
"""Tables written to a pipe or file use up to this many columns: Rich's default of 80 would cut a channel
address short with "…", and a script (or a person copying it into ``schedule remove``) needs all of it."""


def plain_console(*, soft_wrap: bool | None = None) -> Console:
    """A console for standard output. ``soft_wrap`` defaults to one line per message unless on a terminal."""
    terminal = sys.stdout.isatty()
    wrap = soft_wrap if soft_wrap is not None else not terminal
    return Console(
        markup=False, emoji=False, highlight=False, soft_wrap=wrap, width=None if terminal else PIPE_WIDTH
    )
