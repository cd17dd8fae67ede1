"""``python -m quizbot`` is the ``quizbot`` command."""

import sys

from quizbot.cli import main

sys.exit(main())
