"""Bank text is data, never markup (issue 9).

A learner bank whose every text field holds Textual / Rich markup and action links is driven
through every screen with Pilot. Each field must show exactly as written, no `@click` action
may run (clicking where one would be does nothing), no other file in the data directory may
appear or change (`app.screenshot('progress.db','.')` would overwrite the database), and nothing
may raise (an unbalanced `[/]` used to crash the app with a traceback).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import tui_quiz_bank as qs
from rich.table import Table
from rich.text import Text
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Input, OptionList, Select, Static
from tui_support import card_ready, dashboard_ready, make_app, until

from quizapp.bank.model import Choice, Item, Source
from quizapp.quiz.profiles import MLA_C01
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.browse import BrowseScreen
from quizapp.tui.screens.dashboard import DashboardScreen
from quizapp.tui.screens.help import HelpScreen
from quizapp.tui.screens.practice import PracticeScreen
from quizapp.tui.screens.quiz import QuizScreen
from quizapp.tui.screens.quiz_dialogs import ConfirmDialog, JumpDialog
from quizapp.tui.screens.results import ResultsScreen
from quizapp.tui.screens.review import ReviewScreen
from quizapp.tui.screens.stats import StatsScreen
from quizapp.tui.widgets.mastery import MasteryBars

INTERACTIVE = (OptionList, DataTable, Input, Select, Button)  # a click there picks or types

SHOT = "[@click=app.screenshot('progress.db','.')]hint[/]"
# every payload the issue names; a field ends with a lone backslash, which escaping gets wrong
PAYLOAD = (
    f"{SHOT} [b]bold [/] [/bold] [link=https://x]x[/link] [@click=app.quit]q[/] "
    "[on red]red [ \\[b] [$accent]var [B]up [ b]sp \\"
)
# topic ids are cut at their first colon by the quiz screens: no link here
TOPIC_PAYLOAD = f"{SHOT} [b]topic [/] [/bold] [@click=app.quit]q[/] [on red]t [ \\[b]"


def marked(name: str) -> str:
    """A field's text: the action link first (where a click would land), then the rest."""
    return f"{SHOT} {name} {PAYLOAD}"


TOPIC = f"tp {TOPIC_PAYLOAD}"
DOMAIN = f"dm {TOPIC_PAYLOAD}"
MODELING, DATA = "ML Model Development", "Data Preparation for ML"  # MLA-C01's (the default)
SRC = Source(marked("file"), marked("section"), marked("point"))
BANK_NAME = marked("bank")


def _item(id: str, kind: str, domain: str = MODELING, **fields) -> Item:
    return Item(
        id=f"mk-{id} [/] [@click=app.quit]q[/] [b]",
        kind=kind,
        bank=BANK_NAME,
        source=SRC,
        topic=TOPIC,
        domain=domain,
        domains=(("mla-c01", domain),),
        difficulty="easy",
        **fields,
    )


def _choices(name: str, right: int = 1) -> tuple[Choice, ...]:
    return tuple(
        Choice(marked(f"{name}-choice{i}"), i < right, marked(f"{name}-why{i}")) for i in range(3)
    )


ITEMS: tuple[Item, ...] = (
    _item(
        "flash",
        "flashcard",
        DOMAIN,
        front=marked("front"),
        back=marked("back"),
        eli5=marked("eli5"),
        technical=marked("technical"),
    ),
    _item(
        "cloze",
        "cloze",
        DOMAIN,
        text=f"{marked('before')} {{{{{marked('gap')}}}}} {marked('after')}",
        back=marked("cloze-back"),
    ),
    _item(
        "single", "single_choice", prompt=marked("single-prompt"), choices=_choices("sc"), choose=1
    ),
    _item(
        "multi",
        "multiple_response",
        prompt=marked("multi-prompt") + " Choose two.",
        choices=_choices("mr", right=2),
        choose=2,
    ),
    _item(
        "tf",
        "true_false",
        DATA,
        prompt=marked("tf-prompt"),
        answer=True,
        explanation=marked("tf-why"),
    ),
    _item(
        "calc",
        "computed",
        prompt=marked("calc-prompt"),
        family="weighted_sum",
        scenario="restaurant",
    ),
    _item(
        "odd-domain",
        "single_choice",
        DOMAIN,
        prompt=marked("odd-prompt"),
        choices=_choices("od"),
        choose=1,
    ),
)
QUESTIONS = [i for i in ITEMS if i.kind not in ("flashcard", "cloze")]
# an exam draws its profile's kinds in its domains (true/false and computed: practice only)
EXAM_QUESTIONS = [i for i in QUESTIONS if i.domain in (MODELING, DATA) and i.kind in MLA_C01.kinds]


