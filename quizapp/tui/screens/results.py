"""An attempt's results: scaled score, pass or fail, per-domain and per-topic breakdown, time,
the core's notes; then the review of every question (or only the wrong or flagged ones) with
the learner's choice, the right one and every option's explanation.

An exam's results read like AWS's score report: the scaled score and pass or fail against its
profile's pass mark, how many questions were scored (an exam's unscored questions are not
said), and per domain of its profile whether the share right "meets" the pass mark's or
"needs improvement" (scoring is compensatory: only the total decides), with how many of the
domain's questions the draw had to borrow from the other domains. Practice results show the
share right and the same tallies without verdicts.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from quizapp.quiz import REVIEW_FILTERS, ExamProfile, Results, Tally, profile_by_name
from quizapp.quiz.results import MEETS
from quizapp.tui.format import bar, clock_text, percent, plural
from quizapp.tui.screens.base import QuizAppScreen
from quizapp.tui.styles import styles
from quizapp.tui.text import assemble, join, literal, markup
from quizapp.tui.widgets.app_footer import AppFooter
from quizapp.tui.widgets.quiz_question import (
    FeedbackView,
    domain_label,
    kind_label,
    place_label,
    topic_label,
)
from quizapp.tui.widgets.scrolling import ScrollBox, scroll_bindings, scroll_box

BAR_WIDTH = 14
FILTER_TITLES = {"all": "every question", "wrong": "wrong only", "flagged": "flagged only"}
STATUS_MARKUP = {
    "correct": "[b $text-success]✓ right[/]",
    "wrong": "[b $text-error]✗ wrong[/]",
    "unanswered": "[b $text-warning]– not answered[/]",
}


VERDICT_STYLE = {MEETS: "b $text-success"}  # "needs improvement": $text-warning


def is_exam(results: Results) -> bool:
    return results.mode == "exam"


def exam_profile(results: Results) -> ExamProfile | None:
    """The exam profile the attempt was recorded with (None: practice, or one not loaded)."""
    return profile_by_name(results.profile) if is_exam(results) else None


def score_markup(results: Results) -> str:
    """The headline: the scaled score and pass / fail (exam), or the share right (practice)."""
    share = percent(results.correct / results.total)
    right = f"{results.correct} of {results.total} right ({share})"
    if not is_exam(results):
        return f"[b]{right}[/b]"
    verdict = "[b $text-success]PASS[/]" if results.passed else "[b $text-error]FAIL[/]"
    return f"Score [b]{results.score}[/b] of 1000: {verdict} (pass at {results.pass_score})"


def scored_text(results: Results) -> str:
    """How many questions counted: "Scored on 50 of 65 questions (15 unscored, not shown
    which)"; empty when every question counted."""
    if not results.unscored:
        return ""
    questions = results.questions or results.total + results.unscored
    return (
        f"Scored on {results.total} of {questions} questions "
        f"({results.unscored} unscored, not shown which)"
    )


def detail_markup(results: Results) -> str:
    """What the score is made of, and the time."""
    counts = f"{results.answered} answered · {results.flagged} flagged"
    if is_exam(results):
        share = percent(results.correct / results.total)
        right = "scored right" if results.unscored else "right"
        counts = f"{results.correct} of {results.total} {right} ({share}) · {counts}"
        scored = scored_text(results)
        if scored:
            counts = f"{scored}\n{counts}"
    else:
        counts = f"{counts} · scaled {results.score} of 1000"
    used = clock_text(results.time_used_s)
    if results.time_limit_s is None:
        time = f"Time {used}"
    else:
        time = f"Time used {used} of {clock_text(results.time_limit_s)}"
        if results.timed_out:
            time += " [b $text-warning](time ran out)[/]"
    paused = pause_text(results.pauses, results.paused_s)
    return f"{counts}\n{time}" + (f"\n{paused}" if paused else "")


TIMES = {1: "once", 2: "twice"}


def duration_text(seconds: float) -> str:
    """A wall-clock span in words: "45 s", "12 min", "1 h 12 min", "3 h"."""
    if seconds < 59.5:
        return f"{max(0, round(seconds))} s"
    hours, minutes = divmod(round(seconds / 60), 60)
    if not hours:
        return f"{minutes} min"
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


