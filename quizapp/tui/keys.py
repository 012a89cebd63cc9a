"""The app's own keys (on every screen), and the keys a binding is on now.

A module of its own so the help screen, the screens that name their keys on screen and the
app can share it without importing one another.
"""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding, BindingType

# The bindings of `QuizApp` (the help lists them under "Everywhere").
APP_BINDINGS: list[BindingType] = [
    Binding(  # not priority: in an answer box "?" is text (f1 works there too)
        "question_mark,f1",
        "help",
        "Help",
        id="app.help",
        tooltip="Every key, per screen",
    ),
    Binding(
        "ctrl+q",
        "quit",
        "Quit",
        priority=True,
        id="app.quit",
        tooltip="Quit (everything is already saved)",
    ),
]


def bound_keys(app: App[object], binding: Binding) -> list[str]:
    """The keys `binding` is on now (the learner's keymap applied), as Textual names them."""
    key = app._keymap.get(binding.id, binding.key) if binding.id else binding.key
    return [k.strip() for k in key.split(",")]


def shown_keys(app: App[object], binding: Binding) -> str:
    """Those keys as the footer shows them: "1", "u / ^z"."""
    keys = [app.get_key_display(binding.with_key(k)) for k in bound_keys(app, binding)]
    return " / ".join(dict.fromkeys(keys))
