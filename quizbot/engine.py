"""The quiz's use cases: ask, answer, leaderboard, stats, close, reload, schedules.

Every adapter (Discord, Slack, terminal) and the daily scheduler call these and nothing below them, so
each rule lives in exactly one place: which question comes next, the order of its choices, whether an
answer is right, the one-answer-per-player rule, points once per question (no farming), streaks, and the
weekly, monthly and accuracy boards.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from quizbot.bank import Bank, BankLoader, BankLoadError
from quizbot.domain import (
    AnswerResult,
    AnswerStatus,
    AskedQuestion,
    AskKind,
    CloseSummary,
    DatabaseUnavailableError,
    Difficulty,
    Leaderboard,
    LeaderboardEntry,
    NoQuestionError,
    NoReviewDueError,
    NotForYouError,
    Period,
    Place,
    Player,
    PlayerHistory,
    PlayerStats,
    Question,
    QuizError,
    Ranking,
    Reminder,
    Schedule,
    UnknownAskedError,
    WeekActivity,
)
from quizbot.health import (
    DEFAULT_MIN_PLAYERS,
    REPORT_TEXT_MAX,
    REPORT_THANKS,
    HealthReport,
    ReportReason,
    question_health,
)
from quizbot.invisible import looks_empty, strip_invisible
from quizbot.matching import judge, normalise
from quizbot.recall import REMINDER_INTERVAL_DAYS, CardState, card_values, review_stats, reviewed, when_due
from quizbot.server_questions import MAX_SERVER_QUESTIONS, MAX_UPLOAD_BYTES, ServerQuestions
from quizbot.settings import Settings
from quizbot.store import ScoreChange, ScoreRow, Store, Unit
from quizbot.words import Vocabulary

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
"""Returns the current time as an aware UTC datetime; tests inject a fake one."""

ALL_TIME = "all"
NO_LONGER_AVAILABLE = "That question is no longer available. Run /quiz for a new one."
NOT_FOR_YOU = "This question was asked to someone else. Run /quiz for one of your own."
MAX_ASKED_ID = 2**63 - 1
"""The largest id a BIGINT column (PostgreSQL) or an INTEGER (SQLite) holds."""
_ASKED_ID = re.compile(r"[1-9][0-9]{0,18}")
"""ASCII digits only: ``str.isdigit`` and ``int`` also accept ``²``, ``٣`` or ``1_000``."""
FIRST_CORRECT_SHOWN = 5
ACCURACY_MIN_ANSWERS = 10
"""Answers a player needs in a board's period before the accuracy board ranks them: without a minimum,
one lucky answer (100%) would lead it."""
_PERIOD_PREFIX = {Period.WEEK: "w", Period.MONTH: "m"}
"""The timed boards, by the prefix of their score-table period key (``w:2026-11-16``, ``m:2026-11-01``)."""
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_LETTERS = "ABCDE"
HISTORY_WEEKS = 8
"""Weeks shown in a player's history picture (``/quiz stats``): two months, one bar each."""
_DAILY = AskKind.DAILY.value
ANSWER_NOT_SAVED = "Couldn't save your answer — try again in a minute."


def system_clock() -> datetime:
    return datetime.now(UTC)


def period_start(period: Period, now: datetime, zone: str) -> date | None:
    """The first day of ``now``'s week or month in ``zone`` (None for all time): weekly boards reset at
    Monday 00:00 local time, monthly boards at 00:00 on the 1st."""
    local = now.astimezone(ZoneInfo(zone)).date()
    if period is Period.WEEK:
        return local - timedelta(days=local.weekday())
    if period is Period.MONTH:
        return local.replace(day=1)
    return None


def period_key(period: Period, now: datetime, zone: str) -> str:
    """The score-table period key of ``now``'s week or month in ``zone`` (``all`` for all time)."""
    start = period_start(period, now, zone)
    return ALL_TIME if start is None else f"{_PERIOD_PREFIX[period]}:{start.isoformat()}"


def week_key(now: datetime, zone: str) -> str:
    """The score-table period key of ``now``'s week in ``zone``."""
    return period_key(Period.WEEK, now, zone)


@functools.cache
def _iana_zones() -> frozenset[str]:
    # not "localtime", "posixrules" or "Factory": those would make a schedule depend on the host
    return frozenset(available_timezones()) - {"localtime", "posixrules", "Factory"}


def parse_zone(name: str) -> str:
    """Validate an IANA time zone name; the error message is for the admin who typed it."""
    if name not in _iana_zones():
        raise QuizError(f"Unknown time zone '{name}'. Use an IANA name like Europe/Berlin or UTC.")
    return name


