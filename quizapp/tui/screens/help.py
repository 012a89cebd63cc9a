"""Every key, per screen, read from the screens' own bindings (so it cannot drift)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Static

from quizapp.tui.styles import styles
from quizapp.tui.text import Part, assemble, join


def bound_keys(app, binding: Binding) -> list[str]:
    """The keys `binding` is on now (the learner's keymap applied), as Textual names them."""
    key = app._keymap.get(binding.id, binding.key) if binding.id else binding.key
    return [k.strip() for k in key.split(",")]


def shown_keys(app, binding: Binding) -> str:
    """Those keys as the footer shows them: "1", "u / ^z"."""
    keys = [app.get_key_display(binding.with_key(k)) for k in bound_keys(app, binding)]
    return " / ".join(dict.fromkeys(keys))


def _rows(app, bindings: list[Binding]) -> list[tuple[str, str]]:
    rows: dict[str, list[str]] = {}
    for binding in bindings:
        if not binding.description:
            continue
        keys = [app.get_key_display(binding.with_key(k)) for k in bound_keys(app, binding)]
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
                # keys come from the learner's keymap ("[" is a key): literal, like bank text
                lines: list[Part] = [(title, "b")]
                lines += [
                    assemble("  ", (f"{keys:<{width}}", "b $accent"), f"  {what}")
                    for keys, what in rows
                ]
                yield Static(join(lines), classes="help-section")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#help-box").focus()  # arrows and page keys scroll

    def action_dismiss_help(self) -> None:
        self.dismiss()


def binding_table() -> list[tuple[str, list[Binding]]]:
    """(help title, [binding]) for the app and each registered screen: one binding per id,
    its `key` all its default keys ("u,ctrl+z"), in the order of the help screen."""
    import importlib

    from quizapp.tui.app import QuizApp

    owners = [("Everywhere", QuizApp.BINDINGS)]
    for title, (module, name) in SCREENS.items():
        screen = getattr(importlib.import_module(f"quizapp.tui.screens.{module}"), name)
        owners.append((title, screen.BINDINGS))
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
