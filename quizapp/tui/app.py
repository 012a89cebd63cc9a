"""The quizapp Textual app: the shell that owns the study thread, the keys and the themes.

Screens ask for progress with `on_study` (quizapp.tui.screens.base): the call runs on the
study thread from a Textual worker and its result goes to a callback on the event loop. Any
failure of the core opens an error dialog (never a traceback) and, for answers, keeps them
queued for a retry.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.screen import Screen

from quizapp.clock import Clock, SystemClock
from quizapp.tui.keys import APP_BINDINGS
from quizapp.tui.runner import StudyRunner, Write
from quizapp.tui.screens.base import on_study
from quizapp.tui.screens.dashboard import DashboardScreen
from quizapp.tui.screens.dialogs import ErrorDialog, describe

if TYPE_CHECKING:
    from quizapp.collection import Collection
    from quizapp.settings import Settings

DARK, LIGHT = "textual-dark", "textual-light"


class QuizApp(App[None]):
    """Dashboard, flashcard review and computed practice over one `Collection`."""

    CSS_PATH = "app.tcss"
    TITLE = "quizapp"
    BINDINGS: ClassVar[list[BindingType]] = APP_BINDINGS  # in quizapp.tui.keys, for the help

    def __init__(
        self,
        open_study: Callable[[], Collection],
        *,
        clock: Clock | None = None,
        seed: int | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        keymap: dict[str, str] | None = None,
        keymap_problem: str | None = None,
        bank_errors: Callable[[], Sequence[str]] | None = None,
        study: str | None = None,
        start: str | None = None,
    ) -> None:
        """`open_study` runs on the study thread (it may load banks, migrate, sync);
        `clock` gives "now" and the zone for what is shown (pass the Collection's clock),
        `seed` makes practice variants reproducible, `monotonic` times answers,
        `keymap_problem` says why the learner's keymap (or an entry of it, a line each) was
        ignored, and `bank_errors` (asked once the study is open) lists learner bank files
        left out."""
        super().__init__()
        self.runner = StudyRunner(open_study)
        self.study_clock: Clock = clock or SystemClock()
        self.rng = random.Random(seed)
        self.monotonic = monotonic
        self.settings: Settings | None = None
        self.unsaved: tuple[Write, ...] = ()
        self.bank_errors = bank_errors
        self.keymap_problem = keymap_problem
        self.fatal: str | None = None  # why the database could not be opened at all
        self.study_name = study  # `--study`: open straight into review of this bank or topic
        self.start = start  # "class_report": open straight into the instructor's report
        if keymap:
            self.set_keymap(keymap)

    def clock(self) -> datetime:
        """Now, as the study sees it (UTC)."""
        return self.study_clock.now()

    @property
    def tz(self) -> tzinfo:
        """The zone times are shown in."""
        return self.study_clock.local_zone()

    def get_default_screen(self) -> Screen:
        return DashboardScreen()

    def on_ready(self) -> None:
        """The first frame is up: now open the database and warm up what comes next."""
        self.load_settings()
        self.warm_up()
        if self.study_name is not None:
            self.open_study(self.study_name)
        if self.start == "class_report":
            from quizapp.tui.screens.class_report import ClassReportScreen

            self.push_screen(ClassReportScreen())
        if self.keymap_problem:
            self.notify(
                self.keymap_problem,
                title=(
                    "Part of your keymap was ignored: those keys are the default ones"
                    if self._keymap
                    else "Your keymap was ignored: the default keys are in use"
                ),
                severity="warning",
                timeout=15,
                markup=False,
            )

    def _report_bank_errors(self) -> None:
        errors = tuple(self.bank_errors()) if self.bank_errors else ()
        if errors:
            shown = "\n".join(errors[:3])
            more = len(errors) - 3
            self.notify(
                shown + (f"\n… and {more} more (quizapp content check)" if more > 0 else ""),
                title="Some of your bank files were skipped",
                severity="warning",
                timeout=15,
                markup=False,
            )

    async def on_unmount(self) -> None:
        self.unsaved = self.runner.close()

    # -- the study thread ------------------------------------------------------------------

    def study_failed(
        self, what: str, error: BaseException, retry: Callable[[], object] | None = None
    ) -> None:
        """Show one error dialog for a failed call to the core; `retry` runs it again.

        If the database could not even be opened, there is nothing to show: the app exits
        and `quizapp` prints the one-line reason.
        """
        if not self.runner.opened:
            self.fatal = describe(error)
            self.exit(return_code=2)
            return
        if isinstance(self.screen, ErrorDialog):
            return
        if what == "save your answer":
            kept = "Your answer was not saved and does not count yet: r tries again."
        else:
            queued = self.runner.unsaved
            kept = "; ".join(w.what for w in queued)
            kept = f"Kept, and saved on the next try: {kept}." if queued else ""
        self.push_screen(ErrorDialog(what, error, kept=kept, retry=retry))

    def load_settings(self) -> None:
        on_study(
            self,
            "open your progress",
            lambda study: study.settings.current(),
            self._settings_loaded,
            retry=self.load_settings,
            group="settings",
        )

    def _settings_loaded(self, settings: Settings) -> None:
        self.settings = settings
        self._report_bank_errors()
        if settings.theme in self.available_themes and settings.theme != self.theme:
            self.theme = settings.theme

    def watch_theme(self, theme: str) -> None:
        """Remember a theme the learner picks (here or in the palette's theme list)."""
        if self.settings is not None and theme != self.settings.theme:
            from dataclasses import replace

            self.settings = replace(self.settings, theme=theme)
            self.save_theme(theme)

    def save_theme(self, theme: str) -> None:
        def save(study: Collection) -> None:
            from dataclasses import replace

            study.settings.save(replace(study.settings.current(), theme=theme))

        on_study(
            self,
            "save the theme",
            save,
            lambda _saved: None,
            retry=lambda: self.save_theme(theme),
            group="settings",
        )

    @work(thread=True, group="warm-up", exit_on_error=False)
    def warm_up(self) -> None:
        """Import the review and practice screens (and NumPy) while the learner reads."""
        import engine.problems  # noqa: F401
        import quizapp.tui.screens.practice
        import quizapp.tui.screens.review  # noqa: F401

    # -- actions ---------------------------------------------------------------------------

    def open_study(self, name: str) -> None:
        """Review only the bank or topic `name` (`--study`), straight from the start."""

        def choose(study: Collection) -> bool:
            choice = study.reviews.find_study(name)
            if choice is not None:
                study.reviews.study(choice)
            return choice is not None

        def then(found: bool) -> None:
            if found:
                self.action_review()
            else:
                self.notify(f"Nothing to study called {name!r}", severity="warning")

        on_study(self, f"open {name} for review", choose, then)

    def action_review(self) -> None:
        from quizapp.tui.screens.review import ReviewScreen

        self._to_dashboard()
        self.push_screen(ReviewScreen())

    def action_practice(self) -> None:
        from quizapp.tui.screens.practice import PracticeScreen

        self._to_dashboard()
        self.push_screen(PracticeScreen())

    def action_quiz(self) -> None:
        from quizapp.tui.screens.quiz_setup import QuizSetupScreen

        self._to_dashboard()
        self.push_screen(QuizSetupScreen(mode="practice"))

    def action_exam(self) -> None:
        from quizapp.tui.screens.quiz_setup import QuizSetupScreen

        self._to_dashboard()
        self.push_screen(QuizSetupScreen(mode="exam"))

    def action_stats(self) -> None:
        from quizapp.tui.screens.stats import StatsScreen

        self._to_dashboard()
        self.push_screen(StatsScreen())

    def action_browse(self) -> None:
        from quizapp.tui.screens.browse import BrowseScreen

        self._to_dashboard()
        self.push_screen(BrowseScreen())

    def action_settings(self) -> None:
        from quizapp.tui.screens.settings import SettingsScreen

        self._to_dashboard()
        self.push_screen(SettingsScreen())

    def action_help(self) -> None:
        from quizapp.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    async def action_back(self) -> None:
        if len(self.screen_stack) > 1:
            self.pop_screen()

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT if self.current_theme.dark else DARK  # saved by watch_theme

    def deliver_screenshot(
        self,
        filename: str | None = None,
        path: str | None = None,
        time_format: str | None = None,
    ) -> str | None:
        """Save a screenshot (the palette's "Screenshot", `app.screenshot`) into the data
        directory rather than ~/Downloads, which may not exist; the current folder if the data
        directory cannot be made. Textual's notification names the file."""
        if path is None:
            from quizapp.paths import data_dir

            try:
                data_dir().mkdir(parents=True, exist_ok=True)
                path = str(data_dir())
            except OSError:
                path = "."
        return super().deliver_screenshot(filename, path, time_format)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand("Review flashcards", "Grade today's due cards", self.action_review)
        yield SystemCommand(
            "Practice problems", "Computed neural-network problems", self.action_practice
        )
        yield SystemCommand("Quiz", "Questions with feedback after each", self.action_quiz)
        yield SystemCommand(
            "Exam simulation", "Timed exam; resume or review attempts", self.action_exam
        )
        yield SystemCommand("Stats", "Charts of reviews, retention and mastery", self.action_stats)
        yield SystemCommand("Browse", "Search the banks; suspend or reset", self.action_browse)
        yield SystemCommand("Settings", "Retention, limits, exam date, theme", self.action_settings)
        yield SystemCommand("Help", "Every key, per screen", self.action_help)
        yield SystemCommand(
            "Light / dark", "Switch between the light and dark theme", self.action_toggle_theme
        )
        if len(self.screen_stack) > 1:
            yield SystemCommand("Dashboard", "Back to the dashboard", self._to_dashboard)
        yield from super().get_system_commands(screen)

    def _to_dashboard(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()
