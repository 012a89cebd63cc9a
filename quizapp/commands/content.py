"""`quizapp content check`: validate banks and print what they hold."""

from __future__ import annotations

import argparse
import json
import os
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from quizapp.bank.cues import cue_report
from quizapp.bank.files import file_label, find_bank_files
from quizapp.bank.loader import check_shipped, shipped_banks_dir, validate_file
from quizapp.bank.model import KINDS, Item
from quizapp.bank.profiles import load_profiles
from quizapp.bank.taxonomy import load_taxonomy, topic_label
from quizapp.bank.validate import duplicate_id_errors
from quizapp.paths import user_banks_dir


def section_key(file: str, section: str) -> str:
    return f"{file} § {section}"


NO_DOMAIN = "(no domain)"
NO_SOURCE = "(no source)"  # a learner's item that cites no section of the guide


def summarise(items: Sequence[Item]) -> dict[str, Any]:
    """Counts by kind, section, topic, and domain of each exam profile (the default profile's
    as `by_domain`), in taxonomy and profile order (zeros included); a learner's own sections
    and topics follow the taxonomy's (sorted), then the count of items without a source."""
    tax = load_taxonomy()
    profiles = load_profiles()
    by_section = {section_key(f, s): 0 for f, sections in tax.sources.items() for s in sections}
    kinds = Counter(i.kind for i in items)
    topics = Counter(i.topic for i in items)
    no_source = 0
    for item in items:
        if item.source is None:
            no_source += 1
            continue
        key = section_key(item.source.file, item.source.section)
        by_section[key] = by_section.get(key, 0) + 1
    if no_source:
        by_section[NO_SOURCE] = no_source
    by_profile: dict[str, dict[str, int]] = {}
    for profile in profiles.profiles:
        counts = Counter(i.domain_in(profile.id) or NO_DOMAIN for i in items)
        names = [d for d, _ in profile.domain_weights] + [NO_DOMAIN]
        by_profile[profile.id] = {d: counts[d] for d in names}
    return {
        "by_kind": {k: kinds[k] for k in KINDS},
        "by_section": by_section,
        "by_topic": {t: topics[t] for t in (*tax.topics, *sorted(set(topics) - set(tax.topics)))},
        "by_domain": by_profile[profiles.default.id],
        "by_profile_domain": by_profile,
    }


def coverage_errors(items: Sequence[Item]) -> list[str]:
    """One line per taxonomy (file, section, point) that no item covers."""
    covered = {(i.source.file, i.source.section, i.source.point) for i in items if i.source}
    return [
        f"coverage: no item covers {section_key(f, s)} point {p!r}"
        for f, s, p in load_taxonomy().required_points()
        if (f, s, p) not in covered
    ]


def shipped_paths() -> set[str]:
    """Resolved paths of the shipped bank files, when they live on disk."""
    try:
        root = Path(os.fspath(shipped_banks_dir()))  # type: ignore[call-overload]
    except TypeError:
        return set()
    return {os.path.realpath(p) for p in root.glob("*.toml")}


def check_paths(paths: Sequence[str]) -> tuple[list[str], tuple[Item, ...], list[str]]:
    """Validate each file alone, then ids across them (and against shipped ids for own banks)."""
    files, errors = find_bank_files(paths)  # errors: folders that cannot be listed
    per_file: list[tuple[str, tuple[Item, ...]]] = []
    shipped = shipped_paths()
    for path in files:  # a shipped bank given by its path keeps the shipped rules
        items, problems = validate_file(path, shipped=os.path.realpath(path) in shipped)
        errors.extend(problems)
        per_file.append((file_label(path), items))
    errors.extend(duplicate_id_errors((label, [i.id for i in its]) for label, its in per_file))
    own = [
        (label, its)
        for p, (label, its) in zip(files, per_file, strict=True)
        if os.path.realpath(p) not in shipped  # Path.resolve raises on a symlink loop
    ]
    if own:
        taken = {i.id: b.origin for b in check_shipped().banks for i in b.items}
        for label, its in own:  # one file at a time: clashes among them are reported above
            errors.extend(duplicate_id_errors([(label, [i.id for i in its])], taken))
    items = tuple(i for _, its in per_file for i in its)
    return [file_label(p) for p in files], items, errors


def report(payload: dict[str, Any], heading: str) -> str:
    lines = [heading, ""]
    sections: list[tuple[str, dict[str, int], str]] = [
        ("By kind", payload["by_kind"], "by_kind"),
        ("By section", payload["by_section"], "by_section"),
        ("By topic", payload["by_topic"], "by_topic"),
    ]
    for profile, counts in payload["by_profile_domain"].items():
        sections.append((f"By domain of {profile}", counts, "by_domain"))
    for title, counts, key in sections:
        width = max(map(len, counts))
        lines.append(f"{title}:")
        for name, count in counts.items():
            label = f"{name:<{width}}"
            if key == "by_topic":
                label += f"  {topic_label(name)}"
            lines.append(f"  {count:>5}  {label}".rstrip())
        lines.append("")
    lines.append("Cues (how often a cue, not knowledge, picks the answer; chance is about 25%):")
    for cue in payload["cues"]:
        longest, absolute = cue["key_longest_share"], cue["absolute_false_share"]
        lines.append(
            f"  {cue['bank'] or 'all banks':<32} key longest "
            + (
                f"{longest:>4.0%} of {cue['single_choice']:<3}"
                if longest is not None
                else "   -       "
            )
            + "  always/only/never false "
            + (
                f"{absolute:>4.0%} of {cue['absolute_statements']}"
                if absolute is not None
                else "   -"
            )
        )
    lines.append("")
    warnings: list[str] = payload["warnings"]
    if warnings:
        lines.append(f"Warnings ({len(warnings)}):")
        lines.extend(f"  {w}" for w in warnings)
        lines.append("")
    errors: list[str] = payload["errors"]
    if errors:
        lines.append(f"Problems ({len(errors)}):")
        lines.extend(f"  {e}" for e in errors)
    else:
        lines.append("No problems found.")
    lines += [
        "",
        f"Your own banks: put *.toml files in {payload['learner_banks_dir']}",
        "(or pass --bank PATH); they are validated like these, except that source, topic,",
        "difficulty and domains are optional (see content/FORMAT.md). Check one with:",
        "  quizapp content check FILE",
    ]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    targets = [*args.paths, *getattr(args, "bank", [])]
    if targets:
        files, items, errors = check_paths(targets)
        heading = f"Checked {len(files)} file(s): {len(items)} valid items"
    else:
        shipped = check_shipped()
        files = [b.origin for b in shipped.banks]
        items = shipped.items
        errors = shipped.errors + coverage_errors(items)
        heading = f"Shipped banks: {len(files)} file(s), {len(items)} valid items"
    profiles = load_profiles()
    errors = [*errors, *profiles.errors]  # the learner's profiles, validated like banks
    per_bank, overall = cue_report(items)
    payload: dict[str, Any] = {
        "items": len(items),
        **summarise(items),
        "cues": [c.to_json() for c in (*per_bank, overall)],
        "warnings": [w for c in (*per_bank, overall) for w in c.warnings()],
        "errors": errors,
        "files": files,
        "profiles": [p.id for p in profiles.profiles],
        "learner_banks_dir": str(user_banks_dir()),
    }
    if args.json:
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        print(report(payload, heading))
    return 1 if errors else 0
