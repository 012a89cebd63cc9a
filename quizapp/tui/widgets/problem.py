"""One computed problem on screen: story, parameters, an answer box or choices, feedback, steps.

The widget has each answer graded by the core (`quizapp.practice.grading`) and posts
`ProblemSolver.Answered` for every readable one; the screen that holds it saves the attempt,
and the verdict shows once it is stored. An answer the checker
cannot read is echoed back with how to type it, and never posted (so never counted wrong).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.markup import escape
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from engine.answers import Verdict
from engine.problems.model import Problem
from engine.problems.text import align_numbers
from quizapp.errors import CardChanged
from quizapp.practice.grading import grade_choice, grade_typed
from quizapp.tui.text import literal
from quizapp.tui.widgets.one_line_input import AnswerBox
from quizapp.tui.widgets.scrolling import InlineChoices

if TYPE_CHECKING:
    from quizapp.practice import PracticeAttempt
    from quizapp.reviews import ReviewCard, ReviewOutcome
    from quizapp.tui.screens.base import QuizAppScreen


class ProblemUnavailable(Exception):
    """The engine could not make this problem; str() is one line for the learner."""


def generate(family: str, seed: int, difficulty: str) -> Problem:
    """`make_problem`, with any engine failure turned into ProblemUnavailable."""
    from engine.problems import make_problem

    try:
        return make_problem(family, seed, difficulty)
    except Exception as err:
        from quizapp.tui.screens.dialogs import describe

        raise ProblemUnavailable(
            f"no {family.replace('_', ' ')} problem ({difficulty}, seed {seed}): {describe(err)}"
        ) from err


def mistake_name(name: str) -> str:
    return name.replace("_", " ")


def feedback_markup(problem: Problem, verdict: Verdict) -> str:
    """'Right' or 'Not quite', the answer, and the named misconception with its hint."""
    if verdict.status == "correct":
        return f"[b $text-success]✓ Right.[/] The answer is [b]{problem.display}[/b]."
    text = f"[b $text-error]✗ Not quite.[/] The answer is [b]{problem.display}[/b]."
    if verdict.misconception is not None:
        m = verdict.misconception
        text += (
            f"\nIt matches a known mistake: [b]{mistake_name(m.name)}[/b]."
            f"\n[$text-warning]Hint:[/] {escape(m.hint)}"
        )
    return text


class AnswerInput(AnswerBox):
    """The answer box: every printable key is text; `escape` leaves it to the screen's keys."""


