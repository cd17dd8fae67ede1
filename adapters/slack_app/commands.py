"""The Slack listeners: ``/quiz``, answer buttons, and the short-answer modal.

Each listener acks first and works afterwards: Slack gives an interaction **3 seconds** before it shows the
user an error, and engine calls touch the database. Replies go to the ``response_url`` Slack sends with
commands and clicks (private to the caller, up to 5 posts within 30 minutes); modal submissions carry no
``response_url``, so the click's one travels in the modal's ``private_metadata``, with
``chat.postEphemeral`` as the fallback. The listeners are thin: one engine call, one rendered reply.

Two things keep a burst of clicks (a channel answering the daily question) from starving the acks, which
share one event loop with the work behind them:

* Bolt runs each listener's work in its own task once it acked, so 2,000 clicks would be 2,000 database
  transactions at once, competing with the next acks and with each other for SQLite's single writer.
  Answers are therefore worked off at most ``ANSWERS_AT_ONCE`` at a time; the rest wait their turn, which
  costs nothing while they wait. (Opening the answer modal is not queued: its ``trigger_id`` expires 3 s
  after the click.)
* Replies to a ``response_url`` go through the app's shared HTTP session when it has one (``quizbot run``):
  Bolt's own ``respond`` opens a new session, so a new TLS connection to Slack, for every reply.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook import WebhookResponse
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.slack_app.blocks import (
    Message,
    answer_message,
    answer_modal,
    health_message,
    help_message,
    leaderboard_message,
    notice,
    question_message,
    reload_message,
    report_modal,
    stats_message,
)
from adapters.slack_app.escape import escape
from adapters.slack_app.ids import (
    ANSWER_ACTION,
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
    parse_answer_value,
)
from adapters.slack_app.pictures import send_private_picture
from adapters.slack_app.question_files import UPLOAD_MODAL, QuestionFiles
from adapters.slack_app.routing import ADMIN_ACTIONS, Action, Route, route
from quizbot import charts
from quizbot.domain import BOARDS, AnswerResult, AnswerStatus, AskedQuestion, Place, Player, QuizError
from quizbot.invisible import looks_empty
from quizbot.plugins import Runtime

if TYPE_CHECKING:
    from quizbot.engine import QuizEngine

log = logging.getLogger(__name__)

PLATFORM = "slack"
COMMAND = "/quiz"

Send = Callable[[Message], Awaitable[None]]
Respond = Callable[..., Awaitable[WebhookResponse]]
"""Posts a message to one ``response_url`` (like Bolt's ``respond``)."""

ANSWERS_AT_ONCE = 4
"""Answers (engine call and reply) in progress at once; see the module docstring. A few overlap the
database's round trips on PostgreSQL; SQLite takes one writer at a time whatever the number."""

SORRY = notice(":warning: Sorry, something went wrong on my side. Please try again in a moment.")
REFUSED = notice(
    ":lock: Sorry, only workspace admins and owners (or the bot's configured admins) can change "
    "the daily question or reload the questions."
)
SCHEDULE_USAGE = notice(
    "Usage: `/quiz schedule HH:MM [Area/City]`, for example `/quiz schedule 09:30 Europe/Berlin`. "
    "Without a time zone, yours is used."
)
LEADERBOARD_USAGE = notice(f"Usage: `/quiz leaderboard [{'|'.join(BOARDS)}]`")
REMINDERS_USAGE = notice("Usage: `/quiz reminders on` or `/quiz reminders off`.")
REMINDERS_ON = notice(
    ":bell: Weekly reminders are on: once a week, when questions are due for review, I send you a direct "
    "message. `/quiz reminders off` turns them off."
)
REMINDERS_OFF = notice("Weekly reminders are off.")


def _topic_named(text: str, topics: Sequence[str]) -> str | None:
    """The bank's spelling of a topic typed in any case (None for no text)."""
    if not text:
        return None
    return next((t for t in topics if t.casefold() == text.casefold()), text)


def player_from(user: dict[str, Any]) -> Player:
    """The player behind a Slack ``user`` object (interactions) or a slash command's flat fields."""
    user_id = str(user.get("id") or user.get("user_id"))
    name = user.get("username") or user.get("user_name") or user.get("name") or user_id
    return Player(PLATFORM, user_id, str(name))


class ResponseUrl:
    """Bolt's ``respond`` for one ``response_url``, over ``session`` (None: a new connection per post)."""

    def __init__(self, url: str | None, session: aiohttp.ClientSession | None) -> None:
        self.url = url
        self.session = session

    async def __call__(self, **message: Any) -> WebhookResponse:
        if not self.url:
            raise ValueError("this payload has no response_url to reply to")
        return await AsyncWebhookClient(url=self.url, session=self.session).send(**message)


def _private(send_respond: Respond, *, replace: bool = False) -> Send:
    async def send(message: Message) -> None:
        if replace:
            await send_respond(**message.kwargs(), replace_original=True)
        else:
            await send_respond(**message.kwargs(), response_type="ephemeral", replace_original=False)

    return send


@contextlib.asynccontextmanager
async def _apologising(send: Send) -> AsyncIterator[None]:
    """Turn an engine :class:`QuizError` into its user-facing message, and anything else into an apology."""
    try:
        yield
    except QuizError as exc:
        await send(notice(escape(str(exc))))
    except Exception:
        log.exception("slack interaction failed")
        with contextlib.suppress(Exception):
            await send(SORRY)


class SlackQuiz:
    """Translates Slack payloads into engine calls and engine results into private Block Kit replies."""

    def __init__(self, runtime: Runtime, session: aiohttp.ClientSession | None = None) -> None:
        self.runtime = runtime
        self.session = session
        self.files = QuestionFiles(runtime.engine.server_questions, session)
        self._answering = asyncio.Semaphore(ANSWERS_AT_ONCE)

    def respond_to(self, payload: dict[str, Any]) -> Respond:
        """Replies to the ``response_url`` of a command or click payload."""
        return ResponseUrl(payload.get("response_url"), self.session)

    @property
    def engine(self) -> QuizEngine:
        return self.runtime.engine

    # -- /quiz ---------------------------------------------------------------------------------------------

    async def command(self, command: dict[str, Any], respond: Respond, client: AsyncWebClient) -> None:
        send = _private(respond)
        async with _apologising(send):
            player = player_from(command)
            place = Place(PLATFORM, str(command["team_id"]), str(command["channel_id"]))
            topics = (await self.engine.bank_for(place)).topics()
            wanted = route(str(command.get("text", "")), topics)
            await send(await self._answer_command(wanted, place, player, client, command))

    async def _answer_command(
        self, wanted: Route, place: Place, player: Player, client: AsyncWebClient, command: dict[str, Any]
    ) -> Message:
        action = wanted.action
        if action is Action.ASK:
            return question_message(await self.engine.ask(place, player, topic=wanted.topic))
        if action is Action.HELP:
            return help_message((await self.engine.bank_for(place)).topics(), wanted.unknown)
        if action is Action.LEADERBOARD:
            board = BOARDS.get(wanted.args[0].casefold() if wanted.args else "all")
            if board is None or len(wanted.args) > 1:
                return LEADERBOARD_USAGE
            period, ranking = board
            return leaderboard_message(
                await self.engine.leaderboard(place, player, period=period, ranking=ranking)
            )
        if action is Action.REVIEW:
            topic = _topic_named(" ".join(wanted.args), (await self.engine.bank_for(place)).topics())
            return question_message(await self.engine.ask(place, player, topic=topic, review_only=True))
        if action is Action.REMINDERS:
            setting = wanted.args[0].casefold() if len(wanted.args) == 1 else ""
            if setting not in ("on", "off"):
                return REMINDERS_USAGE
            on = await self.engine.set_reminders(player, setting == "on")
            return REMINDERS_ON if on else REMINDERS_OFF
        if action is Action.STATS:
            stats = await self.engine.stats(place, player)
            note = await self._send_weeks(client, place, player) if stats.answered else ""
            return stats_message(stats, note)
        assert action in ADMIN_ACTIONS
        return await self._admin(wanted, place, player, client, command)

    async def _send_weeks(self, client: AsyncWebClient, place: Place, player: Player) -> str:
        """DM the player the picture of their last 8 weeks; the line that tells them where it went.

        An ephemeral reply cannot carry a file and a channel upload would show everyone, so the picture goes
        to the app's direct message with the player (``im:write``, ``files:write``). If that fails (an
        install without those scopes) the stats still answer, saying the picture could not be sent.
        """
        try:
            picture = await charts.history_picture(await self.engine.weekly_history(place, player))
            await send_private_picture(
                client, player.id, picture, title="Your last 8 weeks", comment=":bar_chart: Your last 8 weeks"
            )
        except SlackApiError as exc:
            log.warning("could not DM the weeks picture to %s: %s", player.id, exc.response.get("error"))
            return "Your weekly picture could not be sent to you in a direct message."
        except QuizError:
            raise
        except Exception:
            log.exception("could not draw the weeks of %s", player.key)
            return ""
        return ":bar_chart: A picture of your last 8 weeks is in your direct messages with me."

    # -- admin subcommands ------------------------------------------------------------------------------

    async def _profile(self, client: AsyncWebClient, user_id: str) -> dict[str, Any]:
        """The caller's ``users.info`` record, or {} when Slack cannot tell (then they are not an admin)."""
        try:
            response = await client.users_info(user=user_id)
        except SlackApiError as exc:
            log.warning("users.info failed for %s: %s", user_id, exc.response.get("error"))
            return {}
        return dict(response.get("user") or {})

    def _is_admin(self, user_id: str, profile: dict[str, Any]) -> bool:
        if user_id in self.runtime.settings.slack_admin_ids:
            return True
        return any(profile.get(flag) for flag in ("is_admin", "is_owner", "is_primary_owner"))

    async def _admin(
        self, wanted: Route, place: Place, player: Player, client: AsyncWebClient, command: dict[str, Any]
    ) -> Message:
        profile = await self._profile(client, player.id)
        if not self._is_admin(player.id, profile):
            log.info("refused %s %s to %s", COMMAND, wanted.action, player.id)
            return REFUSED
        if wanted.action is Action.QUESTIONS:
            return await self.files.command(wanted.args, place.server, command, client)
        if wanted.action is Action.HEALTH:
            topic = " ".join(wanted.args) or None
            return health_message(await self.engine.health(place.server_scope, topic=topic))
        if wanted.action is Action.RELOAD:
            report = await self.engine.reload()
            return reload_message(report, len(self.engine.bank))
        if place.channel.startswith("D"):
            return notice(
                "Run this in the channel that should get the daily question, not in a direct message."
            )
        if wanted.action is Action.UNSCHEDULE:
            if not await self.engine.remove_schedule(place):
                return notice("This channel has no daily question.")
            self.runtime.schedules_changed()
            return notice(":wastebasket: The daily question in this channel is stopped.")
        if not 1 <= len(wanted.args) <= 2:
            return SCHEDULE_USAGE
        zone = wanted.args[1] if len(wanted.args) > 1 else str(profile.get("tz") or "UTC")
        # Changing the time keeps what only the CLI sets (weekdays, answers revealed at close).
        current = next((s for s in await self.engine.list_schedules(PLATFORM) if s.place == place), None)
        schedule = await self.engine.set_schedule(
            place,
            wanted.args[0],
            zone,
            current.weekdays if current else (),
            reveal_at_close=current.reveal_at_close if current else False,
        )
        self.runtime.schedules_changed()
        return notice(
            f":calendar: Daily question in this channel at *{schedule.time}* ({escape(schedule.timezone)}). "
            "In a private channel, invite me first: `/invite @quizbot`."
        )

    # -- answer buttons ------------------------------------------------------------------------------------

    async def click(self, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        """A choice button: answer, then show the result privately.

        On the caller's own private question the result replaces it (the buttons go away); on a public daily
        post the result is a new ephemeral message, so the post stays as everyone else sees it.
        """
        async with self.runtime.in_flight.track(), _apologising(_private(respond)):
            player = player_from(body["user"])
            parsed = parse_answer_value(str(action.get("value", "")))
            if parsed is None:
                await _private(respond)(notice("That button does not belong to a question. Try `/quiz`."))
                return
            asked_id, index = parsed
            private_message = _from_private_message(body)
            async with self._answering:  # only the database work queues; replies go out in parallel
                result = await self.engine.answer(asked_id, player, index)
                asked = await self._replaced_question(result, private_message)
            if asked is not None:
                await _private(respond, replace=True)(answer_message(result, asked))
            else:
                await _private(respond)(answer_message(result))

    async def _replaced_question(self, result: AnswerResult, private_message: bool) -> AskedQuestion | None:
        """The question a result replaces: the caller's own private question once it is answered."""
        if private_message and result.status is AnswerStatus.ACCEPTED:
            return await self.engine.get_asked(result.asked_id)
        return None

    # -- short answers -------------------------------------------------------------------------------------

    async def open_modal(
        self, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient, respond: Respond
    ) -> None:
        """Open the typed-answer modal: ``trigger_id`` expires 3 s after the click, so it goes first.

        The modal repeats the question, so it only opens for the player it was asked to (or, on a public
        post, for anyone): a forged or forwarded button must not show someone else's private question.
        """
        async with _apologising(_private(respond)):
            asked = await self.engine.question_for(str(action.get("value", "")), player_from(body["user"]))
            context = ModalContext(
                asked_id=asked.id,
                channel=str((body.get("channel") or {}).get("id") or asked.place.channel),
                response_url=str(body.get("response_url") or ""),
                private_question=_from_private_message(body),
            )
            await client.views_open(trigger_id=body["trigger_id"], view=answer_modal(asked, context))

    async def upload_submitted(
        self, ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        """The upload modal: close it at once (3-second ack), then fetch, check and answer privately."""
        await ack()
        player = player_from(body["user"])
        team = str((body.get("team") or {}).get("id") or body["user"].get("team_id") or "")
        try:
            meta = json.loads(str(view.get("private_metadata") or "{}"))
            context = ModalContext(0, str(meta["c"]), str(meta.get("r", "")), private_question=False)
        except (ValueError, KeyError, TypeError):
            log.warning("upload modal without usable private_metadata from %s", player.id)
            return
        send = self._modal_reply(client, context, player)
        async with _apologising(send):
            if not self._is_admin(player.id, await self._profile(client, player.id)):
                await send(REFUSED)  # an admin opened it; the one submitting must still be one
                return
            await send(await self.files.submitted(team, player.id, view, client))

    async def submit(
        self, ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        """A typed answer: refuse a blank one in the modal itself, else close it and answer like a click.

        Blank means nothing visible: spaces, zero-width characters, soft hyphens or a BOM alone are blank too.
        """
        typed = _typed_answer(view)
        if looks_empty(typed):
            await ack(response_action="errors", errors={ANSWER_BLOCK: "Type an answer first."})
            return
        await ack()
        player = player_from(body["user"])
        context = ModalContext.load(str(view.get("private_metadata") or ""))
        if context is None:
            log.warning("answer modal without usable private_metadata from %s", player.id)
            return
        send = self._modal_reply(client, context, player)
        async with self.runtime.in_flight.track(), _apologising(send):
            async with self._answering:  # only the database work queues; replies go out in parallel
                result = await self.engine.answer(context.asked_id, player, typed)
                asked = await self._replaced_question(result, context.private_question)
            if asked is not None:
                await self._modal_reply(client, context, player, replace=True)(answer_message(result, asked))
            else:
                await send(answer_message(result))

    # -- problem reports -----------------------------------------------------------------------------------

    async def open_report(
        self, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient, respond: Respond
    ) -> None:
        """Open the report modal at once (``trigger_id`` expires 3 s after the click); the asked id in the
        button is checked by the engine when the report is submitted."""
        async with _apologising(_private(respond)):
            context = ModalContext(
                asked_id=str(action.get("value", "")),
                channel=str((body.get("channel") or {}).get("id") or ""),
                response_url=str(body.get("response_url") or ""),
                private_question=False,
            )
            await client.views_open(trigger_id=body["trigger_id"], view=report_modal(context))

    async def report_submitted(
        self, ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        """A report: a reason is required (said in the modal itself), then close it and thank privately."""
        values = (view.get("state") or {}).get("values") or {}
        chosen = ((values.get(REPORT_REASON_BLOCK) or {}).get(REPORT_REASON_INPUT) or {}).get(
            "selected_option"
        )
        reason = str((chosen or {}).get("value") or "")
        if not reason:
            await ack(response_action="errors", errors={REPORT_REASON_BLOCK: "Pick what is wrong."})
            return
        await ack()
        details = str(((values.get(REPORT_TEXT_BLOCK) or {}).get(REPORT_TEXT_INPUT) or {}).get("value") or "")
        player = player_from(body["user"])
        context = ModalContext.load(str(view.get("private_metadata") or ""))
        if context is None:
            log.warning("report modal without usable private_metadata from %s", player.id)
            return
        send = self._modal_reply(client, context, player)
        async with _apologising(send):
            thanks = await self.engine.report_problem(context.asked_id, player, reason, details)
            await send(notice(f":triangular_flag_on_post: {escape(thanks)}"))

    def _modal_reply(
        self, client: AsyncWebClient, context: ModalContext, player: Player, *, replace: bool = False
    ) -> Send:
        """Reply through the click's ``response_url``; fall back to ``chat.postEphemeral`` when it is spent.

        A ``response_url`` takes 5 posts within 30 minutes; ``chat.postEphemeral`` needs the user (and, in a
        private channel, the bot) to be in the channel.
        """

        async def send(message: Message) -> None:
            if context.response_url:
                reply = await ResponseUrl(context.response_url, self.session)(
                    **message.kwargs(),
                    **({"replace_original": True} if replace else {"response_type": "ephemeral"}),
                )
                if reply.status_code == 200:
                    return
                log.info("response_url refused (%s); falling back to chat.postEphemeral", reply.status_code)
            await client.chat_postEphemeral(channel=context.channel, user=player.id, **message.kwargs())

        return send


def _from_private_message(body: dict[str, Any]) -> bool:
    return bool((body.get("container") or {}).get("is_ephemeral"))


def _typed_answer(view: dict[str, Any]) -> str:
    values = ((view.get("state") or {}).get("values") or {}).get(ANSWER_BLOCK) or {}
    return str((values.get(ANSWER_INPUT) or {}).get("value") or "")


def register(app: AsyncApp, runtime: Runtime, session: aiohttp.ClientSession | None = None) -> SlackQuiz:
    """Attach the quiz listeners to ``app``; each acks before any work (Slack's 3-second limit).

    ``session`` carries the replies to ``response_url`` s (see the module docstring).
    """
    quiz = SlackQuiz(runtime, session)

    @app.command(COMMAND)
    async def on_quiz(ack: AsyncAck, command: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        await quiz.command(command, quiz.respond_to(command), client)

    @app.action(ANSWER_ACTION)
    async def on_answer(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        await quiz.click(body, action, quiz.respond_to(body))

    @app.action(TYPE_ANSWER_ACTION)
    async def on_type_answer(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        await quiz.open_modal(body, action, client, quiz.respond_to(body))

    @app.view(ANSWER_MODAL)
    async def on_answer_submitted(
        ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await quiz.submit(ack, body, view, client)

    @app.action(REPORT_ACTION)
    async def on_report(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        await quiz.open_report(body, action, client, quiz.respond_to(body))

    @app.view(REPORT_MODAL)
    async def on_report_submitted(
        ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await quiz.report_submitted(ack, body, view, client)

    @app.view(UPLOAD_MODAL)
    async def on_upload_submitted(
        ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await quiz.upload_submitted(ack, body, view, client)

    return quiz
