"""Every key, per screen, read from the screens' own bindings (so it cannot drift)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Static

from quizapp.tui.styles import styles


def _rows(app, bindings: list[Binding]) -> list[tuple[str, str]]:
    rows: dict[str, list[str]] = {}
    for binding in bindings:
        if not binding.description:
            continue
        key = app._keymap.get(binding.id, binding.key) if binding.id else binding.key
        keys = [app.get_key_display(binding.with_key(k.strip())) for k in key.split(",")]
        label = binding.tooltip or binding.description
        rows.setdefault(label, []).extend(keys)
    return [(" / ".join(dict.fromkeys(keys)), label) for label, keys in rows.items()]


def help_sections(app) -> list[tuple[str, list[tuple[str, str]]]]:
    """(title, [(keys, what)]) for the app and each screen, in the order a learner meets them."""
    import importlib

    everywhere = [
        *_rows(app, list(Binding.make_bindings(type(app).BINDINGS))),
        (app.get_key_display(Binding("ctrl+p", "")), "Command palette: every action by name"),
    ]
    sections = [("Everywhere", everywhere)]
    for title, (module, name) in SCREENS.items():
        screen = getattr(importlib.import_module(f"quizapp.tui.screens.{module}"), name)
        sections.append((title, _rows(app, list(Binding.make_bindings(screen.BINDINGS)))))
    return sections


# Help title -> (module under quizapp.tui.screens, screen class), in the order a learner meets them.
SCREENS: dict[str, tuple[str, str]] = {
    "Dashboard": ("dashboard", "DashboardScreen"),
    "Flashcard review": ("review", "ReviewScreen"),
    "Computed practice": ("practice", "PracticeScreen"),
    "Quiz and exam set-up": ("quiz_setup", "QuizSetupScreen"),
    "Quiz and exam questions": ("quiz", "QuizScreen"),
    "Results and review": ("results", "ResultsScreen"),
    "Stats": ("stats", "StatsScreen"),
    "Browse": ("browse", "BrowseScreen"),
    "Settings": ("settings", "SettingsScreen"),
}


class HelpScreen(ModalScreen[None]):
    """All keys, per screen; the screen it was opened from comes first."""

    CSS_PATH = styles(["dialogs.tcss"])

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark", "dismiss_help", "Close", id="help.close")
    ]

    def __init__(self, opened_from: Screen | None = None) -> None:
        super().__init__()
        self.opened_from = opened_from

    def compose(self) -> ComposeResult:
        sections = help_sections(self.app)
        current = type(self.opened_from).__name__ if self.opened_from else ""
        order = {name: title for title, (_, name) in SCREENS.items()}.get(current)
        sections.sort(key=lambda s: (s[0] != order, s[0] != "Everywhere"))
        width = max(len(k) for _, rows in sections for k, _ in rows)
        with VerticalScroll(id="help-box") as box:
            box.border_title = "Keys"
            for title, rows in sections:
                lines = [f"[b]{title}[/b]"]
                lines += [f"  [b $accent]{keys:<{width}}[/]  {what}" for keys, what in rows]
                yield Static("\n".join(lines), classes="help-section")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#help-box").focus()  # arrows and page keys scroll

    def action_dismiss_help(self) -> None:
        self.dismiss()


def binding_ids() -> frozenset[str]:
    """Every binding id a keymap may rebind: the app's and each registered screen's."""
    import importlib

    from quizapp.tui.app import QuizApp

    bindings = list(Binding.make_bindings(QuizApp.BINDINGS))
    for module, name in SCREENS.values():
        screen = getattr(importlib.import_module(f"quizapp.tui.screens.{module}"), name)
        bindings += Binding.make_bindings(screen.BINDINGS)
    return frozenset(b.id for b in bindings if b.id)
