"""Recording a finished or unfinished quiz attempt straight through the store's recorder
(the one write path), for tests that need attempts in the history."""

from __future__ import annotations

from collections.abc import Iterable

from quizapp.collection import Collection
from quizapp.quiz import Progress, QuizAnswer

NO_PLAN = "{}"  # an attempt as versions before schema 0003 stored it: no plan to resume


def record_quiz(
    col: Collection,
    mode: str,
    profile: str,
    count: int,
    answers: Iterable[QuizAnswer] = (),
    *,
    score: float | None = None,
    time_limit_s: float | None = None,
    remaining_s: float | None = None,
) -> int:
    """Start an attempt now, save `answers`, and finish it with `score` if given; its id."""
    recorder = col.quizzes.recorder()
    now = col.time.clock.now()
    attempt = recorder.start_attempt(
        mode=mode,
        profile=profile,
        question_count=count,
        time_limit_s=time_limit_s,
        plan_json=NO_PLAN,
        at=now,
    )
    progress = Progress(0, 0.0, time_limit_s if remaining_s is None else remaining_s)
    for answer in answers:
        recorder.save_answer(attempt, answer, progress, at=now)
    if score is not None:
        recorder.finish(attempt, score, Progress(0, 0.0, remaining_s), at=now)  # type: ignore[arg-type]
    return attempt
