"""An item shown whole (every field of its kind) with its card's progress, as Content: the
bank's text literal, our labels and progress lines styled around it. Ordering items list their
steps in the right order, matching items their pairs, each with its explanation; every item
ends with the pages that confirm it ("See: title — url", literal text, no links)."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from datetime import datetime, tzinfo

from textual.content import Content

from quizapp.bank.model import Item
from quizapp.browse import CardInfo, PastAnswer
from quizapp.reviews import GRADE_LABELS
from quizapp.tui.format import cloze_parts, percent, when
from quizapp.tui.text import Part, assemble, join, markup
from quizapp.tui.widgets.browse_rows import KIND_LABELS, BrowseRow, family_label
from quizapp.tui.widgets.quiz_question import ref_lines

LETTERS = "ABCDEFGHIJ"


def _field(label: str, text: str, style: str = "b") -> list[Part]:
    return ["", (label, style), text] if text else []


def hanging(text: str, width: int, indent: int, style: str = "") -> Content:
    """`text` (literal) wrapped to `width`, lines after the first indented by `indent`; the
    indent stays outside the style (so no styled run starts with blanks)."""
    lines = textwrap.wrap(text, max(10, width - indent)) or [""]
    return join([(line, style) for line in lines], "\n" + " " * indent)


def item_lines(item: Item, width: int = 76) -> list[Part]:
    """The item's content by kind: front/back/ELI5/technical, cloze, choices, true/false,
    computed family and scenario, ordering steps, matching pairs; then its refs (`width`:
    where choices, steps and pairs wrap, with a hanging indent)."""
    lines: list[Part] = []
    if item.kind == "flashcard":
        lines += _field("Front", item.front)
        lines += _field("Back", item.back)
    elif item.kind == "cloze":
        text = assemble(*((t, "b $text-accent") if gap else t for t, gap in cloze_parts(item.text)))
        lines += ["", markup("[b]Cloze[/b] [dim](gaps highlighted)[/dim]"), text]
        lines += _field("Note", item.back)
    elif item.kind in ("single_choice", "multiple_response"):
        lines += _field("Question", item.prompt)
        if item.kind == "multiple_response":
            lines.append(markup(f"[dim]Choose {item.choose}.[/dim]"))
        lines.append("")
        for letter, choice in zip(LETTERS, item.choices, strict=False):
            mark = markup("[b $text-success]✓[/]" if choice.correct else "[$text-error]✗[/]")
            lines.append(assemble(mark, " ", (letter, "b"), "  ", hanging(choice.text, width, 5)))
            if choice.explanation:
                lines.append(assemble("     ", hanging(choice.explanation, width, 5, "dim")))
    elif item.kind == "true_false":
        lines += _field("Statement", item.prompt)
        truth = "True" if item.answer else "False"
        lines += ["", markup(f"[b]Answer[/b]  [b $text-success]{truth}[/]")]
        lines += _field("Explanation", item.explanation)
    elif item.kind == "computed":
        lines += _field("Prompt", item.prompt)
        lines += [
            "",
            assemble(("Family", "b"), "    ", family_label(item.family)),
            assemble(("Scenario", "b"), "  ", item.scenario),
            (
                "Each time it is asked, the engine draws fresh numbers for this scenario.",
                "dim",
            ),
        ]
    elif item.kind == "ordering":
        lines += _field("Question", item.prompt)
        lines += ["", markup("[b]Steps[/b] [dim](in the right order; shown shuffled)[/dim]")]
        for n, step in enumerate(item.steps, 1):
            lines.append(assemble((f"{n}.", "b"), "  ", hanging(step.text, width, 4)))
            if step.explanation:
                lines.append(assemble("    ", hanging(step.explanation, width, 4, "dim")))
    elif item.kind == "matching":
        lines += _field("Question", item.prompt)
        lines += ["", markup("[b]Pairs[/b] [dim](the descriptions are shown shuffled)[/dim]")]
        for n, pair in enumerate(item.pairs, 1):
            lines.append(assemble((f"{n}.", "b"), "  ", hanging(pair.item, width, 4, "b")))
            lines.append(assemble("    → ", hanging(pair.match, width, 6)))
            if pair.explanation:
                lines.append(assemble("    ", hanging(pair.explanation, width, 4, "dim")))
    else:
        lines += _field("Text", item.text or item.prompt or item.front)
    lines += _field("ELI5", item.eli5, "b $text-success")
    lines += _field("Technical", item.technical, "b $text-primary")
    if item.refs:
        lines.append("")
        lines += [(line, "dim") for line in ref_lines(item.refs)]
    return lines


def _answer_line(answer: PastAnswer, now: datetime, tz: tzinfo | None) -> str:
    """One past answer as our markup (dates, grades and states only: no bank text)."""
    moment = when(answer.at, now, tz)
    if answer.source == "review":
        grade = GRADE_LABELS.get(answer.grade or 0, "?")
        style = "$text-error" if answer.grade == 1 else "$text-success"
        interval = ""
        if answer.interval_days is not None:
            days = answer.interval_days
            interval = f", next in {days:.0f}d" if days >= 1 else f", next in {days * 1440:.0f}m"
        what = f"review of a {answer.state_before} card{interval}"
        return f"  {moment:<17} [{style}]{grade:<5}[/] [dim]{what}[/dim]"
    verdict = "[$text-success]right[/]" if answer.correct else "[$text-error]wrong[/]"
    where = "in an exam" if answer.mode == "exam" else "in a quiz"
    return f"  {moment:<17} {verdict} [dim]{where}[/dim]"


def progress_lines(
    card: CardInfo | None, answers: Sequence[PastAnswer], now: datetime, tz: tzinfo | None
) -> list[str]:
    """Where the card's memory stands and the last answers (reviews and quiz answers), as
    our markup (no bank text)."""
    lines = ["", "[b $text-accent]Progress[/]"]
    if card is None:
        lines.append("[dim]Not a flashcard: it is asked in quizzes and exams only.[/dim]")
    else:
        flags = [
            name
            for name, on in (
                ("suspended", card.suspended),
                ("buried until tomorrow", card.buried),
                ("leech", card.leech),
                ("retired from the banks", card.retired),
            )
            if on
        ]
        state = card.state if card.state not in ("suspended", "retired") else "—"
        due = "when first studied" if card.due is None else when(card.due, now, tz)
        lines += [
            f"State      [b]{state}[/b]"
            + (f"  [$text-warning]{', '.join(flags)}[/]" if flags else ""),
            f"Due        {due}",
        ]
        if card.stability_days is not None:
            lines.append(
                f"Stability  {card.stability_days:.1f} days · FSRS difficulty "
                f"{card.fsrs_difficulty or 0:.1f} · recall now {percent(card.recall_now)}"
            )
        lines.append(f"Reviews    {card.reps} · lapses {card.lapses}")
    if answers:
        lines += ["", "[b]Last answers[/b]"]
        lines += [_answer_line(a, now, tz) for a in answers]
    else:
        lines += ["", "[dim]No answers yet.[/dim]"]
    return lines


def detail_content(
    row: BrowseRow,
    answers: Sequence[PastAnswer],
    now: datetime,
    tz: tzinfo | None,
    topic_labels: dict[str, str],
    width: int = 76,
) -> Content:
    """Everything about one row: header, content, progress (`width`: the text's width)."""
    topic = topic_labels.get(row.topic, row.topic)
    head: list[Part] = [
        assemble(
            (KIND_LABELS.get(row.kind, row.kind).capitalize(), "b"),
            f" · {topic}{f' · {row.domain}' if row.domain else ''} · {row.difficulty}",
        )
    ]
    if row.item is not None:
        src = row.item.source
        where = f" · {src.file} § {src.section} · {src.point}" if src else ""
        head.append((f"{row.item.bank}{where}", "dim"))
        body = item_lines(row.item, width)
    else:
        family = family_label((row.card.family if row.card else None) or "")
        body = [
            "",
            assemble(("Computed skill", "b"), f"  {family} at {row.difficulty}"),
            "Each review shows a fresh variant from the NumPy engine; it is graded from",
            "your answer (right, with help, slow, or wrong).",
        ]
    progress = [markup(line) for line in progress_lines(row.card, answers, now, tz)]
    return join([*head, *body, *progress])
