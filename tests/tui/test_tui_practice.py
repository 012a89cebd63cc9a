"""Computed practice driven with Pilot; every attempt is checked in the database."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from textual.widgets import Input, Static
from tui_support import dashboard_ready, make_app, open_study, shown, until

from engine.catalog import FAMILIES
from engine.problems import make_problem
from engine.problems.model import fixed
from engine.problems.stages import solve
from quizapp.collection import Collection
from quizapp.practice import MODES, PracticeAttempt
from quizapp.tui.screens.practice import PracticeScreen

_STUDIES: dict[Path, Collection] = {}


def attempts(tmp_path: Path) -> list[PracticeAttempt]:
    """Every saved practice attempt, oldest first (read by a second Collection on the file)."""
    study = _STUDIES.get(tmp_path)
    if study is None:
        study = _STUDIES[tmp_path] = open_study(tmp_path)
    return list(reversed(study.practice.attempts()))


@pytest.fixture(autouse=True)
def _close_studies():
    yield
    while _STUDIES:
        _STUDIES.popitem()[1].close()


async def start_family(pilot, family: str) -> PracticeScreen:
    await dashboard_ready(pilot)
    await pilot.press("p")
    await until(pilot, lambda: isinstance(pilot.app.screen, PracticeScreen))
    index = len(MODES) + FAMILIES.index(family)
    await pilot.press(*["down"] * index, "enter")
    screen = pilot.app.screen
    await until(pilot, lambda: screen.solver is not None and screen.solver.is_mounted)
    return screen


async def answer(pilot, text: str) -> None:
    await pilot.press(*text, "enter")


def text_of(screen, selector: str) -> str:
    return shown(screen.query_one(selector, Static))


async def test_right_and_wrong_answers_are_saved_with_the_misconception(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_family(pilot, "softmax")
        first = screen.solver.problem
        assert first.family == "softmax"
        assert first.id in screen.query_one("#problem").border_title  # softmax@<seed>
        await answer(pilot, first.display)
        assert "Right" in text_of(screen, "#feedback")
        await until(pilot, lambda: len(attempts(tmp_path)) == 1)

        await pilot.press("n")
        await until(pilot, lambda: screen.solver.problem is not first)
        second = screen.solver.problem
        mistake = second.misconceptions[0]
        await answer(pilot, second.show(mistake.answer))
        feedback = text_of(screen, "#feedback")
        assert "Not quite" in feedback
        assert mistake.name.replace("_", " ") in feedback and mistake.hint in feedback
        await until(pilot, lambda: len(attempts(tmp_path)) == 2)

    right, wrong = attempts(tmp_path)
    assert (right.variant_id, right.correct, right.misconception) == (first.id, True, None)
    assert right.value == float(first.display)
    assert (wrong.variant_id, wrong.correct) == (second.id, False)
    assert wrong.misconception == mistake.name
    assert wrong.typed == second.show(mistake.answer)
    assert not right.hinted and not wrong.hinted
    records = {r.family: r for r in open_study(tmp_path).practice.records()}
    assert (records["softmax"].attempts, records["softmax"].correct) == (2, 1)


async def test_a_junk_answer_is_not_stored_as_wrong(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_family(pilot, "weighted_sum")
        problem = screen.solver.problem
        await answer(pilot, "abc")
        assert "Could not read" in text_of(screen, "#echo")
        assert not screen.solver.answered
        await pilot.pause(0.2)
        assert attempts(tmp_path) == []
        # the same box still takes a real answer, which counts as a first try
        screen.solver.query_one("#answer").value = ""
        await answer(pilot, problem.display)
        assert "read as" in text_of(screen, "#echo").lower()
        await until(pilot, lambda: len(attempts(tmp_path)) == 1)
    (saved,) = attempts(tmp_path)
    assert saved.correct and not saved.hinted and saved.typed == problem.display


async def test_multiple_choice_and_steps_count_as_help(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_family(pilot, "loss")
        problem = screen.solver.problem
        await pilot.press("escape", "s")  # out of the answer box: letters are keys
        steps = text_of(screen, "#steps")
        assert f"(1/{len(problem.steps)})" in steps and problem.steps[0] in steps
        await pilot.press("m")
        assert screen.query_one("#choices").display
        right = next(i for i, c in enumerate(problem.choices()) if c.correct)
        await pilot.press(str(right + 1))
        assert "Right" in text_of(screen, "#feedback")
        await until(pilot, lambda: len(attempts(tmp_path)) == 1)
    (saved,) = attempts(tmp_path)
    assert saved.correct and saved.hinted and saved.typed == problem.display


async def test_mixed_moves_between_families_and_weakest_follows_the_record(
    tmp_path: Path,
) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await dashboard_ready(pilot)
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, PracticeScreen))
        screen = app.screen
        await pilot.press("enter")  # Mixed
        seen = []
        for _ in range(4):
            await until(pilot, lambda: screen.solver is not None)
            seen.append(screen.solver.problem.family)
            await answer(pilot, "-123456")  # wrong for every family
            await until(pilot, lambda: screen.solver.answered)
            await pilot.press("n")
        assert all(a != b for a, b in itertools.pairwise(seen))
        await until(pilot, lambda: len(attempts(tmp_path)) == 4)

        await pilot.press("escape", "f", "down", "enter")  # out of the box; Weakest first
        await until(pilot, lambda: screen.choice == "weakest")
        weakest = screen.solver.problem.family
        # every tried family stands at 0 of 1: weaker than the untried ones
        assert weakest in seen


async def test_difficulty_key_cycles_and_regenerates_an_untouched_problem(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_family(pilot, "weighted_sum")
        assert screen.solver.problem.difficulty == "medium"
        await pilot.press("escape", "d")  # out of the answer box: letters are keys
        await until(pilot, lambda: screen.solver.problem.difficulty == "hard")
        expected = make_problem("weighted_sum", screen.solver.problem.seed, "hard")
        assert screen.solver.problem.answer == expected.answer


# -- step by step ------------------------------------------------------------------------


async def test_a_slip_carries_forward_and_costs_one_step(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await start_family(pilot, "neuron_output")
        solver = screen.solver
        problem = solver.problem
        await pilot.press("escape", "t")
        assert solver.stepwise and solver.run.index == 0
        assert "Step 1 of 2" in text_of(screen, "#stage-prompt")
        z_right = solve(solver.run.stages)["z"]
        z_wrong = z_right + 5
        await answer(pilot, fixed(z_wrong, 3))
        assert "✗" in text_of(screen, "#stage-log") and "Step 2 of 2" in text_of(
            screen, "#stage-prompt"
        )
        assert pilot.app.focused is solver.query_one("#answer", Input)
        a_from_wrong = solver.run.stages[1].value({"z": z_wrong})
        await answer(pilot, fixed(a_from_wrong, 6))
        await until(pilot, lambda: solver.answered)
        assert "1 of 2 steps right" in text_of(screen, "#feedback")
        await until(pilot, lambda: len(attempts(tmp_path)) == 1)

    (saved,) = attempts(tmp_path)
    assert saved.variant_id == problem.id and not saved.correct
    assert [s.key for s in saved.steps] == ["z", "a"]
    assert [s.correct for s in saved.steps] == [False, True]
    assert saved.steps[1].expected == a_from_wrong and saved.slips == 1


async def test_every_step_right_is_a_right_answer_and_unreadable_is_not_counted(
    tmp_path: Path,
) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await start_family(pilot, "neuron_output")
        solver = screen.solver
        await pilot.press("escape", "t")
        await answer(pilot, "zed")
        assert "not counted" in text_of(screen, "#echo") and solver.run.index == 0
        await pilot.press(*["backspace"] * 3)
        values = solve(solver.run.stages)
        for stage in solver.run.stages:
            await answer(pilot, fixed(values[stage.key], stage.decimals))
        await until(pilot, lambda: solver.answered)
        assert "Right" in text_of(screen, "#feedback")
        assert "2 of 2 steps right" in text_of(screen, "#feedback")
        # once answered, neither mode nor choices can change
        assert not solver.can_toggle_stepwise
        await until(pilot, lambda: len(attempts(tmp_path)) == 1)
    (saved,) = attempts(tmp_path)
    assert saved.correct and saved.slips == 0 and len(saved.steps) == 2


async def test_step_mode_can_be_left_until_a_step_is_answered(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await start_family(pilot, "neuron_output")
        solver = screen.solver
        await pilot.press("escape", "t")
        assert solver.stepwise
        await pilot.press("escape", "t")
        assert not solver.stepwise
        await pilot.press("escape", "t")
        z = solve(solver.run.stages)["z"]
        await answer(pilot, fixed(z, 3))
        await pilot.press("escape", "t", "m")
        assert solver.stepwise and not solver.choosing  # a stage is kept, no choices
        assert "✓" in text_of(screen, "#stage-log")
