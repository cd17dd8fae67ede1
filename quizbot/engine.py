"""The quiz's use cases: ask, answer, leaderboard, stats, close, reload, schedules.

Every adapter (Discord, Slack, terminal) and the daily scheduler call these and nothing below them, so
each rule lives in exactly one place: which question comes next, whether an answer is right, the
one-answer-per-player rule, points, streaks and weekly boards.
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
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from quizbot.bank import Bank, BankLoader, BankLoadError
from quizbot.domain import (
    AnswerResult,
    AnswerStatus,
    AskedQuestion,
    AskKind,
    CloseSummary,
    Difficulty,
    Leaderboard,
    LeaderboardEntry,
    NoQuestionError,
    Period,
    Place,
    Player,
    PlayerStats,
    Question,
    QuizError,
    Schedule,
    UnknownAskedError,
)
from quizbot.matching import matches, normalise
from quizbot.settings import Settings
from quizbot.store import ScoreChange, ScoreRow, Store, Unit

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
"""Returns the current time as an aware UTC datetime; tests inject a fake one."""

ALL_TIME = "all"
FIRST_CORRECT_SHOWN = 5
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_LETTERS = "ABCDE"


def system_clock() -> datetime:
    return datetime.now(UTC)


def week_monday(now: datetime, zone: str) -> date:
    """The Monday that starts ``now``'s week in ``zone``: weekly boards reset at Monday 00:00 local time."""
    local = now.astimezone(ZoneInfo(zone)).date()
    return local - timedelta(days=local.weekday())


def week_key(now: datetime, zone: str) -> str:
    """The score-table period key of ``now``'s week in ``zone``."""
    return f"w:{week_monday(now, zone).isoformat()}"


@functools.cache
def _iana_zones() -> frozenset[str]:
    # not "localtime", "posixrules" or "Factory": those would make a schedule depend on the host
    return frozenset(available_timezones()) - {"localtime", "posixrules", "Factory"}


