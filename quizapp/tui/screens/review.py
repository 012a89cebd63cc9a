"""Flashcard review: front, `space` for the back, `1`-`4` to grade, `u` to undo.

Skill cards (computed, no bank item) show a fresh variant with an answer box instead and are
graded from the outcome through `Practice.record(attempt, card)`; the grade it earned shows
with its interval, and `1`-`4` override it (`Practice.regrade`) before `enter` moves on. Undo
brings back the same variant. As in Anki, `-` buries the card, `!` suspends it, `f` cycles
its flag and `i` shows its card info (the letter keys only while no answer box has focus);
`u` takes back the last answer, bury, suspend or flag change.

Question cards (a missed quiz question) show the question with its choices in a fresh order:
`a`-`e` pick (a "choose two" takes two picks); the pick is graded at once (wrong = Again,
right = Good, Easy when fast, Hard when slow), the verdict shows, `enter` moves on.

In cram mode (`ReviewScreen(cram=True)`, after `Cram.start`) the same screen goes through
the cram session: the title says so, the grades show no intervals (nothing is rescheduled),
each answer goes to the cram log only, `u` takes back the last cram answer; bury, suspend
and flag are off.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Input, ProgressBar, Rule, Static

from quizapp.bank.model import Item
from quizapp.collection import Collection
from quizapp.errors import CardChanged
from quizapp.practice import PracticeAttempt
from quizapp.reviews import FLAG_NAMES, GRADE_LABELS, DueCounts, ReviewCard, ReviewOutcome
from quizapp.tui.format import cloze_front, cloze_parts, plural, until, when
from quizapp.tui.screens.base import QuizAppModal, QuizAppScreen
from quizapp.tui.styles import styles
from quizapp.tui.text import Part, assemble, join, literal
from quizapp.tui.widgets.app_footer import AppFooter
from quizapp.tui.widgets.problem import ProblemSolver, SolverActions
from quizapp.tui.widgets.scrolling import scroll_bindings, scroll_box

if TYPE_CHECKING:
    from quizapp.browse.model import CardInfo, PastAnswer
    from quizapp.practice import PracticeRound

GRADE = Binding.Group("Grade", compact=False)
FLAG_STYLE = {0: "muted", 1: "error", 2: "warning", 3: "success", 4: "primary"}
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
    variant: str | None = None  # the skill card's problem to show (`family@seed`), after undo


def read_queue(study: Collection) -> QueueState:
    card = study.reviews.next_card()
    next_due = study.stats.dashboard().next_due if card is None else None
    return QueueState(card, study.reviews.due_counts(), study.reviews.can_undo(), next_due)


def read_cram(study: Collection) -> QueueState:
    """The cram session's next card; `due.review` holds the cards left to cram."""
    card = study.cram.next_card()
    left = study.cram.progress().left
    return QueueState(card, DueCounts(0, left, 0), study.cram.can_undo(), None)


PICK_LETTERS = "abcde"  # f flags


def question_text(card: ReviewCard) -> Content:
    """A question card's front: the prompt, then its choices lettered in the card's order."""
    from quizapp.reviews.questions import question_of

    assert card.item is not None
    question = question_of(card.item, card.order)
    multiple = question.multiple and question.picks_needed > 1
    how = f"(choose {question.picks_needed})" if multiple else ""
    lines: list[Part] = [question.prompt + (f"  {how}" if how else ""), ""]
    lines += [f"{o.label.lower()}  {o.text}" for o in question.options]
    return join([literal(line) if isinstance(line, str) else line for line in lines], "\n")


