"""Settings: retention, daily limits, rollover hour, exam date, study time, leeches, theme,
and the FSRS parameters.

Saved in the database with `SettingsService.save` and applied at once (the study schedules
with them from the next call; the theme switches as it is chosen). Each field is checked
before saving, with a one-line message naming what is wrong.

Below the form: the FSRS parameters in use (the defaults, or a set fitted to the learner's
reviews), ctrl+o "optimize now" (runs on the study thread with a progress bar while the
screen stays live; the result in one line), a suggestion to run it after every 1,000 new
reviews since the last run, and ctrl+r back to the default parameters.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, ProgressBar, Select, Static

from quizapp.settings.model import NEW_CARD_ORDERS
from quizapp.tui.screens.base import QuizAppScreen
from quizapp.tui.styles import styles
from quizapp.tui.widgets.app_footer import AppFooter
from quizapp.tui.widgets.scrolling import ScrollBox, scroll_bindings, scroll_box

if TYPE_CHECKING:
    from quizapp.collection import Collection
    from quizapp.scheduling.optimize import OptimizeResult, OptimizeStatus
    from quizapp.settings import Settings

DARK, LIGHT = "textual-dark", "textual-light"
MAX_PER_DAY = 9999


@dataclass(frozen=True, slots=True)
class Field:
    id: str
    label: str
    hint: str


FIELDS = (
    Field("retention", "Desired retention", "0.70–0.99; higher: shorter intervals"),
    Field("new-per-day", "New cards per day", "0–9999 new flashcards a day"),
    Field("new-order", "New card order", "which new cards come first"),
    Field("reviews-per-day", "Reviews per day", "0–9999 reviews a day at most"),
    Field("rollover", "Day rollover hour", "0–23: when a new study day starts"),
    Field("exam-date", "Exam date", "YYYY-MM-DD, empty for none"),
    Field("study-minutes", "Study minutes a day", "1–1440: the exam plan's daily budget"),
    Field("missed-cards", "Missed questions", "a question answered wrong comes back"),
    Field("leech-action", "Leech action", "a card you keep forgetting"),
    Field("theme", "Theme", "switches as you choose"),
)
LEECH_CHOICES = (("Tag it, keep showing", "tag"), ("Suspend it", "suspend"))
MISSED_CHOICES = (("Become review cards", "yes"), ("Stay in the quiz only", "no"))
NEW_ORDER_CHOICES = (
    ("Mixed banks and kinds", "mixed"),
    ("Bank order", "bank"),
    ("By topic", "topic"),
)


class FieldSelect(Select[str]):
    """A drop-down of the form: up and down move between fields like in the boxes (enter or
    space opens it; inside it, up and down pick)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "app.focus_next", "Next", show=False, id="settings.next"),
        Binding("up", "app.focus_previous", "Previous", show=False, id="settings.previous"),
    ]


class FormScroll(ScrollBox):
    """The form's scroll box, with no keys of its own: up and down move between the fields
    even when the form is taller than the terminal (the box scrolls to the focused field),
    and the screen's scroll keys (`scroll_bindings`) page it."""


