"""A computed question recorded before the distractor rule changed is rebuilt with the rule it
was recorded with, so the learner's recorded pick still names the option they saw."""

from __future__ import annotations

from engine.problems import make_problem
from engine.problems.model import CHOICES_VERSION
from quizapp.bank.loader import load_shipped
from quizapp.quiz.questions import PlannedQuestion, build_question

COMPUTED = [i for i in load_shipped().items if i.kind == "computed"]


def test_a_plan_without_a_choices_version_is_rebuilt_with_the_first_rule() -> None:
    changed = 0
    for item in COMPUTED:
        old = {
            "item": item.id,
            "order": [0, 1, 2, 3],
            "variant": {"family": item.family, "seed": 7, "difficulty": item.difficulty,
                        "scenario": item.scenario},
        }  # fmt: skip
        planned = PlannedQuestion.from_json(old)
        assert planned.variant is not None and planned.variant.choices_version == 1
        question = build_question(0, planned, item)
        problem = make_problem(item.family, 7, item.difficulty, item.scenario)
        # rule 1: the answer and three misconception answers, each wrong option named
        names = {m.name for m in problem.misconceptions}
        wrong = [o for o in question.options if not o.correct]
        assert len(wrong) == 3 and all(
            o.misconception and o.misconception.name in names for o in wrong
        )
        assert [o.text for o in question.options] == [c.display for c in problem.choices(1)]
        changed += [c.display for c in problem.choices(1)] != [
            c.display for c in problem.choices(CHOICES_VERSION)
        ]
    assert changed  # the rules differ, so the version matters


def test_a_new_plan_records_the_current_rule_and_round_trips() -> None:
    from quizapp.quiz.draw import draw_plan
    from quizapp.quiz.plan import AttemptPlan, QuizSetup

    plan = draw_plan(QuizSetup.practice(len(COMPUTED), kinds={"computed"}), COMPUTED, seed=3)
    variants = [q.variant for q in plan.questions]
    assert variants and all(
        v is not None and v.choices_version == CHOICES_VERSION for v in variants
    )
    assert AttemptPlan.from_json(plan.to_json()) == plan
