"""Grading a practice answer in the core: typed (the engine's checker) or chosen."""

from __future__ import annotations

from engine.problems import make_problem
from quizapp.practice.grading import grade_choice, grade_typed


def test_a_typed_answer_is_graded_like_the_checker_and_several_lines_are_unreadable() -> None:
    problem = make_problem("softmax", 3, "easy")
    assert grade_typed(problem, problem.display).status == "correct"
    assert grade_typed(problem, "abc").status == "unreadable"
    several = grade_typed(problem, f"{problem.display}\n0.5")
    assert several.status == "unreadable" and "several lines" in several.message


def test_a_chosen_option_is_right_only_for_the_key_and_names_the_misconception() -> None:
    problem = make_problem("gradient_step", 11, "medium")
    choices = problem.choices()
    verdicts = [grade_choice(problem, i) for i in range(len(choices))]
    assert [v.status == "correct" for v in verdicts] == [c.correct for c in choices]
    for choice, verdict in zip(choices, verdicts, strict=True):
        named = verdict.misconception.name if verdict.misconception else None
        assert named == choice.misconception
