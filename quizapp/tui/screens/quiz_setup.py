"""Setting up a quiz or an exam simulation, and the attempts to resume or review.

The form: the mode (practice | exam); for an exam, which exam (the profiles, current first,
each saying whether it is current or retired and which is the default) and its length (full,
a shorter one with the same domain shares, or a custom number of questions, all relative to
the exam chosen); for practice, the number of questions and where they come from (the whole
bank, or the record: missed in the last N attempts, never seen, flagged, the weakest topic or
domain; `f` goes there); the kinds (an exam offers only its
profile's), and domains / topics (none = all; an exam's domains are its profile's). `s`
starts; the draw weights weak topics up (mastery from the study's stats). The list on the
right holds this mode's unfinished attempts (enter resumes, with the time left) and finished
ones with their scores (enter opens the results and the review).

The form scrolls when the terminal is short: the focused field is always in view.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
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
    KIND_GROUP_LABELS,
    KIND_GROUPS,
    AttemptHeader,
    ExamProfile,
    QuizSetup,
    Results,
    built_in,
    custom_exam,
    default_profile,
    profile_by_name,
)
from quizapp.quiz.draw import domain_of, eligible
from quizapp.quiz.sources import LAST_CHOICES, SOURCE_LABELS, SOURCES, Pick, QuizRecord, pick
from quizapp.tui.format import clock_text, when
from quizapp.tui.screens.base import QuizAppScreen
from quizapp.tui.screens.quiz import QuizScreen, QuizView, read_view
from quizapp.tui.styles import styles
from quizapp.tui.text import assemble, literal, markup
from quizapp.tui.widgets.app_footer import AppFooter
from quizapp.tui.widgets.quiz_question import domain_label, topic_label

if TYPE_CHECKING:
    from quizapp.bank.model import Item
    from quizapp.collection import Collection

KIND_CHOICES = {
    "choice": "Multiple choice",
    "ordering": "Ordering",
    "matching": "Matching",
    "true_false": "True / false",
    "computed": "Computed",
}
PRACTICE_COUNT = 10
CUSTOM_COUNT = 20
FINISHED_SHOWN = 30
SEED_SPACE = 2**31
PROFILE_WIDTH = 27  # a profile's label lines, beside its radio button in the form
NARROW = 70  # below this many columns the form is narrower (see quiz_setup.tcss)
NARROW_PROFILE_WIDTH = 22


@dataclass(frozen=True, slots=True)
class SetupData:
    items: tuple[Item, ...]
    unfinished: tuple[AttemptHeader, ...]
    finished: tuple[AttemptHeader, ...]
    record: QuizRecord = field(default_factory=QuizRecord)  # the quiz answers, for the sources
    topic_mastery: dict[str, float] | None = None
    domain_mastery: dict[str, float] | None = None


def read_setup(study: Collection) -> SetupData:
    quizzes = study.quizzes
    summary = study.stats.summary()
    return SetupData(
        quizzes.questions(),
        quizzes.unfinished(),
        quizzes.finished(),
        quizzes.record(),
        summary.topics,
        summary.domains,
    )


def last_label(last: int | None) -> str:
    return "all" if last is None else str(last)


def day_text(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def title_note(title: str) -> str:
    """What a profile's name says of it in brackets at its end ("the guide's exam")."""
    found = re.search(r"\(([^()]+)\)\s*$", title)
    return found[1].strip() if found else ""


def profile_lines(
    profile: ExamProfile, default: ExamProfile, width: int = PROFILE_WIDTH
) -> list[str]:
    """An exam as the set-up lists it, in lines of at most `width` (where the parts allow):
    its code, its note, current or retired (and when), and whether it is the default.
    "MLS-C01 · the guide's exam", "retired 31 Mar 2026"."""
    parts = [profile.code]
    note = title_note(profile.title)
    if note:
        parts.append(note)
    if profile.retired:
        parts.append(f"retired {day_text(profile.retired_on)}" if profile.retired_on else "retired")
    else:
        parts.append("current")
    if profile.id == default.id:
        parts.append("default")
    lines = [parts[0]]
    for part in parts[1:]:
        if len(lines[-1]) + 3 + len(part) <= width:
            lines[-1] += f" · {part}"
        else:
            lines.append(part)
    return lines


