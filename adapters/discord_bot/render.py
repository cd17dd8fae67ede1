"""Turn the engine's plain objects into Discord embeds and text.

Everything shown comes either from a question file or from a user's display name, so none of it is trusted:
names are markdown-escaped, and every send elsewhere passes ``AllowedMentions.none()`` so that a stray
``@everyone`` in a question or a name can never ping. Discord's size limits are enforced here, next to the
text they apply to.
"""

from __future__ import annotations

import discord

from quizbot.domain import (
    MONTH_NAMES,
    AnswerResult,
    AnswerStatus,
    AskedQuestion,
    AskKind,
    CloseSummary,
    Leaderboard,
    LeaderboardEntry,
    Period,
    PlayerStats,
    Question,
    Ranking,
    Reminder,
)
from quizbot.recall import review_lines

# Discord limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
EMBED_TITLE_MAX = 256
EMBED_DESCRIPTION_MAX = 4096
EMBED_FIELD_VALUE_MAX = 1024
MESSAGE_CONTENT_MAX = 2000

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

RIGHT = discord.Colour.green()
WRONG = discord.Colour.red()
NEUTRAL = discord.Colour.blurple()

PERIOD_TITLES = {Period.ALL: "all time", Period.WEEK: "this week", Period.MONTH: "this month"}
PRACTICE = "Practice — no points"
REVIEWS_COMMAND = "/quiz-review asks only reviews"
WEEKLY_TOP_SHOWN = 5


