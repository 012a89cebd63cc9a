"""A computed question recorded before the distractor rule changed is rebuilt with the rule it
was recorded with, so the learner's recorded pick still names the option they saw."""

from __future__ import annotations

from engine.problems import make_problem
from engine.problems.model import CHOICES_VERSION
from quizapp.bank.loader import load_shipped
from quizapp.bank.model import Item
from quizapp.quiz.plan import AttemptPlan
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
        problem = make_problem(item.family, 7, item.difficulty, item.scenario)
        if len(problem.misconceptions) < 3:
            # a class label or an index, named by fewer: such questions came after rule 1 (and
            # rule 2), so no attempt recorded with it holds one
            assert problem.domain.values is not None, problem.id
            continue
        question = build_question(0, planned, item)
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


def _relu_plan(item: Item) -> AttemptPlan:
    """A drawn one-question plan whose variant asks a ReLU or leaky ReLU slope."""
    from quizapp.quiz.draw import draw_plan
    from quizapp.quiz.plan import QuizSetup

    for seed in range(200):
        plan = draw_plan(QuizSetup.practice(1, kinds={"computed"}), [item], seed=seed)
        v = plan.questions[0].variant
        assert v is not None
        if make_problem(v.family, v.seed, v.difficulty, v.scenario).params["activation"] in (
            "relu",
            "leaky_relu",
        ):
            return plan
    raise AssertionError("no ReLU variant drawn")


def test_a_relu_slope_question_offers_its_two_possible_values() -> None:
    """Rule 3: a quantity with two possible values shows exactly those two options; a plan
    recorded under rule 2 (four options) is still rebuilt with four."""
    items = [i for i in COMPUTED if i.family == "activation_derivative"]
    assert items
    for item in items:
        plan = _relu_plan(item)
        planned = plan.questions[0]
        assert planned.variant is not None and planned.variant.choices_version == CHOICES_VERSION
        assert sorted(planned.order) == [0, 1]
        question = build_question(0, planned, item)
        assert len(question.options) == 2 and question.choose == 1
        assert [o.correct for o in question.options].count(True) == 1
        v = planned.variant
        old = PlannedQuestion.from_json(
            {"item": item.id, "order": [2, 0, 3, 1],
             "variant": {**v.to_json(), "choices_version": 2}}
        )  # fmt: skip
        rebuilt = build_question(0, old, item)
        problem = make_problem(v.family, v.seed, v.difficulty, v.scenario)
        assert [o.text for o in rebuilt.options] == [
            problem.choices(2)[i].display for i in (2, 0, 3, 1)
        ]
