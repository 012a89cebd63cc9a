"""Ordering and matching questions answered by keyboard: the learner types letters.

Ordering: the steps are shown lettered A-F (in the attempt's shuffled order) and the learner
types their letters first step first ("CADB"). Matching: the descriptions are lettered A-F and
the items numbered 1-n (under the box, each with the description typed for it so far); the
learner types the letter of item 1's description, then item 2's, ... ("BDAC"). Case and the
separators in `SEPARATORS` are ignored ("c, a, d, b" is "CADB"). Under the box a preview lists
the order (or the pairs) as typed, and one line says what is still missing or what is wrong (a
letter typed twice, a character that is no letter of the question); enter answers only a
complete entry, so nothing half-typed is ever saved.

Every piece of bank or learner text here is literal (`quizapp.tui.text`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Input, Label, Static

from quizapp.quiz import Question
from quizapp.quiz.questions import LETTERS
from quizapp.tui.text import assemble, join, literal
from quizapp.tui.widgets.one_line_input import AnswerBox

SEPARATORS = frozenset(" ,;-/>")  # between letters: ignored
ORDINALS = {1: "1st", 2: "2nd", 3: "3rd"}


def ordinal(n: int) -> str:
    return ORDINALS.get(n, f"{n}th")


def letter_range(count: int) -> str:
    """'A–E' for five options."""
    return f"A–{LETTERS[count - 1]}" if count > 1 else "A"


@dataclass(frozen=True, slots=True)
class Entry:
    """What the learner typed, read: the display positions of the letters in the order typed,
    and what is wrong with it ("" when nothing is: it may still be incomplete)."""

    positions: tuple[int, ...]
    count: int  # how many letters make a whole answer
    problem: str = ""

    @property
    def complete(self) -> bool:
        return not self.problem and len(self.positions) == self.count

    @property
    def letters(self) -> str:
        return "".join(LETTERS[d] for d in self.positions)

    def missing(self) -> str:
        """The letters not typed yet: 'B, E'."""
        return ", ".join(LETTERS[d] for d in range(self.count) if d not in self.positions)


def read_entry(text: str, count: int) -> Entry:
    """Read the box: letters A.. (any case) each once; separators ignored. Reading stops at
    the first problem (a character that is no letter of the question, a letter twice)."""
    letters = LETTERS[:count]
    positions: list[int] = []
    for char in text:
        if char in SEPARATORS:
            continue
        upper = char.upper()
        if len(upper) != 1 or upper not in letters:
            shown = char if char.isprintable() else repr(char)
            problem = f"“{shown}” is not a letter of this question: type {letter_range(count)}."
            return Entry(tuple(positions), count, problem)
        position = letters.index(upper)
        if position in positions:
            return Entry(tuple(positions), count, f"{upper} is typed twice: each letter once.")
        positions.append(position)
    return Entry(tuple(positions), count)


def answer_of(question: Question, entry: Entry) -> tuple[int, ...]:
    """The session's answer for a complete entry: the ORIGINAL indexes in the order typed
    (ordering: the steps first to last; matching: for item 1, 2, ... its description)."""
    return tuple(question.options[d].index for d in entry.positions)


def letters_of(question: Question, chosen: Sequence[int]) -> str:
    """A saved sequence (original indexes) as the letters shown: 'CADB'."""
    return "".join(question.option(i).label for i in chosen)


def what_placed(question: Question) -> tuple[str, str]:
    """('step', 'placed') or ('item', 'matched'): the words of the status line."""
    return ("step", "placed") if question.kind == "ordering" else ("item", "matched")


def task_hint(question: Question) -> Content:
    """The line above the list: what to type (one line at 60 columns)."""
    if question.kind == "ordering":
        return assemble(("Order the steps:", "b"), " type their letters, first step first.")
    return assemble(("Match the items:", "b"), " type each one's description letter.")


def _rows(labels: Sequence[str], texts: Sequence[str]) -> Table:
    """'A  text' rows, each text wrapped under itself (a hanging indent)."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True, style="bold")
    grid.add_column(ratio=1)
    for label, text in zip(labels, texts, strict=True):
        # rich Text is literal (never markup); `literal` drops control codes first
        grid.add_row(Text(label), Text(literal(text).plain))
    return grid


LONG_LEFT = 40  # a matching item longer than this is also listed whole above the box


def choices_renderable(question: Question) -> Group | Table:
    """The steps (ordering) or the descriptions (matching), lettered. A matching question's
    items are numbered in the preview under the box; only when one is long (the preview line
    might cut it) are they listed here too, whole."""
    options = _rows([o.label for o in question.options], [o.text for o in question.options])
    if question.kind != "matching" or all(len(left) <= LONG_LEFT for left in question.lefts):
        return options
    items = _rows([str(n) for n in range(1, len(question.lefts) + 1)], question.lefts)
    return Group(
        Text("Items", style="bold underline"),
        items,
        Text(""),
        Text("Descriptions", style="bold underline"),
        options,
    )


