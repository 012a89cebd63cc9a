"""`quizapp exam profiles [--json]`: the exam profiles an exam simulation can follow.

Shipped profiles first (the current exam, then the guide's retired one), then the learner's
from `<data dir>/profiles/`; a broken learner profile is reported on stderr and left out.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from quizapp.bank.profiles import ExamProfile, load_profiles, user_profiles_dir


def profile_json(profile: ExamProfile) -> dict[str, Any]:
    minutes = profile.minutes
    return {
        "id": profile.id,
        "name": profile.title,
        "code": profile.code,
        "status": profile.status,
        "retired_on": profile.retired_on.isoformat() if profile.retired_on else None,
        "questions": profile.questions,
        "scored": profile.scored,
        "minutes": int(minutes) if minutes == int(minutes) else minutes,
        "pass_mark": profile.pass_score,
        "domains": [{"name": n, "weight": w} for n, w in profile.domain_weights],
        "kinds": list(profile.kinds),
    }


def profile_text(profile: ExamProfile, default: bool) -> list[str]:
    status = f"retired on {profile.retired_on:%d %B %Y}" if profile.retired_on else "current"
    lines = [
        f"{profile.id}  {profile.code}: {profile.title}" + ("  (default)" if default else ""),
        f"  {status}; {profile.questions} questions ({profile.scored} scored), "
        f"{profile.minutes:g} minutes, pass at {profile.pass_score} on 100-1000",
        "  kinds: " + ", ".join(k.replace("_", " ") for k in profile.kinds),
    ]
    lines += [f"  {w:>3}%  {n}" for n, w in profile.domain_weights]
    return lines


def run(args: argparse.Namespace) -> int:
    found = load_profiles()
    for problem in found.errors:
        print(f"quizapp: warning: {problem}", file=sys.stderr)
    if args.json:
        print(json.dumps([profile_json(p) for p in found.profiles], indent=2, ensure_ascii=False))
        return 0
    lines: list[str] = []
    for profile in found.profiles:
        lines += [*profile_text(profile, profile is found.default), ""]
    lines.append(f"Your own profiles: put *.toml files in {user_profiles_dir()}")
    print("\n".join(lines))
    return 0
