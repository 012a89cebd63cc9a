"""Computed practice: pick a family (or mixed / weakest first) and a difficulty, then solve.

Every readable answer is saved through `Practice.record`; the learner's practice record
is read back after each save so "weakest first" follows it.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.reactive import reactive
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from engine.catalog import DIFFICULTIES, FAMILIES
from engine.problems.titles import family_name
from quizapp.practice import (
    MODE_LABELS,
    MODES,
    PracticeAttempt,
    PracticeRecord,
    PracticeRound,
    choose_family,
    new_seed,
)
from quizapp.reviews import ReviewOutcome
from quizapp.tui.screens.base import QuizAppScreen
from quizapp.tui.styles import styles
from quizapp.tui.widgets.app_footer import AppFooter
from quizapp.tui.widgets.problem import (
    ProblemSolver,
    ProblemUnavailable,
    SolverActions,
    generate,
)
from quizapp.tui.widgets.scrolling import scroll_bindings, scroll_box


def family_label(family: str) -> str:
    return family_name(family)


class PracticeScreen(SolverActions, QuizAppScreen[None]):
    """Chooser first; then one problem at a time, another on `n`."""

    CSS_PATH = styles(["practice.tcss", "problem.tcss"])

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "n",
            "another",
            "New",
            id="practice.another",
            tooltip="Another variant (a new seed)",
        ),
        Binding(
            "s",
            "step",
            "Step",
            id="practice.step",
            tooltip="Open the next step of the worked solution",
        ),
        Binding(
            "t",
            "stepwise",
            "By step",
            id="practice.stepwise",
            tooltip="Answer step by step (z, then a, ...), each step checked at once",
        ),
        Binding(
            "m",
            "choices",
            "Choices",
            id="practice.choices",
            tooltip="Switch between typing a number and multiple choice",
        ),
        Binding(
            "f",
            "chooser",
            "Family",
            id="practice.family",
            tooltip="Choose the family, mixed or weakest first",
        ),
        Binding(
            "d",
            "difficulty",
            "Level",
            id="practice.difficulty",
            tooltip="Next difficulty: easy, medium, hard",
        ),
        Binding(
            "enter",
            "next_after_answer",
            "Next",
            id="practice.next",
            tooltip="Another variant, once this one is answered",
        ),
        Binding("escape", "app.back", "Back", id="practice.back", tooltip="Back to the dashboard"),
        *scroll_bindings("practice"),
    ]

    # the chooser is shown (not a problem): a change refreshes the footer's keys
    choosing = reactive(True, repaint=False, bindings=True)

    def __init__(
        self,
        choice: str | None = None,
        difficulty: str = "medium",
        families: tuple[str, ...] = (),
    ) -> None:
        super().__init__()
        # `families`: practise only these, mixed (e.g. those inviting one mistake), until the
        # learner chooses in the chooser
        self.only = tuple(f for f in families if f in FAMILIES)
        if self.only and choice is None:
            choice = self.only[0] if len(self.only) == 1 else "mixed"
        self.choice = choice  # a family, "mixed" or "weakest"; None while choosing
        self.difficulty = difficulty
        self.records: tuple[PracticeRecord, ...] | None = None  # None until read
        self.round: PracticeRound | None = None
        self.solver: ProblemSolver | None = None
        self.tried = 0
        self.right = 0
        self.unavailable: set[str] = set()  # families the engine failed on, this session

    def compose(self) -> ComposeResult:
        with Vertical(id="chooser", classes="panel") as chooser:
            chooser.border_title = "Computed practice"
            yield Static("Choose what to practise (enter starts):", id="chooser-intro")
            yield OptionList(*self._options(), id="families")
            yield Static("", id="difficulty")
        with VerticalScroll(id="problem", classes="panel"):
            yield Static("", id="problem-empty")
        yield AppFooter(compact=True)

    def on_mount(self) -> None:
        self._show_difficulty()
        self.load_records()
        if self.choice is None:
            self._show_chooser()
        else:
            self.action_another()

    # -- chooser ---------------------------------------------------------------------------

    def _options(self) -> list[Option]:
        by_family = {r.family: r for r in self.records or ()}
        options = [Option(MODE_LABELS[m], id=m) for m in MODES]
        width = max(len(family_label(f)) for f in FAMILIES)
        for family in FAMILIES:
            record = by_family.get(family)
            tally = f"{record.correct}/{record.attempts} right" if record else "not tried"
            options.append(Option(f"{family_label(family):<{width}}  {tally}", id=family))
        return options

    def _show_chooser(self) -> None:
        self.choosing = True
        self.query_one("#chooser").display = True
        self.query_one("#problem").display = False
        families = self.query_one("#families", OptionList)
        if self.choice is not None:
            families.highlighted = families.get_option_index(self.choice)
        elif families.highlighted is None:
            families.highlighted = 0
        families.focus()

    def _show_difficulty(self) -> None:
        marks = "  ".join(
            f"[reverse b] {d} [/]" if d == self.difficulty else f" {d} " for d in DIFFICULTIES
        )
        self.query_one("#difficulty", Static).update(f"Difficulty {marks}   [dim](d changes)[/]")
        self._title()

    @on(OptionList.OptionSelected, "#families")
    def _start(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.choice = event.option_id
        self.only = ()
        self.action_another()

    # -- the problem -----------------------------------------------------------------------

    def action_another(self) -> None:
        """A fresh variant of the chosen family (or the next family for mixed / weakest)."""
        if self.choice is None:
            return
        app = self.quiz_app
        previous = self.round.family if self.round else None
        offered = self.only or FAMILIES
        available = [f for f in offered if f not in self.unavailable]
        families = [self.choice] if self.choice in FAMILIES else available or list(offered)
        family = choose_family(self.choice, self.records or (), app.rng, previous, families)
        try:
            problem = generate(family, new_seed(app.rng), self.difficulty)
        except ProblemUnavailable as err:
            app.notify(
                str(err),
                title="The engine could not make a problem",
                severity="error",
                markup=False,
            )
            if self.choice in FAMILIES or not available:
                self._show_chooser()
            else:  # mixed / weakest first: carry on with the other families
                self.unavailable.add(family)
                self.action_another()
            return
        self.round = PracticeRound(
            variant_id=problem.id,
            family=problem.family,
            difficulty=problem.difficulty,
            started=app.monotonic(),
        )
        box = self.query_one("#problem", VerticalScroll)
        box.remove_children()
        self.solver = ProblemSolver(problem)
        box.mount(self.solver)
        self.choosing = False
        self.query_one("#chooser").display = False
        box.display = True
        box.scroll_home(animate=False)
        self._title()
        self.refresh_bindings()  # a new solver

    def _title(self) -> None:
        box = self.query_one("#problem", VerticalScroll)
        if self.round is None:
            return
        mode = MODE_LABELS.get(self.choice or "", "")
        where = f" · {mode}" if mode else ""
        scenario = self.solver.problem.scenario if self.solver else ""
        box.border_title = f"{self.round.variant_id} · {self.round.difficulty} · {scenario}{where}"
        if self.tried:
            box.border_subtitle = f"{self.right} of {self.tried} right"

    @on(ProblemSolver.HelpUsed)
    def _help_used(self) -> None:
        if self.round is not None:
            self.round.use_help()

    @on(ProblemSolver.Answered)
    def _answered(self, event: ProblemSolver.Answered) -> None:
        if self.round is None or event.solver is not self.solver:
            return
        verdict = event.verdict
        misconception = verdict.misconception.name if verdict.misconception else None
        attempt = self.round.attempt(
            event.typed,
            verdict.value,
            verdict.status == "correct",
            misconception,
            self.quiz_app.monotonic(),
            event.steps,
        )
        self.save_attempt(event.solver, attempt)

    def attempt_saved(self, attempt: PracticeAttempt, outcome: ReviewOutcome | None) -> None:
        self.tried += 1
        self.right += attempt.correct
        self.query_one("#problem").focus()  # arrows scroll; letters are the screen's keys
        self.load_records()
        self._title()
        self.refresh_bindings()

    def action_next_after_answer(self) -> None:
        if self.solver is not None and self.solver.answered:
            self.action_another()

    def action_chooser(self) -> None:
        self._show_chooser()

    def action_difficulty(self) -> None:
        i = DIFFICULTIES.index(self.difficulty)
        self.difficulty = DIFFICULTIES[(i + 1) % len(DIFFICULTIES)]
        self._show_difficulty()
        solver = self.solver
        if self.query_one("#problem").display and solver is not None:
            typed = solver.query_one("#answer", Input).value
            if solver.answered or not typed:
                self.action_another()  # nothing lost: show one at the new level

    def action_scroll_box(self, how: str) -> None:
        scroll_box(self.query_one("#problem", VerticalScroll), how)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        choosing = self.choosing
        solver = self.solver
        if action in ("another", "chooser"):
            return not choosing
        if action == "next_after_answer":
            return not choosing and solver is not None and solver.answered
        if action == "step":
            return not choosing and solver is not None and not solver.all_steps_shown
        if action == "choices":
            return (
                not choosing and solver is not None and not solver.answered and not solver.stepwise
            )
        if action == "stepwise":
            return not choosing and solver is not None and solver.can_toggle_stepwise
        return True

    # -- progress --------------------------------------------------------------------------

    def load_records(self) -> None:
        """Save what is queued and read the practice record back."""
        self.on_study(
            "save your practice",
            lambda study: study.practice.records(),
            self._records,
            retry=self.load_records,
            group="practice-records",
            exclusive=True,
        )

    def _records(self, records: tuple[PracticeRecord, ...]) -> None:
        self.records = records
        families = self.query_one("#families", OptionList)
        highlighted = families.highlighted
        families.set_options(self._options())
        families.highlighted = highlighted