def clip(text: str, limit: int) -> str:
    """Cut ``text`` to ``limit`` characters, marking the cut with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def name(text: str) -> str:
    """A display name made safe to show in bold: markdown escaped so it cannot break the layout."""
    return discord.utils.escape_markdown(text) or "someone"


def letter(index: int) -> str:
    return LETTERS[index]


def question_embed(asked: AskedQuestion, *, answered: int | None = None) -> discord.Embed:
    """The question with its choices spelled out in full (button labels may be cut at 80 characters)."""
    question = asked.question
    lines = [question.prompt, ""]
    if question.has_choices:
        lines += [f"**{letter(i)}.** {choice}" for i, choice in enumerate(question.choices)]
    else:
        lines.append("Press **Answer** and type your answer.")
    heading = "Daily question" if asked.kind is AskKind.DAILY else "Quiz"
    if asked.review:
        heading = "Review"
    elif asked.practice:
        heading = "Practice"
    embed = discord.Embed(
        title=clip(f"{heading} · {question.topic} · {question.difficulty.value}", EMBED_TITLE_MAX),
        description=clip("\n".join(lines), EMBED_DESCRIPTION_MAX),
        colour=NEUTRAL,
    )
    footer = f"{question.points} point{'s' if question.points != 1 else ''} for a right answer"
    if asked.review:
        footer = f"Review — no points: you answered this before and it is due again ({REVIEWS_COMMAND})"
    elif asked.practice:
        footer = f"{PRACTICE}: you have answered every question here, so this one is a repeat"
    if answered is not None:
        footer += f" · {answered} answered so far"
    embed.set_footer(text=footer)
    if question.image:  # Discord fetches and shows it below the text; the bank admits only https links
        embed.set_image(url=question.image)
    return embed


def result_embed(result: AnswerResult) -> discord.Embed:
    """What the player privately sees after answering: right or wrong, the answer and why.

    A daily question whose channel reveals answers at close (``result.reveal`` False) only confirms that the
    answer was recorded: telling one player privately would let them tell the channel.
    """
    question = result.question
    if not result.reveal:
        verdict = f"Your answer **{clip(result.given, 300)}** is in."
        if result.status is AnswerStatus.ALREADY_ANSWERED:
            verdict = f"You already answered **{clip(result.given, 300)}**; your first answer stands."
        return discord.Embed(
            title=clip(question.prompt, EMBED_TITLE_MAX),
            description=verdict + "\nThe answer is revealed when the question closes.",
            colour=NEUTRAL,
        )
    if result.status is AnswerStatus.ALREADY_ANSWERED:
        verdict = "You already answered this one; your first answer stands."
        verdict += f"\nYou answered **{clip(result.given, 300)}**: {'right' if result.correct else 'wrong'}."
    elif result.correct and result.practice:
        verdict = f"✅ Right! {PRACTICE}."
    elif result.correct:
        verdict = f"✅ Right! +{result.points} point{'s' if result.points != 1 else ''}."
        if result.streak > 1:
            verdict += f" Streak: {result.streak} in a row."
        if result.accepted_as:
            verdict += f"\nAccepted as **{clip(result.accepted_as, 300)}**."  # a typo was forgiven
    else:
        verdict = f"❌ Not quite: you answered **{clip(result.given, 300)}**."
        if result.practice:
            verdict += f" {PRACTICE}."
    embed = discord.Embed(
        title=clip(question.prompt, EMBED_TITLE_MAX),
        description=verdict,
        colour=RIGHT if result.correct else WRONG,
    )
    embed.add_field(name="Answer", value=clip(question.correct_answer, EMBED_FIELD_VALUE_MAX), inline=False)
    if question.explanation:
        embed.add_field(name="Why", value=clip(question.explanation, EMBED_FIELD_VALUE_MAX), inline=False)
    if question.source is not None:
        source = f"{question.source.document} — {question.source.section}"
        embed.set_footer(text=clip(f"Source: {source}", 2048))
    return embed


REFUSALS = {
    AnswerStatus.CLOSED: "This question is closed; answers are no longer counted.",
    AnswerStatus.NOT_FOR_YOU: "This question was asked to someone else. Run /quiz for your own.",
    AnswerStatus.INVALID: "That answer does not fit this question.",
}
"""Statuses where nothing was recorded, and what the player is told instead of a result."""


EMPTY_ANSWER = "Your answer was empty. Press **Answer** and type it again."
"""For a typed answer of only blanks or invisible characters: nothing was recorded, the player retries."""


def refusal_text(result: AnswerResult) -> str | None:
    """The message for an answer that was not recorded, or None when there is a result to show."""
    if result.status is AnswerStatus.INVALID and not result.question.has_choices:
        return EMPTY_ANSWER
    return REFUSALS.get(result.status)


def _board_line(entry: LeaderboardEntry, *, me: bool, streaks: bool = False, accuracy: bool = False) -> str:
    who = f"**{name(entry.name)}**" + (" (you)" if me else "")
    line = f"`{entry.rank:>3}.` {who} — {entry.points} pts · {entry.correct}/{entry.answered} right"
    if accuracy:
        line = f"`{entry.rank:>3}.` {who} — {entry.accuracy:.0%} right · {entry.correct}/{entry.answered}"
    if streaks and entry.streak > 1:
        line += f" · {entry.streak} in a row"
    return line


def board_title(board: Leaderboard, title: str = "Leaderboard") -> str:
    """``Leaderboard · all time``, ``Leaderboard · week of 2026-11-16``, ``Leaderboard · November 2026``,
    ``Final standings · week of …`` or ``Accuracy · all time``."""
    if board.ranking is Ranking.ACCURACY:
        title = "Accuracy"
    if board.period is Period.WEEK and board.week_start is not None:
        return f"{'Final standings' if board.final else title} · week of {board.week_start.isoformat()}"
    if board.period is Period.MONTH and board.month_start is not None:
        month = f"{MONTH_NAMES[board.month_start.month - 1]} {board.month_start.year}"
        return f"{'Final standings' if board.final else title} · {month}"
    return f"{title} · {PERIOD_TITLES[board.period]}"


def leaderboard_embed(board: Leaderboard, *, title: str = "Leaderboard") -> discord.Embed:
    """The top of the board, then the caller's own line when it is not among them."""
    me_key = board.me.player_key if board.me else None
    accuracy = board.ranking is Ranking.ACCURACY
    lines = [_board_line(e, me=e.player_key == me_key, accuracy=accuracy) for e in board.entries]
    if not lines:
        lines.append(f"Nobody has {board.min_answers} answers yet." if accuracy else "Nobody has scored yet.")
        lines[-1] += " Run /quiz to be first!"
    if board.me is not None and all(e.player_key != me_key for e in board.entries):
        lines += ["…", _board_line(board.me, me=True, accuracy=accuracy)]
    embed = discord.Embed(
        title=clip(board_title(board, title), EMBED_TITLE_MAX),
        description=clip("\n".join(lines), EMBED_DESCRIPTION_MAX),
        colour=NEUTRAL,
    )
    if accuracy:
        embed.set_footer(text=f"Share of right answers; players are ranked from {board.min_answers} answers.")
    return embed


