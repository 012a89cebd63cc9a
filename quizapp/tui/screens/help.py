"""Every key, per screen, read from the screens' own bindings (so it cannot drift).

`SCREENS` is the registry: the help screen, `quizapp keys` and the keymap check list exactly
these screens (and the app's own keys, `APP_BINDINGS`). It imports the screens, so nothing a
screen imports may import this module (the key helpers live in quizapp.tui.keys).
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from quizapp.tui.keys import APP_BINDINGS, bound_keys, shown_keys
from quizapp.tui.screens.base import QuizAppModal
from quizapp.tui.screens.browse import BrowseScreen
from quizapp.tui.screens.class_report import ClassReportScreen
from quizapp.tui.screens.dashboard import DashboardScreen
from quizapp.tui.screens.mistakes import MistakesScreen
from quizapp.tui.screens.practice import PracticeScreen
from quizapp.tui.screens.quiz import QuizScreen
from quizapp.tui.screens.quiz_setup import QuizSetupScreen
from quizapp.tui.screens.results import ResultsScreen
from quizapp.tui.screens.review import ReviewScreen
from quizapp.tui.screens.settings import SettingsScreen
from quizapp.tui.screens.stats import StatsScreen
from quizapp.tui.styles import styles
from quizapp.tui.text import Part, assemble, join
from quizapp.tui.widgets.app_footer import AppFooter
from quizapp.tui.widgets.scrolling import ScrollBox, scroll_bindings, scroll_box

__all__ = ["SCREENS", "HelpScreen", "binding_ids", "binding_table", "bound_keys", "shown_keys"]

# Help title -> screen class, in the order a learner meets them.
SCREENS: dict[str, type[Screen[None]]] = {
    "Dashboard": DashboardScreen,
    "Flashcard review": ReviewScreen,
    "Computed practice": PracticeScreen,
    "Quiz and exam set-up": QuizSetupScreen,
    "Quiz and exam questions": QuizScreen,
    "Results and review": ResultsScreen,
    "Stats": StatsScreen,
    "Mistakes": MistakesScreen,
    "Browse": BrowseScreen,
    "Settings": SettingsScreen,
    "Class report (instructor)": ClassReportScreen,
}


def _rows(app: App[object], bindings: list[Binding]) -> list[tuple[str, str]]:
    rows: dict[str, list[str]] = {}
    for binding in bindings:
        if not binding.description:
            continue
        keys = [app.get_key_display(binding.with_key(k)) for k in bound_keys(app, binding)]
        label = binding.tooltip or binding.description
        rows.setdefault(label, []).extend(keys)
    return [(" / ".join(dict.fromkeys(keys)), label) for label, keys in rows.items()]


def help_sections(app: App[object]) -> list[tuple[str, list[tuple[str, str]]]]:
    """(title, [(keys, what)]) for the app and each screen, in the order a learner meets them."""
    everywhere = [
        *_rows(app, list(Binding.make_bindings(type(app).BINDINGS))),
        (app.get_key_display(Binding("ctrl+p", "")), "Command palette: every action by name"),
    ]
    sections = [("Everywhere", everywhere)]
    for title, screen in SCREENS.items():
        sections.append((title, _rows(app, list(Binding.make_bindings(screen.BINDINGS)))))
    return sections


class HelpScreen(QuizAppModal[None]):
    """All keys, per screen; the screen it was opened from comes first."""

    CSS_PATH = styles(["dialogs.tcss"])

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark", "dismiss_help", "Close", id="help.close"),
        *scroll_bindings("help", "keys"),
    ]
    # the help's own keys (not in the keymap: always these), under the list
    SCROLL_KEYS = "↑ ↓ j k pgup pgdn home end scroll"

    def __init__(self, opened_from: Screen | None = None) -> None:
        super().__init__()
        self.opened_from = opened_from

    def compose(self) -> ComposeResult:
        sections = help_sections(self.app)
        current = type(self.opened_from) if self.opened_from else None
        order = next((title for title, screen in SCREENS.items() if screen is current), None)
        sections.sort(key=lambda s: (s[0] != order, s[0] != "Everywhere"))
        width = max(len(k) for _, rows in sections for k, _ in rows)
        with ScrollBox(id="help-box") as box:
            box.border_title = "Keys"
            box.border_subtitle = self.SCROLL_KEYS
            for title, rows in sections:
                # keys come from the learner's keymap ("[" is a key): literal, like bank text
                lines: list[Part] = [(title, "b")]
                lines += [
                    assemble("  ", (f"{keys:<{width}}", "b $accent"), f"  {what}")
                    for keys, what in rows
                ]
                yield Static(join(lines), classes="help-section")
        yield AppFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#help-box").focus()  # arrows and page keys scroll

    def action_scroll_box(self, how: str) -> None:
        scroll_box(self.query_one("#help-box", ScrollBox), how)

    def action_dismiss_help(self) -> None:
        self.dismiss()


def binding_table() -> list[tuple[str, list[Binding]]]:
    """(help title, [binding]) for the app and each registered screen: one binding per id,
    its `key` all its default keys ("u,ctrl+z"), in the order of the help screen."""
    owners = [("Everywhere", APP_BINDINGS)]
    owners += [(title, screen.BINDINGS) for title, screen in SCREENS.items()]
    table: list[tuple[str, list[Binding]]] = []
    for title, owned in owners:
        by_id: dict[str, Binding] = {}
        for binding in Binding.make_bindings(owned):
            if binding.id:
                first = by_id.setdefault(binding.id, binding)
                if binding.key not in first.key.split(","):
                    by_id[binding.id] = first.with_key(f"{first.key},{binding.key}")
        table.append((title, list(by_id.values())))
    return table


def binding_ids() -> frozenset[str]:
    """Every binding id a keymap may rebind: the app's and each registered screen's."""
    return frozenset(b.id for _, bindings in binding_table() for b in bindings if b.id)


def key_names() -> dict[str, list[str]]:
    """The key names a keymap may use (Textual's), by kind; `modifiers` go before a key
    with "+" ("ctrl+s", "shift+tab", "alt+n")."""
    import string
    import unicodedata

    from textual.keys import KEY_NAME_REPLACEMENTS

    def name(char: str) -> str:  # what Textual calls a punctuation key: "?" -> question_mark
        raw = unicodedata.name(char).lower().replace("-", "_").replace(" ", "_")
        return KEY_NAME_REPLACEMENTS.get(raw, raw)

    named = ["enter", "escape", "tab", "space", "backspace", "delete", "insert"]
    named += ["up", "down", "left", "right", "home", "end", "pageup", "pagedown"]
    return {
        "letters": list(string.ascii_lowercase + string.ascii_uppercase),  # A: shift+a
        "digits": list(string.digits),
        "function": [f"f{n}" for n in range(1, 25)],
        "named": named,
        "punctuation": [name(c) for c in string.punctuation],
        "modifiers": ["ctrl", "shift", "alt"],
    }