def verdict_text(card: ReviewCard, picked: tuple[int, ...], right: bool) -> Content:
    """After the pick: right or wrong, each choice marked, with its explanation."""
    from quizapp.reviews.questions import question_of

    assert card.item is not None
    question = question_of(card.item, card.order)
    parts: list[Part] = [
        ("Right" if right else "Wrong", "b $text-success" if right else "b $text-error")
    ]
    for o in question.options:
        mark = "✓" if o.correct else ("✗" if o.index in picked else " ")
        chosen = " (your pick)" if o.index in picked else ""
        parts.append(f"\n{mark} {o.label.lower()}  {o.text}{chosen}")
        if o.explanation:
            parts.append((f"\n     {o.explanation}", "dim"))
    if question.explanation:
        parts.append(f"\n\n{question.explanation}")
    return assemble(*parts)


def front_text(item: Item, gap: int | None = None) -> str:
    """The question side; a cloze gap's card hides only its gap (`gap`, 1-based)."""
    return cloze_front(item.text, gap) if item.kind == "cloze" else item.front


def back_content(item: Item, gap: int | None = None) -> Content:
    """The answer side: the cloze with its gaps filled in, or the back with ELI5/technical
    (the item's text literal, whatever brackets it holds)."""
    lines: list[Part] = []
    if item.kind == "cloze":
        lines.append(
            assemble(*((t, "b $text-accent") if on else t for t, on in cloze_parts(item.text, gap)))
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


def interval_text(days: float) -> str:
    """An interval as the grade previews write it: '10m', '5h', '3d'."""
    minutes = days * 1440
    if minutes < 60:
        return f"{round(minutes)}m"
    if minutes < 1440:
        return f"{round(minutes / 60)}h"
    return f"{round(days)}d"


def info_text(
    info: CardInfo, answers: tuple[PastAnswer, ...], now: datetime, tz: tzinfo | None = None
) -> Content:
    """Card info as Anki shows it: state, due, stability, difficulty, recall now, and the
    history (newest first) with the date of each answer and the interval it gave."""

    def row(label: str, value: str) -> Part:
        return assemble((f"{label:<15}", "b"), " ", value)

    due = "not studied yet"
    if info.due is not None:
        due = f"{until(info.due, now)} ({when(info.due, now, tz)})"
    counts = f"{plural(info.reps, 'review')} · {plural(info.lapses, 'lapse')}"
    lines: list[Part] = [row("State", f"{info.state} · {counts}"), row("Due", due)]
    if info.stability_days is not None:
        lines.append(row("Stability", f"{info.stability_days:.1f} days"))
    if info.fsrs_difficulty is not None:
        lines.append(row("Difficulty", f"{info.fsrs_difficulty:.1f} / 10"))
    if info.recall_now is not None:
        lines.append(row("Retrievability", f"{info.recall_now:.0%}"))
    lines += ["", assemble(("History", "b"), ("  newest first", "dim"))]
    if not answers:
        lines.append(assemble(("no answers yet", "dim")))
    for a in answers:
        what = GRADE_LABELS.get(a.grade or 0, "") if a.source == "review" else a.source
        label: Part = f"{what:<6}"
        if a.source == "review" and a.grade == 1:
            label = (f"{what:<6}", "$text-error")
        ivl = f"next in {interval_text(a.interval_days)}" if a.interval_days is not None else ""
        lines.append(assemble(f"{when(a.at, now, tz):<17} ", label, " ", ivl))
    return join(lines)


class CardInfoDialog(QuizAppModal[None]):
    """The card's info (`i` on the review screen); escape or `i` closes it."""

    DEFAULT_CSS = """
    CardInfoDialog { align: center middle; }
    CardInfoDialog #info-box {
        width: 64; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; padding: 0 1; background: $surface;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,i,enter", "close", "Close", id="card-info.close"),
    ]

    def __init__(self, title: str, text: Content) -> None:
        super().__init__()
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="info-box") as box:
            box.border_title = self.title_text
            yield Static(self.text, id="info-text")
        yield AppFooter(compact=True)

    def action_close(self) -> None:
        self.dismiss(None)


class ReviewScreen(SolverActions, QuizAppScreen[None]):
    """One card at a time from `Reviews.next_card()`; every grade is saved before the next."""

    CSS_PATH = styles(["review.tcss", "problem.tcss"])

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "reveal", "Show", id="review.reveal", tooltip="Show the back of the card"),
        Binding(
            "space",
            "answer_box",
            "Answer",
            id="review.answer",
            tooltip="Skill card: back to the answer box (in the empty box, space is ignored)",
        ),
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
            id="review.step",
            tooltip="Skill card: next step of the worked solution",
        ),
        Binding(
            "t",
            "stepwise",
            "By step",
            id="review.stepwise",
            tooltip="Skill card: answer step by step, each step checked at once",
        ),
        Binding(
            "m",
            "choices",
            "Choices",
            id="review.choices",
            tooltip="Skill card: switch to multiple choice",
        ),
        Binding(
            "u,ctrl+z",
            "undo",
            "Undo",
            id="review.undo",
            tooltip="Undo the last answer",
        ),
        Binding(
            "minus",
            "bury",
            "Bury",
            id="review.bury",
            tooltip="Bury: hide this card until tomorrow (u undoes)",
        ),
        Binding(
            "exclamation_mark",
            "suspend",
            "Suspend",
            id="review.suspend",
            tooltip="Suspend: no more reviews of this card until unsuspended in browse",
        ),
        Binding(
            "f",
            "flag",
            "Flag",
            id="review.flag",
            tooltip="Flag the card: none, red, orange, green, blue in turn",
        ),
        Binding("i", "info", "Info", id="review.info", tooltip="Card info: history, memory, due"),
        *(
            Binding(
                letter,
                f"pick({i})",
                "Pick",
                show=i == 0,
                key_display=f"a-{PICK_LETTERS[-1]}" if i == 0 else None,
                id=f"review.pick{i + 1}",
                tooltip="Question card: pick a choice (in a choose-two, pick each)",
            )
            for i, letter in enumerate(PICK_LETTERS)
        ),
        Binding(
            "r",
            "retry",
            "Retry",
            id="review.retry",
            tooltip="Retry saving, after an error",
        ),
        Binding("escape", "app.back", "Back", id="review.back", tooltip="Back to the dashboard"),
        *scroll_bindings("review"),
    ]

    # what the keys depend on: a change refreshes the footer's keys
    revealed = reactive(False, repaint=False, bindings=True)  # the back of the card is shown
    stalled = reactive(False, repaint=False, bindings=True)  # the study failed: nothing moves
    can_undo = reactive(False, repaint=False, bindings=True)  # until a retry works

    def __init__(self, cram: bool = False) -> None:
        super().__init__()
        self.cram = cram  # going through a cram session: nothing is rescheduled
        self.picked: list[int] = []  # a question card's picks so far (original indexes)
        self.verdict: tuple[bool, int] | None = None  # its answer: (right, grade), once saved
        self.card: ReviewCard | None = None
        self.busy = True  # waiting for the study: keys that change progress are ignored
        self.done = 0
        self.shown_at = 0.0
        self.painted_at = 0.0  # monotonic time the current card reached the screen
        self.solver: ProblemSolver | None = None
        self.round: PracticeRound | None = None
        self.pending_retry: Callable[[], object] = self.fetch
        self.outcome: ReviewOutcome | None = None  # the skill card's saved grade
        self.attempt: PracticeAttempt | None = None  # its saved attempt

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="card", classes="panel") as box:
            box.border_title = self.title_text
            yield Static("Loading…", id="front")
            yield Rule(id="divider")
            yield Static("", id="back")
            yield Vertical(id="skill")
            yield Static("", id="skill-grade")
        with Vertical(id="all-done", classes="panel") as done:
            done.border_title = self.title_text
            yield Static("", id="done-text")
        with Horizontal(id="grades"):
            for g in (1, 2, 3, 4):
                yield Static("", id=f"grade-{g}", classes=f"grade grade-{g}")
        with Horizontal(id="progress-row"):
            yield ProgressBar(total=1, show_eta=False, show_percentage=False, id="progress")
            yield Static("", id="progress-text")
        yield AppFooter(compact=True)

    @property
    def title_text(self) -> str:
        return "Cram · review ahead (nothing is rescheduled)" if self.cram else "Review"

    def read(self, study: Collection) -> QueueState:
        """The next card and counts: of the review queue, or of the cram session."""
        return read_cram(study) if self.cram else read_queue(study)

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
            self.read,
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
            return self.read(study)

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
        # the skill card on screen keeps its problem when the undo gives it back
        shown = self.card.card_id if self.card is not None else None
        on_screen = self.solver.problem.id if self.solver is not None else None

        def undo_then_read(study: Collection) -> tuple[int | None, QueueState]:
            if self.cram:
                return study.cram.undo(), read_cram(study)  # its card is next again
            restored = study.reviews.undo()
            if restored is None:
                return None, read_queue(study)
            # show exactly the card the undo restored, not whatever the queue puts first
            reviews = study.reviews
            card = reviews.card(restored)
            variant = None
            if card.is_skill:
                same = restored == shown and on_screen is not None
                variant = on_screen if same else study.practice.variant_of(restored)
            state = QueueState(card, reviews.due_counts(), reviews.can_undo(), None, variant)
            return restored, state

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
        self._show_card(state.card, state.next_due, state.variant)

    # -- showing ---------------------------------------------------------------------------

    def _show_progress(self, due: DueCounts) -> None:
        total = self.done + due.total
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=max(total, 1), progress=self.done)
        text = f"{self.done} done · {due.learning} learning · {due.review} review · {due.new} new"
        if self.cram:
            text = f"{self.done} crammed · {due.review} left"
        self.query_one("#progress-text", Static).update(text)

    def _show_card(
        self, card: ReviewCard | None, next_due: datetime | None, variant: str | None = None
    ) -> None:
        self.card = card
        self.revealed = False
        self.solver = None
        self.round = None
        self.outcome = None
        self.attempt = None
        self.picked = []
        self.verdict = None
        self.query_one("#skill-grade").display = False
        empty = card is None
        self.query_one("#card").display = not empty
        self.query_one("#all-done").display = empty
        skill = self.query_one("#skill", Vertical)
        skill.remove_children()
        if card is None:
            self._show_done(next_due)
        elif card.is_question:
            self.query_one("#front", Static).update(question_text(card))
            self.query_one("#back", Static).update("")
            self.query_one("#front").display = True
        elif card.item is not None:
            self.query_one("#front", Static).update(literal(front_text(card.item, card.gap)))
            self.query_one("#back", Static).update(back_content(card.item, card.gap))
            self.query_one("#front").display = True
        else:
            self._show_skill(card, variant)
        self._show_back(False)
        box = self.query_one("#card", VerticalScroll)
        if card is not None:
            self._show_subtitle(card)
            box.border_title = self.title_text
            if self.solver is not None:
                p = self.solver.problem
                box.border_title = f"Review · skill · {p.id} · {p.difficulty} · {p.scenario}"
            box.scroll_home(animate=False)
        self.shown_at = self.quiz_app.monotonic()
        self.refresh_bindings()
        self.call_after_refresh(self._painted)

    def _show_subtitle(self, card: ReviewCard) -> None:
        kind = "skill" if card.item is None else card.item.kind
        kind = f"missed question · {kind}" if card.is_question else kind
        leech = "leech · " if card.leech else ""
        flag = FLAG_NAMES[card.flag]
        flagged = f"[b $text-{FLAG_STYLE[card.flag]}]⚑ {flag}[/] · " if card.flag else ""
        box = self.query_one("#card", VerticalScroll)
        box.border_subtitle = f"{flagged}{leech}{kind} · {card.state}"

    def _painted(self) -> None:
        import time

        self.painted_at = time.perf_counter()

    def _show_done(self, next_due: datetime | None) -> None:
        app = self.quiz_app
        now = app.clock()
        if self.cram:
            lines = ["[b]Cram done.[/b]", ""]
            lines.append(f"You crammed {plural(self.done, 'card')}; nothing was rescheduled.")
            lines += ["", "[dim]esc back to the dashboard · u undoes the last answer[/dim]"]
            self.query_one("#done-text", Static).update("\n".join(lines))
            return
        lines = ["[b]All done for today.[/b]", ""]
        if self.done:
            lines.append(f"You reviewed {self.done} card{'s' if self.done != 1 else ''}.")
        if next_due is not None:
            lines.append(f"Next card due {until(next_due, now)} ({when(next_due, now, app.tz)}).")
        else:
            lines.append("Nothing is scheduled yet.")
        lines += ["", "[dim]esc back to the dashboard · u undoes the last answer[/dim]"]
        self.query_one("#done-text", Static).update("\n".join(lines))

    def _show_skill(self, card: ReviewCard, variant: str | None = None) -> None:
        from quizapp.practice import PracticeRound, new_seed
        from quizapp.tui.widgets.problem import ProblemUnavailable, generate

        app = self.quiz_app
        family, _, seed_text = (variant or "").rpartition("@")
        same = family == card.family and seed_text.isdigit()
        seed = int(seed_text) if same else new_seed(app.rng)
        try:
            problem = generate(card.family or "", seed, card.difficulty or "medium")
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
        flashcard = self.card is not None and not self.card.is_skill and not self.card.is_question
        self.query_one("#divider").display = revealed and flashcard
        self.query_one("#back").display = revealed and flashcard
        grades = self.query_one("#grades")
        grades.display = revealed and flashcard
        if revealed and self.card is not None:
            for preview in self.card.previews:
                interval = "" if self.cram else f" [dim]{preview.text}[/dim]"
                self.query_one(f"#grade-{preview.grade}", Static).update(
                    f"[b]{self._grade_key(preview.grade)}[/b] {preview.label}{interval}"
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
        question = card is not None and card.is_question
        flashcard = card is not None and not card.is_skill and not question
        solver = self.solver
        if action == "pick":
            n = len(card.order) if card is not None else 0
            index = parameters[0] if parameters else 0
            return question and self.verdict is None and isinstance(index, int) and index < n
        if action in ("bury", "suspend", "flag") and self.cram:
            return False
        if action == "continue" and question:
            return self.verdict is not None
        if action == "reveal":
            return flashcard and not self.revealed
        if action == "answer_box":  # the reveal habit on a skill card: go to its answer
            return solver is not None and not solver.answered and not self._typing()
        if action == "grade":
            return (flashcard and self.revealed) or self.outcome is not None
        if action in ("bury", "suspend", "flag", "info"):
            # printable keys: text while an answer box has focus, so not offered then
            return card is not None and not self.stalled and not self._typing()
        if action == "continue":
            return solver is not None and solver.answered
        if action == "step":
            return solver is not None and not solver.all_steps_shown
        if action == "choices":
            return solver is not None and not solver.answered and not solver.stepwise
        if action == "stepwise":
            return solver is not None and solver.can_toggle_stepwise
        if action == "undo":
            return self.can_undo and not self.stalled
        if action == "retry":
            return self.stalled
        return True

    def action_reveal(self) -> None:
        if not self.busy:
            self._show_back(True)  # `revealed` refreshes the keys
            self.call_after_refresh(self.query_one("#back").scroll_visible)

    def action_answer_box(self) -> None:
        if self.solver is not None and not self.busy:
            self.solver.focus_answer()

    def action_scroll_box(self, how: str) -> None:
        scroll_box(self.query_one("#card", VerticalScroll), how)

    def _typing(self) -> bool:
        return isinstance(self.focused, Input) and not self.focused.disabled

    def action_grade(self, grade: int) -> None:
        card = self.card
        if card is not None and card.is_skill and self.outcome is not None:
            self.regrade(card, grade)
            return
        if self.busy or card is None or card.is_skill or card.is_question or not self.revealed:
            return
        elapsed = max(0.0, self.quiz_app.monotonic() - self.shown_at)
        self.busy = True  # until the next card is in: a second press must not grade again
        if self.cram:
            self.answer(lambda s: s.cram.answer(card, grade, elapsed))
        else:
            self.answer(lambda s: s.reviews.answer(card, grade, elapsed))

    def action_pick(self, display: int) -> None:
        """Pick the choice shown at `display` (0 = a); the last pick needed answers."""
        card = self.card
        if self.busy or card is None or not card.is_question or self.verdict is not None:
            return
        if display >= len(card.order):
            return
        from quizapp.reviews.questions import picks_needed

        assert card.item is not None
        index = card.order[display]
        if index in self.picked:  # a second press takes a "choose two" pick back
            self.picked.remove(index)
        else:
            self.picked.append(index)
        self.query_one("#front", Static).update(self._question_front(card))
        if len(self.picked) >= picks_needed(card.item):
            self._answer_question(card, tuple(self.picked))

    def _question_front(self, card: ReviewCard) -> Content:
        front = question_text(card)
        if not self.picked:
            return front
        letters = ", ".join(PICK_LETTERS[card.order.index(i)] for i in self.picked)
        return assemble(front, (f"\n\npicked: {letters}", "dim"))

    def _answer_question(self, card: ReviewCard, picked: tuple[int, ...]) -> None:
        """Grade the pick and save it (review: FSRS; cram: the cram log), then show the
        verdict; `enter` moves on."""
        from quizapp.reviews.questions import is_right

        assert card.item is not None
        elapsed = max(0.0, self.quiz_app.monotonic() - self.shown_at)
        right = is_right(card.item, picked)
        self.busy = True

        def save(study: Collection) -> int:
            if self.cram:
                return study.cram.answer_question(card, picked, elapsed)[0]
            return study.reviews.answer_question(card, picked, elapsed).grade

        def saved(grade: int) -> None:
            self.busy = False
            self.verdict = (right, grade)
            self.can_undo = True
            self.query_one("#back", Static).update(verdict_text(card, picked, right))
            self.query_one("#divider").display = True
            self.query_one("#back").display = True
            preview = next((p for p in card.previews if p.grade == grade), None)
            interval = "" if self.cram or preview is None else f" · next in {preview.text}"
            line = self.query_one("#skill-grade", Static)
            line.update(
                f"Graded [b]{GRADE_LABELS[grade]}[/b]{interval} [dim]· enter next card[/dim]"
            )
            line.display = True
            self.call_after_refresh(line.scroll_visible)
            self.refresh_bindings()

        def failed(err: Exception) -> None:
            self.picked = []
            if isinstance(err, CardChanged):
                self.fetch(note=str(err))
            else:
                self._stall("save your answer", err, lambda: self._answer_question(card, picked))

        self.on_study(
            "save your answer", save, saved, failed=failed, group="review", exclusive=True
        )

    def action_continue(self) -> None:
        if not self.busy and self.verdict is not None:
            self.busy = True
            self.fetch(answered=True)
            return
        if not self.busy and self.solver is not None and self.solver.answered:
            self.busy = True
            self.fetch(answered=True)

    def action_undo(self) -> None:
        if not self.busy and self.can_undo:
            self.busy = True
            self.undo()

    def set_aside(self, what: str) -> None:
        """Bury or suspend the card on screen (undoable), then show the next."""
        card = self.card
        if self.busy or card is None or self.stalled:
            return
        self.busy = True
        done = {"bury": "Buried until tomorrow", "suspend": "Suspended"}[what]

        def run(study: Collection) -> QueueState:
            if what == "bury":
                study.reviews.bury(card.card_id)
            else:
                study.reviews.suspend(card.card_id)
            return read_queue(study)

        def read(state: QueueState) -> None:
            self.notify(f"{done} · u undoes", timeout=3)
            self._queue_read(state)

        self.on_study(
            f"{what} the card",
            run,
            read,
            failed=lambda err: self._stall(f"{what} the card", err, self.fetch),
            group="review",
            exclusive=True,
        )

    def action_bury(self) -> None:
        self.set_aside("bury")

    def action_suspend(self) -> None:
        self.set_aside("suspend")

    def action_flag(self) -> None:
        """The next flag colour in turn (none after blue)."""
        card = self.card
        if self.busy or card is None or self.stalled or self._typing():
            return
        flag = (card.flag + 1) % len(FLAG_NAMES)

        def flagged(_: object) -> None:
            if self.card is not None and self.card.card_id == card.card_id:
                self.card = replace(self.card, flag=flag)
                self._show_subtitle(self.card)
            self.can_undo = True

        self.on_study(
            "flag the card",
            lambda study: study.reviews.set_flag(card.card_id, flag),
            flagged,
            group="review-flag",
        )

    def action_info(self) -> None:
        card = self.card
        if card is None or self._typing():
            return
        item_id = card.item.id if card.item is not None else None

        def read(study: Collection) -> tuple[CardInfo, tuple[PastAnswer, ...]]:
            info = study.browse.card_info(card.card_id)
            return info, study.browse.recent_answers(card_id=card.card_id, limit=8)

        def show(found: tuple[CardInfo, tuple[PastAnswer, ...]]) -> None:
            info, answers = found
            title = f"Card info · {item_id or info.key}"
            text = info_text(info, answers, self.app_now(), self.quiz_app.tz)
            self.app.push_screen(CardInfoDialog(title, text))

        self.on_study("read the card info", read, show, group="review-info", exclusive=True)

    def app_now(self) -> datetime:
        return self.quiz_app.clock()

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
            event.steps,
        )
        self.save_attempt(event.solver, attempt, self.card)

    def attempt_saved(self, attempt: PracticeAttempt, outcome: ReviewOutcome | None) -> None:
        self.can_undo = True
        self.attempt = attempt
        self._show_earned(outcome)
        self.query_one("#card").focus()
        self.refresh_bindings()

    def _show_earned(self, outcome: ReviewOutcome | None) -> None:
        """The grade the skill card earned and the interval it gives; 1-4 change it."""
        self.outcome = outcome
        line = self.query_one("#skill-grade", Static)
        card = self.card
        if outcome is None or card is None:
            line.display = False
            return
        preview = next((p for p in card.previews if p.grade == outcome.grade), None)
        interval = f" · next in {preview.text}" if preview is not None else ""
        others = "  ".join(
            f"[b]{self._grade_key(p.grade)}[/b] {p.label} [dim]{p.text}[/dim]"
            for p in card.previews
            if p.grade != outcome.grade
        )
        line.update(  # two short lines: each fits 60 columns whole
            f"Graded [b]{GRADE_LABELS[outcome.grade]}[/b]{interval} [dim]· enter next card[/dim]\n"
            f"[dim]change it:[/dim] {others}"
        )
        line.display = True
        self.call_after_refresh(line.scroll_visible)
        self.refresh_bindings()

    def regrade(self, card: ReviewCard, grade: int) -> None:
        """Override the skill card's earned grade (its answer is taken back and re-graded)."""
        if self.busy or self.outcome is None or grade == self.outcome.grade:
            return
        self.busy = True
        elapsed = self.attempt.elapsed_s if self.attempt is not None else None

        def done(outcome: ReviewOutcome) -> None:
            self.busy = False
            self._show_earned(outcome)

        def failed(err: Exception) -> None:
            if isinstance(err, CardChanged):
                self.fetch(note=str(err))
            else:
                self.busy = False
                self.quiz_app.study_failed("change the grade", err)

        self.on_study(
            "change the grade",
            lambda study: study.practice.regrade(card, grade, elapsed),
            done,
            failed=failed,
            group="review",
            exclusive=True,
        )

    def attempt_refused(self, error: CardChanged) -> None:
        self.busy = True
        self.fetch(note=str(error))
