"""`quizapp problems`: list the families or print generated problems (text or JSON)."""

from __future__ import annotations

import argparse
import json
import shutil
import textwrap
from typing import TYPE_CHECKING

from engine.catalog import FAMILIES
from engine.problems.text import align_numbers
from engine.problems.titles import TITLES
from quizapp.errors import QuizappError

if TYPE_CHECKING:
    from engine.problems import Problem

MAX_COUNT = 10_000


def _width() -> int:
    return max(60, min(100, shutil.get_terminal_size((100, 24)).columns))


def _wrap(text: str, width: int, indent: str = "", hang: str = "") -> list[str]:
    """Wrap prose paragraphs; keep indented lines (tables, matrices, code) as they are."""
    out: list[str] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith(" "):
            out.append((indent + line).rstrip())
        else:
            out += textwrap.wrap(
                line,
                width,
                initial_indent=indent,
                subsequent_indent=indent + hang,
                break_on_hyphens=False,
            )
    return out


def render(problem: Problem, width: int = 100) -> str:
    """A problem for a person: heading, prompt, worked solution, answer, common mistakes."""
    head = f"{problem.id} · {problem.difficulty} · {problem.scenario}"
    lines = [head, "─" * len(head), *_wrap(problem.prompt, width), "", "Worked solution"]
    digits = len(str(len(problem.steps)))
    for n, step in enumerate(problem.steps, 1):
        label = f"  {n:>{digits}}. "
        wrapped = _wrap(step, width - len(label), hang="    ")
        lines += [label + wrapped[0], *(" " * len(label) + rest for rest in wrapped[1:])]
    tol = problem.tolerance.width(problem.answer)
    note = "exactly" if tol < 1e-6 else f"within ±{tol:g}"
    lines += ["", f"Answer: {problem.display}   (accepted {note})", "", "Common mistakes"]
    shown = align_numbers([problem.show(m.answer) for m in problem.misconceptions])
    name_w = max(len(m.name) for m in problem.misconceptions)
    for m, value in zip(problem.misconceptions, shown, strict=True):
        label = f"  {m.name:<{name_w}}  {value}  "
        wrapped = textwrap.wrap(m.hint, max(30, width - len(label)))
        lines += [label + wrapped[0], *(" " * len(label) + rest for rest in wrapped[1:])]
    return "\n".join(lines)


def export(problem: Problem) -> dict[str, object]:
    """The export contract's object plus `stages`: the steps a learner can answer one by one
    ({key, label, hint, decimals, answer}; empty for a one-step family)."""
    from engine.problems.stages import solve, stages_of

    stages = stages_of(problem)
    values = solve(stages)
    return {
        **problem.to_json(),
        "stages": [
            {"key": st.key, "label": st.label, "hint": st.hint, "decimals": st.decimals,
             "answer": values[st.key]}
            for st in stages
        ],
    }  # fmt: skip


def _list(as_json: bool) -> None:
    if as_json:
        print(json.dumps(list(FAMILIES)))
        return
    width = max(len(f) for f in FAMILIES)
    for family in FAMILIES:
        print(f"{family:<{width}}  {TITLES[family]}")


def _check(args: argparse.Namespace) -> int:
    """Grade a typed answer exactly as the app does (engine.answers.check_answer)."""
    if args.answer is None:
        raise QuizappError("`quizapp problems check` needs --answer TEXT (the typed answer)")
    from engine.answers import check_answer
    from engine.problems import make_problem

    try:
        problem = make_problem(args.family, args.seed, args.difficulty)
    except (ValueError, RuntimeError) as err:
        raise QuizappError(str(err)) from err
    verdict = check_answer(problem, args.answer)
    mistake = verdict.misconception
    if verdict.status == "unreadable":
        message = verdict.message
    else:
        lead = "Right." if verdict.status == "correct" else "Not quite."
        message = f"{lead} The answer is {problem.display} ({verdict.echo})."
    if args.json:
        result = {
            "id": problem.id,
            "readable": verdict.status != "unreadable",
            "value": verdict.value,
            "correct": verdict.status == "correct",
            "misconception": mistake.name if mistake else None,
            "hint": mistake.hint if mistake else None,
            "message": message,
        }
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return 0
    print(f"{problem.id} · {problem.difficulty}: {message}")
    if mistake is not None:
        print(f"It matches a known mistake: {mistake.name.replace('_', ' ')}. Hint: {mistake.hint}")
    return 0


def run(args: argparse.Namespace) -> int:
    if args.action != "check" and args.answer is not None:
        raise QuizappError("--answer goes with `quizapp problems check`")
    if args.list:
        _list(args.json)
        return 0
    if not args.family:
        raise QuizappError("choose a family with --family NAME (see `quizapp problems --list`)")
    if args.family not in FAMILIES:
        raise QuizappError(f"unknown family {args.family!r}; choose one of: {', '.join(FAMILIES)}")
    if args.action == "check":
        return _check(args)
    if not 1 <= args.count <= MAX_COUNT:
        raise QuizappError(f"--count must be between 1 and {MAX_COUNT:,}, got {args.count}")

    from engine.problems import make_problem

    problems = [
        make_problem(args.family, args.seed + k, args.difficulty) for k in range(args.count)
    ]
    if args.json:
        print(json.dumps([export(p) for p in problems], indent=2))
    else:
        width = _width()
        print("\n\n\n".join(render(p, width) for p in problems))
    return 0
