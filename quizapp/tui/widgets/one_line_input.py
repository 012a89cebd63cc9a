"""A one-line answer box that refuses a multi-line paste instead of cutting it."""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class OneLineInput(Input):
    """An answer box that refuses a paste of several lines (Input would keep the first line
    alone, and that line would then be graded as if it were the whole answer)."""

    def _on_paste(self, event: events.Paste) -> None:
        lines = [line for line in event.text.splitlines() if line.strip()]
        if len(lines) > 1:
            event.stop()
            event.prevent_default()  # Input's own handler would insert the first line
            self.app.notify(
                f"The pasted text has {len(lines)} lines; paste or type one answer.",
                title="Paste refused",
                severity="warning",
                markup=False,
            )
