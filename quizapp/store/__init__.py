"""The progress store, one module per thing it stores: `cards` (cards and their memory: the
study queue), `review_log`, `daily_counts`, `practice_attempts`, `quiz_attempts`,
`settings`, `content` (bank items as cards); `statistics` reads across them for the stats.
`database` opens and migrates the file, `tables` names the tables once, `models` types them.
Imports SQLAlchemy: only the use-case services and the commands that need progress import it.
"""