def asked_id_of(value: object) -> int | None:
    """The asked-question id in a button value, ``custom_id`` or modal metadata; None if it is not one.

    Everything that arrives from a chat platform can be forged, so this is the one place that decides what
    an id looks like: an ``int`` or a string of ASCII digits, from 1 to :data:`MAX_ASKED_ID`. Anything else
    (2**63, a thousand digits, ``²``, ``Infinity``, ``-1``) would make the database driver raise
    ``OverflowError``; here it is simply a question that does not exist.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _ASKED_ID.fullmatch(value):
        number = int(value)
    else:
        return None
    return number if 1 <= number <= MAX_ASKED_ID else None


def parse_time(text: str) -> str:
    """Validate ``HH:MM`` (24-hour) and return it zero-padded."""
    match = _TIME.match(text.strip())
    if not match:
        raise QuizError(f"'{text}' is not a time; use 24-hour HH:MM, for example 09:30.")
    return f"{int(match.group(1)):02d}:{match.group(2)}"


@dataclass(frozen=True, slots=True)
class ReloadReport:
    ok: bool
    questions: int
    errors: tuple[str, ...] = ()


class QuizEngine:
    """The platform-neutral quiz. Create with :meth:`open`, close with :meth:`aclose`."""

    def __init__(
        self,
        store: Store,
        loader: BankLoader,
        bank: Bank,
        paths: Sequence[Any],
        *,
        clock: Clock = system_clock,
        rng: random.Random | None = None,
        max_upload_bytes: int = MAX_UPLOAD_BYTES,
        max_server_questions: int = MAX_SERVER_QUESTIONS,
    ) -> None:
        self.store = store
        self._loader = loader
        self._bank = bank
        self._paths = list(paths)
        self.clock = clock
        self.rng = rng or random.Random()
        self._reload_lock = asyncio.Lock()
        self.server_questions = ServerQuestions(
            store,
            lambda: self._bank,
            lambda: self.clock(),
            max_upload_bytes=max_upload_bytes,
            max_questions=max_server_questions,
        )
        """Each server's own uploaded question files (see :mod:`quizbot.server_questions`)."""
        self.daily_answer_listeners: list[Callable[[int], None]] = []
        """Called with the asked id after each recorded answer to a daily question (answer counts)."""

    @classmethod
    async def open(
        cls,
        settings: Settings,
        *,
        create: bool = True,
        clock: Clock = system_clock,
        rng: random.Random | None = None,
    ) -> QuizEngine:
        """Load the bank and connect the store. Raises :class:`BankLoadError` if the bank is invalid.

        ``create=False`` is for commands that only read (``schedule list``, ``post-daily``): they refuse a
        SQLite file that does not exist, since creating an empty one would only hide a wrong folder or URL.
        """
        loader = BankLoader(settings.max_bank_file_bytes, serve_drafts=settings.serve_drafts)
        paths = settings.question_paths
        bank = await asyncio.to_thread(_load, loader, paths)
        store = await Store.open(
            settings.database_url,
            create=create,
            migrate=settings.auto_migrate,
            connect_timeout=settings.db_connect_timeout,
            command_timeout=settings.db_command_timeout,
        )
        return cls(
            store,
            loader,
            bank,
            paths,
            clock=clock,
            rng=rng,
            max_upload_bytes=settings.max_upload_bytes,
            max_server_questions=settings.max_server_questions,
        )

    async def aclose(self) -> None:
        await self.store.aclose()

    async def __aenter__(self) -> QuizEngine:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        """``async with await QuizEngine.open(...) as engine:`` closes the store however the block ends."""
        await self.aclose()

    @property
    def bank(self) -> Bank:
        return self._bank

    # -- ask --------------------------------------------------------------------------------------------

    async def ask(
        self,
        place: Place,
        player: Player | None = None,
        *,
        topic: str | None = None,
        difficulty: Difficulty | None = None,
        kind: AskKind = AskKind.QUIZ,
        daily_seq: int | None = None,
        reveal_at_close: bool = False,
        review_only: bool = False,
    ) -> AskedQuestion:
        """Choose a question and record that it was asked.

        With ``player`` the question is private to that player and repeats are avoided per player; without,
        it belongs to the channel and repeats are avoided per channel. A question is asked again only when
        every eligible question has been asked as often. A player is first given the questions they have
        not answered in this server yet; once none is left, a repeat comes back marked ``practice`` (it will
        earn no points, see :meth:`answer`). Before either, a player gets the questions due for review
        (spaced repetition, see :mod:`quizbot.recall`), most overdue first, marked ``review``; these are
        practice too. ``review_only`` asks only a due review and raises :class:`NoReviewDueError` (saying
        when the next one is due) when there is none.

        Choices are shuffled here, once: the order is part of the stored question as asked, so buttons,
        typed letters, the closing post and a restart all refer to the order the player saw.
        """
        async with self.store.unit() as unit:
            return await self.ask_within(
                unit,
                place,
                player,
                topic=topic,
                difficulty=difficulty,
                kind=kind,
                daily_seq=daily_seq,
                reveal_at_close=reveal_at_close,
                review_only=review_only,
            )

    async def ask_within(
        self,
        unit: Unit,
        place: Place,
        player: Player | None = None,
        *,
        topic: str | None = None,
        difficulty: Difficulty | None = None,
        kind: AskKind = AskKind.QUIZ,
        daily_seq: int | None = None,
        reveal_at_close: bool = False,
        review_only: bool = False,
    ) -> AskedQuestion:
        """:meth:`ask` inside the caller's transaction: the daily scheduler records the question and the
        outbox entry that will post it together, so neither exists without the other."""
        bank = await self.bank_for(place, unit)
        eligible = bank.eligible(topic, difficulty)
        if not eligible:
            raise self._no_question(bank, topic, difficulty)
        ask_scope = f"player:{player.key}" if player else place.channel_scope
        now = self.clock()
        counts = await unit.asked_counts(ask_scope, posted_only=player is None)
        scored = await unit.scored_question_ids(place.server_scope, player.key) if player else set()

        def freshness(q: Question) -> tuple[bool, int]:  # unanswered before answered, then least asked
            return q.id in scored, counts.get(q.id, 0)

        due = None
        if player and kind is AskKind.QUIZ:
            due = await self._due_review(unit, place, player, eligible, now, review_only=review_only)
        if due is not None:
            question = due.shuffled(self.rng)
        else:
            best = min(freshness(q) for q in eligible)
            candidates = sorted((q for q in eligible if freshness(q) == best), key=lambda q: q.id)
            question = self.rng.choice(candidates).shuffled(self.rng)
        practice = kind is AskKind.QUIZ and question.id in scored
        zone = await self._channel_zone(unit, place)
        asked_id = await unit.insert_asked(
            {
                "question_id": question.id,
                "question": question.snapshot(),
                "kind": kind.value,
                "platform": place.platform,
                "server": place.server,
                "channel": place.channel,
                "ask_scope": ask_scope,
                "player_key": player.key if player else None,
                "zone": zone,
                "asked_at": now,
                "daily_seq": daily_seq,
                "reveal_at_close": reveal_at_close,
            }
        )
        return AskedQuestion(
            asked_id,
            question,
            place,
            kind,
            now,
            player.key if player else None,
            reveal_at_close=reveal_at_close,
            practice=practice,
            review=due is not None,
        )

    async def _due_review(
        self,
        unit: Unit,
        place: Place,
        player: Player,
        eligible: Sequence[Question],
        now: datetime,
        *,
        review_only: bool,
    ) -> Question | None:
        """The player's most overdue review among ``eligible``; with ``review_only`` and none due, raises
        :class:`NoReviewDueError` saying when the next one is."""
        by_id = {q.id: q for q in eligible}
        for question_id, _due in await unit.due_cards(place.server_scope, player.key, now):
            if question_id in by_id:
                return by_id[question_id]
        if not review_only:
            return None
        cards = [CardState.of(row) for row in await unit.cards_of(place.server_scope, player.key)]
        upcoming = sorted(c.due for c in cards if c.question_id in by_id and c.due > now)
        if not upcoming:
            raise NoReviewDueError("No reviews yet: questions you answer come back here when they are due.")
        raise NoReviewDueError(f"No reviews are due. The next one is due {when_due(upcoming[0], now)}.")

    async def bank_for(self, place: Place, unit: Unit | None = None) -> Bank:
        """The questions served in ``place``'s server: the bundled bank and the server's own files."""
        return await self.server_questions.bank_for(place.platform, place.server, unit)

    def _no_question(self, bank: Bank, topic: str | None, difficulty: Difficulty | None) -> NoQuestionError:
        if not len(bank):
            return NoQuestionError("The question bank is empty.")
        if topic and not bank.eligible(topic):
            topics = ", ".join(bank.topics())
            return NoQuestionError(f"No questions on topic '{topic}'. Topics: {topics}.")
        return NoQuestionError(f"No {difficulty or ''} questions match that filter.".replace("  ", " "))

    async def get_asked(self, asked_id: int | str) -> AskedQuestion | None:
        """The asked question, or None when it does not exist or ``asked_id`` is not an id (see
        :func:`asked_id_of`)."""
        checked = asked_id_of(asked_id)
        if checked is None:
            return None
        async with self.store.unit(read_only=True) as unit:
            row = await unit.get_asked(checked)
        return self._asked_from_row(row) if row else None

    async def question_for(self, asked_id: int | str, player: Player) -> AskedQuestion:
        """The question ``player`` is about to answer (before showing it again, e.g. in a text box).

        Raises :class:`UnknownAskedError` when it does not exist and :class:`NotForYouError` when it was asked
        privately to someone else, whose question must not be shown to this player.
        """
        asked = await self.get_asked(asked_id)
        if asked is None:
            raise UnknownAskedError(NO_LONGER_AVAILABLE)
        if asked.player_key and asked.player_key != player.key:
            raise NotForYouError(NOT_FOR_YOU)
        return asked

    async def get_asked_within(self, unit: Unit, asked_id: int) -> AskedQuestion | None:
        """:meth:`get_asked` inside the caller's transaction."""
        row = await unit.get_asked(asked_id)
        return self._asked_from_row(row) if row else None

    async def set_message_ref(self, asked_id: int, message_ref: str) -> None:
        """Remember where a public question was posted, so it can be updated or closed later."""
        async with self.store.unit() as unit:
            await unit.set_message_ref(asked_id, message_ref)

    def _asked_from_row(self, row: Any) -> AskedQuestion:
        return AskedQuestion(
            id=row.id,
            question=Question.from_snapshot(row.question),
            place=Place(row.platform, row.server, row.channel),
            kind=AskKind(row.kind),
            asked_at=row.asked_at,
            player_key=row.player_key,
            closed_at=row.closed_at,
            message_ref=row.message_ref,
            reveal_at_close=row.reveal_at_close,
        )

    # -- question health --------------------------------------------------------------------------------

    async def report_problem(self, asked_id: int | str, player: Player, reason: str, text: str = "") -> str:
        """Store a player's report on a question they were shown; returns the thanks to show them.

        ``asked_id`` and ``reason`` arrive from a button and a modal, so both are checked here: an id that is
        not one (see :func:`asked_id_of`) is a question that no longer exists, and a reason must be one of
        :class:`ReportReason`. The text is kept without invisible characters, cut to 500 characters.
        Reporting the same asked question again replaces the earlier report.
        """
        try:
            why = ReportReason(reason)
        except ValueError:
            raise QuizError("Pick a reason for the report: wrong answer, ambiguous, typo or other.") from None
        asked = await self.question_for(asked_id, player)
        words = strip_invisible(text).strip()[:REPORT_TEXT_MAX]
        async with self.store.unit() as unit:
            await unit.add_report(
                {
                    "scope": asked.place.server_scope,
                    "question_id": asked.question.id,
                    "asked_id": asked.id,
                    "player_key": player.key,
                    "reason": why.value,
                    "text": words,
                    "created_at": self.clock(),
                }
            )
        return REPORT_THANKS

    async def health(
        self, scope: str | None, *, topic: str | None = None, min_players: int = DEFAULT_MIN_PLAYERS
    ) -> HealthReport:
        """The questions' health in a server (``PLATFORM:SERVER``; None: every server); see
        :mod:`quizbot.health`."""
        return await question_health(self.store, scope, topic=topic, min_players=min_players)

    # -- answer -----------------------------------------------------------------------------------------

    async def answer(self, asked_id: int | str, player: Player, response: int | str) -> AnswerResult:
        """Check and record one answer: a choice index (buttons) or typed text.

        A player's first answer to an asked question is final: a second one is refused and the first
        result returned. Answers after the question closed are refused and not recorded. ``asked_id`` may
        be the raw text from a button; anything that is not an id is an unknown question. While the
        database is unreachable nothing is recorded and :class:`DatabaseUnavailableError` says to retry.

        Points for a question are earned once per player and server: the first answer to it counts (right
        or wrong), and a later answer to the same question asked again on demand is practice, checked and
        explained but kept off every board, stat and streak. A daily question always counts: the channel
        chose it, so nobody can farm it.

        Every recorded answer (daily, on demand or practice) also reviews the player's FSRS card for the
        question in this server, in the same transaction: right is Good, wrong is Again (see
        :mod:`quizbot.recall`), so what ``/quiz`` serves as a review never disagrees with the answers.
        """
        try:
            return await self._answer(asked_id, player, response)
        except DatabaseUnavailableError as exc:
            raise DatabaseUnavailableError(ANSWER_NOT_SAVED) from exc

    async def _answer(self, asked_id: int | str, player: Player, response: int | str) -> AnswerResult:
        now = self.clock()
        checked = asked_id_of(asked_id)
        if checked is None:
            raise UnknownAskedError(NO_LONGER_AVAILABLE)
        result, daily = await self.store.batched(
            lambda unit: self._answer_within(unit, checked, player, response, now)
        )
        if daily:  # told only once the answer is committed, like the player
            for listener in list(self.daily_answer_listeners):
                listener(checked)
        return result

    async def _answer_within(
        self, unit: Unit, asked_id: int, player: Player, response: int | str, now: datetime
    ) -> tuple[AnswerResult, bool]:
        """One answer inside a shared transaction (see :meth:`Store.batched`): everything it reads and
        writes goes through ``unit``, and it runs in its own savepoint when others share the commit.
        Returns the result and whether a daily question's answer count changed."""
        row = await unit.get_asked(asked_id, lock="share")
        if row is None:
            raise UnknownAskedError(NO_LONGER_AVAILABLE)
        question = Question.from_snapshot(row.question)
        result = _Result(asked_id, question, player)
        if row.player_key and row.player_key != player.key:
            return result.make(AnswerStatus.NOT_FOR_YOU), False
        if row.closed_at is not None:
            earlier = await self._earlier(unit, row, player)
            return earlier or result.make(AnswerStatus.CLOSED), False
        # a server's own questions count as real words too: another uploaded answer is never a typo
        words = self.server_questions.words_for(row.platform, row.server)
        chosen = _interpret(question, response, self._bank.words if words is None else words)
        if chosen is None:
            return result.make(AnswerStatus.INVALID, given=str(response)), False
        given, correct, accepted_as = chosen
        # Claimed before the answer is inserted: a second answer to this asked question (a double click)
        # finds the claim its first answer made, so it can never be the one that counts.
        first = await unit.claim_score(f"{row.platform}:{row.server}", player.key, question.id, asked_id, now)
        practice = not first and row.kind != AskKind.DAILY.value
        points = question.points if correct and not practice else 0
        inserted = await unit.insert_answer(
            {
                "asked_id": asked_id,
                "player_key": player.key,
                "player_name": player.name[:100],
                "response": given[:300],
                "correct": correct,
                "points": points,
                "answered_at": now,
                "practice": practice,
            }
        )
        if not inserted:
            earlier = await self._earlier(unit, row, player)
            assert earlier is not None  # the insert conflicted, so the earlier answer exists
            return earlier, False
        scope = f"{row.platform}:{row.server}"
        previous = await unit.get_card(scope, player.key, question.id)
        card = reviewed(CardState.of(previous) if previous else None, question.id, correct, now)
        await unit.put_card(scope, player.key, card_values(card))
        streak = best = 0
        if not row.reveal_at_close and not practice:  # a held verdict is scored when the question closes
            streak, best = await _score(unit, row, player.key, player.name[:100], points, correct, now)
        accepted = replace(
            result.make(AnswerStatus.ACCEPTED, given, correct, points, streak, best),
            reveal=not row.reveal_at_close,
            accepted_as=accepted_as,
            practice=practice,
        )
        return accepted, row.kind == _DAILY

    async def _earlier(self, unit: Unit, row: Any, player: Player) -> AnswerResult | None:
        """The player's first answer to this question, as an ALREADY_ANSWERED result (None if none)."""
        first = await unit.get_answer(row.id, player.key)
        if first is None:
            return None
        question = Question.from_snapshot(row.question)
        score = await unit.score_of(f"{row.platform}:{row.server}", ALL_TIME, player.key)
        earlier = _Result(row.id, question, player).make(
            AnswerStatus.ALREADY_ANSWERED,
            first.response,
            first.correct,
            first.points,
            score.streak if score else 0,
            score.best_streak if score else 0,
        )
        return replace(
            earlier, reveal=not row.reveal_at_close or row.closed_at is not None, practice=first.practice
        )

    # -- boards -----------------------------------------------------------------------------------------

    async def leaderboard(
        self,
        place: Place,
        player: Player | None = None,
        *,
        period: Period = Period.ALL,
        limit: int = 10,
        channel_only: bool = False,
        week_of: datetime | None = None,
        ranking: Ranking = Ranking.POINTS,
    ) -> Leaderboard:
        """The top ``limit`` of the server (or only this channel), plus the caller's own line.

        A server's week and month follow UTC, a channel's follow its daily schedule's time zone. ``week_of``
        picks the weekly (or monthly) board containing that moment instead of the current one. The accuracy
        ranking orders by share of right answers and leaves out players with fewer than
        :data:`ACCURACY_MIN_ANSWERS` answers in the period.
        """
        async with self.store.unit(read_only=True) as unit:
            return await self.leaderboard_within(
                unit,
                place,
                player,
                period=period,
                limit=limit,
                channel_only=channel_only,
                week_of=week_of,
                ranking=ranking,
            )

    async def leaderboard_within(
        self,
        unit: Unit,
        place: Place,
        player: Player | None = None,
        *,
        period: Period = Period.ALL,
        limit: int = 10,
        channel_only: bool = False,
        week_of: datetime | None = None,
        ranking: Ranking = Ranking.POINTS,
    ) -> Leaderboard:
        """:meth:`leaderboard` inside the caller's transaction (the daily close reads its board with it)."""
        now = self.clock()
        accuracy = ranking is Ranking.ACCURACY
        minimum = ACCURACY_MIN_ANSWERS if accuracy else 0
        if channel_only:
            scope, zone = place.channel_scope, await self._channel_zone(unit, place)
        else:
            scope, zone = place.server_scope, "UTC"
        start = period_start(period, week_of or now, zone)
        key = period_key(period, week_of or now, zone)
        if accuracy:
            entries = _ranked(await unit.top_accuracy(scope, key, minimum, limit), by_accuracy=True)
        else:
            entries = _ranked(await unit.top_scores(scope, key, limit))
        me = next((e for e in entries if player and e.player_key == player.key), None)
        if player and me is None:
            if accuracy:
                standing = await unit.accuracy_standing(scope, key, player.key, minimum)
            else:
                standing = await unit.standing(scope, key, player.key)
            if standing:
                me = _entry(standing[1], standing[0])
        if channel_only:
            entries, me = await self._with_daily_streaks(unit, place, entries, me)
        final = start is not None and start < (period_start(period, now, zone) or start)
        return Leaderboard(
            scope,
            period,
            tuple(entries),
            me,
            week_start=start if period is Period.WEEK else None,
            final=final,
            month_start=start if period is Period.MONTH else None,
            ranking=ranking,
            min_answers=minimum,
        )

    async def _with_daily_streaks(
        self, unit: Unit, place: Place, entries: list[LeaderboardEntry], me: LeaderboardEntry | None
    ) -> tuple[list[LeaderboardEntry], LeaderboardEntry | None]:
        keys = [e.player_key for e in entries] + ([me.player_key] if me else [])
        streaks = await self._daily_streaks(unit, place, keys)

        def swap(e: LeaderboardEntry) -> LeaderboardEntry:
            current, best = streaks.get(e.player_key, (0, 0))
            return replace(e, streak=current, best_streak=best)

        return [swap(e) for e in entries], swap(me) if me else None

    async def _daily_streaks(
        self, unit: Unit, place: Place, keys: Sequence[str]
    ) -> dict[str, tuple[int, int]]:
        """(current, best) daily streaks; a streak whose last answer is older than the last close is 0."""
        rows = await unit.daily_streaks_of(place.channel_scope, keys)
        if not rows:
            return {}
        closed = await unit.last_closed_seq(place.platform, place.server, place.channel)
        return {k: (cur if last >= closed else 0, best) for k, (cur, best, last) in rows.items()}

    async def stats(self, place: Place, player: Player) -> PlayerStats:
        """A player's all-time figures in this server, with the daily streak of this channel."""
        async with self.store.unit(read_only=True) as unit:
            row = await unit.score_of(place.server_scope, ALL_TIME, player.key)
            daily, daily_best = (await self._daily_streaks(unit, place, [player.key])).get(player.key, (0, 0))
            cards = [CardState.of(r) for r in await unit.cards_of(place.server_scope, player.key)]
            bank = await self.bank_for(place, unit)
        topics = {q.id: q.topic for q in bank.eligible()}
        reviews = review_stats(cards, topics, bank.topics(), self.clock())
        if row is None:
            return PlayerStats(player, reviews=reviews)
        return PlayerStats(
            player,
            row.answered,
            row.correct,
            row.points,
            row.streak,
            row.best_streak,
            daily,
            daily_best,
            reviews,
        )

    # -- review reminders -------------------------------------------------------------------------------

    async def set_reminders(self, player: Player, on: bool) -> bool:
        """Opt ``player`` in to (or out of) the weekly private reminder of due reviews; returns ``on``."""
        async with self.store.unit() as unit:
            await unit.set_reminders(player.key, player.platform, player.id, on, self.clock())
        return on

    async def reminders_on(self, player: Player) -> bool:
        async with self.store.unit(read_only=True) as unit:
            return await unit.reminders_on(player.key)

    async def claim_reminders(self, platform: str) -> list[Reminder]:
        """The weekly reminders ``platform`` should send now, each claimed so it goes out once.

        A player who opted in is reminded when they have reviews due (in any server) and were not
        reminded in the last :data:`REMINDER_INTERVAL_DAYS` days; one with nothing due is looked at again
        at the next run. Claiming marks the reminder sent before the adapter sends it: a reminder lost to
        a failed send waits a week rather than risking two.
        """
        now = self.clock()
        sent_before = now - timedelta(days=REMINDER_INTERVAL_DAYS)
        reminders: list[Reminder] = []
        async with self.store.unit() as unit:
            for row in await unit.reminder_candidates(platform, sent_before):
                due = await unit.count_due(row.player_key, now)
                if due and await unit.claim_reminder(row.player_key, sent_before, now):
                    reminders.append(Reminder(row.platform, row.player_id, due))
        return reminders

    async def weekly_history(self, place: Place, player: Player, weeks: int = HISTORY_WEEKS) -> PlayerHistory:
        """A player's last ``weeks`` weeks in this server (the current one last), from their answers.

        Weeks are the server board's: Monday 00:00 UTC. Counted like the boards count: practice answers and
        held answers to a question still open are left out. ``best_streak`` is the longest run of right
        answers inside each week.
        """
        current = period_start(Period.WEEK, self.clock(), "UTC")
        assert current is not None
        starts = [current - timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]
        since = datetime.combine(starts[0], datetime.min.time(), tzinfo=UTC)
        async with self.store.unit(read_only=True) as unit:
            rows = await unit.scored_answers_since(place.platform, place.server, player.key, since)
        tally = {start: [0, 0, 0, 0] for start in starts}  # answered, correct, run, best run
        for when, correct in rows:
            week = tally.get(period_start(Period.WEEK, when, "UTC") or current)
            if week is None:
                continue
            week[0] += 1
            week[1] += correct
            week[2] = week[2] + 1 if correct else 0
            week[3] = max(week[3], week[2])
        return PlayerHistory(player, tuple(WeekActivity(s, t[0], t[1], t[3]) for s, t in tally.items()))

    # -- close ------------------------------------------------------------------------------------------

    async def close_question(self, asked_id: int) -> CloseSummary:
        """Close a question to further answers and sum up how it went (idempotent)."""
        async with self.store.unit() as unit:
            return await self.close_within(unit, asked_id)

    async def close_within(self, unit: Unit, asked_id: int) -> CloseSummary:
        """:meth:`close_question` inside the caller's transaction: the daily fan-out closes many channels'
        questions in a few shared transactions (see :meth:`Store.batched`) instead of one each."""
        now = self.clock()
        row = await unit.get_asked(asked_id, lock="update")
        if row is None:
            raise UnknownAskedError(f"No asked question {asked_id}.")
        closed_at = await unit.close_asked(asked_id, now)
        if row.reveal_at_close and row.closed_at is None:  # score the held answers, first come first
            for held in await unit.answers_of(asked_id):
                if held.practice:
                    continue
                await _score(
                    unit,
                    row,
                    held.player_key,
                    held.player_name,
                    held.points,
                    held.correct,
                    held.answered_at,
                )
        answered, correct, first = await unit.answer_summary(asked_id, FIRST_CORRECT_SHOWN)
        asked = self._asked_from_row(row)
        return CloseSummary(replace(asked, closed_at=closed_at), answered, correct, tuple(first))

    # -- reload -----------------------------------------------------------------------------------------

    async def reload(self) -> ReloadReport:
        """Re-read the question files. On any error the previous bank keeps serving."""
        async with self._reload_lock:
            try:
                bank = await asyncio.to_thread(_load, self._loader, self._paths)
            except BankLoadError as exc:
                return ReloadReport(False, len(self._bank), tuple(str(e) for e in exc.errors))
            except Exception as exc:  # whatever went wrong, the bank being served must survive it
                log.exception("reloading the question bank failed")
                return ReloadReport(False, len(self._bank), (f"reload failed: {exc!r}",))
            self._bank = bank
            return ReloadReport(True, len(bank))

    # -- schedules --------------------------------------------------------------------------------------

    async def set_schedule(
        self,
        place: Place,
        time: str,
        timezone: str = "UTC",
        weekdays: tuple[int, ...] | None = None,
        *,
        reveal_at_close: bool | None = None,
    ) -> Schedule:
        """Create or replace the channel's daily question schedule.

        ``weekdays`` and ``reveal_at_close`` left as None keep the channel's current settings (every day and
        answers at once for a new schedule), so changing only the time from chat never resets them.
        """
        hhmm, zone = parse_time(time), parse_zone(timezone)
        if weekdays is not None and any(not 0 <= d <= 6 for d in weekdays):
            raise QuizError("Weekdays are 0 (Monday) to 6 (Sunday).")
        async with self.store.unit() as unit:
            current = await unit.get_schedule(place.platform, place.server, place.channel)
            kept = _schedule(current) if current else None
            days = tuple(sorted(set(weekdays))) if weekdays is not None else (kept.weekdays if kept else ())
            reveal = reveal_at_close if reveal_at_close is not None else bool(kept and kept.reveal_at_close)
            await unit.upsert_schedule(
                {
                    "platform": place.platform,
                    "server": place.server,
                    "channel": place.channel,
                    "time": hhmm,
                    "timezone": zone,
                    "weekdays": ",".join(map(str, days)),
                    "reveal_at_close": reveal,
                    "updated_at": self.clock(),
                }
            )
        return Schedule(place, hhmm, zone, days, reveal)

    async def remove_schedule(self, place: Place) -> bool:
        async with self.store.unit() as unit:
            return await unit.delete_schedule(place.platform, place.server, place.channel)

    async def list_schedules(self, platform: str | None = None) -> list[Schedule]:
        async with self.store.unit(read_only=True) as unit:
            rows = await unit.list_schedules(platform)
        return [_schedule(r) for r in rows]

    async def _channel_zone(self, unit: Unit, place: Place) -> str:
        row = await unit.get_schedule(place.platform, place.server, place.channel)
        return row.timezone if row else "UTC"