class FormError(ValueError):
    """A field that cannot be saved: which one, and a one-line reason."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _whole(field: str, label: str, text: str, low: int, high: int) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise FormError(field, f"{label} must be a whole number from {low} to {high}.") from None
    if not low <= value <= high:
        raise FormError(field, f"{label} must be from {low} to {high}, not {value}.")
    return value


def parse_form(values: dict[str, str], base: Settings, today: date) -> Settings:
    """The settings the form describes (over `base`); FormError for the first bad field.

    `today` is the learner's local date: an exam date before it is refused."""
    text = values["retention"].strip().rstrip("%")
    try:
        retention = float(text)
    except ValueError:
        raise FormError(
            "retention", "Desired retention must be a number from 0.70 to 0.99."
        ) from None
    if values["retention"].strip().endswith("%") or retention > 1:
        retention /= 100  # "90" or "90%" means 0.90
    if not 0.70 <= retention <= 0.99:
        raise FormError("retention", "Desired retention must be from 0.70 to 0.99 (e.g. 0.90).")
    new = _whole("new-per-day", "New cards per day", values["new-per-day"], 0, MAX_PER_DAY)
    reviews = _whole(
        "reviews-per-day", "Reviews per day", values["reviews-per-day"], 0, MAX_PER_DAY
    )
    rollover = _whole("rollover", "The rollover hour", values["rollover"], 0, 23)
    exam: date | None = None
    raw = values["exam-date"].strip()
    if raw:
        try:
            exam = date.fromisoformat(raw)
        except ValueError:
            raise FormError(
                "exam-date", "The exam date must be written YYYY-MM-DD (e.g. 2026-09-30)."
            ) from None
        if exam < today and exam != base.exam_date:
            raise FormError("exam-date", f"The exam date cannot be in the past (today is {today}).")
    leech = values["leech-action"]
    if leech not in ("tag", "suspend"):
        raise FormError("leech-action", "The leech action must be tag or suspend.")
    minutes = _whole("study-minutes", "Study minutes a day", values["study-minutes"], 1, 1440)
    missed = values.get("missed-cards") or ("yes" if base.missed_questions_become_cards else "no")
    if missed not in ("yes", "no"):
        raise FormError("missed-cards", "Missed questions must become cards or not (yes/no).")
    order = values.get("new-order") or base.new_card_order
    if order not in NEW_CARD_ORDERS:
        raise FormError("new-order", "The new card order must be mixed, bank or topic.")
    return replace(
        base,
        desired_retention=round(retention, 4),
        new_per_day=new,
        reviews_per_day=reviews,
        rollover_hour=rollover,
        exam_date=exam,
        study_minutes_per_day=minutes,
        missed_questions_become_cards=missed == "yes",
        leech_action=leech,  # type: ignore[arg-type]
        new_card_order=order,  # type: ignore[arg-type]
        theme=values["theme"] or base.theme,
    )


def form_values(settings: Settings) -> dict[str, str]:
    """What the form shows for `settings`."""
    return {
        "retention": f"{settings.desired_retention:.2f}",
        "new-per-day": str(settings.new_per_day),
        "reviews-per-day": str(settings.reviews_per_day),
        "rollover": str(settings.rollover_hour),
        "exam-date": settings.exam_date.isoformat() if settings.exam_date else "",
        "study-minutes": str(settings.study_minutes_per_day),
        "missed-cards": "yes" if settings.missed_questions_become_cards else "no",
        "leech-action": settings.leech_action,
        "new-order": settings.new_card_order,
        "theme": settings.theme,
    }


