"""Mastery per topic as horizontal bars that use the width they are given."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widget import Widget

from quizapp.tui.format import bar, percent

if TYPE_CHECKING:
    from quizapp.stats import TopicMastery

PERCENT_WIDTH = 5  # " 100%"
MIN_BAR = 6  # names come first on a narrow terminal
MAX_BAR = 50  # a wide one: the bar stays near its name and percentage


class MasteryBars(Widget):
    """One row per topic: label (truncated with …), bar, percentage."""

    DEFAULT_CSS = """
    MasteryBars { height: auto; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.topics: tuple[TopicMastery, ...] = ()

    def show(self, topics: Sequence[TopicMastery]) -> None:
        self.topics = tuple(topics)
        self.refresh(layout=True)

    def get_content_height(self, container, viewport, width: int) -> int:
        return max(1, len(self.topics))

    def render(self) -> Content:
        if not self.topics:
            return Content.styled("No topics yet.", "$text-muted")
        width = self.content_size.width
        longest = max(len(t.label) for t in self.topics)
        label_width = max(8, min(longest, width - PERCENT_WIDTH - 1 - MIN_BAR))
        bar_width = min(MAX_BAR, max(4, width - label_width - PERCENT_WIDTH - 1))
        lines = []
        for topic in self.topics:
            label = topic.label
            if len(label) > label_width:
                label = label[: label_width - 1] + "…"
            filled, empty = bar(topic.mastery, bar_width)
            lines.append(
                Content.assemble(
                    (label.ljust(label_width) + " ", ""),
                    (filled, "$success"),
                    (empty, "on $boost"),
                    (percent(topic.mastery).rjust(PERCENT_WIDTH), "$text-muted"),
                )
            )
        return Content("\n").join(lines)
