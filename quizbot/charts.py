"""Pictures of progress: the weekly top 10 and a player's last weeks, as PNG files for any chat platform.

People would rather look than read. Both pictures are drawn from plain engine objects (a
:class:`~quizbot.domain.Leaderboard`, a :class:`~quizbot.domain.PlayerHistory`) with matplotlib's Agg
renderer: no display, no pyplot and no global style changes, so renders in worker threads never step on each
other. matplotlib is imported on first use only, so starting the bot stays fast; the ``*_picture``
coroutines render in a worker thread (:func:`asyncio.to_thread`) because a render takes tens of
milliseconds, too long for the event loop that acks every click.

The pictures sit on a light card with dark text and a thin border, so they read the same in light and dark
chat themes (a transparent background would put dark text on a dark theme). Output is deterministic: no
timestamps or software tag in the PNG, fixed size and fonts. Names come from users: they are drawn as plain
text (no ``$math$``), with control characters removed, characters the fonts cannot draw shown as ``?``,
and clipped to :data:`NAME_MAX` characters. Discord shows an embed image up to 10 MB (we stay far below);
Slack shows a preview of an uploaded PNG in the message.
"""

from __future__ import annotations

import asyncio
import functools
import io
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from quizbot.domain import Leaderboard, PlayerHistory

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

TOP_SIZE = 10
"""Players on the weekly picture: ten bars stay readable on a phone."""
NAME_MAX = 20
"""Characters of a name shown on a bar; longer names end in an ellipsis."""

NAME_GAP_PX = 10
"""Pixels kept free between the end of a name and the start of its bar."""

WIDTH, HEIGHT, DPI = 8.0, 4.8, 100
"""800 × 480 pixels: sharp in a Discord embed (shown at most ~520 px wide) and in a Slack preview."""

CARD = "#F6F7F9"
BORDER = "#D0D4DB"
INK = "#1F2328"
MUTED = "#57606A"
GRID = "#E3E6EA"
BAR = "#3B6FD8"
LEADER = "#D99A00"
RIGHT = "#2F9E5B"
MISSED = "#E6B8B8"
STREAK = "#7A4FD6"
"""Dark ink on a light card: contrast above 12:1 for text, and bar colours that differ in lightness too,
so the pictures read in light and dark chat themes and for most colour-blind people."""

FONT_FAMILY = "DejaVu Sans"
"""Ships with matplotlib, so every machine draws the same picture; covers Latin, Greek and Cyrillic."""
FALLBACK_FAMILIES = ("Noto Sans CJK JP", "Noto Sans CJK SC", "Noto Sans", "Noto Sans Symbols 2")
"""Used for names DejaVu cannot draw, when the machine has them installed."""


@dataclass(frozen=True, slots=True)
class Picture:
    """A rendered PNG with the name it is uploaded under and a text alternative for screen readers."""

    filename: str
    data: bytes
    alt_text: str


# -- text -----------------------------------------------------------------------------------------------


@functools.cache
def _fonts() -> tuple[tuple[str, ...], tuple[Any, ...]]:
    """The font families to draw with (installed fallbacks only) and their glyph tables."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    installed = {f.name for f in font_manager.fontManager.ttflist}
    families = (FONT_FAMILY, *(f for f in FALLBACK_FAMILIES if f in installed))
    faces = []
    for family in families:
        path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        faces.append(FT2Font(path))
    return families, tuple(faces)


def _drawable(char: str) -> bool:
    return any(face.get_char_index(ord(char)) for face in _fonts()[1])


def clean_name(name: str, limit: int = NAME_MAX) -> str:
    """A user's name as it can be drawn: one line, no control or invisible characters, clipped."""
    chars = []
    for char in unicodedata.normalize("NFC", name):
        category = unicodedata.category(char)
        if category in ("Zl", "Zp", "Cc") or char.isspace():
            char = " "
        elif category.startswith("C") or category in ("So", "Sk") or (category == "Mn" and not chars):
            continue  # invisible characters, emoji and other pictographs the Agg renderer cannot colour
        elif not _drawable(char):
            char = "?"
        chars.append(char)
    text = " ".join("".join(chars).split()) or "?"
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def one_line(name: str, limit: int = 80) -> str:
    """A name for alt text: one line, clipped, otherwise as typed (screen readers read emoji and CJK)."""
    text = " ".join("".join(c for c in name if unicodedata.category(c)[0] != "C" or c.isspace()).split())
    return (text if len(text) <= limit else text[: limit - 1] + "…") or "?"


def _short_day(day: date) -> str:
    return f"{day.day} {day:%b}"


