"""The exam plan as text (the `quizapp plan` output and the dashboard panel's lines)."""

from __future__ import annotations

from quizapp.plan.model import AfterExam, ExamPlan

NO_EXAM_DATE = "No exam date: set one in the settings or pass --exam-date YYYY-MM-DD."
PULL_IN_HINT = "`quizapp plan --pull-in` (u on the dashboard) brings them into the final stretch"


def pct(x: float) -> str:
    return f"{x * 100:.0f}%"


def after_exam_line(warn: AfterExam) -> str:
    n = warn.count
    return (
        f"{n} card{'s' if n != 1 else ''} next due after the exam and not seen before it: "
        f"{PULL_IN_HINT} (from {warn.stretch_start.isoformat()})."
    )


def _short(plan: ExamPlan) -> str:
    parts = []
    if plan.reviews_behind:
        parts.append(f"up to {plan.reviews_behind} due reviews left undone on a day")
    if plan.new_held_back:
        parts.append(f"{plan.new_held_back} new cards held back")
    return "The budget does not cover everything: " + "; ".join(parts) + "."


def summary_lines(plan: ExamPlan) -> list[str]:
    """The headline: recall, the budget, new cards, the stretch, the warning."""
    days = len(plan.daily)
    more = plan.minutes_per_day + 10
    less = max(1, plan.minutes_per_day - 10)
    lines = [
        f"Exam {plan.exam_date.isoformat()} (in {days} day{'s' if days != 1 else ''}), "
        f"{plan.minutes_per_day} min a day",
        f"Predicted recall on exam day: {pct(plan.predicted_recall)} "
        f"({plan.studied_by_exam} of {plan.cards} cards studied by then)",
        f"With {more} min a day: {pct(plan.recall_if_more)}; "
        f"with {less} min: {pct(plan.recall_if_less)}",
        "The budget covers everything." if plan.fits_budget else _short(plan),
        f"New cards per day that fit: {plan.new_per_day:.1f} "
        f"({plan.new_left} still unseen on exam day)",
        f"Final stretch: the last {plan.stretch_days} day{'s' if plan.stretch_days != 1 else ''}"
        " (every studied card seen once)",
    ]
    if plan.after_exam:
        n = plan.after_exam
        lines.append(
            f"Warning: {n} card{'s' if n != 1 else ''} next due after the exam: {PULL_IN_HINT}."
        )
    return lines


def format_plan(plan: ExamPlan) -> str:
    lines = summary_lines(plan)
    if plan.by_domain:
        lines += ["", "By domain:"]
        lines += [f"  {name}: {pct(r)}" for name, r in plan.by_domain.items()]
    if plan.by_topic:
        lines += ["", "By topic:"]
        lines += [f"  {name}: {pct(r)}" for name, r in plan.by_topic.items()]
    lines += ["", "Day          reviews   new  minutes"]
    lines += [
        f"{d.date.isoformat()}  {d.reviews:7d} {d.new:5d} {d.minutes:8.1f}" for d in plan.daily
    ]
    return "\n".join(lines)
