"""Slack adapter (slack-bolt): ``/quiz`` commands, answer buttons and modals, daily channel posts.

Modules, one job each: ``app`` builds and serves the Bolt app (Socket Mode or HTTP), ``commands`` holds the
listeners, ``routing`` decides what ``/quiz <text>`` means, ``blocks`` renders Block Kit, ``escape`` makes
outside text safe, ``ids`` is the contract between rendered buttons and listeners, ``poster`` posts daily
questions, ``pacing`` keeps those posts inside Slack's per-channel limit, ``plugin`` plugs all of it into
``quizbot run``.
"""

from adapters.slack_app.plugin import plugin

__all__ = ["plugin"]