def preview_lines(question: Question, entry: Entry) -> list[Content]:
    """The order as typed so far, one line per step placed ('1. C  text'); or every item
    with the description typed for it so far ('1. item → C  description', '2. item → ?')."""
    lines: list[Content] = []
    if question.kind == "matching":
        width = max(len(left) for left in question.lefts)
        width = width if width <= LONG_LEFT else 0  # the arrows in a column, unless one is long
        for n, left in enumerate(question.lefts):
            head = assemble(f"{n + 1}. ", left.ljust(width), (" → ", "$text-muted"))
            if n >= len(entry.positions):
                lines.append(assemble(head, ("?", "$text-muted")))
                continue
            option = question.options[entry.positions[n]]
            lines.append(assemble(head, (option.label, "b"), "  ", (option.text, "$text-muted")))
        return lines
    for n, d in enumerate(entry.positions):
        option = question.options[d]
        lines.append(assemble(f"{n + 1}. ", (option.label, "b"), "  ", option.text))
    return lines


def status_line(
    question: Question, entry: Entry, *, exam: bool, saved: str, last: bool = False
) -> tuple[str, str]:
    """(text, tone) of the line under the box; tone is "problem", "ready" or "hint".
    `saved`: the letters of the answer an exam has stored ("" if none); `last`: the exam's
    last question (enter on a saved answer goes nowhere)."""
    _, done = what_placed(question)
    count = entry.count
    if entry.problem:
        return entry.problem, "problem"
    if exam and saved and entry.letters == saved:
        return ("Saved." if last else "Saved. Enter again: the next question."), "ready"
    keep = f" (saved: {saved})" if exam and saved else ""
    if not entry.positions:
        if question.kind == "ordering":
            return f"Type {count} letters, {letter_range(count)}, each once{keep}.", "hint"
        return f"Type {count} letters, one per item: item 1's first{keep}.", "hint"
    if not entry.complete:
        left = entry.missing()
        return f"{len(entry.positions)} of {count} {done} · left: {left}{keep}.", "hint"
    verb = "saves" if exam else "checks"
    return f"All {count} {done}: enter {verb} your answer{keep}.", "ready"


class SequenceBox(AnswerBox):
    """The letters box: every printable key is text; enter answers (practice) or saves
    (exam) a complete entry; escape leaves the box to the screen's keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "Check", tooltip="Check the order typed"),
        Binding("enter", "save", "Save", tooltip="Exam: save the order typed"),
    ]

    exam = False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "submit":
            return not self.exam
        if action == "save":
            return self.exam
        return True

    async def action_save(self) -> None:
        await self.action_submit()


class SequencePanel(Vertical):
    """The answer box, the status line and the preview of an ordering or matching question
    (the lettered list itself scrolls above it: `choices_renderable`)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.question: Question | None = None
        self.exam = False
        self.saved = ""  # the letters of the saved answer (exam), "" if none
        self.tried = False  # enter was pressed on an entry that is not complete
        self.last = False  # the last question (exam: enter on a saved answer goes nowhere)

    def compose(self) -> ComposeResult:
        with Horizontal(id="seq-row"):
            yield Label("Answer ", id="seq-label")
            yield SequenceBox(
                placeholder="letters, then enter",
                id="seq-box",
                select_on_focus=False,
                compact=True,
            )
        yield Static("", id="seq-status")
        yield Static("", id="seq-preview")

    @property
    def box(self) -> SequenceBox:
        return self.query_one("#seq-box", SequenceBox)

    def entry(self) -> Entry:
        count = len(self.question.options) if self.question is not None else 0
        return read_entry(self.box.value, count)

    def load(
        self, question: Question, *, exam: bool, saved: str, text: str, last: bool = False
    ) -> None:
        """A question to answer: its saved letters (exam) and what the box holds."""
        self.question = question
        self.exam = exam
        self.last = last
        self.box.exam = exam
        self.saved = saved
        self.tried = False
        if self.box.value != text:
            self.box.value = text
            self.box.cursor_position = len(text)
        self.refresh_status()

    def set_saved(self, saved: str) -> None:
        if saved != self.saved:
            self.saved = saved
            self.refresh_status()

    @on(Input.Changed, "#seq-box")
    def _typed(self, event: Input.Changed) -> None:
        self.tried = False  # (the screen keeps the draft: the event goes on up)
        self.refresh_status()

    def refresh_status(self) -> None:
        question = self.question
        if question is None:
            return
        entry = self.entry()
        text, tone = status_line(question, entry, exam=self.exam, saved=self.saved, last=self.last)
        if self.tried and not entry.complete and tone != "problem":
            text, tone = f"Not answered yet: {text[:1].lower()}{text[1:]}", "problem"
        status = self.query_one("#seq-status", Static)
        status.update(assemble(text))
        for name in ("problem", "ready", "hint"):
            status.set_class(tone == name, f"-{name}")
        preview = self.query_one("#seq-preview", Static)
        lines = preview_lines(question, entry)
        preview.display = bool(lines)
        preview.update(join(lines))
