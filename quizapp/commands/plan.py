"""`quizapp plan [--exam-date YYYY-MM-DD] [--minutes N] [--json] [--pull-in]`: the plan for
exam day (predicted recall overall, per topic and domain, reviews and new cards a day at the
daily budget, with 10 minutes more or less), simulated from the learner's own cards.

Defaults from the settings (exam_date, study_minutes_per_day). No exam date: one line.
`--pull-in` first moves the cards next due after the exam into the final stretch.
"""

from __future__ import annotations

import argparse
import json
from datetime import date

from quizapp.errors import QuizappError


def _exam_date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise QuizappError(f"--exam-date: {text!r} is not a date (YYYY-MM-DD)") from None


def run(args: argparse.Namespace) -> int:
    from quizapp.commands.study import opened_study
    from quizapp.plan.model import NoExamDate
    from quizapp.plan.text import NO_EXAM_DATE, format_plan

    exam = _exam_date(getattr(args, "exam_date", None))
    minutes = getattr(args, "minutes", None)
    if minutes is not None and not 1 <= minutes <= 1440:
        raise QuizappError(f"--minutes: must be 1..1440, not {minutes}")
    as_json = getattr(args, "json", False)
    moved = None
    with opened_study(args) as study:
        if getattr(args, "pull_in", False):
            moved = study.plan.pull_in()
        try:
            plan = study.plan.plan(exam, minutes)
        except NoExamDate:
            plan = None
    if plan is None:
        if as_json:
            print(json.dumps({"exam_date": None, "message": NO_EXAM_DATE}, indent=2))
        else:
            print(NO_EXAM_DATE)
        return 0
    if as_json:
        data = plan.to_json()
        if moved is not None:
            data["pulled_in"] = moved
        print(json.dumps(data, indent=2))
    else:
        if moved is not None:
            print(f"Moved {moved} card{'s' if moved != 1 else ''} into the final stretch.\n")
        print(format_plan(plan))
    return 0
