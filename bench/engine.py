"""Benchmark: time to generate one problem (numbers, engine answer, worked solution,
misconceptions, the multiple-choice form and the step-by-step stages), per family.

    .venv/bin/python bench/engine.py [--seeds N] [--difficulty D] [--json]

Prints per family the median and 90th-percentile time per problem and problems per second
(over all seeds and difficulties). Target: median <= 1 ms for every family. Exits 1 if a
median misses the target.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

# This file is named engine.py: take its folder off sys.path so `engine` is the package.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent))

from engine.catalog import DIFFICULTIES, FAMILIES  # noqa: E402
from engine.problems import make_problem  # noqa: E402
from engine.problems.stages import solve, stages_of  # noqa: E402

TARGET_MS = 1.0


def time_family(family: str, seeds: int, difficulties: tuple[str, ...]) -> dict[str, float]:
    make_problem(family, 0, difficulties[0]).choices()  # warm-up: imports, caches
    samples = []
    for difficulty in difficulties:
        for seed in range(seeds):
            start = time.perf_counter_ns()
            problem = make_problem(family, seed, difficulty)
            problem.choices()
            solve(stages_of(problem))
            samples.append((time.perf_counter_ns() - start) / 1e6)
    total_s = sum(samples) / 1e3
    qs = statistics.quantiles(samples, n=10)
    return {
        "median_ms": statistics.median(samples),
        "p90_ms": qs[-1],
        "per_second": len(samples) / total_s,
        "problems": len(samples),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=500, help="seeds per difficulty (500)")
    parser.add_argument("--difficulty", choices=DIFFICULTIES, help="only this difficulty")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    difficulties = (args.difficulty,) if args.difficulty else DIFFICULTIES
    results = {f: time_family(f, args.seeds, difficulties) for f in FAMILIES}
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(f"{'family':<22} {'median ms':>9} {'p90 ms':>7} {'problems/s':>10}")
        for family, r in results.items():
            print(
                f"{family:<22} {r['median_ms']:>9.3f} {r['p90_ms']:>7.3f} {r['per_second']:>10,.0f}"
            )
        n = next(iter(results.values()))["problems"]
        print(
            f"({n} problems per family: {args.seeds} seeds × {', '.join(difficulties)}; "
            f"target median <= {TARGET_MS} ms)"
        )
    slow = [f for f, r in results.items() if r["median_ms"] > TARGET_MS]
    if slow:
        print(f"over target: {', '.join(slow)}", file=sys.stderr)
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