def pause_text(pauses: int, paused_s: float) -> str:
    """How often and how long the attempt was left (its clock stopped): "Paused twice, 1 h
    12 min in all"; empty when it never was."""
    if pauses <= 0:
        return ""
    if pauses == 1:
        return f"Paused once, {duration_text(paused_s)}"
    times = TIMES.get(pauses, f"{pauses} times")
    return f"Paused {times}, {duration_text(paused_s)} in all"


def tally_lines(
    title: str, tallies: dict[str, Tally], label, results: Results, width: int
) -> list[Content]:
    """A heading and one line per row: label (literal), right/total, a bar and the percentage."""
    lines = [markup(f"[b]{title}[/b]")]
    pass_fraction = (results.pass_score - 100) / 900
    for key, tally in tallies.items():
        filled, empty = bar(tally.fraction, BAR_WIDTH)
        tone = "$success" if tally.fraction >= pass_fraction else "$error"
        name = label(key)
        if len(name) > width:  # a narrow terminal: cut, so the percentage keeps its row
            name = name[: width - 1] + "…"
        lines.append(
            assemble(
                f" {name:<{width}} {tally.text:>5} ",
                (filled, tone),
                (empty, "on $boost"),
                f" {percent(tally.fraction):>4}",
            )
        )
    return lines


def domain_lines(results: Results, bar_width: int = BAR_WIDTH) -> list[Content]:
    """An exam's report by domain, in its profile's order: a heading saying the scoring is
    compensatory; per domain its name (literal, on its own line: names are long), then
    right/total, a bar, the share and "meets" or "needs improvement" (or that none of its
    questions was scored), and how many of its slots the draw filled from other domains."""
    pass_share = percent(results.pass_fraction)
    lines = [
        markup("[b]By domain[/b]"),
        markup(
            f"[dim]Compensatory scoring: only the total score decides. A domain meets the "
            f"standard when at least {pass_share} of its scored questions are right.[/dim]"
        ),
    ]
    quotas = {q.domain: q for q in results.quotas}
    verdicts = results.domain_verdicts()
    names = [*quotas, *(d for d in results.by_domain if d not in quotas)]
    for name in names:
        lines.append(assemble(" ", literal(domain_label(name), "b")))
        tally = results.by_domain.get(name)
        if tally is None:
            lines.append(markup("   [dim]no scored questions[/dim]"))
        else:
            verdict = verdicts[name]
            tone = "$success" if verdict == MEETS else "$warning"
            filled, empty = bar(tally.fraction, bar_width)
            lines.append(
                assemble(
                    f"  {tally.text:>5} ",
                    (filled, tone),
                    (empty, "on $boost"),
                    f" {percent(tally.fraction):>4}  ",
                    (verdict, VERDICT_STYLE.get(verdict, "b $text-warning")),
                )
            )
        quota = quotas.get(name)
        if quota is not None and quota.short:
            lines.append(
                markup(
                    f"   [dim]{quota.short} of its {plural(quota.target, 'slot')} filled "
                    "from other domains (too few questions here)[/dim]"
                )
            )
    return lines


