"""`quizapp mistakes [--json]`: the named misconceptions you make most.

Across computed practice, skill cards and quizzes: count, last seen, trend (the last 14
study days against the 14 before), the hint, and the practice families that invite it.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quizapp.mistakes import MistakesReport

TREND_MARKS = {"up": "↑", "down": "↓", "steady": "→"}


def format_report(report: MistakesReport) -> str:
    if not report.mistakes:
        return "No named mistakes yet: practice and quizzes record them as you make them."
    w = report.window_days
    lines = [f"Named mistakes (trend: last {w} days against the {w} before)"]
    width = max(len(m.label) for m in report.mistakes)
    for m in report.mistakes:
        mark = TREND_MARKS[m.trend]
        lines.append(
            f"{m.label:<{width}}  {m.count:>4}×  last {m.last_seen:%Y-%m-%d}  "
            f"{mark} {m.recent} vs {m.before}"
        )
        if m.hint:
            lines.append(f"  {m.hint}")
        if m.families:
            lines.append(f"  practise: {', '.join(m.families)}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from quizapp.commands.study import opened_study

    with opened_study(args) as study:
        report = study.mistakes.report()
    if getattr(args, "json", False):
        print(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        print(format_report(report))
    return 0