# -- figure plumbing -------------------------------------------------------------------------------------


def _figure() -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI, facecolor=CARD, edgecolor=BORDER, linewidth=2)
    FigureCanvasAgg(figure)  # a renderer from the start, so names can be measured before saving
    return figure


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(
        buffer,
        format="png",
        dpi=DPI,
        facecolor=CARD,
        edgecolor=BORDER,
        metadata={"Software": None},  # no version tag: the same data gives the same bytes
    )
    return buffer.getvalue()


def _text(target: Any, x: float, y: float, text: str, **style: Any) -> Any:
    """Plain text, never parsed as ``$math$`` (a name like ``$5 $10`` must show as typed)."""
    style.setdefault("color", INK)
    style.setdefault("family", list(_fonts()[0]))
    return target.text(x, y, text, parse_math=False, **style)


def _plain_axes(axes: Axes) -> None:
    axes.set_facecolor(CARD)
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    axes.spines["bottom"].set_color(BORDER)
    axes.tick_params(colors=MUTED, labelsize=11, length=0)


def _heading(figure: Figure, title: str, subtitle: str) -> None:
    _text(figure, 0.03, 0.93, title, fontsize=17, fontweight="bold", va="baseline")
    _text(figure, 0.03, 0.87, subtitle, fontsize=11.5, color=MUTED, va="baseline")


def _empty(figure: Figure, message: str) -> None:
    _text(figure, 0.5, 0.45, message, fontsize=14, color=MUTED, ha="center", va="center")


# -- the weekly top ---------------------------------------------------------------------------------------


def weekly_top_png(board: Leaderboard) -> Picture:
    """The board's top :data:`TOP_SIZE` as horizontal bars of points, first place on top.

    Tied players share a rank (the board's competition ranking: 1, 2, 2, 4) and everyone ranked first gets
    the gold bar. A week without answers gives a card that says so.
    """
    entries = board.entries[:TOP_SIZE]
    week = (
        f"week of {_short_day(board.week_start)} {board.week_start.year}" if board.week_start else "this week"
    )
    title = f"Final standings · {week}" if board.final else f"Top {TOP_SIZE} · {week}"
    figure = _figure()
    _heading(figure, title, "Points this week · right answers / answers")
    alt = f"{title}: " + (
        "; ".join(f"{e.rank}. {one_line(e.name)} {e.points} points" for e in entries) or "no answers"
    )
    if not entries:
        _empty(figure, "Nobody answered that week." if board.final else "No answers this week yet.")
        return Picture("quiz-week.png", _png(figure), alt)
    axes = figure.add_axes((0.40, 0.06, 0.50, 0.76))
    _plain_axes(axes)
    rows = [TOP_SIZE - 1 - n for n in range(len(entries))]  # first place on top, bars always the same height
    points = [e.points for e in entries]
    top = max(max(points), 1)
    colours = [LEADER if e.rank == 1 else BAR for e in entries]
    axes.barh(rows, points, height=0.66, color=colours)
    axes.set_xlim(0, top * 1.02)
    axes.set_ylim(-0.6, TOP_SIZE - 0.4)
    axes.set_yticks([])
    axes.xaxis.set_visible(False)
    axes.spines["bottom"].set_visible(False)
    for row, entry in zip(rows, entries, strict=True):
        _label(axes, row, f"{entry.rank}.", clean_name(entry.name))
        value = f"{entry.points}  ·  {entry.correct}/{entry.answered}"
        inside = entry.points > top * 0.55
        _text(
            axes,
            entry.points - top * 0.015 if inside else entry.points + top * 0.015,
            row,
            value,
            fontsize=11.5,
            ha="right" if inside else "left",
            va="center",
            color=("#FFFFFF" if entry.rank != 1 else INK) if inside else INK,  # white on blue, ink on gold
            fontweight="bold" if inside else "normal",
        )
    return Picture("quiz-week.png", _png(figure), alt)


def _label(axes: Axes, row: int, rank: str, name: str) -> None:
    """Rank and name left of a bar, in figure space so long names never overlap the bars."""
    transform = axes.get_yaxis_transform()
    _text(axes, -0.64, row, rank, transform=transform, ha="right", va="center", fontsize=12, color=MUTED)
    label = _text(axes, -0.61, row, name, transform=transform, ha="left", va="center", fontsize=12.5)
    renderer = axes.figure.canvas.get_renderer()
    room = axes.get_window_extent(renderer).x0 - NAME_GAP_PX
    while label.get_window_extent(renderer).x1 > room and len(name) > 2:  # wide letters: WWWW…
        name = name[:-2].rstrip() + "…"
        label.set_text(name)


