"""What ``quizbot run`` logs: the operator's lines at INFO, the libraries' chatter only at DEBUG.

``QUIZBOT_LOG_LEVEL`` sets the level of quizbot's own loggers (``quizbot.*``, ``adapters.*``): start-up,
connected platforms, daily posts, errors. The libraries underneath log their warnings and errors only,
unless the level is DEBUG: at INFO, APScheduler logs every job run twice (the daily sweep alone, two lines a
minute), discord.py its gateway sessions and slack_sdk every connection retry. Other commands print their
results themselves and log warnings only, unless DEBUG is asked for.
"""

from __future__ import annotations

import logging
from importlib.metadata import PackageNotFoundError, version

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
OWN_LOGGERS = ("quizbot", "adapters")
"""The loggers that log at ``QUIZBOT_LOG_LEVEL``; every other one logs at WARNING unless it is DEBUG."""


class OneLineRecords(logging.Filter):
    """Turns a library's retry records into one line: the traceback goes, its error joins the message.

    Libraries log every failed reconnect with ``logger.exception`` (slack_sdk's Socket Mode client: 35 lines
    every 10 s while Slack is unreachable; discord.py's gateway reconnects likewise). The error names the
    cause; the traceback only repeats library internals. At DEBUG the record is left whole. ``prefixes``
    limits the filter to messages starting with one of them (so a bug's traceback is kept).
    """

    def __init__(self, *prefixes: str) -> None:
        super().__init__()
        self.prefixes = prefixes

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.exc_info or logging.getLogger(record.name).isEnabledFor(logging.DEBUG):
            return True
        if self.prefixes and not str(record.msg).startswith(self.prefixes):
            return True
        error = record.exc_info[1]
        message = record.getMessage()
        if error is not None and str(error) not in message:
            message = f"{message} ({type(error).__name__}: {error})"
        record.msg, record.args = message, None
        record.exc_info, record.exc_text = None, None
        return True


def quizbot_version() -> str:
    """The installed version, for the start-up line; "unknown" when running from an uninstalled tree."""
    try:
        return version("quizbot")
    except PackageNotFoundError:
        return "unknown"


def configure_logging(level: str, *, service: bool) -> None:
    """Log to standard error, one line a record (as systemd's journal and ``docker logs`` take it).

    ``service`` (``quizbot run``) logs quizbot's own lines at ``level``; other commands at WARNING unless
    ``level`` is DEBUG. When the process has configured logging already (quizbot embedded in another
    program, or a test runner capturing logs), that configuration is left alone.
    """
    root = logging.getLogger()
    if root.handlers:
        return
    own = level if service or level == "DEBUG" else "WARNING"
    logging.basicConfig(level="DEBUG" if level == "DEBUG" else "WARNING", format=LOG_FORMAT)
    for name in OWN_LOGGERS:
        logging.getLogger(name).setLevel(own)
