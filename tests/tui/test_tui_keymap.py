"""Every binding a keymap may name, from the app and every screen in the help registry."""

from __future__ import annotations

import importlib

from textual.binding import Binding

from quizapp.tui.screens.help import SCREENS, binding_ids


def test_binding_ids_cover_every_registered_screen() -> None:
    ids = binding_ids()
    assert {"app.quit", "app.help", "dashboard.review", "dashboard.exam"} <= ids
    for module, name in SCREENS.values():
        screen = getattr(importlib.import_module(f"quizapp.tui.screens.{module}"), name)
        own = {b.id for b in Binding.make_bindings(screen.BINDINGS) if b.id}
        assert own, f"{name} has no binding ids"
        assert own <= ids
