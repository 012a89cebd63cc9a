"""A year of study days as a heat map: one column per week, one row per weekday."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from textual.color import Color
from textual.content import Content
from textual.widget import Widget

WEEKDAYS = ("Mon", "", "Wed", "", "Fri", "", "Sun")
LABEL_WIDTH = 4
LEVELS = 5  # none, then four shades of activity
CELL = "■"


def levels(counts: Sequence[int]) -> list[int]:
    """0 for a day without activity, else 1..4 by quartile of the active days' counts
    (nearest-rank quartiles: a count up to the first quartile is 1, and so on)."""
    active = sorted(n for n in counts if n > 0)
    if not active:
        return [0] * len(counts)
    cuts = [active[-(-len(active) * q // 4) - 1] for q in (1, 2, 3)]
    return [0 if n <= 0 else 1 + sum(n > c for c in cuts) for n in counts]


class CalendarHeatmap(Widget):
    """Days as cells coloured by how much was studied; months above, weekdays on the left.

    Shows the most recent weeks that fit the width (a whole year from 56 columns)."""

    DEFAULT_CSS = """
    CalendarHeatmap { height: 9; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.first_day: date | None = None
        self.counts: tuple[int, ...] = ()

    def show(self, first_day: date, counts: Sequence[int]) -> None:
        self.first_day = first_day
        self.counts = tuple(counts)
        self.refresh()

    def _palette(self) -> list[Color]:
        variables = self.app.theme_variables
        base = Color.parse(variables.get("surface", "#1e1e1e"))
        hot = Color.parse(variables.get("success", "#4EBF71"))
        empty = base.blend(Color.parse(variables.get("foreground", "#e0e0e0")), 0.15)
        return [empty, *(base.blend(hot, f) for f in (0.35, 0.55, 0.78, 1.0))]

    def render(self) -> Content:
        if self.first_day is None or not self.counts:
            return Content.styled("No study days yet.", "$text-muted")
        last_day = self.first_day + timedelta(days=len(self.counts) - 1)
        start = self.first_day - timedelta(days=self.first_day.weekday())  # a Monday
        weeks = (last_day - start).days // 7 + 1
        room = max(1, self.content_size.width - LABEL_WIDTH)
        spaced = weeks * 2 <= room  # a gap between weeks when there is room for it
        shown = min(weeks, room // 2 if spaced else room)
        start += timedelta(weeks=weeks - shown)
        step = 2 if spaced else 1
        level = levels(self.counts)
        palette = self._palette()

        # month names over the first week holding the 1st, where the name fits
        labels: list[tuple[int, str]] = []
        for week in range(shown):
            monday = start + timedelta(weeks=week)
            days = (monday + timedelta(days=d) for d in range(7))
            first = next((d for d in days if d.day == 1), None)
            at = LABEL_WIDTH + week * step
            if first is not None and (not labels or at > labels[-1][0] + len(labels[-1][1])):
                labels.append((at, f"{first:%b}"))
        parts: list[tuple[str, str]] = []
        column = 0
        for at, label in labels:  # label and gap segments: no leading blanks to collapse
            parts += [(" " * (at - column), ""), (label, "$text-muted")]
            column = at + len(label)
        lines = [Content.assemble(*parts)]
        for weekday in range(7):
            row: list[tuple[str, str] | str] = [
                (f"{WEEKDAYS[weekday]:<{LABEL_WIDTH}}", "$text-muted")
            ]
            for week in range(shown):
                day = start + timedelta(weeks=week, days=weekday)
                index = (day - self.first_day).days
                if 0 <= index < len(self.counts):
                    row.append((CELL, palette[level[index]].hex))
                else:
                    row.append(" ")
                if spaced:
                    row.append(" ")
            lines.append(Content.assemble(*row))
        legend = [("Less ", "$text-muted")]
        for color in palette:
            legend.append((CELL, color.hex))
        legend.append((" More", "$text-muted"))
        lines.append(Content.assemble((" " * LABEL_WIDTH, ""), *legend))
        return Content("\n").join(lines)
