"""`quizapp errata`: the guide's worked examples re-run through the engine."""

from __future__ import annotations

import argparse
import json

from quizapp.errata import Verdict, rerun


def show(value: float, decimals: int, percent: bool) -> str:
    """The computed value: at the guide's precision if that loses nothing, else 6 significant."""
    exact = abs(value - round(value, decimals)) < 1e-9
    text = f"{value:.{decimals}f}" if exact else f"{value:.6g}"
    return text + ("%" if percent else "")


def verdict_text(v: Verdict) -> str:
    if v.ok:
        return "ok"
    ex = v.example
    return f"WRONG (≈ {v.computed_value:.{ex.decimals}f}{'%' if ex.percent else ''})"


def table(verdicts: list[Verdict]) -> str:
    id_w = max(len(v.example.id) for v in verdicts)
    q_w = max(len(v.example.quantity) for v in verdicts)
    lines: list[str] = []
    group = None
    for v in verdicts:
        ex = v.example
        if (ex.example, ex.source) != group:
            group = (ex.example, ex.source)
            lines += ["", f"{ex.example} ({ex.source})"]
            header = f"  {'example':<{id_w}}  {'quantity':<{q_w}}  {'guide':>8}  {'computed':>10}"
            lines.append(header + "  verdict")
        guide = f"{ex.guide_value:.{ex.decimals}f}" + ("%" if ex.percent else "")
        lines.append(
            f"  {ex.id:<{id_w}}  {ex.quantity:<{q_w}}  {guide:>8}  "
            f"{show(v.computed_value, ex.decimals, ex.percent):>10}  {verdict_text(v)}"
        )
        if ex.note:
            lines.append(f"  note: {ex.note}")
    wrong = [v for v in verdicts if not v.ok]
    lines += [
        "",
        f"{len(verdicts)} stated numbers re-run through the engine: "
        f"{len(verdicts) - len(wrong)} match the guide, {len(wrong)} do not "
        f"({', '.join(v.example.id for v in wrong) or 'none'}).",
    ]
    return "\n".join(lines).lstrip("\n")


def run(args: argparse.Namespace) -> int:
    verdicts = rerun()
    if args.json:
        print(json.dumps([v.as_json() for v in verdicts], indent=2, ensure_ascii=False))
    else:
        print(table(verdicts))
    return 0
