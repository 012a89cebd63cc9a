"""Mistakes: the named misconceptions you make most, across computed practice, skill cards
and quizzes (`Mistakes.report()`, read on the study thread).

Each line: the mistake, how often, when last, and its trend (the last 14 study days against
the 14 before); the panel below shows the highlighted one's hint and where it came from.
`p` (or enter) starts computed practice on the families whose problems invite that mistake.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from engine.problems.titles import family_name
from quizapp.tui.format import when
from quizapp.tui.screens.base import QuizAppScreen
from quizapp.tui.styles import styles
from quizapp.tui.widgets.app_footer import AppFooter

if TYPE_CHECKING:
    from quizapp.collection import Collection
    from quizapp.mistakes import Mistake, MistakesReport

TREND = {"up": "↑", "down": "↓", "steady": "→"}
SOURCE_NAMES = {"practice": "practice", "card": "skill cards", "quiz": "quizzes"}


def read_mistakes(study: Collection) -> MistakesReport:
    return study.mistakes.report()


class MistakesScreen(QuizAppScreen[None]):
    """The mistakes, most frequent first; practice on the highlighted one's families."""

    CSS_PATH = styles(["mistakes.tcss"])

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "p",
            "practise",
            "Practise",
            id="mistakes.practise",
            tooltip="Computed practice on problems that invite the highlighted mistake",
        ),
        Binding("escape", "app.back", "Back", id="mistakes.back", tooltip="Back to the dashboard"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.report: MistakesReport | None = None

    def compose(self) -> ComposeResult:
        mistakes = OptionList(id="mistakes")
        mistakes.border_title = "Your named mistakes"
        yield mistakes
        detail = Static("Reading your mistakes…", id="mistake-detail", classes="panel")
        detail.border_title = "Hint"
        yield detail
        yield AppFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#mistakes").focus()
        self.load()

    def load(self) -> None:
        self.on_study("read your mistakes", read_mistakes, self._loaded, group="mistakes")

    def _loaded(self, report: MistakesReport) -> None:
        self.report = report
        box = self.query_one("#mistakes", OptionList)
        if not report.mistakes:
            box.set_options([Option(Text("No named mistakes yet.", "dim"), disabled=True)])
            self.query_one("#mistake-detail", Static).update(
                "Practice and quizzes name a wrong answer's mistake when they can; "
                "they gather here."
            )
            self.refresh_bindings()
            return
        width = max(len(m.label) for m in report.mistakes)
        now, tz = self.quiz_app.clock(), self.quiz_app.tz
        options = []
        for i, m in enumerate(report.mistakes):
            line = Text(f"{m.label:<{width}}", "bold")
            line.append(f"  {m.count:>3}×  last {when(m.last_seen, now, tz)}")
            line.append(f"  {TREND[m.trend]} {m.recent} vs {m.before}", "dim")
            options.append(Option(line, id=str(i)))
        box.set_options(options)
        box.border_subtitle = (
            f"trend: last {report.window_days} days vs the {report.window_days} before"
        )
        box.highlighted = 0
        self._show(report.mistakes[0])

    def highlighted(self) -> Mistake | None:
        box = self.query_one("#mistakes", OptionList)
        if self.report is None or not self.report.mistakes or box.highlighted is None:
            return None
        return self.report.mistakes[box.highlighted]

    @on(OptionList.OptionHighlighted, "#mistakes")
    def _highlighted(self) -> None:
        mistake = self.highlighted()
        if mistake is not None:
            self._show(mistake)

    def _show(self, m: Mistake) -> None:
        text = Text()
        text.append(m.label, "bold")
        text.append("\n")
        text.append(m.hint or "No hint is known for this mistake.", "" if m.hint else "dim")
        where = ", ".join(f"{n} in {SOURCE_NAMES.get(s, s)}" for s, n in m.by_source)
        text.append(f"\n\nMade {where}.", "dim")
        if m.families:
            names = ", ".join(family_name(f) for f in m.families)
            text.append("\nInvited by: ", "dim")
            text.append(names)
        detail = self.query_one("#mistake-detail", Static)
        detail.update(text)
        self.refresh_bindings()

    @on(OptionList.OptionSelected, "#mistakes")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_practise()

    def action_practise(self) -> None:
        from quizapp.tui.screens.practice import PracticeScreen

        mistake = self.highlighted()
        if mistake is None or not mistake.families:
            return
        self.app.push_screen(
            PracticeScreen(difficulty=mistake.difficulty or "medium", families=mistake.families)
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "practise":
            mistake = self.highlighted()
            return mistake is not None and mistake.practisable
        return True
