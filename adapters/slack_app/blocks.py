"""Block Kit rendering of the engine's plain objects: questions, results, leaderboards, help.

Every function returns plain dicts built through ``slack_sdk.models`` objects, whose ``to_dict()`` checks
Slack's limits before anything is sent: 50 blocks per message, 25 elements per actions block, section text
3000 characters, button text 75, header 150, modal title 24. Text from question files and users is escaped
(see ``escape.py``) and clipped to those limits here, so a long or hostile question cannot break a message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    ImageBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from adapters.slack_app.escape import clip, escape, escape_clipped
from adapters.slack_app.ids import (
    ANSWER_BLOCK,
    ANSWER_INPUT,
    ANSWER_MODAL,
    REPORT_ACTION,
    REPORT_MODAL,
    REPORT_REASON_BLOCK,
    REPORT_REASON_INPUT,
    REPORT_TEXT_BLOCK,
    REPORT_TEXT_INPUT,
    TYPE_ANSWER_ACTION,
    ModalContext,
    answer_action_id,
    answer_value,
)
from quizbot.domain import (
    BOARDS,
    AnswerResult,
    AnswerStatus,
    AskedQuestion,
    AskKind,
    CloseSummary,
    Leaderboard,
    LeaderboardEntry,
    Period,
    PlayerStats,
    QuestionType,
    Ranking,
    Reminder,
)
from quizbot.health import HealthReport, ReportReason, describe
from quizbot.recall import review_lines

if TYPE_CHECKING:
    from quizbot.engine import ReloadReport

SECTION_MAX = 3000
BUTTON_TEXT_MAX = 75
HEADER_MAX = 150
ACTIONS_MAX_ELEMENTS = 25
MODAL_TITLE_MAX = 24
FALLBACK_TEXT_MAX = 300
"""The top-level ``text`` is only the notification/fallback line; keep it short."""
NAME_MAX = 60
ANSWER_INPUT_MAX = 200
REPORT_TEXT_MAX = 300
"""What a player may type in a report (the engine stores up to 500 characters)."""
MAX_ERRORS_SHOWN = 15
MESSAGE_BLOCKS_MAX = 50
"""Slack's limit of blocks in one message."""

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
MEDALS = {1: ":first_place_medal:", 2: ":second_place_medal:", 3: ":third_place_medal:"}
CLOSE_BOARD_MAX = 5
# Day and month names are spelled out here rather than with strftime, whose names follow the host's locale.
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
HELD_BACK = "Answer recorded — the answer is revealed when the question closes."
ALREADY = "You already answered this one: your first answer stands."
PRACTICE = "Practice — no points"


@dataclass(frozen=True, slots=True)
class Message:
    """A message body: the fallback ``text`` shown in notifications, and the blocks."""

    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)

    def kwargs(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks}


def _dicts(blocks: Sequence[Block]) -> list[dict[str, Any]]:
    return [b.to_dict() for b in blocks]


def _mrkdwn(text: str) -> MarkdownTextObject:
    """mrkdwn with ``verbatim``: Slack then links or pings nothing on its own (a bare "@here" stays text);
    our escaping already keeps ``<!channel>``-style mentions out."""
    return MarkdownTextObject(text=clip(text, SECTION_MAX), verbatim=True)


def _section(mrkdwn: str, block_id: str | None = None) -> SectionBlock:
    return SectionBlock(block_id=block_id, text=_mrkdwn(mrkdwn))


def _context(mrkdwn: str) -> ContextBlock:
    return ContextBlock(elements=[_mrkdwn(mrkdwn)])


def _header(plain: str) -> HeaderBlock:
    return HeaderBlock(text=PlainTextObject(text=clip(plain, HEADER_MAX)))


def _fallback(mrkdwn: str) -> str:
    return clip(mrkdwn, FALLBACK_TEXT_MAX)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def notice(mrkdwn: str) -> Message:
    """A one-section private notice; the caller has already escaped any outside text in ``mrkdwn``."""
    return Message(_fallback(mrkdwn), _dicts([_section(mrkdwn)]))


# -- questions -----------------------------------------------------------------------------------------------