def minutes_text(minutes: float) -> str:
    return f"{round(minutes)} min"


def length_choice(exam: ExamProfile) -> str:
    """One length of an exam: "Full · 65 q · 130 min", "30 q · 60 min"."""
    text = f"{exam.questions} q · {minutes_text(exam.minutes)}"
    return text if exam.base else f"Full · {text}"


def full_profiles() -> tuple[ExamProfile, ...]:
    """The exams the set-up offers, current first (`built_in()` without the shorter ones)."""
    return tuple(p for p in built_in() if not p.base)


def lengths_of(profile: ExamProfile) -> tuple[ExamProfile, ...]:
    """The exam at full length, then its shorter exams (as `built_in()` lists them)."""
    return tuple(p for p in built_in() if p.full_id == profile.id)


def exam_groups(profile: ExamProfile) -> tuple[str, ...]:
    """The kind groups an exam of `profile` can draw."""
    return tuple(g for g, kinds in KIND_GROUPS.items() if set(kinds) & set(profile.kinds))


class ProfileButton(RadioButton):
    """A radio button whose label may take several lines (each under the first)."""

    def _make_label(self, label) -> Content:
        return Content.from_text(label).rstrip()

    def render(self) -> Content:
        style = self.get_visual_style("toggle--label")
        first, *rest = self.label.split("\n")
        parts: list[Content | str] = [self._button, first.pad(1, 1).stylize_before(style)]
        for line in rest:  # under the first line's text (spaces at a line's start would go)
            parts += ["\n", "\u00a0" * 3, line.pad(1, 1).stylize_before(style)]
        return Content.assemble(*parts)

    def get_content_width(self, container, viewport) -> int:
        widest = max(len(line) for line in self.label.plain.split("\n"))
        return self._button.cell_length + 2 + widest

    def get_content_height(self, container, viewport, width: int) -> int:
        return self.label.plain.count("\n") + 1


def practice_right(header: AttemptHeader) -> int:
    """Questions right, from the scaled score (exact for the lengths quizzes have)."""
    if header.score is None or header.question_count == 0:
        return 0
    return round((header.score - 100) * header.question_count / 900)


def exam_code(header: AttemptHeader) -> str:
    """The exam's code when it is not the default profile's ("MLS-C01"), else ""."""
    profile = profile_by_name(header.profile)
    if header.mode != "exam" or profile is None or profile.full_id == default_profile().id:
        return ""
    return profile.code


