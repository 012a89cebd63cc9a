"""The footer of every screen: the screen's keys on one row, fitted to the width.

The command-palette hint is shown only when every key fits beside it (docked on the right,
it would otherwise be drawn over the last keys). When even the keys alone do not fit (a
small terminal, or a screen with many keys), the help key is pinned to the right edge and
the keys that do not fit whole are left out, never cut mid-word: the help lists them all.
"""

from __future__ import annotations

from textual import events
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, KeyGroup

HELP_ACTION = "help"  # the app's help binding (`app.help`): kept in view whatever the width


class AppFooter(Footer):
    DEFAULT_CSS = """
    AppFooter FooterKey.-pinned {
        dock: right;
        margin: 0;
        border-left: vkey $foreground 20%;
    }
    """

    async def recompose(self) -> None:
        await super().recompose()
        self.fit()

    def on_resize(self, event: events.Resize) -> None:
        self.fit()

    def fit(self) -> None:
        """Show the palette hint only beside keys that fit; else pin the help key to the right
        and leave out the keys that do not fit whole."""
        width = self.size.width
        if not width:
            return
        palette: list[Widget] = []
        pinned: list[Widget] = []
        keys: list[Widget] = []
        for child in self.children:
            if child.has_class("-command-palette"):
                palette.append(child)
            elif isinstance(child, FooterKey) and child.action == HELP_ACTION and not pinned:
                pinned.append(child)
            else:
                keys.append(child)
        for child in self.children:
            child.display = True
        for child in pinned:
            child.remove_class("-pinned")
        # the help key last: in the row, or pinned with its separator; either way one cell
        # beside its text (the styles of a class just changed are not read back here)
        help_width = sum(self._content(child) + 1 for child in pinned)
        need = sum(self._width(child) for child in keys) + help_width
        if keys and not pinned:
            need -= keys[-1].styles.margin.right  # no gap after the last key
        fits = need - (1 if pinned else 0) <= width
        for child in palette:
            child.display = fits and need + self._width(child) <= width
        if fits:
            return
        if pinned:
            pinned[0].add_class("-pinned")
        room = width - help_width
        used = 0
        shown: list[Widget] = []
        for child in keys:
            used += self._width(child)
            child.display = used - child.styles.margin.right <= room
            if child.display:
                shown.append(child)
        if shown and isinstance(shown[-1], KeyGroup):  # a group is not shown without its label
            shown[-1].display = False

    def _content(self, child: Widget) -> int:
        return child.get_content_width(Size(0, 0), self.size)

    def _width(self, child: Widget) -> int:
        """The cells `child` takes in the row, its margins included."""
        styles = child.styles
        return self._content(child) + styles.gutter.width + styles.margin.width