def _question_intro(asked: AskedQuestion) -> str:
    q = asked.question
    if asked.review:
        return (
            f"*Review* · {escape(q.topic)} · {q.difficulty.value} · "
            "you answered this before and it is due again (no points)"
        )
    if asked.practice:
        return (
            f"*{PRACTICE}* · {escape(q.topic)} · {q.difficulty.value} · "
            "you have answered every question here, so this one is a repeat"
        )
    label = "Question of the day" if asked.kind is AskKind.DAILY else "Your question"
    return f"*{label}* · {escape(q.topic)} · {q.difficulty.value} ({_plural(q.points, 'point')})"


def _choice_buttons(asked: AskedQuestion) -> tuple[list[Block], bool]:
    """One button per choice (rows of at most 25); True when a label had to be shortened."""
    q = asked.question
    buttons: list[ButtonElement] = []
    shortened = False
    for index, choice in enumerate(q.choices):
        label = escape(choice) if q.type is QuestionType.TRUE_FALSE else f"{LETTERS[index]}. {escape(choice)}"
        shortened = shortened or len(label) > BUTTON_TEXT_MAX
        buttons.append(
            ButtonElement(
                text=PlainTextObject(text=clip(label, BUTTON_TEXT_MAX)),
                action_id=answer_action_id(index),
                value=answer_value(asked.id, index),
            )
        )
    rows: list[Block] = [
        ActionsBlock(block_id=f"quiz-choices-{n}", elements=buttons[i : i + ACTIONS_MAX_ELEMENTS])
        for n, i in enumerate(range(0, len(buttons), ACTIONS_MAX_ELEMENTS))
    ]
    return rows, shortened


def _question_body(asked: AskedQuestion, *, buttons: bool) -> list[Block]:
    q = asked.question
    blocks: list[Block] = [_context(_question_intro(asked)), _section(escape(q.prompt), "quiz-prompt")]
    if q.image:  # Slack fetches the picture itself; the bank schema only admits https links
        blocks.append(
            ImageBlock(image_url=q.image, alt_text="Picture for the question", block_id="quiz-image")
        )
    if not q.has_choices:
        if buttons:
            blocks.append(
                ActionsBlock(
                    block_id="quiz-type-answer",
                    elements=[
                        ButtonElement(
                            text=PlainTextObject(text="Type your answer"),
                            action_id=TYPE_ANSWER_ACTION,
                            value=str(asked.id),
                            style="primary",
                        )
                    ],
                )
            )
        return blocks
    rows, shortened = _choice_buttons(asked)
    if shortened or (not buttons and q.type is not QuestionType.TRUE_FALSE):
        listing = "\n".join(f"*{LETTERS[i]}.* {escape(c)}" for i, c in enumerate(q.choices))
        blocks.append(_section(listing, "quiz-choice-list"))
    if buttons:
        blocks.extend(rows)
    return blocks


def question_message(asked: AskedQuestion, *, answered: int | None = None) -> Message:
    """A question with one button per choice (or an "Answer" button for short answers).

    ``answered`` adds the running count shown on public daily posts.
    """
    blocks = _question_body(asked, buttons=True)
    if answered is not None:
        blocks.append(_context(f"{_plural(answered, 'answer')} so far · only you see your own answer"))
    return Message(_fallback(escape(asked.question.prompt)), _dicts(blocks))


def answer_modal(asked: AskedQuestion, context: ModalContext) -> dict[str, Any]:
    """The modal in which a short answer is typed (opened with the click's ``trigger_id``)."""
    view = View(
        type="modal",
        callback_id=ANSWER_MODAL,
        title=PlainTextObject(text=clip("Quiz", MODAL_TITLE_MAX)),
        submit=PlainTextObject(text="Answer"),
        close=PlainTextObject(text="Cancel"),
        private_metadata=context.dump(),
        blocks=[
            _section(escape(asked.question.prompt), "quiz-prompt"),
            InputBlock(
                block_id=ANSWER_BLOCK,
                label=PlainTextObject(text="Your answer"),
                element=PlainTextInputElement(action_id=ANSWER_INPUT, max_length=ANSWER_INPUT_MAX),
            ),
        ],
    )
    return view.to_dict()


# -- answers -------------------------------------------------------------------------------------------------


def _reveal(result: AnswerResult) -> list[Block]:
    blocks: list[Block] = [_section(f"*Correct answer:* {escape(result.correct_answer)}", "quiz-answer")]
    if result.explanation:
        blocks.append(_section(escape(result.explanation), "quiz-explanation"))
    return blocks