def attempt_option(header: AttemptHeader, now: datetime, tz) -> Option:
    """One attempt in the list: to resume (answered, time left) or to review (its score).
    An exam of another profile than the default names it (its code is literal text)."""
    count = header.question_count
    code = exam_code(header)
    named: list[Content | str] = [code, markup(" · ")] if code else []
    if not header.finished:
        left = ""
        if header.remaining_s is not None:
            left = f" · {clock_text(header.remaining_s)} left"
        started = when(header.started_at, now, tz)
        text = assemble(
            markup(f"[b]▶[/b] {header.answered}/{count} answered{left}\n  "),
            *named,
            markup(f"[dim]started {started}[/dim]"),
        )
        return Option(text, id=f"resume:{header.attempt_id}")
    finished = when(header.finished_at or header.started_at, now, tz)
    if header.mode == "exam":
        if header.passed:
            mark, verdict = "[b $text-success]✓[/]", "pass"
        else:
            mark, verdict = "[b $text-error]✗[/]", "fail"
        text = assemble(
            markup(f"{mark} [b]{header.score or 0:.0f}[/b] {verdict} · "),
            *named,
            markup(f"{count} q [dim]· {finished}[/dim]"),
        )
    else:
        text = markup(f"[b]•[/b] {practice_right(header)}/{count} right [dim]· {finished}[/dim]")
    return Option(text, id=f"review:{header.attempt_id}")


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
            "f",
            "focus('source')",
            "From",
            id="setup.source",
            tooltip="Where a practice quiz's questions come from: the bank or your record",
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
        self.profiles = full_profiles()  # the exams offered, current first
        self.profile = default_profile()  # the exam chosen (its domains fill the scope list)
        self.length_slots = max(len(lengths_of(p)) for p in self.profiles)
        self.scope_for: tuple[str, str] | None = None  # (mode, profile) the scope list shows
        self.profile_width: int | None = None  # the exams' labels are wrapped to this width

    def compose(self) -> ComposeResult:
        exam = self.mode == "exam"
        with Horizontal(id="setup-top"):
            with VerticalScroll(id="setup-form", classes="panel", can_focus=False):
                with RadioSet(id="mode", compact=True):
                    yield RadioButton("Practice", value=not exam, id="mode-practice")
                    yield RadioButton("Exam", value=exam, id="mode-exam")
                with Vertical(id="exam-options"):
                    yield Label("Exam", classes="setup-label")
                    with RadioSet(id="profile", compact=True):
                        for i, p in enumerate(self.profiles):
                            yield ProfileButton(
                                literal(p.code),  # its lines once the width is known
                                value=p.id == self.profile.id,
                                id=f"profile-{i}",
                            )
                    yield Label("Length", classes="setup-label")
                    with RadioSet(id="length", compact=True):
                        for i in range(self.length_slots):
                            yield RadioButton("", value=i == 0, id=f"length-{i}")
                        yield RadioButton("Custom length", id="length-custom")
                    with Horizontal(id="custom-row", classes="count-row"):
                        yield Label("Questions", classes="count-label")
                        yield CountInput(
                            str(CUSTOM_COUNT), id="custom-count", restrict=r"\d{0,3}", compact=True
                        )
                        yield Label("", id="custom-hint", classes="count-hint")
                with Horizontal(id="count-row", classes="count-row"):
                    yield Label("Questions", classes="count-label")
                    yield CountInput(
                        str(PRACTICE_COUNT), id="count", restrict=r"\d{0,3}", compact=True
                    )
                with Vertical(id="source-options"):
                    yield Label("From", classes="setup-label")
                    with RadioSet(id="source", compact=True):
                        for i, name in enumerate(SOURCES):
                            label = SOURCE_LABELS[name]
                            yield RadioButton(label, value=i == 0, id=f"source-{name}")
                    with Horizontal(id="last-row"):
                        yield Label("last", id="last-label")
                        with RadioSet(id="last", compact=True):
                            for i, n in enumerate(LAST_CHOICES):
                                label = last_label(n)
                                yield RadioButton(label, value=i == 1, id=f"last-{label}")
                yield Label("Kinds", classes="setup-label")
                for group in KIND_GROUPS:
                    label = KIND_CHOICES.get(group, KIND_GROUP_LABELS[group])
                    yield Checkbox(label, True, id=f"kind-{group}", compact=True)
                yield Static("Loading the banks…", id="matching")
                yield Button("Start (s)", id="start", variant="primary", compact=True)
            with Vertical(id="setup-right"):
                scope = SelectionList[str](id="scope", compact=True)
                scope.border_subtitle = "none = all"
                yield scope
                attempts = OptionList(id="attempts")
                attempts.border_title = "Attempts"
                yield attempts
        yield AppFooter(compact=True)

    def on_mount(self) -> None:
        self._fit_form()
        self._show_profile()
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

    def _scope_profile(self) -> ExamProfile:
        """Whose domains the scope list shows: the exam chosen, or (practice) the default's."""
        return self.profile if self.mode == "exam" else default_profile()

    def _scope_items(self) -> list[Item]:
        """The questions the scope list counts: every quiz question for practice, the exam
        profile's kinds for an exam."""
        assert self.data is not None
        if self.mode != "exam":
            return list(self.data.items)
        kinds = set(self.profile.kinds)
        return [i for i in self.data.items if i.kind in kinds]

    def _domain_of(self, item: Item) -> str | None:
        """An item's domain as the scope list and the draw see it (see `draw.domain_of`)."""
        return item.domain_in(self.profile.id) if self.mode == "exam" else item.domain

    def _fill_scope(self) -> None:
        """The domains (the exam's, in its order), then the topics, each with its number of
        questions; names too long for the list are cut (with …) so the numbers stay in view.
        Ticked topics stay ticked; a domain of another exam is dropped."""
        assert self.data is not None
        items = self._scope_items()
        profile = self._scope_profile()
        scope = self.query_one("#scope", SelectionList)
        scope.border_title = literal(f"{profile.code} domains, then topics")
        order = [d for d, _ in profile.domain_weights]
        found = {d for d in map(self._domain_of, items) if d}
        domains = [d for d in order if d in found or self.mode == "exam"]
        domains += sorted(found - set(order))  # practice: a domain the profile does not name
        topics = sorted({i.topic for i in self.data.items}, key=topic_label)
        width = max([len(domain_label(d)) for d in domains] + [len(topic_label(t)) for t in topics])
        room = self.scope_room = self._scope_room()
        if room is not None:
            width = max(6, min(width, room - 4))  # a space and the count after the name

        def fit(name: str) -> str:
            return name if len(name) <= width else name[: width - 1] + "…"

        count: dict[tuple[str, str], int] = {}
        for item in items:
            domain = self._domain_of(item)
            if domain:
                count[("domain", domain)] = count.get(("domain", domain), 0) + 1
            count[("topic", item.topic)] = count.get(("topic", item.topic), 0) + 1
        picked = set(scope.selected)
        highlighted = scope.highlighted
        scope.clear_options()
        for d in domains:
            label = f"{fit(domain_label(d)):<{width}} {count.get(('domain', d), 0):>3}"
            value = f"domain:{d}"
            scope.add_option((Text(label, "bold"), value, value in picked))
        for t in topics:
            label = f"{fit(topic_label(t)):<{width}} {count.get(('topic', t), 0):>3}"
            value = f"topic:{t}"
            scope.add_option((Text(label), value, value in picked))
        if highlighted is not None and scope.option_count:
            scope.highlighted = min(highlighted, scope.option_count - 1)
        self.scope_for = (self.mode, profile.id)

    def _refill_scope(self) -> None:
        """After a change of mode or exam: the scope list shows the domains now in play."""
        if self.data is not None and self.scope_for != (self.mode, self._scope_profile().id):
            self._fill_scope()

    def _scope_room(self) -> int | None:
        """The cells a name and its count have in the list (None before it is laid out)."""
        scope = self.query_one("#scope", SelectionList)
        if not scope.size.width:
            return None
        toggle = 4  # the check box and a space
        return scope.size.width - scope.styles.scrollbar_size_vertical - toggle

    def on_resize(self, event: events.Resize) -> None:
        self._fit_form()
        self.call_after_refresh(self._refit_scope)

    def _fit_form(self) -> None:
        """A narrower form below NARROW columns; the exams' labels wrapped to fit it."""
        narrow = self.app.size.width < NARROW
        if narrow == self.has_class("-narrow") and self.profile_width is not None:
            return
        self.set_class(narrow, "-narrow")
        self.profile_width = NARROW_PROFILE_WIDTH if narrow else PROFILE_WIDTH
        default = default_profile()
        for i, profile in enumerate(self.profiles):
            lines = profile_lines(profile, default, self.profile_width)
            self.query_one(f"#profile-{i}", ProfileButton).label = literal("\n".join(lines))

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
        self.query_one("#source-options").display = not exam
        self._show_last()
        self._show_custom()
        self._show_kinds()
        buttons = {"practice": "#mode-practice", "exam": "#mode-exam"}
        radio = self.query_one(buttons[self.mode], RadioButton)
        if not radio.value:
            radio.value = True
        self._refill_scope()
        self._fill_attempts()
        self._show_matching()
        self._keep_focus_visible()

    def _show_profile(self) -> None:
        """The lengths of the exam chosen (full, then shorter; the others hidden) and the
        custom length's range."""
        lengths = lengths_of(self.profile)
        for i in range(self.length_slots):
            button = self.query_one(f"#length-{i}", RadioButton)
            there = i < len(lengths)
            button.display = there
            button.disabled = not there
            if there:
                button.label = length_choice(lengths[i])
        pressed = self.query_one("#length", RadioSet).pressed_button
        if pressed is None or pressed.disabled:
            self.query_one("#length-0", RadioButton).value = True
        hint = f"1 to {self.profile.questions}"
        self.query_one("#custom-hint", Label).update(hint)
        self._show_kinds()
        self._refill_scope()

    def _show_kinds(self) -> None:
        """Every kind for practice; for an exam, only its profile's."""
        offered = exam_groups(self.profile) if self.mode == "exam" else tuple(KIND_GROUPS)
        for group in KIND_GROUPS:
            box = self.query_one(f"#kind-{group}", Checkbox)
            box.display = group in offered
            box.disabled = group not in offered

    def _keep_focus_visible(self) -> None:
        """If the focused field was just hidden (the other mode's), focus Start."""
        focused = self.focused
        if focused is not None and not all(n.display for n in focused.ancestors_with_self):
            self.query_one("#start").focus()

    def _show_custom(self) -> None:
        custom = self.query_one("#length-custom", RadioButton).value
        self.query_one("#custom-row").display = self.mode == "exam" and custom

    def action_switch_mode(self) -> None:
        self.mode = "exam" if self.mode == "practice" else "practice"
        self._show_mode()
        self.refresh_bindings()

    @on(RadioSet.Changed, "#mode")
    def _mode_changed(self, event: RadioSet.Changed) -> None:
        mode = "exam" if event.pressed.id == "mode-exam" else "practice"
        if mode != self.mode:
            self.mode = mode
            self._show_mode()
            self.refresh_bindings()

    @on(RadioSet.Changed, "#profile")
    def _profile_changed(self, event: RadioSet.Changed) -> None:
        self.profile = self.profiles[event.index]
        self._show_profile()
        self._show_matching()
        self._keep_focus_visible()

    def _show_last(self) -> None:
        """The last-N choice shows with "missed lately" only."""
        self.query_one("#last-row").display = self.source == "missed" and self.mode != "exam"

    @property
    def source(self) -> str:
        return SOURCES[max(0, self.query_one("#source", RadioSet).pressed_index)]

    @property
    def last(self) -> int | None:
        return LAST_CHOICES[max(0, self.query_one("#last", RadioSet).pressed_index)]

    @on(RadioSet.Changed, "#source")
    @on(RadioSet.Changed, "#last")
    def _source_changed(self) -> None:
        self._show_last()
        self._show_matching()
        self._keep_focus_visible()

    @on(RadioSet.Changed, "#length")
    def _length_changed(self) -> None:
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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The source key works in practice only (an exam draws from the whole bank)."""
        if action == "focus" and parameters == ("source",):
            return self.mode != "exam"
        return True

    def read_form(self, seed: int | None = None) -> QuizSetup:
        """The set-up the form describes; QuizappError with a one-line reason if it is not one."""
        exam = self.mode == "exam"
        offered = exam_groups(self.profile) if exam else tuple(KIND_GROUPS)
        kinds = [g for g in offered if self.query_one(f"#kind-{g}", Checkbox).value]
        if not kinds:
            raise QuizappError("tick at least one kind of question")
        picked = self.query_one("#scope", SelectionList).selected
        topics = [v.split(":", 1)[1] for v in picked if v.startswith("topic:")]
        domains = [v.split(":", 1)[1] for v in picked if v.startswith("domain:")]
        if not exam:
            count = _whole(self.query_one("#count", Input).value)
            if count is None or count < 1:
                raise QuizappError("type how many questions (1 or more)")
            source = self.source
            last = self.last if source == "missed" else None
            return QuizSetup.practice(
                count,
                topics=topics,
                domains=domains,
                kinds=kinds,
                seed=seed,
                source=source,
                last=last,
            )
        index = self.query_one("#length", RadioSet).pressed_index
        lengths = lengths_of(self.profile)
        if 0 <= index < len(lengths):
            profile = lengths[index]
        else:
            count = _whole(self.query_one("#custom-count", Input).value)
            most = self.profile.questions
            if count is None or not 1 <= count <= most:
                raise QuizappError(f"a custom {self.profile.code} exam has 1 to {most} questions")
            profile = custom_exam(count, self.profile)
        return QuizSetup.exam(profile, topics=topics, domains=domains, kinds=kinds, seed=seed)

    def source_pick(self, setup: QuizSetup) -> Pick:
        """What the set-up's source allows, from the record read with the banks."""
        assert self.data is not None
        data = self.data

        def label(name: str) -> str:
            return topic_label(name) if setup.source == "weak_topic" else domain_label(name)

        return pick(
            setup.source,
            eligible(data.items, setup),
            data.record,
            last=setup.last,
            topic_mastery=data.topic_mastery,
            domain_mastery=data.domain_mastery,
            label=label,
        )

    def pool(self, setup: QuizSetup) -> list[Item]:
        """The questions the set-up can draw (an exam's: only those in its domains; a
        practice quiz's: only those its source allows)."""
        assert self.data is not None
        found = eligible(self.data.items, setup)
        if setup.profile is None:
            return self.source_pick(setup).restrict(found)
        weights = setup.profile.weights()
        return [i for i in found if domain_of(i, setup) in weights]

    def _show_matching(self) -> None:
        matching = self.query_one("#matching", Static)
        if self.data is None:
            return
        try:
            setup = self.read_form()
        except QuizappError as err:
            matching.update(assemble((str(err), "$text-warning")))
            return
        n = len(self.pool(setup))
        what = self.source_pick(setup).what if setup.source != "all" else ""
        if n == 0 and what:
            matching.update(assemble((f"No questions {what} match.", "$text-warning")))
        elif n == 0:
            matching.update("[$text-warning]No questions match: tick more topics or kinds.[/]")
        elif what and n < setup.count:
            matching.update(
                assemble((f"Only {n} {what}", "$text-warning"), f": the quiz will have {n}.")
            )
        elif what:
            matching.update(assemble(f"{n} {what} · {setup.count} drawn"))
        elif n < setup.count:
            what = "exam" if setup.profile is not None else "quiz"
            matching.update(f"[$text-warning]Only {n} match[/]: the {what} will have {n}.")
        elif setup.profile is not None:
            exam = setup.profile
            minutes = clock_text(exam.time_limit_s)
            matching.update(
                f"{n} match · {exam.questions} q in {minutes}\n"
                f"{exam.scored} scored · pass at {exam.pass_score}"
            )
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
        if not self.pool(setup):
            what = self.source_pick(setup).what if setup.source != "all" else ""
            self.app.notify(
                f"No questions {what} match this set-up."
                if what
                else "No questions match: tick more topics, domains or kinds.",
                title="Cannot start yet",
                severity="warning",
                markup=False,
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
