"""An item's refs (the pages that confirm it) are listed wherever its explanation is shown:
practice feedback, the results review and browse, as "See: <title> — <url>", literal text
(bank text is never markup, and never a link)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import tui_quiz_bank as qs
import tui_sequence_bank as sb
from textual.widgets import DataTable, Static
from tui_support import dashboard_ready, shown, until

from quizapp.bank.model import Ref
from quizapp.tui.screens.browse import BrowseScreen
from quizapp.tui.screens.results import ResultsScreen
from quizapp.tui.widgets.quiz_question import FeedbackView

# what Textual markup would act on: a link that quits, styles, a variable, a lone closing tag
TITLE = "[b]Bold[/b] [@click=app.quit]quit[/] [$accent]x[/] \\[b] [/]"
URL = "https://example.com/a[b]?q=[/]&x=\\"
REFS = (Ref(TITLE, URL), Ref("Plain page", "https://docs.aws.amazon.com/sagemaker/"))
SINGLE = replace(sb.SINGLE, refs=REFS)
ORDERING = replace(sb.ORDERING, refs=REFS)
BANK = (ORDERING, SINGLE)
EXPECTED = [f"See: {TITLE} — {URL}", "See: Plain page — https://docs.aws.amazon.com/sagemaker/"]


def flat(text: str) -> str:
    """Whitespace collapsed (lines wrap at the screen's width)."""
    return " ".join(text.split())


def refs_shown(screen) -> list[str]:
    view = screen.query_one(FeedbackView)
    return shown(view.query_one(".refs", Static)).splitlines()


async def test_refs_show_literally_in_feedback_review_and_browse(tmp_path: Path) -> None:
    app = sb.sequence_app(tmp_path, BANK)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await sb.start_quiz(pilot, sb.practice("ordering", "choice"))
        await qs.to_kind(pilot, screen, "single_choice")
        right = next(d for d, o in enumerate(screen.view.question.options) if o.correct)
        await pilot.press(str(right + 1))
        await sb.settled(pilot)
        assert screen.view.feedback is not None
        assert refs_shown(screen) == EXPECTED  # after the explanations, every character kept
        assert app.screen is screen and not screen.closed  # nothing acted on the "link"

        await qs.to_kind(pilot, screen, "ordering")
        await sb.type_in(pilot, sb.wrong_letters(screen.view.question))
        assert screen.view.feedback is not None and refs_shown(screen) == EXPECTED

        await pilot.press("enter")  # the last one answered: the results
        await until(pilot, lambda: isinstance(app.screen, ResultsScreen))
        await pilot.press("a")
        await pilot.pause(0.1)
        for _ in range(2):
            assert refs_shown(app.screen) == EXPECTED
            await pilot.press("n")
            await pilot.pause(0.1)

        await pilot.press("escape")  # back where the quiz was started: the dashboard
        await dashboard_ready(pilot)
        await pilot.press("b")
        await until(pilot, lambda: isinstance(app.screen, BrowseScreen))
        browse = app.screen
        await until(pilot, lambda: browse.rows is not None)
        table = browse.query_one(DataTable)
        for item in BANK:
            table.focus()
            table.move_cursor(row=table.get_row_index(item.id))
            await pilot.press("enter")
            await until(
                pilot, lambda i=item: browse.detail is not None and browse.detail.key == i.id
            )
            await pilot.pause(0.1)
            detail = flat(shown(browse.query_one("#detail-text", Static)))
            for line in EXPECTED:
                assert flat(line) in detail, (item.id, line)
            await pilot.press("escape")
            await until(pilot, lambda: browse.detail is None)
        assert app.is_running