def _verdict(result: AnswerResult) -> str:
    given = escape(result.given) if result.given else "your answer"
    if result.correct:
        gained = f"+{_plural(result.points, 'point')}" if result.status is AnswerStatus.ACCEPTED else "right"
        if result.practice:
            gained = PRACTICE.lower()
        verdict = f":white_check_mark: *Correct!* {given} ({gained})"
        if result.accepted_as:  # a typo was forgiven: show the spelling that counted
            verdict += f"\nAccepted as *{escape(result.accepted_as)}*."
        return verdict
    return f":x: *Not quite.* You answered {given}." + (f" ({PRACTICE.lower()})" if result.practice else "")


def _held_back(result: AnswerResult) -> list[Block]:
    """The confirmation for a channel that reveals answers at close: what was given, nothing about it.

    No verdict, points, streak, correct answer or explanation: any of them would tell the clicker (and
    anyone looking over their shoulder) the answer before the question closes.
    """
    given = escape(result.given) if result.given else "your answer"
    lines = f":ballot_box_with_check: *{HELD_BACK}*\nYou answered {given}."
    if result.status is AnswerStatus.ALREADY_ANSWERED:
        lines = f"*{ALREADY}*\n{lines}"
    return [_section(lines, "quiz-verdict")]


def answer_message(result: AnswerResult, asked: AskedQuestion | None = None) -> Message:
    """What the player privately sees after answering; with ``asked``, the question is shown above it.

    ``result.reveal`` False (a daily question in a channel that reveals at close) only confirms the answer.
    A practice answer shows its question as practice, never with the points it would have earned.
    """
    if asked is not None and result.practice:
        asked = replace(asked, practice=True)
    blocks: list[Block] = _question_body(asked, buttons=False) if asked is not None else []
    status = result.status
    if result.recorded and not result.reveal:
        blocks += _held_back(result)
        headline = ALREADY if status is AnswerStatus.ALREADY_ANSWERED else HELD_BACK
    elif status is AnswerStatus.ACCEPTED:
        headline = _verdict(result)
        blocks += [_section(headline, "quiz-verdict"), *_reveal(result)]
        if result.correct and result.streak > 1:
            blocks.append(_context(f":fire: {result.streak} right in a row (best {result.best_streak})"))
    elif status is AnswerStatus.ALREADY_ANSWERED:
        headline = ALREADY
        blocks += [_section(f"*{headline}*\n{_verdict(result)}", "quiz-verdict"), *_reveal(result)]
    elif status is AnswerStatus.CLOSED:
        headline = "This question is closed; answers no longer count."
        blocks += [_section(headline, "quiz-verdict"), *_reveal(result)]
    elif status is AnswerStatus.NOT_FOR_YOU:
        headline = "This question was asked to someone else. Run `/quiz` for one of your own."
        blocks.append(_section(headline, "quiz-verdict"))
    else:
        headline = "That answer does not fit this question."
        blocks.append(_section(headline, "quiz-verdict"))
    if result.recorded or status is AnswerStatus.CLOSED:
        blocks.append(_report_button(result.asked_id))
    return Message(_fallback(headline), _dicts(blocks))


def _report_button(asked_id: int) -> ActionsBlock:
    """ "Report a problem" under a result: ``action_id`` is fixed, the value is the asked id (≤ 20 digits,
    far under Slack's 2,000-character value limit)."""
    button = ButtonElement(
        text=PlainTextObject(text=":triangular_flag_on_post: Report a problem", emoji=True),
        action_id=REPORT_ACTION,
        value=str(asked_id),
    )
    return ActionsBlock(block_id="quiz-report", elements=[button])