class ChoiceList(InlineChoices):
    """The multiple-choice form; `1`..`4` pick an option directly."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(str(n), f"pick({n - 1})", show=False) for n in range(1, 5)
    ]

    def action_pick(self, index: int) -> None:
        if index < self.option_count:
            self.highlighted = index
            self.action_select()


class ProblemSolver(Vertical):
    """A problem with its answer box, multiple choice, feedback and worked steps."""

    class Answered(Message):
        """A readable answer (typed or chosen); `typed` is what the learner entered."""

        def __init__(self, solver: ProblemSolver, verdict: Verdict, typed: str) -> None:
            super().__init__()
            self.solver = solver
            self.verdict = verdict
            self.typed = typed

    class HelpUsed(Message):
        """The learner opened steps or choices before answering."""

    def __init__(self, problem: Problem, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="solver")
        self.problem = problem
        self.verdict: Verdict | None = None  # set once the answer is stored
        self.pending: tuple[Verdict, str] | None = None  # judged, being saved
        self.last_try: tuple[Verdict, str] | None = None  # the answer a failed save retracted
        self.steps_shown = 0
        self.choosing = False

    @property
    def answered(self) -> bool:
        """Whether the answer is stored (a judged answer still being saved is not)."""
        return self.verdict is not None

    @property
    def saving(self) -> bool:
        return self.pending is not None

    @property
    def all_steps_shown(self) -> bool:
        return self.steps_shown >= len(self.problem.steps)

    def compose(self) -> ComposeResult:
        p = self.problem
        # The prompt tells the story and lays out every parameter itself, vectors and
        # matrices column-aligned (engine.problems.text); `params` holds internals (the
        # asked index, nested layers) and is not shown again.
        yield Static(p.prompt, id="prompt", markup=False)
        with Horizontal(id="answer-row"):
            yield Label("Answer ", id="answer-label")
            yield AnswerInput(
                placeholder="type a number, then enter",
                id="answer",
                select_on_focus=False,
            )
        shown = align_numbers([c.display for c in p.choices()])
        yield ChoiceList(
            *(Option(f"{n}  {text}") for n, text in enumerate(shown, 1)),
            id="choices",
        )
        yield Static("", id="echo")
        yield Static("", id="feedback")
        yield Static("", id="steps", markup=False)

    def on_mount(self) -> None:
        self.query_one("#choices").display = False
        for name in ("#echo", "#feedback", "#steps"):
            self.query_one(name).display = False
        # the question opens at its top: the box takes the keys without scrolling to it
        self.query_one("#answer", Input).focus(scroll_visible=False)

    def focus_answer(self) -> None:
        """Back to answering: the box (or the choices, when choosing)."""
        if not self.answered and not self.saving:
            self.query_one("#choices" if self.choosing else "#answer").focus()

    # -- answering -------------------------------------------------------------------------

    @on(Input.Submitted, "#answer")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.check(event.value)

    def check(self, typed: str) -> Verdict | None:
        """Judge typed text; returns None (and says how to type it) when unreadable."""
        if self.answered or self.saving:
            return self.verdict
        verdict = grade_typed(self.problem, typed)
        echo = self.query_one("#echo", Static)
        echo.display = True
        if verdict.status == "unreadable":
            self._say_unreadable(f"Could not read that (not counted). {verdict.message}")
            return None
        echo.set_class(False, "-unreadable")
        echo.update(literal(verdict.echo.capitalize()))  # it quotes what was typed
        self._finish(verdict, typed)
        return verdict

    @on(OptionList.OptionSelected, "#choices")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.answered or self.saving:
            return
        choice = self.problem.choices()[event.option_index]
        verdict = grade_choice(self.problem, event.option_index)
        echo = self.query_one("#echo", Static)
        echo.display = True
        echo.update(f"You chose {choice.display}.")
        self._finish(verdict, choice.display)

    def _say_unreadable(self, text: str) -> None:
        echo = self.query_one("#echo", Static)
        echo.display = True
        echo.set_class(True, "-unreadable")
        echo.update(Text(text))

    def _finish(self, verdict: Verdict, typed: str) -> None:
        """Judged: the host saves it, then calls `confirm` (stored) or `retract` (failed)."""
        self.pending = (verdict, typed)
        self.query_one("#answer", Input).disabled = True
        self.query_one("#choices", ChoiceList).disabled = True
        self.post_message(self.Answered(self, verdict, typed))

    def retract(self) -> None:
        """The answer could not be stored: the problem is unanswered again, the text kept."""
        if self.pending is None:
            return
        self.last_try = self.pending
        self.pending = None
        box = self.query_one("#answer", Input)
        box.disabled = False
        choices = self.query_one("#choices", ChoiceList)
        choices.disabled = False
        self._say_unreadable("Not saved (see the message); answer again to retry.")
        (choices if self.choosing else box).focus()

    def resubmit(self) -> None:
        """Try to save the retracted answer again (the error dialog's retry)."""
        if self.last_try is not None and not self.answered and not self.saving:
            self._finish(*self.last_try)

    def confirm(self) -> None:
        """The answer is stored: show the verdict and the feedback."""
        if self.pending is None:
            return
        verdict, _typed = self.pending
        self.pending = None
        self.verdict = verdict
        feedback = self.query_one("#feedback", Static)
        feedback.update(feedback_markup(self.problem, verdict))
        feedback.set_class(verdict.status == "correct", "-right")
        feedback.set_class(verdict.status != "correct", "-wrong")
        feedback.display = True
        self.call_after_refresh(feedback.scroll_visible)

    # -- help ------------------------------------------------------------------------------

    def toggle_choices(self) -> None:
        """Switch between typing a number and picking one of four."""
        if self.answered:
            return
        self.choosing = not self.choosing
        choices = self.query_one("#choices", ChoiceList)
        self.query_one("#answer-row").display = not self.choosing
        choices.display = self.choosing
        if self.choosing:
            self.post_message(self.HelpUsed())
            choices.highlighted = None
            choices.focus(scroll_visible=False)
            choices.reveal_highlight()  # the options, below a tall story
        else:
            self.query_one("#answer", Input).focus()

    def next_step(self) -> None:
        """Open one more step of the worked solution."""
        if self.all_steps_shown:
            return
        if not self.answered:
            self.post_message(self.HelpUsed())
        self.steps_shown += 1
        steps = self.query_one("#steps", Static)
        shown = self.problem.steps[: self.steps_shown]
        total = len(self.problem.steps)
        lines = [f"Worked solution ({self.steps_shown}/{total})"]
        for n, step in enumerate(shown, 1):
            lines.append(f"{n}. {step}")
        steps.update("\n".join(lines))
        steps.display = True
        self.call_after_refresh(steps.scroll_visible)


if TYPE_CHECKING:
    _Host = QuizAppScreen[None]
else:
    _Host = object


class SolverActions(_Host):
    """The `step` and `choices` actions of a screen that hosts a ProblemSolver in `solver`,
    and saving its answers: an answer counts (and its feedback shows) only once stored.
    A mixin for a `QuizAppScreen` (it comes first in the bases)."""

    solver: ProblemSolver | None

    def save_attempt(
        self, solver: ProblemSolver, attempt: PracticeAttempt, card: ReviewCard | None = None
    ) -> None:
        """Save the attempt (with `card`, the skill card as shown, grade it too); its feedback
        shows once stored."""

        def saved(outcome: ReviewOutcome | None) -> None:
            solver.confirm()
            self.attempt_saved(attempt, outcome)

        def failed(err: Exception) -> None:
            solver.retract()
            if isinstance(err, CardChanged):
                self.attempt_refused(err)
            else:
                self.quiz_app.study_failed("save your answer", err, retry=solver.resubmit)

        self.on_study(
            "save your answer",
            lambda study: study.practice.record(attempt, card),
            saved,
            failed=failed,
            group="practice-save",
        )

    def attempt_saved(self, attempt: PracticeAttempt, outcome: ReviewOutcome | None) -> None:
        """The attempt is stored (the host updates its counts)."""

    def attempt_refused(self, error: CardChanged) -> None:
        """The skill card changed elsewhere since it was shown; nothing was stored."""

    def action_step(self) -> None:
        if self.solver is not None:
            self.solver.next_step()
            self.refresh_bindings()

    def action_choices(self) -> None:
        if self.solver is not None:
            self.solver.toggle_choices()
            self.refresh_bindings()