class ResultsScreen(QuizAppScreen[None]):
    """The score first; a, w, f open the review (all, wrong only, flagged only)."""

    CSS_PATH = styles(["results.tcss", "quiz.tcss"])

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "review('all')", "All", id="results.all", tooltip="Review every question"),
        Binding(
            "w",
            "review('wrong')",
            "Wrong",
            id="results.wrong",
            tooltip="Review only the questions answered wrong or not answered",
        ),
        Binding(
            "f",
            "review('flagged')",
            "Flagged",
            id="results.flagged",
            tooltip="Review only the questions flagged for review",
        ),
        Binding("n,right", "step(1)", "Next", id="results.next", tooltip="Review: next question"),
        Binding(
            "p,left", "step(-1)", "Prev", id="results.previous", tooltip="Review: previous question"
        ),
        Binding("s", "summary", "Score", id="results.summary", tooltip="Back to the score"),
        Binding("escape", "app.back", "Back", id="results.back", tooltip="Back to the set-up"),
        *scroll_bindings("results", "score or the review"),
    ]

    def __init__(self, results: Results) -> None:
        super().__init__()
        self.results = results
        self.only: str | None = None  # None: the summary; else the review filter
        self.index = 0

    def compose(self) -> ComposeResult:
        r = self.results
        with ScrollBox(id="summary", classes="panel") as summary:
            profile = exam_profile(r)
            title = "Exam results" if is_exam(r) else "Quiz results"
            summary.border_title = assemble(
                title, f" · {profile.code}" if profile else "", f" · attempt {r.attempt_id}"
            )
            summary.border_subtitle = "a / w / f review all, wrong or flagged"
            yield Static(score_markup(r), id="score")
            yield Static(detail_markup(r), id="score-detail")
            exam = is_exam(r)
            width = max(
                [0 if exam else len(domain_label(d)) for d in r.by_domain]
                + [len(topic_label(t)) for t in r.by_topic]
            )
            # a row is the label and 27 more cells; the panel takes 6 (borders, padding, bar)
            width = max(8, min(width, self.app.size.width - 6 - 27))
            if exam:
                yield Static(join(domain_lines(r)), id="by-domain", classes="tally")
            else:
                yield Static(
                    join(tally_lines("By domain", r.by_domain, domain_label, r, width)),
                    id="by-domain",
                    classes="tally",
                )
            topics = dict(sorted(r.by_topic.items(), key=lambda kv: topic_label(kv[0])))
            yield Static(
                join(tally_lines("By topic", topics, topic_label, r, width)),
                id="by-topic",
                classes="tally",
            )
            if r.notes:
                notes = [f" · {n[:1].upper() + n[1:]}" for n in r.notes]  # may quote domains
                yield Static(join([markup("[b]Notes[/b]"), *notes]), id="notes")
        with ScrollBox(id="review", classes="panel"):
            yield Static("", id="review-head")
            yield Static("", id="review-prompt", markup=False)
            yield Vertical(id="review-slot")
        yield AppFooter(compact=True)

    def on_mount(self) -> None:
        self.action_summary()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "step":
            return self.only is not None
        if action == "summary":
            return self.only is not None
        if action == "review":
            return self.only != (parameters[0] if parameters else None)
        return True

    def action_summary(self) -> None:
        self.only = None
        self.query_one("#summary").display = True
        self.query_one("#review").display = False
        self.query_one("#summary").focus()
        self.refresh_bindings()

    def action_review(self, only: str) -> None:
        if only not in REVIEW_FILTERS:
            return
        self.only = only
        self.index = 0
        self.query_one("#summary").display = False
        self.query_one("#review").display = True
        self._show_entry()
        self.query_one("#review").focus()
        self.refresh_bindings()

    def action_step(self, delta: int) -> None:
        if self.only is None:
            return
        entries = self.results.review(self.only)  # type: ignore[arg-type]
        index = min(max(0, self.index + delta), max(0, len(entries) - 1))
        if index != self.index:
            self.index = index
            self._show_entry()

    def action_scroll_box(self, how: str) -> None:
        scroll_box(self.query_one("#review" if self.only else "#summary", ScrollBox), how)

    def _show_entry(self) -> None:
        only = self.only or "all"
        entries = self.results.review(only)  # type: ignore[arg-type]
        box = self.query_one("#review", ScrollBox)
        head = self.query_one("#review-head", Static)
        prompt = self.query_one("#review-prompt", Static)
        slot = self.query_one("#review-slot", Vertical)
        slot.remove_children()
        if not entries:
            box.border_title = f"Review · {FILTER_TITLES[only]}"
            box.border_subtitle = ""
            kind = {"wrong": "wrong or unanswered", "flagged": "flagged"}.get(only, "")
            head.update(f"No {kind} questions in this attempt. [dim](a shows every one)[/dim]")
            prompt.display = False
            return
        entry = entries[self.index]
        q = entry.question
        questions = self.results.questions or len(self.results.entries)
        box.border_title = f"Review · {FILTER_TITLES[only]} · {self.index + 1} of {len(entries)}"
        box.border_subtitle = "n / p next, previous · s score"
        flag = "  [b $text-warning]⚑ flagged[/]" if entry.flagged else ""
        head.update(
            join(
                [
                    markup(
                        f"[b]Question {q.position + 1}[/b] of {questions}  "
                        f"{STATUS_MARKUP[entry.status]}{flag}  [dim]{kind_label(q)}[/dim]"
                    ),
                    (place_label(q.domain, q.topic), "dim"),
                ]
            )
        )
        prompt.display = True
        prompt.update(q.prompt)
        slot.mount(FeedbackView(entry))
        box.scroll_home(animate=False)
