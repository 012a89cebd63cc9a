"""The question navigator: one cell per question in groups of ten, numbered underneath.

● answered, ○ unanswered, ⚑ flagged (answered or not); the current question is reversed. In
practice, answered cells are green when right and red when wrong. 65 questions take
71 columns, so a whole exam fits on one line at 80 columns (longer quizzes wrap).
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.widgets import Static

from quizapp.quiz import NavEntry

GROUP = 10
GLYPHS = {"answered": "●", "unanswered": "○", "flagged": "⚑"}
TONES = {"answered": "$text-primary", "unanswered": "$text-muted", "flagged": "$text-warning"}


def cell_markup(entry: NavEntry, verdict: bool | None) -> str:
    glyph = GLYPHS[entry.status]
    tone = TONES[entry.status]
    if verdict is not None and entry.status == "answered":
        tone = "$text-success" if verdict else "$text-error"
    style = f"b reverse {tone}" if entry.current else tone
    return f"[{style}]{glyph}[/]"


def ruler(first: int, count: int) -> str:
    """Numbers under the start of each group: '1         11        21'."""
    line = ""
    for start in range(first, first + count, GROUP):
        col = (start - first) // GROUP * (GROUP + 1)
        line = line.ljust(col) + str(start + 1)
    return line


def navigator_markup(
    entries: Sequence[NavEntry], verdicts: Sequence[bool | None], width: int
) -> str:
    """Rows of cells (as many groups as fit in `width`), each with its ruler."""
    groups_per_row = max(1, (width + 1) // (GROUP + 1))
    per_row = groups_per_row * GROUP
    lines: list[str] = []
    for first in range(0, len(entries), per_row):
        row = entries[first : first + per_row]
        cells = []
        for i, entry in enumerate(row):
            if i and i % GROUP == 0:
                cells.append(" ")
            cells.append(cell_markup(entry, verdicts[first + i] if verdicts else None))
        lines.append("".join(cells))
        lines.append(f"[$text-muted]{ruler(first, len(row))}[/]")
    return "\n".join(lines)


class Navigator(Static):
    """Shows the navigator; call `show` with the session's entries."""

    DEFAULT_CSS = """
    Navigator {
        height: auto;
        padding: 0 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.entries: tuple[NavEntry, ...] = ()
        self.verdicts: tuple[bool | None, ...] = ()

    def show(self, entries: Sequence[NavEntry], verdicts: Sequence[bool | None] = ()) -> None:
        if (tuple(entries), tuple(verdicts)) == (self.entries, self.verdicts):
            return
        self.entries = tuple(entries)
        self.verdicts = tuple(verdicts)
        self._paint()

    def on_resize(self) -> None:
        self._paint()

    def _paint(self) -> None:
        width = self.content_size.width or 78
        self.update(navigator_markup(self.entries, self.verdicts, width))