# -- what is on screen -----------------------------------------------------------------------


def words(text: str) -> str:
    """Whitespace-normalised (wrapping and the list's one-line summaries join lines)."""
    return " ".join(text.split())


def plain(obj: object) -> str:
    if isinstance(obj, Content | Text):
        return obj.plain
    if isinstance(obj, str):
        return obj
    if isinstance(obj, Table):
        return "\n".join(plain(cell) for column in obj.columns for cell in column.cells)
    return ""


def shown_widgets(app: QuizApp) -> str:
    """The text of every widget on the screen that shows: statics, bars, lists, tables."""
    out: list[str] = []
    for widget in app.screen.query("*"):
        if not all(node.display for node in widget.ancestors_with_self):
            continue
        if isinstance(widget, Static):
            out.append(plain(widget.visual))
        elif isinstance(widget, MasteryBars):
            out.append(plain(widget.render()))
        elif isinstance(widget, OptionList):
            out += [plain(widget.get_option_at_index(i).prompt) for i in range(widget.option_count)]
        elif isinstance(widget, DataTable):
            out += [plain(cell) for key in widget.rows for cell in widget.get_row(key)]
    return words("\n".join(out))


def screen_lines(app: QuizApp) -> tuple[list[str], list[tuple[int, int, object]]]:
    """The screen as lines of text, and every cell that carries an action or a link."""
    lines: list[str] = []
    active: list[tuple[int, int, object]] = []
    for y, strip in enumerate(app.screen._compositor.render_strips()):
        x, text = 0, []
        for segment in strip:
            style = segment.style
            if style is not None and (style.link or "@click" in style.meta):
                active.append((x, y, style.link or style.meta))
            text.append(segment.text)
            x += segment.cell_length
        lines.append("".join(text))
    return lines, active