def stats_embed(stats: PlayerStats) -> discord.Embed:
    embed = discord.Embed(title=clip(f"Quiz stats · {stats.player.name}", EMBED_TITLE_MAX), colour=NEUTRAL)
    embed.add_field(name="Answered", value=str(stats.answered))
    embed.add_field(name="Right", value=f"{stats.correct} ({stats.accuracy:.0%})")
    embed.add_field(name="Points", value=str(stats.points))
    embed.add_field(name="Streak", value=str(stats.streak))
    embed.add_field(name="Best streak", value=str(stats.best_streak))
    if stats.daily_best_streak:
        embed.add_field(
            name="Daily streak here", value=f"{stats.daily_streak} (best {stats.daily_best_streak})"
        )
    if stats.reviews is not None:
        reviews, *mastery = review_lines(stats.reviews)
        embed.add_field(name="Reviews", value=clip(reviews.removeprefix("Reviews: "), EMBED_FIELD_VALUE_MAX))
        if mastery:
            name, _, value = mastery[0].partition(": ")
            embed.add_field(name=name, value=clip(value, EMBED_FIELD_VALUE_MAX), inline=False)
    return embed


def reminder_text(reminder: Reminder) -> str:
    """The weekly private reminder (a DM) of a player who opted in with ``/quiz-reminders``."""
    return (
        f"{reminder.due_text} in your quiz. Run /quiz-review in your server to answer them before you "
        "forget. /quiz-reminders off stops these messages."
    )


def reveal_heading(question: Question) -> tuple[str, str]:
    """The reveal's title and description: what recognises a reveal in the channel's history."""
    return (
        clip(f"Answer: {question.correct_answer}", EMBED_TITLE_MAX),
        clip(question.prompt, EMBED_DESCRIPTION_MAX),
    )


def close_embed(summary: CloseSummary, board: Leaderboard) -> discord.Embed:
    """The daily question's reveal: answer, explanation, share right, first right, weekly top 5."""
    question: Question = summary.asked.question
    title, description = reveal_heading(question)
    embed = discord.Embed(title=title, description=description, colour=RIGHT)
    if question.explanation:
        embed.add_field(name="Why", value=clip(question.explanation, EMBED_FIELD_VALUE_MAX), inline=False)
    if summary.answered:
        share = f"{summary.correct} of {summary.answered} got it right ({summary.share_correct:.0%})."
    else:
        share = "Nobody answered this one."
    embed.add_field(name="Results", value=share, inline=False)
    if summary.first_correct:
        first = ", ".join(name(n) for n in summary.first_correct)
        embed.add_field(name="First right", value=clip(first, EMBED_FIELD_VALUE_MAX), inline=False)
    top = [_board_line(e, me=False, streaks=True) for e in board.entries[:WEEKLY_TOP_SHOWN]]
    if top:
        embed.add_field(
            name=clip(board_title(board, f"Top {WEEKLY_TOP_SHOWN}"), 256),
            value=clip("\n".join(top), EMBED_FIELD_VALUE_MAX),
            inline=False,
        )
    return embed


def closed_question_embed(asked: AskedQuestion) -> discord.Embed:
    """The daily post once closed: the question stays readable, marked closed."""
    embed = question_embed(asked)
    embed.set_footer(text="Closed · see the answer below")
    return embed


def reload_text(ok: bool, questions: int, errors: tuple[str, ...] | list[str], shown: int = 5) -> str:
    """The admin's reload report: the first few errors, each on its own line, in a code block."""
    if ok:
        return f"Reloaded: {questions} questions are now served."
    listed = "\n".join(clip(e, 300) for e in errors[:shown]).replace("```", "'''")
    more = f"\n…and {len(errors) - shown} more." if len(errors) > shown else ""
    text = f"Reload failed; still serving the previous {questions} questions.\n```\n{listed}\n```{more}"
    return clip(text, MESSAGE_CONTENT_MAX)
