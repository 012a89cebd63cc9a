"""A quiz session on screen: practice (feedback after each answer) or a timed exam simulation.

The `QuizSession` lives in the core (`Quizzes`, reached only on the study thread); the screen
holds its attempt id. Every change (answer, flag, move, tick, submit) runs there (`on_study`)
and comes back as a `QuizView` snapshot, which the screen shows. The session saves each
answer through its recorder as it is given; the clock ticks once a second (and saves itself
every 5 s); leaving or quitting saves the place and the time left, so an exam resumes where
it was.

Ordering and matching questions are answered by typing letters into one box
(`quizapp.tui.widgets.sequence_answer`): enter answers a complete entry (practice) or saves it
(exam; enter again on the saved answer goes to the next question). What is typed but not
answered yet is kept per question while the screen is open.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.geometry import Size
from textual.timer import Timer
from textual.widgets import Input, Label, OptionList, Static

from quizapp.quiz import (
    Feedback,
    NavEntry,
    Question,
    QuizClosed,
    QuizSession,
    Results,
    SubmitCheck,
    UnreadableAnswer,
)
from quizapp.tui.format import clock_text
from quizapp.tui.screens.base import QuizAppScreen
from quizapp.tui.screens.quiz_dialogs import ConfirmDialog, JumpDialog, JumpEntry, submit_lines
from quizapp.tui.styles import styles
from quizapp.tui.text import literal
from quizapp.tui.widgets.app_footer import AppFooter
from quizapp.tui.widgets.quiz_navigator import Navigator
from quizapp.tui.widgets.quiz_question import (
    NUMBER_WORDS,
    ChoicePicker,
    FeedbackView,
    TypedAnswer,
    place_label,
)
from quizapp.tui.widgets.scrolling import scroll_bindings, scroll_box
from quizapp.tui.widgets.sequence_answer import (
    SequencePanel,
    answer_of,
    choices_renderable,
    letters_of,
    task_hint,
)

if TYPE_CHECKING:
    from quizapp.collection import Collection

PICK_KEYS = "123456"
LETTER_KEYS = "abcde"  # f flags; a sixth option is picked with 6
LOW_TIME_S = 5 * 60


# -- on the study thread ---------------------------------------------------------------------


def profile_title(profile: str, count: int) -> str:
    from quizapp.quiz import profile_by_name

    questions = f"{count} question" + ("" if count == 1 else "s")
    if profile_by_name(profile) is None:
        return f"Practice quiz · {questions}"
    return f"Exam simulation · {questions}"


@dataclass(frozen=True, slots=True)
class QuizView:
    """What the screen shows, read from the session on the study thread after each change."""

    exam: bool
    title: str
    total: int
    position: int
    question: Question
    chosen: tuple[int, ...]
    typed: str | None
    flagged: bool
    feedback: Feedback | None  # practice, once the question is answered
    nav: tuple[NavEntry, ...]
    verdicts: tuple[bool | None, ...]  # practice: right / wrong per answered question
    remaining: float | None
    elapsed: float
    results: Results | None = None  # set once the attempt is submitted
    unreadable: str = ""  # a typed answer that could not be read: how to type it
    notes: tuple[str, ...] = ()  # how the draw went (e.g. a short domain pool and its fill)


def read_view(session: QuizSession, *, unreadable: str = "") -> QuizView:
    pos = session.current
    practice = not session.is_exam
    nav = session.navigator()
    verdicts: tuple[bool | None, ...] = ()
    if practice:
        verdicts = tuple(session.feedback(e.position).correct if e.answered else None for e in nav)
    answered = session.is_answered(pos)
    return QuizView(
        exam=session.is_exam,
        title=profile_title(session.profile, len(session)),
        total=len(session),
        position=pos,
        question=session.question(pos),
        chosen=session.chosen(pos),
        typed=session.typed(pos),
        flagged=session.is_flagged(pos),
        feedback=session.feedback(pos) if practice and answered else None,
        nav=nav,
        verdicts=verdicts,
        remaining=session.remaining(),
        elapsed=session.elapsed(),
        results=session.results() if session.finished else None,
        unreadable=unreadable,
        notes=session.notes,
    )


def apply(session: QuizSession, change: Callable[[QuizSession], object]) -> QuizView:
    """Make the change and read the view; a typed answer that cannot be read is reported in
    the view, and a closed attempt (time ran out) comes back with its results."""
    try:
        change(session)
    except UnreadableAnswer as err:
        return read_view(session, unreadable=str(err))
    except QuizClosed:
        pass  # the view carries the results
    return read_view(session)


def jump_entries(session: QuizSession) -> tuple[JumpEntry, ...]:
    return tuple(JumpEntry(e, session.question(e.position).prompt) for e in session.navigator())


def counts_markup(view: QuizView) -> str:
    """'12/65 answered · ⚑ 3' (exam) or '3 of 4 right' (practice)."""
    answered = sum(e.answered for e in view.nav)
    if not view.exam:
        right = sum(v is True for v in view.verdicts)
        return f"{right} of {answered} right" if answered else ""
    flagged = sum(e.flagged for e in view.nav)
    text = f"{answered}/{view.total} answered"
    return text + (f" · [$text-warning]⚑ {flagged}[/]" if flagged else "")


# -- the screen ------------------------------------------------------------------------------


def _pick_bindings() -> list[Binding]:
    """One binding (and id, for the keymap) per option: its digit and its letter."""
    return [
        Binding(
            ",".join([key, *LETTER_KEYS[i : i + 1]]),
            f"pick({i})",
            "Pick",
            show=i == 0,  # the footer shows one "1-6 Pick"
            key_display=f"1-{PICK_KEYS[-1]}" if i == 0 else None,
            id=f"quiz.pick{i + 1}",
            tooltip=f"Pick option {i + 1}" + (" (in a choose-two, pick each)" if i == 0 else ""),
        )
        for i, key in enumerate(PICK_KEYS)
    ]


class QuizScreen(QuizAppScreen[None]):
    """One question at a time, the navigator above it, the clock in the corner."""

    CSS_PATH = styles(["quiz.tcss"])
    TICK_S = 1.0

    BINDINGS: ClassVar[list[BindingType]] = [
        *_pick_bindings(),
        # Not priority bindings, so keys act in the order they were typed; in the typed-answer
        # box every printable key is text (escape leaves the box, then the letters act).
        Binding("n,right", "next", "Next", id="quiz.next", tooltip="Next question"),
        Binding("p,left", "previous", "Prev", id="quiz.previous", tooltip="Previous question"),
        Binding(
            "f",
            "flag",
            "Flag",
            id="quiz.flag",
            tooltip="Flag for review (or unflag)",
        ),
        Binding(
            "g",
            "jump",
            "Go to",
            id="quiz.jump",
            tooltip="Go to a question (all, unanswered or flagged)",
        ),
        Binding(
            "x",
            "clear",
            "Clear",
            id="quiz.clear",
            tooltip="Exam: take back this answer",
        ),
        Binding(
            "m",
            "choices",
            "Choices",
            id="quiz.choices",
            tooltip="Practice, computed: multiple choice instead of typing",
        ),
        Binding(
            "enter",
            "continue",
            "Next",
            show=False,
            id="quiz.continue",
            tooltip="Practice: the next question, once answered",
        ),
        Binding(
            "s",
            "submit",
            "Submit",
            id="quiz.submit",
            tooltip="Submit: warns about unanswered and flagged questions",
        ),
        Binding(
            "escape",
            "leave",
            "Leave",
            id="quiz.leave",
            tooltip="Leave: answers and time left are saved, to resume",
        ),
        *scroll_bindings("quiz"),
    ]

    def __init__(self, attempt_id: int, view: QuizView) -> None:
        super().__init__()
        self.attempt_id = attempt_id  # the session itself lives in the core, on the study thread
        self.view = view
        self.position = view.position  # where the learner asked to be
        self.picked: set[int] = set(view.chosen)  # what the learner picked here
        self.flagged = view.flagged
        self.shown: int | None = None  # the position on screen
        self.choosing = False  # computed practice: multiple choice instead of typing
        self.inflight = 0  # calls to the session not back yet
        self.committing = False  # practice: an answer on its way (no second answer)
        self.closed = False  # submitted: the results screen takes over
        self.timer: Timer | None = None
        self.place_saved = False
        self.painted: dict[str, str] = {}  # what each Static shows now
        self.feedback_at: int | None = None  # the question whose feedback is mounted
        self.drafts: dict[int, str] = {}  # ordering / matching: letters typed, per question
        self.listed: tuple[int, str] | None = None  # the question whose letters are listed

    @property
    def exam(self) -> bool:
        return self.view.exam

    def compose(self) -> ComposeResult:
        with Horizontal(id="quiz-top"):
            yield Static("", id="quiz-title")
            yield Static("", id="quiz-counts")
            yield Static("", id="quiz-clock")
        yield Navigator(id="navigator")
        with VerticalScroll(id="question", classes="panel"):
            yield Static("", id="prompt", markup=False)
            yield Static("", id="choose-hint")
            yield ChoicePicker(id="options")
            yield Static("", id="seq-list")
            with Horizontal(id="typed-row"):
                yield Label("Answer ", id="typed-label")
                yield TypedAnswer(
                    placeholder="type a number, then enter",
                    id="typed",
                    select_on_focus=False,
                    compact=True,
                )
            yield Static("", id="typed-echo")
            yield SequencePanel(id="seq-panel")
            yield Vertical(id="feedback-slot")
        yield AppFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self._show(self.view)
        self.timer = self.set_interval(self.TICK_S, self.tick)

    def on_unmount(self) -> None:
        """The app quitting (or the screen leaving): save the place and the clock."""
        self._save_place()

    def _save_place(self) -> None:
        """Queue saving the position and the clock: the next call to the study (or closing
        the app) commits it."""
        if self.timer is not None:
            self.timer.stop()
        if self.place_saved:
            return
        self.place_saved = True
        attempt_id = self.attempt_id
        self.quiz_app.runner.queue(
            "save your place in the quiz", lambda study: study.quizzes.close(attempt_id)
        )

    # -- talking to the session ----------------------------------------------------------------

    def change(self, what: str, fn: Callable[[QuizSession], object]) -> None:
        """Apply a change on the study thread; the view comes back to `_view_read`."""
        self.inflight += 1
        attempt_id = self.attempt_id

        def failed(err: Exception) -> None:
            self.inflight -= 1
            self.committing = False
            self.quiz_app.study_failed(what, err, retry=lambda: self.change(what, fn))

        self.on_study(
            what,
            lambda study: apply(study.quizzes.session(attempt_id), fn),
            self._view_read,
            failed=failed,
            group="quiz",
        )

    def _view_read(self, view: QuizView) -> None:
        self.inflight = max(0, self.inflight - 1)
        if view.results is not None:
            self._finished(view.results)
            return
        if self.inflight:
            return  # a newer change is on its way: show that one
        self.committing = False
        self.view = view
        self._show(view)

    def tick(self) -> None:
        if not self.closed:
            self._tick()

    def _tick(self) -> None:
        attempt_id = self.attempt_id

        def run(study: Collection) -> tuple[float | None, float, bool]:
            session = study.quizzes.session(attempt_id)
            session.tick()
            return session.remaining(), session.elapsed(), session.finished

        def failed(err: Exception) -> None:
            if self.timer is not None:
                self.timer.pause()
            self.quiz_app.study_failed("save the exam's clock", err, retry=self._restart_clock)

        self.on_study(
            "save the exam's clock",
            run,
            self._ticked,
            failed=failed,
            group="quiz-tick",
            exclusive=True,
        )

    def _restart_clock(self) -> None:
        if self.timer is not None:
            self.timer.resume()

    def _ticked(self, clock: tuple[float | None, float, bool]) -> None:
        remaining, elapsed, finished = clock
        if self.closed:
            return
        self._show_clock(remaining, elapsed)
        if finished:
            self.change("show the results", lambda session: None)

    # -- showing -------------------------------------------------------------------------------

    def _put(self, selector: str, text: str) -> None:
        """Update a Static only when its text changes (each update costs a layout)."""
        if self.painted.get(selector) != text:
            self.painted[selector] = text
            self.query_one(selector, Static).update(text)

    def _show(self, view: QuizView) -> None:
        question = view.question
        moved = view.position != self.shown
        self.shown = view.position
        self.position = view.position
        if moved or view.exam or view.feedback is not None:
            self.picked = set(view.chosen)  # practice keeps a choose-two's first pick
        self.flagged = view.flagged
        if moved:
            self.choosing = False
            self.query_one("#typed", Input).value = ""
        self._put("#quiz-counts", counts_markup(view))
        self._show_clock(view.remaining, view.elapsed)
        self._show_title()
        self.query_one(Navigator).show(view.nav, view.verdicts)
        box = self.query_one("#question", VerticalScroll)
        flag = "  [b $text-warning]⚑ flagged[/]" if view.flagged else ""
        box.border_title = f"Question {view.position + 1} of {view.total}{flag}"
        box.border_subtitle = literal(place_label(question.domain, question.topic))
        self._put("#prompt", question.prompt)
        answered = view.feedback is not None
        typing = (
            not answered and not view.exam and question.kind == "computed" and not self.choosing
        )
        sequence = not answered and question.sequence
        options = self.query_one("#options", ChoicePicker)
        options.display = not answered and not typing and not sequence
        self._show_sequence(view, moved, sequence)
        self.query_one("#typed-row").display = typing
        self.query_one("#typed-echo").display = typing and bool(view.unreadable)
        self._put("#typed-echo", f"Could not read that (not counted). {view.unreadable}")
        self._show_hint()
        slot = self.query_one("#feedback-slot", Vertical)
        shown_feedback = view.position if answered else None
        if shown_feedback != self.feedback_at:
            self.feedback_at = shown_feedback
            slot.remove_children()
            if view.feedback is not None:  # just answered (not moved here): reveal it
                slot.mount(FeedbackView(view.feedback, reveal=not moved))
        # a new question opens at its top: focusing does not scroll to the box or the list
        if answered:
            box.focus(scroll_visible=False)
        elif typing or sequence:
            if moved or self.focused is not box:  # escape left the box: stay out of it
                entry = self.query_one("#typed" if typing else "#seq-box", Input)
                entry.focus(scroll_visible=False)
        else:
            options.show(question, self.picked)
            options.focus(scroll_visible=False)
        if moved:
            box.scroll_home(animate=False)
        self._fit_answer_box()
        self.refresh_bindings()

    def _show_sequence(self, view: QuizView, moved: bool, sequence: bool) -> None:
        """An ordering or matching question to answer: its letters listed, the box (with the
        draft typed here, else the saved answer) and its preview."""
        panel = self.query_one(SequencePanel)
        listing = self.query_one("#seq-list", Static)
        panel.display = listing.display = sequence
        if not sequence:
            return
        question = view.question
        saved = letters_of(question, view.chosen) if view.exam else ""
        shown = (view.position, question.item_id)
        if moved or self.listed != shown:
            self.listed = shown
            listing.update(choices_renderable(question))
            text = self.drafts.get(view.position, saved)
            last = view.position == view.total - 1
            panel.load(question, exam=view.exam, saved=saved, text=text, last=last)
        else:
            panel.set_saved(saved)
        entry = panel.entry()
        if saved and entry.complete and entry.letters == saved:
            self.drafts.pop(view.position, None)  # saved as typed: coming back shows it saved

    @on(Input.Changed, "#seq-box")
    def _sequence_typed(self, event: Input.Changed) -> None:
        """Keep what is typed for the question in the box (a stale change is left out)."""
        panel = self.query_one(SequencePanel)
        if panel.question is not None and event.value == panel.box.value:
            self.drafts[panel.question.position] = event.value
        self._fit_answer_box()  # the preview grew or shrank

    @on(Input.Submitted, "#seq-box")
    def _sequence_entered(self, event: Input.Submitted) -> None:
        """Enter in the letters box: answer (practice) or save (exam) a complete entry; on
        an exam's saved answer, go to the next question; else say what is missing."""
        event.stop()
        view = self.view
        question = view.question
        if not self._open() or view.feedback is not None or not question.sequence:
            return
        if self.shown != self.position:
            return  # still moving: the question on screen is not the one asked for
        panel = self.query_one(SequencePanel)
        entry = panel.entry()
        if not entry.complete:
            panel.tried = True
            panel.refresh_status()
            return
        order = answer_of(question, entry)
        position = self.position
        if view.exam and order == view.chosen:
            self._go(position + 1)
            return
        if not view.exam:
            self.committing = True
        self.picked = set(order)
        self.change("save your answer", lambda s: s.answer(position, order))

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self._show_title)
        self.call_after_refresh(self._fit_answer_box)

    def _show_title(self) -> None:
        """'Exam simulation · 65 questions', or only 'Exam simulation' where the whole title
        does not fit beside the counts and the clock (it would be cut mid-phrase)."""
        top = self.query_one("#quiz-top")
        full = self.view.title
        if top.size.width:
            room = top.size.width
            for widget in (self.query_one("#quiz-counts"), self.query_one("#quiz-clock")):
                room -= widget.get_content_width(top.size, self.size)
                room -= widget.styles.margin.width
            if len(full) > room:
                full = full.split(" · ")[0]
        self._put("#quiz-title", full)

    def _fit_answer_box(self) -> None:
        """While typing, the answer box (and what it echoes) sits under the prompt when the
        whole question fits its box; else it is pinned at the foot of the box and the prompt
        scrolls above it: the question still opens at its top, and the box stays in view."""
        box = self.query_one("#question", VerticalScroll)
        row, echo = self.query_one("#typed-row"), self.query_one("#typed-echo")
        panel = self.query_one(SequencePanel)
        pin = pin_panel = False
        answer = row if row.display else panel if panel.display else None
        if answer is not None and box.size.height:
            # measured from the text (the layout may not have caught up), with room left for
            # the scrollbar: the heights of what comes above the box, then the box and echo
            # (or the letters box, its status line and the preview as it is now)
            width = box.size.width - box.styles.scrollbar_size_vertical
            size = Size(width, box.size.height)
            above = box.children[: box.children.index(answer)]
            need = sum(
                c.get_content_height(size, self.size, width)
                + c.styles.gutter.height
                + c.styles.margin.height
                for c in above
                if c.display
            )
            if answer is row:
                need += 1 + (echo.get_content_height(size, self.size, width) if echo.display else 0)
                pin = need > box.size.height
            else:
                need += 1 + panel.styles.gutter.height
                for part in panel.query_one("#seq-status"), panel.query_one("#seq-preview"):
                    if part.display:
                        need += part.get_content_height(size, self.size, width)
                pin_panel = need > box.size.height
        row.set_class(pin, "-pinned")
        echo.set_class(pin, "-pinned")
        panel.set_class(pin_panel, "-pinned")

    def _show_hint(self) -> None:
        hint = self.query_one("#choose-hint", Static)
        question = self.view.question
        if question.sequence and self.view.feedback is None:
            hint.display = True
            if self.painted.get("#choose-hint") != question.kind:
                self.painted["#choose-hint"] = question.kind
                hint.update(task_hint(question))
            return
        if not question.multiple or self.view.feedback is not None:
            hint.display = False
            return
        word = NUMBER_WORDS.get(question.choose, str(question.choose))
        hint.display = True
        self._put("#choose-hint", f"[b]Choose {word}.[/b] [dim]{len(self.picked)} picked[/dim]")

    def _show_clock(self, remaining: float | None, elapsed: float) -> None:
        clock = self.query_one("#quiz-clock", Static)
        if remaining is None:
            self._put("#quiz-clock", f"Time {clock_text(elapsed)}")
            return
        clock.set_class(remaining <= LOW_TIME_S, "-low")
        self._put("#quiz-clock", f"Time left [b]{clock_text(remaining)}[/b]")

    def _finished(self, results: Results) -> None:
        if self.closed:
            return
        self.closed = True
        if self.timer is not None:
            self.timer.stop()
        if results.timed_out:
            self.app.notify(
                "Time is up: the exam was submitted.", title="Exam over", severity="warning"
            )
        from quizapp.tui.screens.results import ResultsScreen

        self.app.switch_screen(ResultsScreen(results))

    # -- keys ----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        view = self.view
        question = view.question
        answered = view.feedback is not None
        if action == "pick":
            index = parameters[0] if parameters else 0
            if question.sequence:
                return False  # answered by typing letters in the box
            return not answered and isinstance(index, int) and index < len(question.options)
        if action == "clear":
            return view.exam and bool(self.picked)
        if action == "choices":
            return not view.exam and question.kind == "computed" and not answered
        if action == "continue":
            return answered
        if action == "next":
            return self.position < view.total - 1
        if action == "previous":
            return self.position > 0
        return True

    def action_scroll_box(self, how: str) -> None:
        scroll_box(self.query_one("#question", VerticalScroll), how)

    def _open(self) -> bool:
        """Whether keys may change the attempt now."""
        return not self.closed and not self.committing

    def action_pick(self, display: int) -> None:
        view = self.view
        question = view.question
        if not self._open() or view.feedback is not None or display >= len(question.options):
            return
        if self.shown != self.position:
            return  # still moving: the question on screen is not the one asked for
        if not view.exam and question.kind == "computed" and not self.choosing:
            return  # typing a number: choices are hidden
        if question.sequence:
            return  # typed as letters
        index = question.options[display].index
        self.query_one("#options", ChoicePicker).highlighted = display
        position = self.position
        if question.multiple:
            self.picked ^= {index}
        else:
            self.picked = {index}
        picked = tuple(sorted(self.picked))
        if view.exam:
            if picked:
                self.change("save your answer", lambda s: s.answer(position, picked))
            else:
                self.change("save your answer", lambda s: s.clear(position))
        elif not question.multiple or len(picked) == question.choose:
            self.committing = True
            self.change("save your answer", lambda s: s.answer(position, picked))
        self.query_one("#options", ChoicePicker).show(question, self.picked)
        self._show_hint()
        self.refresh_bindings()

    @on(OptionList.OptionSelected, "#options")
    def _option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_pick(event.option_index)

    @on(Input.Submitted, "#typed")
    def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text or not self._open() or self.view.feedback is not None:
            return
        position = self.position
        self.committing = True
        self.change("save your answer", lambda s: s.answer_typed(position, text))

    def _go(self, position: int) -> None:
        if self.closed or not 0 <= position < self.view.total or position == self.position:
            return
        self.position = position
        self.change("move to another question", lambda s: s.goto(position))

    def action_next(self) -> None:
        self._go(self.position + 1)

    def action_previous(self) -> None:
        self._go(self.position - 1)

    def action_continue(self) -> None:
        """Practice, after an answer: the next question, or the results after the last."""
        view = self.view
        if view.feedback is None or self.closed:
            return
        if self.position < view.total - 1:
            self._go(self.position + 1)
            return
        unanswered = [e.position for e in view.nav if not e.answered]
        if unanswered:
            self._go(unanswered[0])
        else:
            self.action_submit()

    def action_flag(self) -> None:
        if not self._open():
            return
        self.flagged = not self.flagged
        position, flagged = self.position, self.flagged
        self.change("save the flag", lambda s: s.set_flag(position, flagged))
        box = self.query_one("#question", VerticalScroll)
        flag = "  [b $text-warning]⚑ flagged[/]" if flagged else ""
        box.border_title = f"Question {position + 1} of {self.view.total}{flag}"

    def action_clear(self) -> None:
        if self._open() and self.view.exam and self.picked:
            self.picked = set()
            position = self.position
            self.change("take back your answer", lambda s: s.clear(position))
            if self.view.question.sequence:
                self.drafts.pop(position, None)
                self.query_one(SequencePanel).box.value = ""
                return
            self.query_one("#options", ChoicePicker).show(self.view.question, self.picked)
            self._show_hint()

    def action_choices(self) -> None:
        view = self.view
        if view.exam or view.question.kind != "computed" or view.feedback is not None:
            return
        self.choosing = not self.choosing
        self._show(view)
        if self.choosing:
            self.query_one("#options", ChoicePicker).reveal_highlight()

    # -- go to, submit, leave ------------------------------------------------------------------

    def action_jump(self) -> None:
        if not self.closed:
            self._read_jump()

    def _read_jump(self) -> None:
        attempt_id = self.attempt_id
        self.on_study(
            "list the questions",
            lambda study: jump_entries(study.quizzes.session(attempt_id)),
            self._jump_read,
            retry=self._read_jump,
            group="quiz-read",
            exclusive=True,
        )

    def _jump_read(self, entries: tuple[JumpEntry, ...]) -> None:
        def chosen(position: int | None) -> None:
            if position is not None:
                self._go(position)

        self.app.push_screen(JumpDialog(entries, self.position), chosen)

    def action_submit(self) -> None:
        if not self.closed:
            self._read_check()

    def _read_check(self) -> None:
        attempt_id = self.attempt_id
        self.on_study(
            "check your answers",
            lambda study: study.quizzes.session(attempt_id).submit_check(),
            self._submit_checked,
            retry=self._read_check,
            group="quiz-read",
            exclusive=True,
        )

    def _submit_checked(self, check: SubmitCheck) -> None:
        if not self.exam and not check.needs_warning:
            self._submit(True)
            return
        title = "Submit the exam?" if self.exam else "Finish the quiz?"
        yes = "Submit" if self.exam else "Finish"
        lines = submit_lines(check, exam=self.exam)
        self.app.push_screen(ConfirmDialog(title, lines, yes=yes, no="Keep working"), self._submit)

    def _submit(self, yes: bool | None) -> None:
        if yes and not self.closed:
            self.change("submit your answers", lambda s: s.submit())

    def action_leave(self) -> None:
        if self.closed:
            return
        if not self.exam:
            self._leave(True)
            return
        self._read_clock()

    def _read_clock(self) -> None:
        attempt_id = self.attempt_id
        self.on_study(
            "read the exam's clock",
            lambda study: study.quizzes.session(attempt_id).remaining(),
            self._leave_asked,
            retry=self._read_clock,
            group="quiz-read",
            exclusive=True,
        )

    def _leave_asked(self, remaining: float | None) -> None:
        lines = [
            f"Your answers and the [b]{clock_text(remaining)}[/b] left are saved.",
            "Resume it from the exam set-up: the clock waits while you are away.",
        ]
        self.app.push_screen(
            ConfirmDialog("Leave the exam?", lines, yes="Leave", no="Stay"), self._leave
        )

    def _leave(self, yes: bool | None) -> None:
        if not yes or self.closed:
            return
        self.closed = True
        self._save_place()  # before the set-up screen reads the attempts back
        if not self.exam:
            self.app.notify("Saved: resume it from the quiz set-up.", title="Quiz paused")
        self.app.pop_screen()