async def _score(
    unit: Unit, row: Any, player_key: str, name: str, points: int, correct: bool, when: datetime
) -> tuple[int, int]:
    """Count one answer into the score rows (server and channel; all-time, its week and its month) and
    streaks. A server's week and month follow UTC, a channel's the time zone it was asked in.

    Returns (streak, best): the channel's daily streak for a daily question, else the server streak.
    """
    place = Place(row.platform, row.server, row.channel)
    server_all = ScoreChange(place.server_scope, ALL_TIME)
    changes = [server_all, ScoreChange(place.channel_scope, ALL_TIME)]
    for period in _PERIOD_PREFIX:
        changes.append(ScoreChange(place.server_scope, period_key(period, when, "UTC")))
        changes.append(ScoreChange(place.channel_scope, period_key(period, when, row.zone)))
    streaks = await unit.add_scores(changes, player_key, name, points, correct)
    if row.daily_seq is not None:  # a daily question: the streak that matters is the channel's
        return await unit.add_daily_streak(place.channel_scope, player_key, row.daily_seq, correct)
    return streaks[(server_all.scope, server_all.period)]


class _Result:
    """Builds AnswerResults for one (asked, question, player) without repeating the common fields."""

    def __init__(self, asked_id: int, question: Question, player: Player) -> None:
        self.asked_id, self.question, self.player = asked_id, question, player

    def make(
        self,
        status: AnswerStatus,
        given: str = "",
        correct: bool = False,
        points: int = 0,
        streak: int = 0,
        best: int = 0,
    ) -> AnswerResult:
        return AnswerResult(
            status, self.asked_id, self.question, self.player, given, correct, points, streak, best
        )


