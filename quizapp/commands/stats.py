"""`quizapp stats [--json]`: study statistics from the progress database;
`quizapp stats workload [--json] [--seed N]`: the workload a day ahead at a few desired
retentions (an FSRS simulation of the learner's cards: a second or more on a big collection).

Opens (creating on first run) the database from `--db` / $QUIZAPP_DB / the data dir, syncs
the banks as the app does on start, and prints a summary, or JSON with `--json`.
"""

from __future__ import annotations

import argparse
import json


def run(args: argparse.Namespace) -> int:
    from quizapp.commands.study import opened_study

    workload = getattr(args, "stats_command", None) == "workload"
    with opened_study(args) as study:
        if workload:
            inputs = study.stats.workload_inputs()
        else:
            stats = study.stats.summary()
            retention = study.stats.true_retention()
    if workload:
        return _workload(args, inputs)
    from quizapp.bank.taxonomy import topic_labels
    from quizapp.stats import format_stats, stats_dict
    from quizapp.stats.retention import format_true_retention, true_retention_dict

    if getattr(args, "json", False):
        data = stats_dict(stats)
        data["true_retention"] = true_retention_dict(retention)
        print(json.dumps(data, indent=2))
    else:
        print(format_stats(stats, topic_labels(stats.topics)))
        print()
        print(format_true_retention(retention))
    return 0


def _workload(args: argparse.Namespace, inputs: object) -> int:
    from quizapp.stats.workload import (
        WorkloadInputs,
        format_workload,
        simulate_workload,
        workload_dict,
    )

    assert isinstance(inputs, WorkloadInputs)
    result = simulate_workload(inputs, seed=getattr(args, "seed", 0) or 0)
    if getattr(args, "json", False):
        print(json.dumps(workload_dict(result), indent=2))
    else:
        print(format_workload(result))
    return 0
