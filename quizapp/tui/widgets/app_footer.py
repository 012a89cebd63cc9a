"""The footer of every screen: below 80 columns it leaves out the command-palette hint, so a
long row of keys is cut cleanly at the edge instead of running under the hint."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widgets import Footer

NARROW_COLUMNS = 80


class AppFooter(Footer):
    def __init__(self, *args: Any, show_command_palette: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, show_command_palette=show_command_palette, **kwargs)
        self.palette_wanted = show_command_palette

    def on_resize(self, event: events.Resize) -> None:
        wide = event.size.width >= NARROW_COLUMNS
        self.show_command_palette = self.palette_wanted and wide