class Guard:
    """Records every action the payloads could run, instead of running it."""

    def __init__(self, app: QuizApp, data_dir: Path) -> None:
        self.app = app
        self.calls: list[str] = []
        self.data_dir = data_dir
        self.files = self._files()

        def record(name: str):
            def call(*args, **kwargs):
                self.calls.append(f"{name}{args}")

            return call

        async def quit_action() -> None:
            self.calls.append("quit")

        for name in ("deliver_screenshot", "save_screenshot", "action_screenshot", "open_url"):
            setattr(app, name, record(name))
        app.action_quit = quit_action  # type: ignore[method-assign]

    def _files(self) -> dict[str, str]:
        """Every file but the app's own database (answers change it, as they should)."""
        return {
            p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in self.data_dir.iterdir()
            if p.is_file() and not p.name.startswith("progress.db")
        }

    async def check(self, pilot: Pilot, *expected: str, titles: tuple[str, ...] = ()) -> str:
        """Every `expected` text shows literally, no cell carries an action, and clicking
        on the text where the action link would be does nothing."""
        await pilot.pause()
        app = self.app
        text = shown_widgets(app)
        lines, active = screen_lines(app)
        for want in expected:
            assert words(want) in text, f"{want!r} is not shown literally on {app.screen!r}"
        for title in titles:
            assert any(title in line for line in lines), f"title {title!r} not shown literally"
        assert not active, f"cells with actions or links on {app.screen!r}: {active[:3]}"
        # click where "hint" (the action link's text) first shows, as a learner would (not
        # in a list, where a click picks an option)
        for y, line in enumerate(lines):
            x = line.find("hint")
            if x >= 0 and not isinstance(app.screen.get_widget_at(x, y)[0], INTERACTIVE):
                await pilot.click(offset=(x + 1, y))
                await pilot.pause()
                break
        self.assert_clean()
        return text

    def assert_clean(self) -> None:
        app = self.app
        assert not self.calls, f"actions ran: {self.calls}"
        assert app.is_running and app.return_code is None
        assert self._files() == self.files, "a file in the data directory changed"
        db = self.data_dir / "progress.db"
        assert db.read_bytes()[:16] == b"SQLite format 3\x00"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The app's data directory is the working directory, with a file that must stay put."""
    (tmp_path / "notes.txt").write_text("my own notes\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


async def to_dashboard(pilot: Pilot) -> None:
    app = pilot.app
    while len(app.screen_stack) > 1:
        app.pop_screen()
    await dashboard_ready(pilot)


# -- the screens -----------------------------------------------------------------------------


async def review_cards(pilot: Pilot, guard: Guard) -> None:
    app = pilot.app
    await pilot.press("r")
    await card_ready(pilot)
    seen = set()
    while isinstance(app.screen, ReviewScreen) and app.screen.card is not None:
        screen = app.screen
        card = screen.card
        if card.is_skill:  # a skill card: a typed answer with markup is echoed, not run
            answer = screen.query_one("#answer", Input)
            answer.value = PAYLOAD
            answer.focus()
            await pilot.press("enter")
            await guard.check(pilot, "Could not read that")
            seen.add("skill")
            break
        item = card.item
        seen.add(item.kind)
        if item.kind == "flashcard":
            await guard.check(pilot, item.front)
            await pilot.press("space")
            await guard.check(pilot, item.front, item.back, item.eli5, item.technical)
        else:
            text = await guard.check(pilot, marked("before"), marked("after"))
            assert marked("gap") not in text  # hidden until revealed
            await pilot.press("space")
            await guard.check(pilot, marked("before"), marked("gap"), marked("after"))
            await guard.check(pilot, item.back)
        await pilot.press("question_mark")  # help, over a card showing the payloads
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await guard.check(pilot)
        await pilot.press("escape")
        await card_ready(pilot)
        await pilot.press("3")
        await card_ready(pilot)
    assert seen == {"flashcard", "cloze", "skill"}


async def practice(pilot: Pilot, guard: Guard) -> None:
    app = pilot.app
    await pilot.press("p")
    await until(pilot, lambda: isinstance(app.screen, PracticeScreen))
    await pilot.press("enter")
    screen = app.screen
    await until(pilot, lambda: screen.solver is not None and screen.solver.is_mounted)
    answer = screen.solver.query_one("#answer", Input)
    answer.value = PAYLOAD
    answer.focus()
    await pilot.press("enter")
    await guard.check(pilot, "Could not read that")
    await pilot.press("escape", "m", "1")  # leave the answer box: letters are keys again
    await until(pilot, lambda: screen.solver.answered)
    await guard.check(pilot)


def question_item(screen: QuizScreen) -> Item:
    return screen.view.question.item


async def quiz_practice(pilot: Pilot, guard: Guard) -> None:
    settled = qs.settled
    app = pilot.app
    screen = await qs.start_practice(pilot, len(QUESTIONS))
    assert screen.view.total == len(QUESTIONS)
    for _ in range(len(QUESTIONS)):
        screen = await settled(pilot)
        question = screen.view.question
        item = question.item
        subtitle = f"{item.domain} · {TOPIC}"
        expected = [question.prompt, *(o.text for o in question.options)]
        if item.kind == "computed":
            typed = screen.query_one("#typed", Input)
            typed.value = PAYLOAD
            typed.focus()
            await pilot.press("enter")
            await settled(pilot)
            await guard.check(pilot, question.prompt, "Could not read that")
            await pilot.press("m")
            await settled(pilot)
        await guard.check(pilot, *expected, titles=(subtitle,))
        if question.position == 0:
            await pilot.press("g")  # the go-to list quotes every prompt
            await until(pilot, lambda: isinstance(app.screen, JumpDialog))
            await guard.check(pilot, *(words(i.prompt)[:60] for i in QUESTIONS))
            await pilot.press("escape")
            screen = await settled(pilot)
        keys = ["1", "2"] if question.multiple else ["1"]
        for key in keys:
            await pilot.press(key)
            await settled(pilot)
        feedback = [question.prompt, *(o.text for o in question.options)]
        feedback += [o.explanation for o in question.options if o.explanation]
        if question.explanation:
            feedback.append(question.explanation)
        await guard.check(pilot, *feedback)
        await pilot.press("enter")
        await until(
            pilot,
            lambda: (
                isinstance(app.screen, ResultsScreen | ConfirmDialog)
                or (isinstance(app.screen, QuizScreen) and app.screen.view.feedback is None)
            ),
        )
    if isinstance(app.screen, ConfirmDialog):
        await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, ResultsScreen))
    await results(pilot, guard, len(QUESTIONS))


