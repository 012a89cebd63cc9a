"""`quizapp optimize [--json] [--reset]`: fit FSRS to the learner's own review log.

The fitted parameters are adopted only when they predict that history better (lower log loss)
than the set in use; below the minimum history nothing is fitted. `--reset` returns to the
default parameters. Scheduling uses the set from the next card on.
"""

from __future__ import annotations

import argparse
import json
from typing import Any


def _number(x: Any) -> str:
    return "-" if x is None else f"{x:.4f}"


def run(args: argparse.Namespace) -> int:
    from quizapp.commands.study import opened_study

    out: dict[str, Any]
    with opened_study(args) as study:
        if getattr(args, "reset", False):
            previous = study.settings.policy.parameters
            defaults = study.optimizer.reset()
            out = {
                "parameters": list(defaults),
                "previous_parameters": list(previous),
                "reset": True,
            }
            message = "back to the default FSRS parameters"
        else:
            result = study.optimizer.optimize()
            out, message = result.to_json(), result.message
    if getattr(args, "json", False):
        print(json.dumps(out, indent=2))
        return 0
    print(message)
    if "log_loss_before" in out:
        print(
            f"reviews used {out['reviews_used']}; log loss {_number(out['log_loss_before'])} -> "
            f"{_number(out['log_loss_after'])}; RMSE (bins) {_number(out['rmse_bins_before'])} "
            f"-> {_number(out['rmse_bins_after'])}"
        )
    print("parameters: " + ", ".join(f"{x:.4f}" for x in out["parameters"]))
    return 0