# -- a player's weeks -------------------------------------------------------------------------------------


def history_png(history: PlayerHistory) -> Picture:
    """A player's weeks: stacked bars of right and missed answers with the share right on top, and the
    longest run of right answers of each week below. Quiet weeks stay on the axis as empty slots."""
    weeks = history.weeks
    name = clean_name(history.player.name, 30)
    title = f"{name} · last {len(weeks)} weeks"
    best = max((w.best_streak for w in weeks), default=0)
    share = f"{history.correct / history.answered:.0%} right" if history.answered else "no answers yet"
    subtitle = f"{history.answered} answers · {share} · longest streak {best}"
    figure = _figure()
    _heading(figure, title, subtitle)
    alt = f"{one_line(history.player.name)}, last {len(weeks)} weeks: " + "; ".join(
        f"week of {_short_day(w.week_start)}: {w.correct}/{w.answered} right, streak {w.best_streak}"
        for w in weeks
    )
    if not history.answered:
        _empty(figure, f"No answers in the last {len(weeks)} weeks. Try /quiz!")
        return Picture("quiz-weeks.png", _png(figure), alt)
    answers_axes = figure.add_axes((0.05, 0.36, 0.92, 0.36))
    streak_axes = figure.add_axes((0.05, 0.08, 0.92, 0.17), sharex=answers_axes)
    slots = list(range(len(weeks)))
    right = [w.correct for w in weeks]
    missed = [w.answered - w.correct for w in weeks]
    tallest = max(max(w.answered for w in weeks), 1)

    _plain_axes(answers_axes)
    answers_axes.bar(slots, right, width=0.62, color=RIGHT, label="right")
    answers_axes.bar(slots, missed, width=0.62, bottom=right, color=MISSED, label="missed")
    answers_axes.set_ylim(0, tallest * 1.45)
    answers_axes.yaxis.set_visible(False)
    answers_axes.tick_params(labelbottom=False)
    for slot, week in zip(slots, weeks, strict=True):
        if not week.answered:
            _text(answers_axes, slot, 0, "–", ha="center", va="bottom", fontsize=12, color=MUTED)
            continue
        top = week.answered + tallest * 0.04
        _text(
            answers_axes,
            slot,
            top,
            f"{week.accuracy:.0%}",
            ha="center",
            va="bottom",
            fontsize=12,
            weight="bold",
        )
        ratio = f"{week.correct}/{week.answered}"
        _text(
            answers_axes,
            slot,
            top + tallest * 0.16,
            ratio,
            ha="center",
            va="bottom",
            fontsize=10.5,
            color=MUTED,
        )
    legend = answers_axes.legend(
        loc="lower left",
        bbox_to_anchor=(-0.01, 1.08),
        ncol=2,
        frameon=False,
        fontsize=10.5,
        labelcolor=MUTED,
        handlelength=1.0,
        borderaxespad=0,
    )
    legend.set_zorder(3)
    caption = "answers per week · share right"
    _text(
        answers_axes,
        1.0,
        1.12,
        caption,
        transform=answers_axes.transAxes,
        ha="right",
        fontsize=10.5,
        color=MUTED,
    )

    _plain_axes(streak_axes)
    streaks = [w.best_streak for w in weeks]
    streak_axes.bar(slots, streaks, width=0.32, color=STREAK)
    streak_axes.set_ylim(0, max(max(streaks), 1) * 1.6)
    streak_axes.yaxis.set_visible(False)
    streak_axes.set_xticks(slots, [_short_day(w.week_start) for w in weeks])
    streak_axes.set_xlim(-0.6, len(weeks) - 0.4)
    for slot, value in zip(slots, streaks, strict=True):
        if value:
            _text(
                streak_axes,
                slot,
                value,
                str(value),
                ha="center",
                va="bottom",
                fontsize=11,
                color=STREAK,
            )
    label = "longest streak in the week"
    _text(
        streak_axes,
        0.0,
        1.02,
        label,
        transform=streak_axes.transAxes,
        va="bottom",
        fontsize=10.5,
        color=MUTED,
    )
    return Picture("quiz-weeks.png", _png(figure), alt)


# -- async entry points ----------------------------------------------------------------------------------


async def weekly_top_picture(board: Leaderboard) -> Picture:
    """:func:`weekly_top_png` in a worker thread, so the event loop keeps answering clicks meanwhile."""
    return await asyncio.to_thread(weekly_top_png, board)


async def history_picture(history: PlayerHistory) -> Picture:
    """:func:`history_png` in a worker thread, so the event loop keeps answering clicks meanwhile."""
    return await asyncio.to_thread(history_png, history)