async def results(pilot: Pilot, guard: Guard, total: int) -> None:
    app = pilot.app
    await guard.check(pilot, TOPIC)
    await pilot.press("a")
    for _ in range(total):
        entry = app.screen.results.review("all")[app.screen.index]
        q = entry.question
        expected = [q.prompt, *(o.text for o in q.options)]
        expected += [o.explanation for o in q.options if o.explanation]
        expected.append(f"{q.domain} · {TOPIC}")
        await guard.check(pilot, *expected)
        await pilot.press("n")


async def exam(pilot: Pilot, guard: Guard) -> None:
    settled = qs.settled
    app = pilot.app
    total = len(EXAM_QUESTIONS)
    screen = await qs.start_exam(pilot, total)
    assert screen.view.total == total
    for position in range(total):
        screen = await settled(pilot)
        question = screen.view.question
        item = question.item
        subtitle = f"{item.domain} · {TOPIC}"
        await guard.check(
            pilot, question.prompt, *(o.text for o in question.options), titles=(subtitle,)
        )
        for key in ["1", "2"] if question.multiple else ["1"]:
            await pilot.press(key)
            await settled(pilot)
        await pilot.press("f")  # flagged: the title changes, the subtitle stays literal
        await settled(pilot)
        await guard.check(pilot, question.prompt, titles=(subtitle,))
        if position < total - 1:
            await pilot.press("n")
            await settled(pilot)
    await pilot.press("s")
    await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
    await guard.check(pilot)
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, ResultsScreen))
    await results(pilot, guard, total)


async def browse(pilot: Pilot, guard: Guard) -> None:
    app = pilot.app
    await pilot.press("b")
    await until(pilot, lambda: isinstance(app.screen, BrowseScreen) and app.screen.rows)
    screen = app.screen
    await guard.check(pilot, *(i.front or i.prompt for i in ITEMS if i.front or i.prompt))
    search = screen.query_one("#search", Input)
    for query in ("[/]", "[/bold]", "[b] \\[b]", "[@click=app.quit]q[/]", "[", "\\"):
        search.value = query
        await pilot.pause()
        await guard.check(pilot)
        assert len(screen.shown) == len(ITEMS)  # every item holds every payload
    search.value = "[@click=app.screenshot('progress.db','.')]hint[/] front"
    await pilot.pause()
    assert [r.key for r in screen.shown] == [ITEMS[0].id]
    search.value = ""
    await pilot.pause()
    table = screen.query_one(DataTable)
    for index, item in enumerate(ITEMS):
        table.focus()
        table.move_cursor(row=index)
        await pilot.press("enter")
        await until(pilot, lambda: screen.detail is not None)
        fields = [item.front, item.back, item.eli5, item.technical, item.prompt, item.explanation]
        fields += [c.text for c in item.choices] + [c.explanation for c in item.choices]
        if item.kind == "cloze":
            fields += [marked("before"), marked("gap"), marked("after")]
        fields += [item.bank, SRC.file, SRC.section, SRC.point, item.topic, item.domain]
        await guard.check(pilot, *(f for f in fields if f), titles=(item.id,))
        await pilot.press("escape")
        await until(pilot, lambda: screen.detail is None)
    await pilot.press("question_mark")
    await until(pilot, lambda: isinstance(app.screen, HelpScreen))
    await guard.check(pilot)


async def stats(pilot: Pilot, guard: Guard) -> None:
    app = pilot.app
    await pilot.press("s")
    await until(pilot, lambda: isinstance(app.screen, StatsScreen) and app.screen.stats)
    await pilot.press("5")
    # the domain bars are the default exam profile's domains (a bank's other names are not
    # among them): the topics quote the bank
    await guard.check(pilot, TOPIC, MODELING)


async def test_bank_text_with_markup_shows_literally_everywhere(data_dir: Path) -> None:
    app = make_app(data_dir, ITEMS)
    guard = Guard(app, data_dir)
    async with app.run_test(size=(260, 60)) as pilot:
        await dashboard_ready(pilot)
        assert isinstance(app.screen, DashboardScreen)
        await guard.check(pilot, TOPIC)
        await review_cards(pilot, guard)
        for step in (practice, quiz_practice, exam, browse, stats):
            await to_dashboard(pilot)
            await step(pilot, guard)
        await to_dashboard(pilot)
        await guard.check(pilot, TOPIC)
        guard.assert_clean()
