"""Alembic's migration scripts for quizbot's database, shipped inside the package so that an installed
quizbot can bring its database up to date (``quizbot db upgrade``). :mod:`quizbot.migrate` drives them."""
