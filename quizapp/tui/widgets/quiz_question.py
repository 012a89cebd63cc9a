"""A quiz question on screen: its options to pick from, and the judged answer with every
option's explanation (practice feedback and the review after an exam share it). Ordering and
matching answers are shown in the right order (or pairs), each marked against the learner's,
with its explanation; an item's refs follow its explanations ("See: title — url").

Plain functions format; the widgets only show what the core computed (`Question`, `Feedback`).
"""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static
from textual.widgets.option_list import Option

from quizapp.bank.model import Ref
from quizapp.quiz import Feedback, Question
from quizapp.tui.text import assemble, join
from quizapp.tui.widgets.one_line_input import AnswerBox
from quizapp.tui.widgets.scrolling import InlineChoices
from quizapp.tui.widgets.sequence_answer import ordinal

NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}
DOMAIN_SHORT = {
    "Machine Learning Implementation and Operations": "ML Implementation and Operations",
}


def domain_label(domain: str) -> str:
    return DOMAIN_SHORT.get(domain, domain)


def topic_label(topic: str) -> str:
    """The taxonomy's label up to its colon ('How networks learn'), or (a learner's own
    topic) its id made readable."""
    from quizapp.bank.taxonomy import load_taxonomy, readable_topic

    label = load_taxonomy().topics.get(topic)
    return label.split(":", 1)[0] if label else readable_topic(topic)


def place_label(domain: str, topic: str) -> str:
    """'domain · topic' for a question's header; a learner's item in no domain: the topic."""
    return f"{domain_label(domain)} · {topic_label(topic)}" if domain else topic_label(topic)


def kind_label(question: Question) -> str:
    if question.kind == "multiple_response":
        return f"choose {NUMBER_WORDS.get(question.choose, question.choose)}"
    return {
        "single_choice": "one answer",
        "true_false": "true or false",
        "computed": "computed",
        "ordering": "put in order",
        "matching": "match up",
    }.get(question.kind, question.kind)


def option_prompt(label: str, text: str, *, picked: bool, multiple: bool) -> Table:
    """'(•) A  text' with the text wrapped under itself (a hanging indent)."""
    mark = ("[x]" if picked else "[ ]") if multiple else ("(•)" if picked else "( )")
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(Text(f"{mark} {label}", style="bold" if picked else ""), Text(text))
    return grid


class ChoicePicker(InlineChoices):
    """The options of a question; enter or space picks the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("space", "select", show=False)]

    def show(self, question: Question, picked: tuple[int, ...] | set[int]) -> None:
        """Set the options, keeping the highlight when it is the same question."""
        state = (question.position, question.item_id, frozenset(picked))
        if state == getattr(self, "_state", None):
            return
        highlighted = self.highlighted
        same = getattr(self, "_question", None) == (question.position, question.item_id)
        self._question = (question.position, question.item_id)
        self._state = state
        self.set_options(
            Option(
                option_prompt(
                    o.label, o.text, picked=o.index in picked, multiple=question.multiple
                ),
                id=str(o.index),
            )
            for o in question.options
        )
        if same and highlighted is not None:
            self.highlighted = highlighted
        else:
            first = next((d for d, o in enumerate(question.options) if o.index in picked), 0)
            self.highlighted = first


class TypedAnswer(AnswerBox):
    """The answer box of a computed practice question: every printable key is text;
    `escape` leaves it to the screen's keys."""


def sequence_letters(question: Question, chosen: tuple[int, ...]) -> str:
    """An ordering or matching sequence (original indexes) in the letters shown: 'D → A → C'
    for an order, '1 D · 2 A · 3 C' for pairs (item number, description letter)."""
    letters = [question.option(i).label for i in chosen]
    if question.kind == "ordering":
        return " → ".join(letters)
    return " · ".join(f"{n} {letter}" for n, letter in enumerate(letters, 1))


def verdict_content(fb: Feedback) -> Content:
    answer = fb.answer_text  # computed: the worked value; true/false: True or False
    lead = " The answer: "
    if fb.question.kind in ("single_choice", "multiple_response"):
        answer = ", ".join(o.label for o in fb.options if o.correct)
    if fb.question.sequence:
        answer = sequence_letters(fb.question, fb.question.key)
        lead = " The right order: " if fb.question.kind == "ordering" else " The right pairs: "
    if not fb.answered:
        return assemble(("– Not answered.", "b $text-warning"), lead, (answer, "b"))
    if fb.correct:
        return assemble(("✓ Right.", "b $text-success"))
    return assemble(("✗ Wrong.", "b $text-error"), lead, (answer, "b"))


