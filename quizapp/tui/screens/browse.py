"""Browse: search the banks by text, kind, topic and domain; open an item whole with its
progress; suspend, unsuspend or reset (after a confirmation) its card.

The items and the progress come from the core's browse use case (`Browse.items()`,
`Browse.card_infos()`), read once; the search filters them in memory as the learner types.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import ContentSwitcher, DataTable, Input, Select, Static

from quizapp.tui.screens.base import QuizAppModal, QuizAppScreen
from quizapp.tui.styles import styles
from quizapp.tui.text import literal
from quizapp.tui.widgets.app_footer import AppFooter
from quizapp.tui.widgets.browse_rows import (
    DOMAIN_SHORT,
    KIND_LABELS,
    KIND_SHORT,
    BrowseRow,
    build_rows,
    due_text,
    search,
    state_text,
)
from quizapp.tui.widgets.scrolling import ScrollBox, ScrollingTable, scroll_bindings, scroll_box

if TYPE_CHECKING:
    from quizapp.bank.model import Item
    from quizapp.browse import CardInfo, PastAnswer
    from quizapp.collection import Collection

ANY = "any"


def topic_options(labels: dict[str, str]) -> list[tuple[str, str]]:
    """The topic filter's options: any topic, then each topic by its label."""
    return [
        ("Any topic", ANY),
        *((label, t) for t, label in sorted(labels.items(), key=lambda x: x[1])),
    ]


FIXED_COLUMNS = (("Kind", 6), ("Topic", 15), ("State", 9), ("Due", 9))
ANSWERS_SHOWN = 6


def read_browse(study: Collection) -> tuple[tuple[Item, ...], tuple[CardInfo, ...]]:
    return study.browse.items(), study.browse.card_infos()


class ConfirmReset(QuizAppModal[bool]):
    """'Reset this card?': y resets, n or escape keeps it."""

    CSS_PATH = styles(["browse.tcss"])

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Reset", id="confirm-reset.yes"),
        Binding("n,escape", "answer(False)", "Keep", id="confirm-reset.no"),
    ]

    def __init__(self, summary: str, reps: int) -> None:
        super().__init__()
        self.summary = summary
        self.reps = reps

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box") as box:
            box.border_title = "Reset progress?"
            yield Static(self.summary, id="confirm-item", markup=False)
            yield Static(
                "It becomes a new card again: its due date, stability and lapses are "
                f"forgotten. Its history ({self.reps} reviews) is kept.",
                id="confirm-text",
            )
            yield Static("[b]y[/b] reset   [b]n[/b] keep", id="confirm-keys")
        yield AppFooter(compact=True)

    def action_answer(self, reset: bool) -> None:
        self.dismiss(reset)