def report_modal(context: ModalContext) -> dict[str, Any]:
    """The modal in which a player says what is wrong with a question: a reason and optional words."""
    options = [Option(text=PlainTextObject(text=r.label), value=r.value) for r in ReportReason]
    view = View(
        type="modal",
        callback_id=REPORT_MODAL,
        title=PlainTextObject(text=clip("Report a problem", MODAL_TITLE_MAX)),
        submit=PlainTextObject(text="Send"),
        close=PlainTextObject(text="Cancel"),
        private_metadata=context.dump(),
        blocks=[
            InputBlock(
                block_id=REPORT_REASON_BLOCK,
                label=PlainTextObject(text="What is wrong?"),
                element=StaticSelectElement(action_id=REPORT_REASON_INPUT, options=options),
            ),
            InputBlock(
                block_id=REPORT_TEXT_BLOCK,
                label=PlainTextObject(text="Anything to add?"),
                optional=True,
                element=PlainTextInputElement(
                    action_id=REPORT_TEXT_INPUT, multiline=True, max_length=REPORT_TEXT_MAX
                ),
            ),
        ],
    )
    return view.to_dict()


# -- leaderboard and stats -----------------------------------------------------------------------------------


def _day_month(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]}"


def board_title(board: Leaderboard) -> str:
    """``All time``, ``This week (from Mon 16 Nov)``, ``This month (from 1 Nov)``, ``Final standings, week of
    16 Nov`` or ``Final standings, Nov 2026`` once over; an accuracy board starts ``Accuracy``."""
    prefix = "Accuracy, " if board.ranking is Ranking.ACCURACY else ""
    if board.period is Period.MONTH:
        if board.month_start is None:
            return f"{prefix}This month"
        if board.final:
            return f"Final standings, {MONTHS[board.month_start.month - 1]} {board.month_start.year}"
        return f"{prefix}This month (from {_day_month(board.month_start)})"
    if board.period is not Period.WEEK:
        return f"{prefix}All time"
    if board.week_start is None:
        return f"{prefix}This week"
    if board.final:
        return f"Final standings, week of {_day_month(board.week_start)}"
    return f"{prefix}This week (from {WEEKDAYS[board.week_start.weekday()]} {_day_month(board.week_start)})"


def _entry_line(entry: LeaderboardEntry, *, mine: bool, streak: bool = False, accuracy: bool = False) -> str:
    """One ranked line; the top 3 get a medal and a bold name. ``streak`` adds the channel's daily streak;
    ``accuracy`` leads with the share right instead of the points."""
    medal = MEDALS.get(entry.rank)
    name = escape_clipped(entry.name or entry.player_key, NAME_MAX)
    place = f"{medal} *{name}*" if medal else f"*{entry.rank}.* {name}"
    fire = f" · :fire: {entry.streak}" if streak and entry.streak > 0 else ""
    you = " ← you" if mine else ""
    lead = f"{entry.accuracy:.0%} right" if accuracy else _plural(entry.points, "pt")
    return f"{place} · *{lead}* · {entry.correct}/{entry.answered} correct{fire}{you}"


def leaderboard_message(board: Leaderboard) -> Message:
    """The top of the board; the caller's own line (``board.me``) is added when it lies below the top."""
    title = board_title(board)
    accuracy = board.ranking is Ranking.ACCURACY
    me_key = board.me.player_key if board.me is not None else None
    blocks: list[Block] = [_header(f"Leaderboard · {title}")]
    if board.entries:
        lines = [_entry_line(e, mine=e.player_key == me_key, accuracy=accuracy) for e in board.entries]
        blocks.append(_section("\n".join(lines), "quiz-top"))
    elif accuracy:
        blocks.append(
            _section(f"Nobody has {board.min_answers} answers yet. `/quiz` to get there.", "quiz-top")
        )
    else:
        blocks.append(_section("No scores yet. Be the first: `/quiz`", "quiz-top"))
    shown = {e.player_key for e in board.entries}
    if board.me is not None and board.me.player_key not in shown:
        blocks += [DividerBlock(), _section(_entry_line(board.me, mine=True, accuracy=accuracy), "quiz-me")]
    elif board.me is None and board.entries:
        blocks.append(_context("You are not on this board yet. `/quiz` to start."))
    if accuracy:
        blocks.append(
            _context(f"Share of right answers · ranked from {_plural(board.min_answers, 'answer')}")
        )
    others = " · ".join(f"`/quiz leaderboard {name}`" for name in BOARDS if name != _board_name(board))
    blocks.append(_context(f"Everyone in this workspace · {others}"))
    return Message(f"Leaderboard: {title}", _dicts(blocks))


