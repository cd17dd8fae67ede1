"""What ``quizbot run`` logs: the operator's lines at INFO, the libraries' chatter only at DEBUG.

``QUIZBOT_LOG_LEVEL`` sets the level of a running bot. Other commands print their results themselves and
log warnings only, unless DEBUG is asked for.
"""

from __future__ import annotations

import logging
from importlib.metadata import PackageNotFoundError, version

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

CHATTY_LOGGERS = ("apscheduler",)
"""Libraries that log routine work at INFO: APScheduler logs every job run twice ("Running job", "executed
successfully"), the sweep alone two lines a minute. Raised to WARNING unless the level is DEBUG."""


def quizbot_version() -> str:
    """The installed version, for the start-up line; "unknown" when running from an uninstalled tree."""
    try:
        return version("quizbot")
    except PackageNotFoundError:
        return "unknown"


def configure_logging(level: str, *, service: bool) -> None:
    """Log to standard error at ``level`` for a service (``quizbot run``), else at WARNING (or DEBUG).

    Standard error, one line a record: systemd's journal and ``docker logs`` take it as it is.
    """
    effective = level if service or level == "DEBUG" else "WARNING"
    logging.basicConfig(level=effective, format=LOG_FORMAT)
    for name in CHATTY_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG if effective == "DEBUG" else logging.WARNING)
