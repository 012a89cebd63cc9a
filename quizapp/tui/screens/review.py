"""Flashcard review: front, `space` for the back, `1`-`4` to grade, `u` to undo.

Skill cards (computed, no bank item) show a fresh variant with an answer box instead and are
graded from the outcome through `Practice.record(attempt, card)`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Footer, ProgressBar, Rule, Static

from quizapp.bank.model import Item
from quizapp.collection import Collection
from quizapp.errors import CardChanged
from quizapp.practice import PracticeAttempt
from quizapp.reviews import GRADE_LABELS, DueCounts, ReviewCard, ReviewOutcome
from quizapp.tui.format import cloze_front, cloze_parts, until, when
from quizapp.tui.screens.base import QuizAppScreen
from quizapp.tui.styles import styles
from quizapp.tui.text import Part, assemble, join, literal
from quizapp.tui.widgets.problem import ProblemSolver, SolverActions

if TYPE_CHECKING:
    from quizapp.practice import PracticeRound

GRADE = Binding.Group("Grade", compact=False)
GRADE_MEANING = {
    1: "forgot",
    2: "recalled with effort",
    3: "recalled",
    4: "effortless",
}


@dataclass(frozen=True, slots=True)
class QueueState:
    """What the study says after a change: the card to show, what remains, what comes next."""

    card: ReviewCard | None
    due: DueCounts
    can_undo: bool
    next_due: datetime | None


def read_queue(study: Collection) -> QueueState:
    card = study.reviews.next_card()
    next_due = study.stats.dashboard().next_due if card is None else None
    return QueueState(card, study.reviews.due_counts(), study.reviews.can_undo(), next_due)


def front_text(item: Item) -> str:
    return cloze_front(item.text) if item.kind == "cloze" else item.front


def back_content(item: Item) -> Content:
    """The answer side: the cloze with its gaps filled in, or the back with ELI5/technical
    (the item's text literal, whatever brackets it holds)."""
    lines: list[Part] = []
    if item.kind == "cloze":
        lines.append(
            assemble(*((t, "b $text-accent") if gap else t for t, gap in cloze_parts(item.text)))
        )
        if item.back:
            lines += ["", item.back]
    else:
        lines.append(item.back)
    if item.eli5:
        lines += ["", assemble(("ELI5", "b $text-success"), "  ", item.eli5)]
    if item.technical:
        lines += ["", assemble(("Technical", "b $text-primary"), "  ", item.technical)]
    return join(lines)


class ReviewScreen(SolverActions, QuizAppScreen[None]):
    """One card at a time from `Reviews.next_card()`; every grade is saved before the next."""

    CSS_PATH = styles(["review.tcss", "problem.tcss"])

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "reveal", "Show", id="review.reveal", tooltip="Show the back of the card"),
        *(
            Binding(
                str(g),
                f"grade({g})",
                GRADE_LABELS[g],
                group=GRADE,
                id=f"review.grade{g}",
                tooltip=f"Grade: {GRADE_LABELS[g]} ({GRADE_MEANING[g]})",
            )
            for g in (1, 2, 3, 4)
        ),
        Binding(
            "enter",
            "continue",
            "Next",
            id="review.next",
            tooltip="Next card, after answering a skill card",
        ),
        Binding(
            "s",
            "step",
            "Step",
            priority=True,
            id="review.step",
            tooltip="Skill card: next step of the worked solution",
        ),
        Binding(
            "m",
            "choices",
            "Choices",
            priority=True,
            id="review.choices",
            tooltip="Skill card: switch to multiple choice",
        ),
        Binding(
            "u,ctrl+z",
            "undo",
            "Undo",
            priority=True,
            id="review.undo",
            tooltip="Undo the last answer",
        ),
        Binding(
            "r",
            "retry",
            "Retry",
            id="review.retry",
            tooltip="Retry saving, after an error",
        ),
        Binding("escape", "app.back", "Back", id="review.back", tooltip="Back to the dashboard"),
    ]

    # what the keys depend on: a change refreshes the footer's keys
    revealed = reactive(False, repaint=False, bindings=True)  # the back of the card is shown
    stalled = reactive(False, repaint=False, bindings=True)  # the study failed: nothing moves
    can_undo = reactive(False, repaint=False, bindings=True)  # until a retry works

    def __init__(self) -> None:
        super().__init__()
        self.card: ReviewCard | None = None
        self.busy = True  # waiting for the study: keys that change progress are ignored
        self.done = 0
        self.shown_at = 0.0
        self.painted_at = 0.0  # monotonic time the current card reached the screen
        self.solver: ProblemSolver | None = None
        self.round: PracticeRound | None = None
        self.pending_retry: Callable[[], object] = self.fetch

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="card", classes="panel") as box:
            box.border_title = "Review"
            yield Static("Loading…", id="front")
            yield Rule(id="divider")
            yield Static("", id="back")
            yield Vertical(id="skill")
        with Vertical(id="all-done", classes="panel") as done:
            done.border_title = "Review"
            yield Static("", id="done-text")
        with Horizontal(id="grades"):
            for g in (1, 2, 3, 4):
                yield Static("", id=f"grade-{g}", classes=f"grade grade-{g}")
        with Horizontal(id="progress-row"):
            yield ProgressBar(total=1, show_eta=False, show_percentage=False, id="progress")
            yield Static("", id="progress-text")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#all-done").display = False
        self._show_back(False)
        self.fetch()

    # -- talking to the study --------------------------------------------------------------

    def fetch(self, answered: bool = False, note: str = "") -> None:
        """Read the next card and the counts."""
        self.busy = True
        self.on_study(
            "load the next card",
            read_queue,
            lambda state: self._queue_read(state, answered=answered, note=note),
            failed=lambda err: self._stall(
                "load the next card", err, lambda: self.fetch(answered, note)
            ),
            group="review",
            exclusive=True,
        )

    def answer(self, save: Callable[[Collection], object]) -> None:
        """Store the answer (it counts only once committed), then read the next card. A card
        that changed elsewhere since it was shown refuses the answer: say so, move on."""
        self.busy = True
        refused: list[str] = []  # set once the save is done: a retry must not answer again

        def run(study: Collection) -> QueueState:
            try:
                save(study)
            except CardChanged as err:
                refused.append(str(err))
            else:
                refused.append("")
            return read_queue(study)

        def failed(err: Exception) -> None:
            if refused:
                note = refused[0]
                self._stall("load the next card", err, lambda: self.fetch(not note, note))
            else:
                self._stall("save your answer", err, lambda: self.answer(save))

        def read(state: QueueState) -> None:
            note = refused[0]
            self._queue_read(state, answered=not note, note=note)

        self.on_study("save your answer", run, read, failed=failed, group="review", exclusive=True)

    def _stall(self, what: str, err: BaseException, retry: Callable[[], object]) -> None:
        """Keep the screen still (no grading twice) until the study answers again."""
        self.stalled = True
        self.pending_retry = retry
        self.quiz_app.study_failed(what, err, retry=self.action_retry)

    def action_retry(self) -> None:
        if self.stalled:
            self.stalled = False
            self.busy = True
            self.pending_retry()

    def undo(self) -> None:
        self.busy = True

        def undo_then_read(study: Collection) -> tuple[int | None, QueueState]:
            restored = study.reviews.undo()
            if restored is None:
                return None, read_queue(study)
            # show exactly the card the undo restored, not whatever the queue puts first
            reviews = study.reviews
            card = reviews.card(restored)
            return restored, QueueState(card, reviews.due_counts(), reviews.can_undo(), None)

        def read(undone: tuple[int | None, QueueState]) -> None:
            restored, state = undone
            self._queue_read(state, undone=restored is not None)

        self.on_study(
            "undo your last answer",
            undo_then_read,
            read,
            failed=lambda err: self._stall("undo your last answer", err, self.fetch),
            group="review",
            exclusive=True,
        )

    def _queue_read(
        self, state: QueueState, *, undone: bool = False, answered: bool = False, note: str = ""
    ) -> None:
        """Show what the study said: `answered` (an answer was stored just before this read),
        `undone` (the last answer was taken back), `note` (why an answer was refused)."""
        if undone:
            self.done = max(0, self.done - 1)
        if answered:
            self.done += 1
        if note:
            self.notify(note, title="Not saved", severity="warning", markup=False)
        self.can_undo = state.can_undo
        self.busy = False
        self._show_progress(state.due)
        self._show_card(state.card, state.next_due)

    # -- showing ---------------------------------------------------------------------------

    def _show_progress(self, due: DueCounts) -> None:
        total = self.done + due.total
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=max(total, 1), progress=self.done)
        self.query_one("#progress-text", Static).update(
            f"{self.done} done · {due.learning} learning · {due.review} review · {due.new} new"
        )

    def _show_card(self, card: ReviewCard | None, next_due: datetime | None) -> None:
        self.card = card
        self.revealed = False
        self.solver = None
        self.round = None
        empty = card is None
        self.query_one("#card").display = not empty
        self.query_one("#all-done").display = empty
        skill = self.query_one("#skill", Vertical)
        skill.remove_children()
        if card is None:
            self._show_done(next_due)
        elif card.item is not None:
            self.query_one("#front", Static).update(literal(front_text(card.item)))
            self.query_one("#back", Static).update(back_content(card.item))
            self.query_one("#front").display = True
        else:
            self._show_skill(card)
        self._show_back(False)
        box = self.query_one("#card", VerticalScroll)
        if card is not None:
            kind = "skill" if card.item is None else card.item.kind
            leech = "leech · " if card.leech else ""
            box.border_subtitle = f"{leech}{kind} · {card.state}"
            box.border_title = "Review"
            if self.solver is not None:
                p = self.solver.problem
                box.border_title = f"Review · skill · {p.id} · {p.difficulty} · {p.scenario}"
            box.scroll_home(animate=False)
        self.shown_at = self.quiz_app.monotonic()
        self.refresh_bindings()
        self.call_after_refresh(self._painted)

    def _painted(self) -> None:
        import time

        self.painted_at = time.perf_counter()

    def _show_done(self, next_due: datetime | None) -> None:
        app = self.quiz_app
        now = app.clock()
        lines = ["[b]All done for today.[/b]", ""]
        if self.done:
            lines.append(f"You reviewed {self.done} card{'s' if self.done != 1 else ''}.")
        if next_due is not None:
            lines.append(f"Next card due {until(next_due, now)} ({when(next_due, now, app.tz)}).")
        else:
            lines.append("Nothing is scheduled yet.")
        lines += ["", "[dim]esc back to the dashboard · u undoes the last answer[/dim]"]
        self.query_one("#done-text", Static).update("\n".join(lines))

    def _show_skill(self, card: ReviewCard) -> None:
        from quizapp.practice import PracticeRound, new_seed
        from quizapp.tui.widgets.problem import ProblemUnavailable, generate

        app = self.quiz_app
        try:
            problem = generate(card.family or "", new_seed(app.rng), card.difficulty or "medium")
        except ProblemUnavailable as err:
            # nothing to grade today: bury the card (it returns tomorrow) and move on
            app.notify(
                f"Skipped a skill card until tomorrow: {err}", severity="warning", markup=False
            )
            self.query_one("#front", Static).update("Skipping a skill card…")
            app.runner.queue("skip a skill card", lambda s: s.browse.bury(card.card_id))
            self.busy = True
            self.fetch()
            return
        self.round = PracticeRound(
            variant_id=problem.id,
            family=problem.family,
            difficulty=problem.difficulty,
            started=app.monotonic(),
            card_id=card.card_id,
        )
        self.query_one("#front", Static).display = False
        self.solver = ProblemSolver(problem)
        self.query_one("#skill", Vertical).mount(self.solver)

    def _show_back(self, revealed: bool) -> None:
        self.revealed = revealed
        flashcard = self.card is not None and not self.card.is_skill
        self.query_one("#divider").display = revealed and flashcard
        self.query_one("#back").display = revealed and flashcard
        grades = self.query_one("#grades")
        grades.display = revealed and flashcard
        if revealed and self.card is not None:
            for preview in self.card.previews:
                self.query_one(f"#grade-{preview.grade}", Static).update(
                    f"[b]{self._grade_key(preview.grade)}[/b] {preview.label} "
                    f"[dim]{preview.text}[/dim]"
                )

    def _grade_key(self, grade: int) -> str:
        """The key that gives `grade`, the learner's if rebound ("1" by default)."""
        from textual.markup import escape

        from quizapp.tui.keys import shown_keys

        binding_id = f"review.grade{grade}"
        binding = next(b for b in Binding.make_bindings(self.BINDINGS) if b.id == binding_id)
        return escape(shown_keys(self.app, binding))

    # -- keys ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        card = self.card
        flashcard = card is not None and not card.is_skill
        solver = self.solver
        if action == "reveal":
            return flashcard and not self.revealed
        if action == "grade":
            return flashcard and self.revealed
        if action == "continue":
            return solver is not None and solver.answered
        if action == "step":
            return solver is not None and not solver.all_steps_shown
        if action == "choices":
            return solver is not None and not solver.answered
        if action == "undo":
            return self.can_undo and not self.stalled
        if action == "retry":
            return self.stalled
        return True

    def action_reveal(self) -> None:
        if not self.busy:
            self._show_back(True)  # `revealed` refreshes the keys
            self.call_after_refresh(self.query_one("#back").scroll_visible)

    def action_grade(self, grade: int) -> None:
        card = self.card
        if self.busy or card is None or card.is_skill or not self.revealed:
            return
        elapsed = max(0.0, self.quiz_app.monotonic() - self.shown_at)
        self.busy = True  # until the next card is in: a second press must not grade again
        self.answer(lambda s: s.reviews.answer(card, grade, elapsed))

    def action_continue(self) -> None:
        if not self.busy and self.solver is not None and self.solver.answered:
            self.busy = True
            self.fetch(answered=True)

    def action_undo(self) -> None:
        if not self.busy and self.can_undo:
            self.busy = True
            self.undo()

    # -- skill cards -----------------------------------------------------------------------

    def on_problem_solver_help_used(self) -> None:
        if self.round is not None:
            self.round.use_help()

    def on_problem_solver_answered(self, event: ProblemSolver.Answered) -> None:
        if self.round is None or event.solver is not self.solver:
            return
        verdict = event.verdict
        attempt = self.round.attempt(
            event.typed,
            verdict.value,
            verdict.status == "correct",
            verdict.misconception.name if verdict.misconception else None,
            self.quiz_app.monotonic(),
        )
        self.save_attempt(event.solver, attempt, self.card)

    def attempt_saved(self, attempt: PracticeAttempt, outcome: ReviewOutcome | None) -> None:
        self.can_undo = True
        self.query_one("#card").focus()
        self.refresh_bindings()

    def attempt_refused(self, error: CardChanged) -> None:
        self.busy = True
        self.fetch(note=str(error))
