"""The progress store: SQLAlchemy models, opening and migrating the database, and the
queries behind `quizapp.study.Study`. Imports SQLAlchemy: only `quizapp.study` and the
commands that need progress import this package."""
