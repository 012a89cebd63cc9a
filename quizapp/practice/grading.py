"""Grading a computed-practice answer, typed or chosen: the engine's checker, in one place
for the practice screen, skill cards and quizzes alike."""

from __future__ import annotations

from engine.answers import Verdict, check_answer
from engine.problems.model import Problem


def grade_typed(problem: Problem, typed: str) -> Verdict:
    """Judge typed text; status "unreadable" (with how to type it) when it is no number. Text
    of several lines is unreadable: only one answer is graded, never its first line."""
    if "\n" in typed or "\r" in typed:
        return Verdict("unreadable", None, "", "That is several lines; type one number.", None)
    return check_answer(problem, typed)


def grade_choice(problem: Problem, index: int) -> Verdict:
    """Judge the multiple-choice option at `index` (a wrong option names its misconception)."""
    choice = problem.choices()[index]
    by_name = {m.name: m for m in problem.misconceptions}
    return Verdict(
        "correct" if choice.correct else "wrong",
        choice.value,
        f"chose {choice.display}",
        "",
        by_name.get(choice.misconception or ""),
    )