def parse_zone(name: str) -> str:
    """Validate an IANA time zone name; the error message is for the admin who typed it."""
    if name not in _iana_zones():
        raise QuizError(f"Unknown time zone '{name}'. Use an IANA name like Europe/Berlin or UTC.")
    return name


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
    ) -> None:
        self.store = store
        self._loader = loader
        self._bank = bank
        self._paths = list(paths)
        self.clock = clock
        self.rng = rng or random.Random()
        self._reload_lock = asyncio.Lock()
        self.daily_answer_listeners: list[Callable[[int], None]] = []
        """Called with the asked id after each recorded answer to a daily question (answer counts)."""

    @classmethod
    async def open(
        cls, settings: Settings, *, clock: Clock = system_clock, rng: random.Random | None = None
    ) -> QuizEngine:
        """Load the bank and connect the store. Raises :class:`BankLoadError` if the bank is invalid."""
        loader = BankLoader(settings.max_bank_file_bytes, serve_drafts=settings.serve_drafts)
        paths = settings.question_paths
        bank = await asyncio.to_thread(loader.load, paths)
        store = await Store.open(settings.database_url)
        return cls(store, loader, bank, paths, clock=clock, rng=rng)

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
    ) -> AskedQuestion:
        """Choose a question and record that it was asked.

        With ``player`` the question is private to that player and repeats are avoided per player; without,
        it belongs to the channel and repeats are avoided per channel. A question is asked again only when
        every eligible question has been asked as often.
        """
        eligible = self._bank.eligible(topic, difficulty)
        if not eligible:
            raise self._no_question(topic, difficulty)
        ask_scope = f"player:{player.key}" if player else place.channel_scope
        now = self.clock()
        async with self.store.unit() as unit:
            counts = await unit.asked_counts(ask_scope)
            fewest = min(counts.get(q.id, 0) for q in eligible)
            candidates = sorted((q for q in eligible if counts.get(q.id, 0) == fewest), key=lambda q: q.id)
            question = self.rng.choice(candidates)
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
        )

    def _no_question(self, topic: str | None, difficulty: Difficulty | None) -> NoQuestionError:
        if not len(self._bank):
            return NoQuestionError("The question bank is empty.")
        if topic and not self._bank.eligible(topic):
            topics = ", ".join(self._bank.topics())
            return NoQuestionError(f"No questions on topic '{topic}'. Topics: {topics}.")
        return NoQuestionError(f"No {difficulty or ''} questions match that filter.".replace("  ", " "))

    async def get_asked(self, asked_id: int) -> AskedQuestion | None:
        async with self.store.unit(read_only=True) as unit:
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

    # -- answer -----------------------------------------------------------------------------------------

    async def answer(self, asked_id: int, player: Player, response: int | str) -> AnswerResult:
        """Check and record one answer: a choice index (buttons) or typed text.

        A player's first answer to an asked question is final: a second one is refused and the first
        result returned. Answers after the question closed are refused and not recorded.
        """
        now = self.clock()
        async with self.store.unit() as unit:
            row = await unit.get_asked(asked_id, lock="share")
            if row is None:
                raise UnknownAskedError("That question is no longer available. Run /quiz for a new one.")
            question = Question.from_snapshot(row.question)
            result = _Result(asked_id, question, player)
            if row.player_key and row.player_key != player.key:
                return result.make(AnswerStatus.NOT_FOR_YOU)
            if row.closed_at is not None:
                earlier = await self._earlier(unit, row, player)
                return earlier or result.make(AnswerStatus.CLOSED)
            chosen = _interpret(question, response)
            if chosen is None:
                return result.make(AnswerStatus.INVALID, given=str(response))
            given, correct = chosen
            points = question.points if correct else 0
            inserted = await unit.insert_answer(
                {
                    "asked_id": asked_id,
                    "player_key": player.key,
                    "player_name": player.name[:100],
                    "response": given[:300],
                    "correct": correct,
                    "points": points,
                    "answered_at": now,
                }
            )
            if not inserted:
                earlier = await self._earlier(unit, row, player)
                assert earlier is not None  # the insert conflicted, so the earlier answer exists
                return earlier
            streak = best = 0
            if not row.reveal_at_close:  # a held verdict is scored when the question closes
                streak, best = await _score(unit, row, player.key, player.name[:100], points, correct, now)
        if row.kind == AskKind.DAILY.value:
            for listener in list(self.daily_answer_listeners):
                listener(asked_id)
        accepted = result.make(AnswerStatus.ACCEPTED, given, correct, points, streak, best)
        return replace(accepted, reveal=not row.reveal_at_close)

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
        return replace(earlier, reveal=not row.reveal_at_close or row.closed_at is not None)

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
    ) -> Leaderboard:
        """The top ``limit`` of the server (or only this channel), plus the caller's own line.

        ``week_of`` picks the weekly board containing that moment instead of the current one.
        """
        now = self.clock()
        async with self.store.unit(read_only=True) as unit:
            if channel_only:
                scope, zone = place.channel_scope, await self._channel_zone(unit, place)
            else:
                scope, zone = place.server_scope, "UTC"
            week_start = week_monday(week_of or now, zone) if period is Period.WEEK else None
            key = ALL_TIME if week_start is None else f"w:{week_start.isoformat()}"
            top = await unit.top_scores(scope, key, limit)
            entries = _ranked(top)
            me = next((e for e in entries if player and e.player_key == player.key), None)
            if player and me is None:
                standing = await unit.standing(scope, key, player.key)
                if standing:
                    me = _entry(standing[1], standing[0])
            if channel_only:
                entries, me = await self._with_daily_streaks(unit, place, entries, me)
        final = week_start is not None and week_start < week_monday(now, zone)
        return Leaderboard(scope, period, tuple(entries), me, week_start, final)

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
        if row is None:
            return PlayerStats(player)
        return PlayerStats(
            player, row.answered, row.correct, row.points, row.streak, row.best_streak, daily, daily_best
        )

    # -- close ------------------------------------------------------------------------------------------

    async def close_question(self, asked_id: int) -> CloseSummary:
        """Close a question to further answers and sum up how it went (idempotent)."""
        now = self.clock()
        async with self.store.unit() as unit:
            row = await unit.get_asked(asked_id, lock="update")
            if row is None:
                raise UnknownAskedError(f"No asked question {asked_id}.")
            closed_at = await unit.close_asked(asked_id, now)
            if row.reveal_at_close and row.closed_at is None:  # score the held answers, first come first
                for held in await unit.answers_of(asked_id):
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
                bank = await asyncio.to_thread(self._loader.load, self._paths)
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
    """Count one answer into the score rows (server and channel, all-time and its week) and streaks.

    Returns (streak, best): the channel's daily streak for a daily question, else the server streak.
    """
    place = Place(row.platform, row.server, row.channel)
    server_all = ScoreChange(place.server_scope, ALL_TIME)
    changes = (
        server_all,
        ScoreChange(place.server_scope, week_key(when, "UTC")),
        ScoreChange(place.channel_scope, ALL_TIME),
        ScoreChange(place.channel_scope, week_key(when, row.zone)),
    )
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


def _interpret(question: Question, response: int | str) -> tuple[str, bool] | None:
    """What the player chose, as (text to record, correct?); None when it fits no choice."""
    if not question.has_choices:
        text = str(response).strip()
        return (text, matches(text, question.accepted)) if text else None
    index = response if isinstance(response, int) else _choice_index(question, response)
    if index is None or not 0 <= index < len(question.choices):
        return None
    return question.choices[index], index == question.correct_index


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


def _ranked(rows: list[ScoreRow]) -> list[LeaderboardEntry]:
    """Competition ranking (1, 2, 2, 4): players with equal points share a rank."""
    entries: list[LeaderboardEntry] = []
    for position, row in enumerate(rows, start=1):
        rank = entries[-1].rank if entries and entries[-1].points == row.points else position
        entries.append(_entry(rank, row))
    return entries


def _schedule(row: Any) -> Schedule:
    days = tuple(int(d) for d in row.weekdays.split(",") if d)
    return Schedule(
        Place(row.platform, row.server, row.channel), row.time, row.timezone, days, row.reveal_at_close
    )
