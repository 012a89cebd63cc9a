"""Scrolling a screen's content by keyboard: the page keys, home/end, and arrows or j/k
where the focused widget does not take them; and keeping the highlighted choice in view.

Each screen whose content can overflow adds `scroll_bindings("<screen>")` to its BINDINGS
(so the help lists them and the keymap can rebind them) and scrolls its box with
`scroll_box` from an `action_scroll_box`. A box that is focused is a `ScrollBox` and a list
of rows a `ScrollingTable`: neither binds the page keys or home/end itself, so those keys are
always the screen's (listed, rebindable, and never animated).
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import ScrollableContainer, VerticalScroll
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import DataTable, OptionList

SCROLLS = ("page_up", "page_down", "top", "bottom", "line_up", "line_down")
LINE_KEYS = ("k,up", "j,down")  # line up, line down


def scroll_bindings(
    screen: str, what: str = "question", lines: tuple[str, str] | None = LINE_KEYS
) -> list[Binding]:
    """The scroll keys of `screen` (ids `<screen>.page_down` ...), not shown in the footer.

    `what` names what scrolls in the help ("Scroll the form down a page"); `lines` are the
    keys of a line up and a line down (None: no line keys, the arrows are taken)."""
    question = what == "question"
    keys = {
        "page_up": ("pageup", "Page up", f"Scroll the {what} up a page"),
        "page_down": ("pagedown", "Page down", f"Scroll the {what} down a page"),
        "top": ("home", "Top", f"Scroll to the top of the {what}"),
        "bottom": (
            "end",
            "Bottom",
            "Scroll to the bottom (answer, feedback, steps)"
            if question
            else f"Scroll to the bottom of the {what}",
        ),
    }
    if lines is not None:
        up, down = lines
        keys["line_up"] = (
            up,
            "Up",
            "Scroll up a line (up: where no list takes it)"
            if question
            else f"Scroll the {what} up a line",
        )
        keys["line_down"] = (
            down,
            "Down",
            "Scroll down a line (down: where no list takes it)"
            if question
            else f"Scroll the {what} down a line",
        )
    return [
        Binding(key, f"scroll_box('{how}')", label, show=False, id=f"{screen}.{how}", tooltip=tip)
        for how, (key, label, tip) in keys.items()
    ]


def scroll_box(box: Widget, how: str) -> None:
    """Scroll `box` one of `SCROLLS` (at once: a key repeat must not queue animations); a
    `ScrollingTable` moves its highlighted row instead (the table follows it)."""
    if isinstance(box, ScrollingTable):
        box.move_by(how)
        return
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


class ScrollBox(VerticalScroll, inherit_bindings=False):
    """A focusable scrolling box whose keys are its screen's (`scroll_bindings`): it binds
    none itself, so the screen scrolls it at once, by the keys the help lists (even rebound),
    and an arrow the screen uses otherwise (the settings' fields) is never taken here."""


class ScrollingTable(DataTable, inherit_bindings=False):
    """A table of rows whose page keys and home/end are its screen's (`scroll_bindings`,
    through `scroll_box`): they move the highlighted row a page, or to the first or the last
    row (a DataTable's own home/end go to the first and last column). The arrows and enter
    are the table's."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Select", show=False),
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("left", "cursor_left", "Left", show=False),
        Binding("right", "cursor_right", "Right", show=False),
    ]

    def move_by(self, how: str) -> None:
        """Move the highlight one of `SCROLLS`; the table scrolls to keep it in view."""
        if how == "page_up":
            self.action_page_up()
        elif how == "page_down":
            self.action_page_down()
        elif how == "top":
            self.action_scroll_top()
        elif how == "bottom":
            self.action_scroll_bottom()
        elif how == "line_up":
            self.action_cursor_up()
        elif how == "line_down":
            self.action_cursor_down()
