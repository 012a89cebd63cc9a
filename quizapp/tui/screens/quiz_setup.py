"""Setting up a quiz or an exam simulation, and the attempts to resume or review.

The form: the mode (practice | exam), the exam profile (MLS-C01 or a shorter one with the same
domain shares) or the number of questions, the kinds, and topics / domains (none = all).
`s` starts; the draw weights weak topics up (mastery from the study's stats). The list on
the right holds this mode's unfinished attempts (enter resumes, with the time left) and
finished ones with their scores (enter opens the results and the review).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    Label,
    OptionList,
    RadioButton,
    RadioSet,
    SelectionList,
    Static,
)
from textual.widgets.option_list import Option

from quizapp.errors import QuizappError
from quizapp.quiz import (
    BUILT_IN,
    KIND_GROUPS,
    MLS_C01,
    AttemptHeader,
    QuizSetup,
    Results,
    custom_exam,
)
from quizapp.quiz.draw import eligible
from quizapp.tui.format import clock_text, when
from quizapp.tui.screens.base import QuizAppScreen
from quizapp.tui.screens.quiz import QuizScreen, QuizView, read_view
from quizapp.tui.styles import styles
from quizapp.tui.widgets.app_footer import AppFooter
from quizapp.tui.widgets.quiz_question import domain_label, topic_label

if TYPE_CHECKING:
    from quizapp.bank.model import Item
    from quizapp.collection import Collection

KIND_CHOICES = {
    "choice": "Multiple choice",
    "true_false": "True / false",
    "computed": "Computed",
}
PRACTICE_COUNT = 10
CUSTOM_COUNT = 20
FINISHED_SHOWN = 30
SEED_SPACE = 2**31


@dataclass(frozen=True, slots=True)
class SetupData:
    items: tuple[Item, ...]
    unfinished: tuple[AttemptHeader, ...]
    finished: tuple[AttemptHeader, ...]


def read_setup(study: Collection) -> SetupData:
    quizzes = study.quizzes
    return SetupData(quizzes.questions(), quizzes.unfinished(), quizzes.finished())


def profile_choice(questions: int, minutes: float) -> str:
    name = "MLS-C01" if questions == MLS_C01.questions else "Shorter"
    return f"{name} · {questions} q · {round(minutes)} min"


def practice_right(header: AttemptHeader) -> int:
    """Questions right, from the scaled score (exact for the lengths quizzes have)."""
    if header.score is None or header.question_count == 0:
        return 0
    return round((header.score - 100) * header.question_count / 900)


def attempt_option(header: AttemptHeader, now: datetime, tz) -> Option:
    """One attempt in the list: to resume (answered, time left) or to review (its score)."""
    count = header.question_count
    if not header.finished:
        left = ""
        if header.remaining_s is not None:
            left = f" · {clock_text(header.remaining_s)} left"
        started = when(header.started_at, now, tz)
        text = f"[b]▶[/b] {header.answered}/{count} answered{left}\n  [dim]started {started}[/dim]"
        return Option(text, id=f"resume:{header.attempt_id}")
    finished = when(header.finished_at or header.started_at, now, tz)
    if header.mode == "exam":
        if header.passed:
            mark, verdict = "[b $text-success]✓[/]", "pass"
        else:
            mark, verdict = "[b $text-error]✗[/]", "fail"
        text = f"{mark} [b]{header.score or 0:.0f}[/b] {verdict} · {count} q"
    else:
        text = f"[b]•[/b] {practice_right(header)}/{count} right"
    return Option(f"{text} [dim]· {finished}[/dim]", id=f"review:{header.attempt_id}")


class CountInput(Input):
    """A whole number of questions; other keys are left to the screen's bindings."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return character is not None and character.isdigit()

    async def _on_key(self, event: events.Key) -> None:
        if event.is_printable and not (event.character or "").isdigit():
            event.prevent_default()  # not typed: it bubbles on to the screen's bindings