class SettingsScreen(QuizAppScreen[None]):
    """One form; ctrl+s (or enter in a box) saves everything."""

    CSS_PATH = styles(["settings.tcss"])
    # below 80 columns each hint goes under its box (beside it, it would be cut)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (80, "-wide")]  # noqa: RUF012 (Textual's)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s",
            "save",
            "Save",
            priority=True,
            id="settings.save",
            tooltip="Save and apply the settings (enter in a box does too)",
        ),
        Binding(
            "down", "app.focus_next", "Next", show=False, id="settings.next", tooltip="Next field"
        ),
        Binding(
            "up",
            "app.focus_previous",
            "Previous",
            show=False,
            id="settings.previous",
            tooltip="Previous field",
        ),
        Binding(
            "f1",
            "app.help",
            "Help",
            priority=True,
            id="settings.help",
            tooltip="Every key (? types into the boxes here)",
        ),
        Binding(
            "escape",
            "back",
            "Back",
            id="settings.back",
            tooltip="Back to the dashboard (asks first if not saved)",
        ),
        Binding(
            "ctrl+o",
            "optimize",
            "Optimize",
            priority=True,
            id="settings.optimize",
            tooltip="Fit the FSRS parameters to your own reviews now",
        ),
        Binding(
            "ctrl+r",
            "reset_parameters",
            "Default FSRS",
            priority=True,
            id="settings.reset_parameters",
            tooltip="Go back to the default FSRS parameters",
        ),
        # up and down move between the fields (each scrolls into view as it is focused);
        # in a box home and end move the cursor, on a drop-down they scroll the form
        *scroll_bindings("settings", "form", lines=None),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.settings: Settings | None = None  # as stored
        self.leaving = False  # escape pressed once with unsaved changes
        self.stored_theme: str | None = None  # shown again if a previewed one is not saved
        self.fsrs: OptimizeStatus | None = None  # the parameters in use, the suggestion
        self.optimizing = False  # an optimization is running

    def compose(self) -> ComposeResult:
        themes = sorted(self.app.available_themes)
        themes.sort(key=lambda name: (name not in (DARK, LIGHT), name != DARK))
        with FormScroll(id="settings-form", classes="panel") as form:
            form.border_title = "Settings"
            for field in FIELDS:
                with Horizontal(classes="field", id=f"row-{field.id}"):
                    yield Label(field.label, classes="field-label")
                    if field.id == "leech-action":
                        yield FieldSelect(
                            LEECH_CHOICES, allow_blank=False, id=field.id, compact=True
                        )
                    elif field.id == "new-order":
                        yield FieldSelect(
                            NEW_ORDER_CHOICES, allow_blank=False, id=field.id, compact=True
                        )
                    elif field.id == "missed-cards":
                        yield FieldSelect(
                            MISSED_CHOICES, allow_blank=False, id=field.id, compact=True
                        )
                    elif field.id == "theme":
                        yield FieldSelect(
                            [(name, name) for name in themes],
                            allow_blank=False,
                            value=self.app.theme,
                            id=field.id,
                            compact=True,
                        )
                    else:
                        yield Input(id=field.id, compact=True, select_on_focus=True)
                    yield Static(field.hint, classes="field-hint", id=f"hint-{field.id}")
            yield Static("", id="settings-message")
            with Vertical(id="fsrs-panel"):
                yield Static("", id="fsrs-status", markup=False)
                yield ProgressBar(total=1.0, show_eta=False, id="fsrs-progress")
                yield Static("", id="fsrs-result", markup=False)
        yield AppFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#fsrs-progress", ProgressBar).display = False
        self.load()
        self.load_fsrs()

    # -- talking to the study --------------------------------------------------------------

    def load(self) -> None:
        self.on_study(
            "read your settings",
            lambda study: study.settings.current(),
            self._loaded,
            retry=self.load,
            group="settings-screen",
            exclusive=True,
        )

    def save(self, settings: Settings) -> None:
        def save(study: Collection) -> Settings:
            study.settings.save(settings)
            return study.settings.current()

        self.on_study(
            "save your settings",
            save,
            lambda saved: self._loaded(saved, saved=True),
            retry=lambda: self.save(settings),
            group="settings-screen",
            exclusive=True,
        )

    def _loaded(self, settings: Settings, saved: bool = False) -> None:
        self.settings = settings
        self.quiz_app.settings = settings
        self.stored_theme = settings.theme
        self.leaving = False
        if saved:
            self._say("Saved: applied from now on.", "ok")
            return
        values = form_values(settings)
        for field in FIELDS:
            widget = self.query_one(f"#{field.id}")
            if isinstance(widget, Input):
                widget.value = values[field.id]
            elif not isinstance(widget, Select):
                continue
            elif field.id == "theme":
                if values["theme"] in self.app.available_themes:
                    with self.prevent(Select.Changed):
                        widget.value = values["theme"]
            else:
                widget.value = values[field.id]
        self._say("↑ ↓ move between fields · enter or ctrl+s saves and applies", "")
        self.query_one("#retention", Input).focus()

    # -- the FSRS parameters ------------------------------------------------------------------

    def load_fsrs(self) -> None:
        self.on_study(
            "read the FSRS parameters",
            lambda study: study.optimizer.status(),
            self._fsrs_loaded,
            group="settings-fsrs",
        )

    def _fsrs_loaded(self, status: OptimizeStatus) -> None:
        self.fsrs = status
        if status.fitted is None:
            text = "FSRS parameters: the defaults."
        else:
            text = (
                f"FSRS parameters: fitted to your {status.fitted.reviews:,} reviews "
                f"on {status.fitted.fitted_on.isoformat()}."
            )
        if status.suggest:
            text += (
                f" {status.reviews_since:,} new reviews since the last optimization: "
                "ctrl+o optimizes now."
            )
        else:
            text += " ctrl+o optimizes now."
        self.query_one("#fsrs-status", Static).update(text)
        self.query_one("#fsrs-status").set_class(status.suggest, "suggest")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "optimize":
            return self.fsrs is not None and not self.optimizing
        if action == "reset_parameters":
            return self.fsrs is not None and self.fsrs.fitted is not None and not self.optimizing
        return True

    def action_optimize(self) -> None:
        if self.optimizing or self.fsrs is None:
            return
        self.optimizing = True
        self.refresh_bindings()
        bar = self.query_one("#fsrs-progress", ProgressBar)
        bar.display = True
        bar.update(progress=0.0)
        self._progress("starting", 0.0)
        app = self.app

        def progress(what: str, done: float) -> None:
            # from the study thread; never let the bar stop the fit (app or screen gone)
            with suppress(Exception):
                app.call_from_thread(self._progress, what, done)

        self.on_study(
            "optimize the FSRS parameters",
            lambda study: study.optimizer.optimize(progress, isolate=True),
            self._optimized,
            failed=self._optimize_failed,
            group="settings-fsrs",
        )

    def _progress(self, what: str, done: float) -> None:
        if not self.is_mounted:
            return
        self.query_one("#fsrs-progress", ProgressBar).update(progress=done)
        self.query_one("#fsrs-result", Static).update(f"Optimizing: {what}…")

    def _finish_run(self) -> None:
        self.optimizing = False
        self.query_one("#fsrs-progress", ProgressBar).display = False
        self.refresh_bindings()

    def _optimized(self, result: OptimizeResult) -> None:
        self._finish_run()
        line = result.message[:1].upper() + result.message[1:] + "."
        self.query_one("#fsrs-result", Static).update(line)
        self._say(line, "ok" if result.kept else "")
        self.load_fsrs()

    def _optimize_failed(self, err: Exception) -> None:
        self._finish_run()
        line = f"Could not optimize: {str(err).splitlines()[0] if str(err) else type(err).__name__}"
        self.query_one("#fsrs-result", Static).update(line)
        self._say(line, "error")

    def action_reset_parameters(self) -> None:
        if self.optimizing:
            return

        def reset(study: Collection) -> OptimizeStatus:
            study.optimizer.reset()
            return study.optimizer.status()

        def done(status: OptimizeStatus) -> None:
            line = "Back to the default FSRS parameters, from the next card on."
            self.query_one("#fsrs-result", Static).update(line)
            self._say(line, "ok")
            self._fsrs_loaded(status)

        self.on_study("reset the FSRS parameters", reset, done, group="settings-fsrs")

    # -- the form --------------------------------------------------------------------------

    def action_scroll_box(self, how: str) -> None:
        scroll_box(self.query_one("#settings-form", FormScroll), how)

    def _values(self) -> dict[str, str]:
        values = {}
        for field in FIELDS:
            widget = self.query_one(f"#{field.id}")
            value = widget.value if isinstance(widget, Input | Select) else None
            values[field.id] = "" if value is Select.BLANK or value is None else str(value)
        return values

    def _today(self) -> date:
        app = self.quiz_app
        return app.clock().astimezone(app.tz).date()

    def _say(self, text: str, kind: str) -> None:
        message = self.query_one("#settings-message", Static)
        message.update(text)
        message.set_class(kind == "error", "error")
        message.set_class(kind == "ok", "ok")

    def dirty(self) -> bool:
        return self.settings is not None and self._values() != form_values(self.settings)

    @on(Select.Changed, "#theme")
    def _theme_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.app.theme:
            self._show_theme(event.value)  # previewed: saved with the form, undone on leaving

    def _show_theme(self, theme: str) -> None:
        """Switch to `theme` without the app saving it (`QuizApp.watch_theme` saves a theme
        that differs from its settings')."""
        app = self.quiz_app
        if app.settings is not None:
            app.settings = replace(app.settings, theme=theme)
        if theme in app.available_themes:
            app.theme = theme

    def undo_preview(self) -> None:
        """Back to the stored theme if another one is shown and was not saved."""
        if self.stored_theme is not None and self.app.theme != self.stored_theme:
            self._show_theme(self.stored_theme)

    def on_unmount(self) -> None:
        self.undo_preview()

    @on(Input.Changed)
    @on(Select.Changed)
    def _edited(self) -> None:
        for field in FIELDS:
            self.query_one(f"#row-{field.id}").remove_class("invalid")
        self.leaving = False

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        if self.settings is None:
            return
        try:
            settings = parse_form(self._values(), self.settings, self._today())
        except FormError as err:
            self.query_one(f"#row-{err.field}").add_class("invalid")
            self.query_one(f"#{err.field}").focus()
            self._say(str(err), "error")
            return
        self.save(settings)

    def action_back(self) -> None:
        if self.dirty() and not self.leaving:
            self.leaving = True
            self._say("Not saved yet: ctrl+s saves, esc again leaves without saving.", "error")
            return
        self.undo_preview()
        self.app.pop_screen()