def _load(loader: BankLoader, paths: Sequence[Path]) -> Bank:
    """Load the bank and read the words answer matching needs, off the event loop (a 10,000-question bank
    takes a fraction of a second to read its answers' words, too long for an answer to wait)."""
    bank = loader.load(paths)
    bank.words.warm()
    return bank


_Chosen = tuple[str, bool, str | None]
"""(text to record, correct?, the accepted answer a forgiven typo was taken as)."""


def _interpret(question: Question, response: int | str, words: Vocabulary) -> _Chosen | None:
    """What the player chose; None when it fits no choice, or when a typed answer is empty once invisible
    characters are removed (nothing is recorded: the player may answer again).
    """
    if not question.has_choices:
        if looks_empty(str(response)):
            return None
        text = strip_invisible(str(response)).strip()
        match = judge(text, question.accepted, reject=question.reject, typos=question.typos, words=words)
        return text, match is not None, match.accepted if match is not None and match.typo else None
    index = response if isinstance(response, int) else _choice_index(question, response)
    if index is None or not 0 <= index < len(question.choices):
        return None
    return question.choices[index], index == question.correct_index, None


def _choice_index(question: Question, text: str) -> int | None:
    """A typed choice: its letter (``b``) or its text, compared after normalisation."""
    stripped = text.strip()
    if len(stripped) == 1 and stripped.upper() in _LETTERS[: len(question.choices)]:
        return _LETTERS.index(stripped.upper())
    wanted = normalise(stripped)
    return next((i for i, c in enumerate(question.choices) if normalise(c) == wanted), None)


def _entry(rank: int, row: ScoreRow) -> LeaderboardEntry:
    return LeaderboardEntry(
        rank, row.player_key, row.name, row.points, row.correct, row.answered, row.streak, row.best_streak
    )


def _ranked(rows: list[ScoreRow], *, by_accuracy: bool = False) -> list[LeaderboardEntry]:
    """Competition ranking (1, 2, 2, 4): players with equal points (or an equal share right) share a rank."""
    entries: list[LeaderboardEntry] = []
    for position, row in enumerate(rows, start=1):
        prev = entries[-1] if entries else None
        if by_accuracy:
            tied = prev is not None and prev.correct * row.answered == row.correct * prev.answered
        else:
            tied = prev is not None and prev.points == row.points
        entries.append(_entry(prev.rank if prev is not None and tied else position, row))
    return entries


def _schedule(row: Any) -> Schedule:
    days = tuple(int(d) for d in row.weekdays.split(",") if d)
    return Schedule(
        Place(row.platform, row.server, row.channel), row.time, row.timezone, days, row.reveal_at_close
    )