def _board_name(board: Leaderboard) -> str:
    """The word that asks for ``board`` (``/quiz leaderboard month``); empty for a board with no word."""
    return next((name for name, kind in BOARDS.items() if kind == (board.period, board.ranking)), "")


def stats_message(stats: PlayerStats, note: str = "") -> Message:
    """The caller's figures; ``note`` (a context line) says where their picture went, if anywhere."""
    if not stats.answered:
        return notice("You have not answered any question yet. `/quiz` to start.")
    fields = [
        MarkdownTextObject(text=f"*Answered*\n{stats.answered}"),
        MarkdownTextObject(text=f"*Correct*\n{stats.correct} ({stats.accuracy:.0%})"),
        MarkdownTextObject(text=f"*Points*\n{stats.points}"),
        MarkdownTextObject(text=f"*Streak*\n{stats.streak} (best {stats.best_streak})"),
    ]
    if stats.daily_best_streak:  # only in a channel with a daily question the player has got right
        fields.append(
            MarkdownTextObject(
                text=f"*Daily streak here*\n{stats.daily_streak} (best {stats.daily_best_streak})"
            )
        )
    blocks: list[Block] = [_header("Your quiz stats"), SectionBlock(block_id="quiz-stats", fields=fields)]
    if stats.reviews is not None:
        blocks.append(
            _section("\n".join(escape(line) for line in review_lines(stats.reviews)), "quiz-reviews")
        )
    if note:
        blocks.append(_context(note))
    return Message(
        f"{stats.correct}/{stats.answered} correct, {_plural(stats.points, 'point')}", _dicts(blocks)
    )


# -- help and admin replies ----------------------------------------------------------------------------------

# Our own text is mrkdwn too: its angle brackets are written as entities, or Slack would read links.
COMMANDS_HELP = (
    "*Quiz commands*\n"
    "`/quiz` · a random question, just for you\n"
    "`/quiz &lt;topic&gt;` · a question on that topic\n"
    "`/quiz topic &lt;name&gt;` · the same, for a topic named like a command\n"
    "`/quiz leaderboard [week|month|accuracy]` · the top 10 of this workspace (all time, this week, this "
    "month, or by share of right answers from 10 answers) and your rank\n"
    "`/quiz review` · a question you are due to review (it comes back before you forget it)\n"
    "`/quiz stats` · your answers, accuracy, points, streak, reviews due and mastery per topic\n"
    "`/quiz reminders on|off` · a weekly direct message when reviews are due (off by default)\n"
    "`/quiz help` · this help"
)
ADMIN_HELP = (
    "*For workspace admins*\n"
    "`/quiz schedule HH:MM [Area/City]` · a daily question in this channel "
    "(time zone: yours unless given)\n"
    "`/quiz unschedule` · stop the daily question in this channel\n"
    "`/quiz reload` · reload the question files (on errors the current questions stay)\n"
    "`/quiz questions` · this workspace's own question files: upload, download, remove, bundled on|off\n"
    "`/quiz health [topic]` · questions that are too easy, too hard, misleading, reported or too strict"
)


def help_message(topics: Sequence[str], unknown: str = "") -> Message:
    """The command list; ``unknown`` (what the user typed) is named first when it matched nothing."""
    blocks: list[Block] = []
    if unknown:
        said = escape_clipped(unknown.replace("`", "'"), 100)
        blocks.append(_section(f"`{said}` is neither a command nor a topic. Here is what I know:"))
    blocks.append(_section(COMMANDS_HELP, "quiz-help"))
    listed = ", ".join(f"`{escape(t)}`" for t in topics) if topics else "none yet"
    blocks.append(_context(clip(f"Topics: {listed}", 1000)))
    blocks.append(_section(ADMIN_HELP, "quiz-admin-help"))
    return Message(
        "Quiz commands: /quiz, /quiz &lt;topic&gt;, /quiz leaderboard, /quiz stats", _dicts(blocks)
    )


def reload_message(report: ReloadReport, serving: int) -> Message:
    """The outcome of ``/quiz reload``; file errors are listed one per line, escaped (they quote files)."""
    if report.ok:
        return notice(f":white_check_mark: Reloaded: {_plural(report.questions, 'question')}.")
    shown = [f"• {escape(e)}" for e in report.errors[:MAX_ERRORS_SHOWN]]
    more = len(report.errors) - len(shown)
    if more > 0:
        shown.append(f"… and {more} more")
    headline = (
        f":warning: Reload failed with {_plural(len(report.errors), 'error')}; "
        f"the previous {_plural(serving, 'question')} keep serving."
    )
    blocks: list[Block] = [_section(headline, "quiz-reload"), _section("\n".join(shown), "quiz-errors")]
    return Message(_fallback(headline), _dicts(blocks))


