"""Scrolling a screen's question by keyboard: the page keys, home/end, and arrows or j/k
where the focused widget does not take them; and keeping the highlighted choice in view.

Each screen whose content can overflow adds `scroll_bindings("<screen>")` to its BINDINGS
(so the help lists them and the keymap can rebind them) and scrolls its box with
`scroll_box` from an `action_scroll_box`.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import ScrollableContainer
from textual.geometry import Region
from textual.widgets import OptionList

SCROLLS = ("page_up", "page_down", "top", "bottom", "line_up", "line_down")


def scroll_bindings(screen: str) -> list[Binding]:
    """The scroll keys of `screen` (ids `<screen>.page_down` ...), not shown in the footer."""
    keys = {
        "page_up": ("pageup", "Page up", "Scroll the question up a page"),
        "page_down": ("pagedown", "Page down", "Scroll the question down a page"),
        "top": ("home", "Top", "Scroll to the top of the question"),
        "bottom": ("end", "Bottom", "Scroll to the bottom (answer, feedback, steps)"),
        "line_up": ("k,up", "Up", "Scroll up a line (up: where no list takes it)"),
        "line_down": ("j,down", "Down", "Scroll down a line (down: where no list takes it)"),
    }
    return [
        Binding(key, f"scroll_box('{how}')", label, show=False, id=f"{screen}.{how}", tooltip=tip)
        for how, (key, label, tip) in keys.items()
    ]


def scroll_box(box: ScrollableContainer, how: str) -> None:
    """Scroll `box` one of `SCROLLS` (at once: a key repeat must not queue animations)."""
    if how == "page_up":
        box.scroll_page_up(animate=False)
    elif how == "page_down":
        box.scroll_page_down(animate=False)
    elif how == "top":
        box.scroll_home(animate=False)
    elif how == "bottom":
        box.scroll_end(animate=False)
    elif how == "line_up":
        box.scroll_up(animate=False)
    elif how == "line_down":
        box.scroll_down(animate=False)


class InlineChoices(OptionList, inherit_bindings=False):
    """An option list inside a scrolling question: up/down/enter move and pick, and the
    page keys and home/end are left to the screen (they scroll the whole question). Moving the
    highlight keeps it in view in the question's box, not only in the list (a new question
    still opens at its top)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor_down", "Down", show=False),
        Binding("up", "cursor_up", "Up", show=False),
        Binding("enter", "select", "Select", show=False),
    ]

    def action_cursor_down(self) -> None:
        super().action_cursor_down()
        self.reveal_highlight()

    def action_cursor_up(self) -> None:
        super().action_cursor_up()
        self.reveal_highlight()

    def reveal_highlight(self) -> None:
        """Once laid out, scroll the question so the highlighted option (or the list) shows."""
        self.call_after_refresh(self._reveal_highlight)

    def _reveal_highlight(self) -> None:
        """Scroll the question's box so the highlighted option (or the list) is in view."""
        box = next((a for a in self.ancestors if isinstance(a, ScrollableContainer)), None)
        if box is None or not self.is_mounted or not self.display:
            return
        top, height = 0, min(self.outer_size.height, box.scrollable_content_region.height)
        highlighted = self.highlighted
        if highlighted is not None and highlighted in self._index_to_line:
            top = self._index_to_line[highlighted] - round(self.scroll_y)
            top += self.content_region.y - self.region.y
            height = self._heights[highlighted]
        y = self.region.y + top - box.scrollable_content_region.y + round(box.scroll_y)
        box.scroll_to_region(Region(0, y, 1, height), animate=False, immediate=True)