def ref_lines(refs: tuple[Ref, ...]) -> list[str]:
    """'See: <title> — <url>' per page that confirms the item: bank text, so show it with
    `literal` / `join` (never as markup, never as a link)."""
    return [f"See: {ref.title} — {ref.url}" for ref in refs]


class OptionRow(Horizontal):
    """One option after answering: ✓/✗, its letter, its text and why it is right or wrong
    (and a note on the learner's answer, for ordering and matching)."""

    def __init__(
        self,
        mark: str,
        label: str,
        text: str | Content,
        why: str,
        classes: str,
        note: str | Content = "",
    ) -> None:
        bare = "" if why else " -bare"
        super().__init__(classes=f"option-row {classes}{bare}")
        self._parts = (mark, label, text, why, note)

    def compose(self) -> ComposeResult:
        mark, label, text, why, note = self._parts
        yield Static(f"{mark} {label}", classes="option-mark", markup=False)
        with Vertical(classes="option-body"):
            yield Static(text, classes="option-text", markup=False)
            if note:
                yield Static(note, classes="option-note", markup=False)
            if why:
                yield Static(why, classes="option-why", markup=False)


def sequence_rows(fb: Feedback) -> ComposeResult:
    """An ordering or matching answer judged: the learner's letters, then the right order (or
    pairs) one row each, ✓ where the learner had it there, ✗ with what they had instead, and
    each step's or pair's explanation."""
    q = fb.question
    ordering = q.kind == "ordering"
    if fb.answered:
        yours = sequence_letters(q, fb.chosen)
        what = "Your order: " if ordering else "Your pairs: "
        yield Static(assemble(what, (yours, "b")), classes="echo")
    for n, index in enumerate(q.key):
        option = q.option(index)
        note: str | Content = ""
        if not fb.answered:
            mark, tone = " ", "-other"
        elif fb.chosen[n] == index:
            mark, tone = "✓", "-right"
        else:
            mark, tone = "✗", "-wrong"
            if ordering:
                note = f"You put it {ordinal(fb.chosen.index(index) + 1)}."
            else:
                had = q.option(fb.chosen[n])
                note = assemble("You matched ", (had.label, "b"), ": ", had.text)
        if ordering:
            text = assemble((option.label, "b"), "  ", option.text)
        else:
            text = assemble((q.lefts[n], "b"), " → ", (option.label, "b"), "  ", option.text)
        yield OptionRow(mark, str(n + 1), text, option.explanation, tone, note)


class FeedbackView(Vertical):
    """The judged answer: verdict, every option with its explanation (ordering and matching:
    the right order or pairs against the learner's), for computed questions the misconception
    named and the worked solution; then the item's refs."""

    DEFAULT_CLASSES = "feedback"

    def __init__(self, feedback: Feedback, *, reveal: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.feedback = feedback
        self.reveal = reveal  # scroll the verdict to the top once shown

    def on_mount(self) -> None:
        if self.reveal:
            self.call_after_refresh(self.scroll_visible, top=True, animate=False)

    def _option_rows(self) -> ComposeResult:
        """Every option, ✓ the right ones, ✗ a wrong one the learner picked (or typed)."""
        fb = self.feedback
        mistake = fb.misconception
        for o in fb.options:
            # a typed answer is "yours" on the option its mistake produces
            typed_here = (
                fb.typed is not None
                and mistake is not None
                and o.option.misconception is not None
                and o.option.misconception.name == mistake.name
            )
            if o.correct:
                mark, tone = "✓", "-right"
            elif o.chosen or typed_here:
                mark, tone = "✗", "-wrong"
            else:
                mark, tone = " ", "-other"
            text = o.text + ("   ← your answer" if o.chosen or typed_here else "")
            yield OptionRow(mark, o.label, text, o.explanation, tone)

    def compose(self) -> ComposeResult:
        fb = self.feedback
        yield Static(verdict_content(fb), classes="verdict")
        if fb.typed is not None:
            echo = f"You typed {fb.typed}" + (f" ({fb.echo})" if fb.echo else "") + "."
            yield Static(echo, classes="echo", markup=False)
        mistake = fb.misconception
        if mistake is not None:
            yield Static(
                f"Your answer matches a known mistake: {mistake.label}. {mistake.hint}",
                classes="misconception",
                markup=False,
            )
        if fb.question.sequence:
            yield from sequence_rows(fb)
        else:
            yield from self._option_rows()
        if fb.explanation:
            yield Static(fb.explanation, classes="explanation", markup=False)
        if fb.steps:
            lines = ["Worked solution"] + [f"{n}. {s}" for n, s in enumerate(fb.steps, 1)]
            yield Static("\n".join(lines), classes="steps", markup=False)
        refs = fb.question.item.refs
        if refs:
            yield Static(join(ref_lines(refs)), classes="refs")
