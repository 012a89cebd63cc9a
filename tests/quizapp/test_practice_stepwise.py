"""Step-by-step solving in the core: stages judged against the learner's own values, the
whole attempt's verdict, stored stages, and a skill card graded from the whole."""

from __future__ import annotations

import dataclasses

import pytest

from engine.problems import make_problem
from engine.problems.model import fixed
from engine.problems.stages import solve
from quizapp.practice import PracticeAttempt, StepAnswer
from quizapp.practice.stepwise import StepwiseRun
from quizapp.scheduling.skills import AGAIN, GOOD, HARD, practice_grade
from tests.quizapp.test_study_review_actions import skill_card
from tests.quizapp.test_study_undo import make


def run_for(seed: int = 3) -> StepwiseRun:
    return StepwiseRun(make_problem("neuron_output", seed, "medium"))


def test_stages_end_in_the_answer() -> None:
    run = run_for()
    assert run.available and [s.key for s in run.stages] == ["z", "a"]
    assert solve(run.stages)["a"] == pytest.approx(run.problem.answer, rel=1e-12)


def test_an_unreadable_stage_is_not_answered() -> None:
    run = run_for()
    said = run.answer("zed")
    assert isinstance(said, str) and "Type a number" in said
    assert isinstance(run.answer("1\n2"), str)
    assert run.index == 0 and not run.given


def test_a_wrong_stage_carries_forward_and_costs_one_step() -> None:
    run = run_for()
    z = solve(run.stages)["z"]
    first = run.answer(fixed(z + 2, 3))
    assert not isinstance(first, str) and not first.result.correct and not first.carried
    assert "expected" in first.line and run.stages[0].hint in first.line
    a_carried = run.stages[1].value({"z": z + 2})
    right_a = solve(run.stages)["a"]
    second = run.answer(fixed(a_carried, 6))
    assert not isinstance(second, str) and second.result.correct and second.carried
    assert second.result.expected == pytest.approx(a_carried)
    assert abs(a_carried - right_a) > 1e-3  # the carried value is not the right answer
    verdict = run.verdict()
    assert verdict.status == "wrong" and verdict.misconception is None
    assert [s.correct for s in run.steps()] == [False, True]


def test_only_the_last_stage_wrong_names_its_misconception() -> None:
    run = run_for()
    values = solve(run.stages)
    run.answer(fixed(values["z"], 3))
    mistake = run.problem.misconceptions[0]
    run.answer(run.problem.show(mistake.answer))
    verdict = run.verdict()
    if run.feedback[-1].result.correct:
        pytest.skip("this misconception agrees with the answer at the stage tolerance")
    assert verdict.status == "wrong" and verdict.misconception is not None


def test_reopen_last_takes_the_last_stage_back() -> None:
    run = run_for()
    values = solve(run.stages)
    run.answer(fixed(values["z"], 3))
    run.answer(fixed(values["a"], 6))
    assert run.done and run.verdict().status == "correct"
    run.reopen_last()
    assert not run.done and run.index == 1 and "a" not in run.given
    with pytest.raises(ValueError):
        run.verdict()


def test_single_step_families_offer_no_stages() -> None:
    assert not StepwiseRun(make_problem("weighted_sum", 1, "easy")).available


@pytest.mark.parametrize(("slips", "grade"), [(0, GOOD), (1, HARD), (2, AGAIN), (3, AGAIN)])
def test_a_skill_is_graded_from_the_whole(slips: int, grade: int) -> None:
    got = practice_grade(slips == 0, hinted=False, elapsed_s=40.0, difficulty="medium",
                         slips=slips)  # fmt: skip
    assert got == grade


def steps(*correct: bool) -> tuple[StepAnswer, ...]:
    return tuple(
        StepAnswer(f"s{k}", f"{k}.5", k + 0.5, k + 0.25, ok) for k, ok in enumerate(correct)
    )


def test_stages_are_stored_with_the_attempt_and_grade_the_card(db_url: str) -> None:
    study, _clock = make(db_url)
    card = skill_card(study)
    attempt = PracticeAttempt(
        variant_id=f"{card.family}@7", family=card.family or "", difficulty=card.difficulty or "",
        typed="2.5", value=2.5, correct=False, misconception=None, hinted=False,
        elapsed_s=20.0, card_id=card.card_id, steps=steps(True, False, True),
    )  # fmt: skip
    outcome = study.practice.record(attempt, card)
    assert outcome is not None and outcome.grade == HARD  # one slip of three
    (saved,) = study.practice.attempts()
    assert saved.steps == attempt.steps and saved.slips == 1
    plain = dataclasses.replace(attempt, card_id=None, steps=())
    study.practice.record(plain)
    newest = study.practice.attempts(1)[0]
    assert newest.steps == () and newest.slips == 0
