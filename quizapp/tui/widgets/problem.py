"""One computed problem on screen: story, parameters, an answer box or choices, feedback, steps.

The widget has each answer graded by the core (`quizapp.practice.grading`) and posts
`ProblemSolver.Answered` for every readable one; the screen that holds it saves the attempt,
and the verdict shows once it is stored. An answer the checker
cannot read is echoed back with how to type it, and never posted (so never counted wrong).

Step by step (`toggle_stepwise`), the box asks for each stage in turn (z, then a, ...) and
judges it at once against the learner's own earlier values (`quizapp.practice.stepwise`);
the attempt, with every stage, is posted once the last stage is answered.
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
from engine.problems.titles import family_name
from quizapp.errors import CardChanged
from quizapp.practice.grading import grade_choice, grade_typed
from quizapp.practice.model import StepAnswer
from quizapp.practice.stepwise import StepwiseRun
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
            f"no {family_name(family)} problem ({difficulty}, seed {seed}): {describe(err)}"
        ) from err


def mistake_name(name: str) -> str:
    return name.replace("_", " ")


def feedback_markup(problem: Problem, verdict: Verdict, steps: tuple[StepAnswer, ...] = ()) -> str:
    """'Right' or 'Not quite', the answer, and the named misconception with its hint; for
    an answer given step by step, how many stages were right."""
    right = sum(s.correct for s in steps)
    tally = f" {right} of {len(steps)} steps right." if steps else ""
    if verdict.status == "correct":
        return f"[b $text-success]✓ Right.[/]{tally} The answer is [b]{problem.display}[/b]."
    text = f"[b $text-error]✗ Not quite.[/]{tally} The answer is [b]{problem.display}[/b]."
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


Judged = tuple[Verdict, str, tuple[StepAnswer, ...]]  # verdict, what was typed, stages


class ProblemSolver(Vertical):
    """A problem with its answer box, multiple choice, feedback and worked steps."""

    class Answered(Message):
        """A readable answer (typed or chosen); `typed` is what the learner entered."""

        def __init__(
            self,
            solver: ProblemSolver,
            verdict: Verdict,
            typed: str,
            steps: tuple[StepAnswer, ...] = (),
        ) -> None:
            super().__init__()
            self.solver = solver
            self.verdict = verdict
            self.typed = typed
            self.steps = steps  # every stage, when answered step by step

    class HelpUsed(Message):
        """The learner opened steps or choices before answering."""

    def __init__(self, problem: Problem, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="solver")
        self.problem = problem
        self.verdict: Verdict | None = None  # set once the answer is stored
        self.pending: Judged | None = None  # judged, being saved
        self.last_try: Judged | None = None  # the answer a failed save retracted
        self.steps_shown = 0
        self.choosing = False
        self.run = StepwiseRun(problem)
        self.stepwise = False  # answering stage by stage

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

    @property
    def can_toggle_stepwise(self) -> bool:
        """Step by step is on offer before answering, and can be left until a stage is
        answered (answered stages are never thrown away)."""
        if self.answered or self.saving or not self.run.available:
            return False
        return not self.stepwise or self.run.index == 0

    def compose(self) -> ComposeResult:
        p = self.problem
        # The prompt tells the story and lays out every parameter itself, vectors and
        # matrices column-aligned (engine.problems.text); `params` holds internals (the
        # asked index, nested layers) and is not shown again.
        yield Static(p.prompt, id="prompt", markup=False)
        yield Static("", id="stage-log")
        yield Static("", id="stage-prompt")
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
        for name in ("#echo", "#feedback", "#steps", "#stage-log", "#stage-prompt"):
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
        if self.stepwise:
            self.check_stage(event.value)
        else:
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

    # -- step by step ----------------------------------------------------------------------

    def toggle_stepwise(self) -> None:
        """Switch between one answer and answering stage by stage."""
        if not self.can_toggle_stepwise:
            return
        if self.choosing:
            self.toggle_choices()
        self.stepwise = not self.stepwise
        self.query_one("#stage-prompt").display = self.stepwise
        self.query_one("#stage-log").display = self.stepwise and self.run.index > 0
        self._show_stage()
        self.query_one("#answer", Input).focus()

    def _show_stage(self) -> None:
        label = self.query_one("#answer-label", Label)
        stage = self.run.current
        if not self.stepwise or stage is None:
            label.update("Answer ")
            return
        n, total = self.run.index + 1, len(self.run.stages)
        label.update(f"Step {n}/{total} ")
        self.query_one("#stage-prompt", Static).update(
            Text.assemble((f"Step {n} of {total}: ", "bold"), stage.label)
        )

    def _show_log(self) -> None:
        log = self.query_one("#stage-log", Static)
        text = Text()
        for k, fb in enumerate(self.run.feedback):
            if k:
                text.append("\n")
            text.append(fb.line, style="" if fb.result.correct else "italic")
        log.update(text)
        log.display = bool(self.run.feedback)

    def check_stage(self, typed: str) -> None:
        """Judge typed text for the current stage; the last stage completes the attempt."""
        if self.answered or self.saving or self.run.done:
            return
        said = self.run.answer(typed)
        if isinstance(said, str):
            self._say_unreadable(f"Could not read that (not counted). {said}")
            return
        self.query_one("#echo").display = False
        self._show_log()
        box = self.query_one("#answer", Input)
        box.value = ""
        if self.run.done:  # the log shows every stage: no empty box left below it
            self.query_one("#stage-prompt").display = False
            self.query_one("#answer-row").display = False
            self._finish(self.run.verdict(), typed, self.run.steps())
        else:
            self._show_stage()
        self.call_after_refresh(box.scroll_visible)

    def _say_unreadable(self, text: str) -> None:
        echo = self.query_one("#echo", Static)
        echo.display = True
        echo.set_class(True, "-unreadable")
        echo.update(Text(text))

    def _finish(self, verdict: Verdict, typed: str, steps: tuple[StepAnswer, ...] = ()) -> None:
        """Judged: the host saves it, then calls `confirm` (stored) or `retract` (failed)."""
        self.pending = (verdict, typed, steps)
        self.query_one("#answer", Input).disabled = True
        self.query_one("#choices", ChoiceList).disabled = True
        self.post_message(self.Answered(self, verdict, typed, steps))

    def retract(self) -> None:
        """The answer could not be stored: the problem is unanswered again, the text kept."""
        if self.pending is None:
            return
        self.last_try = self.pending
        self.pending = None
        box = self.query_one("#answer", Input)
        box.disabled = False
        if self.stepwise:  # the last stage is open again, its text kept
            box.value = self.last_try[1]
            self.run.reopen_last()
            self.query_one("#answer-row").display = True
            self._show_log()
            self.query_one("#stage-prompt").display = True
            self._show_stage()
        choices = self.query_one("#choices", ChoiceList)
        choices.disabled = False
        self._say_unreadable("Not saved (see the message); answer again to retry.")
        (choices if self.choosing else box).focus()

    def resubmit(self) -> None:
        """Try to save the retracted answer again (the error dialog's retry)."""
        if self.last_try is None or self.answered or self.saving:
            return
        if self.stepwise:
            self.check_stage(self.last_try[1])
        else:
            self._finish(*self.last_try)

    def confirm(self) -> None:
        """The answer is stored: show the verdict and the feedback."""
        if self.pending is None:
            return
        verdict, _typed, steps = self.pending
        self.pending = None
        self.verdict = verdict
        feedback = self.query_one("#feedback", Static)
        feedback.update(feedback_markup(self.problem, verdict, steps))
        feedback.set_class(verdict.status == "correct", "-right")
        feedback.set_class(verdict.status != "correct", "-wrong")
        feedback.display = True
        self.call_after_refresh(feedback.scroll_visible)

    # -- help ------------------------------------------------------------------------------

    def toggle_choices(self) -> None:
        """Switch between typing a number and picking one of the options (not while
        answering step by step: the options are for the whole answer)."""
        if self.answered or self.stepwise:
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

    def action_stepwise(self) -> None:
        if self.solver is not None:
            self.solver.toggle_stepwise()
            self.refresh_bindings()