class BrowseScreen(QuizAppScreen[None]):
    """The list (search box and filters above it), or one item whole."""

    CSS_PATH = styles(["browse.tcss"])

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search", id="browse.search", tooltip="Search the text"),
        # the filters sit on screen (the status line names their keys): not in the footer
        Binding(
            "k", "filter('kind')", "Kind", show=False, id="browse.kind", tooltip="Filter by kind"
        ),
        Binding(
            "t",
            "filter('topic')",
            "Topic",
            show=False,
            id="browse.topic",
            tooltip="Filter by topic",
        ),
        Binding(
            "d",
            "filter('domain')",
            "Domain",
            show=False,
            id="browse.domain",
            tooltip="Filter by exam domain",
        ),
        Binding(
            "c",
            "clear",
            "Clear",
            show=False,
            id="browse.clear",
            tooltip="Clear the search and the filters",
        ),
        Binding("enter", "open", "Open", id="browse.open", tooltip="Open the item whole"),
        Binding(
            "s",
            "suspend",
            "Suspend",
            id="browse.suspend",
            tooltip="Suspend or unsuspend the card",
        ),
        Binding(
            "x",
            "reset",
            "Reset",
            id="browse.reset",
            tooltip="Reset the card's progress (asks first)",
        ),
        Binding(
            "escape",
            "back",
            "Back",
            id="browse.back",
            tooltip="Back to the list, then to the dashboard",
        ),
        # in the list they move the highlight (the list follows it); k is the kind filter
        *scroll_bindings("browse", "list or the item", lines=("up", "down")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: tuple[BrowseRow, ...] | None = None  # None until read
        self.shown: list[BrowseRow] = []
        self.detail: BrowseRow | None = None  # the row opened whole
        self.answers: tuple[PastAnswer, ...] = ()
        self.labels: dict[str, str] = {}
        self.item_width = 0

    def compose(self) -> ComposeResult:
        from quizapp.bank.taxonomy import load_taxonomy
        from quizapp.quiz.profiles import default_profile

        def default_domains() -> list[str]:
            return [d for d, _ in default_profile().domain_weights]

        self.labels = dict(load_taxonomy().topics)
        with Horizontal(id="browse-filters"):
            yield Input(placeholder="Search (/)", id="search", compact=True)
            yield Select(
                [("Any kind", ANY), *((label, kind) for kind, label in KIND_LABELS.items())],
                value=ANY,
                allow_blank=False,
                id="kind",
                compact=True,
            )
            yield Select(
                topic_options(self.labels),
                value=ANY,
                allow_blank=False,
                id="topic",
                compact=True,
            )
            yield Select(
                [("Any domain", ANY), *((DOMAIN_SHORT.get(d, d), d) for d in default_domains())],
                value=ANY,
                allow_blank=False,
                id="domain",
                compact=True,
            )
        with ContentSwitcher(initial="browse-list", id="browse-views"):
            yield ScrollingTable(id="browse-list", cursor_type="row", zebra_stripes=True)
            with ScrollBox(id="browse-detail", classes="panel"):
                yield Static("", id="detail-text")
        yield Static("Loading the banks…", id="browse-status")
        yield AppFooter(compact=True)

    def on_mount(self) -> None:
        self._columns()
        self.query_one(DataTable).focus()
        self.load()

    def _columns(self) -> None:
        """(Re)make the columns, the item's taking the width the others leave."""
        table = self.query_one(DataTable)
        table.clear(columns=True)
        self.item_width = self._item_width()
        for label, width in FIXED_COLUMNS[:2]:
            table.add_column(label, width=width, key=label.lower())
        table.add_column("Item", width=self.item_width, key="item")
        for label, width in FIXED_COLUMNS[2:]:
            table.add_column(label, width=width, key=label.lower())

    def _item_width(self) -> int:
        fixed = sum(w for _, w in FIXED_COLUMNS) + 2 * (len(FIXED_COLUMNS) + 1)  # cell padding
        return max(20, self.app.size.width - fixed - 3)

    # -- talking to the study --------------------------------------------------------------

    def load(self) -> None:
        self.on_study(
            "read the banks and your progress",
            read_browse,
            self._loaded,
            retry=self.load,
            group="browse",
            exclusive=True,
        )

    def _loaded(self, read: tuple[tuple[Item, ...], tuple[CardInfo, ...]]) -> None:
        items, infos = read
        self._add_topics(item.topic for item in items)
        self.rows = build_rows(items, infos, self.labels)
        self.refilter()

    def _add_topics(self, topics: Iterable[str]) -> None:
        """Offer the learner's own topics (from their banks) in the topic filter too."""
        from quizapp.bank.taxonomy import topic_labels

        labels = topic_labels(topics)
        if labels.keys() == self.labels.keys():
            return
        self.labels = labels
        select = self.query_one("#topic", Select)
        chosen = select.value
        select.set_options(topic_options(labels))
        if chosen in labels:
            select.value = chosen

    def load_detail(self, row: BrowseRow) -> None:
        card_id = row.card.card_id if row.card else None
        item_id = row.item.id if row.item else None

        def read(study: Collection) -> tuple[CardInfo | None, tuple[PastAnswer, ...]]:
            card = study.browse.card_info(card_id) if card_id is not None else None
            answers = study.browse.recent_answers(
                card_id=card_id, item_id=item_id, limit=ANSWERS_SHOWN
            )
            return card, answers

        self.on_study(
            "read this card's progress",
            read,
            lambda detail: self._detail_loaded(row.key, *detail),
            retry=lambda: self.load_detail(row),
            group="browse-detail",
            exclusive=True,
        )

    def change(self, row: BrowseRow, what: str) -> None:
        """Suspend, unsuspend or reset the row's card, then show what is stored."""
        assert row.card is not None
        card_id, suspended = row.card.card_id, row.card.suspended
        item_id = row.item.id if row.item else None

        def apply(study: Collection) -> tuple[CardInfo, tuple[PastAnswer, ...]]:
            if what == "reset":
                study.browse.reset_card(card_id)
            else:
                study.browse.suspend(card_id, not suspended)
            answers = study.browse.recent_answers(
                card_id=card_id, item_id=item_id, limit=ANSWERS_SHOWN
            )
            return study.browse.card_info(card_id), answers

        def changed(detail: tuple[CardInfo, tuple[PastAnswer, ...]]) -> None:
            self._detail_loaded(row.key, *detail)
            done = {
                "reset": "Progress reset: it is a new card again.",
                "suspend": "Unsuspended." if suspended else "Suspended: it will not be shown.",
            }[what]
            self.notify(done, timeout=3)

        verb = {"reset": "reset the card", "suspend": "suspend the card"}.get(what, what)
        self.on_study(
            verb, apply, changed, retry=lambda: self.change(row, what), group="browse-change"
        )

    def _detail_loaded(
        self, key: str, card: CardInfo | None, answers: tuple[PastAnswer, ...]
    ) -> None:
        """Show what is stored for the row `key`: its card and its recent answers."""
        from dataclasses import replace

        if self.rows is None:
            return
        rows = list(self.rows)
        for i, row in enumerate(rows):
            if row.key == key:
                rows[i] = replace(row, card=card)
                self.rows = tuple(rows)
                self._update_row(rows[i])
                if self.detail is not None and self.detail.key == key:
                    self.detail = rows[i]
                    self.answers = answers
                    self._show_detail()
                break
        self.refresh_bindings()

    # -- the list --------------------------------------------------------------------------

    def _filters(self) -> tuple[str | None, str | None, str | None]:
        def value(select_id: str) -> str | None:
            v = self.query_one(f"#{select_id}", Select).value
            return None if v == ANY or v is Select.BLANK else str(v)

        return value("kind"), value("topic"), value("domain")

    def refilter(self) -> None:
        if self.rows is None:
            return
        query = self.query_one("#search", Input).value
        self.shown = search(self.rows, query, *self._filters())
        table = self.query_one(DataTable)
        highlighted = self.current_row()
        table.clear()
        now, tz = self.quiz_app.clock(), self.quiz_app.tz
        for row in self.shown:
            table.add_row(*self._cells(row, now, tz), key=row.key)
        if highlighted is not None and highlighted.key in table.rows:
            table.move_cursor(row=table.get_row_index(highlighted.key), animate=False)
        self._status()
        self.refresh_bindings()

    def _cells(self, row: BrowseRow, now, tz) -> list:
        muted = "dim" if row.card is not None and row.card.suspended else ""
        cells = [
            KIND_SHORT.get(row.kind, row.kind),
            row.topic,
            row.summary,
            state_text(row.card),
            due_text(row.card, now, tz),
        ]
        return [Text(c, style=muted, no_wrap=True, overflow="ellipsis") for c in cells]

    def _update_row(self, row: BrowseRow) -> None:
        table = self.query_one(DataTable)
        for index, shown in enumerate(self.shown):
            if shown.key == row.key:
                self.shown[index] = row
                cells = self._cells(row, self.quiz_app.clock(), self.quiz_app.tz)
                for column, cell in zip(list(table.columns), cells, strict=True):
                    table.update_cell(row.key, column, cell)
                break

    def _status(self) -> None:
        total = len(self.rows or ())
        text = f"{len(self.shown)} of {total} shown"
        if not self.shown and total:
            text += " · nothing matches: [b]c[/b] clears the search and filters"
        else:
            text += " · [b]enter[/b] opens · filters: [b]k[/b] kind [b]t[/b] topic [b]d[/b] domain"
        self.query_one("#browse-status", Static).update(text)

    def current_row(self) -> BrowseRow | None:
        """The row opened whole, else the highlighted one."""
        if self.detail is not None:
            return self.detail
        table = self.query_one(DataTable)
        if (
            not self.shown
            or table.cursor_row is None
            or not 0 <= table.cursor_row < len(self.shown)
        ):
            return None
        return self.shown[table.cursor_row]

    @on(Input.Changed, "#search")
    def _search_changed(self) -> None:
        self.refilter()

    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        self.query_one(DataTable).focus()

    @on(Select.Changed)
    def _filter_changed(self) -> None:
        self.refilter()

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self.refresh_bindings()

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_open()

    # -- the item, whole -------------------------------------------------------------------

    def _show_detail(self) -> None:
        from quizapp.tui.widgets.browse_detail import detail_content

        row = self.detail
        if row is None:
            return
        box = self.query_one("#browse-detail", ScrollBox)
        box.border_title = literal(row.key)
        shown_width = self.query_one("#detail-text", Static).content_size.width
        width = max(20, shown_width or self.app.size.width - 7)
        app = self.quiz_app
        text = detail_content(row, self.answers, app.clock(), app.tz, self.labels, width)
        self.query_one("#detail-text", Static).update(text)
        index = next((i for i, r in enumerate(self.shown) if r.key == row.key), None)
        where = f"{index + 1} of {len(self.shown)}" if index is not None else row.key
        self.query_one("#browse-status", Static).update(
            f"{where} · [b]↑ ↓[/b] scroll · [b]esc[/b] back to the list"
        )

    def on_resize(self) -> None:
        if self.is_mounted and self._item_width() != self.item_width:
            self._columns()
            self.refilter()
        if self.detail is not None:
            self.call_after_refresh(self._show_detail)

    # -- keys ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        row = self.current_row()
        in_detail = self.detail is not None
        if action == "suspend":
            return row is not None and row.has_card
        if action == "reset":  # only a card with progress to forget
            return (
                row is not None
                and row.has_card
                and row.card is not None
                and (row.card.reps > 0 or row.card.due is not None)
            )
        if action == "open":
            return not in_detail and row is not None
        if action in ("search", "filter", "clear"):
            return not in_detail
        return True

    def action_scroll_box(self, how: str) -> None:
        """The item whole, or the list (its highlight moves: from the search box too)."""
        if self.detail is not None:
            scroll_box(self.query_one("#browse-detail", ScrollBox), how)
        else:
            scroll_box(self.query_one(ScrollingTable), how)

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_filter(self, which: str) -> None:
        select = self.query_one(f"#{which}", Select)
        select.focus()
        select.expanded = True

    def action_clear(self) -> None:
        with self.prevent(Input.Changed, Select.Changed):
            self.query_one("#search", Input).value = ""
            for which in ("kind", "topic", "domain"):
                self.query_one(f"#{which}", Select).value = ANY
        self.refilter()
        self.query_one(DataTable).focus()

    def action_open(self) -> None:
        row = self.current_row()
        if row is None or self.detail is not None:
            return
        self.detail = row
        self.answers = ()
        self._show_detail()
        self.query_one(ContentSwitcher).current = "browse-detail"
        self.query_one("#browse-filters").display = False
        detail = self.query_one("#browse-detail", ScrollBox)
        detail.scroll_home(animate=False)
        detail.focus()
        self.load_detail(row)
        self.refresh_bindings()

    def action_back(self) -> None:
        focused = self.focused
        if self.detail is not None:
            self.detail = None
            self.query_one(ContentSwitcher).current = "browse-list"
            self.query_one("#browse-filters").display = True
            self.query_one(DataTable).focus()
            self._status()
            self.refresh_bindings()
        elif isinstance(focused, Input | Select):
            self.query_one(DataTable).focus()
        else:
            self.app.pop_screen()

    def action_suspend(self) -> None:
        row = self.current_row()
        if row is not None and row.has_card:
            self.change(row, "suspend")

    def action_reset(self) -> None:
        row = self.current_row()
        if row is None or not self.check_action("reset", ()) or row.card is None:
            return

        def confirmed(reset: bool | None) -> None:
            if reset:
                self.change(row, "reset")

        self.app.push_screen(ConfirmReset(row.summary, row.card.reps), confirmed)