class QuizSetupScreen(QuizAppScreen[None]):
    """The set-up form on the left; topics and domains, and the attempts, on the right."""

    CSS_PATH = styles(["quiz_setup.tcss"])

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "start", "Start", id="setup.start", tooltip="Start with this set-up"),
        Binding(
            "m",
            "switch_mode",
            "Mode",
            id="setup.mode",
            tooltip="Switch between a practice quiz and an exam simulation",
        ),
        Binding(
            "t",
            "focus('scope')",
            "Topics",
            id="setup.topics",
            tooltip="Topics and domains (space ticks; none ticked = all)",
        ),
        Binding(
            "r",
            "focus('attempts')",
            "Attempts",
            id="setup.attempts",
            tooltip="Attempts: enter resumes one, or opens its results",
        ),
        Binding("escape", "app.back", "Back", id="setup.back", tooltip="Back to the dashboard"),
    ]

    def __init__(self, mode: str = "practice") -> None:
        super().__init__()
        self.mode = mode if mode in ("practice", "exam") else "practice"
        self.data: SetupData | None = None
        self.busy = False  # starting, resuming or opening results
        self.scope_room: int | None = None  # the scope list's width for a name and its count

    def compose(self) -> ComposeResult:
        exam = self.mode == "exam"
        with Horizontal(id="setup-top"):
            with Vertical(id="setup-form", classes="panel"):
                yield Label("Mode", classes="setup-label")
                with RadioSet(id="mode", compact=True):
                    yield RadioButton("Practice", value=not exam, id="mode-practice")
                    yield RadioButton("Exam", value=exam, id="mode-exam")
                with Vertical(id="exam-options"):
                    yield Label("Exam length", classes="setup-label")
                    with RadioSet(id="profile", compact=True):
                        for i, p in enumerate(BUILT_IN):
                            yield RadioButton(
                                profile_choice(p.questions, p.minutes), value=i == 0, id=f"p{i}"
                            )
                        yield RadioButton("Custom length", id="p-custom")
                    with Horizontal(id="custom-row", classes="count-row"):
                        yield Label("Questions", classes="count-label")
                        yield CountInput(
                            str(CUSTOM_COUNT), id="custom-count", restrict=r"\d{0,2}", compact=True
                        )
                        yield Label(f"1 to {MLS_C01.questions}", classes="count-hint")
                with Horizontal(id="count-row", classes="count-row"):
                    yield Label("Questions", classes="count-label")
                    yield CountInput(
                        str(PRACTICE_COUNT), id="count", restrict=r"\d{0,3}", compact=True
                    )
                yield Label("Kinds", classes="setup-label")
                for group in KIND_GROUPS:
                    yield Checkbox(KIND_CHOICES[group], True, id=f"kind-{group}", compact=True)
                yield Static("Loading the banks…", id="matching")
                yield Button("Start (s)", id="start", variant="primary", compact=True)
            with Vertical(id="setup-right"):
                scope = SelectionList[str](id="scope", compact=True)
                scope.border_title = "Exam domains, then topics"
                scope.border_subtitle = "none = all"
                yield scope
                attempts = OptionList(id="attempts")
                attempts.border_title = "Attempts"
                yield attempts
        yield AppFooter(compact=True)

    def on_mount(self) -> None:
        self._show_mode()
        first = "#count" if self.mode == "practice" else "#start"  # type a count, or enter
        self.query_one(first).focus()

    def on_screen_resume(self) -> None:
        self.busy = False
        self.load()

    # -- reading -------------------------------------------------------------------------------

    def load(self) -> None:
        self.on_study(
            "read the question banks and your attempts",
            read_setup,
            self._loaded,
            retry=self.load,
            group="setup",
            exclusive=True,
        )

    def _loaded(self, data: SetupData) -> None:
        first = self.data is None
        self.data = data
        if first:
            self._fill_scope()
        self._fill_attempts()
        self._show_matching()

    def _fill_scope(self) -> None:
        """The domains, then the topics, each with its number of questions; names too long
        for the list are cut (with …) so the numbers stay in view."""
        assert self.data is not None
        items = self.data.items
        scope = self.query_one("#scope", SelectionList)
        domains = sorted({i.domain for i in items}, key=_domain_order)
        topics = sorted({i.topic for i in items}, key=topic_label)
        width = max([len(domain_label(d)) for d in domains] + [len(topic_label(t)) for t in topics])
        room = self.scope_room = self._scope_room()
        if room is not None:
            width = max(6, min(width, room - 4))  # a space and the count after the name

        def fit(name: str) -> str:
            return name if len(name) <= width else name[: width - 1] + "…"

        count: dict[tuple[str, str], int] = {}
        for item in items:
            count[("domain", item.domain)] = count.get(("domain", item.domain), 0) + 1
            count[("topic", item.topic)] = count.get(("topic", item.topic), 0) + 1
        picked = set(scope.selected)
        highlighted = scope.highlighted
        scope.clear_options()
        for d in domains:
            label = f"{fit(domain_label(d)):<{width}} {count['domain', d]:>3}"
            value = f"domain:{d}"
            scope.add_option((Text(label, "bold"), value, value in picked))
        for t in topics:
            label = f"{fit(topic_label(t)):<{width}} {count['topic', t]:>3}"
            value = f"topic:{t}"
            scope.add_option((Text(label), value, value in picked))
        scope.highlighted = highlighted

    def _scope_room(self) -> int | None:
        """The cells a name and its count have in the list (None before it is laid out)."""
        scope = self.query_one("#scope", SelectionList)
        if not scope.size.width:
            return None
        toggle = 4  # the check box and a space
        return scope.size.width - scope.styles.scrollbar_size_vertical - toggle

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self._refit_scope)

    def _refit_scope(self) -> None:
        if self.data is not None and self._scope_room() != self.scope_room:
            self._fill_scope()

    def _fill_attempts(self) -> None:
        attempts = self.query_one("#attempts", OptionList)
        data = self.data
        if data is None:
            return
        now, tz = self.quiz_app.clock(), self.quiz_app.tz
        unfinished = [h for h in data.unfinished if h.mode == self.mode]
        finished = [h for h in data.finished if h.mode == self.mode][:FINISHED_SHOWN]
        options: list[Option | None] = []
        if unfinished:
            options.append(Option(Text("Unfinished: enter resumes", "b"), disabled=True))
            options += [attempt_option(h, now, tz) for h in unfinished]
        if finished:
            options.append(Option(Text("Finished: enter reviews", "b"), disabled=True))
            options += [attempt_option(h, now, tz) for h in finished]
        if not options:
            options.append(Option(Text("No attempts yet.", "dim"), disabled=True))
        attempts.set_options(options)
        attempts.border_title = "Exam attempts" if self.mode == "exam" else "Quiz attempts"
        if attempts.has_focus:
            self._highlight_first_attempt()

    @on(events.DescendantFocus)
    def _attempts_focused(self, event: events.DescendantFocus) -> None:
        if event.widget.id == "attempts":
            self._highlight_first_attempt()

    def _highlight_first_attempt(self) -> None:
        """With nothing highlighted, highlight the first attempt (the newest unfinished one,
        else the newest finished one), so enter resumes or opens it at once."""
        attempts = self.query_one("#attempts", OptionList)
        if attempts.highlighted is None:
            attempts.action_first()  # the headings are disabled: skipped

    # -- the form ------------------------------------------------------------------------------

    def _show_mode(self) -> None:
        exam = self.mode == "exam"
        form = self.query_one("#setup-form")
        form.border_title = "Exam simulation" if exam else "Practice quiz"
        form.border_subtitle = "tab · space · s starts"
        self.query_one("#exam-options").display = exam
        self.query_one("#count-row").display = not exam
        self._show_custom()
        buttons = {"practice": "#mode-practice", "exam": "#mode-exam"}
        radio = self.query_one(buttons[self.mode], RadioButton)
        if not radio.value:
            radio.value = True
        self._fill_attempts()
        self._show_matching()
        self._keep_focus_visible()

    def _keep_focus_visible(self) -> None:
        """If the focused field was just hidden (the other mode's), focus Start."""
        focused = self.focused
        if focused is not None and not all(n.display for n in focused.ancestors_with_self):
            self.query_one("#start").focus()

    def _show_custom(self) -> None:
        custom = self.query_one("#p-custom", RadioButton).value
        self.query_one("#custom-row").display = self.mode == "exam" and custom

    def action_switch_mode(self) -> None:
        self.mode = "exam" if self.mode == "practice" else "practice"
        self._show_mode()

    @on(RadioSet.Changed, "#mode")
    def _mode_changed(self, event: RadioSet.Changed) -> None:
        mode = "exam" if event.pressed.id == "mode-exam" else "practice"
        if mode != self.mode:
            self.mode = mode
            self._show_mode()

    @on(RadioSet.Changed, "#profile")
    def _profile_changed(self) -> None:
        self._show_custom()
        self._show_matching()
        self._keep_focus_visible()

    @on(Checkbox.Changed)
    @on(SelectionList.SelectedChanged)
    @on(Input.Changed)
    def _form_changed(self) -> None:
        self._show_matching()

    @on(Input.Submitted)
    def _count_entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_start()

    @on(Button.Pressed, "#start")
    def _start_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_start()

    async def action_focus(self, selector: str) -> None:
        self.query_one(f"#{selector}").focus()

    def read_form(self, seed: int | None = None) -> QuizSetup:
        """The set-up the form describes; QuizappError with a one-line reason if it is not one."""
        kinds = [g for g in KIND_GROUPS if self.query_one(f"#kind-{g}", Checkbox).value]
        if not kinds:
            raise QuizappError("tick at least one kind of question")
        picked = self.query_one("#scope", SelectionList).selected
        topics = [v.split(":", 1)[1] for v in picked if v.startswith("topic:")]
        domains = [v.split(":", 1)[1] for v in picked if v.startswith("domain:")]
        if self.mode == "practice":
            count = _whole(self.query_one("#count", Input).value)
            if count is None or count < 1:
                raise QuizappError("type how many questions (1 or more)")
            return QuizSetup.practice(count, topics=topics, domains=domains, kinds=kinds, seed=seed)
        profile_set = self.query_one("#profile", RadioSet)
        index = profile_set.pressed_index
        if 0 <= index < len(BUILT_IN):
            profile = BUILT_IN[index]
        else:
            count = _whole(self.query_one("#custom-count", Input).value)
            if count is None or not 1 <= count <= MLS_C01.questions:
                raise QuizappError(f"a custom exam has 1 to {MLS_C01.questions} questions")
            profile = custom_exam(count)
        return QuizSetup.exam(profile, topics=topics, domains=domains, kinds=kinds, seed=seed)

    def _show_matching(self) -> None:
        matching = self.query_one("#matching", Static)
        if self.data is None:
            return
        try:
            setup = self.read_form()
        except QuizappError as err:
            matching.update(f"[$text-warning]{err}[/]")
            return
        pool = eligible(self.data.items, setup)
        if setup.profile is not None:
            pool = [i for i in pool if i.domain in setup.profile.weights()]
        n = len(pool)
        if n == 0:
            matching.update("[$text-warning]No questions match: tick more topics or kinds.[/]")
        elif n < setup.count:
            matching.update(f"[$text-warning]Only {n} match[/]: the quiz will have {n}.")
        elif setup.profile is not None:
            minutes = clock_text(setup.profile.time_limit_s)
            matching.update(f"{n} match · {setup.count} q in {minutes}")
        else:
            matching.update(f"{n} match · {setup.count} drawn")

    # -- starting, resuming, reviewing ---------------------------------------------------------

    def action_start(self) -> None:
        if self.busy or self.data is None:
            return
        try:
            setup = self.read_form(seed=self.quiz_app.rng.randrange(SEED_SPACE))
        except QuizappError as err:
            self.app.notify(str(err), title="Cannot start yet", severity="warning", markup=False)
            return
        pool = eligible(self.data.items, setup)
        if not pool:
            self.app.notify(
                "No questions match: tick more topics, domains or kinds.",
                title="Cannot start yet",
                severity="warning",
            )
            return
        self.busy = True
        self.start(setup)

    def _go_failed(self, what: str, retry: Callable[[], object]) -> Callable[[Exception], None]:
        """Starting, resuming or reviewing failed: the form is free again; say so."""

        def failed(err: Exception) -> None:
            self.busy = False
            self.quiz_app.study_failed(what, err, retry=retry)

        return failed

    def start(self, setup: QuizSetup) -> None:
        def begin(study: Collection) -> tuple[int, QuizView]:
            session = study.quizzes.start(setup)
            return session.attempt_id, read_view(session)

        what = "start the exam" if setup.mode == "exam" else "start the quiz"
        self.on_study(
            what,
            begin,
            lambda started: self._quiz_ready(*started, fresh=True),
            failed=self._go_failed(what, lambda: self.start(setup)),
            group="setup-go",
            exclusive=True,
        )

    @on(OptionList.OptionSelected, "#attempts")
    def _attempt_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.busy or not event.option_id:
            return
        what, _, number = event.option_id.partition(":")
        self.busy = True
        if what == "resume":
            self.resume(int(number))
        else:
            self.review(int(number))

    def resume(self, attempt_id: int) -> None:
        def reopen(study: Collection) -> QuizView:
            return read_view(study.quizzes.resume(attempt_id))

        def resumed(view: QuizView) -> None:
            if view.results is not None:  # its time had run out: it was submitted
                self._results_ready(view.results)
            else:
                self._quiz_ready(attempt_id, view, fresh=False)

        self.on_study(
            "resume the attempt",
            reopen,
            resumed,
            failed=self._go_failed("resume the attempt", lambda: self.resume(attempt_id)),
            group="setup-go",
            exclusive=True,
        )

    def review(self, attempt_id: int) -> None:
        def read(study: Collection) -> Results:
            return study.quizzes.results(attempt_id)

        self.on_study(
            "open the attempt's results",
            read,
            self._results_ready,
            failed=self._go_failed("open the attempt's results", lambda: self.review(attempt_id)),
            group="setup-go",
            exclusive=True,
        )

    def _quiz_ready(self, attempt_id: int, view: QuizView, *, fresh: bool) -> None:
        """A session to show: started (fresh), or resumed."""
        notes = view.notes
        if fresh and notes:
            text = "\n".join(n[:1].upper() + n[1:] + "." for n in notes)
            self.app.notify(text, title="How this quiz was drawn", timeout=10, markup=False)
        self.app.push_screen(QuizScreen(attempt_id, view))

    def _results_ready(self, results: Results) -> None:
        from quizapp.tui.screens.results import ResultsScreen

        self.app.push_screen(ResultsScreen(results))


def _whole(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() else None


def _domain_order(domain: str) -> int:
    from quizapp.quiz.profiles import MLS_C01_WEIGHTS

    order = [d for d, _ in MLS_C01_WEIGHTS]
    return order.index(domain) if domain in order else len(order)