# -- daily posts ---------------------------------------------------------------------------------------------


def closed_question_message(summary: CloseSummary) -> Message:
    """The daily post once closed: the question without buttons and a one-line outcome."""
    asked = summary.asked
    blocks = _question_body(asked, buttons=False)
    blocks.append(
        _context(
            f"*Closed* · answer: {escape(asked.question.correct_answer)} · "
            f"{_plural(summary.answered, 'answer')}, {summary.share_correct:.0%} correct · "
            "details in the thread"
        )
    )
    return Message(_fallback(escape(asked.question.prompt)), _dicts(blocks))


def close_reveal_message(summary: CloseSummary, board: Leaderboard) -> Message:
    """The reveal when a daily question closes: answer, explanation, share right, firsts, weekly top 5."""
    q = summary.asked.question
    blocks: list[Block] = [_section(f"*Answer:* {escape(q.correct_answer)}", "quiz-answer")]
    if q.explanation:
        blocks.append(_section(escape(q.explanation), "quiz-explanation"))
    share = f"{_plural(summary.answered, 'answer')} · {summary.correct} correct ({summary.share_correct:.0%})"
    blocks.append(_section(share, "quiz-share"))
    if summary.first_correct:
        firsts = ", ".join(escape_clipped(n, NAME_MAX) for n in summary.first_correct)
        blocks.append(_section(f"*First right:* {firsts}", "quiz-firsts"))
    if board.entries:
        blocks.append(_section(_close_board(board), "quiz-week-top"))
    return Message(_fallback(f"Answer: {escape(q.correct_answer)}"), _dicts(blocks))


def _close_board(board: Leaderboard) -> str:
    """The channel's weekly top 5 with daily streaks; a finished week's post also names its top 3."""
    entries = board.entries[:CLOSE_BOARD_MAX]
    lines = [f"*{board_title(board)}*"]
    if board.final:  # ties share a rank, so the podium may hold more than three names
        podium = [
            escape_clipped(e.name or e.player_key, NAME_MAX) for e in entries if e.rank <= 3 and e.points
        ]
        if podium:
            named = podium[0] if len(podium) == 1 else ", ".join(podium[:-1]) + " and " + podium[-1]
            lines.append(f":trophy: Last week's top 3: {named}. Congratulations!")
    lines += [_entry_line(e, mine=False, streak=True) for e in entries]
    return "\n".join(lines)


def reminder_text(reminder: Reminder) -> str:
    """The weekly private reminder (a direct message) of a player who opted in with ``/quiz reminders on``."""
    return (
        f"{reminder.due_text} in your quiz. Run `/quiz review` to answer them before you forget. "
        "`/quiz reminders off` stops these messages."
    )


# -- question health -----------------------------------------------------------------------------------------


def health_message(report: HealthReport) -> Message:
    """``/quiz health``: one section per question that needs attention (each within Slack's 3,000
    characters), as many as fit in 50 blocks; the rest are counted, with the command that lists them all."""
    topic = f" on {escape(report.topic)}" if report.topic else ""
    if not report.questions:
        return notice(f"No question was asked in this workspace{topic} yet.")
    attention = report.attention
    head = f"{len(attention)} of {len(report.questions)} questions{topic} need attention"
    if not attention:
        return notice(f"{head}: none. (Shares count once {report.min_players} players answered.)")
    blocks: list[Block] = [_header("Question health"), _section(f"*{head}*")]
    room = MESSAGE_BLOCKS_MAX - len(blocks) - 1
    for question in attention[:room]:
        first, *rest = describe(question)
        blocks.append(_section("\n".join([f"*{escape(first)}*", *(escape(line) for line in rest)])))
    if len(attention) > room:
        more = len(attention) - room
        blocks.append(_context(f"…and {_plural(more, 'more question')}: `quizbot health` lists them all."))
    return Message(_fallback(head), _dicts(blocks))
